"""Segment member counts on the demo store (target ≤ 5 s each on 1,000,000 members).

- ``segment_count``: ``SegmentService.count`` for criteria a marketer would save — a tier and branch
  filter on the member row, earned within 90 days (an index probe per member), points expiring within
  90 days, dormant for 12 months, a balance range with has-referred — signed in as the demo auditor.
"""

from __future__ import annotations

import time
from typing import Any

from common import BenchOptions, Row, bench_store, benchmark

COUNT_TARGET_S = 5.0


@benchmark("segment_count")
def segment_count(options: BenchOptions) -> list[Row]:
    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.demo.staff import DEMO_PASSWORD

    services = build_services(bench_store(options.members))
    variants = [
        ("gold and platinum", {"tiers": ["gold", "platinum"]}),
        ("earned within 90 days", {"earned_within_days": 90}),
        ("points expiring within 90 days", {"expiring_within_days": 90}),
        ("dormant for 12 months", {"dormant_months": 12}),
        ("silver, 1,000-50,000 points, has referred, redeemed within a year",
         {"tiers": ["silver"], "balance_min": 1_000, "balance_max": 50_000, "has_referred": "yes", "redeemed_within_days": 365}),
    ]
    rows = []
    try:
        session = services.auth.sign_in(username="auditor", password=DEMO_PASSWORD)
        for label, criteria in variants:
            began = time.perf_counter()
            counted = services.segments.count(session=session, fields={"criteria": criteria})
            seconds = time.perf_counter() - began
            rows.append(Row(f"segment count, {options.members:,} members, {label}: {counted.members:,} members", seconds, "s", COUNT_TARGET_S))
    finally:
        services.close()
    return rows


OUTREACH_TARGET_S = 120.0


@benchmark("outreach_build")
def outreach_build(options: BenchOptions) -> list[Row]:
    """An expiry-reminder batch (points expiring within 90 days) for a segment of every member, on a copy of
    the benchmark store (a batch changes what the next one may send): the segment walked a page at a time,
    the messages recorded, the SMS file and its checksum written; signed in as the demo marketer."""
    import shutil
    import tempfile
    from pathlib import Path

    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.demo.staff import DEMO_PASSWORD

    with tempfile.TemporaryDirectory(prefix="loyalty-bench-outreach-") as scratch:
        store = Path(scratch) / "store"
        shutil.copytree(bench_store(options.members), store)
        services = build_services(store)
        try:
            session = services.auth.sign_in(username="marketing.1", password=DEMO_PASSWORD)
            services.segments.save(operation_id=services.segments.new_operation_id(), session=session, code="EVERYONE",
                                   fields={"name_zh": "全体会员", "name_en": "Every member", "criteria": {}})
            began = time.perf_counter()
            batch = services.outreach.build(session=session, segment="EVERYONE", reason="expiring_90", folder=scratch)
            seconds = time.perf_counter() - began
        finally:
            services.close()
    return [Row(f"outreach batch, {options.members:,} members, points expiring within 90 days: {batch.messages:,} messages, "
                f"{batch.left_out:,} left out", seconds, "s", OUTREACH_TARGET_S)]


SEND_TARGET_PER_S = 200.0  # 260,000 expiry reminders handed over within about 20 minutes


def _serve_platform(ports: Any) -> None:
    """The fake SMS platform in its own process (the sender's threads and its own do not share a GIL)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from sms_platform_support import running_platform

    with running_platform() as (platform, url):
        ports.put(url)
        platform.release.wait()


@benchmark("outreach_send")
def outreach_send(options: BenchOptions) -> list[Row]:
    """An expiry-reminder batch for a segment of every member (as ``outreach_build``, on a copy of the
    benchmark store) handed to an SMS platform over HTTP: the real adapter and service (one kept-alive
    connection, each answer recorded, 50 a transaction) against a local HTTP/1.1 server in another
    process that accepts every message. No TLS and no network: the figure is the desk's own cost."""
    import multiprocessing
    import shutil
    import tempfile
    from pathlib import Path

    from loyalty_desk.bootstrap import build_services
    from loyalty_desk.demo.staff import DEMO_PASSWORD
    from loyalty_desk.services.outreach.sms_platform import SETTINGS_FILE

    ports: Any = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve_platform, args=(ports,), daemon=True)
    server.start()
    try:
        url = ports.get(timeout=60)
        with tempfile.TemporaryDirectory(prefix="loyalty-bench-outreach-send-") as scratch:
            store = Path(scratch) / "store"
            shutil.copytree(bench_store(options.members), store)
            (store / SETTINGS_FILE).write_text(f"[sms_platform]\nurl = {url}\ntoken = bench\ntimeout_seconds = 10\n", encoding="utf-8")
            services = build_services(store)
            try:
                session = services.auth.sign_in(username="marketing.1", password=DEMO_PASSWORD)
                services.segments.save(operation_id=services.segments.new_operation_id(), session=session, code="EVERYONE",
                                       fields={"name_zh": "全体会员", "name_en": "Every member", "criteria": {}})
                batch = services.outreach.build(session=session, segment="EVERYONE", reason="expiring_90", folder=scratch)
                began = time.perf_counter()
                sent = services.outreach.send(session=session, code=batch.code)
                seconds = time.perf_counter() - began
            finally:
                services.close()
    finally:
        server.terminate()
        server.join()
    return [
        Row(f"outreach send over HTTP, {options.members:,} members: {sent.accepted:,} of {sent.pending:,} messages accepted", seconds, "s"),
        Row("outreach send over HTTP: messages a second", sent.accepted / seconds if seconds else 0.0, "/s", SEND_TARGET_PER_S, better="higher"),
    ]
