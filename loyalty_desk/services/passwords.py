"""Password hashing for staff accounts: Argon2id (memory-hard), through argon2-cffi.

The demo generator and the auth service both use these functions, so every stored hash is made
the same way: with the active hash profile's parameters, which argon2 writes into the hash itself
(``$argon2id$v=19$m=65536,t=3,p=4$...``), so a hash made under any profile verifies under any
other, at the cost its own parameters set.

Profiles:

* ``PRODUCTION`` — the default, and the only one the application, ``central`` and every other
  command use: RFC 9106's "low memory" profile (64 MiB, t=3, p=4), argon2-cffi's own default.
* ``SIMULATION`` — t=1, 8 MiB, p=1, for ``loyalty-desk central simulate`` only, which switches it
  on for its run (``simulation/run.py``) so that hundreds of throw-away staff accounts on a staging
  central are made and signed in within seconds. Production never uses it: nothing else calls
  ``profile_in_use``, and a sign-in under ``PRODUCTION`` rehashes a weaker hash it finds
  (``needs_rehash``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


@dataclass(frozen=True)
class HashProfile:
    name: str
    time_cost: int
    memory_kib: int
    parallelism: int


PRODUCTION = HashProfile("production", time_cost=3, memory_kib=65536, parallelism=4)  # = PasswordHasher()'s defaults
SIMULATION = HashProfile("simulation", time_cost=1, memory_kib=8192, parallelism=1)  # the load simulator's only: never production

_active: list[HashProfile] = [PRODUCTION]


@cache
def _hasher(profile: HashProfile) -> PasswordHasher:
    return PasswordHasher(time_cost=profile.time_cost, memory_cost=profile.memory_kib, parallelism=profile.parallelism)


def active_profile() -> HashProfile:
    return _active[0]


@contextmanager
def profile_in_use(profile: HashProfile) -> Iterator[None]:
    """New hashes use ``profile`` (in this whole process) for the block; the previous profile is back
    afterwards, however the block ends. Only the load simulator uses it, with ``SIMULATION``."""
    previous = _active[0]
    _active[0] = profile
    try:
        yield
    finally:
        _active[0] = previous


def hash_password(password: str, *, profile: HashProfile | None = None) -> str:
    """The hash of ``password`` with ``profile``'s parameters (the active profile's when not given)."""
    return _hasher(profile or active_profile()).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; a malformed stored hash is a mismatch, never an exception.

    The hash's own parameters are used, whichever profile made it."""
    try:
        return _hasher(active_profile()).verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was not made with the active profile's parameters (or is malformed)."""
    try:
        return _hasher(active_profile()).check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
