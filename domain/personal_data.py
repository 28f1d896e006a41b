"""Which event fields are personal data, whose they are, and how they read once erased.

Personal data (names, NINOs, dates of birth, addresses and contact details, and every free
text about a person) is stored sealed under a key per customer; erasing the customer destroys
the key, so every sealed field reads as erased for ever, in every copy of the log.

An event states this beside its declaration, and everything else is derived from it (the
sealing, the erasure, the redaction of what leaves on Kafka):

- a text field (``str``, at any depth of the event's value objects and lists) is personal
  unless declared otherwise: ``Annotated[str, STAFF_ID]``, with the reason
  (``domain.obligations``);
- a field of another type is personal when declared so: ``Annotated[date, Personal]``;
- identifiers, numbers, dates, enums and flags are not text and need nothing;
- a recorded Decision and an Actor follow the rules below wherever they appear.

A decision's personal inputs (``PERSONAL_DECISION_INPUTS``: the date of birth, and the words a
person typed) are sealed, and so are its reasons when they quote those words; an override's
reason is a person's words. A decision whose inputs were erased can no longer be re-run; its
outcome, dates and reasons as rules wrote them stay for audit. An actor who may be named by
their name (an appointee, a third party) has that identifier sealed; staff ids and the system
are not personal. An erased text reads as ``ERASED``; an erased date as None; an erased list
as empty. ``undeclared_fields`` names any field whose type says nothing about it: the
reflection test fails on those.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from domain.decisions import Decision, Override
from domain.obligations import NotPersonal, Personal
from domain.values import Actor, ActorKind, EventRef

ERASED = "[erased]"
"""What an erased text field reads as, everywhere (views, timeline, envelopes, demo)."""


DECISION_FREE_TEXT_INPUTS = frozenset({"reason", "good_reason", "good_reason_for_lateness"})
"""The decision inputs a person typed: a decision's reasons quote them, so they are sealed too."""

PERSONAL_DECISION_INPUTS = frozenset({"date_of_birth"}) | DECISION_FREE_TEXT_INPUTS
"""Decision inputs that are personal data (a birth date, a person's words), sealed wherever a
decision is recorded."""

PEOPLE_NAMED_ACTORS = frozenset({ActorKind.APPOINTEE, ActorKind.THIRD_PARTY})
"""Actors whose identifier may be a person's name (staff ids and customer ids are kept)."""

_NOT_TEXT: tuple[type[Any], ...] = (UUID, bool, int, float, Decimal, date, datetime, Enum)
# The envelope's own fields: identity and timing, never personal.
_EVENT_FRAME = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic", "caused_by"}
)
# Value types with rules of their own (above), wherever they appear.
_RULED = (Actor, Decision, Override, EventRef)


@dataclass(frozen=True)
class FieldsReview:
    """What one event class's declarations say about its fields.

    ``sealed``: the paths sealed in the store (dotted into value objects; a list or dict is
    sealed whole). ``redacted`` and ``published_text``: the text paths withheld from and kept
    for other systems (``[]`` marks each item of a list). ``erased``: what each sealed path
    reads as once erased. ``undeclared``: paths whose type says nothing (the test fails).
    """

    sealed: frozenset[str]
    redacted: frozenset[str]
    published_text: frozenset[str]
    erased: Mapping[str, Any]
    undeclared: frozenset[str]


_CONTAINERS: Mapping[Any, Any] = {list: (), tuple: (), set: (), frozenset: (), dict: {}}


class _Walk:
    """Collects one event class's review by walking its type hints."""

    def __init__(self) -> None:
        self.sealed: set[str] = set()
        self.redacted: set[str] = set()
        self.published_text: set[str] = set()
        self.erased: dict[str, Any] = {}
        self.undeclared: set[str] = set()

    def personal(self, path: str, sealed_at: tuple[str, Any] | None, text: bool) -> None:
        seal_path, erased = sealed_at or (path, ERASED if text else None)
        self.sealed.add(seal_path)
        self.erased[seal_path] = erased
        self.redacted.add(path)

    def field(
        self,
        hint: Any,
        path: str,
        sealed_at: tuple[str, Any] | None = None,
        declared: object = None,
    ) -> None:
        """Review one field (`sealed_at`: the enclosing list or dict that is sealed whole)."""
        origin = typing.get_origin(hint)
        if origin is typing.Annotated:
            base, *metadata = typing.get_args(hint)
            for marker in metadata:
                if marker is Personal or isinstance(marker, NotPersonal):
                    declared = marker
            self.field(base, path, sealed_at, declared)
        elif declared is Personal:
            self.personal(path, sealed_at, hint is str)
        elif origin in (typing.Union, types.UnionType):
            for option in typing.get_args(hint):
                if option is not type(None):
                    self.field(option, path, sealed_at, declared)
        elif origin in _CONTAINERS:
            *keys, items = typing.get_args(hint) or (Any,)
            inner = f"{path}[]" if origin is not dict else f"{path}{{}}"
            if origin is tuple and keys and items is not Ellipsis:
                for item in (*keys, items):  # a fixed-length tuple
                    self.field(item, inner, sealed_at or (path, ()), declared)
                return
            item = keys[0] if origin is tuple and items is Ellipsis else items
            self.field(item, inner, sealed_at or (path, _CONTAINERS[origin]), declared)
        elif hint is str:
            if not isinstance(declared, NotPersonal):
                self.personal(path, sealed_at, text=True)
            elif declared.published:
                self.published_text.add(path)
            else:
                self.redacted.add(path)
        elif isinstance(hint, type) and issubclass(hint, _RULED):
            pass  # their own rules, value by value (personal_paths)
        elif isinstance(hint, type) and issubclass(hint, BaseModel):
            hints = typing.get_type_hints(hint, include_extras=True)
            for name in hint.model_fields:
                self.field(hints[name], f"{path}.{name}", sealed_at, declared)
        elif not (isinstance(hint, type) and issubclass(hint, _NOT_TEXT)):
            self.undeclared.add(path)  # Any, object...: nothing says what it holds


_REVIEWS: dict[type[Any], FieldsReview] = {}


def fields_review(event_class: type[Any]) -> FieldsReview:
    """What the event class's declarations say about its fields (see the module's text)."""
    known = _REVIEWS.get(event_class)
    if known is not None:
        return known
    walk = _Walk()
    for name, hint in typing.get_type_hints(event_class, include_extras=True).items():
        if name not in _EVENT_FRAME and typing.get_origin(hint) is not typing.ClassVar:
            walk.field(hint, name)
    review = FieldsReview(
        sealed=frozenset(walk.sealed),
        redacted=frozenset(walk.redacted),
        published_text=frozenset(walk.published_text),
        erased=dict(walk.erased),
        undeclared=frozenset(walk.undeclared),
    )
    _REVIEWS[event_class] = review
    return review


def sealed_paths(event_class: type[Any]) -> frozenset[str]:
    """The personal fields its declarations give an event class (bar actors and decisions)."""
    return fields_review(event_class).sealed


# -- actors and decisions, value by value ------------------------------------------------------


def _actor_paths(actor: Actor, path: str) -> Iterator[str]:
    if actor.kind in PEOPLE_NAMED_ACTORS and actor.identifier:
        yield f"{path}.identifier"


def quotes_free_text(decision: Decision) -> bool:
    """Whether the decision's inputs hold words a person typed (its reasons may quote them)."""
    # An input that reads erased quotes nothing now: the reasons were sealed with it if it did.
    return any(
        isinstance(value := decision.inputs.get(name), str) and value.strip() and value != ERASED
        for name in DECISION_FREE_TEXT_INPUTS
    )


def _decision_paths(decision: Decision, path: str) -> Iterator[str]:
    yield from (
        f"{path}.inputs.{key}" for key in sorted(PERSONAL_DECISION_INPUTS & set(decision.inputs))
    )
    if quotes_free_text(decision):
        yield f"{path}.reasons"
    yield from _actor_paths(decision.made_by, f"{path}.made_by")
    if decision.override is not None:
        yield f"{path}.override.reason"  # a person's words
        yield from _actor_paths(decision.override.by, f"{path}.override.by")


def _ruled_paths(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, Actor):
        yield from _actor_paths(value, path)
    elif isinstance(value, Decision):
        yield from _decision_paths(value, path)
    elif isinstance(value, BaseModel) and not isinstance(value, EventRef):
        for name in type(value).model_fields:
            yield from _ruled_paths(getattr(value, name), f"{path}.{name}")


def _holds(event: object, path: str) -> bool:
    """Whether the value objects on the way to a dotted path are there (not None)."""
    value: Any = event
    for part in path.split(".")[:-1]:
        value = getattr(value, part, None)
        if value is None:
            return False
    return True


def personal_paths(event: object) -> list[str]:
    """Every personal field one event carries: its class's, then its actors' and decisions'."""
    paths = [path for path in sorted(sealed_paths(type(event))) if _holds(event, path)]
    for name, value in vars(event).items():
        if isinstance(value, BaseModel):
            paths.extend(_ruled_paths(value, name))
    return paths


_RULED_LEAVES = ("identifier", "reasons", "reason")


def may_be_sealed(event_class: type[Any], path: str) -> bool:
    """Whether a sealed value at `path` can belong to the event class (else it was moved)."""
    if path in sealed_paths(event_class):
        return True
    parts = path.split(".")
    if len(parts) >= 3 and parts[-2] == "inputs":
        return parts[-1] in PERSONAL_DECISION_INPUTS
    return len(parts) >= 2 and parts[-1] in _RULED_LEAVES


def erased_value(event_class: type[Any], path: str) -> Any:
    """What a personal field reads as once erased: ERASED for text, None for a date, [] ..."""
    review = fields_review(event_class)
    if path in review.erased:
        return review.erased[path]
    return [ERASED] if path.endswith(".reasons") else ERASED


# -- whose data ---------------------------------------------------------------------------------

_storing_for: ContextVar[Mapping[UUID, UUID | None] | None] = ContextVar(
    "storing_for", default=None
)


@contextmanager
def storing_for(subjects: Mapping[UUID, UUID | None]) -> Iterator[None]:
    """Name, by aggregate id, whose personal data the events stored inside the block carry."""
    token = _storing_for.set(subjects)
    try:
        yield
    finally:
        _storing_for.reset(token)


def concerns_nobody(event: object) -> bool:
    """Whether the event says it is about no customer (a concern about a policy).

    Its text is stored as it is: there is no customer whose erasure could reach it.
    """
    if "customer_id" in vars(event):
        return getattr(event, "customer_id", None) is None
    subjects = _storing_for.get()
    originator = getattr(event, "originator_id", None)
    if subjects is None or not isinstance(originator, UUID):
        return False
    return originator in subjects and subjects[originator] is None


def data_subject(event: object) -> UUID | None:
    """Whose personal data an event carries: its customer.

    A Customer event is about the customer; a journey's first event names its customer; a
    later event's aggregate names it while it is stored (``storing_for``: the write path).
    """
    customer_id = getattr(event, "customer_id", None)
    if isinstance(customer_id, UUID):
        return customer_id
    originator = getattr(event, "originator_id", None)
    if not isinstance(originator, UUID):
        return None
    if type(event).__qualname__.startswith("Customer."):
        return originator
    subjects = _storing_for.get()
    return subjects.get(originator) if subjects is not None else None


def _erase_in(value: Any, parts: list[str], erased: Any) -> Any:
    """A copy of a value with the field at `parts` erased (into value objects and dicts)."""
    head, rest = parts[0], parts[1:]
    if isinstance(value, BaseModel):
        inner = getattr(value, head)
        return value.model_copy(update={head: _erase_in(inner, rest, erased) if rest else erased})
    if isinstance(value, dict):
        copied = dict(value)
        copied[head] = _erase_in(value[head], rest, erased) if rest else erased
        return copied
    raise TypeError(f"cannot erase {head!r} inside a {type(value).__name__}")


def erased_copy(event: Any) -> Any:
    """The event as it reads once its customer's personal data is erased.

    The same values the store gives back when the customer's key is gone, so a view built
    before an erasure can be brought to what a rebuild after it gives. An event with nothing
    personal is given back itself (``erased_copy(e) is e``: it reads the same).
    """
    paths = personal_paths(event)
    if not paths:
        return event
    state = dict(vars(event))
    for path in paths:
        name, *rest = path.split(".")
        erased = erased_value(type(event), path)
        state[name] = _erase_in(state[name], rest, erased) if rest else erased
    copy = object.__new__(type(event))
    object.__setattr__(copy, "__dict__", state)
    return copy
