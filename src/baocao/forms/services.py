"""Every change to stored forms: the shipped seeds, a workbook checked into a draft, a draft published.

Each function is atomic and called alike by the web, the CLI and the API. A published version is never
changed: publishing a changed form makes the next version.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from baocao.core import yaml_load
from baocao.core.definition import Definition, available_definitions, load_definition
from baocao.core.form_import import import_workbook
from baocao.core.schema import DefinitionSpec
from baocao.forms.models import FormStatus, FormVersion
from baocao.forms.registry import form_definition, spec_sha256

if TYPE_CHECKING:
    from baocao.accounts.models import User
    from baocao.units.models import OrgUnit

__all__ = [
    "FormError",
    "import_form",
    "load_seed_forms",
    "previous_version",
    "publish_form",
    "round_form_problem",
    "save_draft",
    "seed_forms_stored",
]

MSG_OWNER = "biểu mẫu “{code}” do {owner} ban hành; chỉ đơn vị đó ban hành phiên bản mới"
MSG_UNCHANGED = "biểu mẫu “{code}” không thay đổi so với phiên bản {version} đã ban hành"
MSG_PUBLISHED = "phiên bản {version} của biểu mẫu “{code}” đã ban hành; không sửa được"
MSG_NO_VERSION = "biểu mẫu “{code}” không có phiên bản {version} đã ban hành"
MSG_NOT_OFFERED = "biểu mẫu “{code}” do {owner} ban hành, chỉ dùng cho các đơn vị của tỉnh đó"


class FormError(ValueError):
    """A form that cannot be stored or published, with the reason in Vietnamese."""


def load_seed_forms(*, using: str = "default") -> int:
    """Store each packaged form (a shipped seed) as a published version when it is not stored yet."""
    created = 0
    for code in available_definitions():
        definition = load_definition(code)
        rows = FormVersion.objects.using(using)
        if rows.filter(code=code, version=definition.version).exists():
            continue
        rows.create(**_fields(definition.spec), status=FormStatus.PUBLISHED, published_at=timezone.now())
        created += 1
    return created


def seed_forms_stored(*, using: str = "default") -> bool:
    """Whether ``load_seed_forms`` has nothing to store: each packaged form's version is stored already. Only
    the files' ``version`` is read (a few milliseconds), where ``load_seed_forms`` checks and compiles each
    form (half a second in a fresh process); a file whose version cannot be read counts as not stored."""
    stored = set(FormVersion.objects.using(using).values_list("code", "version"))
    return all((code, _packaged_version(code)) in stored for code in available_definitions())


@cache
def _packaged_version(code: str) -> int | None:
    text = (resources.files("baocao.core") / "definitions" / f"{code}.yaml").read_text(encoding="utf-8")
    header = yaml_load.safe_load(text)
    version = header.get("version") if isinstance(header, dict) else None
    return version if type(version) is int else None


def _fields(spec: DefinitionSpec) -> dict[str, object]:
    return {
        "code": spec.code,
        "version": spec.version,
        "title": spec.title,
        "level": spec.level,
        "periods": list(spec.periods),
        "spec": spec.model_dump(mode="json"),
        "sha256": spec_sha256(spec),
    }


@transaction.atomic
def save_draft(
    *, definition: Definition, owner: OrgUnit | None, user: User | None, source_name: str = ""
) -> FormVersion:
    """The checked form as the next version of its code, a draft; an earlier draft of the code is replaced."""
    code = definition.code
    published = FormVersion.objects.select_for_update().filter(code=code, status=FormStatus.PUBLISHED)
    latest = published.order_by("-version").first()
    if latest is not None and latest.owner_id != (owner.pk if owner else None):
        raise FormError(MSG_OWNER.format(code=code, owner=latest.owner_name))
    if latest is not None and latest.sha256 == spec_sha256(definition.spec):
        raise FormError(MSG_UNCHANGED.format(code=code, version=latest.version))
    FormVersion.objects.filter(code=code, status=FormStatus.DRAFT).delete()
    number = latest.version + 1 if latest else definition.version
    spec = definition.spec.model_copy(update={"version": number})
    return FormVersion.objects.create(
        **_fields(spec), status=FormStatus.DRAFT, owner=owner, created_by=user, source_name=source_name[:200]
    )


def previous_version(code: str) -> Definition | None:
    """The latest published version of ``code``: the one a new version follows (and maps its codes from)."""
    form = FormVersion.objects.filter(code=code, status=FormStatus.PUBLISHED).order_by("-version").first()
    return form_definition(form) if form is not None else None


@transaction.atomic
def publish_form(*, form: FormVersion, user: User | None) -> FormVersion:
    form = FormVersion.objects.select_for_update().get(pk=form.pk)
    if form.status == FormStatus.PUBLISHED:
        raise FormError(MSG_PUBLISHED.format(version=form.version, code=form.code))
    form.status = FormStatus.PUBLISHED
    form.published_at = timezone.now()
    form.published_by = user
    form.save(update_fields=["status", "published_at", "published_by"])
    return form


def import_form(
    *, data: bytes, owner: OrgUnit | None, user: User | None, source_name: str, publish: bool = False
) -> FormVersion:
    """A workbook checked (``WorkbookError`` lists every problem), stored as a draft, published if asked."""
    definition = import_workbook(data, source=source_name, previous=previous_version)
    form = save_draft(definition=definition, owner=owner, user=user, source_name=source_name)
    return publish_form(form=form, user=user) if publish else form


def round_form_problem(code: str, version: int, requested_by: OrgUnit | None) -> str:
    """Why a round may not pin this form version ("" when it may): it must be published and offered to the
    unit that asks (a province's form to that province's units only). Its content (``spec``) is not read."""
    published = FormVersion.objects.filter(code=code, version=version, status=FormStatus.PUBLISHED)
    form = published.defer("spec").first()
    if form is None:
        return MSG_NO_VERSION.format(code=code, version=version)
    offered = (
        FormVersion.objects.filter(pk=form.pk).offered_to(requested_by).exists() if requested_by else True
    )
    return "" if offered else MSG_NOT_OFFERED.format(code=code, owner=form.owner_name)
