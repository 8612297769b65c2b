"""``baocao verify FILE.pdf``: the digital signatures of a PDF, checked against the configured trust roots.

Exit codes: 0 every signature valid, 1 a signature fails (or there is none), 2 the file cannot be read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from baocao.django_setup import setup

if TYPE_CHECKING:
    from baocao.signing.verify import Verification

__all__ = ["verify_command"]

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
    from baocao.signing.services import trust_config
    from baocao.signing.verify import Unreadable, verify_pdf

    try:
        result = verify_pdf(data, trust_config())
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
