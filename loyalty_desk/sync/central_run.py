"""``central run``: appliers side by side (``sync/applier.py``), each waiting on ``NOTIFY ld_inbound``
when idle (or looking every second with ``listen=False``: a LISTEN needs a server session of its
own, which a transaction pooler does not keep); the first also runs central's daily jobs."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

import psycopg

from loyalty_desk.services.operations import OperationHandler
from loyalty_desk.sync.applier import Applier, ApplyReport


def run_forever(
    url: str,
    handlers: Iterable[OperationHandler],
    *,
    workers: int = 1,
    once: bool = False,
    stop: threading.Event | None = None,
    jobs_every: float = 60.0,
    on_report: Callable[[ApplyReport], None] | None = None,
    listen: bool = True,
    idle_wait: float = 1.0,
) -> ApplyReport:
    """``central run``: ``workers`` appliers side by side; each waits on NOTIFY ld_inbound when idle
    (``listen``), at most ``idle_wait`` seconds, then looks again."""
    handlers = list(handlers)
    stop = stop or threading.Event()
    totals = [0, 0]
    lock = threading.Lock()

    def worker(index: int) -> None:
        applier = Applier(url, handlers)
        listener = psycopg.connect(_plain_url(url), autocommit=True) if listen else None
        if listener is not None:
            listener.execute("LISTEN ld_inbound")
        last_jobs = 0.0
        try:
            while not stop.is_set():
                if index == 0 and time.monotonic() - last_jobs > jobs_every:
                    applier.run_jobs()
                    last_jobs = time.monotonic()
                report = applier.apply_batch()
                with lock:
                    totals[0] += report.posted
                    totals[1] += report.rejected
                if report.total and on_report:
                    on_report(report)
                if report.total == 0:
                    if once:
                        return
                    if listener is not None:
                        for _ in listener.notifies(timeout=idle_wait, stop_after=1):
                            pass
                    else:
                        stop.wait(idle_wait)
        finally:
            if listener is not None:
                listener.close()
            applier.close()

    threads = [threading.Thread(target=worker, args=(i,), name=f"applier-{i}", daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)
    except KeyboardInterrupt:
        stop.set()
        for thread in threads:
            thread.join()
    return ApplyReport(totals[0], totals[1])


def _plain_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url.replace("postgresql+psycopg://", "postgresql://", 1))
    return parsed.set(drivername="postgresql").difference_update_query(["prepare_threshold"]).render_as_string(hide_password=False)
