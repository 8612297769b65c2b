"""The seed: all eight conflicts of domain.md, none of its consistent figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from baocao.legacy.check import CheckResult, check_file

SEED = Path(__file__).parents[1] / "fixtures" / "seed" / "000_2f959b74d0f1a55a.txt"


@pytest.fixture(scope="module")
def result() -> CheckResult:
    return check_file(SEED)


def _find(result: CheckResult, rule: str, item: str | None = None) -> list[str]:
    return [f.message for f in result.findings if f.rule == rule and (item is None or item in f.items)]


def test_every_row_of_the_seed_appendix_is_mapped(result: CheckResult) -> None:
    assert len(result.document.rows) == 89
    assert result.mapping.unmapped == []


def test_1_hồ_sơ_parts_do_not_add_up(result: CheckResult) -> None:
    [message] = _find(result, "N-ho-so")
    assert "7" in message and "14" in message and "29" in message


def test_2_printed_ratio_7_2_4(result: CheckResult) -> None:
    [finding] = [f for f in result.findings if f.rule == "ratio.mismatch" and f.items == ("7.2.4",)]
    assert (finding.found, finding.expected, finding.source) == ("93,3", "24,14", "table")


def test_3_procedures_with_online_filings_exceed_online_hồ_sơ(result: CheckResult) -> None:
    assert _find(result, "R-7.2.4-phat-sinh")


def test_4_staff_total_in_prose_differs_from_table(result: CheckResult) -> None:
    [finding] = [f for f in result.findings if f.rule == "narrative.table_mismatch"]
    assert (finding.items, finding.found, finding.expected, finding.source) == (
        ("4.2.2",),
        "20",
        "18",
        "both",
    )
    assert "20 người" in finding.excerpt


def test_5_share_of_postgraduates(result: CheckResult) -> None:
    [finding] = [f for f in result.findings if f.items == ("N.staff_postgraduate_share",)]
    assert (finding.found, finding.expected, finding.source) == ("55,6", "5,6", "narrative")
    assert "Cao học 01 người chiếm 55,6%" in finding.excerpt


def test_6_zero_over_zero_printed_as_zero(result: CheckResult) -> None:
    assert {f.items[0] for f in result.findings if f.rule == "ratio.zero_base"} == {"2.2.1", "2.3.2", "3.4"}


def test_7_ratios_left_blank(result: CheckResult) -> None:
    assert {f.items[0] for f in result.findings if f.rule == "ratio.blank"} == {"7.2.1", "7.2.2"}
    assert all(f.severity == "warning" for f in result.findings if f.rule == "ratio.blank")


def test_8_document_number_year_contradicts_date(result: CheckResult) -> None:
    [finding] = [f for f in result.findings if f.rule == "narrative.document_year"]
    assert "283/2021/QĐ-UBND" in finding.message and (finding.found, finding.expected) == ("2021", "2023")


def test_nothing_else_is_flagged(result: CheckResult) -> None:
    assert len(result.findings) == 11  # the eight conflicts: #6 on three rows, #7 on two
    consistent = ("6,06", "65,79", "88,9", "83,3", "11,1", "44,4", "90,4", "9,6", "75/114", "16/18")
    for finding in result.findings:
        assert not any(figure in finding.found for figure in consistent), finding


def test_consistent_prose_figures_are_bound_and_agree(result: CheckResult) -> None:
    bound = {(b.code, b.text) for b in result.bound}
    assert {
        ("N.online_service_share", "65,79"),
        ("N.staff_good_share", "88,9"),
        ("3.1.4", "114"),
        ("7.2.2.b", "62"),
        ("7.2.1.b", "13"),
        ("N.staff_university_share", "83,3"),
    } <= bound


def test_the_checker_imports_no_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys, baocao.legacy.check, baocao.legacy.office, baocao.legacy.pdf\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
