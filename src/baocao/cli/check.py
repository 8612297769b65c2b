"""``baocao check``: read old reports (text, Word, Excel, PDF), map their appendix, report every conflict."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from baocao.legacy.read import SUPPORTED_SUFFIXES
from baocao.legacy.verdict import EXIT_CODES

# The checker, its forms and rich are imported when the command runs, not when `baocao` starts (main.py).
if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from rich.console import Console

    from baocao.legacy.catalogue import FormRef

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_UNCHECKED = (
    EXIT_CODES[s] for s in ("clean", "errors", "unreadable", "unchecked")
)

MSG_ERROR = "Lỗi: {reason}"
MSG_NO_FILES = "thư mục “{path}” không có tệp báo cáo nào ({kinds})"
MSG_WORKER = "tiến trình đọc tệp bị dừng đột ngột (vượt giới hạn bộ nhớ hoặc tệp hỏng)"
MSG_MISSING = "không tìm thấy tệp hoặc thư mục “{path}”"
SEVERITY_TITLES = {"error": "LỖI", "warning": "CẢNH BÁO"}
VERDICT_TITLES = {"clean": "Không có lỗi", "errors": "Có lỗi", "unchecked": "Không kiểm tra được"}
SOURCE_NAMES = {"table": "phụ lục", "narrative": "phần lời", "both": "phần lời và phụ lục"}
_BATCH = 8


@click.command("check")
@click.argument("target", type=click.Path(path_type=Path))
@click.option(
    "--definition",
    "definition_code",
    default=None,
    help=(
        "Mã biểu mẫu (cả biểu mẫu chỉ ban hành trên hệ thống). "
        "Mặc định: chọn theo tiêu đề và các dòng phụ lục."
    ),
)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def check_command(target: Path, definition_code: str | None, output_format: str) -> None:
    """Kiểm tra báo cáo cũ (TARGET: tệp .txt, .docx, .xlsx, .pdf hoặc một thư mục các tệp đó).

    Mã thoát: 0 đã kiểm tra, không có lỗi; 1 có lỗi; 2 không đọc được tệp; 3 không kiểm tra được
    (không có số liệu nào đối chiếu được). Với một thư mục: mã của tệp nặng nhất theo thứ tự 2, 1, 3, 0.
    """
    from baocao.legacy.catalogue import form_refs

    refs = form_refs()
    if definition_code:
        _forced_form(definition_code, refs)
    if target.is_dir():
        raise SystemExit(_check_directory(target, definition_code, refs, output_format))
    if not target.exists():
        _fail(MSG_MISSING.format(path=target))
    with _executor(1) as pool:
        future = pool.submit(_check_batch, [target], definition_code, refs)
        data = _collect([target], future, definition_code)[0]
    if "error" in data:
        _fail(data["error"])
    if target.suffix.lower() == ".pdf":
        data["signatures"] = _signatures(target)
    if output_format == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_result(_console(), data)
    raise SystemExit(data["verdict"]["exit_code"])


def _forced_form(code: str, refs: tuple[FormRef, ...]) -> None:
    """Refuse an unknown form before any file is read (a packaged code, a published one, or a YAML file)."""
    from baocao.core.definition import DefinitionError, load_definition
    from baocao.legacy.catalogue import find_ref, resolve

    try:
        if any(ref.code == code for ref in refs):
            resolve((find_ref(code, refs),))
        else:
            load_definition(code)
    except DefinitionError as error:
        _fail(str(error))


def _signatures(path: Path) -> dict[str, Any] | None:
    """Hook (baocao.signing): the digital signatures of a PDF, checked against the configured trust roots."""
    from baocao.django_setup import setup

    setup()
    from baocao.signing.services import verify_upload

    verification = verify_upload(path.read_bytes())
    return verification.as_dict() if verification is not None else None


def _fail(reason: str) -> None:
    click.echo(MSG_ERROR.format(reason=reason), err=True)
    raise SystemExit(EXIT_INPUT)


def _console() -> Console:
    from rich.console import Console

    console = Console(highlight=False)
    return console if console.is_terminal else Console(width=140, highlight=False)


def _print_result(console: Console, data: dict[str, Any]) -> None:
    from rich.markup import escape

    findings = data["findings"]
    console.print(
        f"[bold]{escape(data['file'])}[/bold]: {escape(data['form'] or data['definition'])}; "
        f"đọc {data['rows_read']} dòng phụ lục, {len(data['rows_unmapped'])} dòng không khớp biểu mẫu"
    )
    for severity in ("error", "warning"):
        group = [f for f in findings if f["severity"] == severity]
        if not group:
            continue
        console.print(f"\n[bold]{SEVERITY_TITLES[severity]} ({len(group)})[/bold]")
        for finding in group:
            console.print(f"• {escape(finding['message'])} [dim]({finding['rule']})[/dim]")
            console.print(
                f"    Ghi trong báo cáo: {escape(finding['found'])}; đối chiếu: {escape(finding['expected'])}"
                f" ({SOURCE_NAMES[finding['source']]})"
            )
            if finding["excerpt"]:
                console.print(f"    Trích: {escape(finding['excerpt'])}")
    if data["rows_unmapped"]:
        console.print(f"\n[bold]DÒNG PHỤ LỤC KHÔNG KHỚP BIỂU MẪU ({len(data['rows_unmapped'])})[/bold]")
        for row in data["rows_unmapped"]:
            written = f"{row['stt']} {row['label']}: {row['value']}".strip()
            console.print(f"• {escape(row['where'])}: {escape(written)}")
    console.print(f"\n[bold]KẾT LUẬN:[/bold] {escape(data['verdict']['text'])}")
    _print_signatures(console, data.get("signatures"))


def _print_signatures(console: Console, signatures: dict[str, Any] | None) -> None:
    from rich.markup import escape

    if signatures is None:
        return
    console.print(f"\n[bold]CHỮ KÝ SỐ ({len(signatures['signatures'])})[/bold]")
    for check in signatures["signatures"]:
        who = f"{escape(check['signer'])} ({escape(check['agency'])})"
        console.print(f"• {who}, {check['signed_at']}: {check['label']}")
    if not signatures["signatures"]:
        console.print("Tệp không có chữ ký số.")


def _files(directory: Path) -> list[Path]:
    return sorted(
        path for path in directory.rglob("*") if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES
    )


def check_one(
    path: Path, definition_code: str | None, refs: tuple[FormRef, ...] | None = None
) -> dict[str, Any]:
    """One file, as a plain dict (crosses the process boundary), read within the time limit."""
    from baocao.legacy.check import check_file
    from baocao.legacy.limits import time_limit
    from baocao.legacy.model import ReadError

    try:
        with time_limit(path.name):
            return check_file(path, definition_code, refs).as_dict()
    except ReadError as error:
        return {"file": str(path), "definition": definition_code or "", "error": str(error)}


def _executor(workers: int) -> ProcessPoolExecutor:
    """Worker processes with the memory limit; the command's own process reads no file."""
    from concurrent.futures import ProcessPoolExecutor

    import baocao.legacy.check  # noqa: F401 (imported once, before the workers fork: they inherit it)
    from baocao.legacy.limits import apply_memory_limit

    return ProcessPoolExecutor(max_workers=workers, initializer=apply_memory_limit)


def _collect(
    batch: list[Path], future: Future[list[dict[str, Any]]], definition_code: str | None
) -> list[dict[str, Any]]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        return [
            {"file": str(path), "definition": definition_code or "", "error": MSG_WORKER} for path in batch
        ]


def _check_batch(
    paths: list[Path], definition_code: str | None, refs: tuple[FormRef, ...] | None = None
) -> list[dict[str, Any]]:
    return [check_one(path, definition_code, refs) for path in paths]


def _batches(paths: list[Path]) -> Iterator[list[Path]]:
    for start in range(0, len(paths), _BATCH):
        yield paths[start : start + _BATCH]


def check_directory_results(
    directory: Path,
    definition_code: str | None,
    progress: Any = None,
    refs: tuple[FormRef, ...] | None = None,
) -> list[dict[str, Any]]:
    """Check every report file under ``directory`` with one process per core."""
    paths = _files(directory)
    results: list[dict[str, Any]] = []
    workers = max(1, min(os.cpu_count() or 1, len(paths) // _BATCH or 1))
    with _executor(workers) as pool:
        futures = [
            (batch, pool.submit(_check_batch, batch, definition_code, refs)) for batch in _batches(paths)
        ]
        for batch, future in futures:
            outcome = _collect(batch, future, definition_code)
            results += outcome
            if progress:
                progress(len(outcome))
    return results


def _check_directory(
    directory: Path, definition_code: str | None, refs: tuple[FormRef, ...], output_format: str
) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    total = len(_files(directory))
    if total == 0:
        _fail(MSG_NO_FILES.format(path=directory, kinds=", ".join(SUPPORTED_SUFFIXES)))
    console = Console(stderr=True) if output_format == "json" else _console()
    with Progress(
        TextColumn("Kiểm tra"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    ) as bar:
        task = bar.add_task("", total=total)
        results = check_directory_results(directory, definition_code, lambda n: bar.advance(task, n), refs)
    if output_format == "json":
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        _print_summary(console, results)
    if any("error" in result for result in results):
        return EXIT_INPUT
    statuses = {result["verdict"]["status"] for result in results}
    if "errors" in statuses:
        return EXIT_FINDINGS
    return EXIT_UNCHECKED if "unchecked" in statuses else EXIT_OK


def _print_summary(console: Console, results: list[dict[str, Any]]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Kết quả kiểm tra", title_justify="left")
    for title, justify in (
        ("Tệp", "left"),
        ("Biểu mẫu", "left"),
        ("Dòng đọc", "right"),
        ("Không khớp", "right"),
        ("Lỗi", "right"),
        ("Cảnh báo", "right"),
        ("Kết luận", "left"),
        ("Ghi chú", "left"),
    ):
        table.add_column(title, justify=justify)  # type: ignore[arg-type]
    errors = warnings = unreadable = 0
    for result in results:
        if "error" in result:
            unreadable += 1
            table.add_row(
                escape(result["file"]), "", "", "", "", "", "Không đọc được", escape(result["error"])
            )
            continue
        e = sum(f["severity"] == "error" for f in result["findings"])
        w = len(result["findings"]) - e
        errors, warnings = errors + e, warnings + w
        rules = sorted({f["rule"] for f in result["findings"] if f["severity"] == "error"})
        table.add_row(
            escape(result["file"]),
            escape(result["definition"]),
            str(result["rows_read"]),
            str(len(result["rows_unmapped"])),
            str(e),
            str(w),
            VERDICT_TITLES[result["verdict"]["status"]],
            escape(", ".join(rules)),
        )
    console.print(table)
    console.print(
        f"{len(results)} tệp: {len(results) - unreadable} đọc được, {unreadable} không đọc được; "
        f"{errors} lỗi, {warnings} cảnh báo."
    )
