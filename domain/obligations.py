"""The markers an event is declared with: what the department owes each field, and each fact.

A text field is personal data unless declared otherwise here, with the reason; a field of
another type is personal when declared so. ``domain.personal_data`` derives the sealing, the
erasure and what other systems may see from these declarations.

An event class also declares, with ``@implies``, its caseworker timeline label and the letter
it means (or, with the reason, that it means none); ``domain.letters`` and the timeline
projection derive the letter registry and the labels from these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar


class _PersonalMarker:
    """The class of ``Personal``, the one marker of personal data that is not text."""

    def __repr__(self) -> str:
        return "Personal"


Personal = _PersonalMarker()
"""Declares a field of any type personal data: ``Annotated[date, Personal]``."""


@dataclass(frozen=True)
class NotPersonal:
    """Declares a text field is not personal data, and why.

    ``published=False``: kept in plain in the store but withheld from other systems.
    """

    reason: str
    published: bool = True


STAFF_ID = NotPersonal("a member of staff's id, never a customer's details")
CODE = NotPersonal("a code from a fixed list (a language, a template, a route)")
SYSTEM_WORDING = NotPersonal("wording the system writes from a fixed set, never a person's")
RULE_REASONS = NotPersonal(
    "a rule's own reasons, kept as its decision keeps them for audit; they may date a birthday,"
    " so other systems do not see them",
    published=False,
)


@dataclass(frozen=True)
class Letter:
    """Declares an event means writing to the customer: the template, subject and body."""

    template_id: str
    subject: str
    body: Callable[[Any], str]


@dataclass(frozen=True)
class NoLetter:
    """Declares an event sends the customer nothing, and why."""

    reason: str


class _KindOnlyMarker:
    """The class of ``KIND_ONLY``: an event whose timeline label is its kind's name."""

    def __repr__(self) -> str:
        return "KIND_ONLY"


KIND_ONLY = _KindOnlyMarker()
"""Declares an event's kind name (e.g. ``Claim.Created``) is its timeline label."""


@dataclass(frozen=True)
class Implications:
    """What one event class implies: its timeline label and its letter (or why none)."""

    timeline: Callable[[Any], str] | _KindOnlyMarker
    letter: Letter | NoLetter

    def timeline_label(self, event: Any) -> str | None:
        """The event's one-line timeline label (None: its kind's name is its label)."""
        return None if isinstance(self.timeline, _KindOnlyMarker) else self.timeline(event)


_E = TypeVar("_E", bound=type)
_IMPLICATIONS = "__implications__"


def implies(
    *, timeline: Callable[[Any], str] | _KindOnlyMarker, letter: Letter | NoLetter
) -> Callable[[_E], _E]:
    """Declare beside an event class its timeline label and its letter (or why none)."""

    def declare(cls: _E) -> _E:
        setattr(cls, _IMPLICATIONS, Implications(timeline=timeline, letter=letter))
        return cls

    return declare


def implications_of(cls: type[Any]) -> Implications | None:
    """What an event class implies, as declared on it or on the class it redefines."""
    found = getattr(cls, _IMPLICATIONS, None)
    return found if isinstance(found, Implications) else None
