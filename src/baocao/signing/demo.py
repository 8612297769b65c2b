"""The demo's signatures: its own CA, a leader's and an agency's certificate for Cẩm Giàng, and signed copies
of Cẩm Giàng's sent and accepted reports. Every certificate says "DEMO – không có giá trị pháp lý".

Idempotent like the rest of the demo: what exists is kept. The demo keys' PKCS#12 password is the demo
accounts' password ("demo"); the chairman (ct.camgiang) also keeps the seal, as in many communes.
"""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from cryptography.hazmat.primitives import serialization
from django.core.files.base import ContentFile

from baocao.accounts.models import User
from baocao.reports.models import Report, Status
from baocao.signing import pki
from baocao.signing.appearance import demo_seal_png, demo_signature_png
from baocao.signing.models import SealKeeper, SigningKey
from baocao.signing.services import agency_key, agency_name, demo_ca_path, leader_key, sign_report, store_copy
from baocao.units.models import OrgUnit

__all__ = ["DEMO_PASSWORD", "ensure_demo_keys", "ensure_demo_signing"]

DEMO_PASSWORD = "demo"
UNIT_CODE, LEADER = "02008", "ct.camgiang"
# Valid across the demo's history (sent in the weeks before the day it is loaded) and until 2035.
VALID_FROM = datetime(2020, 1, 1, tzinfo=UTC)
VALID_DAYS = 365 * 16


def ensure_demo_keys() -> tuple[SigningKey, SigningKey] | None:
    """Cẩm Giàng's leader's and agency's keys (and the demo's CA), created when missing, its chairman keeping
    the seal; None without the demo's unit and leader."""
    unit = OrgUnit.objects.filter(code=UNIT_CODE).first()
    leader = User.objects.filter(username=LEADER).first()
    if unit is None or leader is None:
        return None
    person, agency = leader_key(unit, leader), agency_key(unit)
    if person is None or agency is None:
        person, agency = _create_keys(unit, leader)
    SealKeeper.objects.get_or_create(unit=unit, user=leader)
    return person, agency


def ensure_demo_signing() -> int:
    """Create the demo's keys when missing and sign Cẩm Giàng's sent reports; the number of copies made."""
    keys = ensure_demo_keys()
    if keys is None:
        return 0
    person, agency = keys
    made = 0
    reports = Report.objects.filter(
        unit_id=person.unit_id, status__in=(Status.SENT, Status.ACCEPTED), signed_copies=None
    )
    for report in reports.select_related("round", "unit"):
        with time_machine.travel(report.sent_at or report.updated_at, tick=True):
            signed = sign_report(report, (person, DEMO_PASSWORD), (agency, DEMO_PASSWORD))
            store_copy(report, signed, report.sent_by, is_demo=True)
        made += 1
    return made


def _create_keys(unit: OrgUnit, leader: User) -> tuple[SigningKey, SigningKey]:
    root = pki.make_root("baocao CA – DEMO", now=VALID_FROM, days=VALID_DAYS)
    path = demo_ca_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(root.cert.public_bytes(serialization.Encoding.PEM))
    organisation = f"UBND {unit.kind.lower()} {unit.name}"
    person = _issue(root, f"{leader.full_name or leader.username} – DEMO", organisation)
    seal = _issue(root, f"{agency_name(unit)} – DEMO", organisation)
    SigningKey.objects.filter(unit=unit, is_demo=True).update(active=False)
    signature = demo_signature_png(leader.username)
    person_key = _key(unit, SigningKey.Holder.PERSON, leader, person, root, signature)
    lines = ("ỦY BAN NHÂN DÂN", f"{unit.kind} {unit.name}".upper())
    agency = _key(unit, SigningKey.Holder.AGENCY, None, seal, root, demo_seal_png(lines, "DEMO"))
    return person_key, agency


def _issue(root: pki.Issued, common_name: str, organisation: str) -> pki.Issued:
    return pki.issue(
        root,
        common_name,
        organisation=organisation,
        unit=pki.DEMO_MARK,
        not_before=VALID_FROM,
        days=VALID_DAYS,
    )


def _key(
    unit: OrgUnit, holder: str, user: User | None, issued: pki.Issued, root: pki.Issued, image: bytes
) -> SigningKey:
    key = SigningKey(
        unit=unit,
        holder=holder,
        user=user,
        kind=SigningKey.Kind.PKCS12,
        certificate=issued.cert.public_bytes(serialization.Encoding.DER),
        image=image,
        is_demo=True,
    )
    data = pki.to_pkcs12(issued, [root.cert], DEMO_PASSWORD)
    key.pkcs12_file.save(f"demo-{unit.code}-{holder}.p12", ContentFile(data), save=False)
    key.save()
    return key
