"""Kill points for the crash tests: ``LOYALTY_DESK_SYNC_KILL_AT`` = ``before_send`` | ``after_commit`` |
``after_ack`` makes the process SIGKILL itself at that point of a push (``sync/push.py``)."""

from __future__ import annotations

import os
import signal

KILL_ENV = "LOYALTY_DESK_SYNC_KILL_AT"


def kill_point(name: str) -> None:
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
