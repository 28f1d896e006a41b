"""Every event class of every aggregate declares what its fields oblige: the reflection test.

A text field is personal data unless declared otherwise with a reason; a field whose type says
nothing (Any, object) must be declared. Sealing, erasure and what leaves on Kafka are derived
from these declarations, so one missing here would go unnoticed everywhere else.
"""

from __future__ import annotations

import importlib
import pkgutil
import typing
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel

import domain
from domain.aggregate import JourneyAggregate
from domain.obligations import CODE, NotPersonal, Personal
from domain.personal_data import ERASED, fields_review


def every_event_class() -> list[type[Any]]:
    """Each event class the domain declares (nested in its aggregate), by qualified name."""
    for module in pkgutil.walk_packages(domain.__path__, prefix="domain."):
        importlib.import_module(module.name)
    found: dict[str, type[Any]] = {}
    pending = list(JourneyAggregate.Event.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("domain.") and "." in cls.__qualname__:
            found.setdefault(cls.__qualname__, cls)
        pending.extend(cls.__subclasses__())
    return [found[name] for name in sorted(found)]


def _declarations(hint: Any) -> list[object]:
    """Every marker in a type hint, at any depth."""
    if typing.get_origin(hint) is typing.Annotated:
        base, *metadata = typing.get_args(hint)
        return [*metadata, *_declarations(base)]
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        hints = typing.get_type_hints(hint, include_extras=True)
        return [marker for name in hint.model_fields for marker in _declarations(hints[name])]
    return [marker for argument in typing.get_args(hint) for marker in _declarations(argument)]


def test_every_field_of_every_event_class_is_declared_or_of_a_type_that_says_what_it_holds() -> (
    None
):
    classes = every_event_class()
    assert len(classes) > 100  # every aggregate's, not one area's
    undeclared = {
        cls.__qualname__: sorted(fields_review(cls).undeclared)
        for cls in classes
        if fields_review(cls).undeclared
    }
    assert not undeclared, f"declare these fields (domain/obligations.py): {undeclared}"


def test_every_declaration_that_a_text_is_not_personal_gives_its_reason() -> None:
    for cls in every_event_class():
        for name, hint in typing.get_type_hints(cls, include_extras=True).items():
            for marker in _declarations(hint):
                if isinstance(marker, NotPersonal):
                    assert len(marker.reason.split()) >= 3, (cls.__qualname__, name, marker)


class _Example(JourneyAggregate):
    class Happened(JourneyAggregate.Event):
        note: str
        staff: Annotated[str, CODE]
        born: Annotated[date, Personal]
        reasons: tuple[str, ...]
        customer_id: UUID
        blob: Any


def test_a_plain_text_field_is_personal_and_a_field_of_no_declared_kind_is_reported() -> None:
    review = fields_review(_Example.Happened)
    assert review.sealed == {"note", "born", "reasons"}
    assert review.published_text == {"staff"}
    assert review.redacted == {"note", "born", "reasons[]"}
    assert dict(review.erased) == {"note": ERASED, "born": None, "reasons": ()}
    assert review.undeclared == {"blob"}
