"""One function finds a unit's report in a round for a user (``access.find_report``, ``find_started_report``
and ``locate`` under them): the views, the API and the CLI never look the round's unit up by its code on their
own. Hand-copied lookups drifted apart before (one took the first of two units sharing a code)."""

from __future__ import annotations

import re
from pathlib import Path

import baocao

SOURCE = Path(baocao.__file__).parent
# A respondent picked by its code, or a view's own report helper: what every copy of the lookup did.
LOOKUP = re.compile(r"respondents\.filter\(code=|^def _report\(request", re.MULTILINE)


def copies_of_the_lookup(root: Path) -> list[str]:
    return sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.relative_to(root) != Path("access.py") and LOOKUP.search(path.read_text(encoding="utf-8"))
    )


def test_only_access_looks_a_reports_unit_up_by_its_code() -> None:
    assert copies_of_the_lookup(SOURCE) == []


def test_the_rule_catches_a_views_own_lookup(tmp_path: Path) -> None:
    (tmp_path / "access.py").write_text("unit = round_.respondents.filter(code=code).first()\n")
    (tmp_path / "views.py").write_text("def _report(request, round_code, unit_code, action):\n    pass\n")
    (tmp_path / "api.py").write_text("unit = round_.respondents.filter(code=unit_code).first()\n")
    assert copies_of_the_lookup(tmp_path) == ["api.py", "views.py"]
