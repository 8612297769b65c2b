"""The layer rules between packages (style.md's picture), read from the source with ``ast``: every import of a
baocao module, at module level or inside a function, must point to the same layer or a lower one.

Layers, lowest first (a module takes the layer of its longest matching prefix):

0. ``core``: definitions, formulas, evaluation, rules, rollup arithmetic, numbers; imports no Django at all.
1. org units, accounts, rounds, settings readers, the JSON error shape, the one LibreOffice runner
   (``soffice``, used by documents' PDF and the legacy checker): facts every app stands on.
2. the models of reports, analysis, signing and jobs, and the stored forms (``forms.models``, the registry
   every report reads its definition from, and ``forms.services``, the changes to stored versions): fields,
   one-row facts, named queries.
3. ``access`` (the one check, which reads reports' and forms' models) and the legacy checker's pure modules.
4. ``reports`` services (one function per state change, ``reports.workflow`` for the states) and presenters
   (a report's data, built once for the page, the documents and JSON), the legacy draft import
   (``legacy.draft``, ``legacy.services``), ``rounds.services`` (creating a round: ``access`` says who
   may, ``forms.services`` which form), and the jobs' services and worker (``jobs``: enqueue, run with
   progress, recover what a dead worker left), which the areas above define their tasks with.
5. ``analysis``, ``documents`` and ``signing`` (which signs documents' PDF), and the preview of a form draft
   (a sample report built by reports and documents): built from reports.
6. pages and entry points: every app's views, urls, admin, template tags; ``web``, ``api``,
   ``cli``, ``demo``, ``config``.

Two upward edges are the rule written down rather than removed:

- ``reports.workflow`` → ``analysis.rollups``: the stored rollups of every unit above a report change in the
  same database transaction as the report's status (a reviewer's figures are never a step behind, and a
  failure leaves both as they were); a signal or a job would hide that or lose it.
- ``rounds.models`` → ``forms.services``: ``Round.clean`` checks that the pinned form version is published
  and offered to the asking unit, so the admin, the forms pages and the CLI all refuse the same rounds (a
  deferred import; the registry names rounds only for typing).
"""

from __future__ import annotations

import ast
from pathlib import Path

import baocao

SOURCE = Path(baocao.__file__).parent
PAGES = ("views", "urls", "admin", "templatetags", "apps")
LAYERS: dict[str, int] = {
    "core": 0,
    "units": 1,
    "accounts": 1,
    "rounds": 1,
    "errors": 1,
    "django_setup": 1,
    "config.env": 1,
    "reports.models": 2,
    "analysis.models": 2,
    "signing.models": 2,
    "forms.models": 2,
    "forms.registry": 2,
    "forms.services": 2,
    "jobs.models": 2,
    "access": 3,
    "legacy": 3,
    "soffice": 1,
    "reports": 4,
    "rounds.services": 4,
    "legacy.draft": 4,
    "legacy.services": 4,
    "legacy.jobs": 5,
    "jobs": 4,
    "analysis": 5,
    "documents": 5,
    "signing": 5,
    "forms": 5,
    "web": 6,
    "api": 6,
    "cli": 6,
    "demo": 6,
    "config": 6,
    "__main__": 6,
}
ALLOWED_UPWARD = {("reports.workflow", "analysis.rollups"), ("rounds.models", "forms.services")}


def _modules() -> dict[str, Path]:
    found = {}
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE).with_suffix("").parts
        if "migrations" in parts:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def layer(module: str) -> int:
    parts = module.split(".")
    if (len(parts) > 1 and parts[1] in PAGES) or parts[-1] in PAGES:
        return 6
    for size in range(len(parts), 0, -1):
        prefix = ".".join(parts[:size])
        if prefix in LAYERS:
            return LAYERS[prefix]
    raise AssertionError(f"baocao.{module} has no layer: add it to LAYERS")


def imports(path: Path) -> set[str]:
    """Every absolute module named by an import in the file, inside functions too."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from baocao.analysis import rollups`` depends on analysis.rollups (not on all of analysis).
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _target(name: str, modules: dict[str, Path]) -> str | None:
    """The baocao module an imported name belongs to (``baocao.access.Action`` → ``access``)."""
    if not name.startswith("baocao."):
        return None
    parts = name.removeprefix("baocao.").split(".")
    for size in range(len(parts), 0, -1):
        candidate = ".".join(parts[:size])
        if candidate in modules:
            return candidate
    return None


def test_every_module_has_a_layer() -> None:
    for module in _modules():
        if module:
            layer(module)


def test_core_imports_no_django_and_nothing_above_it() -> None:
    modules = _modules()
    offenders = []
    for module, path in modules.items():
        if not module.startswith("core"):
            continue
        for name in imports(path):
            target = _target(name, modules)
            if name.split(".")[0] in ("django", "axes", "ninja", "django_htmx", "whitenoise", "csp"):
                offenders.append(f"{module} imports {name}")
            elif target is not None and not target.startswith("core"):
                offenders.append(f"{module} imports baocao.{target}")
    assert offenders == []


def upward_edges(modules: dict[str, Path]) -> set[tuple[str, str]]:
    """Every (module, imported module) pair where the import points to a higher layer."""
    upward = set()
    for module, path in modules.items():
        if not module:
            continue
        for name in imports(path):
            target = _target(name, modules)
            if target and target != module and layer(target) > layer(module):
                upward.add((module, target))
    return upward


def test_nothing_imports_a_layer_above_its_own() -> None:
    assert upward_edges(_modules()) == ALLOWED_UPWARD


def test_the_rules_themselves_catch_an_upward_import(tmp_path: Path) -> None:
    """The checker is not vacuous: the real edges it knows of are found, and an invented one would be."""
    assert layer("core.evaluate") < layer("access") < layer("reports.workflow") < layer("analysis.rollups")
    assert layer("rounds.models") < layer("forms.registry") < layer("access") < layer("signing.services")
    assert layer("reports.views") == layer("api.api") == layer("forms.views") == layer("signing.urls") == 6
    assert "baocao.analysis.rollups" in imports(SOURCE / "reports" / "workflow.py")
    assert "baocao.forms.services.round_form_problem" in imports(SOURCE / "rounds" / "models.py")
    invented = tmp_path / "invented.py"
    invented.write_text("def f():\n    from baocao.signing import services\n", encoding="utf-8")
    modules = {"reports.invented": invented, "signing.services": SOURCE / "signing" / "services.py"}
    assert upward_edges(modules) == {("reports.invented", "signing.services")}
