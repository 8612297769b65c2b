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
from baocao.core.kept import Kept
from baocao.core.labels import plain_label
from baocao.core.numbers import format_number
from baocao.core.rollup import Tally, add_tallies, rollup_from_tallies, tally_report
from baocao.core.schema import ItemSpec
from baocao.core.versions import MSG_NO_COUNTERPART, has_counterpart, translate_tallies
from baocao.forms.registry import version_chain
from baocao.reports.models import Report, Status, Value
from baocao.reports.presenters import stt_of
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit, Succession

__all__ = ["DEFAULT_ITEMS", "MODES", "Point", "Series", "chart", "period_label", "unit_trend"]

# How periods with different numbers of reports are put side by side.
SAME_UNITS, ALL_REPORTS, PER_REPORT = "cung-don-vi", "tat-ca", "moi-bao-cao"
MODES = {
    SAME_UNITS: "Chỉ các đơn vị có báo cáo ở mọi kỳ",
    ALL_REPORTS: "Tất cả báo cáo đã tiếp nhận của từng kỳ",
    PER_REPORT: "Bình quân một báo cáo",
}

DEFAULT_ITEMS = ("7.2.4.a", "7.2.4", "3.3.1", "5.1.2")
MSG_PREDECESSORS = "tổng của đơn vị tiền thân (sáp nhập toàn bộ): {names}"
MSG_NOT_COMPARABLE = "không so sánh được: {names} chỉ nhập một phần"
MSG_NOT_COMPARABLE_SHORT = "không so sánh được"
MSG_NO_COUNTERPART_SHORT = "không có chỉ tiêu tương ứng"


def period_label(round_: Round) -> str:
    """ "Quý IV/2023", "6 tháng/2024", "9 tháng/2024", "Năm 2024": as a Vietnamese reader names periods."""
    return round_.short_label


@dataclass
class Point:
    round: Round
    value: Decimal | None
    display: str
    reports: int
    note: str = ""
    derived: bool = False
    comparable: bool = True
    expected: int = 0  # reports the round asked of the unit's subtree

    @property
    def label(self) -> str:
        return period_label(self.round)

    @property
    def complete(self) -> bool:
        return self.reports >= self.expected

    @property
    def coverage(self) -> str:
        """ "4/14 báo cáo" """
        return f"{self.reports}/{self.expected} báo cáo"


@dataclass
class Series:
    unit: OrgUnit
    item: ItemSpec
    points: list[Point]
    mode: str = ALL_REPORTS
    units: int = 0  # in SAME_UNITS mode: how many units reported in every period

    @property
    def incomplete(self) -> bool:
        return any(not point.complete for point in self.points if point.comparable)


def _exists_during(unit: OrgUnit, round_: Round) -> bool:
    return unit.valid_from is None or unit.valid_from <= round_.window_end


def unit_trend(unit: OrgUnit, definition: Definition, code: str, mode: str = ALL_REPORTS) -> Series:
    rounds = list(
        Round.objects.filter(definition_code=definition.code, period_type=Round.PeriodType.QUARTER).order_by(
            "window_end"
        )
    )
    successions = list(Succession.objects.filter(new=unit).select_related("old").order_by("old__code"))
    partial = [s.old.full_name for s in successions if s.kind == Succession.Kind.PARTIAL]
    names = ", ".join(s.old.full_name for s in successions)
    item = definition.by_code[code]
    chains = {v: version_chain(definition, v) for v in {round_.definition_version for round_ in rounds}}
    common = (
        _common_units(unit, [r for r in rounds if _exists_during(unit, r)]) if mode == SAME_UNITS else None
    )
    points = []
    for round_ in rounds:
        chain = chains[round_.definition_version]
        if _exists_during(unit, round_):
            points.append(_own_point(chain, round_, unit, code, common))
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
            point.expected = round_.respondents.filter(pk__in=[s.old.pk for s in successions]).count()
            points.append(point)
    shown = [p for p in points if p.reports or not p.comparable]
    if mode == PER_REPORT:
        for point in shown:
            _per_report(definition, item, point)
    return Series(unit, item, shown, mode, len(common) if common is not None else 0)


def _own_point(
    chain: tuple[Definition, ...], round_: Round, unit: OrgUnit, code: str, common: set[int] | None
) -> Point:
    """``chain``: the round's own version first, today's last (``forms.registry.version_chain``)."""
    expected = round_.respondents.filter(path__startswith=unit.path).count()
    if common is None:
        own, reports = read_tallies(round_, unit.pk, (Bucket.ACCEPTED,))
    else:
        own, reports = _tallies_of(chain[0], round_, common)
        expected = len(common)
    point = _point(chain, round_, code, own, reports)
    point.expected = expected
    return point


def _accepted(round_: Round, unit: OrgUnit) -> set[int]:
    return set(
        Report.objects.filter(
            round=round_, status=Status.ACCEPTED, unit__path__startswith=unit.path
        ).values_list("unit_id", flat=True)
    )


def _common_units(unit: OrgUnit, rounds: list[Round]) -> set[int]:
    """The units of ``unit``'s subtree with an accepted report in every one of ``rounds``."""
    common: set[int] | None = None
    for round_ in rounds:
        reporters = _accepted(round_, unit)
        if not reporters:
            continue  # a round nobody answered shows nothing and does not empty the comparison
        common = reporters if common is None else common & reporters
    return common or set()


def _tallies_of(definition: Definition, round_: Round, units: set[int]) -> tuple[dict[str, Tally], int]:
    """The accepted reports of ``units`` in the round, summed (read from their values)."""
    reports = Report.objects.filter(round=round_, status=Status.ACCEPTED, unit_id__in=units)
    raw: dict[int, dict[str, str]] = {}
    for report_id, code, text in Value.objects.filter(report__in=reports).values_list(
        "report_id", "code", "raw"
    ):
        raw.setdefault(report_id, {})[code] = text
    tallies: dict[str, Tally] = {}
    for values in raw.values():
        add_tallies(tallies, tally_report(definition, values))
    return tallies, reports.count()


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


def _per_report(definition: Definition, item: ItemSpec, point: Point) -> None:
    """Summed figures divided by the reports behind them; ratios and yes/no counts stay as they are."""
    if point.value is None or not point.reports or definition.rollup_of(item) != "sum":
        return
    point.value = point.value / point.reports
    point.display = format_number(point.value, 1)


# Charts by what they draw: drawing one takes matplotlib ~100 ms, and the same chart is asked for again by
# each reviewer who opens the unit's trend until a figure changes (which changes the key).
CHARTS_KEPT = 32
_charts: Kept[tuple[object, ...], bytes] = Kept(CHARTS_KEPT)


def chart(series: Series, fmt: str = "png") -> bytes:
    """A bar chart drawn on the server (matplotlib, Agg backend): no JavaScript, nothing from a CDN.

    Bars from predecessors are hatched; rounds that are not comparable are marked, not drawn as zero.
    """
    item = series.item
    key = (
        fmt,
        item.code,
        item.label,
        item.unit,
        item.stt,
        tuple(
            (p.label, p.coverage, p.value, p.display, p.derived, p.comparable, p.complete)
            for p in series.points
        ),
    )
    return _charts.get_or_make(key, lambda: _draw(series, fmt))


def _draw(series: Series, fmt: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 3.4), dpi=100)
    axes = figure.add_subplot()
    # Each period names how many of the reports it asked for are counted ("4/14 báo cáo"): a bar built from
    # fewer reports is pale and outlined, never read as the unit shrinking.
    labels = [f"{p.label}\n{p.coverage}" if p.comparable else p.label for p in series.points]
    heights = [float(p.value) if p.value is not None else 0.0 for p in series.points]
    colours = ["#9db7d5" if p.derived else ("#2f5d8a" if p.complete else "#d9e3ef") for p in series.points]
    bars = axes.bar(labels, heights, color=colours, edgecolor="#2f5d8a", linewidth=0.8)
    for bar, point in zip(bars, series.points, strict=True):
        if point.derived:
            bar.set_hatch("//")
        elif not point.complete:
            bar.set_linestyle("--")
        text = point.display if point.comparable or point.display else MSG_NOT_COMPARABLE_SHORT
        if point.comparable and not point.complete:
            text += " (thiếu báo cáo)"
        axes.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    label = plain_label(series.item.label)
    short = label if len(label) <= 80 else label[:79].rstrip() + "…"
    stt = stt_of(series.item)  # a sub-row without an STT of its own is named by its label alone
    axes.set_title(f"{stt}. {short}" if stt else short, fontsize=9)
    axes.set_ylabel(series.item.unit, fontsize=8)
    axes.tick_params(labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata={"Software": None} if fmt == "png" else None)
    return buffer.getvalue()
