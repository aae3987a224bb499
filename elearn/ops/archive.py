"""The backup file: one uncompressed tar holding

- ``manifest.json``: format version, when, the database (dialect, server and dump tool versions),
  the Alembic revision, the row count of every table, the software versions, the signing key's id
  and public key, and the SHA-256 and size of every other member;
- the database: ``database.pgdump`` (``pg_dump -Fc``, already compressed) or ``database.sqlite``
  (a copy made with SQLite's online backup API);
- ``signing-key.enc`` when a passphrase was given: the Ed25519 signing key (PEM), sealed with
  AES-256-GCM under a key derived from the passphrase with scrypt.

Reading takes only these names, only regular files, and checks every checksum before anything
is restored.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import secrets
import tarfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = "binapustaka-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite"
SEALED_KEY = "signing-key.enc"
MEMBERS = frozenset({PG_DUMP, SQLITE_COPY, SEALED_KEY})
#: scrypt cost: 2**15 × 8 × 128 bytes = 32 MiB and ~0.1 s per derivation, the library's interactive setting
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_KEY_CONTEXT = b"binapustaka signing key v1"


class BackupError(Exception):
    """A backup or restore refused or failed; ``code`` names why, the message says it for the operator."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _scrypt(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase.encode("utf-8"))


def seal_key(pem: bytes, passphrase: str) -> bytes:
    """The PEM encrypted with the passphrase (JSON: scrypt parameters, salt, nonce, ciphertext)."""
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    ciphertext = AESGCM(_scrypt(passphrase, salt)).encrypt(nonce, pem, _KEY_CONTEXT)
    sealed = {"kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "cipher": "AES-256-GCM",
              "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode(),
              "ciphertext": base64.b64encode(ciphertext).decode()}
    return json.dumps(sealed, indent=1).encode()


def open_key(sealed: bytes, passphrase: str) -> bytes:
    """The PEM back; BackupError("wrong_passphrase") when the passphrase (or the file) is not the one."""
    try:
        fields = json.loads(sealed)
        salt, nonce, ciphertext = (base64.b64decode(fields[k]) for k in ("salt", "nonce", "ciphertext"))
        key = Scrypt(salt=salt, length=32, n=int(fields["n"]), r=int(fields["r"]), p=int(fields["p"])).derive(
            passphrase.encode("utf-8"))
        return AESGCM(key).decrypt(nonce, ciphertext, _KEY_CONTEXT)
    except InvalidTag:
        raise BackupError("wrong_passphrase", "the passphrase does not open the signing key in this backup "
                                              "(BACKUP_PASSPHRASE must be the one used when it was made)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError("damaged", f"the sealed signing key is damaged: {exc}") from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_archive(target: Path, manifest: dict, files: dict[str, Path]) -> None:
    """Write the tar (mode 0600) next to ``target`` and rename it into place: never a half-written backup."""
    manifest = {**manifest, "files": {name: {"sha256": sha256_of(path), "bytes": path.stat().st_size}
                                      for name, path in files.items()}}
    body = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode()
    partial = target.with_name(target.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(body), 0o600
        tar.addfile(info, fileobj=io.BytesIO(body))
        for name, path in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = path.stat().st_size, 0o600
            with open(path, "rb") as handle:
                tar.addfile(info, fileobj=handle)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(partial, target)


def read_archive(source: Path, workdir: Path) -> tuple[dict, dict[str, Path]]:
    """The manifest and the members (extracted into ``workdir``), every checksum checked."""
    try:
        tar = tarfile.open(source, mode="r:")
    except FileNotFoundError:
        raise BackupError("not_found", "no such file") from None
    except (tarfile.TarError, OSError) as exc:
        raise BackupError("not_a_backup", f"not a BinaPustaka backup (not a tar file: {exc})") from None
    with tar:
        members = {m.name: m for m in tar.getmembers()}
        if MANIFEST not in members or not members[MANIFEST].isfile():
            raise BackupError("not_a_backup", "not a BinaPustaka backup (no manifest.json)")
        try:
            manifest = json.loads(tar.extractfile(members[MANIFEST]).read())
        except ValueError as exc:
            raise BackupError("damaged", f"manifest.json is not JSON: {exc}") from None
        if manifest.get("format") != FORMAT:
            raise BackupError("not_a_backup", "not a BinaPustaka backup (manifest of another format)")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError("unsupported", f"backup format version {manifest.get('format_version')}; "
                                             f"this code reads version {FORMAT_VERSION}")
        extracted = {}
        for name, expected in (manifest.get("files") or {}).items():
            member = members.get(name)
            if name not in MEMBERS or member is None or not member.isfile():
                raise BackupError("damaged", f"{name}: listed in the manifest but missing or not a file")
            path = workdir / name
            with tar.extractfile(member) as src, open(path, "wb") as dst:
                for block in iter(lambda: src.read(1 << 20), b""):
                    dst.write(block)
            if sha256_of(path) != expected.get("sha256"):
                raise BackupError("damaged", f"{name}: checksum differs from the manifest (the file is damaged)")
            extracted[name] = path
    return manifest, extracted
