"""Comparison: the units directly below one unit × chosen items for a round, from the stored rollup cells,
with values far from the unit's peers or from its own history flagged (method in ``core.outliers``).

Earlier rounds may have pinned an older version of the form: their figures are read in this round's codes
through the versions' mappings (``core.versions``), as trends and compile read them; a row with no
counterpart in an earlier version is shown as "không có ở kỳ trước", never as 0."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from baocao.analysis.models import Bucket, RollupCell
from baocao.analysis.services import in_round
from baocao.core.definition import Definition
from baocao.core.outliers import history_flag, peer_flags
from baocao.core.rollup import Rollup, Tally, rollup_from_tallies
from baocao.core.schema import ItemSpec
from baocao.core.spreadsheet import write_text
from baocao.core.versions import has_counterpart, translate_tallies
from baocao.forms.registry import definition_for_round, version_chain
from baocao.reports.presenters import item_labels
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

__all__ = ["DEFAULT_ITEMS", "XLSX_TYPE", "Comparison", "compare", "to_xlsx", "xlsx_name"]

DEFAULT_ITEMS = ("7.2.4.a", "7.2.4", "3.3.1", "3.3.2", "1.2", "5.1.2")
HISTORY_ROUNDS = 4
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


MSG_PREVIOUS = "{period}: {display}"
MSG_NO_COUNTERPART = "không có ở kỳ trước ({period}, phiên bản {version} của biểu mẫu)"


@dataclass
class Cell:
    display: str
    value: Decimal | None
    flags: list[str] = field(default_factory=list)
    previous: str = ""  # the unit's figure in the round before ("Quý III/2024: 4"), or why there is none


@dataclass
class Past:
    """An earlier round's rollups of the units, in the codes of the round compared."""

    round: Round
    chain: tuple[Definition, ...]  # the earlier round's version first, the compared round's last
    rollups: dict[int, Rollup]

    def has(self, code: str) -> bool:
        return len(self.chain) == 1 or has_counterpart(self.chain, code)

    def number(self, unit: OrgUnit, code: str) -> Decimal | None:
        return _number(self.rollups[unit.pk], code) if self.has(code) else None

    def shown(self, unit: OrgUnit, code: str) -> str:
        """ "Quý III/2024: 4"; "" when the unit sent nothing accepted then; the missing counterpart named."""
        rollup = self.rollups[unit.pk]
        if not rollup.reports:
            return ""
        period = self.round.short_label
        if not self.has(code):
            return MSG_NO_COUNTERPART.format(period=period, version=self.chain[0].version)
        return MSG_PREVIOUS.format(period=period, display=rollup.by_code[code].display or "trống")


@dataclass
class Line:
    unit: OrgUnit
    reports: int
    cells: list[Cell]


@dataclass
class Comparison:
    round: Round
    parent: OrgUnit | None
    items: list[ItemSpec]
    lines: list[Line]

    def sort_by(self, sort: str) -> None:
        """Sort as the page's ``?sort=`` says: an item's code, "-" before it for descending; else by unit."""
        column = sort.lstrip("-")
        index = next((i for i, item in enumerate(self.items) if item.code == column), -1)
        self.sort(index, sort.startswith("-"))

    def sort(self, column: int, descending: bool) -> None:
        """Sort by an item column (blanks last whichever the direction), or by unit code for column -1."""
        if column < 0:
            self.lines.sort(key=lambda line: line.unit.code, reverse=descending)
            return
        given = [line for line in self.lines if line.cells[column].value is not None]
        blank = [line for line in self.lines if line.cells[column].value is None]
        given.sort(key=lambda line: line.cells[column].value or 0, reverse=descending)
        self.lines = given + blank


def _rollups(round_: Round, units: list[OrgUnit], chain: tuple[Definition, ...]) -> dict[int, Rollup]:
    """Each unit's accepted rollup in ``round_``, read in the codes of ``chain``'s last version."""
    definition = chain[-1]
    tallies: dict[int, dict[str, Tally]] = {unit.pk: {} for unit in units}
    cells = RollupCell.objects.filter(round=round_, unit_key__in=list(tallies), bucket=Bucket.ACCEPTED)
    for key, code, total, reported, yes in cells.values_list("unit_key", "code", "total", "reported", "yes"):
        tallies[key][code] = Tally(Decimal(total), reported, yes)
    result = {}
    for key, unit_tallies in tallies.items():
        reports = unit_tallies.pop("@reports", Tally()).reported
        if len(chain) > 1:
            unit_tallies = translate_tallies(chain, unit_tallies)
        result[key] = rollup_from_tallies(definition, unit_tallies, reports)
    return result


def _number(rollup: Rollup, code: str) -> Decimal | None:
    value = rollup.by_code[code].value
    return value if isinstance(value, Decimal) else None


def compare(round_: Round, parent: OrgUnit | None, codes: list[str]) -> Comparison:
    definition = definition_for_round(round_)
    items = [definition.by_code[code] for code in codes if code in definition.by_code]
    children = (
        OrgUnit.objects.filter(parent=parent) if parent else OrgUnit.objects.filter(parent__isnull=True)
    )
    units = list(in_round(children, round_).order_by("code"))
    now = _rollups(round_, units, (definition,))
    # An ad hoc round (chuyên đề, đột xuất) has no history: the requests before it asked about other things.
    earlier_rounds = Round.objects.filter(
        definition_code=round_.definition_code,
        period_type=round_.period_type,
        window_end__lt=round_.window_end,
    ).order_by("-window_end")[: 0 if round_.is_ad_hoc else HISTORY_ROUNDS]
    history = []
    for earlier in earlier_rounds:
        chain = version_chain(definition, earlier.definition_version)
        history.append(Past(earlier, chain, _rollups(earlier, units, chain)))
    lines = [Line(unit, now[unit.pk].reports, []) for unit in units]
    for item in items:
        values = {line.unit.pk: _number(now[line.unit.pk], item.code) for line in lines}
        peers = peer_flags({str(pk): value for pk, value in values.items()})
        for line in lines:
            row = now[line.unit.pk].by_code[item.code]
            cell = Cell(row.display, values[line.unit.pk])
            cell.previous = next((s for p in history if (s := p.shown(line.unit, item.code))), "")
            if str(line.unit.pk) in peers:
                cell.flags.append(peers[str(line.unit.pk)])
            past = [p.number(line.unit, item.code) for p in history]
            own = history_flag(cell.value, past)
            if own:
                cell.flags.append(own)
            line.cells.append(cell)
    return Comparison(round_, parent, items, [line for line in lines if line.reports])


def to_xlsx(comparison: Comparison) -> bytes:
    """The table as an Excel workbook: numbers as numbers, flags as a comment column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "So sánh"
    write_text(sheet.cell(row=1, column=1), comparison.round.title)
    sheet["A1"].font = Font(bold=True)
    # Rows by what a reviewer reads (STT and label), as on the page: never the definition's internal codes.
    labels = item_labels(definition_for_round(comparison.round))
    header = ["Mã", "Đơn vị", "Số báo cáo"]
    header += [f"{labels[item.code]} ({item.unit})" for item in comparison.items]
    header.append("Khác thường")
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    mark = PatternFill("solid", fgColor="FFE699")
    for line in comparison.lines:
        values: list[object] = [line.unit.code, line.unit.full_name, line.reports]
        values += [float(c.value) if c.value is not None else c.display or None for c in line.cells]
        notes = [
            f"{labels[item.code]}: {flag}"
            for item, c in zip(comparison.items, line.cells, strict=True)
            for flag in c.flags
        ]
        values.append("; ".join(notes))
        sheet.append([None if isinstance(value, str) else value for value in values])
        for column, value in enumerate(values, start=1):
            if isinstance(value, str):
                # A unit's name or a text figure typed as "=…", "+…", "-…", "@…" stays text in the file.
                write_text(sheet.cell(row=sheet.max_row, column=column), value)
        for index, c in enumerate(line.cells):
            if c.flags:
                sheet.cell(row=sheet.max_row, column=4 + index).fill = mark
    sheet.column_dimensions["B"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_name(round_: Round) -> str:
    return f"so-sanh-{round_.code}.xlsx"
