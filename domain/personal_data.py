"""Which event fields are personal data, whose they are, and how they read once erased.

Personal data (names, NINOs, dates of birth, addresses and contact details, and the free text
that quotes them) is stored sealed under a key per customer; erasing the customer destroys
the key, so every sealed field reads as erased for ever, in every copy of the log. This
module is the reviewed inventory the sealing and the erasure both follow:

- ``SEALED``: every event type, by its qualified name, and the paths of its personal fields
  (dotted into value objects: ``appointee.name``). A test checks every event type is listed.
- Decision inputs named in ``PERSONAL_DECISION_INPUTS`` are sealed in any event that records
  a decision: the date of birth is personal even as a rule's input. A decision whose inputs
  were erased can no longer be re-run; its outcome, dates and reasons stay for audit.
- An erased text reads as ``ERASED``; an erased date reads as None (no date is invented).

Decisions, dates and amounts are not personal fields here: they remain for audit. Dates
derived from a birth date (a 16th birthday, an invitation day) stay in decisions' outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from domain.decisions import Decision

ERASED = "[erased]"
"""What an erased text field reads as, everywhere (views, timeline, envelopes, demo)."""

ERASED_DATES = frozenset({"date_of_birth"})
"""Top-level fields that are dates: erased, they read as None."""

PERSONAL_DECISION_INPUTS = frozenset({"date_of_birth"})
"""Decision inputs that are personal data, sealed in every event that records a decision."""

_NOTHING: frozenset[str] = frozenset()
_MESSAGE = frozenset({"message.subject", "message.body"})  # letters quote names and addresses

SEALED: Mapping[str, frozenset[str]] = {
    "Customer.Registered": frozenset({"nino", "name", "date_of_birth"}),
    "Customer.ContactPreferencesChanged": _NOTHING,
    "Customer.AppointeeAppointed": frozenset({"appointee.name", "appointee.relationship"}),
    "Customer.AppointeeEnded": _NOTHING,
    "Customer.SupportMarkerAdded": frozenset({"marker.details"}),
    "Customer.SupportMarkerRemoved": _NOTHING,
    "Customer.CircumstancesChanged": frozenset({"description"}),
    "Customer.DeathNotified": frozenset({"reference"}),  # the death registration's reference
    "Customer.ClaimOpened": _NOTHING,
    "Customer.DebtOpened": _NOTHING,
    "Customer.ContactQueued": _MESSAGE,
    "Customer.ContactSent": _NOTHING,
    "Customer.ContactRefused": _MESSAGE,
    "Customer.LegalHoldPlaced": _NOTHING,
    "Customer.LegalHoldLifted": _NOTHING,
    "Customer.PersonalDataErased": _NOTHING,
    "DlaToPipTransition.Started": frozenset({"date_of_birth"}),
    # A staff read: who, role, route and a short stated purpose (staff are told not to put
    # personal data in it; it is not sealed, so erasure does not reach it: docs/threat-model.md).
    "Disclosure.Recorded": _NOTHING,
}
"""Personal fields by event type. Event types not listed here carry none (bar decision
inputs); a test lists those types so that a new event type is reviewed before it ships."""


_BY_CLASS: dict[type[Any], frozenset[str]] = {}


def sealed_paths(event_class: type[Any]) -> frozenset[str]:
    """The personal fields of an event class (or of the class it specialises)."""
    known = _BY_CLASS.get(event_class)
    if known is not None:
        return known
    found = _NOTHING
    for cls in event_class.__mro__:
        paths = SEALED.get(cls.__qualname__)
        if paths is not None:
            found = paths
            break
    _BY_CLASS[event_class] = found
    return found


def erased_value(path: str) -> Any:
    """What a personal field reads as once erased: None for a date, else ERASED."""
    return None if path in ERASED_DATES else ERASED


def decision_paths(event: object) -> list[str]:
    """The paths of the personal decision inputs the event records (``age_test.inputs.x``)."""
    return [
        f"{name}.inputs.{key}"
        for name, value in vars(event).items()
        if isinstance(value, Decision)
        for key in PERSONAL_DECISION_INPUTS
        if key in value.inputs
    ]


def personal_paths(event: object) -> list[str]:
    """Every personal field one event carries (its type's fields, then decision inputs)."""
    paths = sorted(sealed_paths(type(event)))
    if any(isinstance(value, Decision) for value in vars(event).values()):
        paths.extend(decision_paths(event))
    return paths


def data_subject(event: object) -> UUID | None:
    """Whose personal data an event carries: its customer (a journey names it when it starts).

    Customer events belong to the customer they are about; every other event with personal
    data is a journey's first event, which names its customer.
    """
    customer_id = getattr(event, "customer_id", None)
    if isinstance(customer_id, UUID):
        return customer_id
    if type(event).__qualname__.startswith("Customer."):
        originator = getattr(event, "originator_id", None)
        return originator if isinstance(originator, UUID) else None
    return None


def _erase_in(value: Any, parts: list[str]) -> Any:
    """A copy of a value with the field at `parts` erased (into value objects and dicts)."""
    head, rest = parts[0], parts[1:]
    if isinstance(value, BaseModel):
        inner = getattr(value, head)
        return value.model_copy(update={head: _erase_in(inner, rest) if rest else ERASED})
    if isinstance(value, dict):
        copied = dict(value)
        copied[head] = _erase_in(value[head], rest) if rest else ERASED
        return copied
    raise TypeError(f"cannot erase {head!r} inside a {type(value).__name__}")


def erased_copy(event: Any) -> Any:
    """The event as it reads once its customer's personal data is erased.

    The same values the store gives back when the customer's key is gone, so a view built
    before an erasure can be brought to what a rebuild after it gives.
    """
    state = dict(vars(event))
    for path in personal_paths(event):
        name, *rest = path.split(".")
        state[name] = _erase_in(state[name], rest) if rest else erased_value(name)
    copy = object.__new__(type(event))
    object.__setattr__(copy, "__dict__", state)
    return copy
