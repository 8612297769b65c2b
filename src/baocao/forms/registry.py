"""The one way to get a form: by code and version from the stored versions, or for a round.

Every caller that used to load ``round_.definition_code`` from the package asks here, so a round on version 1
and a round on version 2 of the same form are each read with their own version. A published version never
changes, so its compiled form is cached by its content hash.
"""

from __future__ import annotations

import json
from contextlib import suppress
from hashlib import sha256
from typing import TYPE_CHECKING, Any

from baocao.core.definition import (
    Definition,
    DefinitionError,
    available_definitions,
    compile_definition,
    load_definition,
)
from baocao.core.kept import Kept
from baocao.core.schema import DefinitionSpec
from baocao.forms.models import FormStatus, FormVersion

if TYPE_CHECKING:
    from baocao.rounds.models import Round

__all__ = [
    "definition_for_round",
    "form_definition",
    "load_form",
    "share_round_form",
    "spec_sha256",
    "version_chain",
]

MSG_UNKNOWN = "không có biểu mẫu “{code}”"
MSG_UNKNOWN_VERSION = "biểu mẫu “{code}” không có phiên bản {version} đã ban hành"

# Compiled forms by content hash and version; drafts come and go, so only the most recent are kept.
CACHE_SIZE = 64
_compiled: Kept[str, Definition] = Kept(CACHE_SIZE)


def spec_sha256(spec: DefinitionSpec) -> str:
    """The content hash of a form, its version number left out (a re-published copy is no new form)."""
    data = spec.model_dump(mode="json")
    data["version"] = 0
    return sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def form_definition(form: FormVersion) -> Definition:
    """The compiled form of a stored version (published or draft)."""

    def compiled() -> Definition:
        spec = DefinitionSpec.model_validate_json(json.dumps(form.spec))
        return compile_definition(spec, source=f"{form.code} v{form.version}")

    return _compiled.get_or_make(f"{form.sha256}:{form.version}", compiled)


def load_form(code: str, version: int | None = None) -> Definition:
    """A published form: the given version, or the latest one."""
    rows = FormVersion.objects.filter(code=code, status=FormStatus.PUBLISHED)
    rows = rows.filter(version=version) if version is not None else rows.order_by("-version")
    # Only the hash is read on every call: the form itself (about 100 KB of JSON) only when not cached.
    found = rows.values_list("pk", "sha256", "version").first()
    if found is not None:
        pk, sha, number = found
        return _compiled.get(f"{sha}:{number}") or form_definition(FormVersion.objects.get(pk=pk))
    # Before the seeds are stored (a database being set up), the package's own file is that version.
    if code in available_definitions():
        packaged = load_definition(code)
        if version is None or version == packaged.version:
            return packaged
    known = code in available_definitions() or FormVersion.objects.filter(code=code).exists()
    if version is None or not known:
        raise DefinitionError(MSG_UNKNOWN.format(code=code))
    raise DefinitionError(MSG_UNKNOWN_VERSION.format(code=code, version=version))


class _RoundForm:
    """A round's form as kept on the round object: shared by its copies (a compiled form is never copied),
    left out when the round is pickled (found again after)."""

    __slots__ = ("definition", "pinned")

    def __init__(self, pinned: tuple[str, int], definition: Definition) -> None:
        self.pinned, self.definition = pinned, definition

    def __deepcopy__(self, memo: dict[int, Any]) -> _RoundForm:
        return self

    def __reduce__(self) -> tuple[type[None], tuple[()]]:
        return (type(None), ())


def definition_for_round(round_: Round | Any) -> Definition:
    """The form a round asks for, in the version it pinned.

    Kept on the round object once found (a published version never changes): a request or a service call
    asks for its round's form several times, each a query for the version's hash otherwise."""
    pinned = (round_.definition_code, round_.definition_version)
    kept = getattr(round_, "_baocao_definition", None)
    if isinstance(kept, _RoundForm) and kept.pinned == pinned:
        return kept.definition
    definition = load_form(*pinned)
    with suppress(AttributeError):  # a frozen stand-in for a round (a plan): nothing kept
        setattr(round_, "_baocao_definition", _RoundForm(pinned, definition))  # noqa: B010 - a cache on the object
    return definition


def share_round_form(round_: Round, known: Round) -> None:
    """``round_``, the same round read again, keeps the form already found for ``known``: checked against
    ``round_``'s own pin when asked for (``definition_for_round``), so a changed pin still finds its form."""
    kept = getattr(known, "_baocao_definition", None)
    if isinstance(kept, _RoundForm) and round_.pk == known.pk:
        setattr(round_, "_baocao_definition", kept)  # noqa: B010 - a cache on the object


def version_chain(definition: Definition, since: int) -> tuple[Definition, ...]:
    """The consecutive versions of ``definition``'s form from ``since`` up to ``definition`` itself, whose
    mappings carry an older version's figures into its codes; just ``definition`` when ``since`` is not older
    or a version between is missing."""
    try:
        older = [load_form(definition.code, version) for version in range(since, definition.version)]
    except DefinitionError:
        older = []
    return (*older, definition)
