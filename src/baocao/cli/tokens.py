"""``baocao token``: tokens for machine clients of the API (``Authorization: Bearer …``)."""

from __future__ import annotations

from datetime import datetime

import click

MSG_CREATED = "Mã truy cập API của {user} (chỉ hiện một lần, hãy lưu lại ngay):"
MSG_REVOKED = "Đã thu hồi mã {prefix}… của {user}."
MSG_NONE = "Chưa có mã truy cập nào."


@click.group("token")
def token_group() -> None:
    """Mã truy cập API cho hệ thống khác: cấp, liệt kê, thu hồi."""


@token_group.command("create")
@click.option("--user", "username", required=True, help="Người dùng mà mã này thay mặt (quyền như trên web).")
@click.option("--name", default="", help="Tên gợi nhớ, ví dụ: hệ thống báo cáo của tỉnh.")
def token_create_command(username: str, name: str) -> None:
    """Cấp một mã truy cập mới và in ra một lần (chỉ lưu bản băm)."""
    from baocao.cli.main import InputError, _database, _writing

    _database()
    from baocao.api.tokens import TokenError, token_create

    try:
        created = _writing(lambda: token_create(username=username, name=name))
    except TokenError as error:
        raise InputError(str(error)) from None
    click.echo(MSG_CREATED.format(user=username), err=True)
    click.echo(created.secret)


@token_group.command("list")
@click.option("--user", "username", default="", help="Chỉ mã của người dùng này.")
def token_list_command(username: str) -> None:
    """Các mã đã cấp: số, phần đầu của mã, người dùng, tên, ngày cấp, lần dùng cuối, thu hồi."""
    from baocao.cli.main import _database

    _database()
    from django.utils import timezone

    from baocao.api.tokens import token_list

    def when(moment: datetime | None) -> str:
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"

    tokens = list(token_list(username or None))
    if not tokens:
        click.echo(MSG_NONE)
    for token in tokens:
        state = f"đã thu hồi {when(token.revoked_at)}" if token.revoked_at else "đang dùng"
        click.echo(
            f"{token.pk}\t{token.prefix}…\t{token.user.username}\t{token.name or '—'}"
            f"\tcấp {when(token.created_at)}\tdùng {when(token.last_used_at)}\t{state}"
        )


@token_group.command("revoke")
@click.argument("key", metavar="SỐ|PHẦN_ĐẦU")
def token_revoke_command(key: str) -> None:
    """Thu hồi một mã (theo số trong baocao token list hoặc phần đầu của mã): dùng lại sẽ bị từ chối (401)."""
    from baocao.cli.main import InputError, _database, _writing

    _database()
    from baocao.api.tokens import TokenError, token_revoke

    try:
        token = _writing(lambda: token_revoke(key=key.rstrip("…")))
    except TokenError as error:
        raise InputError(str(error)) from None
    click.echo(MSG_REVOKED.format(prefix=token.prefix, user=token.user.username))
