"""PostgreSQL servers the tests start themselves, on free local ports in a temporary folder:

* ``PgBouncer``: PgBouncer in transaction pooling in front of a PostgreSQL server (trust, as the
  machine's test server is; users are looked up through ``auth_query`` so that desk logins made
  during a test can sign in).
* ``ReplicatedPair``: a primary cluster of the tests' own (``initdb``, ``wal_level=replica``, a
  ``pg_hba`` that allows replication) and a hot-standby replica made from it with
  ``pg_basebackup -R``, streaming. The machine's main cluster may not allow replication.

Each is stopped and its folder removed by ``stop()``. The binaries are PostgreSQL's
(``LOYALTY_DESK_PG_BIN``, else the newest ``/usr/lib/postgresql/*/bin``) and ``pgbouncer``
(``PATH`` or ``/usr/sbin``). PostgreSQL and PgBouncer refuse to run as root: under root they run
as the ``postgres`` user the Debian packages create.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import psycopg
from sqlalchemy.engine import make_url

SERVER_USER = "postgres"  # who runs the servers when the tests run as root


class Missing(Exception):
    """A binary the harness needs is not installed (the fixtures skip, or fail under CI)."""


def pg_bin() -> Path:
    configured = os.environ.get("LOYALTY_DESK_PG_BIN")
    if configured:
        found = Path(configured)
    else:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
        found = versions[-1] if versions else Path(os.path.dirname(shutil.which("initdb") or "") or "/nonexistent")
    for tool in ("initdb", "pg_ctl", "pg_basebackup", "postgres"):
        if not (found / tool).is_file():
            raise Missing(f"PostgreSQL server binaries not found ({found / tool}); install postgresql or set LOYALTY_DESK_PG_BIN")
    return found


def pgbouncer_bin() -> Path:
    found = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").is_file() else None)
    if found is None:
        raise Missing("pgbouncer not found (Debian package pgbouncer)")
    return Path(found)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user() -> dict[str, Any]:
    """``subprocess`` arguments that run a server as ``postgres`` when we are root, as ourselves otherwise."""
    if os.geteuid() != 0:
        return {}
    entry = pwd.getpwnam(SERVER_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": [], "env": {**os.environ, "HOME": entry.pw_dir}}


def _work_dir(prefix: str) -> Path:
    """A folder the server user owns (pytest's own temporary folders are private to root)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SERVER_USER)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return path


def _run(args: list[str | Path], cwd: Path) -> None:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False, **_as_server_user())
    if done.returncode != 0:
        raise RuntimeError(f"{Path(str(args[0])).name} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


def dsn(host: str, port: int, database: str = "postgres", user: str = "postgres") -> str:
    return f"postgresql://{user}@{host}:{port}/{database}"


def with_server(url: str, port: int, host: str = "127.0.0.1") -> str:
    """``url`` (any user, password and database) pointed at another server."""
    return make_url(url).set(host=host, port=port).render_as_string(hide_password=False)


# --- PgBouncer ---------------------------------------------------------------------------------------


@dataclass
class PgBouncer:
    port: int
    folder: Path
    process: subprocess.Popen[str]
    log_path: Path
    _drain: threading.Thread | None = field(default=None, repr=False)

    def url_for(self, url: str) -> str:
        """The same database and login as ``url``, through this pooler."""
        return with_server(url, self.port)

    def admin(self) -> psycopg.Connection[Any]:
        """PgBouncer's admin console (``SHOW POOLS``, ``SHOW STATS``...)."""
        return psycopg.connect(dsn("127.0.0.1", self.port, "pgbouncer"), autocommit=True, prepare_threshold=None)

    def pools(self) -> list[dict[str, Any]]:
        with self.admin() as console, console.cursor() as cursor:
            cursor.execute("SHOW POOLS")
            names = [c.name for c in cursor.description or []]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def server_connections(self, database: str | None = None) -> int:
        """Server connections open now (active, idle, used, tested, logging in), of one database or all."""
        total = 0
        for pool in self.pools():
            if pool["database"] == "pgbouncer" or (database is not None and pool["database"] != database):
                continue
            total += sum(int(pool.get(k) or 0) for k in ("sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login"))
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._drain is not None:
            self._drain.join(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def _copy_lines(source: TextIO, path: Path, ready: threading.Event, marker: str) -> None:
    with path.open("a", encoding="utf-8") as log:
        for line in source:
            log.write(line)
            log.flush()
            if marker in line:
                ready.set()
    ready.set()  # the process ended: whoever waits looks at why


def start_pgbouncer(upstream_host: str = "127.0.0.1", upstream_port: int = 5432, *, pool_size: int = 20, max_clients: int = 2000,
                    max_db_connections: int = 0) -> PgBouncer:
    """PgBouncer in transaction pooling on a free port, every database of ``upstream`` behind it. Pools are
    per login and database (``pool_size`` each); ``max_db_connections`` caps a database's server
    connections across its logins (0: no cap)."""
    binary = pgbouncer_bin()
    folder = _work_dir("ld-pgbouncer-")
    port = free_port()
    config = folder / "pgbouncer.ini"
    config.write_text(
        "[databases]\n"
        f"* = host={upstream_host} port={upstream_port}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {folder / 'users.txt'}\n"
        "auth_user = postgres\n"  # logins made during a test are looked up in pg_shadow (auth_query)
        "admin_users = postgres\nstats_users = postgres\n"
        "pool_mode = transaction\n"
        f"max_client_conn = {max_clients}\ndefault_pool_size = {pool_size}\nmin_pool_size = 0\nreserve_pool_size = 0\n"
        f"max_db_connections = {max_db_connections}\nserver_lifetime = 3600\nserver_idle_timeout = 60\n"
        "ignore_startup_parameters = extra_float_digits,options\n",
        encoding="utf-8",
    )
    (folder / "users.txt").write_text('"postgres" ""\n', encoding="utf-8")
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SERVER_USER)
        for path in (config, folder / "users.txt"):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    log_path = folder / "pgbouncer.log"
    process = subprocess.Popen(
        [str(binary), str(config)], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **_as_server_user()
    )
    assert process.stderr is not None
    ready = threading.Event()
    drain = threading.Thread(target=_copy_lines, args=(process.stderr, log_path, ready, "process up"), daemon=True)
    drain.start()
    bouncer = PgBouncer(port, folder, process, log_path, drain)
    if not ready.wait(timeout=30) or process.poll() is not None:
        log = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        bouncer.stop()
        raise RuntimeError(f"pgbouncer did not start: {log}")
    return bouncer


# --- a primary and its streaming replica --------------------------------------------------------------


@dataclass
class ReplicatedPair:
    folder: Path
    bin: Path
    primary_port: int
    replica_port: int

    def primary_url(self, database: str = "postgres") -> str:
        return dsn("127.0.0.1", self.primary_port, database)

    def replica_url(self, database: str = "postgres") -> str:
        return dsn("127.0.0.1", self.replica_port, database)

    def _connect(self, port: int) -> psycopg.Connection[Any]:
        return psycopg.connect(dsn("127.0.0.1", port), autocommit=True, connect_timeout=5)

    def wait_replayed(self) -> None:
        """Returns once the replica has replayed everything the primary committed so far: a commit
        with ``synchronous_commit = remote_apply`` (the primary names the replica synchronous)
        waits for the replica to apply it, and WAL is applied in order."""
        with self._connect(self.primary_port) as primary, primary.transaction():
            primary.execute("SET LOCAL synchronous_commit = remote_apply")
            primary.execute("SELECT pg_current_xact_id()")  # a transaction id, so its commit is a WAL record to wait for

    def pause_replay(self) -> None:
        """Replay stops before the next WAL record the replica receives (``pause requested`` is
        checked before each record is applied); what it had applied stays visible."""
        with self._connect(self.replica_port) as replica:
            replica.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        with self._connect(self.replica_port) as replica:
            replica.execute("SELECT pg_wal_replay_resume()")

    def is_replay_paused(self) -> bool:
        with self._connect(self.replica_port) as replica:
            return bool(replica.execute("SELECT pg_is_wal_replay_paused()").fetchone()[0])  # type: ignore[index]

    def stop_replica(self) -> None:
        _run([self.bin / "pg_ctl", "-D", self.folder / "replica", "-m", "fast", "-w", "stop"], self.folder)

    def start_replica(self) -> None:
        _run([self.bin / "pg_ctl", "-D", self.folder / "replica", "-l", self.folder / "replica.log", "-w", "-t", "60", "start"], self.folder)

    def stop(self) -> None:
        for cluster in ("replica", "primary"):
            if (self.folder / cluster / "postmaster.pid").exists():
                with contextlib.suppress(RuntimeError):
                    _run([self.bin / "pg_ctl", "-D", self.folder / cluster, "-m", "immediate", "-w", "stop"], self.folder)
        shutil.rmtree(self.folder, ignore_errors=True)


_SERVER_SETTINGS = """
listen_addresses = '127.0.0.1'
unix_socket_directories = '{sockets}'
max_connections = 100
shared_buffers = 32MB
fsync = off
full_page_writes = off
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
hot_standby = on
hot_standby_feedback = on
synchronous_standby_names = '*'
synchronous_commit = local
"""


def start_replicated_pair() -> ReplicatedPair:
    """A primary (trust, replication allowed from 127.0.0.1) and a streaming hot standby of it."""
    binaries = pg_bin()
    folder = _work_dir("ld-replicated-")
    pair = ReplicatedPair(folder, binaries, free_port(), free_port())
    try:
        primary, replica = folder / "primary", folder / "replica"
        _run([binaries / "initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], folder)
        with (primary / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(_SERVER_SETTINGS.format(sockets=folder))
            conf.write(f"port = {pair.primary_port}\n")
        (primary / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n", encoding="utf-8"
        )
        _run([binaries / "pg_ctl", "-D", primary, "-l", folder / "primary.log", "-w", "-t", "60", "start"], folder)
        _run([binaries / "pg_basebackup", "-h", "127.0.0.1", "-p", str(pair.primary_port), "-U", "postgres",
              "-D", replica, "-R", "-X", "stream", "--no-sync"], folder)
        with (replica / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(f"port = {pair.replica_port}\ncluster_name = 'ld_replica'\n")
        pair.start_replica()
        with pair._connect(pair.replica_port) as check:
            if not check.execute("SELECT pg_is_in_recovery()").fetchone()[0]:  # type: ignore[index]
                raise RuntimeError("the replica is not in recovery")
        pair.wait_replayed()
    except BaseException:
        pair.stop()
        raise
    return pair


@dataclass(frozen=True)
class ReplicatedCentral:
    """A central database on the pair's primary (the sync conftest's ``replicated_central``)."""

    url: str  # the primary (its owner)
    read_url: str  # the same database on the replica
    pair: ReplicatedPair
    name: str

    def replica_of(self, desk_url: str) -> str:
        """A desk's central URL (its login) pointed at the replica."""
        return make_url(desk_url).set(port=self.pair.replica_port).render_as_string(hide_password=False)
