"""The same report built through python-docx's styled API, the baseline bench_documents compares with.

Everything goes through the documented API (styles added by name, paragraphs added with their style, the
appendix filled cell by cell): what a straightforward exporter would do.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Mm, Pt

from baocao.core.labels import segments
from baocao.documents.document import BuiltReport
from baocao.documents.docx_export import STYLES

KIND_STYLES = {"part": "BC Part", "section": "BC Section", "body": "BC Body"}


def styled_api_docx(report: BuiltReport) -> bytes:
    document = Document()
    for name, spec in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.font.name, style.font.size = "Times New Roman", Pt(spec.size)
        style.font.bold, style.font.italic = spec.bold, spec.italic
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(spec.before), Pt(spec.after), spec.keep
        fmt.alignment = spec.align
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    header = document.add_table(rows=2, cols=2)
    for line in report.agency_lines:
        header.cell(0, 0).add_paragraph(line, style="BC Agency")
    header.cell(0, 1).add_paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", style="BC Nation")
    header.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc", style="BC Motto")
    header.cell(1, 0).add_paragraph(report.number, style="BC Number")
    header.cell(1, 1).add_paragraph(report.place_date, style="BC Place Date")
    document.add_paragraph("BÁO CÁO", style="BC Title")
    document.add_paragraph(report.subject, style="BC Subject")
    document.add_paragraph(f"Kính gửi: {report.addressee}", style="BC Addressee")
    for paragraph in report.paragraphs:
        document.add_paragraph(paragraph.text, style=KIND_STYLES[paragraph.kind])
    signature = document.add_table(rows=1, cols=2)
    for line in ("Nơi nhận:", *report.recipients):
        signature.cell(0, 0).add_paragraph(line, style="BC Recipient")
    for line in (report.signer_authority, report.signer_title, report.signer_name):
        signature.cell(0, 1).add_paragraph(line, style="BC Signer")
    _appendix(document, report)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _appendix(document: object, report: BuiltReport) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for text, style in (
        (report.appendix_name, "BC Appendix Name"),
        (report.appendix_title, "BC Appendix Title"),
        (report.appendix_reference, "BC Appendix Reference"),
    ):
        document.add_paragraph(text, style=style)  # type: ignore[attr-defined]
    table = document.add_table(rows=2 + len(report.rows), cols=5)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for column, text in enumerate(("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú")):
        table.cell(0, column).paragraphs[0].style = "BC Cell Head"
        table.cell(0, column).paragraphs[0].add_run(text)
    for index, row in enumerate(report.rows, start=2):
        cells = table.rows[index].cells
        for column, text in ((0, row.stt), (2, row.unit), (3, row.display), (4, row.note)):
            paragraph = cells[column].paragraphs[0]
            paragraph.style = "BC Cell Center" if column != 3 else "BC Cell Number"
            paragraph.add_run(text).bold = row.bold
        label = cells[1].paragraphs[0]
        label.style = "BC Cell"
        for part in segments(row.label):
            run = label.add_run(part.text)
            run.bold, run.italic = row.bold, row.italic or part.italic
