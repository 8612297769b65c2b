"""The review page's data: what the leader reads before sending and the receiving level before deciding.

The figures and findings with their explanations, what changed since the report was last returned (cell by
cell, who and when), the return reason and remarks, what still stops sending, and the document as built for
Word, rendered as HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from baocao.access import Target, receiving_unit
from baocao.documents.builder import build_report
from baocao.reports import services
from baocao.reports.history import changes_since_return
from baocao.reports.presenters import actions_for, entry_rows

if TYPE_CHECKING:
    from django.http import HttpRequest

    from baocao.accounts.models import User
    from baocao.reports.models import Report

__all__ = ["review_context"]


def review_context(request: HttpRequest, report: Report) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    values = list(report.values.all())  # read once: for the evaluation and for the rows' cells
    evaluation = services.report_evaluation(report, {v.code: v.raw for v in values})
    blockers = services.sending_blockers(report, evaluation)
    last_return, changes = changes_since_return(report)
    explanations = dict(report.explanations.values_list("rule", "text"))
    comments = services.row_comments(report)
    return {
        "report": report,
        "round": report.round,
        "unit": report.unit,
        "definition": evaluation.definition,
        "actions": actions_for(user, Target.of(report)),
        "receiver": receiving_unit(report.round, report.unit),
        "rows": entry_rows(report, evaluation, comments, values),
        "errors": blockers.errors,
        "warnings": [(f, explanations.get(f.rule, "")) for f in evaluation.warnings],
        "blockers": blockers,
        "last_return": last_return,
        "changes": changes,
        "row_comments": comments,
        "document": build_report(report, evaluation),
    }
