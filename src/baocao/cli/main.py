"""Entry point of the ``baocao`` command."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from baocao.cli import analysis, documents, forms, jobs, rounds, tokens, web
from baocao.cli.check import check_command
from baocao.cli.database import setup_database
from baocao.cli.signing import signing_group, verify_command
from baocao.config.env import EnvError

# Every `baocao` process (each command, the server, its background workers) starts here: what a command needs
# beyond click (rich, the core's definitions and evaluation, Django) is imported inside it, so that
# `baocao --help` or `baocao worker` does not pay for the others (tests/architecture/test_start_up.py).
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from baocao.core.definition import Definition
    from baocao.core.evaluate import Raw

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
T = TypeVar("T")

MSG_USAGE = "Lệnh không hợp lệ: {reason}\nXem hướng dẫn: baocao --help"
MSG_INPUT = "Lỗi: {reason}"

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


class InputError(click.ClickException):
    """Input that cannot be read: a Vietnamese message and exit code 2, never a traceback."""

    exit_code = EXIT_INPUT

    def show(self, file: object = None) -> None:
        click.echo(MSG_INPUT.format(reason=self.message), err=True)


@click.group(context_settings=CONTEXT_SETTINGS)
def cli() -> None:
    """baocao: báo cáo định kỳ công tác cải cách hành chính (CCHC)."""


@cli.group("definition")
def definition_group() -> None:
    """Biểu mẫu báo cáo: xem, ghi ra bảng tính, đọc từ bảng tính."""


@definition_group.command("show")
@click.argument("code")
def definition_show(code: str) -> None:
    """In cây chỉ tiêu của biểu mẫu CODE."""
    from baocao.cli import render

    definition = _definition(code)
    _console().print(render.definition_tree(definition))


@cli.command("evaluate")
@click.argument("values_file", type=click.Path(path_type=Path), required=False)
@click.option(
    "--demo",
    "use_demo",
    is_flag=True,
    help="Dùng số liệu mẫu: xã Cẩm Giàng, quý I năm 2024 (như báo cáo gốc).",
)
@click.option(
    "--definition", "definition_code", default="cchc-xa-quy", show_default=True, help="Mã biểu mẫu."
)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def evaluate_command(
    values_file: Path | None, use_demo: bool, definition_code: str, output_format: str
) -> None:
    """Tính toán và kiểm tra một tệp số liệu (JSON hoặc YAML: mã chỉ tiêu → giá trị), hoặc số liệu mẫu."""
    from baocao.core.values import DEMO_VALUES, ValuesFileError, load_demo_values, load_values_file

    if use_demo and values_file is not None:
        raise InputError(MSG_TWO_SOURCES)
    if use_demo:
        # The seed's own figures, errors included: showing them is the point, so they do not fail the command.
        values = load_demo_values(DEMO_VALUES)
        _show_evaluation(definition_code, values, output_format, title=DEMO_TITLE, exit_on_errors=False)
        return
    if values_file is None:
        raise InputError(MSG_NO_SOURCE)
    try:
        values = load_values_file(values_file)
    except ValuesFileError as error:
        raise InputError(str(error)) from None
    _show_evaluation(definition_code, values, output_format, title=f"{values_file}")


# ---------------------------------------------------------------------------------------------- demo, units
# These two commands need the database: Django is set up inside them, so the core's commands stay light.

MSG_TWO_SOURCES = "chỉ dùng một nguồn số liệu: tệp VALUES_FILE hoặc --demo, không dùng cả hai"
MSG_NO_SOURCE = "thiếu số liệu: baocao evaluate TỆP_SỐ_LIỆU, hoặc baocao evaluate --demo cho số liệu mẫu"
MSG_DATABASE = "không ghi được vào cơ sở dữ liệu: {reason}"
DEMO_TITLE = "Phụ lục I: UBND xã Cẩm Giàng, quý I năm 2024 (số liệu như báo cáo gốc, tỷ lệ tính lại)"
DEMO_URL = "http://127.0.0.1:8000"


@cli.command("demo")
def demo_command() -> None:
    """Nạp dữ liệu mẫu vào cơ sở dữ liệu: huyện Bạch Thông, 14 xã, kỳ báo cáo quý này và quý trước, các tài
    khoản."""
    _database()
    from rich.table import Table

    from baocao.demo import load_demo

    console = _console()
    with _progress(console) as bar:
        task = bar.add_task("Dữ liệu mẫu", total=None)

        def advance(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        summary = _writing(lambda: load_demo(progress=advance))
    table = Table(title="Tài khoản dùng thử", title_justify="left")
    for title in ("Tên đăng nhập", "Mật khẩu", "Vai trò", "Đơn vị"):
        table.add_column(title)
    for account in summary.accounts:
        table.add_row(account.username, summary.password, account.role, account.unit)
    console.print(table)
    console.print(
        f"Kỳ báo cáo {summary.period}: {summary.reports} trong {summary.communes} xã đã có báo cáo.\n"
        f"Chạy [bold]baocao serve[/bold] rồi mở {DEMO_URL} và đăng nhập bằng một tài khoản ở trên.",
        highlight=False,
    )


@cli.group("units")
def units_group() -> None:
    """Đơn vị hành chính."""


@units_group.command("load")
@click.option("--province", "provinces", multiple=True, metavar="MÃ", help="Chỉ nạp tỉnh này (mã 2 chữ số).")
@click.option("--district", "districts", multiple=True, metavar="MÃ", help="Chỉ nạp huyện này (mã 3 chữ số).")
@click.option(
    "--list",
    "which",
    type=click.Choice(["2025-03-01", "2025-07-01"]),
    default="2025-03-01",
    show_default=True,
    help="Danh sách trước (2025-03-01) hoặc sau sắp xếp (2025-07-01: 34 tỉnh, 3.321 xã, kèm sáp nhập).",
)
def units_load(provinces: tuple[str, ...], districts: tuple[str, ...], which: str) -> None:
    """Nạp các đơn vị hành chính ngày 01/03/2025 (63 tỉnh, 696 huyện, 10.047 xã; mọi tỉnh nếu không lọc).

    Các đơn vị này hết hiệu lực từ 01/07/2025. Nạp lại nhiều lần không tạo đơn vị trùng. Với --list
    2025-07-01: các đơn vị có hiệu lực từ 01/07/2025 và quan hệ sáp nhập từ các đơn vị cũ đã nạp.
    """
    _database()
    if which == "2025-07-01":
        from baocao.cli.analysis import load_new_units

        load_new_units(set(provinces) or None)
        return
    from baocao.core.numbers import format_count
    from baocao.units.dvhc import UnitFilterError, load_units_2025_03, select_units_2025_03

    filters = {"province_codes": set(provinces) or None, "district_codes": set(districts) or None}
    try:
        total = len(select_units_2025_03(**filters))
    except UnitFilterError as error:
        raise InputError(str(error)) from None
    console = _console()
    with _progress(console) as bar:
        task = bar.add_task("Đơn vị hành chính", total=total)
        count = _writing(lambda: load_units_2025_03(**filters, progress=lambda n: bar.advance(task, n)))
    console.print(f"Đã nạp {format_count(count)} đơn vị hành chính (hết hiệu lực từ 01/07/2025).")


def _database() -> None:
    """Start Django and bring the configured database's tables up to date."""
    _writing(setup_database)


def _writing(work: Callable[[], T]) -> T:
    from django.db import Error

    try:
        return work()
    except Error as error:
        raise InputError(MSG_DATABASE.format(reason=error)) from None


def _progress(console: Console) -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def _console() -> Console:
    from rich.console import Console

    # Piped output (a file, a CI log) would otherwise be cut at 80 columns, too narrow for the appendix.
    console = Console()
    return console if console.is_terminal else Console(width=140)


def _definition(code: str) -> Definition:
    """A shipped form or a file by path, without the database; else a form stored in it (written by a
    province), in its latest published version."""
    from baocao.core.definition import DefinitionError, available_definitions, load_definition

    try:
        return load_definition(code)
    except DefinitionError as error:
        if code in available_definitions() or Path(code).suffix in (".yaml", ".yml"):
            raise InputError(str(error)) from None
    _database()
    from baocao.forms.registry import load_form

    try:
        return load_form(code)
    except DefinitionError as error:
        raise InputError(str(error)) from None


def _show_evaluation(
    definition_code: str,
    values: dict[str, Raw],
    output_format: str,
    *,
    title: str,
    exit_on_errors: bool = True,
) -> None:
    from baocao.cli import render
    from baocao.core.evaluate import evaluate
    from baocao.core.serialize import evaluation_dict

    definition = _definition(definition_code)
    evaluation = evaluate(definition, values)
    if output_format == "json":
        click.echo(json.dumps(evaluation_dict(evaluation), ensure_ascii=False, indent=2))
    else:
        console = _console()
        console.print(render.appendix_table(evaluation, title))
        narrative_title = "Số liệu nêu trong phần thuyết minh (không có trong Phụ lục)"
        console.print(render.appendix_table(evaluation, narrative_title, in_appendix=False))
        render.print_findings(console, evaluation.findings)
    if exit_on_errors and evaluation.errors:
        sys.exit(EXIT_FINDINGS)


cli.add_command(web.serve_command)
cli.add_command(web.manage_command)
cli.add_command(web.worker_command)
cli.add_command(jobs.jobs_group)
cli.add_command(analysis.rollup_command)
cli.add_command(analysis.remind_command)
cli.add_command(documents.export_command)
cli.add_command(documents.import_xlsx_command)
cli.add_command(check_command)
cli.add_command(forms.definitions_command)
definition_group.add_command(forms.export_definition_command)
definition_group.add_command(forms.import_definition_command)
cli.add_command(verify_command)
cli.add_command(signing_group)
cli.add_command(tokens.token_group)
cli.add_command(rounds.round_group)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Đã hủy.", err=True)
        sys.exit(EXIT_INPUT)
    except click.UsageError as error:
        click.echo(MSG_USAGE.format(reason=error.format_message()), err=True)
        sys.exit(EXIT_INPUT)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except EnvError as error:  # a setting with a wrong value, met when Django starts
        click.echo(MSG_INPUT.format(reason=error), err=True)
        sys.exit(EXIT_INPUT)
