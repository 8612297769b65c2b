"""Commands that need Django: serving the web application and Django's own management commands."""

from __future__ import annotations

import click

from baocao.django_setup import setup


@click.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe (0.0.0.0: mọi địa chỉ)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Cổng.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Số luồng xử lý.")
def serve_command(host: str, port: int, threads: int) -> None:
    """Chạy hệ thống web (máy chủ Waitress, dùng được khi vận hành thật)."""
    setup()
    from django.core.management import call_command
    from waitress import serve

    from baocao.config.wsgi import application

    call_command("migrate", verbosity=0)
    click.echo(f"baocao đang chạy tại http://{host}:{port}/  (Ctrl+C để dừng)")
    serve(application, host=host, port=port, threads=threads, ident="baocao")


@click.command("manage", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage_command(args: tuple[str, ...]) -> None:
    """Lệnh quản trị của Django, ví dụ: baocao manage createsuperuser."""
    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["baocao manage", *args])
