"""The layer rules between packages (style.md's picture), read from the source with ``ast``: every import of a
baocao module, at module level or inside a function, must point to the same layer or a lower one.

Layers, lowest first (a module takes the layer of its longest matching prefix):

0. ``core``: definitions, formulas, evaluation, rules, rollup arithmetic, numbers; imports no Django at all.
1. org units, accounts, rounds, settings readers, the JSON error shape: facts every app stands on.
2. the models of reports and analysis: fields, one-row facts, named queries.
3. ``access`` (the one check, which reads reports' models) and the legacy checker's pure modules.
4. ``reports`` services (one function per state change) and presenters (a report's data, built once for
   the page, the documents and JSON), and the legacy draft import.
5. ``analysis`` and ``documents``: built from reports.
6. pages and entry points: every app's views, urls, admin, template tags; ``web``, ``api``,
   ``cli``, ``demo``, ``config``.

One upward edge is the rule written down rather than removed: ``reports.services`` → ``analysis.rollups``.
The stored rollups of every unit above a report change in the same database transaction as the report's
status (a reviewer's figures are never a step behind, and a failure leaves both as they were); a signal or a
job would hide that or lose it.
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
    "access": 3,
    "legacy": 3,
    "reports": 4,
    "legacy.draft": 4,
    "analysis": 5,
    "documents": 5,
    "web": 6,
    "api": 6,
    "cli": 6,
    "demo": 6,
    "config": 6,
    "__main__": 6,
}
ALLOWED_UPWARD = {("reports.services", "analysis.rollups")}


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


def test_nothing_imports_a_layer_above_its_own() -> None:
    modules = _modules()
    upward = set()
    for module, path in modules.items():
        if not module:
            continue
        for name in imports(path):
            target = _target(name, modules)
            if target and target != module and layer(target) > layer(module):
                upward.add((module, target))
    assert upward == ALLOWED_UPWARD


def test_the_rules_themselves_catch_an_upward_import() -> None:
    """The checker is not vacuous: the real edges it knows of are found, and an invented one would be."""
    assert layer("core.evaluate") < layer("access") < layer("reports.services") < layer("analysis.rollups")
    assert layer("reports.views") == layer("api.api") == 6
    assert "baocao.analysis.rollups" in imports(SOURCE / "reports" / "services.py")
