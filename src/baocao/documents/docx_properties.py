"""What a Word document says about itself: title, dates, language, compatibility, the program that made it.

python-docx starts from its own template, which says "python-docx", was created in 2013, proofs the text as
US English, runs in Word 2010's compatibility mode and names "Microsoft Macintosh Word" as its application;
every one of those is replaced here by the report's own facts.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from baocao.documents.document import APP_XML, LANGUAGE, MSG_DRAFT, BuiltReport, naive_utc

__all__ = ["properties"]

COMPATIBILITY_MODE = "15"  # Word 2013 and later: no "[Compatibility Mode]" in the title bar


def properties(document: DocumentObject, report: BuiltReport) -> None:
    _core(document, report)
    _application(document)
    _language(document)
    _compatibility(document)


def _core(document: DocumentObject, report: BuiltReport) -> None:
    core = document.core_properties
    core.title = f"{report.heading.capitalize()} {report.subject}"
    core.subject = report.subject
    core.author = core.last_modified_by = report.agency_lines[-1].title()
    core.category = f"{report.definition_code} v{report.definition_version}"
    core.keywords = f"{report.definition_code}; {report.round_code}; {report.unit_code}"
    core.content_status = MSG_DRAFT.capitalize() if report.draft else "Đã gửi"
    core.comments = report.draft_note
    core.language = LANGUAGE
    core.created, core.modified = naive_utc(report.created), naive_utc(report.modified)
    core.revision = max(report.version, 1)


def _application(document: DocumentObject) -> None:
    """Our own docProps/app.xml, and no thumbnail of python-docx's template."""
    package = document.part.package
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = APP_XML.encode()
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)


def _language(document: DocumentObject) -> None:
    """Vietnamese for spelling and grammar: the defaults every style inherits, and the theme's fonts."""
    styles = document.styles.element
    for lang in styles.iter(qn("w:lang")):
        for attribute in ("w:val", "w:eastAsia"):
            lang.set(qn(attribute), LANGUAGE)
    settings = document.settings.element
    for theme_lang in settings.iter(qn("w:themeFontLang")):
        theme_lang.set(qn("w:val"), LANGUAGE)


def _compatibility(document: DocumentObject) -> None:
    for setting in document.settings.element.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), COMPATIBILITY_MODE)
