"""The report as a Word document in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I), appendix included.

Every element has its own paragraph style, defined once in the document (Times New Roman, its size and
weight), so paragraphs only name a style. The appendix table is written as one XML fragment (``docx_table``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from baocao.documents.document import LANGUAGE, MSG_DRAFT, BuiltReport
from baocao.documents.docx_properties import properties
from baocao.documents.docx_table import table_xml, twips
from baocao.documents.metrics import text_width_mm

__all__ = ["STYLES", "export_docx"]

FONT = "Times New Roman"
LEFT, CENTER, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)
APPENDIX_WIDTHS_MM = (16, 132, 30, 32, 42)  # landscape: 252 mm of text width
PORTRAIT_WIDTHS_MM = (12, 82, 22, 24, 25)  # portrait: 165 mm
KIND_STYLES = {"part": "BC Part", "section": "BC Section", "body": "BC Body"}
TEXT_WIDTH_MM = 165  # A4 portrait, margins 30 and 15 mm
HEADER_WIDTHS_MM = (62, 103)  # the page-1 header table: agency | national title, within the text width
CELL_MARGIN_MM = 1.905  # Word's default left and right cell margin (108 twips)
NATION, MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
SHORT_RULE = 0.4  # the agency's and the subject's rules: between a third and a half of their line


@dataclass(frozen=True)
class StyleSpec:
    size: float
    bold: bool = False
    italic: bool = False
    align: WD_ALIGN_PARAGRAPH = CENTER
    first_line_mm: float = 0
    before: float = 0
    after: float = 0
    line: float = 1.0
    caps: bool = False
    keep: bool = False  # kept on the page of the paragraph after it (a heading never ends a page)


# The elements of the decree's layout: font size in points, weight, alignment, spacing.
STYLES: dict[str, StyleSpec] = {
    "BC Agency": StyleSpec(13, bold=True),
    "BC Nation": StyleSpec(12, bold=True),
    "BC Motto": StyleSpec(14, bold=True),
    "BC Number": StyleSpec(13, before=6),
    "BC Place Date": StyleSpec(14, italic=True, before=6),
    "BC Addressee": StyleSpec(14, before=6, after=6),
    "BC Title": StyleSpec(14, bold=True, before=18, keep=True),
    "BC Subject": StyleSpec(14, bold=True, keep=True),
    "BC Rule": StyleSpec(5, after=8),
    "BC Body": StyleSpec(14, align=JUSTIFY, first_line_mm=10, after=6, line=1.15),
    "BC Part": StyleSpec(
        14, bold=True, align=JUSTIFY, first_line_mm=10, before=6, after=6, line=1.15, keep=True
    ),
    "BC Section": StyleSpec(14, bold=True, align=JUSTIFY, first_line_mm=10, after=6, line=1.15, keep=True),
    "BC Recipients Head": StyleSpec(12, bold=True, italic=True, align=LEFT, before=12),
    "BC Recipient": StyleSpec(11, align=LEFT),
    "BC Signer": StyleSpec(14, bold=True, before=0),
    "BC Signer Name": StyleSpec(14, bold=True, before=60),
    "BC Appendix Name": StyleSpec(14, bold=True, keep=True),
    "BC Appendix Title": StyleSpec(14, bold=True, before=6, keep=True),
    "BC Appendix Reference": StyleSpec(14, italic=True, after=12, keep=True),
    "BC Cell": StyleSpec(12, align=LEFT, before=2, after=2),
    "BC Cell Center": StyleSpec(12, before=2, after=2),
    "BC Cell Number": StyleSpec(12, align=RIGHT, before=2, after=2),
    "BC Cell Head": StyleSpec(12, bold=True, before=2, after=2),
    "BC Page": StyleSpec(13),
    "BC Draft": StyleSpec(12, bold=True, align=RIGHT),
}


def export_docx(report: BuiltReport) -> bytes:
    document = Document()
    ids = _define_styles(document)
    properties(document, report)
    first = document.sections[0]
    _page(first, landscape=False)
    _headers(first, ids, report.draft)
    body = _Writer(document, ids)
    _header_block(body, report)
    body.add_many([(KIND_STYLES[paragraph.kind], paragraph.text) for paragraph in report.paragraphs])
    _signature_block(body, report)
    _appendix(document, body, report)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _Writer:
    """Appends paragraphs by style name; the style ids are looked up once."""

    def __init__(self, document: DocumentObject, ids: dict[str, str]) -> None:
        self.document = document
        self.ids = ids

    def add_many(self, paragraphs: list[tuple[str, str]]) -> None:
        """Many paragraphs as one parsed fragment: python-docx adds text character by character."""
        fragment = "".join(
            f'<w:p><w:pPr><w:pStyle w:val="{self.ids[style]}"/></w:pPr>'
            f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
            for style, text in paragraphs
        )
        end = self.document.element.body.sectPr
        for element in list(parse_xml(f"<w:body {nsdecls('w')}>{fragment}</w:body>")):
            end.addprevious(element)

    def add(self, style: str, text: str = "") -> DocxParagraph:
        # Styles are set by id: python-docx's lookup by name scans every style, for every paragraph.
        paragraph = self.document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().style = self.ids[style]
        return paragraph


def _define_styles(document: DocumentObject) -> dict[str, str]:
    """Every element's paragraph style, appended to styles.xml as one parsed fragment."""
    styles = document.styles.element
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    _all_fonts(normal.element.get_or_add_rPr().get_or_add_rFonts())
    ids = {name: name.replace(" ", "") for name in STYLES}
    fragment = "".join(_style_xml(ids[name], name, spec) for name, spec in STYLES.items())
    for element in list(parse_xml(f"<w:styles {nsdecls('w')}>{fragment}</w:styles>")):
        styles.append(element)
    return ids


JC = {LEFT: "left", CENTER: "center", RIGHT: "right", JUSTIFY: "both"}


def _style_xml(style_id: str, name: str, spec: StyleSpec) -> str:
    indent = f'<w:ind w:firstLine="{twips(spec.first_line_mm)}"/>' if spec.first_line_mm else ""
    weight = ("<w:b/><w:bCs/>" if spec.bold else "") + ("<w:i/><w:iCs/>" if spec.italic else "")
    size = round(spec.size * 2)
    fonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
    # Spacing is written in twentieths of a point, line spacing in 240ths of a line.
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        '<w:basedOn w:val="Normal"/><w:qFormat/>'
        f"<w:pPr>{'<w:keepNext/>' if spec.keep else ''}<w:widowControl/>"
        f'<w:spacing w:before="{round(spec.before * 20)}" '
        f'w:after="{round(spec.after * 20)}" w:line="{round(spec.line * 240)}" w:lineRule="auto"/>'
        f'{indent}<w:jc w:val="{JC[spec.align]}"/></w:pPr>'
        f'<w:rPr>{fonts}{weight}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
        f'<w:lang w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}"/></w:rPr></w:style>'
    )


def _all_fonts(fonts: object) -> None:
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)  # type: ignore[attr-defined]


def _page(section: Section, *, landscape: bool) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _headers(section: Section, ids: dict[str, str], draft: bool, *, restart: bool = False) -> None:
    """Page numbers centred in the top margin from the section's second page; "DỰ THẢO" on every page."""
    section.different_first_page_header_footer = True
    for header in (section.header, section.first_page_header):
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph._p.get_or_add_pPr().style = ids["BC Page"]
        if header is section.header:
            paragraph._p.append(
                parse_xml(
                    f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple>'
                )
            )
        if draft:
            mark = header.add_paragraph(MSG_DRAFT)
            mark._p.get_or_add_pPr().style = ids["BC Draft"]
            mark.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    if restart:
        # Word insists on the schema's element order inside sectPr: pgNumType comes before cols and titlePg.
        section._sectPr.insert_element_before(
            parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>'), *SECTPR_AFTER_PGNUMTYPE
        )


SECTPR_AFTER_PGNUMTYPE = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)
RULE_XML = f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'


def _rule(paragraph: DocxParagraph, ids: dict[str, str], indent_mm: float) -> None:
    """A short centred rule: an empty paragraph with a bottom border, narrowed by its indents."""
    properties = paragraph._p.get_or_add_pPr()
    properties.style = ids["BC Rule"]
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(indent_mm)
    properties.insert(1, parse_xml(RULE_XML))  # right after pStyle, before spacing and ind (schema order)


def _header_block(body: _Writer, report: BuiltReport) -> None:
    """Agency and number on the left, national title and place-date on the right; then the title, the
    subject and, below them, the Kính gửi (Phụ lục I, II.9.b)."""
    table = body.document.add_table(rows=2, cols=2)
    agency_mm, nation_mm = HEADER_WIDTHS_MM
    _fix_widths(table, (Mm(agency_mm), Mm(nation_mm)))
    agency, nation = table.rows[0].cells
    number, place = table.rows[1].cells
    _cell_lines(agency, body, [("BC Agency", line) for line in report.agency_lines])
    agency_line = max(text_width_mm(line, STYLES["BC Agency"].size) for line in report.agency_lines)
    _rule(agency.add_paragraph(), body.ids, _centred(agency_mm, SHORT_RULE * agency_line, in_cell=True))
    _cell_lines(nation, body, [("BC Nation", NATION), ("BC Motto", MOTTO)])
    # The rule under the motto is exactly as long as the motto.
    motto = text_width_mm(MOTTO, STYLES["BC Motto"].size)
    _rule(nation.add_paragraph(), body.ids, _centred(nation_mm, motto, in_cell=True))
    _cell_lines(number, body, [("BC Number", report.number)])
    _cell_lines(place, body, [("BC Place Date", report.place_date)])
    body.add("BC Title", report.heading)
    body.add("BC Subject", report.subject)
    subject = min(text_width_mm(report.subject, STYLES["BC Subject"].size), TEXT_WIDTH_MM)
    _rule(body.add("BC Rule"), body.ids, _centred(TEXT_WIDTH_MM, SHORT_RULE * subject))
    if report.addressee:
        body.add("BC Addressee", f"Kính gửi: {report.addressee}")


def _centred(width_mm: float, rule_mm: float, *, in_cell: bool = False) -> float:
    """The indent on each side that leaves a centred rule of ``rule_mm`` in ``width_mm``."""
    inner = width_mm - (2 * CELL_MARGIN_MM if in_cell else 0)
    return max((inner - rule_mm) / 2, 0)


def _fix_widths(table: object, widths: tuple[int, ...]) -> None:
    """Column widths LibreOffice honours too: the grid, every cell and a fixed layout."""
    table.autofit = False  # type: ignore[attr-defined]
    for column, width in zip(table.columns, widths, strict=True):  # type: ignore[attr-defined]
        column.width = width
        for cell in column.cells:
            cell.width = width
    table.alignment = 1  # type: ignore[attr-defined]  # centred


def _cell_lines(cell: object, body: _Writer, lines: list[tuple[str, str]]) -> None:
    paragraphs = cell.paragraphs  # type: ignore[attr-defined]
    for index, (style, text) in enumerate(lines):
        paragraph = paragraphs[0] if index == 0 else cell.add_paragraph()  # type: ignore[attr-defined]
        paragraph._p.get_or_add_pPr().style = body.ids[style]
        paragraph.add_run(text)


def _signature_block(body: _Writer, report: BuiltReport) -> None:
    table = body.document.add_table(rows=1, cols=2)
    _fix_widths(table, (Mm(85), Mm(80)))
    recipients, signer = table.rows[0].cells
    _cell_lines(
        recipients,
        body,
        [("BC Recipients Head", "Nơi nhận:"), *(("BC Recipient", line) for line in report.recipients)],
    )
    lines = [("BC Signer", report.signer_authority), ("BC Signer", report.signer_title)]
    _cell_lines(signer, body, [*lines, ("BC Signer Name", report.signer_name or " ")])
    signer.paragraphs[0].paragraph_format.space_before = Pt(12)


def _appendix(document: DocumentObject, body: _Writer, report: BuiltReport) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=report.appendix_landscape)
    _headers(section, body.ids, report.draft, restart=True)
    body.add("BC Appendix Name", report.appendix_name)
    body.add("BC Appendix Title", report.appendix_title)
    anchor = body.add("BC Appendix Reference", report.appendix_reference)
    widths = APPENDIX_WIDTHS_MM if report.appendix_landscape else PORTRAIT_WIDTHS_MM
    anchor._p.addnext(parse_xml(table_xml(report.rows, body.ids, widths)))
