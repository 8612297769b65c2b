from __future__ import annotations

import textwrap

import pytest

from baocao.core.definition import DefinitionError, available_definitions, load_definition, parse_definition

HEADER = """
code: thu-nghiem
version: 1
title: Biểu thử nghiệm
subject: Thử nghiệm
issuing_body: UBND xã
level: commune
periods: [quarter]
appendix_title: BIỂU THỬ
"""


def definition(items: str, rules: str = "", narrative: str = "") -> str:
    text = HEADER + "items:\n" + textwrap.indent(textwrap.dedent(items), "  ")
    if rules:
        text += "rules:\n" + textwrap.indent(textwrap.dedent(rules), "  ")
    if narrative:
        text += "narrative:\n" + textwrap.indent(textwrap.dedent(narrative), "  ")
    return text


GOOD_ITEMS = """
- {code: "1", label: Nhóm, type: group}
- {code: "1.1", label: Tỷ lệ, unit: "%", type: ratio, formula: "{1.1.b} / {1.1.a} * 100"}
- {code: "1.1.a", label: Tổng, unit: Hồ sơ, type: count, over_time: flow}
- {code: "1.1.b", label: Đúng hạn, unit: Hồ sơ, type: count, over_time: flow}
"""


def test_a_valid_definition_compiles_its_formulas_in_dependency_order() -> None:
    loaded = parse_definition(definition(GOOD_ITEMS))
    assert [item.code for item, _ in loaded.computed] == ["1.1"]
    assert loaded.parents["1.1.a"] == "1.1"
    assert loaded.rollup_of(loaded.by_code["1.1"]) == "ratio"


def test_duplicate_code_names_the_item() -> None:
    items = GOOD_ITEMS + '- {code: "1.1.a", label: Lặp, type: count, over_time: flow}\n'
    with pytest.raises(DefinitionError, match=r"mục 1.1.a: mã “1.1.a” bị trùng"):
        parse_definition(definition(items), source="thu.yaml")


def test_unknown_code_in_a_formula_names_the_item() -> None:
    items = GOOD_ITEMS.replace("{1.1.a} * 100", "{9.9} * 100")
    with pytest.raises(DefinitionError, match=r"mục 1.1, công thức: .*“9.9” không có"):
        parse_definition(definition(items))


def test_cycle_is_refused() -> None:
    items = """
    - {code: "1", label: A, unit: "%", type: ratio, formula: "{2} / 2"}
    - {code: "2", label: B, unit: "%", type: ratio, formula: "{1} * 2"}
    """
    with pytest.raises(DefinitionError, match=r"vòng tròn"):
        parse_definition(definition(items))


def test_code_injection_in_a_formula_is_refused() -> None:
    items = GOOD_ITEMS.replace('"{1.1.b} / {1.1.a} * 100"', "\"__import__('os')\"")
    with pytest.raises(DefinitionError, match=r"thu.yaml: mục 1.1, công thức: .*sai cú pháp"):
        parse_definition(definition(items), source="thu.yaml")
    items = GOOD_ITEMS.replace('"{1.1.b} / {1.1.a} * 100"', '"__import__(\\"os\\")"')
    with pytest.raises(DefinitionError, match=r"không được phép"):
        parse_definition(definition(items))


def test_rule_with_unknown_code_names_the_rule() -> None:
    rules = """
    - {code: R1, left: "{1.1.b}", op: "<=", right: "{1.1.x}", severity: error, message: Sai}
    """
    with pytest.raises(DefinitionError, match=r"quy tắc R1, vế phải"):
        parse_definition(definition(GOOD_ITEMS, rules))


def test_rule_comparing_a_group_row_is_refused() -> None:
    rules = """
    - {code: R1, left: "{1}", op: "<=", right: "{1.1.a}", severity: error, message: Sai}
    """
    with pytest.raises(DefinitionError, match=r"dòng tiêu đề nhóm"):
        parse_definition(definition(GOOD_ITEMS, rules))


def test_type_mismatch_is_refused() -> None:
    items = GOOD_ITEMS + '- {code: "2", label: Có, unit: Có/không, type: yesno, over_time: stock}\n'
    rules = """
    - {code: R1, left: "{2}", op: "<", right: "{1.1.a}", severity: error, message: Sai}
    """
    with pytest.raises(DefinitionError, match=r"quy tắc R1: hai vế so sánh khác kiểu"):
        parse_definition(definition(items, rules))


def test_unquoted_code_is_explained() -> None:
    items = GOOD_ITEMS.replace('code: "1.1.a"', "code: 1.5")
    with pytest.raises(DefinitionError, match=r"trường code: phải là chuỗi"):
        parse_definition(definition(items))


def test_unknown_field_and_unknown_type() -> None:
    with pytest.raises(DefinitionError, match=r"mục 1.1.a, trường colour: trường không được phép"):
        parse_definition(
            definition(GOOD_ITEMS.replace("over_time: flow}", "over_time: flow, colour: red}", 1))
        )
    with pytest.raises(DefinitionError, match=r"trường type: giá trị phải là một trong"):
        parse_definition(definition(GOOD_ITEMS.replace("type: group", "type: header")))


def test_placeholder_must_name_an_item() -> None:
    narrative = """
    - code: I
      title: Kết quả
      paragraphs: ["Tiếp nhận {1.1.a} hồ sơ tại {@unit_name}, sai {7.7}."]
    """
    with pytest.raises(DefinitionError, match=r"phần I, đoạn 1: chỗ điền “\{7.7\}”"):
        parse_definition(definition(GOOD_ITEMS, narrative=narrative))


def test_opening_and_closing_placeholders_are_checked() -> None:
    good = definition(GOOD_ITEMS) + 'opening: ["{@unit_name} báo cáo như sau:"]\nclosing: ["Trên đây./."]\n'
    parsed = parse_definition(good)
    assert parsed.spec.opening == ["{@unit_name} báo cáo như sau:"]
    assert parsed.narrative_codes() == ("opening", "closing")
    with pytest.raises(DefinitionError, match=r"đoạn kết thúc 1: chỗ điền “\{9.9\}”"):
        parse_definition(definition(GOOD_ITEMS) + 'closing: ["Có {9.9} việc./."]\n')


def test_sub_row_must_follow_its_parent() -> None:
    items = """
    - {code: "1.1.a", label: Tổng, unit: Hồ sơ, type: count, over_time: flow}
    - {code: "1.1", label: Tổng, unit: Hồ sơ, type: count, over_time: flow}
    """
    with pytest.raises(DefinitionError, match=r"phải đứng sau dòng “1.1”"):
        parse_definition(definition(items))


def test_broken_yaml_is_reported_not_raised() -> None:
    with pytest.raises(DefinitionError, match=r"không đọc được YAML"):
        parse_definition("items: [", source="hong.yaml")


def test_unknown_definition_lists_the_known_ones() -> None:
    with pytest.raises(DefinitionError, match=r"cchc-xa-quy"):
        load_definition("khong-co")
    assert "cchc-xa-quy" in available_definitions()
