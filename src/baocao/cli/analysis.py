"""``baocao rollup``: a unit's rollup of a round, for reviewers' tools; and loading the post-2025 units."""

from __future__ import annotations

import json

import click

from baocao.core.numbers import format_count

MSG_NO_ROUND = "không có kỳ báo cáo mã “{code}”"
MSG_NO_UNIT = "không có đơn vị mã “{code}”"
MSG_NO_USER = "không có người dùng “{name}”"
MSG_NOT_ALLOWED = "người dùng “{name}” không có quyền xem số liệu tổng hợp của {unit}"
MSG_BAD_DAY = "ngày “{text}” không đúng dạng YYYY-MM-DD"
MSG_QUEUED = "Đã xếp việc nền số {pk}: {label}. Theo dõi ở {url}/viec/{pk}/ (đăng nhập bằng “{name}”)."
MSG_QUEUE_USER = "--queue cần --user TÊN: người theo dõi việc nền trên web"
MSG_NOT_ADMIN = "người dùng “{name}” không phải quản trị hệ thống; chỉ quản trị xếp việc nhắc tự động"


@click.command("rollup")
@click.option("--round", "round_code", required=True, metavar="MÃ_KỲ", help="Mã kỳ báo cáo.")
@click.option("--unit", "unit_code", default="", metavar="MÃ", help="Mã đơn vị; bỏ trống: cả nước.")
@click.option("--sent", "include_sent", is_flag=True, help="Tính cả báo cáo đã gửi, chưa tiếp nhận.")
@click.option("--user", "username", default="", help="Xem với quyền của người dùng này (như trên web).")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Tính lại toàn bộ số liệu tổng hợp của kỳ từ các báo cáo (sửa chữa, sau khi nạp hàng loạt).",
)
def rollup_command(
    round_code: str, unit_code: str, include_sent: bool, username: str, output_format: str, rebuild: bool
) -> None:
    """Số liệu tổng hợp của một đơn vị (gồm mọi đơn vị trực thuộc) trong một kỳ báo cáo."""
    from baocao.cli.main import InputError, _database, _writing

    _database()
    from baocao import access
    from baocao.accounts.models import User
    from baocao.analysis import services
    from baocao.analysis.rollups import unit_rollup
    from baocao.rounds.models import Round

    round_ = Round.objects.filter(code=round_code).first()
    if round_ is None:
        raise InputError(MSG_NO_ROUND.format(code=round_code))
    if rebuild:
        from baocao.analysis.bulk import rollup_rebuild

        cells = _writing(lambda: rollup_rebuild(round_))
        click.echo(f"Đã tính lại {format_count(cells)} ô số liệu tổng hợp của kỳ {round_.code}.", err=True)
    unit = services.find_unit(unit_code, round_) if unit_code else None
    if unit_code and unit is None:
        raise InputError(MSG_NO_UNIT.format(code=unit_code))
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise InputError(MSG_NO_USER.format(name=username))
        if not access.can_view_rollup(user, unit):
            raise InputError(MSG_NOT_ALLOWED.format(name=username, unit=unit or "cả nước"))
    rollup = unit_rollup(round_, unit, include_sent=include_sent)
    done = services.completeness(round_, unit)
    if output_format == "json":
        click.echo(json.dumps(services.rollup_dict(rollup, done), ensure_ascii=False, indent=2))
    else:
        click.echo(services.rollup_text(rollup, done))


def load_new_units(provinces: set[str] | None) -> None:
    from baocao.cli.main import InputError, _writing
    from baocao.units.dvhc import UnitFilterError, load_units_2025_07

    try:
        units, links = _writing(lambda: load_units_2025_07(province_codes=provinces))
    except UnitFilterError as error:
        raise InputError(str(error)) from None
    click.echo(
        f"Đã nạp {format_count(units)} đơn vị hành chính có hiệu lực từ 01/07/2025"
        f" và {format_count(links)} quan hệ sáp nhập từ các đơn vị cũ đã nạp."
    )


@click.command("remind")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=None,
    help="Nhắc đơn vị chưa gửi của các kỳ còn 0 đến N ngày là đến hạn (mặc định: BAOCAO_REMIND_DAYS).",
)
@click.option(
    "--today", "today_text", default="", metavar="YYYY-MM-DD", help="Coi hôm nay là ngày này (để thử)."
)
@click.option(
    "--queue",
    is_flag=True,
    help="Chạy như việc nền (bộ xử lý việc nền làm), theo dõi tiến độ và kết quả trên web ở /viec/.",
)
@click.option("--user", "username", default="", help="Với --queue: người (quản trị) theo dõi việc nền.")
def remind_command(days: int | None, today_text: str, queue: bool, username: str) -> None:
    """Nhắc tự động các đơn vị chưa gửi báo cáo trước hạn (chạy hằng ngày bằng cron); mỗi ngày một lần."""
    from datetime import date

    from baocao.cli.main import InputError, _database, _writing

    try:
        today = date.fromisoformat(today_text) if today_text else None
    except ValueError:
        raise InputError(MSG_BAD_DAY.format(text=today_text)) from None
    if queue and not username:
        raise InputError(MSG_QUEUE_USER)
    _database()
    from django.conf import settings

    from baocao.analysis.reminders import remind_due

    window = settings.BAOCAO_REMIND_DAYS if days is None else days
    if queue:
        from baocao.accounts.models import User
        from baocao.analysis.jobs import start_remind

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise InputError(MSG_NO_USER.format(name=username))
        if not user.is_superuser:
            raise InputError(MSG_NOT_ADMIN.format(name=username))
        job = _writing(lambda: start_remind(user=user, days=window, today=today))
        site = settings.BAOCAO_SITE_URL.rstrip("/")
        click.echo(MSG_QUEUED.format(pk=job.pk, label=job.label, url=site, name=username))
        return
    run = _writing(lambda: remind_due(days=window, today=today))
    click.echo(run.summary())
