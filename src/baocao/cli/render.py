"""Terminal rendering of core results (rich tables), kept apart from the commands themselves."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from baocao.core.definition import Definition
from baocao.core.evaluate import Evaluation, Finding
from baocao.core.labels import segments

SEVERITY_TITLES = {"error": "Lỗi (chặn việc gửi báo cáo)", "warning": "Cảnh báo (cần giải trình)"}


def _stt(code: str, stt: str | None) -> str:
    if stt is not None:
        return stt
    return "" if code[-1].isalpha() or code.startswith("N.") else code


def _label(label: str, italic: bool) -> Text:
    text = Text()
    for segment in segments(label):
        text.append(segment.text, style="italic" if italic or segment.italic else "")
    return text


def appendix_table(evaluation: Evaluation, title: str, *, in_appendix: bool = True) -> Table:
    """The appendix as on paper (or, with ``in_appendix=False``, the figures stated only in the prose)."""
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("STT", no_wrap=True)
    table.add_column("Chỉ tiêu", ratio=1, min_width=40, overflow="fold")
    table.add_column("Đơn vị tính", no_wrap=True)
    table.add_column("Số liệu", justify="right", no_wrap=True)
    table.add_column("Mã", style="dim", no_wrap=True)
    flagged = {code for finding in evaluation.findings for code in finding.items}
    for row in evaluation.rows:
        item = row.item
        if item.in_appendix != in_appendix:
            continue
        stt = _stt(item.code, item.stt)
        style = "bold" if item.style.bold else ""
        label = Text("  " * item.style.indent) + _label(item.label, item.style.italic)
        value = Text(row.display, style="red" if item.code in flagged else "")
        table.add_row(stt, label, item.unit, value, "" if stt == item.code else item.code, style=style)
    return table


def print_findings(console: Console, findings: tuple[Finding, ...]) -> None:
    if not findings:
        console.print("Không phát hiện sai lệch nào.", style="green")
        return
    for severity in ("error", "warning"):
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        colour = "red" if severity == "error" else "yellow"
        console.print(f"\n{SEVERITY_TITLES[severity]}: {len(group)}", style=f"bold {colour}")
        for finding in group:
            line = Text("  • ") + Text(f"[{finding.rule}] ", style="dim") + Text(finding.message)
            console.print(line, highlight=False)


def definition_tree(definition: Definition) -> Table:
    spec = definition.spec
    table = Table(title=f"{spec.code} (phiên bản {spec.version}): {spec.title}")
    for column in ("Mã", "Chỉ tiêu", "Đơn vị tính", "Kiểu", "Công thức / quy tắc"):
        table.add_column(column)
    for item in definition.items:
        extra = item.formula or (f"tỷ lệ trên {item.share_of}" if item.share_of else "")
        where = "" if item.in_appendix else " (chỉ trong phần thuyết minh)"
        label = (
            Text("  " * item.style.indent) + _label(item.label, item.style.italic) + Text(where, style="dim")
        )
        table.add_row(item.code, label, item.unit, item.type, extra, style="bold" if item.style.bold else "")
    return table
