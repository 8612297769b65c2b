"""Which form an old report is checked against: the one the user names, else the one its own words name.

A report says who wrote it: "Ủy ban nhân dân xã Cẩm Giàng báo cáo …" (a press text quoting it: "UBND
huyện Định Quán cho biết", "Thống kê của UBND tỉnh cho biết", "Toàn tỉnh tiếp nhận …"), a header "ỦY BAN NHÂN
DÂN HUYỆN …",
a title "… cải cách hành chính cấp huyện". That gives its level (commune, district, province); among the
forms of that level the one that maps the most appendix rows is taken. Without a stated level the form that
maps the most rows wins; when none maps a row, the commune form (the one most old reports follow). A
"thành phố" is a province or a district: the words alone do not tell, so the rows decide.

Pure Python over compiled forms: the caller passes the candidates (packaged and published ones).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from baocao.core.definition import Definition
from baocao.legacy.mapping import Mapping, map_rows
from baocao.legacy.model import ReadDocument

__all__ = ["DEFAULT_FORM", "FormChoice", "choose_form", "document_level"]

DEFAULT_FORM = "cchc-xa-quy"
LEVEL_NAMES = {"commune": "cấp xã", "district": "cấp huyện", "province": "cấp tỉnh"}
MSG_FORCED = "biểu mẫu {form} do người dùng chọn"
MSG_BY_LEVEL = "biểu mẫu {form}: báo cáo {level} (“{words}”), {rows}"
MSG_BY_ROWS = "biểu mẫu {form}: văn bản không nêu cấp báo cáo, {rows}"
MSG_DEFAULT = (
    "biểu mẫu {form} (mặc định): văn bản không nêu cấp báo cáo và không dòng phụ lục nào khớp biểu mẫu"
)
MSG_ROWS = "{mapped}/{read} dòng phụ lục khớp biểu mẫu"
MSG_NO_FORM_OF_LEVEL = (
    "biểu mẫu {form}: báo cáo {level} (“{words}”) nhưng chưa có biểu mẫu {level} nào, {rows}"
)

_UNIT = r"(?:ủy\s+ban\s+nhân\s+dân|uỷ\s+ban\s+nhân\s+dân|ubnd)"
_LEVEL_WORD = r"(?P<level>thị\s+trấn|thị\s+xã|thành\s+phố|phường|xã|quận|huyện|tỉnh)"
# "Ủy ban nhân dân xã Cẩm Giàng báo cáo …": the writer of the report names itself.
# Its name is written in capitals ("Cẩm Giàng"), so "… của UBND huyện Bạch Thông về việc hướng dẫn báo cáo" is
# not read as the writer.
_REPORTER = re.compile(
    rf"(?i:\b{_UNIT}\s+{_LEVEL_WORD})\s+(?P<name>(?:[^\W\d_]+\s+){{1,5}}?)(?:\([^)]{{0,40}}\)\s+)?"
    r"(?i:(?:xin\s+|trân\s+trọng\s+)?báo\s+cáo|cho\s+biết)\b"
)
# A press text quoting the unit's figures: "Thống kê của UBND tỉnh cho biết, trong quý I …".
_QUOTED = re.compile(rf"(?i:\b{_UNIT}\s+{_LEVEL_WORD}\s+cho\s+biết)\b")
# "Toàn tỉnh tiếp nhận 56.039 hồ sơ …", "… của toàn huyện là 59.010 bộ" in the title or the opening lines.
_WHOLE = re.compile(r"\btoàn\s+(?P<level>tỉnh|huyện|quận|thị\s+xã)\b", re.IGNORECASE)
# A header line: "ỦY BAN NHÂN DÂN XÃ CẨM VĂN" (a commune's header names its district on the line above).
_HEADER = re.compile(rf"^\s*{_UNIT}\s+{_LEVEL_WORD}\b", re.IGNORECASE)
# "Báo cáo … công tác cải cách hành chính cấp huyện" in the title.
_TITLE_LEVEL = re.compile(r"\bcấp\s+(?P<level>xã|huyện|tỉnh)\b", re.IGNORECASE)
_LEVELS = {
    "xã": "commune",
    "phường": "commune",
    "thị trấn": "commune",
    "huyện": "district",
    "quận": "district",
    "thị xã": "district",
    "tỉnh": "province",
    "thành phố": "",  # a city: a province (Hải Phòng) or a district (Thanh Hóa)
}
_RANK = {"commune": 0, "district": 1, "province": 2}
HEAD_PARAGRAPHS = 12  # the header and title stand in the first paragraphs


@dataclass(frozen=True, slots=True)
class FormChoice:
    definition: Definition
    reason: str  # Vietnamese: which form and why, shown with the verdict
    mapping: Mapping | None = None  # the file's rows on the form, when mapped to choose it

    @property
    def label(self) -> str:
        return f"{self.definition.code} v{self.definition.version}"


def _level_of(word: str) -> str:
    return _LEVELS[" ".join(word.lower().split())]


def document_level(paragraphs: Sequence[str]) -> tuple[str, str]:
    """The level the report states for itself and the words that state it; ("", "") when it states none."""
    head = [p for p in paragraphs[:HEAD_PARAGRAPHS] if p.strip()]
    for paragraph in paragraphs[: HEAD_PARAGRAPHS * 3]:
        for match in _REPORTER.finditer(paragraph):
            if _level_of(match["level"]) and all(word[0].isupper() for word in match["name"].split()):
                return _level_of(match["level"]), " ".join(match.group(0).split())
    for paragraph in head[:3]:
        quoted = _QUOTED.search(paragraph) or _WHOLE.search(paragraph)
        if quoted and _level_of(quoted["level"]):
            return _level_of(quoted["level"]), " ".join(quoted.group(0).split())
    headers = [(m, _level_of(m["level"])) for p in head if (m := _HEADER.match(p)) and len(p) <= 120]
    stated = [(m, level) for m, level in headers if level]
    if stated:
        # The issuing body is the lowest unit of the header; the lines above it name its parents.
        match, level = min(stated, key=lambda pair: _RANK[pair[1]])
        if level == "province" and any(not lv for _, lv in headers):
            level = "district"  # "UBND TỈNH …" above "UBND THÀNH PHỐ …": a provincial city
        return level, " ".join(match.group(0).split())
    for index, paragraph in enumerate(head):
        if not paragraph.lstrip().upper().startswith("BÁO CÁO"):
            continue
        # The title: "BÁO CÁO" and the line under it ("Kết quả … cải cách hành chính cấp huyện").
        for line in head[index : index + 2]:
            title = _TITLE_LEVEL.search(line) if len(line) <= 200 else None
            if title:
                return _level_of(title["level"]), title.group(0)
    return "", ""


def _mapped_rows(mapping: Mapping) -> int:
    return sum(1 for m in mapping.mapped if m.how != "nhóm" and m.row.value.strip())


def choose_form(
    document: ReadDocument, candidates: Sequence[Definition], forced: Definition | None = None
) -> FormChoice:
    """The form to check ``document`` against (``candidates`` must hold at least one form), with the file's
    rows mapped onto it when that was needed to choose."""
    if forced is not None:
        return FormChoice(forced, MSG_FORCED.format(form=f"{forced.code} v{forced.version}"))
    level, words = document_level(document.paragraphs)
    pool = [d for d in candidates if d.spec.level == level] if level else []
    definition, mapping = _best(document, pool or list(candidates))
    mapped = _mapped_rows(mapping) if mapping is not None else 0
    form = f"{definition.code} v{definition.version}"
    rows = MSG_ROWS.format(mapped=mapped, read=len(document.rows))
    if level and pool:
        text = MSG_BY_LEVEL.format(form=form, level=LEVEL_NAMES[level], words=words, rows=rows)
    elif level:
        text = MSG_NO_FORM_OF_LEVEL.format(form=form, level=LEVEL_NAMES[level], words=words, rows=rows)
    elif mapped:
        text = MSG_BY_ROWS.format(form=form, rows=rows)
    else:
        text = MSG_DEFAULT.format(form=form)
    return FormChoice(definition, text, mapping)


def _best(document: ReadDocument, pool: list[Definition]) -> tuple[Definition, Mapping | None]:
    """The form mapping the most rows; ties go to the default form, then to the order given. The default
    form is tried first: when it maps every row that holds a value, no other form can map more."""
    default = next((d for d in pool if d.code == DEFAULT_FORM), pool[0])
    if not document.rows:
        return default, None
    first = map_rows(default, document.rows)
    with_values = sum(1 for row in document.rows if row.value.strip())
    if len(pool) == 1 or _mapped_rows(first) >= with_values:
        return default, first
    scored = [(_mapped_rows(first), True, 0, default, first)]
    for index, definition in enumerate(pool):
        if definition is not default:
            mapping = map_rows(definition, document.rows)
            scored.append((_mapped_rows(mapping), False, -index - 1, definition, mapping))
    _, _, _, best, mapping = max(scored, key=lambda s: s[:3])
    return best, mapping
