"""Staff signing keys: Ed25519 key pairs, the private half wrapped under the person's password.

* ``new_key(password)`` makes a key pair and wraps the private key: a 32-byte key derived with
  argon2id (``argon2.low_level.hash_secret_raw``) from the password and a random salt, then
  ChaCha20-Poly1305 (AEAD) with a random nonce; the staff id and key id are the associated data,
  so a wrapped key copied onto another account does not open. Only the wrapped form is stored.
* ``unwrap(stored, password)`` opens it in memory at sign-in; ``rewrap`` re-wraps the same key
  under a new password (a password change); an administrator's reset makes a new pair instead.
* ``Keyring`` holds the unlocked keys of the people signed in at this desk (memory only);
  ``sign``/``verify`` work on the canonical bytes of ``domain.signatures.SigningMessage``.
* Central's own key (imports and jobs run at central) is kept in a file only its owner can read
  (``load_central_key``), never in the database.

``docs/security.md`` has the protocol and the threat model.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.signatures import CENTRAL, Signature, SigningMessage


@dataclass(frozen=True)
class KdfParams:
    """argon2id parameters, stored with the wrapped key so it opens however the defaults change."""

    time_cost: int = 3
    memory_kib: int = 65536  # RFC 9106's second recommended profile (64 MiB)
    parallelism: int = 4

    def text(self) -> str:
        return f"argon2id:t={self.time_cost}:m={self.memory_kib}:p={self.parallelism}"

    @staticmethod
    def parse(value: str) -> KdfParams:
        name, *parts = (value or "").split(":")
        fields = dict(part.split("=", 1) for part in parts)
        if name != "argon2id" or set(fields) != {"t", "m", "p"}:
            raise ValueError(f"unknown key derivation: {value!r}")
        return KdfParams(int(fields["t"]), int(fields["m"]), int(fields["p"]))


DEFAULT_KDF = KdfParams()


@dataclass(frozen=True)
class WrappedKey:
    """What is stored for a key (``staff_credential`` columns); nothing here opens without the password."""

    key_id: str
    public_key: str  # base64 of the raw 32 bytes
    wrapped_private_key: str  # base64(nonce || ciphertext+tag)
    kdf_salt: str  # base64
    kdf_params: str


@dataclass(frozen=True)
class UnlockedKey:
    """A private key in memory, for one staff member (``staff_id`` None: central's own key)."""

    staff_id: int | None
    key_id: str
    private_key: Ed25519PrivateKey

    def sign(self, message: SigningMessage) -> str:
        return _b64(self.private_key.sign(message.canonical()))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _raw_public(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(public_key: bytes) -> str:
    """A key's name: the first 16 bytes of SHA-256 of its public half, hex (unique, and checkable)."""
    return hashlib.sha256(public_key).hexdigest()[:32]


def _derive(password: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=params.time_cost, memory_cost=params.memory_kib,
                           parallelism=params.parallelism, hash_len=32, type=Type.ID)


def _associated(staff_id: int, key_id: str) -> bytes:
    return f"loyalty-desk-staff-key/1:{staff_id}:{key_id}".encode("ascii")


def _wrap(private_key: Ed25519PrivateKey, staff_id: int, password: str, params: KdfParams) -> WrappedKey:
    public = _raw_public(private_key)
    key_id = key_id_of(public)
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    raw = private_key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    sealed = ChaCha20Poly1305(_derive(password, salt, params)).encrypt(nonce, raw, _associated(staff_id, key_id))
    return WrappedKey(key_id, _b64(public), _b64(nonce + sealed), _b64(salt), params.text())


def new_key(staff_id: int, password: str, params: KdfParams = DEFAULT_KDF) -> WrappedKey:
    """A fresh key pair for a staff member, its private half wrapped under ``password``."""
    return new_unlocked_key(staff_id, password, params)[0]


def new_unlocked_key(staff_id: int, password: str, params: KdfParams = DEFAULT_KDF) -> tuple[WrappedKey, UnlockedKey]:
    """A fresh key pair wrapped under ``password``, and the same key already open (no second key
    derivation to unwrap what was just wrapped)."""
    private_key = Ed25519PrivateKey.generate()
    wrapped = _wrap(private_key, staff_id, password, params)
    return wrapped, UnlockedKey(staff_id, wrapped.key_id, private_key)


def unwrap(staff_id: int, stored: WrappedKey, password: str) -> UnlockedKey:
    """The private key in memory; ``signature.key_unlock`` when the password does not open it or
    the stored key is not the one its public half names (tampered)."""
    try:
        params = KdfParams.parse(stored.kdf_params)
        blob = _unb64(stored.wrapped_private_key)
        raw = ChaCha20Poly1305(_derive(password, _unb64(stored.kdf_salt), params)).decrypt(
            blob[:12], blob[12:], _associated(staff_id, stored.key_id))
        private_key = Ed25519PrivateKey.from_private_bytes(raw)
    except (InvalidTag, ValueError) as error:
        raise DomainError("signature.key_unlock", key_id=stored.key_id) from error
    if _b64(_raw_public(private_key)) != stored.public_key or key_id_of(_raw_public(private_key)) != stored.key_id:
        raise DomainError("signature.key_unlock", key_id=stored.key_id)
    return UnlockedKey(staff_id, stored.key_id, private_key)


def rewrap(unlocked: UnlockedKey, new_password: str, params: KdfParams = DEFAULT_KDF) -> WrappedKey:
    """The same key wrapped under a new password (new salt and nonce)."""
    assert unlocked.staff_id is not None
    return _wrap(unlocked.private_key, unlocked.staff_id, new_password, params)


@lru_cache(maxsize=4096)
def _public(public_key: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_unb64(public_key))  # the applier meets the same few keys batch after batch


def verify(public_key: str, message: bytes, signature: str) -> bool:
    """True when ``signature`` (base64) is ``public_key``'s (base64, raw) signature of ``message``."""
    try:
        _public(public_key).verify(_unb64(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


class Keyring:
    """The unlocked keys of the staff signed in at this desk, in memory only; thread-safe.

    ``lend`` holds a key for one call only (a supervisor approving at another person's desk)."""

    def __init__(self) -> None:
        self._keys: dict[int, UnlockedKey] = {}
        self._lent: dict[int, UnlockedKey] = {}
        self._lock = threading.Lock()

    def put(self, key: UnlockedKey) -> None:
        assert key.staff_id is not None
        with self._lock:
            self._keys[key.staff_id] = key

    def drop(self, staff_id: int) -> None:
        with self._lock:
            self._keys.pop(staff_id, None)

    def get(self, staff_id: int) -> UnlockedKey | None:
        with self._lock:
            return self._lent.get(staff_id) or self._keys.get(staff_id)

    @contextmanager
    def lend(self, key: UnlockedKey) -> Iterator[None]:
        assert key.staff_id is not None
        with self._lock:
            self._lent[key.staff_id] = key
        try:
            yield
        finally:
            with self._lock:
                self._lent.pop(key.staff_id, None)


def sign_operation(
    key: UnlockedKey, *, role: str, operation_id: str, kind: str, payload_digest: str, origin: str, made_at: datetime
) -> Signature:
    message = SigningMessage(operation_id, kind, payload_digest, origin, key.staff_id, role, key.key_id, made_at)
    return Signature(role, key.staff_id, key.key_id, key.sign(message))


# ------------------------------------------------------------------ central's own key

CENTRAL_KEY_ENV = "LOYALTY_DESK_CENTRAL_KEY"


def default_central_key_path() -> Path:
    from platformdirs import user_config_dir

    return Path(os.environ.get(CENTRAL_KEY_ENV) or Path(user_config_dir("loyalty-desk")) / "central-signing-key.pem")


def create_central_key(path: Path) -> UnlockedKey:
    """A new key for central in a file only its owner can read or write (created 0600, never replaced)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return UnlockedKey(None, key_id_of(_raw_public(private_key)), private_key)


def load_central_key(path: Path) -> UnlockedKey:
    """Central's key from its file; refused when anyone but the owner may read or write the file."""
    mode = path.stat().st_mode
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PermissionError(f"{path} is readable or writable by others (mode {stat.S_IMODE(mode):o}); chmod 600 it")
    private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 key")
    return UnlockedKey(None, key_id_of(_raw_public(private_key)), private_key)


def public_key_of(key: UnlockedKey) -> str:
    return _b64(_raw_public(key.private_key))


def sign_as_central(key: UnlockedKey, *, operation_id: str, kind: str, payload_digest: str, origin: str, made_at: datetime) -> Signature:
    return sign_operation(key, role=CENTRAL, operation_id=operation_id, kind=kind, payload_digest=payload_digest, origin=origin, made_at=made_at)
