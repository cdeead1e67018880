"""Rows an applier batch adds go in after the rows central's change feed finds their members through."""

from __future__ import annotations

import re

from sqlalchemy.orm import RelationshipDirection

from loyalty_desk.store.models import Base
from loyalty_desk.sync.central_feed import MEMBER_SCOPE


def _flushed_after() -> dict[str, set[str]]:
    """Each table's many-to-one relationships: the tables a flush inserts before it."""
    graph: dict[str, set[str]] = {}
    for mapper in Base.registry.mappers:
        for relationship in mapper.relationships:
            if relationship.direction is RelationshipDirection.MANYTOONE:
                graph.setdefault(mapper.local_table.name, set()).add(relationship.mapper.local_table.name)
    return graph


def _before(graph: dict[str, set[str]], table: str) -> set[str]:
    seen: set[str] = set()
    waiting = [table]
    while waiting:
        for parent in graph.get(waiting.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                waiting.append(parent)
    return seen


def test_every_row_the_feed_scopes_is_inserted_after_the_rows_it_reads_to_find_its_members():
    graph = _flushed_after()
    missing = []
    for table, members in MEMBER_SCOPE.items():
        if table == "member":
            continue
        read = {"member", *re.findall(r"FROM (\w+)", members)}
        missing += [f"{table} after {parent}" for parent in sorted(read - _before(graph, table))]
    assert not missing, missing


def test_the_ordering_relationships_are_never_loaded():
    for mapper in Base.registry.mappers:
        for relationship in mapper.relationships:
            assert relationship.lazy == "raise", (mapper.local_table.name, relationship.key)
