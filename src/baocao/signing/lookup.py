"""Who may sign a report and which signed copy is its official one: database look-ups only, without pyHanko
(≈ 0.6 s to import, with aiohttp), so that the pages showing the signing form or a link to the signed copies
(the template tags, loaded by Django's template engine in every process) do not load it; ``services`` signs
and verifies, and re-exports these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from baocao.reports.models import AuditEvent, Report, Status
from baocao.signing.models import SealKeeper, SignedCopy, SigningKey

if TYPE_CHECKING:
    from baocao.accounts.models import User
    from baocao.units.models import OrgUnit

__all__ = ["agency_key", "leader_key", "may_seal", "official_copy", "official_pdf"]


def leader_key(unit: OrgUnit, user: User) -> SigningKey | None:
    return SigningKey.objects.leader_keys(unit, user).first()


def agency_key(unit: OrgUnit) -> SigningKey | None:
    return SigningKey.objects.filter(unit=unit, holder=SigningKey.Holder.AGENCY, active=True).first()


def may_seal(user: User, unit: OrgUnit) -> bool:
    return SealKeeper.objects.filter(unit=unit, user=user).exists()


def official_copy(report: Report) -> SignedCopy | None:
    """The signed copy that is "bản chính" now: the latest one, while the report is sent or accepted and has
    not been returned or reopened since it was signed."""
    if report.status not in (Status.SENT, Status.ACCEPTED):
        return None
    latest = report.signed_copies.order_by("-version").first()
    if latest is None:
        return None
    given_back = AuditEvent.objects.filter(
        report=report,
        action__in=(AuditEvent.Action.RETURN, AuditEvent.Action.REOPEN),
        at__gt=latest.created_at,
    ).exists()
    return None if given_back else latest


def official_pdf(report: Report) -> tuple[str, bytes] | None:
    """The official copy's file name and content, for the downloads and exports; None when there is none."""
    from baocao.documents.document import slug

    copy = official_copy(report)
    if copy is None:
        return None
    stem = f"{report.unit.code}-{slug(report.unit.full_name)}-{report.round.code}"
    return f"{stem}-ky-so.pdf", copy.read()
