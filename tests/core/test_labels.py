"""The one label renderer: the paper form's italics kept, everything else text."""

from __future__ import annotations

from baocao.core.definition import load_definition
from baocao.core.labels import Segment, html_label, plain_label, segments


def test_segments_split_the_italics_and_keep_the_rest() -> None:
    label = "Tỷ lệ (<i>chỉ thống kê</i>) & <b>x</b>"
    assert segments(label) == (
        Segment("Tỷ lệ (", False),
        Segment("chỉ thống kê", True),
        Segment(") & <b>x</b>", False),
    )
    assert plain_label(label) == "Tỷ lệ (chỉ thống kê) & <b>x</b>"
    assert html_label(label) == "Tỷ lệ (<i>chỉ thống kê</i>) &amp; &lt;b&gt;x&lt;/b&gt;"


def test_an_unclosed_tag_shows_rather_than_swallowing_the_label() -> None:
    assert plain_label("a <i>b") == "a <i>b"
    assert html_label("a <i>b") == "a &lt;i&gt;b"


def test_no_label_of_the_definition_keeps_a_tag_in_plain_text() -> None:
    definition = load_definition("cchc-xa-quy")
    italic = [item.code for item in definition.items if any(s.italic for s in segments(item.label))]
    assert italic == ["7.1.a", "7.2.4"]
    assert not any("<" in plain_label(item.label) for item in definition.items)


def test_the_json_of_an_evaluation_carries_plain_and_html_labels() -> None:
    from baocao.core.evaluate import evaluate
    from baocao.core.serialize import evaluation_dict

    rows = {row["code"]: row for row in evaluation_dict(evaluate(load_definition("cchc-xa-quy"), {}))["rows"]}
    assert rows["7.2.4"]["label"].endswith("(chỉ thống kê đối với các TTHC trực tuyến có phát sinh hồ sơ)")
    assert "<i>chỉ thống kê" in rows["7.2.4"]["label_html"]


def test_no_module_strips_the_italics_by_hand() -> None:
    """The one label renderer: a hand-written ``.replace("<i>", "")`` is how two outputs once printed tags."""
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "src" / "baocao"
    by_hand = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if path.name != "labels.py" and '.replace("<i>"' in path.read_text(encoding="utf-8")
    ]
    assert by_hand == []
