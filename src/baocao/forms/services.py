"""Every change to stored forms: the shipped seeds, a workbook checked into a draft, a draft published.

Each function is atomic and called alike by the web, the CLI and the API. A published version is never
changed: publishing a changed form makes the next version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from baocao.core.definition import Definition, available_definitions, load_definition
from baocao.core.form_cells import CellProblem
from baocao.core.form_import import WorkbookError, import_workbook
from baocao.core.form_workbook import SHEET_MAPPING
from baocao.core.schema import DefinitionSpec
from baocao.forms.models import FormStatus, FormVersion
from baocao.forms.registry import form_definition, spec_sha256

if TYPE_CHECKING:
    from baocao.accounts.models import User
    from baocao.units.models import OrgUnit

__all__ = ["FormError", "import_form", "load_seed_forms", "publish_form", "save_draft"]

MSG_OWNER = "biểu mẫu “{code}” do {owner} ban hành; chỉ đơn vị đó ban hành phiên bản mới"
MSG_UNCHANGED = "biểu mẫu “{code}” không thay đổi so với phiên bản {version} đã ban hành"
MSG_PUBLISHED = "phiên bản {version} của biểu mẫu “{code}” đã ban hành; không sửa được"
MSG_OLD_CODE = "mã cũ “{code}” không có trong phiên bản {version} của biểu mẫu"


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
    if latest is not None:
        _check_mapping(definition, form_definition(latest))
    FormVersion.objects.filter(code=code, status=FormStatus.DRAFT).delete()
    number = latest.version + 1 if latest else definition.version
    spec = definition.spec.model_copy(update={"version": number})
    return FormVersion.objects.create(
        **_fields(spec), status=FormStatus.DRAFT, owner=owner, created_by=user, source_name=source_name[:200]
    )


def _check_mapping(definition: Definition, previous: Definition) -> None:
    problems = [
        CellProblem(
            SHEET_MAPPING, None, "A “Mã cũ”", MSG_OLD_CODE.format(code=entry.old, version=previous.version)
        )
        for entry in definition.spec.mapping
        if entry.old not in previous.by_code
    ]
    if problems:
        raise WorkbookError(problems)


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
    definition = import_workbook(data, source=source_name)
    form = save_draft(definition=definition, owner=owner, user=user, source_name=source_name)
    return publish_form(form=form, user=user) if publish else form
