"""Commands for official documents: export a report (Word, Excel, PDF), a round's zip, import an Excel sheet.

Each command names the user it acts for (``--user``): the one access check decides what that user may see or
change, and the audit trail records their name.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from baocao.cli.database import setup_database

__all__ = ["export_command", "import_xlsx_command"]

if TYPE_CHECKING:
    from rich.console import Console

    from baocao.accounts.models import User
    from baocao.reports.models import Report
    from baocao.rounds.models import Round

# As in baocao.cli.main (not imported from there: main imports this module to register its commands).
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
MSG_INPUT = "Lỗi: {reason}"
MSG_DATABASE = "không ghi được vào cơ sở dữ liệu: {reason}"


class InputError(click.ClickException):
    """Input that cannot be read: a Vietnamese message and exit code 2, never a traceback."""

    exit_code = EXIT_INPUT

    def show(self, file: object = None) -> None:
        click.echo(MSG_INPUT.format(reason=self.message), err=True)


def _database() -> None:
    _writing(setup_database)


def _writing(work: Callable[[], T]) -> T:
    from django.db import Error

    try:
        return work()
    except Error as error:
        raise InputError(MSG_DATABASE.format(reason=error)) from None


def _console() -> Console:
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=140)


T = TypeVar("T")

MSG_NO_USER = "không có tài khoản “{username}”"
MSG_NO_ROUND = "không có kỳ báo cáo mã “{code}”"
MSG_NO_UNIT = "đơn vị mã “{unit}” không thuộc kỳ “{round}”"
MSG_NOT_STARTED = "{unit} chưa bắt đầu báo cáo kỳ “{round}”"
MSG_DENIED = "tài khoản “{username}” không được {what} báo cáo của {unit}"
MSG_UNIT_OR_ALL = "cần --unit MÃ (một báo cáo) hoặc --all (cả kỳ, tệp .zip)"
MSG_NO_REPORTS = "tài khoản “{username}” không xem được báo cáo nào của kỳ “{round}”"
MSG_WROTE = "Đã ghi {path} ({size} KB)."
MSG_PREVIEW = "{count} ô sẽ thay đổi (chưa ghi; thêm --apply để ghi):"
MSG_APPLIED = "Đã nhập {count} ô vào báo cáo {unit}, kỳ {round} (người nhập: {user})."
MSG_NOTHING = "Tệp không có số liệu nào khác với báo cáo; không có gì thay đổi."
MSG_AFTER = "Sau khi nhập: {errors} lỗi, {warnings} cảnh báo."
MSG_REFUSED = "Không nhập: {reason}"
MSG_CELLS = "Không đọc được {count} ô:"
MSG_SERVER_KEPT = "  {code}: đã sửa trên hệ thống sau khi tải tệp ({downloaded} → {now}); giữ {now}."
MSG_SERVER_CONFLICT = (
    "  {code}: cả hệ thống ({now}) và tệp ({sheet}) cùng sửa sau khi tải tệp ({downloaded}); giữ {now}, "
    "không nhập {sheet}."
)


def _user(username: str) -> User:
    from baocao.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InputError(MSG_NO_USER.format(username=username))
    return user


def _round(code: str) -> Round:
    from baocao.rounds.models import Round

    round_ = Round.objects.filter(code=code).first()
    if round_ is None:
        raise InputError(MSG_NO_ROUND.format(code=code))
    return round_


def _report(user: User, round_code: str, unit_code: str, *, edit: bool) -> Report:
    from baocao.access import Action, can, locate

    _round(round_code)
    target = locate(round_code, unit_code)
    if target is None:
        raise InputError(MSG_NO_UNIT.format(unit=unit_code, round=round_code))
    unit, report = target.unit, target.report
    action = Action.EDIT if edit else Action.VIEW
    if not can(user, action, target):
        what = "sửa" if edit else "xem"
        click.echo(
            f"Lỗi: {MSG_DENIED.format(username=user.username, what=what, unit=unit.full_name)}", err=True
        )
        sys.exit(EXIT_FINDINGS)
    if report is None:
        click.echo(f"Lỗi: {MSG_NOT_STARTED.format(unit=unit.full_name, round=round_code)}", err=True)
        sys.exit(EXIT_FINDINGS)
    return report


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise InputError(f"không ghi được {path}: {error.strerror}") from None
    click.echo(MSG_WROTE.format(path=path, size=max(1, len(data) // 1024)))


@click.command("export")
@click.option("--round", "round_code", required=True, metavar="MÃ", help="Mã kỳ báo cáo, ví dụ cchc-2024-q1.")
@click.option("--unit", "unit_code", metavar="MÃ", help="Mã đơn vị (xã) của báo cáo.")
@click.option(
    "--all", "whole_round", is_flag=True, help="Mọi báo cáo của kỳ mà tài khoản xem được, thành một tệp .zip."
)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["docx", "xlsx", "pdf"]),
    default="docx",
    show_default=True,
    help="Word (cả văn bản), Excel (phụ lục) hoặc PDF.",
)
@click.option(
    "--out", "out", type=click.Path(path_type=Path), help="Tệp ghi ra (mặc định: tên theo mã và tên đơn vị)."
)
@click.option(
    "--user", "username", required=True, metavar="TÊN", help="Tài khoản thực hiện (quyền xem được kiểm tra)."
)
def export_command(
    round_code: str,
    unit_code: str | None,
    whole_round: bool,
    format_name: str,
    out: Path | None,
    username: str,
) -> None:
    """Xuất báo cáo thành văn bản Word, phụ lục Excel hoặc PDF; --all: cả kỳ thành một tệp .zip."""
    if bool(unit_code) == whole_round:
        raise InputError(MSG_UNIT_OR_ALL)
    _database()
    from baocao.documents.builder import build_report
    from baocao.documents.exporters import export
    from baocao.documents.pdf_export import PdfUnavailable

    user = _user(username)
    if whole_round:
        _export_round(user, _round(round_code), out)
        return
    assert unit_code is not None
    report = _report(user, round_code, unit_code, edit=False)
    if format_name == "pdf" and (official := _signed_pdf(report)) is not None:
        _write(out or Path(official[0]), official[1])
        return
    try:
        name, data = export(build_report(report), format_name)
    except PdfUnavailable as error:
        raise InputError(str(error)) from None
    _write(out or Path(name), data)


def _signed_pdf(report: Report) -> tuple[str, bytes] | None:
    """Hook (baocao.signing): a sent report's PDF is its signed official copy ("bản chính")."""
    from baocao.signing.services import official_pdf

    return official_pdf(report)


def _export_round(user: User, round_: Round, out: Path | None) -> None:
    from baocao.documents.builder import slug
    from baocao.documents.bundle import round_reports, round_units, round_zip

    reports = round_reports(user, round_)
    if not reports:
        click.echo(f"Lỗi: {MSG_NO_REPORTS.format(username=user.username, round=round_.code)}", err=True)
        sys.exit(EXIT_FINDINGS)
    _write(out or Path(f"{slug(round_.code)}.zip"), round_zip(reports, units=round_units(user, round_)))


@click.command("import-xlsx")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--round", "round_code", required=True, metavar="MÃ", help="Mã kỳ báo cáo.")
@click.option("--unit", "unit_code", required=True, metavar="MÃ", help="Mã đơn vị của báo cáo.")
@click.option("--apply", "apply", is_flag=True, help="Ghi vào báo cáo (mặc định chỉ xem trước).")
@click.option(
    "--user", "username", required=True, metavar="TÊN", help="Tài khoản nhập (quyền sửa được kiểm tra)."
)
def import_xlsx_command(file: Path, round_code: str, unit_code: str, apply: bool, username: str) -> None:
    """Đọc phụ lục Excel đã điền: xem trước từng ô thay đổi và các lỗi; --apply để ghi (một lần, có nhật ký).

    Mã thoát: 0 được, 1 có ô không đọc được hoặc tệp bị từ chối, 2 không mở được tệp.
    """
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(f"không đọc được {file}: {error.strerror}") from None
    _database()
    from baocao.documents.xlsx_import import SheetRefused, SheetUnreadable, xlsx_apply, xlsx_preview

    user = _user(username)
    report = _report(user, round_code, unit_code, edit=True)
    try:
        result = xlsx_preview(report, data)
        if apply and not result.problems:
            result = _writing(
                lambda: xlsx_apply(report=report, user=user, data=data, origin=f"Excel: {file.name}")
            )
    except SheetUnreadable as error:
        raise InputError(str(error)) from None
    except SheetRefused as error:
        click.echo(MSG_REFUSED.format(reason=error), err=True)
        sys.exit(EXIT_FINDINGS)
    _show_import(result, report, user, applied=apply and not result.problems)


def _show_import(result: object, report: Report, user: User, *, applied: bool) -> None:
    """Every changed cell and every finding, then what was kept or not imported, then the unreadable cells
    (exit code 1): one unreadable cell hides nothing else."""
    preview = result.preview  # type: ignore[attr-defined]
    problems: list[str] = result.problems  # type: ignore[attr-defined]
    console = _console()
    changes = preview.changes
    if not changes:
        console.print(MSG_NOTHING, highlight=False)
    elif applied:
        console.print(
            MSG_APPLIED.format(
                count=len(changes), unit=report.unit.full_name, round=report.round.code, user=user.username
            ),
            highlight=False,
        )
    else:
        console.print(MSG_PREVIEW.format(count=len(changes)), highlight=False)
    if changes:
        _show_changes(console, preview)
    _show_kept(console, result)
    if problems:
        click.echo(MSG_CELLS.format(count=len(problems)), err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(EXIT_FINDINGS)


def _show_changes(console: Console, preview: object) -> None:
    from rich.table import Table

    table = Table()
    for title in ("Mã", "Hiện tại", "Trong tệp"):
        table.add_column(title)
    for change in preview.changes:  # type: ignore[attr-defined]
        table.add_row(change.code, change.old or "(trống)", change.new or "(trống)")
    console.print(table)
    evaluation = preview.evaluation  # type: ignore[attr-defined]
    console.print(
        MSG_AFTER.format(errors=len(evaluation.errors), warnings=len(evaluation.warnings)), highlight=False
    )
    for finding in evaluation.findings:
        console.print(
            f"  [{'LỖI' if finding.severity == 'error' else 'cảnh báo'}] {finding.message}",
            highlight=False,
            markup=False,
        )


def _show_kept(console: Console, result: object) -> None:
    """Cells changed on the server since the download (kept) and computed cells typed over (ignored)."""
    for change in result.server_changes:  # type: ignore[attr-defined]
        template = MSG_SERVER_CONFLICT if change.conflict else MSG_SERVER_KEPT
        console.print(template.format(**vars(change)), highlight=False, markup=False)
    for notice in result.notices:  # type: ignore[attr-defined]
        console.print(f"  {notice}", highlight=False, markup=False)
