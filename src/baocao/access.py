"""The one access check: what a user may see or do for a unit's report in a round.

Every view, API endpoint and command asks ``can`` (or ``require``); nothing else decides access.

- clerk at unit U: see and edit U's reports while they are editable; mark them ready ("Trình ký").
- leader at U: what a clerk may, and send ("Gửi").
- reviewer at U: see every report of U and the units below it; return, accept or reopen the reports of the
  units below U; see the rounds U or a unit below it asked for.
- admin at U: everything within U's subtree; a superuser: everything.
- form owner at a province P: write, preview and publish P's report forms (offered to P's units only); a
  superuser does the same for the ministry's forms (offered to every unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from baocao.accounts.models import Membership, Role
from baocao.forms.models import FormStatus, FormVersion, path_ids
from baocao.reports.models import EDITABLE_STATUSES, Report, Status
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from baocao.accounts.models import User

__all__ = [
    "Action",
    "Target",
    "can",
    "can_author_form",
    "can_oversee_round",
    "can_see_form",
    "can_view_rollup",
    "form_issuers",
    "memberships",
    "require",
    "rollup_scope",
    "visible_reports",
    "visible_rounds",
    "visible_units",
]


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    MARK_READY = "mark_ready"
    SEND = "send"
    RETURN = "return"
    ACCEPT = "accept"
    REOPEN = "reopen"


@dataclass(frozen=True)
class Target:
    """A unit's report in a round; ``report`` is None while the unit has not started it."""

    round: Round
    unit: OrgUnit
    report: Report | None = None

    @classmethod
    def of(cls, report: Report) -> Target:
        return cls(report.round, report.unit, report)

    @property
    def status(self) -> str:
        return self.report.status if self.report else Status.DRAFT


def memberships(user: User | AnonymousUser) -> list[Membership]:
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, "_baocao_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit"))
        setattr(user, "_baocao_memberships", cached)  # noqa: B010 - a per-request cache on the user object
    return cached


def _roles_over(user: User | AnonymousUser, unit: OrgUnit) -> tuple[set[str], set[str]]:
    """Roles held at ``unit`` itself, and roles held at a unit strictly above it."""
    here: set[str] = set()
    above: set[str] = set()
    for membership in memberships(user):
        if membership.unit_id == unit.pk:
            here.add(membership.role)
        elif unit.path.startswith(membership.unit.path):
            above.add(membership.role)
    return here, above


def can(user: User | AnonymousUser, action: Action, target: Target, *, today: date | None = None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return _state_allows(action, target, today, reviewer=True)
    here, above = _roles_over(user, target.unit)
    admin = Role.ADMIN in here or Role.ADMIN in above
    reviewer = admin or Role.REVIEWER in above
    author = bool(here & {Role.CLERK, Role.LEADER}) or admin
    if action == Action.VIEW:
        return author or reviewer or Role.REVIEWER in here
    if action in (Action.EDIT, Action.MARK_READY):
        return author and _state_allows(action, target, today, reviewer=reviewer)
    if action == Action.SEND:
        return (Role.LEADER in here or admin) and _state_allows(action, target, today, reviewer=reviewer)
    # Return, accept, reopen: only from above.
    return reviewer and _state_allows(action, target, today, reviewer=True)


def _state_allows(action: Action, target: Target, today: date | None, *, reviewer: bool) -> bool:
    status = target.status
    day = today or timezone.localdate()
    locked = target.report.is_locked_on(day) if target.report else target.round.is_locked_on(day)
    if action == Action.VIEW:
        return True
    if action in (Action.EDIT, Action.MARK_READY, Action.SEND):
        return status in EDITABLE_STATUSES and not locked
    if action in (Action.RETURN, Action.ACCEPT):
        return target.report is not None and status == Status.SENT
    if action == Action.REOPEN:
        # Sent or accepted reports, and any report once the lock date has passed.
        return target.report is not None and reviewer and (status in (Status.SENT, Status.ACCEPTED) or locked)
    return False


def require(user: User | AnonymousUser, action: Action, target: Target) -> None:
    """404 for what the user may not even see (its existence stays hidden), 403 for what they may not do."""
    if not can(user, Action.VIEW, target):
        raise Http404
    if action != Action.VIEW and not can(user, action, target):
        raise PermissionDenied


def _scope(user: User | AnonymousUser, roles: set[str], *, strictly_below: bool = False) -> Q | None:
    """Units reachable through memberships of ``roles``: None means all units (superuser)."""
    if user.is_authenticated and user.is_superuser:
        return None
    condition = Q(pk__in=[])
    for membership in memberships(user):
        if membership.role in roles:
            below = Q(path__startswith=membership.unit.path)
            if strictly_below and membership.role != Role.ADMIN:
                below &= ~Q(pk=membership.unit_id)
            condition |= below
    return condition


def visible_units(user: User | AnonymousUser) -> QuerySet[OrgUnit]:
    """Units whose reports the user may see."""
    own = Q(pk__in=[m.unit_id for m in memberships(user) if m.role in (Role.CLERK, Role.LEADER)])
    scope = _scope(user, {Role.REVIEWER, Role.ADMIN})
    if scope is None:
        return OrgUnit.objects.all()
    return OrgUnit.objects.filter(own | scope)


def visible_reports(user: User | AnonymousUser) -> QuerySet[Report]:
    return Report.objects.filter(unit__in=visible_units(user))


def visible_rounds(user: User | AnonymousUser) -> QuerySet[Round]:
    """Rounds the user answers (through a unit of theirs) or oversees (asked by a unit in their scope)."""
    scope = _scope(user, {Role.REVIEWER, Role.ADMIN})
    if scope is None:
        return Round.objects.all()
    own = [m.unit_id for m in memberships(user) if m.role in (Role.CLERK, Role.LEADER)]
    overseen = OrgUnit.objects.filter(scope)
    return Round.objects.filter(Q(respondents__in=own) | Q(requested_by__in=overseen)).distinct()


def can_oversee_round(user: User | AnonymousUser, round_: Round) -> bool:
    """The reviewer's round page: reviewers and admins at the asking unit or above it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    here, above = _roles_over(user, round_.requested_by)
    return bool((here | above) & {Role.REVIEWER, Role.ADMIN})


def can_view_rollup(user: User | AnonymousUser, unit: OrgUnit | None) -> bool:
    """Rollups, completeness, comparisons and trends of ``unit``'s subtree (None: the whole country): for
    reviewers and admins at the unit or above it, and for superusers; never for clerks or leaders."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if unit is None:
        return False
    here, above = _roles_over(user, unit)
    return bool((here | above) & {Role.REVIEWER, Role.ADMIN})


def rollup_scope(user: User | AnonymousUser) -> list[OrgUnit] | None:
    """The top units whose subtrees the user may analyse; None: the whole country (superuser)."""
    if user.is_authenticated and user.is_superuser:
        return None
    return [m.unit for m in memberships(user) if m.role in (Role.REVIEWER, Role.ADMIN)]


def form_issuers(user: User | AnonymousUser) -> list[OrgUnit | None]:
    """Who the user may write forms for: each province where they are form owner; None (the ministry) for a
    superuser."""
    if not user.is_authenticated or not user.is_active:
        return []
    issuers: list[OrgUnit | None] = [None] if user.is_superuser else []
    issuers += [
        m.unit
        for m in memberships(user)
        if m.role == Role.FORM_OWNER and m.unit.level == OrgUnit.Level.PROVINCE
    ]
    return issuers


def can_author_form(user: User | AnonymousUser, form: FormVersion) -> bool:
    """Preview a draft, publish it: only for its issuer's form owners."""
    return any((issuer.pk if issuer else None) == form.owner_id for issuer in form_issuers(user))


def can_see_form(user: User | AnonymousUser, form: FormVersion) -> bool:
    """A published form is seen by anyone signed in whose units it is offered to; a draft by its authors."""
    if can_author_form(user, form):
        return True
    if form.status != FormStatus.PUBLISHED or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or form.owner_id is None:
        return True
    return any(form.owner_id in path_ids(m.unit) for m in memberships(user))
