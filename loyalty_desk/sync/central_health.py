"""Whether central keeps up: ``central status`` and the same figures as Prometheus metrics.

Each figure is one indexed query on central's own tables or PostgreSQL's statistics views, cheap
enough to be read at every scrape: the inbound backlog and the age of its oldest operation
(``ix_inbound_operation_received``), operations applied and rejected in the last minutes
(``ix_inbound_operation_applied``), each desk's last push (``ix_inbound_operation_desk_received``),
the change feed's head and where each desk's pull has reached (``central_desk``, reported by the desks
after every round), and each streaming replica's replay lag (``pg_stat_replication``; seen in
full by a superuser or a member of ``pg_monitor``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, text

from loyalty_desk.sync.protocol import DESK_TABLE, FEED_TABLE, INBOUND_TABLE, POSTED, RECEIVED, REJECTED

RATE_WINDOW_MINUTES = 5


@dataclass(frozen=True)
class Rejection:
    operation_id: str
    desk: str
    kind: str
    staff_id: int | None
    reason_code: str | None
    reason_params: dict | None
    applied_at: object


@dataclass(frozen=True)
class DeskActivity:
    desk: str
    branch_code: str
    last_push_at: datetime | None
    waiting: int
    last_pull_at: datetime | None
    feed_txid: int | None  # the transaction the desk's pull has reached


@dataclass(frozen=True)
class ReplicaLag:
    name: str
    state: str
    replay_lag_seconds: float | None  # None: nothing to replay (idle) or not visible to this login
    replay_lag_bytes: int | None


@dataclass(frozen=True)
class CentralStatus:
    read_at: datetime  # central's clock, UTC
    waiting: int
    oldest_waiting_at: datetime | None
    oldest_waiting_seconds: float
    window_minutes: int
    posted_in_window: int
    rejected_in_window: int
    feed_head: int | None  # the newest transaction id in the change feed
    desks: tuple[DeskActivity, ...]
    replicas: tuple[ReplicaLag, ...]
    rejections: tuple[Rejection, ...]

    @property
    def slowest_desk(self) -> DeskActivity | None:
        """The desk whose pull is furthest behind, of those that ever pulled."""
        pulled = [desk for desk in self.desks if desk.feed_txid is not None]
        return min(pulled, key=lambda desk: (desk.feed_txid, desk.desk)) if pulled else None

    @property
    def posted_per_minute(self) -> float:
        return self.posted_in_window / self.window_minutes

    @property
    def rejected_per_minute(self) -> float:
        return self.rejected_in_window / self.window_minutes


_NOW = "(now() AT TIME ZONE 'UTC')"
_BACKLOG = text(
    f"SELECT {_NOW} AS read_at, count(*) AS waiting, min(received_at) AS oldest, "
    f"coalesce(extract(epoch FROM {_NOW} - min(received_at)), 0) AS oldest_seconds "
    f"FROM {INBOUND_TABLE} WHERE status = '{RECEIVED}'"
)
_APPLIED = text(
    f"SELECT count(*) FILTER (WHERE status = '{POSTED}') AS posted, count(*) FILTER (WHERE status = '{REJECTED}') AS rejected "
    f"FROM {INBOUND_TABLE} WHERE applied_at >= {_NOW} - make_interval(mins => :minutes)"
)
_DESKS = text(
    f"SELECT d.desk, b.code AS branch_code, last.received_at AS last_push_at, d.pulled_at, d.feed_txid, "
    f"(SELECT count(*) FROM {INBOUND_TABLE} w WHERE w.desk = d.login AND w.status = '{RECEIVED}') AS waiting "
    f"FROM {DESK_TABLE} d JOIN branch b ON b.id = d.branch_id "
    f"LEFT JOIN LATERAL (SELECT received_at FROM {INBOUND_TABLE} i WHERE i.desk = d.login ORDER BY received_at DESC LIMIT 1) last ON true "
    "ORDER BY d.desk"
)
_FEED_HEAD = text(f"SELECT max(txid) FROM {FEED_TABLE}")
_REPLICAS = text(
    "SELECT application_name, state, extract(epoch FROM replay_lag) AS lag_seconds, "
    "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS lag_bytes FROM pg_stat_replication ORDER BY application_name"
)
_REJECTIONS = text(
    f"SELECT operation_id, desk, kind, staff_id, reason_code, reason_params, applied_at FROM {INBOUND_TABLE} "
    f"WHERE status = '{REJECTED}' ORDER BY applied_at DESC, operation_id LIMIT :n"
)


def central_status(engine: Engine, *, recent: int = 20, window_minutes: int = RATE_WINDOW_MINUTES) -> CentralStatus:
    """``central status``: the backlog, the rates, the desks, the feed, the replicas and the latest rejections."""
    with engine.connect() as connection:
        backlog = connection.execute(_BACKLOG).one()
        applied = connection.execute(_APPLIED, {"minutes": window_minutes}).one()
        desks = connection.execute(_DESKS).all()
        feed_head = connection.execute(_FEED_HEAD).scalar()
        replicas = connection.execute(_REPLICAS).all()
        rejections = connection.execute(_REJECTIONS, {"n": recent}).all() if recent else []
    return CentralStatus(
        read_at=backlog.read_at,
        waiting=int(backlog.waiting),
        oldest_waiting_at=backlog.oldest,
        oldest_waiting_seconds=float(backlog.oldest_seconds),
        window_minutes=window_minutes,
        posted_in_window=int(applied.posted),
        rejected_in_window=int(applied.rejected),
        feed_head=None if feed_head is None else int(feed_head),
        desks=tuple(
            DeskActivity(r.desk, r.branch_code, r.last_push_at, int(r.waiting), r.pulled_at, None if r.feed_txid is None else int(r.feed_txid))
            for r in desks
        ),
        replicas=tuple(
            ReplicaLag(r.application_name, r.state, None if r.lag_seconds is None else float(r.lag_seconds),
                       None if r.lag_bytes is None else int(r.lag_bytes))
            for r in replicas
        ),
        rejections=tuple(Rejection(r.operation_id, r.desk, r.kind, r.staff_id, r.reason_code, r.reason_params, r.applied_at) for r in rejections),
    )


class CentralCollector(Collector):
    """A Prometheus collector that reads ``central_status`` at each scrape (``prometheus_client``'s
    custom-collector protocol): register it with a registry and serve that registry over HTTP."""

    def __init__(self, engine: Engine, *, window_minutes: int = RATE_WINDOW_MINUTES) -> None:
        self._engine = engine
        self._window = window_minutes

    def describe(self) -> list[Metric]:
        return []  # read at scrape time only: registering must not query the database

    def collect(self) -> Iterator[Metric]:
        status = central_status(self._engine, recent=0, window_minutes=self._window)
        yield GaugeMetricFamily("loyalty_central_inbound_waiting", "Operations pushed by desks and not yet applied", value=status.waiting)
        yield GaugeMetricFamily(
            "loyalty_central_inbound_oldest_waiting_seconds", "Age of the oldest operation not yet applied (0 when none waits)",
            value=status.oldest_waiting_seconds,
        )
        yield GaugeMetricFamily(
            "loyalty_central_applied_per_minute", f"Operations posted per minute over the last {self._window} minutes",
            value=status.posted_per_minute,
        )
        yield GaugeMetricFamily(
            "loyalty_central_rejected_per_minute", f"Operations rejected per minute over the last {self._window} minutes",
            value=status.rejected_per_minute,
        )
        if status.feed_head is not None:
            yield GaugeMetricFamily("loyalty_central_feed_head_txid", "Newest transaction id in the change feed", value=status.feed_head)
        last_push = GaugeMetricFamily(
            "loyalty_central_desk_last_push_age_seconds", "Seconds since the desk's last pushed operation", labels=["desk", "branch"]
        )
        desk_waiting = GaugeMetricFamily("loyalty_central_desk_waiting", "The desk's operations not yet applied", labels=["desk", "branch"])
        last_pull = GaugeMetricFamily(
            "loyalty_central_desk_last_pull_age_seconds", "Seconds since the desk last said where its pull reached", labels=["desk", "branch"]
        )
        feed_txid = GaugeMetricFamily(
            "loyalty_central_desk_feed_txid", "The change-feed transaction the desk's pull has reached", labels=["desk", "branch"]
        )
        for desk in status.desks:
            labels = [desk.desk, desk.branch_code]
            if desk.last_push_at is not None:
                last_push.add_metric(labels, (status.read_at - desk.last_push_at).total_seconds())
            desk_waiting.add_metric(labels, desk.waiting)
            if desk.last_pull_at is not None:
                last_pull.add_metric(labels, (status.read_at - desk.last_pull_at).total_seconds())
            if desk.feed_txid is not None:
                feed_txid.add_metric(labels, desk.feed_txid)
        yield from (last_push, desk_waiting, last_pull, feed_txid)
        lag = GaugeMetricFamily("loyalty_central_replica_replay_lag_bytes", "WAL the replica has still to replay", labels=["replica"])
        for replica in status.replicas:
            if replica.replay_lag_bytes is not None:
                lag.add_metric([replica.name], replica.replay_lag_bytes)
        yield lag


def serve_metrics(engine: Engine, port: int, *, address: str = "0.0.0.0") -> WSGIServer:
    """Serves ``/metrics`` on ``port`` from a registry of its own (only central's figures); returns
    the server (``shutdown()`` stops it)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(CentralCollector(engine))
    server, _thread = start_http_server(port, addr=address, registry=registry)
    return server
