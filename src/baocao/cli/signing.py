"""``baocao verify FILE.pdf``: the digital signatures of a PDF, checked against the configured trust roots.

Exit codes: 0 every signature valid, 1 a signature fails (or there is none), 2 the file cannot be read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from baocao.cli.database import setup_database
from baocao.django_setup import setup

if TYPE_CHECKING:
    from baocao.signing.verify import Verification

__all__ = ["signing_group", "verify_command"]

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
MSG_NONE = "Tệp không có chữ ký số."
MSG_SIGNATURE = "Chữ ký {index}: {signer}{agency}"
MSG_TIME = "  Thời điểm ký: {time} ({how})"
MSG_STAMPED = "có dấu thời gian của tổ chức cấp dấu thời gian"
MSG_CLOCK = "theo đồng hồ của máy ký, không có dấu thời gian"
MSG_RESULT = "  Kết quả: {label}. {detail}"
MSG_SUMMARY_OK = "Tất cả {count} chữ ký hợp lệ."
MSG_SUMMARY_BAD = "{bad} trong {count} chữ ký không hợp lệ."


@click.command("verify")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Dạng kết quả.",
)
def verify_command(file: Path, output: str) -> None:
    """Kiểm tra chữ ký số của tệp PDF: người ký, cơ quan, thời điểm, nguyên vẹn, chứng thư tin cậy.

    Mã thoát: 0 mọi chữ ký hợp lệ, 1 có chữ ký không hợp lệ (hoặc không có chữ ký), 2 không đọc được tệp.
    """
    try:
        data = file.read_bytes()
    except OSError as error:
        click.echo(f"Lỗi: không đọc được {file}: {error.strerror}", err=True)
        sys.exit(EXIT_INPUT)
    setup()
    from baocao.signing.services import verify_file
    from baocao.signing.verify import Unreadable

    try:
        result = verify_file(data)
    except (Unreadable, ValueError) as error:
        click.echo(f"Lỗi: {error}", err=True)
        sys.exit(EXIT_INPUT)
    if output == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print(result)
    sys.exit(EXIT_OK if result.all_valid else EXIT_FAILED)


def _print(result: Verification) -> None:
    if not result.signatures:
        click.echo(MSG_NONE)
        return
    for index, check in enumerate(result.signatures, start=1):
        agency = f" ({check.agency})" if check.agency else ""
        click.echo(MSG_SIGNATURE.format(index=index, signer=check.signer, agency=agency))
        if check.signed_at_text:
            how = MSG_STAMPED if check.timestamped else MSG_CLOCK
            click.echo(MSG_TIME.format(time=check.signed_at_text, how=how))
        click.echo(MSG_RESULT.format(label=check.label, detail=check.detail))
    bad = sum(not check.valid for check in result.signatures)
    count = len(result.signatures)
    click.echo(MSG_SUMMARY_BAD.format(bad=bad, count=count) if bad else MSG_SUMMARY_OK.format(count=count))


@click.group("signing")
def signing_group() -> None:
    """Đăng ký chữ ký số: khóa của lãnh đạo, của cơ quan, người giữ con dấu (văn thư)."""


@signing_group.command("add-key")
@click.option("--unit", "unit_code", required=True, metavar="MÃ", help="Mã đơn vị.")
@click.option(
    "--user", "username", metavar="TÊN", help="Lãnh đạo giữ khóa; bỏ trống: khóa của cơ quan (con dấu)."
)
@click.option(
    "--image", type=click.Path(path_type=Path), required=True, help="Hình chữ ký / con dấu (PNG trong suốt)."
)
@click.option(
    "--pkcs12", "pkcs12", type=click.Path(path_type=Path), help="Tệp .p12/.pfx do tổ chức chứng thực cấp."
)
@click.option("--token", metavar="NHÃN", help="Nhãn USB token (PKCS#11) thay cho tệp .p12.")
@click.option("--key", "key_label", metavar="NHÃN", help="Nhãn khóa trên token.")
@click.option(
    "--password", prompt="Mật khẩu tệp .p12 / mã PIN token", hide_input=True, help="Chỉ để đọc chứng thư."
)
def add_key_command(
    unit_code: str,
    username: str | None,
    image: Path,
    pkcs12: Path | None,
    token: str | None,
    key_label: str | None,
    password: str,
) -> None:
    """Đăng ký khóa ký số (mật khẩu chỉ dùng để đọc chứng thư, không được lưu)."""
    if bool(pkcs12) == bool(token) or (token and not key_label):
        click.echo("Lỗi: cần --pkcs12 TỆP, hoặc --token NHÃN cùng --key NHÃN.", err=True)
        sys.exit(EXIT_INPUT)
    try:
        image_data = image.read_bytes()
        pkcs12_data = pkcs12.read_bytes() if pkcs12 else b""
    except OSError as error:
        click.echo(f"Lỗi: không đọc được tệp: {error.strerror}", err=True)
        sys.exit(EXIT_INPUT)
    setup_database()
    from django.conf import settings

    from baocao.signing.registry import register_key
    from baocao.signing.services import SigningRefused

    unit, user = _unit(unit_code), _user(username) if username else None
    try:
        key = register_key(
            unit=unit,
            user=user,
            image=image_data,
            pkcs12=pkcs12_data,
            password=password,
            token=(token, key_label or "") if token else None,
            module=settings.SIGNING_PKCS11_MODULE,
        )
    except SigningRefused as error:
        click.echo(f"Lỗi: {error}", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"Đã đăng ký: {key}.")


@signing_group.command("seal-keeper")
@click.option("--unit", "unit_code", required=True, metavar="MÃ", help="Mã đơn vị.")
@click.option(
    "--user", "username", required=True, metavar="TÊN", help="Người được giao giữ con dấu (văn thư)."
)
def seal_keeper_command(unit_code: str, username: str) -> None:
    """Giao một người của đơn vị giữ con dấu: người đó ký số thay mặt cơ quan khi gửi."""
    setup_database()
    from baocao.signing.registry import add_seal_keeper
    from baocao.signing.services import SigningRefused

    try:
        keeper = add_seal_keeper(unit=_unit(unit_code), user=_user(username))
    except SigningRefused as error:
        click.echo(f"Lỗi: {error}", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"Đã giao giữ con dấu: {keeper}.")


def _unit(code: str):  # type: ignore[no-untyped-def]
    from baocao.units.models import OrgUnit

    unit = OrgUnit.objects.filter(code=code).order_by("-valid_from").first()
    if unit is None:
        click.echo(f"Lỗi: không có đơn vị mã “{code}”.", err=True)
        sys.exit(EXIT_INPUT)
    return unit


def _user(username: str):  # type: ignore[no-untyped-def]
    from baocao.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        click.echo(f"Lỗi: không có tài khoản “{username}”.", err=True)
        sys.exit(EXIT_INPUT)
    return user
