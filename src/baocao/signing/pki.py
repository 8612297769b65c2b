"""A small certificate authority for the demo and the tests: a root; people's, agencies' and a TSA's
certificates.

Real signers hold certificates from the Government's specialised CA (Ban Cơ yếu Chính phủ) or a public CA;
these are only for trying baocao out, and every name they carry says so (``DEMO_MARK``). Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["DEMO_MARK", "Issued", "crl", "issue", "make_root", "to_pkcs12"]

DEMO_MARK = "DEMO – không có giá trị pháp lý"
KEY_BITS = 2048


@dataclass(frozen=True)
class Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str, organisation: str = "", unit: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def make_root(
    common_name: str, *, days: int = 3650, now: datetime | None = None, key: rsa.RSAPrivateKey | None = None
) -> Issued:
    """A root CA's certificate, for ``key`` (a new one when None: an RSA key takes ≈ 0.15 s to make)."""
    now = now or datetime.now(UTC)
    key = key or _key()
    name = _name(common_name, organisation=DEMO_MARK)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def issue(
    ca: Issued,
    common_name: str,
    *,
    organisation: str = "",
    unit: str = "",
    not_before: datetime | None = None,
    days: int = 1095,
    crl_url: str | None = None,
    timestamping: bool = False,
    key: rsa.RSAPrivateKey | None = None,
) -> Issued:
    """A signer's certificate (or a TSA's with ``timestamping``) issued by ``ca``, for ``key`` (a new one
    when None)."""
    start = not_before or datetime.now(UTC) - timedelta(days=1)
    key = key or _key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation, unit))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        ).add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
    if crl_url:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return Issued(key, builder.sign(ca.key, hashes.SHA256()))


def crl(ca: Issued, revoked: list[x509.Certificate], *, now: datetime | None = None) -> bytes:
    """The CA's certificate revocation list (DER) naming ``revoked``."""
    now = now or datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now - timedelta(minutes=5))
        .next_update(now + timedelta(days=7))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    for cert in revoked:
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(cert.serial_number)
            .revocation_date(now - timedelta(minutes=1))
            .build()
        )
        builder = builder.add_revoked_certificate(entry)
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def to_pkcs12(holder: Issued, chain: list[x509.Certificate], password: str, name: str = "") -> bytes:
    """A PKCS#12 file as a CA hands it out: the key, its certificate and the chain, under ``password``."""
    return pkcs12.serialize_key_and_certificates(
        name.encode() or None,
        holder.key,
        holder.cert,
        chain,
        serialization.BestAvailableEncryption(password.encode()),
    )
