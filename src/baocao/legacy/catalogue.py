"""The forms an old report may be checked against: the packaged ones and those published in the database
(``baocao.forms``), the latest published version of each code. A stored version supersedes the packaged file
of the same code. Forms cross process boundaries as references (code, version, where) and are compiled once
per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from baocao.core import yaml_load
from baocao.core.definition import Definition, DefinitionError, available_definitions, load_definition

__all__ = ["FormRef", "find_ref", "form_refs", "resolve"]

MSG_UNKNOWN = "không có biểu mẫu “{code}” (đã ban hành: {known})"


@dataclass(frozen=True, slots=True)
class FormRef:
    code: str
    version: int
    stored: bool  # published in the database (else the packaged file)
    level: str  # commune, district, province


@cache
def _packaged() -> tuple[FormRef, ...]:
    """The packaged forms, read up to their items only: compiling is left to the process that checks."""
    refs = []
    for code in available_definitions():
        text = (resources.files("baocao.core") / "definitions" / f"{code}.yaml").read_text(encoding="utf-8")
        head = yaml_load.safe_load(text.split("\nitems:", 1)[0])
        refs.append(FormRef(code, int(head["version"]), False, str(head["level"])))
    return tuple(refs)


def form_refs(use_database: bool = True) -> tuple[FormRef, ...]:
    """Every form to choose from. The database is asked when it can be (Django set up, tables made); a
    database that is not there yet leaves the packaged forms."""
    refs = {ref.code: ref for ref in _packaged()}
    if use_database:
        for ref in _published():
            refs[ref.code] = ref
    return tuple(refs[code] for code in sorted(refs))


def _published() -> list[FormRef]:
    from django.db import DatabaseError

    from baocao.django_setup import setup

    if _no_database_yet():
        return []
    setup()
    from baocao.forms.models import FormVersion

    try:
        rows = FormVersion.objects.published().order_by("code", "-version")
        latest: dict[str, FormRef] = {}
        for code, version, level in rows.values_list("code", "version", "level"):
            latest.setdefault(code, FormRef(code, version, True, level))
    except DatabaseError:
        return []
    return list(latest.values())


def _no_database_yet() -> bool:
    """The database is an SQLite file not made yet (a command run where no server ever ran): nothing can be
    published in it, and starting Django to find that out (about 0.4 s of CPU, most of a command's start) is
    spared; nor is the empty file made that asking would leave behind."""
    import os
    from pathlib import Path

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.settings")
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = str(database["NAME"])
    return (
        str(database["ENGINE"]).endswith("sqlite3")
        and not name.startswith(("file:", ":memory:"))
        and not Path(name).exists()
    )


def find_ref(code: str, refs: tuple[FormRef, ...]) -> FormRef:
    """The form named ``code`` among ``refs``; raises DefinitionError (a Vietnamese message) otherwise."""
    for ref in refs:
        if ref.code == code:
            return ref
    raise DefinitionError(MSG_UNKNOWN.format(code=code, known=", ".join(ref.code for ref in refs)))


def resolve(refs: tuple[FormRef, ...]) -> tuple[Definition, ...]:
    """The compiled forms, in the order given (each compiled once per process)."""
    return tuple(_compiled(ref) for ref in refs)


@lru_cache(maxsize=64)
def _compiled(ref: FormRef) -> Definition:
    if not ref.stored:
        return load_definition(ref.code)
    from baocao.django_setup import setup

    setup()
    from baocao.forms.registry import load_form

    return load_form(ref.code, ref.version)
