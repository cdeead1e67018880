"""Staff signing keys: wrapping under the password, signing, verifying, and central's judgement of
a signed operation (domain/signatures.py) from the facts it loads."""

from __future__ import annotations

import base64
import os
import stat
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty_desk.domain.errors import DomainError
from loyalty_desk.domain.signatures import (
    APPROVER,
    MAKER,
    Inbound,
    RegisteredKey,
    SigningMessage,
    judge,
)
from loyalty_desk.services.signing import (
    KdfParams,
    create_central_key,
    load_central_key,
    new_key,
    new_unlocked_key,
    public_key_of,
    rewrap,
    sign_operation,
    unwrap,
    verify,
)

LIGHT = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)
MADE = datetime(2026, 12, 1, 10, 30, 15, 123456)


def test_a_wrapped_key_opens_with_its_password_only() -> None:
    wrapped = new_key(7, "Correct-Horse-7", LIGHT)
    key = unwrap(7, wrapped, "Correct-Horse-7")
    assert key.key_id == wrapped.key_id and public_key_of(key) == wrapped.public_key
    assert b"Correct" not in base64.b64decode(wrapped.wrapped_private_key)
    with pytest.raises(DomainError) as wrong:
        unwrap(7, wrapped, "correct-horse-7")
    assert wrong.value.code == "signature.key_unlock"


def test_a_new_key_comes_open_as_its_wrapped_form_opens() -> None:
    wrapped, key = new_unlocked_key(7, "Correct-Horse-7", LIGHT)
    assert key.staff_id == 7 and key.key_id == wrapped.key_id and public_key_of(key) == wrapped.public_key
    opened = unwrap(7, wrapped, "Correct-Horse-7")
    assert public_key_of(opened) == public_key_of(key)


def test_a_wrapped_key_copied_onto_another_account_does_not_open() -> None:
    wrapped = new_key(7, "Correct-Horse-7", LIGHT)
    with pytest.raises(DomainError):
        unwrap(8, wrapped, "Correct-Horse-7")  # the staff id is bound in as associated data


def test_a_stored_public_key_swapped_for_another_is_detected() -> None:
    mine, theirs = new_key(7, "pw-1234567", LIGHT), new_key(7, "pw-1234567", LIGHT)
    with pytest.raises(DomainError):
        unwrap(7, replace(mine, public_key=theirs.public_key), "pw-1234567")


def test_a_password_change_rewraps_the_same_key() -> None:
    wrapped = new_key(3, "Old-Password-1", LIGHT)
    key = unwrap(3, wrapped, "Old-Password-1")
    again = rewrap(key, "New-Password-2", LIGHT)
    assert (again.key_id, again.public_key) == (wrapped.key_id, wrapped.public_key)
    assert again.kdf_salt != wrapped.kdf_salt and again.wrapped_private_key != wrapped.wrapped_private_key
    assert unwrap(3, again, "New-Password-2").key_id == wrapped.key_id
    with pytest.raises(DomainError):
        unwrap(3, again, "Old-Password-1")


def test_kdf_parameters_travel_with_the_key() -> None:
    assert KdfParams.parse(LIGHT.text()) == LIGHT
    with pytest.raises(ValueError):
        KdfParams.parse("scrypt:n=1")


def _message(**changes: object) -> SigningMessage:
    base = SigningMessage("op-1", "redeem", "ab" * 32, "desk1", 3, MAKER, "k1", MADE)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_the_signing_message_covers_every_field() -> None:
    base = _message()
    for change in ({"operation_id": "op-2"}, {"kind": "adjust.request"}, {"payload_digest": "cd" * 32}, {"origin": "desk2"},
                   {"staff_id": 4}, {"role": APPROVER}, {"key_id": "k2"}, {"made_at": MADE + timedelta(microseconds=1)}):
        assert _message(**change).canonical() != base.canonical()


@settings(max_examples=25, deadline=None)
@given(origin=st.text(min_size=1, max_size=20), points=st.integers(min_value=1, max_value=10**9))
def test_a_signature_verifies_only_for_what_was_signed(origin: str, points: int) -> None:
    key = unwrap(5, _FIXED, "pw-1234567")
    facts = {"operation_id": "op-1", "kind": "redeem", "payload_digest": f"{points:064x}", "origin": origin, "made_at": MADE}
    signature = sign_operation(key, role=MAKER, **facts)
    message = SigningMessage("op-1", "redeem", f"{points:064x}", origin, 5, MAKER, key.key_id, MADE).canonical()
    assert verify(_FIXED.public_key, message, signature.signature)
    tampered = SigningMessage("op-1", "redeem", f"{points + 1:064x}", origin, 5, MAKER, key.key_id, MADE).canonical()
    assert not verify(_FIXED.public_key, tampered, signature.signature)
    assert not verify(_FIXED.public_key, message, "not base64!")


_FIXED = new_key(5, "pw-1234567", LIGHT)


def test_central_key_file_is_its_owners_alone(tmp_path: Path) -> None:
    path = tmp_path / "central.pem"
    made = create_central_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_central_key(path).key_id == made.key_id
    with pytest.raises(FileExistsError):
        create_central_key(path)  # never replaced
    os.chmod(path, 0o644)
    with pytest.raises(PermissionError):
        load_central_key(path)


# ---------------------------------------------------------------- central's judgement


def _keys() -> tuple[dict[str, RegisteredKey], dict[str, object]]:
    officer, supervisor = unwrap(1, new_key(1, "pw-officer1", LIGHT), "pw-officer1"), unwrap(2, new_key(2, "pw-superv1", LIGHT), "pw-superv1")
    registered = {
        officer.key_id: RegisteredKey(officer.key_id, 1, public_key_of(officer), MADE - timedelta(days=30), None, "off", "officer", 10),
        supervisor.key_id: RegisteredKey(supervisor.key_id, 2, public_key_of(supervisor), MADE - timedelta(days=30), None, "sup", "supervisor", 10),
    }
    return registered, {"officer": officer, "supervisor": supervisor}


REGISTERED, UNLOCKED = _keys()


def _inbound(kind: str = "redeem", payload: dict | None = None, signer: str = "officer", approver: str | None = None, **changes: object) -> Inbound:
    payload = payload if payload is not None else {"member_no": "M0000000001"}
    from loyalty_desk.services.operations import payload_digest

    digest = payload_digest(kind, payload)
    facts = {"operation_id": "op-1", "kind": kind, "payload_digest": digest, "origin": "desk1", "made_at": MADE}
    maker = UNLOCKED[signer]
    signatures = [sign_operation(maker, role=MAKER, **facts).as_json()]  # type: ignore[arg-type]
    if approver:
        signatures.append(sign_operation(UNLOCKED[approver], role=APPROVER, **facts).as_json())  # type: ignore[arg-type]
    inbound = Inbound("op-1", kind, payload, digest, "desk1", maker.staff_id, MADE, MADE + timedelta(seconds=5), signatures)  # type: ignore[attr-defined]
    return replace(inbound, **changes)  # type: ignore[arg-type]


def _judge(inbound: Inbound, keys: dict[str, RegisteredKey] | None = None, desk: str = "desk1", branch: int = 10) -> str | None:
    refusal = judge(inbound, desk_name=desk, desk_branch_id=branch, keys=keys if keys is not None else REGISTERED, verify=verify)
    return refusal.code if refusal else None


def test_a_properly_signed_operation_passes() -> None:
    assert _judge(_inbound()) is None


def test_each_check_has_its_reason() -> None:
    officer_key = UNLOCKED["officer"].key_id  # type: ignore[attr-defined]
    assert _judge(_inbound(), desk="desk2") == "signature.wrong_desk"
    assert _judge(_inbound(signatures=None)) == "signature.missing"
    assert _judge(_inbound(signatures=[{"role": "maker"}])) == "signature.invalid"
    assert _judge(_inbound(payload_digest="00" * 32)) == "signature.invalid"
    assert _judge(_inbound(), keys={}) == "signature.unknown_key"
    assert _judge(_inbound(staff_id=2)) == "signature.wrong_signer"
    assert _judge(_inbound(made_at=MADE + timedelta(hours=1))) == "signature.made_in_future"
    assert _judge(_inbound(kind="redeem.reverse")) == "signature.role_not_allowed"
    assert _judge(_inbound(), branch=11) == "signature.wrong_branch"
    head_office = {**REGISTERED, officer_key: replace(REGISTERED[officer_key], branch_id=1, head_office=True)}
    assert _judge(_inbound(), keys=head_office, branch=11) is None
    assert _judge(_inbound(), desk=None) == "signature.unknown_desk"  # type: ignore[arg-type]


def test_key_history_and_deactivation_follow_the_operation_time() -> None:
    officer_key = UNLOCKED["officer"].key_id  # type: ignore[attr-defined]
    replaced = {**REGISTERED, officer_key: replace(REGISTERED[officer_key], valid_until=MADE - timedelta(minutes=1))}
    assert _judge(_inbound(), keys=replaced) == "signature.key_not_valid"
    still_valid = {**REGISTERED, officer_key: replace(REGISTERED[officer_key], valid_until=MADE + timedelta(minutes=1))}
    assert _judge(_inbound(), keys=still_valid) is None  # signed before the reset: still verifies
    gone = {**REGISTERED, officer_key: replace(REGISTERED[officer_key], active=False, deactivated_at=MADE - timedelta(seconds=1))}
    assert _judge(_inbound(), keys=gone) == "signature.signer_inactive"
    later = {**REGISTERED, officer_key: replace(REGISTERED[officer_key], active=False, deactivated_at=MADE + timedelta(seconds=1))}
    assert _judge(_inbound(), keys=later) is None


def test_a_write_off_needs_the_named_second_supervisor_signature() -> None:
    second = unwrap(9, new_key(9, "pw-second1", LIGHT), "pw-second1")
    keys = {**REGISTERED, second.key_id: RegisteredKey(second.key_id, 9, public_key_of(second), MADE - timedelta(days=1), None, "sup2",
                                                       "supervisor", 10)}
    UNLOCKED["second"] = second
    payload = {"resolution": "written_off", "resolved_by": "sup", "approved_by": "sup2"}
    assert _judge(_inbound("sync.resolve", payload, signer="supervisor", approver="second"), keys) is None
    assert _judge(_inbound("sync.resolve", payload, signer="supervisor"), keys) == "signature.missing"
    assert _judge(_inbound("sync.resolve", {**payload, "approved_by": "sup"}, signer="supervisor", approver="second"), keys) == "signature.wrong_signer"
    assert _judge(_inbound("sync.resolve", {**payload, "resolved_by": "sup2"}, signer="supervisor", approver="second"), keys) == "signature.wrong_signer"
    assert _judge(_inbound("sync.resolve", payload, signer="supervisor", approver="officer"), keys) == "signature.role_not_allowed"
