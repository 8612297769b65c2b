"""One unit's items over the quarterly rounds, across the 2025 reorganisation, and their charts.

For rounds before a new unit existed, its figure is the rollup of its predecessors' stored tallies when every
one of them went into it whole (and says so); when any went only partly, the round is "not comparable" rather
than a sum that would count someone else's territory.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from baocao.analysis.models import Bucket
from baocao.analysis.rollups import read_tallies
from baocao.core.definition import Definition
from baocao.core.labels import plain_label
from baocao.core.rollup import Tally, add_tallies, rollup_from_tallies
from baocao.core.schema import ItemSpec
from baocao.core.versions import MSG_NO_COUNTERPART, has_counterpart, translate_tallies
from baocao.forms.registry import version_chain
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit, Succession

__all__ = ["DEFAULT_ITEMS", "Point", "Series", "chart", "unit_trend"]

DEFAULT_ITEMS = ("7.2.4.a", "7.2.4", "3.3.1", "5.1.2")
MSG_PREDECESSORS = "tổng của đơn vị tiền thân (sáp nhập toàn bộ): {names}"
MSG_NOT_COMPARABLE = "không so sánh được: {names} chỉ nhập một phần"
MSG_NOT_COMPARABLE_SHORT = "không so sánh được"
MSG_NO_COUNTERPART_SHORT = "không có chỉ tiêu tương ứng"


@dataclass
class Point:
    round: Round
    value: Decimal | None
    display: str
    reports: int
    note: str = ""
    derived: bool = False
    comparable: bool = True

    @property
    def label(self) -> str:
        return f"Q{self.round.period_number}/{self.round.year}"


@dataclass
class Series:
    unit: OrgUnit
    item: ItemSpec
    points: list[Point]


def _exists_during(unit: OrgUnit, round_: Round) -> bool:
    return unit.valid_from is None or unit.valid_from <= round_.window_end


def unit_trend(unit: OrgUnit, definition: Definition, code: str) -> Series:
    rounds = Round.objects.filter(definition_code=definition.code, period_type=Round.PeriodType.QUARTER)
    successions = list(Succession.objects.filter(new=unit).select_related("old").order_by("old__code"))
    partial = [s.old.full_name for s in successions if s.kind == Succession.Kind.PARTIAL]
    names = ", ".join(s.old.full_name for s in successions)
    item = definition.by_code[code]
    chains = {v: version_chain(definition, v) for v in {round_.definition_version for round_ in rounds}}
    points = []
    for round_ in rounds.order_by("window_end"):
        chain = chains[round_.definition_version]
        if _exists_during(unit, round_):
            own, reports = read_tallies(round_, unit.pk, (Bucket.ACCEPTED,))
            points.append(_point(chain, round_, code, own, reports))
        elif successions and partial:
            note = MSG_NOT_COMPARABLE.format(names=", ".join(partial))
            points.append(Point(round_, None, MSG_NOT_COMPARABLE_SHORT, 0, note, comparable=False))
        elif successions:
            tallies: dict[str, Tally] = {}
            reports = 0
            for succession in successions:
                theirs, count = read_tallies(round_, succession.old.pk, (Bucket.ACCEPTED,))
                add_tallies(tallies, theirs)
                reports += count
            point = _point(chain, round_, code, tallies, reports)
            point.derived, point.note = True, MSG_PREDECESSORS.format(names=names)
            points.append(point)
    return Series(unit, item, [p for p in points if p.reports or not p.comparable])


def _point(
    chain: tuple[Definition, ...], round_: Round, code: str, tallies: dict[str, Tally], reports: int
) -> Point:
    definition = chain[-1]
    if len(chain) > 1:
        if not has_counterpart(chain, code):
            if not reports:
                return Point(round_, None, "", 0)  # nothing accepted: left out like any empty round
            note = MSG_NO_COUNTERPART.format(version=chain[0].version)
            return Point(round_, None, MSG_NO_COUNTERPART_SHORT, reports, note, comparable=False)
        tallies = translate_tallies(chain, tallies)
    row = rollup_from_tallies(definition, tallies, reports).by_code[code]
    value = row.value if isinstance(row.value, Decimal) else None
    return Point(round_, value, row.display, reports, row.note)


def chart(series: Series, fmt: str = "png") -> bytes:
    """A bar chart drawn on the server (matplotlib, Agg backend): no JavaScript, nothing from a CDN.

    Bars from predecessors are hatched; rounds that are not comparable are marked, not drawn as zero.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 3.2), dpi=100)
    axes = figure.add_subplot()
    labels = [p.label for p in series.points]
    heights = [float(p.value) if p.value is not None else 0.0 for p in series.points]
    bars = axes.bar(labels, heights, color=["#9db7d5" if p.derived else "#2f5d8a" for p in series.points])
    for bar, point in zip(bars, series.points, strict=True):
        if point.derived:
            bar.set_hatch("//")
        text = point.display if point.comparable or point.display else MSG_NOT_COMPARABLE_SHORT
        axes.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    label = plain_label(series.item.label)
    short = label if len(label) <= 80 else label[:79].rstrip() + "…"
    axes.set_title(f"{series.item.code}. {short}", fontsize=9)
    axes.set_ylabel(series.item.unit, fontsize=8)
    axes.tick_params(labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata={"Software": None} if fmt == "png" else None)
    return buffer.getvalue()
