"""Central's health as head office's monitoring reads it: ``central status`` figures served as
Prometheus metrics from a real central, scraped over HTTP and parsed with prometheus_client's parser."""

from __future__ import annotations

import json
import socket
import urllib.request
import uuid

import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sync_support import seed_central

from loyalty_desk.store.db import make_engine
from loyalty_desk.sync.central import add_desk
from loyalty_desk.sync.central_health import central_status, serve_metrics

pytestmark = pytest.mark.postgres


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _scrape(port: int) -> dict[str, list[tuple[dict[str, str], float]]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        body = response.read().decode()
    return {family.name: [(sample.labels, sample.value) for sample in family.samples] for family in text_string_to_metric_families(body)}


def test_metrics_show_the_backlog_and_each_desk(central_url: str, desk_prefix: str) -> None:
    (member_no,) = seed_central(central_url, [1_000])
    engine = make_engine(central_url)
    try:
        credentials = add_desk(engine, f"{desk_prefix}_watch", branch_code="B001")
        idle = add_desk(engine, f"{desk_prefix}_idle", branch_code="B001")
        desk_url = credentials.url(central_url)
        with psycopg.connect(desk_url, autocommit=True) as connection:
            for _ in range(3):
                connection.execute(
                    "INSERT INTO inbound_operation (operation_id, desk, kind, payload, payload_digest, origin, staff_id, offline, status) "
                    "VALUES (%s, current_user, 'redeem', %s, 'd', %s, NULL, false, 'received')",
                    (str(uuid.uuid4()), json.dumps({"member_no": member_no}), credentials.desk),
                )
            connection.execute("SELECT ld_desk_position(%s, %s)", (42, 7))  # as a desk does after each pull
        status = central_status(engine)
        assert status.waiting == 3 and status.oldest_waiting_seconds >= 0 and status.posted_in_window == 0
        by_desk = {desk.desk: desk for desk in status.desks}
        assert by_desk[credentials.desk].waiting == 3 and by_desk[credentials.desk].last_push_at is not None
        assert by_desk[idle.desk].waiting == 0 and by_desk[idle.desk].last_push_at is None
        assert by_desk[credentials.desk].feed_txid == 42 and by_desk[credentials.desk].last_pull_at is not None
        assert by_desk[idle.desk].feed_txid is None and status.slowest_desk == by_desk[credentials.desk]

        port = _free_port()
        server = serve_metrics(engine, port, address="127.0.0.1")
        try:
            metrics = _scrape(port)
        finally:
            server.shutdown()
            server.server_close()
    finally:
        engine.dispose()
    assert metrics["loyalty_central_inbound_waiting"] == [({}, 3.0)]
    assert metrics["loyalty_central_applied_per_minute"] == [({}, 0.0)]
    waiting = {labels["desk"]: value for labels, value in metrics["loyalty_central_desk_waiting"]}
    assert waiting[credentials.desk] == 3.0 and waiting[idle.desk] == 0.0
    pushed = {labels["desk"] for labels, _ in metrics["loyalty_central_desk_last_push_age_seconds"]}
    assert credentials.desk in pushed and idle.desk not in pushed  # a desk that never pushed has no age
    assert metrics["loyalty_central_feed_head_txid"][0][1] > 0
    assert [(labels["desk"], value) for labels, value in metrics["loyalty_central_desk_feed_txid"]] == [(credentials.desk, 42.0)]
    assert [labels["desk"] for labels, _ in metrics["loyalty_central_desk_last_pull_age_seconds"]] == [credentials.desk]
