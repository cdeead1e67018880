"""The models' constructor leaves a new row as SQLAlchemy's declarative constructor would."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.orm.decl_base import _declarative_constructor

from loyalty_desk.store.models import Base


def test_a_row_built_by_the_models_constructor_holds_what_the_declarative_one_leaves() -> None:
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        values = {attribute.key: f"value of {attribute.key}" for attribute in mapper.column_attrs}
        values.update({relationship.key: None for relationship in mapper.relationships})
        ours, theirs = cls.__new__(cls), cls.__new__(cls)
        mapper.class_manager._new_state_if_none(ours)
        mapper.class_manager._new_state_if_none(theirs)
        Base.__init__(ours, **values)
        _declarative_constructor(theirs, **values)
        ours_state, theirs_state = inspect(ours), inspect(theirs)
        assert {k: v for k, v in ours_state.dict.items() if k != "_sa_instance_state"} == {
            k: v for k, v in theirs_state.dict.items() if k != "_sa_instance_state"}, cls
        assert ours_state.committed_state == theirs_state.committed_state, cls
        assert ours_state.modified == theirs_state.modified, cls
        for key in values:
            assert ours_state.attrs[key].history == theirs_state.attrs[key].history, (cls, key)


def test_an_unknown_keyword_is_refused_as_before() -> None:
    mapper = next(iter(Base.registry.mappers))
    try:
        mapper.class_(no_such_column=1)
    except TypeError as error:
        assert "no_such_column" in str(error)
    else:
        raise AssertionError("accepted an unknown keyword")
