"""Pages of digital signatures: the sign-and-send form (a partial the send page includes), the signed copies
of a report with their verification, and the download of one signed copy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from baocao import access
from baocao.access import Action
from baocao.reports.models import Report
from baocao.reports.services import WorkflowError
from baocao.reports.views import MSG_CONFIRM
from baocao.signing.jobs import prepared_job
from baocao.signing.models import SignedCopy

if TYPE_CHECKING:
    from baocao.accounts.models import User

# How often the form asks whether the PDF/A to sign is ready (htmx).
POLL_SECONDS = 1
MSG_SENT = "Đã ký số và gửi báo cáo (bản ký số số {version}, {level})."


def sign_context(report: Report, user: User) -> dict[str, Any]:
    """What the sign-and-send partial needs; the send page adds it to its own context."""
    # Look-ups only (baocao.signing.lookup): showing the form loads no pyHanko, signing does.
    from baocao.signing import lookup

    key = lookup.leader_key(report.unit, user)
    seal = lookup.agency_key(report.unit)
    # The PDF/A to sign is made by a job from the moment the leader sees this form; the form waits for it.
    prepared = prepared_job(report=report, user=user) if key is not None else None
    return {
        "report": report,
        "signing_key": key,
        "seal_key": seal if seal is not None and lookup.may_seal(user, report.unit) else None,
        "tsa_configured": bool(settings.SIGNING_TSA_URL),
        "prepared": prepared,
        "prepared_mine": prepared is not None and prepared.owner_id == user.pk,
        "poll_seconds": POLL_SECONDS,
    }


@login_required
@require_http_methods(["GET", "POST"])
def sign_and_send(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    from baocao.signing import services
    from baocao.signing.pades import LEVEL_LABELS

    report = access.find_started_report(request.user, round_code, unit_code, Action.SEND)
    user: User = request.user  # type: ignore[assignment]
    if request.method == "GET":
        return render(request, "signing/send.html", sign_context(report, user))
    try:
        # As on the review page's plain "Gửi": the leader confirms having read what is sent.
        if request.POST.get("confirm") != "1":
            raise WorkflowError(MSG_CONFIRM)
        copy = services.report_sign_and_send(
            report=report,
            user=user,
            secret=request.POST.get("password", ""),
            seal_secret=request.POST.get("seal_password", ""),
            prepared_only=True,
        )
    except WorkflowError as error:
        context = {**sign_context(report, user), "error": str(error)}
        return render(request, "signing/send.html", context, status=422)
    messages.success(request, MSG_SENT.format(version=copy.version, level=LEVEL_LABELS[copy.level]))
    for note in copy.notes.splitlines():
        messages.warning(request, note)
    return redirect(reverse("signing:copies", args=[round_code, unit_code]))


@login_required
@require_GET
def prepare(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    """The sign-and-send form alone, asked by htmx every second while its PDF/A is being made."""
    report = access.find_started_report(request.user, round_code, unit_code, Action.SEND)
    user: User = request.user  # type: ignore[assignment]
    return render(request, "signing/_send_form.html", sign_context(report, user))


@login_required
@require_GET
def copies(request: HttpRequest, round_code: str, unit_code: str) -> HttpResponse:
    from baocao.signing import services
    from baocao.signing.pades import LEVEL_LABELS

    report = access.find_started_report(request.user, round_code, unit_code, Action.VIEW)
    official = services.official_copy(report)
    verification, hash_ok = services.verify_copy(official) if official else (None, True)
    context = {
        "report": report,
        "copies": report.signed_copies.select_related("signed_by").order_by("-version"),
        "official": official,
        "verification": verification,
        "hash_ok": hash_ok,
        "official_level": LEVEL_LABELS.get(official.level, official.level) if official else "",
    }
    return render(request, "signing/copies.html", context)


@login_required
@require_GET
def copy_download(request: HttpRequest, round_code: str, unit_code: str, version: int) -> HttpResponse:
    report = access.find_started_report(request.user, round_code, unit_code, Action.VIEW)
    copy = get_object_or_404(SignedCopy, report=report, version=version)
    response = HttpResponse(copy.read(), content_type="application/pdf")
    name = f"{report.unit.code}-{report.round.code}-ban-ky-so-{copy.version}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response
