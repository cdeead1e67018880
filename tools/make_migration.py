"""Developer tool: autogenerate a migration from the models against a store at head.

    .venv/bin/python tools/make_migration.py "add referral tables"
"""

import sys
import tempfile
from pathlib import Path

from alembic import command

from loyalty_desk.store.db import alembic_config, make_engine, sqlite_url, upgrade_to_head

with tempfile.TemporaryDirectory() as folder:
    url = sqlite_url(Path(folder) / "head.sqlite3")
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    config = alembic_config(url)
    existing = len(list((Path("loyalty_desk/store/migrations/versions")).glob("*.py")))
    command.revision(config, message=sys.argv[1], autogenerate=True, rev_id=f"{existing + 1:04d}")
