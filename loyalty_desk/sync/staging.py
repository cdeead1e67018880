"""A staging central: a central database its operator has marked as one a load run may write to.

``central init --staging`` (or the SQL ``COMMENT ON DATABASE ... IS 'loyalty-desk:staging'``) writes
the mark into the database's comment; ``central simulate`` refuses a database without it
(``loyalty_desk/simulation``). A production central never carries the mark, so a simulator pointed
at it by mistake writes nothing.
"""

from __future__ import annotations

from sqlalchemy import text

from loyalty_desk.store.db import make_engine

STAGING_MARK = "loyalty-desk:staging"


def database_comment(url: str) -> str:
    """The comment on the database ``url`` names ('' when there is none)."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            comment = connection.scalar(
                text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()")
            )
    finally:
        engine.dispose()
    return str(comment or "")


def is_staging(url: str) -> bool:
    return STAGING_MARK in database_comment(url)


def mark_staging(url: str) -> None:
    """Adds the staging mark to the database's comment (its owner or a superuser only), keeping what was there."""
    comment = database_comment(url)
    if STAGING_MARK in comment:
        return
    engine = make_engine(url, pool_size=1)
    try:
        with engine.begin() as connection:
            new = f"{comment} {STAGING_MARK}".strip()
            database = connection.scalar(text("SELECT quote_ident(current_database())"))
            literal = connection.scalar(text("SELECT quote_literal(:v)"), {"v": new})
            connection.exec_driver_sql(f"COMMENT ON DATABASE {database} IS {literal}")
    finally:
        engine.dispose()
