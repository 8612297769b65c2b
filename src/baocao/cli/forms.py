"""Commands for report forms: list the stored versions, write one as a workbook, read a workbook back.

``baocao definition import`` checks a workbook and lists every problem with its sheet, row and column; only
a workbook without problems is stored (as a draft, or published with ``--publish``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from baocao.cli.documents import InputError, _console, _database, _writing

__all__ = ["definitions_command", "export_definition_command", "import_definition_command"]

EXIT_FINDINGS, EXIT_INPUT = 1, 2
MSG_WROTE = "Đã ghi {path} ({code} phiên bản {version}, {size} KB)."
MSG_PROBLEMS = "Không nhận biểu mẫu: {count} lỗi (chưa ghi gì vào cơ sở dữ liệu):"
MSG_DRAFT = "Biểu mẫu “{code}” không có lỗi; đã lưu bản nháp phiên bản {version}. Thêm --publish để ban hành."
MSG_PUBLISHED = (
    "Đã ban hành biểu mẫu “{code}” phiên bản {version} ({items} chỉ tiêu, {rules} quy tắc; {owner})."
)
MSG_NO_OWNER = "không có tỉnh mã “{code}”"
MSG_UNREADABLE = "không đọc được tệp {path}: {reason}"
STATUS_WORDS = {"draft": "bản nháp", "published": "đã ban hành"}


@click.command("definitions")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def definitions_command(output_format: str) -> None:
    """Liệt kê các biểu mẫu báo cáo và mọi phiên bản đã lưu."""
    _database()
    from baocao.forms.models import FormVersion

    rows = [
        {
            "code": form.code,
            "version": form.version,
            "level": form.level,
            "periods": form.periods,
            "title": form.title,
            "status": form.status,
            "owner": form.owner_name,
        }
        for form in FormVersion.objects.select_related("owner").order_by("code", "version")
    ]
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    console = _console()
    for row in rows:
        status = STATUS_WORDS[str(row["status"])]
        line = f"{row['code']}\tphiên bản {row['version']}\t{status}\t{row['owner']}\t{row['title']}"
        console.print(line, highlight=False)


@click.command("export")
@click.argument("code")
@click.option(
    "--version", "version", type=int, default=None, help="Phiên bản (mặc định: mới nhất đã ban hành)."
)
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="Tệp .xlsx sẽ ghi.")
def export_definition_command(code: str, version: int | None, out: Path) -> None:
    """Ghi biểu mẫu CODE thành bảng tính Excel (mỗi phần một trang tính)."""
    _database()
    from baocao.core.definition import DefinitionError
    from baocao.core.form_workbook import write_workbook
    from baocao.forms.registry import load_form

    try:
        definition = load_form(code, version)
    except DefinitionError as error:
        raise InputError(str(error)) from None
    data = write_workbook(definition.spec)
    try:
        out.write_bytes(data)
    except OSError as error:
        raise InputError(MSG_UNREADABLE.format(path=out, reason=error.strerror)) from None
    size = max(1, len(data) // 1024)
    click.echo(MSG_WROTE.format(path=out, code=definition.code, version=definition.version, size=size))


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--publish", is_flag=True, help="Ban hành ngay khi không có lỗi (mặc định: lưu bản nháp).")
@click.option(
    "--owner", "owner_code", default=None, metavar="MÃ_TỈNH", help="Tỉnh ban hành (mặc định: Bộ Nội vụ)."
)
def import_definition_command(path: Path, publish: bool, owner_code: str | None) -> None:
    """Đọc biểu mẫu từ bảng tính PATH: kiểm tra, liệt kê mọi lỗi, lưu hoặc ban hành."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(MSG_UNREADABLE.format(path=path, reason=error.strerror)) from None
    _database()
    from baocao.core.form_import import WorkbookError
    from baocao.forms.services import FormError, import_form

    owner = _owner(owner_code)
    try:
        form = _writing(
            lambda: import_form(data=data, owner=owner, user=None, source_name=path.name, publish=publish)
        )
    except WorkbookError as error:
        _print_problems([str(problem) for problem in error.problems])
        unreadable = all(not problem.sheet for problem in error.problems)
        raise SystemExit(EXIT_INPUT if unreadable else EXIT_FINDINGS) from None
    except FormError as error:
        raise InputError(str(error)) from None
    if not publish:
        click.echo(MSG_DRAFT.format(code=form.code, version=form.version))
        return
    spec = form.spec
    counts = {"items": len(spec["items"]), "rules": len(spec.get("rules", []))}
    click.echo(MSG_PUBLISHED.format(code=form.code, version=form.version, owner=form.owner_name, **counts))


def _print_problems(problems: list[str]) -> None:
    click.echo(MSG_PROBLEMS.format(count=len(problems)), err=True)
    for problem in problems:
        click.echo(f"- {problem}", err=True)


def _owner(code: str | None):  # type: ignore[no-untyped-def]
    if code is None:
        return None
    from baocao.units.models import OrgUnit

    owner = OrgUnit.objects.filter(code=code, level=OrgUnit.Level.PROVINCE).order_by("-valid_from").first()
    if owner is None:
        raise InputError(MSG_NO_OWNER.format(code=code))
    return owner
