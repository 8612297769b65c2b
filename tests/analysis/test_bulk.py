"""The national dataset's figures keep the definition's rules; bulk loading ends in correct rollup cells."""

from __future__ import annotations

import pytest

from baocao.analysis.bulk import bulk_accepted_reports, quarter_round, rollup_rebuild
from baocao.analysis.models import RollupCell
from baocao.analysis.rollups import unit_rollup
from baocao.core.definition import load_definition
from baocao.core.evaluate import evaluate
from baocao.demo.invented import invented_values
from baocao.units.dvhc import load_units_2025_03
from baocao.units.models import OrgUnit


def test_generated_figures_raise_no_error_and_no_warning() -> None:
    definition = load_definition("cchc-xa-quy")
    for quarter in range(1, 9):
        for code in ("00001", "02008", "10000", "32248", "27000"):
            findings = evaluate(definition, invented_values(str(quarter * 100_000 + int(code)))).findings
            assert findings == (), (quarter, code, findings)


@pytest.mark.django_db
def test_bulk_reports_give_the_same_cells_as_a_rebuild_and_count_every_level() -> None:
    load_units_2025_03(district_codes={"063", "064"})
    communes = list(OrgUnit.objects.filter(level="commune"))
    province = OrgUnit.objects.get(code="06")
    round_ = quarter_round(year=2024, quarter=1, requested_by=province, respondents=[u.pk for u in communes])
    made = bulk_accepted_reports(round_, lambda unit: invented_values(unit.code), communes)
    assert made == len(communes)
    assert bulk_accepted_reports(round_, lambda unit: invented_values(unit.code), communes) == 0
    assert unit_rollup(round_, None).reports == len(communes)
    assert unit_rollup(round_, province).reports == len(communes)
    assert unit_rollup(round_, OrgUnit.objects.get(code="063")).reports == 14
    cells = sorted(RollupCell.objects.values_list("unit_key", "bucket", "code", "total", "reported", "yes"))
    rollup_rebuild(round_)
    assert (
        sorted(RollupCell.objects.values_list("unit_key", "bucket", "code", "total", "reported", "yes"))
        == cells
    )
