from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.core.formula import NOT_APPLICABLE, Band, FormulaError, compile_expression, references

TYPES = {"a": "number", "b": "number", "y": "bool", "t": "text", "1.2.1": "number", "2.2.1.a": "number"}
D = Decimal


def run(text: str, env: dict[str, object], **options: object) -> object:
    return compile_expression(text, TYPES, **options).fn(env)  # type: ignore[arg-type]


def test_ratio_of_two_items() -> None:
    assert run("{a} / {b} * 100", {"a": D(16), "b": D(18)}) == D(16) / D(18) * 100


def test_division_by_zero_is_not_applicable_not_zero() -> None:
    assert run("{a} / {b} * 100", {"a": D(0), "b": D(0)}) is NOT_APPLICABLE


def test_blank_spreads_through_arithmetic() -> None:
    assert run("{a} + {b}", {"a": D(1)}) is None
    assert run("{a} + {b}", {"a": D(1)}, blank_as_zero=True) == D(1)


def test_codes_with_dots_and_letters() -> None:
    compiled = compile_expression("{1.2.1} - {2.2.1.a}", TYPES)
    assert compiled.refs == {"1.2.1", "2.2.1.a"}
    assert references("{1.2.1} + 2") == {"1.2.1"}


def test_precedence_and_logic() -> None:
    assert run("1 + 2 * 3", {}) == D(7)
    assert run("(1 + 2) * 3", {}) == D(9)
    assert run("-{a} + 5", {"a": D(2)}) == D(3)
    assert run("{a} > 1 and not {y}", {"a": D(2), "y": False}) is True
    assert run("{a} > 1 or {b} > 1", {"a": D(2)}) is True  # unknown side does not matter
    assert run("{a} > 1 and {b} > 1", {"a": D(2)}) is None


def test_functions() -> None:
    env = {"a": D("2.25"), "b": D(3)}
    assert run("min({a}, {b})", env) == D("2.25")
    assert run("max({a}, {b}, 10)", env) == D(10)
    assert run("round({a}, 1)", env) == D("2.3")
    assert run("abs(0 - {b})", env) == D(3)
    assert run('if({a} > 2, "lớn", "nhỏ")', env) == "lớn"
    assert run("isblank({t})", {}) is True
    assert run("coalesce({a}, 0)", {}) == D(0)


def test_band_uses_configured_thresholds() -> None:
    scales = {"qd766": [Band(D(90), "Xuất sắc"), Band(D(50), "Trung bình"), Band(D(0), "Yếu")]}
    assert run('band({a}, "qd766")', {"a": D("58.73")}, scales=scales) == "Trung bình"
    assert run('band({a}, "qd766")', {"a": D(90)}, scales=scales) == "Xuất sắc"
    assert run('band({a}, "qd766")', {}, scales=scales) is None
    with pytest.raises(FormulaError, match="thang xếp loại"):
        compile_expression('band({a}, "khac")', TYPES, scales=scales)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "sai cú pháp"),
        ('__import__("os")', "không được phép"),
        ("{a}.__class__", "sai cú pháp"),
        ("open({t})", "không được phép"),
        ("{zz} + 1", "không có trong biểu mẫu"),
        ("{a} and {y}", "cần Có/Không"),
        ("{t} + 1", "cần số"),
        ("{a} +", "sai cú pháp"),
        ("", "trống"),
        ("min()", "cần 1–32 đối số"),
        ("lambda: 1", "sai cú pháp"),
    ],
)
def test_text_outside_the_grammar_is_refused(text: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message):
        compile_expression(text, TYPES)
