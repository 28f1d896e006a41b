"""Every event class of every aggregate declares what it obliges: the reflection test.

A text field is personal data unless declared otherwise with a reason; a field whose type says
nothing (Any, object) must be declared. Each event class also declares its timeline label and
its letter, or why it sends none. Sealing, erasure, what leaves on Kafka, the letters and the
labels are derived from these declarations, so one missing here would go unnoticed everywhere
else.
"""

from __future__ import annotations

import typing
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel

from domain.aggregate import JourneyAggregate
from domain.events import every_event_class, recorded_event_classes
from domain.letters import LETTERS, NOT_CONTACTS
from domain.obligations import (
    CODE,
    KIND_ONLY,
    Implications,
    Letter,
    NoLetter,
    NotPersonal,
    Personal,
    implications_of,
    implies,
)
from domain.personal_data import ERASED, fields_review


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


def _declared_by(cls: type[Any]) -> type[Any] | None:
    """The class in an event class's ancestry whose own body holds what it implies."""
    return next((c for c in cls.__mro__ if "__implications__" in vars(c)), None)


def test_every_recorded_event_class_declares_its_timeline_label_and_its_letter_itself() -> None:
    classes = recorded_event_classes()
    assert len(classes) > 90  # every aggregate's, not one area's
    undeclared = sorted(
        cls.__qualname__
        for cls in classes
        if implications_of(cls) is None
        # Declared on the class itself, or on the one it redefines (the event library makes
        # Claim.Disallowed from the declared class, and DlaToPipTransition.DeadlineSet from
        # WithDeadlines.DeadlineSet), never merely inherited from an aggregate's base event.
        or (declarer := _declared_by(cls)) is None
        or declarer.__name__ != cls.__name__
    )
    assert not undeclared, f"declare with @implies (domain/obligations.py): {undeclared}"


def test_the_library_bases_declare_nothing_so_no_event_inherits_a_declaration_from_them() -> None:
    bases = set(every_event_class()) - set(recorded_event_classes())
    assert JourneyAggregate.Event in {b for cls in bases for b in cls.__mro__}
    assert all(implications_of(cls) is None for cls in bases), bases
    assert implications_of(JourneyAggregate.Event) is None


def test_the_letters_are_exactly_the_events_declaring_a_letter_and_the_rest_say_why_not() -> None:
    declared = {cls: implications_of(cls) for cls in recorded_event_classes()}
    letters = {
        cls for cls, implied in declared.items() if implied and isinstance(implied.letter, Letter)
    }
    assert set(LETTERS) == letters
    assert set(NOT_CONTACTS) == set(declared) - letters
    for cls in letters:
        implied = declared[cls]
        assert implied is not None
        assert isinstance(implied.letter, Letter)
        assert LETTERS[cls].template_id == implied.letter.template_id
        assert LETTERS[cls].subject == implied.letter.subject
        assert LETTERS[cls].body is implied.letter.body
    for cls, reason in NOT_CONTACTS.items():
        assert len(reason.split()) >= 3, (cls.__qualname__, reason)


class _Declared(JourneyAggregate):
    @implies(timeline=lambda e: f"Noted: {e.note}", letter=NoLetter("a note for the file only"))
    class Noted(JourneyAggregate.Event):
        note: str

    @implies(timeline=KIND_ONLY, letter=Letter("t", "Subject", lambda e: "Body"))
    class Written(JourneyAggregate.Event):
        pass

    class Undeclared(JourneyAggregate.Event):
        pass


def test_implies_records_the_declaration_on_the_class_the_aggregate_records() -> None:
    noted = implications_of(_Declared.Noted)
    assert isinstance(noted, Implications)
    assert noted.letter == NoLetter("a note for the file only")
    assert noted.timeline_label(type("Event", (), {"note": "hello"})()) == "Noted: hello"
    written = implications_of(_Declared.Written)
    assert written is not None
    assert written.timeline_label(object()) is None
    assert implications_of(_Declared.Undeclared) is None
