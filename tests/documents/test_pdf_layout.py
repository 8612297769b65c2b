"""The PDF as LibreOffice renders the Word document, measured: one typeface, the header inside the text area,
the rules' lengths, the Kính gửi's place, labels without tags, headings and group rows never ending a page."""

from __future__ import annotations

import ctypes
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from baocao.documents.document import BuiltReport
from baocao.documents.docx_export import export_docx
from baocao.documents.metrics import text_width_mm
from baocao.documents.pdf_export import PdfUnavailable, convert_many
from baocao.documents.xlsx_export import export_xlsx
from tests.documents.conftest import needs_soffice

pdfplumber = pytest.importorskip("pdfplumber")
BUILD = Path(__file__).resolve().parents[2] / "build" / "documents"
MM = 72 / 25.4
# Times New Roman or a font with its metrics; anything else is LibreOffice filling in missing letters.
TIMES_METRIC = re.compile(
    r"^([A-Z]{6}\+)?(LiberationSerif|TimesNewRoman(PS)?(MT)?)(-(Bold|Italic|BoldItalic))?$"
)

pytestmark = [
    needs_soffice,
    pytest.mark.skipif(
        shutil.which("pdffonts") is None, reason="pdffonts chưa cài: apt-get install poppler-utils"
    ),
]


@pytest.fixture(scope="module")
def printed(demo_built: BuiltReport) -> dict[str, Path]:
    """Every document this file measures, printed by LibreOffice in one start (``convert_many``; a start
    costs about as much as printing a document), each to its own file in build/documents."""
    documents = {
        "layout.pdf": (export_docx(demo_built), ".docx"),
        "phong-thay-the.pdf": (export_docx(_odd_letter(demo_built)), ".docx"),
        "phu-luc.pdf": (export_xlsx(demo_built), ".xlsx"),
        "phu-luc-sua.pdf": (_edited_sheet(demo_built), ".xlsx"),
        **{name: (data, ".xlsx") for name, data in _sheets_for_the_tint(demo_built).items()},
        "nhom.pdf": (export_docx(_group_every_fifth_row(demo_built)), ".docx"),
        "de-muc.pdf": (export_docx(_forty_sections(demo_built)), ".docx"),
    }
    BUILD.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, made in zip(documents, convert_many(list(documents.values())), strict=True):
        if isinstance(made, PdfUnavailable):
            raise made
        paths[name] = BUILD / name
        paths[name].write_bytes(made)
    return paths


@pytest.fixture(scope="module")
def pdf(printed: dict[str, Path]) -> Path:
    return printed["layout.pdf"]


@pytest.fixture(scope="module")
def page_one(pdf: Path) -> Iterator[Any]:
    """Page 1 of the report as pdfplumber reads it, for the tests that measure it: read once (pdfplumber
    keeps a page's objects), not once per test."""
    with pdfplumber.open(pdf) as document:
        yield document.pages[0]


def test_the_pdf_uses_one_times_metric_typeface_for_every_vietnamese_letter(pdf: Path) -> None:
    fonts = _fonts(pdf)
    assert fonts
    foreign = [font for font in fonts if not TIMES_METRIC.match(font)]
    assert foreign == [], f"phông thay thế: {foreign}"


def _odd_letter(demo_built: BuiltReport) -> BuiltReport:
    import dataclasses

    from baocao.documents.document import Paragraph

    odd = (Paragraph("body", "Người đứng đầu ☃ chịu trách nhiệm."),)
    return dataclasses.replace(demo_built, paragraphs=odd, rows=demo_built.rows[:3])


def test_the_font_check_fails_on_a_letter_filled_in_from_another_font(printed: dict[str, Path]) -> None:
    """The check above can fail: a letter Liberation Serif lacks (☃) makes LibreOffice take another
    typeface for it, as Liberation 1.07 did for ư, ố, ộ; pdffonts then lists that fallback."""
    target = printed["phong-thay-the.pdf"]
    foreign = [font for font in _fonts(target) if not TIMES_METRIC.match(font)]
    assert foreign and all("LiberationSerif" not in font for font in foreign), _fonts(target)


def _lines(page) -> list[dict]:  # type: ignore[no-untyped-def]
    return page.extract_text_lines(keep_blank_chars=False)


def test_page_one_fits_the_text_area_and_kinh_gui_follows_the_subject(page_one, demo_built) -> None:
    page = page_one
    words = [w for w in page.extract_words() if w["top"] > 15 * MM]  # below the page header ("DỰ THẢO")
    assert min(w["x0"] for w in words) >= 30 * MM - 0.5
    assert max(w["x1"] for w in words) <= (210 - 15) * MM + 0.5
    tops = {line["text"]: line["top"] for line in _lines(page)}
    assert tops["BÁO CÁO"] < tops[demo_built.subject] < tops["Kính gửi: UBND huyện Bạch Thông"]


def test_rules_under_the_motto_and_the_subject_have_the_decree_lengths(page_one, demo_built) -> None:
    page = page_one
    lines = {line["text"]: line for line in _lines(page)}
    # A rule may be drawn both as a line and as a thin rectangle: each once.
    found = {(round(r["x0"], 1), round(r["x1"], 1), round(r["top"], 1)) for r in page.lines + page.rects}
    rules = sorted(rule for rule in found if rule[1] - rule[0] > 5 * MM)
    motto_line = next(line for text, line in lines.items() if text.endswith("Độc lập - Tự do - Hạnh phúc"))
    motto_x0 = next(w["x0"] for w in page.extract_words() if w["text"] == "Độc")
    motto_width = motto_line["x1"] - motto_x0
    under_motto = [
        r for r in rules if motto_line["bottom"] < r[2] < motto_line["bottom"] + 8 * MM and r[0] > 90 * MM
    ]
    assert under_motto and abs((under_motto[0][1] - under_motto[0][0]) - motto_width) < 1 * MM
    subject = lines[demo_built.subject]
    under_subject = [r for r in rules if subject["bottom"] < r[2] < subject["bottom"] + 8 * MM]
    assert len(under_subject) == 1
    rule = under_subject[0][1] - under_subject[0][0]
    line = subject["x1"] - subject["x0"]
    assert line / 3 <= rule <= line / 2
    assert abs(line - text_width_mm(demo_built.subject, 14) * MM) < 1 * MM  # the metrics are Times'


def _squashed(text: str) -> str:
    """``text`` without its spaces: how ``_page_ends`` gives a line, and how it is compared."""
    return "".join(text.split())


def _page_ends(pdf: Path) -> list[str]:
    """The lowest line of each page, its letters left to right without spaces (``_squashed``): the letters
    (PDFium's, for each its origin) whose baseline is within 3 pt of the page's lowest one.

    The same line as pdfplumber's last ``extract_text_lines`` (checked on every page of this file's PDFs),
    in a twentieth of the time: pdfplumber reads every object of a page (≈ 70 ms a page here)."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    ends = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            text = page.get_textpage()
            x, y = ctypes.c_double(), ctypes.c_double()
            letters = []
            for index in range(text.count_chars()):
                letter = chr(pdfium_c.FPDFText_GetUnicode(text.raw, index))
                if letter.isspace() or letter == "\0":  # spaces, written or inferred by PDFium
                    continue
                pdfium_c.FPDFText_GetCharOrigin(text.raw, index, x, y)
                letters.append((y.value, x.value, letter))
            lowest = min(baseline for baseline, _, _ in letters)
            line = sorted((left, letter) for baseline, left, letter in letters if baseline < lowest + 3)
            ends.append("".join(letter for _, letter in line))
    finally:
        document.close()
    return ends


def test_no_heading_or_group_row_ends_a_page_and_no_tag_is_printed(pdf: Path, demo_built) -> None:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "<i>" not in text and "</i>" not in text
    assert "chỉ thống kê đối với các TTHC trực tuyến" in " ".join(text.split())
    headings = {_squashed(p.text) for p in demo_built.paragraphs if p.kind != "body"}
    groups = {_squashed(f"{row.stt} {row.label}") for row in demo_built.rows if row.type == "group"}
    for number, last in enumerate(_page_ends(pdf), start=1):
        assert last not in headings, f"trang {number} kết thúc bằng đề mục “{last}”"
        assert not any(last.startswith(group) for group in groups), f"trang {number} kết thúc bằng “{last}”"


def test_the_pdf_prints_the_dates_with_the_decrees_zeros(pdf: Path, demo_built) -> None:
    """28 February: the month 2 takes its zero under the motto and in the appendix's "Kèm theo"."""
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode().split()
    )
    assert "Cẩm Giàng, ngày 28 tháng 02 năm 2024" in text
    assert "(Kèm theo Báo cáo số 15/BC-UBND ngày 28/02/2024 của UBND xã Cẩm Giàng)" in text


def _fonts(pdf: Path) -> list[str]:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True).stdout
    return [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]


def _overlaps(page) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Pairs of words printed over each other."""
    words = page.extract_words()
    return [
        (a["text"], b["text"])
        for index, a in enumerate(words)
        for b in words[index + 1 :]
        if a["x0"] < b["x1"] - 0.5
        and b["x0"] < a["x1"] - 0.5
        and a["top"] < b["bottom"] - 1
        and b["top"] < a["bottom"] - 1
    ]


def test_the_sheet_printed_by_libreoffice_has_no_overlapping_labels_and_one_typeface(
    printed: dict[str, Path],
) -> None:
    target = printed["phu-luc.pdf"]
    assert [font for font in _fonts(target) if not TIMES_METRIC.match(font)] == []
    with pdfplumber.open(target) as document:
        assert len(document.pages) >= 3
        for number, page in enumerate(document.pages, start=1):
            assert _overlaps(page) == [], f"trang {number}"
        text = " ".join(" ".join(page.extract_text().split()) for page in document.pages)
    # The long labels wrap inside their rows, italics included, and no tag is printed.
    assert "(sử dụng chữ ký số," in text and "môi trường điện tử)" in text
    assert "<i>" not in text
    # Counts with their share and ratios as the web shows them, with the decimal comma whatever the locale.
    assert "16 (88,9%)" in text and "18 (100%)" in text
    assert all(f" {ratio} " in f" {text} " for ratio in ("6,06", "90,4", "24,14", "100"))
    assert not any(ratio in text for ratio in ("6.06", "90.4", "24.14"))


def _edited_sheet(demo_built: BuiltReport) -> bytes:
    # The clerk types 17 over 16 (of 18): the printed sheet must not still read 88,9 %.
    exported = export_xlsx(demo_built)
    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook.active
    number = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 6).value == "5.1.3")
    sheet.cell(number, 4).value = 17
    # A count above a thousand, grouped the Vietnamese way.
    sheet.cell(
        next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 6).value == "3.1.4"), 4
    ).value = 1234
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_count_edited_in_the_sheet_shows_no_stale_share(printed: dict[str, Path]) -> None:
    target = printed["phu-luc-sua.pdf"]
    with pdfplumber.open(target) as document:
        text = " ".join(" ".join(page.extract_text().split()) for page in document.pages)
    assert "17 (88,9%)" not in text and "16 (88,9%)" not in text and "18 (100%)" in text
    assert " 1.234 " in f" {text} " and "1,234" not in text


def _tinted(target: Path) -> int:
    """Rectangles LibreOffice painted in the blank-input tint (#FFF8DC), over every page: filled paths of
    that colour whose every point is a corner of their bounds. (PDFium's page objects: the count pdfplumber's
    filled ``rects`` of that colour give on these PDFs, in a fiftieth of the time.)"""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    def rectangle(path: object) -> bool:
        points = []
        for index in range(pdfium_c.FPDFPath_CountSegments(path)):
            x, y = ctypes.c_float(), ctypes.c_float()
            pdfium_c.FPDFPathSegment_GetPoint(pdfium_c.FPDFPath_GetPathSegment(path, index), x, y)
            points.append((round(x.value, 2), round(y.value, 2)))
        xs, ys = {x for x, _ in points}, {y for _, y in points}
        return len(points) >= 4 and len(xs) == 2 and len(ys) == 2

    tinted = 0
    document = pypdfium2.PdfDocument(target)
    try:
        for page in document:
            for path in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
                fill, stroke = ctypes.c_int(), ctypes.c_int()
                red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
                tinted += bool(
                    pdfium_c.FPDFPath_GetDrawMode(path.raw, fill, stroke)
                    and fill.value
                    and pdfium_c.FPDFPageObj_GetFillColor(path.raw, red, green, blue, alpha)
                    and (red.value, green.value, blue.value) == (255, 248, 220)
                    and rectangle(path.raw)
                )
    finally:
        document.close()
    return tinted


def _sheets_for_the_tint(demo_built: BuiltReport) -> dict[str, bytes]:
    """The sheet with every input filled in (phu-luc-du), then with two of them blank again
    (phu-luc-thieu)."""
    workbook = load_workbook(io.BytesIO(export_xlsx(demo_built)))
    sheet = workbook.active
    inputs = [
        number
        for number in range(1, sheet.max_row + 1)
        if sheet.cell(number, 4).protection.locked is False and sheet.cell(number, 6).value
    ]
    assert len(inputs) > 50
    for number in inputs:
        if sheet.cell(number, 4).value in (None, ""):
            sheet.cell(number, 4).value = 0
    complete = io.BytesIO()
    workbook.save(complete)
    sheet.cell(inputs[0], 4).value = None
    sheet.cell(inputs[-1], 4).value = None
    blanks = io.BytesIO()
    workbook.save(blanks)
    return {"phu-luc-du.pdf": complete.getvalue(), "phu-luc-thieu.pdf": blanks.getvalue()}


def test_calc_tints_only_the_blank_inputs_so_a_complete_sheet_prints_plain(printed: dict[str, Path]) -> None:
    assert _tinted(printed["phu-luc-du.pdf"]) == 0
    # Two inputs left blank: Calc paints exactly those two (the rule is read, so the count above can fail).
    assert _tinted(printed["phu-luc-thieu.pdf"]) == 2


def _group_every_fifth_row(demo_built: BuiltReport) -> BuiltReport:
    import dataclasses

    template = next(row for row in demo_built.rows if row.type == "count")
    group = next(row for row in demo_built.rows if row.type == "group")
    rows = []
    for number in range(1, 61):
        rows.append(
            dataclasses.replace(group, code=f"G{number}", stt=f"G{number}", label=f"Nhóm chỉ tiêu {number}")
        )
        for sub in (1, 2, 3, 4):
            rows.append(
                dataclasses.replace(
                    template, code=f"R{number}.{sub}", stt=f"R{number}.{sub}", label="Số văn bản"
                )
            )
    return dataclasses.replace(demo_built, rows=tuple(rows), paragraphs=())


def test_an_appendix_group_row_never_ends_a_page(printed: dict[str, Path]) -> None:
    """A group every fifth row, so the pages end at every phase: without keep-with-next two pages of
    fourteen end on a group row (measured), with it none does."""
    ends = _page_ends(printed["nhom.pdf"])
    assert len(ends) >= 5
    assert [end for end in ends if end.startswith("G")] == []


def _forty_sections(demo_built: BuiltReport) -> BuiltReport:
    import dataclasses

    from baocao.documents.document import Paragraph

    sentence = "Ủy ban nhân dân xã tiếp tục triển khai thực hiện kế hoạch cải cách hành chính năm 2024. "
    paragraphs = []
    for number in range(1, 41):
        paragraphs.append(Paragraph("section", f"{number}. Cải cách chế độ công vụ {number}"))
        for length in range(1 + number % 5):
            paragraphs.append(Paragraph("body", sentence * (1 + (number + length) % 4)))
    return dataclasses.replace(demo_built, paragraphs=tuple(paragraphs), rows=demo_built.rows[:3])


def test_a_heading_never_ends_a_page(printed: dict[str, Path]) -> None:
    """Forty sections of one to five paragraphs of different lengths, so the pages end at every phase of a
    section: no page ends with a heading ("4. Cải cách chế độ công vụ" did before keep-with-next)."""
    ends = _page_ends(printed["de-muc.pdf"])
    assert len(ends) >= 6
    headings = tuple(_squashed(f"{n}. Cải cách") for n in range(1, 41))
    assert [end for end in ends if end.startswith(headings)] == []
