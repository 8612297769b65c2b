"""Entry point of the ``baocao`` command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from baocao.cli import render
from baocao.core.definition import DefinitionError, available_definitions, load_definition
from baocao.core.evaluate import Raw, evaluate
from baocao.core.serialize import evaluation_dict
from baocao.core.values import DEMO_VALUES, ValuesFileError, load_demo_values, load_values_file

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

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


@cli.command("definitions")
def definitions_command() -> None:
    """Liệt kê các biểu mẫu báo cáo có sẵn."""
    console = _console()
    for code in available_definitions():
        definition = _definition(code)
        console.print(f"{code}\tphiên bản {definition.version}\t{definition.spec.title}", highlight=False)


@cli.group("definition")
def definition_group() -> None:
    """Xem một biểu mẫu báo cáo."""


@definition_group.command("show")
@click.argument("code")
def definition_show(code: str) -> None:
    """In cây chỉ tiêu của biểu mẫu CODE."""
    definition = _definition(code)
    _console().print(render.definition_tree(definition))


@cli.command("evaluate")
@click.argument("values_file", type=click.Path(path_type=Path))
@click.option(
    "--definition", "definition_code", default="cchc-xa-quy", show_default=True, help="Mã biểu mẫu."
)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def evaluate_command(values_file: Path, definition_code: str, output_format: str) -> None:
    """Tính toán và kiểm tra một tệp số liệu (JSON hoặc YAML: mã chỉ tiêu → giá trị)."""
    try:
        values = load_values_file(values_file)
    except ValuesFileError as error:
        raise InputError(str(error)) from None
    _show_evaluation(definition_code, values, output_format, title=f"{values_file}")


@cli.command("demo")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def demo_command(output_format: str) -> None:
    """In báo cáo mẫu: xã Cẩm Giàng, quý I năm 2024, đã tính toán và kiểm tra."""
    title = "Phụ lục I: UBND xã Cẩm Giàng, quý I năm 2024 (số liệu như báo cáo gốc, tỷ lệ tính lại)"
    _show_evaluation(
        "cchc-xa-quy", load_demo_values(DEMO_VALUES), output_format, title=title, exit_on_errors=False
    )


def _console() -> Console:
    # Piped output (a file, a CI log) would otherwise be cut at 80 columns, too narrow for the appendix.
    console = Console()
    return console if console.is_terminal else Console(width=140)


def _definition(code: str):  # type: ignore[no-untyped-def]
    try:
        return load_definition(code)
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
