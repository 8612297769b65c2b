"""``baocao round create``: ask a unit's units for a report, as the web page "Yêu cầu báo cáo" does.

The command names the user it acts for (``--user``); ``rounds.services.round_create`` checks that user's
right, the form's scope and every field, and lists every problem in Vietnamese (exit code 1), saving nothing.
"""

from __future__ import annotations

from datetime import date

import click

from baocao.cli.documents import InputError, _database, _user, _writing
from baocao.core.periods import parse_day

__all__ = ["round_group"]

EXIT_FINDINGS = 1
KINDS = {
    "quy": "quarter",
    "6-thang": "half_year",
    "9-thang": "nine_months",
    "nam": "year",
    "chuyen-de": "thematic",
    "dot-xuat": "ad_hoc",
}
DELIVERIES = {"he-thong": "system", "ky-so": "system_signed", "kem-ban-giay": "system_paper"}
MSG_DATE = "ngày “{text}” không đúng dạng ngày/tháng/năm (ví dụ 05/6/2025)"
MSG_NO_ASKER = "không có đơn vị mã “{code}” (cấp tỉnh hoặc huyện)"
MSG_NO_RESPONDENT = "{asker} không có đơn vị trực thuộc mã “{code}”"
MSG_NO_FORM = "không có biểu mẫu “{code}” đã ban hành"
MSG_REFUSED = "Không tạo kỳ báo cáo ({count} lỗi, chưa ghi gì):"
MSG_CREATED = "Đã tạo kỳ báo cáo “{title}” (mã {code}): {count} đơn vị phải báo cáo, hạn gửi {due}."


def _date(text: str | None) -> date | None:
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        raise InputError(MSG_DATE.format(text=text))
    return day


@click.group("round")
def round_group() -> None:
    """Kỳ báo cáo: yêu cầu các đơn vị trực thuộc báo cáo."""


@round_group.command("create")
@click.option(
    "--user", "username", required=True, metavar="TÊN", help="Tài khoản yêu cầu (quyền được kiểm tra)."
)
@click.option(
    "--unit", "unit_code", required=True, metavar="MÃ", help="Đơn vị yêu cầu (cơ quan nhận báo cáo)."
)
@click.option("--form", "form_code", required=True, metavar="MÃ", help="Mã biểu mẫu đã ban hành.")
@click.option("--version", "version", type=int, default=None, help="Phiên bản (mặc định: mới nhất).")
@click.option("--period", "period", type=click.Choice(list(KINDS)), required=True, help="Loại kỳ.")
@click.option("--year", "year", type=int, required=True, help="Năm của kỳ báo cáo.")
@click.option("--quarter", "number", type=int, default=1, show_default=True, help="Quý (với --period quy).")
@click.option(
    "--from", "start", default=None, metavar="NGÀY", help="Chốt số liệu từ ngày (mặc định theo NĐ 09)."
)
@click.option("--to", "end", default=None, metavar="NGÀY", help="Chốt số liệu đến ngày.")
@click.option("--due", "due", required=True, metavar="NGÀY", help="Thời hạn gửi báo cáo.")
@click.option("--lock", "lock", default=None, metavar="NGÀY", help="Khóa sửa sau ngày (mặc định: hạn gửi).")
@click.option("--topic", "topic", default="", help="Nội dung yêu cầu (bắt buộc với chuyên đề, đột xuất).")
@click.option("--basis", "basis", default="", help="Căn cứ yêu cầu (văn bản số …).")
@click.option(
    "--delivery", "delivery", type=click.Choice(list(DELIVERIES)), default="he-thong", show_default=True
)
@click.option("--title", "title", default="", help="Tên kỳ (mặc định: theo biểu mẫu và kỳ).")
@click.option(
    "--to-units",
    "respondents",
    default="",
    metavar="MÃ,MÃ",
    help="Đơn vị phải báo cáo (mặc định: tất cả đơn vị trực thuộc cùng cấp biểu mẫu).",
)
def create_round_command(**options: object) -> None:
    """Tạo kỳ báo cáo: chọn biểu mẫu, kỳ, thời hạn và các đơn vị phải báo cáo."""
    _database()
    from baocao.rounds.services import RoundError, round_create

    request = _request(options)
    user = _user(str(options["username"]))
    try:
        round_ = _writing(lambda: round_create(request=request, user=user))
    except RoundError as error:
        click.echo(MSG_REFUSED.format(count=len(error.problems)), err=True)
        for problem in error.problems:
            click.echo(f"- {problem}", err=True)
        raise SystemExit(EXIT_FINDINGS) from None
    count = round_.respondents.count()
    click.echo(
        MSG_CREATED.format(
            title=round_.title, code=round_.code, count=count, due=f"{round_.due_date:%d/%m/%Y}"
        )
    )


def _request(options: dict[str, object]):  # type: ignore[no-untyped-def]
    from baocao.forms.models import FormVersion
    from baocao.rounds.services import RoundRequest
    from baocao.units.models import OrgUnit

    code = str(options["unit_code"])
    asker = OrgUnit.objects.filter(code=code).exclude(level="commune").order_by("-valid_from").first()
    if asker is None:
        raise InputError(MSG_NO_ASKER.format(code=code))
    form_code = str(options["form_code"])
    version = options["version"]
    if version is None:
        latest = FormVersion.objects.published().filter(code=form_code).order_by("-version").first()
        if latest is None:
            raise InputError(MSG_NO_FORM.format(code=form_code))
        version = latest.version
    due = _date(str(options["due"]))
    assert due is not None
    return RoundRequest(
        requested_by=asker,
        definition_code=form_code,
        definition_version=int(str(version)),
        period_type=KINDS[str(options["period"])],
        year=int(str(options["year"])),
        period_number=int(str(options["number"])),
        window_start=_date(options["start"]),  # type: ignore[arg-type]
        window_end=_date(options["end"]),  # type: ignore[arg-type]
        due_date=due,
        lock_date=_date(options["lock"]),  # type: ignore[arg-type]
        topic=str(options["topic"]),
        basis=str(options["basis"]),
        delivery=DELIVERIES[str(options["delivery"])],
        title=str(options["title"]),
        respondents=_respondents(asker, str(options["respondents"]), form_code, int(str(version))),
    )


def _respondents(asker, codes: str, form_code: str, version: int):  # type: ignore[no-untyped-def]
    """The named units directly below the asker; none named: all of them at the form's level."""
    from baocao.forms.models import FormVersion
    from baocao.units.models import OrgUnit

    below = OrgUnit.objects.filter(parent=asker)
    if not codes.strip():
        level = FormVersion.objects.filter(code=form_code, version=version).values_list("level", flat=True)
        return list(below.filter(level__in=list(level)).valid_on(date.today()).order_by("code"))
    found = []
    for code in (part.strip() for part in codes.split(",") if part.strip()):
        unit = below.filter(code=code).order_by("-valid_from").first()
        if unit is None:
            raise InputError(MSG_NO_RESPONDENT.format(asker=asker.full_name, code=code))
        found.append(unit)
    return found
