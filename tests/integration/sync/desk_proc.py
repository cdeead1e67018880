"""A desk process for the multi-process sync tests: ``python desk_proc.py COMMAND DATA_DIR [ARGS]``.

    redeem DATA_DIR MEMBER_NO POINTS START_AT   debit at START_AT (epoch seconds), push, wait for
                                                central's verdict; prints JSON {"status", "outcome", "code"}
    push DATA_DIR                               push the outbox (LOYALTY_DESK_SYNC_KILL_AT kills it midway)
    sync DATA_DIR                               one full round: push, verdicts, pull
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/, where sync_support lives

from sync_support import open_desk

from loyalty_desk.domain.errors import DomainError


def main(argv: list[str]) -> int:
    command, data_dir = argv[0], Path(argv[1])
    desk = open_desk(data_dir)
    try:
        if command == "redeem":
            member_no, points = argv[2], int(argv[3])
            print("ready", flush=True)  # the desk is open; every process then starts on the same "go"
            sys.stdin.readline()
            try:
                outcome = desk.debit(member_no, points)
            except DomainError as error:
                print(json.dumps({"status": "refused", "outcome": None, "code": error.code}))
                return 0
            verdict = desk.sync.confirm(outcome.operation_id, wait=20.0)
            print(json.dumps({"status": outcome.status, "outcome": verdict.outcome if verdict else None, "code": verdict.code if verdict else None}))
        elif command == "push":
            desk.sync.desk.push()
        elif command == "sync":
            desk.sync.desk.sync_once(wait=0.2)
        else:
            raise SystemExit(f"unknown command {command}")
    finally:
        desk.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
