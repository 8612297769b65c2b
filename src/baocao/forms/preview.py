"""A form seen before it is published: its entry page and a Word document filled with sample figures.

The sample is a real report of a sample unit in a round on the form, built by the same code as every report
(evaluation, entry rows, document builder) inside a transaction that is then rolled back: nothing of it is
stored, and the draft stays a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from baocao.core.definition import Definition
from baocao.core.evaluate import Evaluation
from baocao.core.kept import Kept
from baocao.core.periods import AD_HOC_KINDS
from baocao.documents.builder import BuiltReport, build_report
from baocao.forms.models import LEVEL_NAMES, FormStatus, FormVersion
from baocao.forms.registry import form_definition
from baocao.reports.models import Report, Value
from baocao.reports.presenters import EntryRow, entry_rows
from baocao.reports.services import report_evaluation
from baocao.rounds.models import Round
from baocao.units.models import OrgUnit

__all__ = ["Sample", "sample_report", "sample_values"]

SAMPLE_BY_TYPE = {
    "count": "12",
    "count_share": "12",
    "decimal": "1,5",
    "percent": "50",
    "yesno": "Có",
    "text": "(nội dung mẫu)",
}
SAMPLE_UNIT = "Mẫu"


@dataclass
class Sample:
    definition: Definition
    evaluation: Evaluation
    rows: list[EntryRow]
    built: BuiltReport


def sample_values(definition: Definition) -> dict[str, str]:
    """A figure for every input row: the same count everywhere, so parts never exceed their whole."""
    return {item.code: SAMPLE_BY_TYPE[item.type] for item in definition.input_items}


# Samples by the form's content hash and version and the day (the sample round is in the current year): a
# stored version never changes, and a sample takes some 30 ms to build. Read-only: callers render it.
SAMPLES_KEPT = 8
_samples: Kept[tuple[str, int, date], Sample] = Kept(SAMPLES_KEPT)


def sample_report(form: FormVersion) -> Sample:
    return _samples.get_or_make((form.sha256, form.version, date.today()), lambda: _build_sample(form))


def _build_sample(form: FormVersion) -> Sample:
    definition = form_definition(form)
    with transaction.atomic():
        # Seen as published inside this transaction only, so that a round can pin it like any other.
        FormVersion.objects.filter(pk=form.pk).update(status=FormStatus.PUBLISHED)
        report = _report(form, definition)
        evaluation = report_evaluation(report)
        sample = Sample(
            definition, evaluation, entry_rows(report, evaluation), build_report(report, evaluation)
        )
        transaction.set_rollback(True)
    return sample


def _report(form: FormVersion, definition: Definition) -> Report:
    level = definition.spec.level
    unit = OrgUnit.objects.create(code="00000", name=SAMPLE_UNIT, kind=LEVEL_NAMES[level], level=level)
    year = date.today().year
    round_ = Round.objects.create(
        code=f"mau-{form.code}-{form.version}",
        title=f"{definition.spec.title} (mẫu)",
        definition_code=form.code,
        definition_version=form.version,
        period_type=definition.spec.periods[0],
        topic=definition.spec.subject if definition.spec.periods[0] in AD_HOC_KINDS else "",
        year=year,
        period_number=1,
        window_start=date(year - 1, 12, 15),
        window_end=date(year, 3, 14),
        due_date=date(year, 3, 20),
        lock_date=date(year, 3, 20),
        requested_by=unit,
    )
    report = Report.objects.create(round=round_, unit=unit, place=SAMPLE_UNIT)
    Value.objects.bulk_create(
        Value(report=report, code=code, raw=raw) for code, raw in sample_values(definition).items()
    )
    return report
