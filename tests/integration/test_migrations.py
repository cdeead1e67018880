"""The migrations build exactly the schema the models describe (a model change without its
migration would ship a store the code cannot use)."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from loyalty_desk.store.db import current_revision, head_revision, make_engine, sqlite_url, upgrade_to_head
from loyalty_desk.store.models import Base


def test_a_store_at_head_matches_the_models(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "store.sqlite3"))
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()
