"""Models and service results as the API's plain data (decimals by the one rule of ``core.serialize``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet
from ninja import Schema

from baocao.api.common import Page
from baocao.api.schemas import ReportSummary, UnitOut
from baocao.core.evaluate import Evaluation, item_decimals
from baocao.core.labels import plain_label
from baocao.core.periods import KIND_NAMES
from baocao.core.serialize import finding_dict, json_value
from baocao.forms.models import FormVersion
from baocao.reports import services
from baocao.reports.models import AuditEvent, Report
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

T = TypeVar("T")
NOT_STARTED = ("not_started", "Chưa bắt đầu")


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


class ReportPage(Schema):
    count: int
    items: list[ReportSummary]


def page(queryset: QuerySet[Any], chosen: Page, convert: Callable[[Any], T]) -> dict[str, Any]:
    window = queryset[chosen.offset : chosen.offset + chosen.limit]
    return {"count": queryset.count(), "items": [convert(row) for row in window]}


def unit_out(unit: OrgUnit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "full_name": unit.full_name,
        "kind": unit.kind,
        "level": unit.level,
        "parent": unit.parent.code if unit.parent else None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def round_out(round_: Round) -> dict[str, Any]:
    """Prefetch ``respondents`` (and select ``requested_by``) when converting many."""
    return {
        "code": round_.code,
        "title": round_.title,
        "definition": round_.definition_code,
        "definition_version": round_.definition_version,
        "period_type": round_.period_type,
        "period_type_label": round_.get_period_type_display(),
        "period": round_.period_label,
        "period_number": round_.period_number,
        "year": round_.year,
        "window_start": round_.window_start,
        "window_end": round_.window_end,
        "due_date": round_.due_date,
        "lock_date": round_.lock_date,
        "requested_by": round_.requested_by.code,
        "topic": round_.topic,
        "basis": round_.basis,
        "delivery": round_.delivery,
        "delivery_label": round_.get_delivery_display(),
        "respondents": sorted(unit.code for unit in round_.respondents.all()),
    }


def form_out(form: FormVersion, requesters: list[str]) -> dict[str, Any]:
    return {
        "code": form.code,
        "version": form.version,
        "title": form.title,
        "level": form.level,
        "periods": [{"code": kind, "label": KIND_NAMES.get(kind, kind)} for kind in form.periods],
        "owner": form.owner.code if form.owner else None,
        "owner_name": form.owner_name,
        "requesters": requesters,
    }


def summary(unit: OrgUnit, report: Report | None) -> dict[str, Any]:
    status, label = (report.status, report.get_status_display()) if report else NOT_STARTED
    return {
        "unit": unit.code,
        "unit_name": unit.full_name,
        "status": status,
        "status_label": label,
        "version": report.version if report else None,
        "sent_at": report.sent_at if report else None,
    }


def findings(report: Report, evaluation: Evaluation) -> list[dict[str, Any]]:
    explained = set(report.explanations.values_list("rule", flat=True))
    return [{**finding_dict(f), "explained": f.rule in explained} for f in evaluation.findings]


def _status(given: object, value: object) -> str:
    if given is None:
        return "blank"
    return "not_applicable" if value is None else "value"


def _items(raw: dict[str, str], evaluation: Evaluation) -> list[dict[str, Any]]:
    items = []
    for row in evaluation.rows:
        if row.item.type == "group":
            continue
        value = json_value(row.value, item_decimals(row.item))
        items.append(
            {
                "code": row.code,
                "label": plain_label(row.item.label),
                "type": row.item.type,
                "input": row.item.is_input,
                "raw": raw.get(row.code) if row.item.is_input else None,
                "value": value,
                "display": row.display,
                "status": "blank"
                if row.value is None
                else ("value" if value is not None else "not_applicable"),
            }
        )
    return items


def report_out(report: Report) -> dict[str, Any]:
    raw = report.raw_values()  # read once: the evaluation and the items show the same values
    evaluation = services.report_evaluation(report, raw)
    return {
        "round": report.round.code,
        "unit": unit_out(report.unit),
        "status": report.status,
        "status_label": report.get_status_display(),
        "version": report.version,
        "document_number": report.document_number,
        "document_date": report.document_date,
        "sent_at": report.sent_at,
        "return_reason": report.return_reason,
        "items": _items(raw, evaluation),
        "findings": findings(report, evaluation),
    }


def event_out(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at,
        "user": event.user.username if event.user else None,
        "action": event.action,
        "action_label": event.get_action_display(),
        "target": event.target,
        "old": event.old,
        "new": event.new,
    }


def value_saved(result: services.SaveResult) -> dict[str, Any]:
    return {
        "ok": True,
        "code": result.value.code,
        "raw": result.value.raw,
        "changed": result.changed,
        "version": result.report.version,
        "findings": findings(result.report, result.evaluation),
    }
