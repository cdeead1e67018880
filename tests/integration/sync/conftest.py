"""PostgreSQL for the sync tests: one uniquely named central database per test, dropped afterwards,
each a copy of the database ``central init`` made on that server once for the session.

The server is ``LOYALTY_DESK_TEST_PG`` (default ``postgresql://postgres@127.0.0.1:5432/test``).
When it cannot be reached the tests are skipped with the reason, except under ``CI=true``,
where they fail.

``central_route``: ``direct`` (the default) or ``pooled``, where every connection to central of
the test (its desks, its appliers, the test's own reads) goes through a PgBouncer in transaction
pooling (``tests/pg_servers.py``); a module parametrises it with ``sync_support.ROUTES``. ``replicated_central``:
a central on a primary of the tests' own with a streaming hot-standby replica. Both servers are
started once per session; without their binaries the tests that need them are skipped with the
reason, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import psycopg
import pytest
from pg_servers import Missing, PgBouncer, ReplicatedCentral, ReplicatedPair, start_pgbouncer, start_replicated_pair
from sqlalchemy.engine import make_url
from sync_support import admin_url

from loyalty_desk.cli.sync import ensure_central_key
from loyalty_desk.services.signing import CENTRAL_KEY_ENV
from loyalty_desk.sync.central import init_central
from loyalty_desk.sync.protocol import APPLIER_ROLE, DESK_LOGIN_PREFIX, DESK_ROLE

pytestmark = pytest.mark.postgres

T = TypeVar("T")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _server(start: Callable[[], T]) -> T:
    try:
        return start()
    except Missing as error:
        if _in_ci():
            pytest.fail(str(error))
        pytest.skip(str(error))


def _connect_admin(admin: str | None = None) -> psycopg.Connection[Any]:
    url = make_url(admin or admin_url()).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(url, autocommit=True, connect_timeout=3)


@pytest.fixture(scope="session")
def pg_server() -> str:
    try:
        _connect_admin().close()
    except psycopg.Error as error:
        message = f"PostgreSQL not reachable at {make_url(admin_url()).render_as_string(hide_password=True)} (LOYALTY_DESK_TEST_PG): {error}".strip()
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return admin_url()


@pytest.fixture(scope="session")
def pgbouncer(pg_server: str) -> Iterator[PgBouncer]:
    """PgBouncer in transaction pooling in front of the test server."""
    server = make_url(pg_server)
    bouncer = _server(lambda: start_pgbouncer(server.host or "127.0.0.1", server.port or 5432))
    yield bouncer
    bouncer.stop()


@pytest.fixture
def central_route(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "direct"))


_TEMPLATES: dict[str, str] = {}  # server (admin URL) -> a central database `central init` made there, copied for each test


def _central_template(admin: str) -> str:
    """A database ``central init`` made once per server and session; each test's central is a copy of
    it (``CREATE DATABASE ... TEMPLATE``, a file copy instead of running the migrations again)."""
    if admin not in _TEMPLATES:
        name = f"ld_tmpl_{uuid.uuid4().hex[:10]}"
        with _connect_admin(admin) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        init_central(make_url(admin).set(database=name).render_as_string(hide_password=False))
        _TEMPLATES[admin] = name
    return _TEMPLATES[admin]


@pytest.fixture(scope="session", autouse=True)
def _drop_central_templates() -> Iterator[None]:
    yield
    for admin, name in _TEMPLATES.items():
        with contextlib.suppress(psycopg.Error), _connect_admin(admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _TEMPLATES.clear()


def _create_central(admin: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                    route: Callable[[str], str] = lambda url: url) -> tuple[str, str]:
    """A new central database on the server of ``admin`` as ``central init`` makes it, reached through
    ``route(url)``: (its name, the routed URL)."""
    template = _central_template(admin)
    name = f"ld_sync_{uuid.uuid4().hex[:10]}"
    with _connect_admin(admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        for role in (APPLIER_ROLE, DESK_ROLE):  # what a copy does not carry: the grants on the database itself
            connection.execute(f'GRANT CONNECT ON DATABASE "{name}" TO {role}')
    url = route(make_url(admin).set(database=name).render_as_string(hide_password=False))
    # central's own signing key, in a file of this test's (what `central init` makes in the config folder)
    key_file = tmp_path_factory.mktemp("central-key") / "central-signing-key.pem"
    monkeypatch.setenv(CENTRAL_KEY_ENV, str(key_file))
    ensure_central_key(url, None)
    return name, url


def _drop_central(admin: str, name: str) -> None:
    with _connect_admin(admin) as connection:
        roles = [r[0] for r in connection.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (DESK_LOGIN_PREFIX + f"{name[8:]}%",))]
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in roles:
            connection.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
def central_url(pg_server: str, central_route: str, request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    route: Callable[[str], str] = lambda url: url  # noqa: E731
    if central_route == "pooled":
        route = request.getfixturevalue("pgbouncer").url_for
    name, url = _create_central(pg_server, tmp_path_factory, monkeypatch, route)
    if central_route == "pooled":
        init_central(url)  # `central init` again (idempotent), through the pooler, as an operator behind one would run it
    yield url
    _drop_central(pg_server, name)


@pytest.fixture(scope="session")
def replicated_pair() -> Iterator[ReplicatedPair]:
    """A primary of the tests' own and its streaming hot-standby replica."""
    pair = _server(start_replicated_pair)
    yield pair
    pair.stop()


@pytest.fixture
def replicated_central(replicated_pair: ReplicatedPair, tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> Iterator[ReplicatedCentral]:
    """A central on the primary; the replica has replayed its creation when the test starts."""
    if replicated_pair.is_replay_paused():  # a test that failed while replay was paused
        replicated_pair.resume_replay()
    admin = replicated_pair.primary_url()
    name, url = _create_central(admin, tmp_path_factory, monkeypatch)
    replicated_pair.wait_replayed()
    yield ReplicatedCentral(url, make_url(url).set(port=replicated_pair.replica_port).render_as_string(hide_password=False), replicated_pair, name)
    if replicated_pair.is_replay_paused():
        replicated_pair.resume_replay()
    _drop_central(admin, name)


@pytest.fixture
def desk_prefix(central_url: str) -> str:
    """Desk names are unique to the test database (roles are cluster-wide)."""
    return make_url(central_url).database[8:]
