"""Commands that need Django: serving the web application and Django's own management commands."""

from __future__ import annotations

import importlib.util
import os
import signal
import sys

import click

from baocao.cli.database import setup_database
from baocao.django_setup import setup

MSG_NO_GUNICORN = (
    "Chạy nhiều tiến trình cần gunicorn (chỉ có trên Linux/Unix). Trên Windows hãy dùng --workers 1 "
    "và chạy vài bản baocao serve sau một reverse proxy."
)

MSG_WORKERS = "Đã chạy {count} bộ xử lý việc nền kèm theo (BAOCAO_EMBEDDED_WORKERS=0 để tắt)."
MSG_WORKER_START = "Bộ xử lý việc nền đang chạy ({name}); Ctrl+C để dừng sau khi xong việc đang làm."


@click.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe (0.0.0.0: mọi địa chỉ)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Cổng.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Số tiến trình. 1: Waitress; hơn 1: gunicorn (cấu hình baocao.config.gunicorn_conf).",
)
@click.option(
    "--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Số luồng mỗi tiến trình."
)
@click.option(
    "--connection-limit",
    default=100,
    show_default=True,
    type=click.IntRange(1, 10000),
    help="Số kết nối mở cùng lúc tối đa của mỗi tiến trình.",
)
def serve_command(host: str, port: int, workers: int, threads: int, connection_limit: int) -> None:
    """Chạy hệ thống web (dùng được khi vận hành thật)."""
    setup_database()
    _start_workers()
    click.echo(f"baocao đang chạy tại http://{host}:{port}/  ({workers} tiến trình; Ctrl+C để dừng)")
    if workers > 1:
        _run_gunicorn(f"{host}:{port}", workers, threads, connection_limit)
    from waitress import serve

    from baocao.config.wsgi import application

    # Waitress would drop X-Forwarded-* itself unless told which proxy to trust; baocao.config.proxy decides
    # that from BAOCAO_TRUSTED_PROXIES (and drops them from anyone else), so Waitress passes them on.
    serve(
        application,
        host=host,
        port=port,
        threads=threads,
        connection_limit=connection_limit,
        clear_untrusted_proxy_headers=False,
        ident="baocao",
    )


def _start_workers() -> None:
    """The background workers of a plain `make run` (BAOCAO_EMBEDDED_WORKERS, default 2; 0 when workers run
    elsewhere): child processes that stop by themselves when this server does."""
    from django.conf import settings

    from baocao.jobs.worker import start_embedded_workers

    count = settings.JOBS_EMBEDDED_WORKERS
    if count > 0:
        start_embedded_workers(count)
        click.echo(MSG_WORKERS.format(count=count))


def _run_gunicorn(bind: str, workers: int, threads: int, connection_limit: int) -> None:
    """Become gunicorn's master, as `gunicorn -c python:baocao.config.gunicorn_conf` would start, in this very
    process, so that a process manager's signals reach it directly. Django, started here already to bring the
    database up to date, is not started a second time (≈ 0.3 s of CPU, when this process exec'd gunicorn);
    the workers are forked from this process (``preload_app``), so its database connection is closed first."""
    if os.name != "posix" or importlib.util.find_spec("gunicorn") is None:
        raise click.ClickException(MSG_NO_GUNICORN)
    from django.db import connections
    from gunicorn.app.wsgiapp import run  # type: ignore[import-untyped]

    os.environ.update(
        BAOCAO_BIND=bind,
        BAOCAO_WORKERS=str(workers),
        BAOCAO_THREADS=str(threads),
        BAOCAO_CONNECTION_LIMIT=str(connection_limit),
    )
    connections.close_all()
    sys.stdout.flush()
    sys.argv = ["gunicorn", "--config", "python:baocao.config.gunicorn_conf"]
    run(prog="gunicorn")
    sys.exit(0)


@click.command("manage", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage_command(args: tuple[str, ...]) -> None:
    """Lệnh quản trị của Django, ví dụ: baocao manage createsuperuser."""
    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["baocao manage", *args])


@click.command("worker")
@click.option("--batch", is_flag=True, help="Làm hết các việc đang chờ rồi thoát.")
@click.option("--max-tasks", type=click.IntRange(1), default=None, help="Thoát sau từng này việc.")
@click.option(
    "--interval",
    type=click.FloatRange(0.1, 60),
    default=1.0,
    show_default=True,
    help="Số giây giữa hai lần hỏi việc.",
)
@click.option("--parent", type=int, default=None, hidden=True)  # set by `baocao serve` for its own workers
def worker_command(batch: bool, max_tasks: int | None, interval: float, parent: int | None) -> None:
    """Chạy bộ xử lý việc nền (tạo PDF, tệp nén của kỳ, kiểm tra báo cáo cũ); chạy được trên máy khác."""
    if parent is not None:
        _stop_with(parent)
    setup()
    from baocao.jobs.services import worker_name
    from baocao.jobs.worker import run_worker

    if parent is None:
        click.echo(MSG_WORKER_START.format(name=worker_name()))
    run_worker(batch=batch, max_tasks=max_tasks, interval=interval, parent=parent)


PR_SET_PDEATHSIG = 1  # prctl(2)


def _stop_with(parent: int) -> None:
    """A worker started by ``baocao serve``: on Linux the kernel sends it SIGTERM the moment its server ends,
    even while it is still starting (its imports take most of a second of CPU, for nothing once the server is
    gone); elsewhere the worker's watch of its parent (``baocao.jobs.worker``, twice a second) stops it once
    it runs. A server gone already is not waited for."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        sys.exit(0)
