"""PostgreSQL for the sync tests: one uniquely named central database per test, dropped afterwards.

The server is ``LOYALTY_DESK_TEST_PG`` (default ``postgresql://postgres@127.0.0.1:5432/test``).
When it cannot be reached the tests are skipped with the reason, except under ``CI=true``,
where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url
from sync_support import admin_url

from loyalty_desk.cli.sync import ensure_central_key
from loyalty_desk.services.signing import CENTRAL_KEY_ENV
from loyalty_desk.sync.central import init_central
from loyalty_desk.sync.protocol import DESK_LOGIN_PREFIX

pytestmark = pytest.mark.postgres


def _connect_admin() -> psycopg.Connection:
    url = make_url(admin_url()).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(url, autocommit=True, connect_timeout=3)


@pytest.fixture(scope="session")
def pg_server() -> str:
    try:
        _connect_admin().close()
    except psycopg.Error as error:
        message = f"PostgreSQL not reachable at {make_url(admin_url()).render_as_string(hide_password=True)} (LOYALTY_DESK_TEST_PG): {error}".strip()
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return admin_url()


@pytest.fixture
def central_url(pg_server: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = f"ld_sync_{uuid.uuid4().hex[:10]}"
    with _connect_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    init_central(url)
    # central's own signing key, in a file of this test's (what `central init` makes in the config folder)
    key_file = tmp_path_factory.mktemp("central-key") / "central-signing-key.pem"
    monkeypatch.setenv(CENTRAL_KEY_ENV, str(key_file))
    ensure_central_key(url, None)
    yield url
    with _connect_admin() as admin:
        roles = [r[0] for r in admin.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (DESK_LOGIN_PREFIX + f"{name[8:]}%",))]
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in roles:
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
def desk_prefix(central_url: str) -> str:
    """Desk names are unique to the test database (roles are cluster-wide)."""
    return make_url(central_url).database[8:]
