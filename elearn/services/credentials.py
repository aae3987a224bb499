"""Signed credentials: each certificate as a JSON document signed with the site's Ed25519 key.

Shape: a W3C Verifiable Credential 2.0 / Open Badges 3.0 ``OpenBadgeCredential`` with a
``DataIntegrityProof`` using the ``eddsa-jcs-2022`` cryptosuite: the proof options and the
document (without proof) are canonicalised with JCS (RFC 8785, by the ``rfc8785`` library), each
hashed with SHA-256, and the concatenation signed with Ed25519. Credentials signed before the library
was used hashed sorted-key compact JSON, which is byte for byte JCS for what we issue (strings,
integers, lists and objects with ASCII keys: scores are strings, JP integers), so they still verify.
Base58 (multibase ``z…`` keys and proof values) is the ``base58`` library's. The public key is published as a Multikey at
``/.well-known/binapustaka-keys.json``.

The key: ``SIGNING_KEY`` (PEM text, e.g. from a secret store) when set; otherwise a PEM file
(``SIGNING_KEY_FILE``, default ``instance/signing-key.pem``) generated on first use. Several hosts
must share one key: set ``SIGNING_KEY`` or mount the same file (``flask certificates keygen``).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import base58
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from elearn.models import Certificate

_ED25519_MULTICODEC = b"\xed\x01"
CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def canonical(value) -> bytes:
    """JCS (RFC 8785): the bytes that are hashed and signed."""
    return rfc8785.dumps(value)


def public_multibase(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(_ED25519_MULTICODEC + raw).decode("ascii")


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    if not text.startswith("z"):
        raise ValueError("not a base58btc multibase value")
    raw = base58.b58decode(text[1:])
    if not raw.startswith(_ED25519_MULTICODEC) or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "key-" + hashlib.sha256(raw).hexdigest()[:16]


def load_signing_key(config: dict, instance_path: str) -> Ed25519PrivateKey:
    """The site's signing key: from SIGNING_KEY, else the key file, generated atomically if absent."""
    pem = config.get("SIGNING_KEY")
    if pem:
        return signing_key_from_pem(pem.encode())
    path = Path(config.get("SIGNING_KEY_FILE") or Path(instance_path) / "signing-key.pem")
    if not path.exists():
        generate_key_file(path)
    return signing_key_from_pem(path.read_bytes())


def generate_key_file(path: Path) -> bool:
    """Write a new key with mode 0600; False if the file already exists (another worker won)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return True


def retired_public_keys(value: str | None) -> list[Ed25519PublicKey]:
    """``RETIRED_SIGNING_KEYS``: public keys (multibase, as the keys document shows them, separated by
    spaces or commas) of keys that no longer sign. Credentials they signed keep verifying."""
    keys = []
    for item in re.split(r"[\s,]+", (value or "").strip()):
        if not item:
            continue
        try:
            keys.append(public_key_from_multibase(item))
        except ValueError as exc:
            raise ValueError(f"RETIRED_SIGNING_KEYS: {item!r} is not an Ed25519 public key in multibase form "
                             f"(z6Mk…): {exc}") from None
    return keys


def verification_keys(key: Ed25519PrivateKey, retired: list[Ed25519PublicKey]) -> dict[str, Ed25519PublicKey]:
    """Key id → public key for every key whose signatures this site stands by: the current one first."""
    keys = {key_id(key.public_key()): key.public_key()}
    for public in retired:
        keys.setdefault(key_id(public), public)
    return keys


def site_verification_keys(config: dict, instance_path: str,
                           key: Ed25519PrivateKey | None = None) -> dict[str, Ed25519PublicKey]:
    """The site's current key (``key``, else loaded) and its retired keys, by key id."""
    return verification_keys(key or load_signing_key(config, instance_path),
                             retired_public_keys(config.get("RETIRED_SIGNING_KEYS")))


def signing_key_from_pem(pem: bytes) -> Ed25519PrivateKey:
    """The Ed25519 private key in ``pem``; ValueError for anything else."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the signing key is not an Ed25519 key")
    return key


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def score_text(score: float | None) -> str | None:
    return None if score is None else f"{score:.2f}".rstrip("0").rstrip(".")


def build_credential(certificate: Certificate, base_url: str) -> dict:
    """The unsigned credential: every fact the certificate states, nothing else."""
    base = base_url.rstrip("/")
    subject = {
        "type": ["AchievementSubject"],
        "name": certificate.learner_name,
        "achievement": {
            "id": f"{base}/courses/{certificate.course_slug}/",
            "type": ["Achievement"],
            "name": certificate.course_title,
            "version": certificate.course_version,
            "achievementType": "Course",
            "criteria": {"narrative": "Completed every module, passed every quiz and the final exam."},
            "creditsAvailable": certificate.hours,
            "description": certificate.course_title,
        },
        "creditsEarned": certificate.hours,
        "activityEndDate": _iso(certificate.completed_at),
        "identifier": [{"type": "IdentityObject", "identityType": "identifier", "hashed": False,
                        "identityHash": certificate.learner_nip}] if certificate.learner_nip else [],
        "result": [{"type": ["Result"], "value": score_text(certificate.score)}]
        if certificate.score is not None else [],
    }
    document = {
        "@context": CONTEXTS,
        "id": f"{base}/verify/{certificate.code}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "issuer": {"id": f"{base}/", "type": ["Profile"], "name": certificate.institution},
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": subject,
        "credentialStatus": {"id": f"{base}/verify/{certificate.code}.json", "type": "BinaPustakaStatus"},
        "binapustaka": {
            "serial": certificate.serial,
            "code": certificate.code,
            "city": certificate.city,
            "signatoryName": certificate.signatory_name,
            "signatoryTitle": certificate.signatory_title,
        },
    }
    if certificate.expires_at is not None:
        document["validUntil"] = _iso(certificate.expires_at)
    return document


def _hash_data(document: dict, proof_options: dict) -> bytes:
    options = dict(proof_options)
    options["@context"] = document["@context"]
    return hashlib.sha256(canonical(options)).digest() + hashlib.sha256(canonical(document)).digest()


def sign_credential(document: dict, key: Ed25519PrivateKey, base_url: str, created: datetime) -> dict:
    public = key.public_key()
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": _iso(created),
        "verificationMethod": f"{keys_document_url(base_url)}#{key_id(public)}",
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(document, options))
    signed = dict(document)
    signed["proof"] = dict(options, proofValue="z" + base58.b58encode(signature).decode("ascii"))
    return signed


def keys_document_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/.well-known/binapustaka-keys.json"


def keys_document(keys: dict[str, Ed25519PublicKey], base_url: str) -> dict:
    """The controller document listing ``verification_keys``: the current key and the retired ones."""
    document_id = keys_document_url(base_url)
    return {
        "@context": ["https://www.w3.org/ns/cid/v1"],
        "id": document_id,
        "assertionMethod": [{
            "id": f"{document_id}#{kid}",
            "type": "Multikey",
            "controller": f"{base_url.rstrip('/')}/",
            "publicKeyMultibase": public_multibase(public),
        } for kid, public in keys.items()],
    }


@dataclass
class Verification:
    ok: bool
    reasons: list[str]
    code: str | None = None


def check_signature(document: dict, public_keys: dict[str, Ed25519PublicKey]) -> list[str]:
    """Reasons the signature fails ([] when it holds). ``public_keys``: key id → key."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return ["the document has no proof (it is not signed)"]
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != "eddsa-jcs-2022":
        return [f"unsupported proof type {proof.get('type')!r} / {proof.get('cryptosuite')!r}"]
    method = str(proof.get("verificationMethod", ""))
    kid = method.rsplit("#", 1)[-1]
    key = public_keys.get(kid)
    if key is None:
        return [f"unknown key {kid!r}: not one of this site's signing keys (current or retired)"]
    value = str(proof.get("proofValue", ""))
    try:
        signature = base58.b58decode(value[1:]) if value.startswith("z") else b""
    except ValueError:
        signature = b""
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    try:
        key.verify(signature, _hash_data(unsigned, options))
    except (InvalidSignature, ValueError, KeyError, TypeError):
        return ["the signature does not match the document: it was changed after signing"]
    return []


def differences(document: dict, genuine: dict, prefix: str = "") -> list[str]:
    """Field paths where ``document`` differs from the credential the site issued."""
    found = []
    for key in sorted(set(document) | set(genuine)):
        if key == "proof" and not prefix:
            continue
        path = f"{prefix}.{key}" if prefix else key
        a, b = document.get(key), genuine.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            found.extend(differences(a, b, path))
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and all(
                isinstance(x, dict) and isinstance(y, dict) for x, y in zip(a, b)):
            for i, (x, y) in enumerate(zip(a, b)):
                found.extend(differences(x, y, f"{path}[{i}]"))
        elif a != b:
            found.append(f"{path}: {json.dumps(a, ensure_ascii=False)} in the file, "
                         f"{json.dumps(b, ensure_ascii=False)} as issued")
    return found


def code_of(document: dict) -> str | None:
    """The verification code from the credential's id (``…/verify/<code>``)."""
    ident = str(document.get("id", ""))
    if "/verify/" not in ident:
        return None
    return ident.rsplit("/verify/", 1)[1].split(".")[0] or None


def base_of(document: dict) -> str | None:
    ident = str(document.get("id", ""))
    return ident.rsplit("/verify/", 1)[0] if "/verify/" in ident else None
