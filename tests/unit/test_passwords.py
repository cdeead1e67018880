"""Hash profiles: production's parameters are argon2-cffi's defaults and stay the default; the load
simulator's light profile is used only while switched on, and a hash made under either profile
verifies under the other (argon2 writes its parameters into the hash)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from loyalty_desk.services.passwords import (
    PRODUCTION,
    SIMULATION,
    active_profile,
    hash_password,
    needs_rehash,
    profile_in_use,
    verify_password,
)


def _parameters(password_hash: str) -> str:
    return password_hash.split("$")[3]


def test_production_is_the_default_and_makes_the_same_hashes_as_before() -> None:
    assert active_profile() is PRODUCTION
    made = hash_password("Counter-2026")
    assert made.startswith("$argon2id$") and _parameters(made) == "m=65536,t=3,p=4"
    default = PasswordHasher()  # what hashed every stored password before the profiles
    assert (default.time_cost, default.memory_cost, default.parallelism) == (PRODUCTION.time_cost, PRODUCTION.memory_kib, PRODUCTION.parallelism)
    assert not needs_rehash(default.hash("Counter-2026"))


def test_the_simulation_profile_is_light_and_only_in_use_while_switched_on() -> None:
    with profile_in_use(SIMULATION):
        assert active_profile() is SIMULATION
        assert _parameters(hash_password("Counter-2026")) == "m=8192,t=1,p=1"
    assert active_profile() is PRODUCTION
    with pytest.raises(RuntimeError), profile_in_use(SIMULATION):
        raise RuntimeError("a run that fails")
    assert active_profile() is PRODUCTION  # put back however the run ended
    with profile_in_use(SIMULATION):
        assert active_profile() is SIMULATION
    assert active_profile() is PRODUCTION
    assert _parameters(hash_password("x", profile=SIMULATION)) == "m=8192,t=1,p=1"


def test_hashes_made_under_either_profile_verify_under_both() -> None:
    production = hash_password("Counter-2026", profile=PRODUCTION)
    simulation = hash_password("Counter-2026", profile=SIMULATION)
    for profile in (PRODUCTION, SIMULATION):
        with profile_in_use(profile):
            assert verify_password(production, "Counter-2026") and verify_password(simulation, "Counter-2026")
            assert not verify_password(production, "counter-2026") and not verify_password(simulation, "wrong")
            assert not verify_password("not a hash", "Counter-2026")


def test_production_rehashes_a_light_hash_and_the_simulation_keeps_its_own() -> None:
    simulation = hash_password("Counter-2026", profile=SIMULATION)
    production = hash_password("Counter-2026", profile=PRODUCTION)
    assert needs_rehash(simulation) and not needs_rehash(production)  # a sign-in under production upgrades it
    with profile_in_use(SIMULATION):
        assert not needs_rehash(simulation)
    assert needs_rehash("not a hash")
