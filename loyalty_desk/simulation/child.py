"""A part of a simulation run in a process of its own (the counter probe, a group of desks), as a
branch's PC is a machine of its own.

``python -m MODULE`` is the process. The run gives it its job on the first line of its standard
input, never in a file (the world carries the run's staff password, which the simulator keeps in
memory only), then commands a line each; the process answers a line each on its standard output
(``ready`` once its desks have joined and signed in) and leaves its report, pickled, in a file.
What it says on its standard error goes to a log beside its folder.
"""

from __future__ import annotations

import base64
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

REPORT_WAIT = 600.0  # seconds the run waits for a part's report after asking it to settle


class ChildRun:
    """The run's side of one such process."""

    def __init__(self, module: str, job: Any, log: Path, report: Path, what: str) -> None:
        self.log, self.what = log, what
        self._report = report
        with log.open("wb") as errors:
            self._process = subprocess.Popen([sys.executable, "-m", module], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=errors, text=True)
        self.tell(base64.b64encode(pickle.dumps(job)).decode("ascii"))

    def expect(self, word: str) -> None:
        """Waits for the process to say ``word``; raises ``RuntimeError`` with its log when it ends instead."""
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()
        if line != word:
            self._process.wait()
            raise RuntimeError(f"{self.what} did not say {word!r}: {self.log_tail(2000)}")

    def tell(self, command: str) -> None:
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(command + "\n")
            self._process.stdin.flush()
        except BrokenPipeError:  # it has ended: finish() says how
            pass

    def finish(self, wait: float) -> Any | None:
        """Its report once it has ended (killed after ``wait`` seconds), or None when it failed."""
        try:
            self._process.wait(wait)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.returncode != 0 or not self._report.exists():
            return None
        return pickle.loads(self._report.read_bytes())

    def log_tail(self, length: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-length:]

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()


def read_job() -> Any:
    """In the process: the job from the first line of standard input."""
    return pickle.loads(base64.b64decode(sys.stdin.readline()))


def answer(word: str) -> None:
    print(word, flush=True)
