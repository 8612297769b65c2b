"""``baocao jobs prune``: remove finished background jobs (their files and rows) older than N days."""

from __future__ import annotations

from decimal import Decimal

import click

from baocao.cli.documents import _database, _writing
from baocao.core.numbers import format_count, format_number

MSG_PRUNED = (
    "Đã xóa {jobs} việc nền xong trước {cutoff} ({files} tệp, {size} MB) và {tasks} kết quả cũ của hàng đợi; "
    "{kept} việc đang chờ hoặc đang chạy được giữ nguyên."
)
MSG_STEP = "Xóa việc nền đã xong"


@click.group("jobs")
def jobs_group() -> None:
    """Việc nền: dọn các việc đã xong."""


@jobs_group.command("prune")
@click.option(
    "--days",
    type=click.IntRange(0),
    default=None,
    help="Xóa việc đã xong (và tệp của nó) từ hơn N ngày trước; mặc định BAOCAO_JOBS_KEEP_DAYS (7).",
)
def prune_command(days: int | None) -> None:
    """Xóa các việc nền đã xong hoặc đã hỏng hẳn từ hơn N ngày trước, cùng tệp kết quả và tệp tải lên của
    chúng; không bao giờ đụng tới việc đang chờ hay đang chạy."""
    _database()
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone
    from rich.console import Console

    from baocao.cli.main import _progress
    from baocao.jobs.services import prune_jobs

    keep = settings.JOBS_KEEP_DAYS if days is None else days
    console = Console(stderr=True)
    with _progress(console) as bar:
        step = bar.add_task(MSG_STEP, total=None)
        pruned = _writing(
            lambda: prune_jobs(
                days=keep, progress=lambda n, total: bar.update(step, completed=n, total=total)
            )
        )
    cutoff = timezone.localtime(timezone.now() - timedelta(days=keep))
    click.echo(
        MSG_PRUNED.format(
            jobs=format_count(pruned.jobs),
            cutoff=f"{cutoff:%H:%M} ngày {cutoff:%d/%m/%Y}",
            files=format_count(pruned.files),
            size=format_number(Decimal(pruned.size) / (1024 * 1024), 1),
            tasks=format_count(pruned.tasks),
            kept=format_count(pruned.kept),
        )
    )
