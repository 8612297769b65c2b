"""The one state change of this app: import a checked old report as a draft, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from baocao.legacy.draft import DraftPlan

if TYPE_CHECKING:
    from baocao.accounts.models import User
    from baocao.reports.models import Report
    from baocao.rounds.models import Round
    from baocao.units.models import OrgUnit

__all__ = ["legacy_import"]


@transaction.atomic
def legacy_import(
    *, round_: Round, unit: OrgUnit, user: User, plan: DraftPlan, confirmed: Iterable[str], origin: str
) -> tuple[Report, int]:
    """Open (or create) the unit's report and write the plan: the sure values and the pending ones the user
    confirmed (marked as imported, one audited change), then the narrative. All or nothing: a refused value
    or section leaves the report as it was. Returns the report and the number of values changed."""
    from baocao.reports import services

    report = services.report_open(round_=round_, unit=unit, user=user)
    values = plan.confirmed(confirmed)
    preview = services.report_import(report=report, user=user, values=values, origin=origin)
    for section, text in plan.narrative.items():
        services.report_set_narrative(report=report, user=user, section=section, text=text)
    return report, len(preview.changes)
