"""The report table's row (``{% appendix_row %}``, written in Python for speed) gives exactly what its
template markup gave: every row of the shipped commune form, typed and read-only, with findings, imported
and copied marks, notes, a superior's comments and text that needs escaping."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from baocao.core.definition import load_definition
from baocao.core.evaluate import evaluate
from baocao.core.values import load_demo_values
from baocao.reports.presenters import EntryRow, findings_by_code, stt_of

# The row as reports/_table.html wrote it in markup before {% appendix_row %}, kept as the reference.
MARKUP = (Path(__file__).with_name("table_row_markup.html")).read_text(encoding="utf-8")
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
