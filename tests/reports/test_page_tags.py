"""The entry page's tags written in Python for speed give exactly what their template markup gave: the
table's row (``{% appendix_row %}``) for every row of the shipped commune form, typed and read-only, with
findings, imported and copied marks, notes, a superior's comments and text that needs escaping; a narrative
section (``{% narrative_body %}``) for every section of the form, with figures, the report's own values and
unknown codes bound in it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from baocao.core.definition import load_definition
from baocao.core.evaluate import evaluate
from baocao.core.templates import Placeholder, split
from baocao.core.values import load_demo_values
from baocao.reports.presenters import EntryRow, NarrativeSectionView, findings_by_code, stt_of

# The markup of reports/_table.html's row and of reports/_narrative_body.html before the tags, kept as the
# reference.
MARKUP = (Path(__file__).with_name("table_row_markup.html")).read_text(encoding="utf-8")
NARRATIVE_MARKUP = (Path(__file__).with_name("narrative_body_markup.html")).read_text(encoding="utf-8")
TAG = "{% load report_tags %}{% for row in rows %}{% appendix_row row %}{% endfor %}"
ODD = '<b>"Tom" & Jerry\'s</b>'


def rows() -> list[EntryRow]:
    definition = load_definition("cchc-xa-quy")
    values = {code: str(raw) for code, raw in load_demo_values().items() if raw is not None}
    evaluation = evaluate(definition, values)
    flagged = findings_by_code(evaluation)
    plain = [
        EntryRow(
            item=row.item,
            stt=stt_of(row.item),
            raw=values.get(row.item.code, ""),
            display=row.display,
            note="",
            findings=flagged.get(row.item.code, []),
            is_input=row.item.is_input,
        )
        for row in evaluation.rows
    ]
    assert {"group", "yesno", "text", "count_share", "count"} <= {row.item.type for row in plain}
    assert any(row.findings for row in plain) and any(row.display == "không phát sinh" for row in plain)
    odd = [
        replace(row, raw=ODD, note=ODD, imported=index % 2 == 0, copied=index % 3 == 0)
        for index, row in enumerate(plain)
    ]
    yes_no = [
        replace(row, raw=answer) for row in plain if row.item.type == "yesno" for answer in ("có", "Không")
    ]
    return plain + odd + yes_no


@pytest.mark.parametrize("edit", [True, False])
def test_the_row_tag_writes_what_the_markup_wrote(edit: bool) -> None:
    table = rows()
    when = datetime(2024, 3, 1, 2, 5, tzinfo=UTC)
    comments = {
        table[30].item.code: [SimpleNamespace(text=ODD, author="Trần <Văn> B", created_at=when)],
        table[5].item.code: [
            SimpleNamespace(text="Xem lại", author=None, created_at=when),
            SimpleNamespace(text="Thiếu số", author="", created_at=when),
        ],
    }
    context = {"rows": table, "actions": {"edit": edit}, "row_comments": comments}
    expected = Template(f"{{% load report_tags %}}{{% for row in rows %}}{MARKUP}{{% endfor %}}").render(
        Context(context)
    )
    assert Template(TAG).render(Context(context)) == expected
    assert "Trần &lt;Văn&gt; B" in expected and "&quot;Tom&quot;" in expected  # the variants did render


def test_the_narrative_tag_writes_what_the_markup_wrote() -> None:
    definition = load_definition("cchc-xa-quy")
    spec = definition.spec
    texts = [
        *spec.opening,
        *(p for section in definition.sections() for p in section.paragraphs),
        *spec.closing,
    ]
    texts.append(f"{ODD} {{@unit_name}} có {{7.2.4.a:02}} hồ sơ, {{khong.co}} và {{1.1}}.")

    def resolve(placeholder: Placeholder) -> str:
        return f"<{placeholder.name}> & {placeholder.pad}"

    sections = [
        NarrativeSectionView(
            str(index), "Mục", 1, text, True, [split(line, resolve) for line in text.split("\n")]
        )
        for index, text in enumerate(texts)
    ]
    assert sum(segment.placeholder is not None for s in sections for p in s.paragraphs for segment in p) > 20
    labels = {item.code: item.label for item in definition.items} | {"1.1": ODD}
    for section in sections:
        context = {"section": section, "labels": labels}
        expected = Template(NARRATIVE_MARKUP).render(Context(context))
        assert (
            Template("{% load report_tags %}{% narrative_body section %}").render(Context(context))
            == expected
        )
