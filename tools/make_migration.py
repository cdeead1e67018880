"""Developer tool: autogenerate a migration from the models against a store at head.

    .venv/bin/python tools/make_migration.py "add referral tables"
    .venv/bin/python tools/make_migration.py --working "desk operations"   # replaces the unreleased working revision

Until a release, schema changes of the current work go into one working revision (after RELEASED), which
``--working`` regenerates from the models, so several changes in flight end up in one migration.
"""

import sys
import tempfile
from pathlib import Path

from alembic import command

from loyalty_desk.store.db import MIGRATIONS_DIR, alembic_config, make_engine, sqlite_url, upgrade_to_head

RELEASED = 2  # revisions up to this number have shipped and are never regenerated

args = sys.argv[1:]
working = "--working" in args
message = " ".join(a for a in args if a != "--working") or "schema change"
versions = MIGRATIONS_DIR / "versions"
if working:
    for path in versions.glob("*.py"):
        if int(path.name[:4]) > RELEASED:
            path.unlink()

with tempfile.TemporaryDirectory() as folder:
    url = sqlite_url(Path(folder) / "head.sqlite3")
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    existing = max((int(p.name[:4]) for p in versions.glob("*.py")), default=0)
    command.revision(alembic_config(url), message=message, autogenerate=True, rev_id=f"{existing + 1:04d}")

# Data that moves between tables: (a line autogenerate writes, the statements that must run before the
# ``with op.batch_alter_table(...)`` block holding it). Autogenerate sees columns, not data.
DATA_STEPS = (
    (
        "batch_op.drop_column('password_hash')",
        "    op.execute('INSERT INTO staff_credential (staff_id, password_hash, key_version) SELECT id, password_hash, 0 FROM staff')\n",
    ),
)


# Check constraints autogenerate does not compare: (a marker, the statements ending ``upgrade()``).
# SQLite rebuilds the table for them (batch mode; the upgrade runs with foreign keys off, store/db.py); PostgreSQL alters it in place.
CHECK_STEPS = (
    (
        "'marketing')",
        "    with op.batch_alter_table('staff', schema=None) as batch_op:\n"
        "        batch_op.drop_constraint(op.f('ck_staff_role'), type_='check')\n"
        "        batch_op.create_check_constraint(op.f('ck_staff_role'), \"role IN ('officer','supervisor','admin','auditor','marketing')\")\n\n",
    ),
)


def _with_check_steps(text: str) -> str:
    upgrade_end = text.find("def downgrade")
    for marker, statements in CHECK_STEPS:
        if marker in text[:upgrade_end]:
            continue
        end = text.rfind("    # ### end Alembic commands ###", 0, upgrade_end)
        text = text[:end] + statements + text[end:]
        upgrade_end = text.find("def downgrade")
    return text


def _with_data_steps(text: str) -> str:
    upgrade_end = text.find("def downgrade")
    for anchor, statements in DATA_STEPS:
        at = text.find(anchor, 0, upgrade_end)
        if at < 0 or statements in text:
            continue
        block = text.rfind("    with op.batch_alter_table(", 0, at)
        text = text[:block] + statements + text[block:]
        upgrade_end = text.find("def downgrade")
    return text


# The analytics aggregates are kept by triggers (``store/analytics.py``), which autogenerate cannot see:
# the working revision creates them after its tables and rebuilds the aggregates from the ledger a
# store already holds; its downgrade drops them first.
ANALYTICS_UPGRADE = """
    from loyalty_desk.store import analytics

    bind = op.get_bind()
    analytics.install(analytics.sqlalchemy_execute(bind), bind.dialect.name == "postgresql", date.today().replace(day=1))
"""
ANALYTICS_DOWNGRADE = """    from loyalty_desk.store import analytics

    bind = op.get_bind()
    analytics.uninstall(analytics.sqlalchemy_execute(bind), bind.dialect.name == "postgresql")
"""


def _with_analytics(text: str) -> str:
    if "analytics.install" in text:
        return text
    end_marker = "    # ### end Alembic commands ###"
    upgrade_end = text.find(end_marker)
    text = text[:upgrade_end] + end_marker + "\n" + ANALYTICS_UPGRADE + text[upgrade_end + len(end_marker) + 1 :]
    downgrade = text.find("def downgrade() -> None:")
    body = text.find("\n", downgrade) + 1
    text = text[:body] + ANALYTICS_DOWNGRADE + text[body:]
    return text.replace("from collections.abc import Sequence\n", "from collections.abc import Sequence\nfrom datetime import date\n", 1)


for path in versions.glob("*.py"):
    text = path.read_text()
    fixed = text.replace(
        "sqlite_where='remaining > 0', postgresql_where='remaining > 0'",
        "sqlite_where=sa.text('remaining > 0'), postgresql_where=sa.text('remaining > 0')",
    )
    if int(path.name[:4]) > RELEASED:
        fixed = _with_analytics(_with_check_steps(_with_data_steps(fixed)))
    if fixed != text:
        path.write_text(fixed)
