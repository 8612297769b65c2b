"""The one access check: what a user may see or do for a unit's report in a round.

Every view, API endpoint and command asks ``can`` (or ``require``); nothing else decides access.

- clerk at unit U: see and edit U's reports while they are drafts or returned; mark them ready ("Trình ký").
- leader at U: what a clerk may; edit a report marked ready, give it back to the clerk, send it ("Gửi").
- reviewer at U: see every report of U and the units below it; see the rounds U or a unit below it asked
  for; return, accept or reopen only the reports addressed to U (``receiving_unit``): a province reviewer
  sees a commune's report sent to the district but does not decide on it.
- admin at U: everything within U's subtree; a superuser: everything.
- reviewer or admin at a province or district U (a superuser: at any unit): ask U's units for a report, that
  is create a round of U addressed to units directly below U, on a form offered to U.
- a background job (a PDF being made, a round's zip): only the user who started it, and a superuser.
- form owner at a province P: write, preview and publish P's report forms (offered to P's units only); a
  superuser does the same for the ministry's forms (offered to every unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from baocao.accounts.models import Membership, Role
from baocao.forms.models import FormStatus, FormVersion, path_ids
from baocao.jobs.models import Job
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
    "can_remind",
    "can_request_round",
    "can_see_form",
    "can_see_job",
    "can_view_rollup",
    "find_report",
    "find_started_report",
    "form_issuers",
    "locate",
    "memberships",
    "receiving_unit",
    "require",
    "require_job",
    "rollup_scope",
    "round_requesters",
    "target_of",
    "targets_of",
    "visible_reports",
    "visible_rounds",
    "visible_units",
]


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    MARK_READY = "mark_ready"
    GIVE_BACK = "give_back"  # the leader hands a report marked ready back to its clerk
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


def receiving_unit(round_: Round, unit: OrgUnit) -> OrgUnit | None:
    """The unit a report is addressed to: the round's asking unit when it lies above the reporting unit (a
    district's round for its communes), otherwise the unit's parent (a district's own report goes up)."""
    asking = round_.requested_by
    if asking.pk != unit.pk and unit.path.startswith(asking.path):
        return asking
    return unit.parent


def _is_receiver(user: User | AnonymousUser, target: Target) -> bool:
    """Reviewers and admins at the unit the report is addressed to (never a level further up)."""
    if user.is_superuser:
        return True
    receiver = receiving_unit(target.round, target.unit)
    if receiver is None:
        return False
    return any(m.unit_id == receiver.pk and m.role in (Role.REVIEWER, Role.ADMIN) for m in memberships(user))


def can(user: User | AnonymousUser, action: Action, target: Target, *, today: date | None = None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    here, above = _roles_over(user, target.unit)
    admin = user.is_superuser or Role.ADMIN in here or Role.ADMIN in above
    leader = Role.LEADER in here or admin
    author = Role.CLERK in here or leader
    if action == Action.VIEW:
        return author or Role.REVIEWER in above or Role.REVIEWER in here
    status = target.status
    if action in (Action.RETURN, Action.ACCEPT, Action.REOPEN):
        return _is_receiver(user, target) and _decision_allowed(action, target, today)
    if _locked(target, today) or status not in EDITABLE_STATUSES:
        return False
    if action == Action.EDIT:
        # Once marked ready ("Trình ký") only the leader changes it, until they give it back.
        return leader if status == Status.READY else author
    if action == Action.MARK_READY:
        return author and status != Status.READY
    if action == Action.GIVE_BACK:
        return leader and status == Status.READY
    if action == Action.SEND:
        return leader
    return False


def _locked(target: Target, today: date | None) -> bool:
    day = today or timezone.localdate()
    return target.report.is_locked_on(day) if target.report else target.round.is_locked_on(day)


def _decision_allowed(action: Action, target: Target, today: date | None) -> bool:
    """Return and accept a sent report; reopen an accepted one, or one the lock date caught before it was
    sent. A report is never open to both "Trả lại" and "Mở lại để sửa"."""
    if target.report is None:
        return False
    status = target.status
    if action in (Action.RETURN, Action.ACCEPT):
        return status == Status.SENT
    return status == Status.ACCEPTED or (status in EDITABLE_STATUSES and _locked(target, today))


def target_of(round_: Round, unit: OrgUnit) -> Target:
    """The unit's report in the round (None while not started), with what the access check reads."""
    report = Report.objects.filter(round=round_, unit=unit).first()
    if report is not None:  # its round and unit are those given, not fetched a second time
        report.round, report.unit = round_, unit
    return Target(round_, unit, report)


def targets_of(rounds: list[Round], units: list[OrgUnit]) -> list[Target]:
    """``target_of`` for each of ``units`` that each of ``rounds`` asks, in the rounds' order and then the
    units' (by path), in two queries whatever their number."""
    asked: dict[int, list[OrgUnit]] = {round_.pk: [] for round_ in rounds}
    respondents = Round.respondents.through.objects.filter(round__in=rounds, orgunit__in=units)
    for row in respondents.select_related("orgunit").order_by("orgunit__path"):
        asked[row.round_id].append(row.orgunit)
    reports = {(r.round_id, r.unit_id): r for r in Report.objects.filter(round__in=rounds, unit__in=units)}
    targets = []
    for round_ in rounds:
        for unit in asked[round_.pk]:
            report = reports.get((round_.pk, unit.pk))
            if report is not None:  # its round and unit are those given, not fetched a second time
                report.round, report.unit = round_, unit
            targets.append(Target(round_, unit, report))
    return targets


def locate(round_code: str, unit_code: str) -> Target | None:
    """The round by its code and the unit by its code among the round's respondents: unit codes repeat
    across the 2025 reorganisation, but not within one round. None when either is unknown."""
    # A started report (most requests) in one query: with its round (the code is unique) and asking unit, and
    # its unit (asked in that round) and parent.
    report = (
        Report.objects.filter(round__code=round_code, unit__code=unit_code, round__respondents=F("unit"))
        .select_related("round__requested_by", "unit__parent")
        .order_by("-unit_id")
        .first()
    )
    if report is not None:
        return Target(report.round, report.unit, report)
    # Otherwise one query through the respondents' table: the round and the unit as above, not started; no
    # row when either is unknown or the unit is not asked in that round.
    asked = (
        Round.respondents.through.objects.filter(round__code=round_code, orgunit__code=unit_code)
        .select_related("round__requested_by", "orgunit__parent")
        .order_by("-orgunit_id")
        .first()
    )
    return None if asked is None else Target(asked.round, asked.orgunit)


def find_report(
    user: User | AnonymousUser, round_code: str, unit_code: str, action: Action = Action.VIEW
) -> Target:
    """The one way from (user, round, unit) to a report: 404 when unknown or not to be seen, 403 when the
    user may see it but not do ``action``. The target's report is None while the unit has not started."""
    target = locate(round_code, unit_code)
    if target is None:
        raise Http404
    require(user, action, target)
    return target


def find_started_report(
    user: User | AnonymousUser, round_code: str, unit_code: str, action: Action = Action.VIEW
) -> Report:
    """``find_report`` for pages that need the report itself: also 404 while the unit has not started it."""
    report = find_report(user, round_code, unit_code, action).report
    if report is None:
        raise Http404
    return report


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


def can_remind(user: User | AnonymousUser, round_: Round, unit: OrgUnit | None) -> bool:
    """Reminders ("Đơn vị cần nhắc"): reviewers and admins who oversee the round and the unit (None: every
    unit of the country, "Nhắc các đơn vị chưa gửi" on the country's page)."""
    return can_oversee_round(user, round_) and can_view_rollup(user, unit)


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


def round_requesters(user: User | AnonymousUser) -> QuerySet[OrgUnit]:
    """Units in whose name the user may ask for reports (create a round), if the unit has units below it to
    ask: where they are reviewer, and within an admin's subtree; every such unit for a superuser (the
    ministry). A reviewer never asks in the name of a unit below their own."""
    if not user.is_authenticated or not user.is_active:
        return OrgUnit.objects.none()
    askers = OrgUnit.objects.exclude(level=OrgUnit.Level.COMMUNE)
    if user.is_superuser:
        return askers
    condition = Q(pk__in=[m.unit_id for m in memberships(user) if m.role == Role.REVIEWER])
    for membership in memberships(user):
        if membership.role == Role.ADMIN:
            condition |= Q(path__startswith=membership.unit.path)
    return askers.filter(condition)


def can_request_round(user: User | AnonymousUser, unit: OrgUnit) -> bool:
    """Whether the user may create a round asked by ``unit`` (see ``round_requesters``)."""
    return round_requesters(user).filter(pk=unit.pk).exists()


def can_see_job(user: User | AnonymousUser, job: Job) -> bool:
    """A job is its owner's (its file was made from what they could see when they asked); a superuser sees
    every job, to help."""
    return user.is_authenticated and (user.is_superuser or job.owner_id == user.pk)


def require_job(user: User | AnonymousUser, job_id: int) -> Job:
    """The job, or 404 for one that does not exist or is not the user's (whether it exists stays hidden)."""
    job = Job.objects.filter(pk=job_id).select_related("owner").first()
    if job is None or not can_see_job(user, job):
        raise Http404
    return job
