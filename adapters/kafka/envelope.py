"""The events topic's envelope, version 1: one JSON document per logged event, no personal data.

Each Kafka record on the events topic (default ``journeys.events``) is one logged event:

- key: the customer's opaque id (a UUID, as text) or, for an event about no customer, the
  aggregate's id. One customer's events share a partition, so they arrive in log order.
- value: UTF-8 JSON, an ``EventEnvelope``:

  ``envelope_version``  1 (a consumer refuses versions it does not know)
  ``event_id``          uuid5(EVENT_ID_NAMESPACE, "<aggregate_id>/<aggregate_version>"):
                        the same event always has the same id, so duplicates are recognisable
  ``type``              the event's class topic, e.g. ``domain.claim:Claim.Started``
  ``customer_id``       the customer the event concerns (opaque UUID), or null
  ``aggregate_id``      the journey (customer, claim, case...) the event belongs to
  ``aggregate_version`` the event's version in that aggregate (1, 2, 3...)
  ``log_position``      the event's position in the Journeys log (increasing, unique)
  ``effective_date``    when the fact took effect (YYYY-MM-DD), or null
  ``recorded_at``       when Journeys recorded it (UTC)
  ``payload``           the event's other fields as JSON, redacted (see ``review_of``)
  ``redacted``          the payload paths whose values were replaced by ``"[redacted]"``

- headers: ``event_id``, ``event_type``, ``envelope_version``, ``correlation_id``,
  ``causation_id`` and ``content_type`` (UTF-8 text).

No plaintext personal data leaves in a payload: names, NINOs, dates of birth, references
that identify a person, and every free text a person typed are replaced by ``"[redacted]"``.
What each event type's fields are is declared beside the event (``domain.personal_data``):
a text field is redacted unless declared a code or system wording, so a field added later
leaks nothing. On top of that, the names in ``PERSONAL_FIELDS`` are redacted at any depth.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any, Literal
from uuid import UUID

from eventsourcing.utils import get_topic
from pydantic import BaseModel, ConfigDict

from domain.aggregate import JourneyAggregate
from domain.decisions import Decision, Override
from domain.personal_data import (
    DECISION_FREE_TEXT_INPUTS,
    PEOPLE_NAMED_ACTORS,
    fields_review,
    quotes_free_text,
)
from domain.values import Actor, EventRef

log = logging.getLogger(__name__)

ENVELOPE_VERSION: Literal[1] = 1
EVENT_ID_NAMESPACE = UUID("a3d6f1c2-5b7e-4e0f-9c8a-7d2b1e4f6a90")
"""Fixed for ever: event ids are derived from it, and consumers deduplicate by them."""

REDACTED = "[redacted]"
CONTENT_TYPE = "application/json"

# The envelope carries these event fields itself; the payload leaves them out.
_LIFTED = frozenset(
    {"originator_id", "originator_version", "timestamp", "effective_date", "originator_topic"}
)


class EventEnvelope(BaseModel):
    """One logged event as published on the events topic (envelope version 1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    envelope_version: Literal[1] = ENVELOPE_VERSION
    event_id: UUID
    type: str
    customer_id: UUID | None
    aggregate_id: UUID
    aggregate_version: int
    log_position: int
    effective_date: date | None
    recorded_at: datetime
    payload: dict[str, Any]
    redacted: list[str]


@dataclass(frozen=True)
class Publication:
    """One Kafka record: key, value and headers, ready to send."""

    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]
    log_position: int


def event_id_for(aggregate_id: UUID, version: int) -> UUID:
    """The stable id of an aggregate's event at a version."""
    return uuid.uuid5(EVENT_ID_NAMESPACE, f"{aggregate_id}/{version}")


# -- the redaction table ---------------------------------------------------------------------


@dataclass(frozen=True)
class FieldReview:
    """One event type's payload as reviewed: paths to redact, and text paths that are codes.

    A path is dotted (``appointee.name``); ``[]`` marks each item of a list (``reasons[]``).
    """

    redact: frozenset[str] = frozenset()
    keep: frozenset[str] = frozenset()


def review(redact: Iterable[str] = (), keep: Iterable[str] = ()) -> FieldReview:
    """A FieldReview from two lists."""
    return FieldReview(frozenset(redact), frozenset(keep))


NOTHING_PERSONAL = FieldReview()
"""Reviewed: no text and no personal data beyond the rules that apply everywhere."""

PERSONAL_FIELDS = frozenset(
    {
        "nino",
        "name",
        "date_of_birth",
        "address",
        "postcode",
        "email",
        "phone",
        "signer_name",
        # The SR1's prognosis: the customer may not know it (the Special Rules basis is
        # withheld from them), so no other system learns it from us either.
        "death_expected_within_months",
        "progressive_disease",
    }
)
"""Redacted wherever they appear, at any depth, in any event (decision inputs included)."""

DECISION_TEXT_KEPT = frozenset({"question", "answer", "item_id", "nino_digits", "basis"})
"""Text inputs and outcomes of rules reviewed as codes or system wording (a test checks that
every rule's text fields are here or redacted; two NINO digits pick a pay day)."""


def review_of(event_class: type[Any]) -> FieldReview:
    """An event class's payload review, derived from its declarations (domain.personal_data)."""
    review = fields_review(event_class)
    return FieldReview(review.redacted, review.published_text)


# -- turning an event into a redacted payload --------------------------------------------------


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _field_name(path: str) -> str:
    return path.rsplit(".", 1)[-1].removesuffix("[]")


class _Redactor:
    """Walks one event's fields into JSON values, redacting as the table and the rules say."""

    def __init__(self, entry: FieldReview | None) -> None:
        self.entry = entry or NOTHING_PERSONAL
        self.reviewed = entry is not None
        self.redacted: set[str] = set()
        self.unreviewed: set[str] = set()

    def _redact(self, path: str) -> str:
        self.redacted.add(path)
        return REDACTED

    def value(self, value: Any, path: str) -> Any:
        if value is None:
            return None  # nothing to hide (an absent note, no policy)
        if path in self.entry.redact or _field_name(path) in PERSONAL_FIELDS:
            return self._redact(path)
        if isinstance(value, Decision):
            return self.decision(value, path)
        if isinstance(value, Actor):
            return self.actor(value, path)
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, BaseModel):
            return {
                name: self.value(getattr(value, name), _join(path, name))
                for name in type(value).model_fields
            }
        if isinstance(value, bool | int | float):
            return value
        if isinstance(value, str):
            if path in self.entry.keep:
                return value
            # Text nobody reviewed may be anything a person typed: it does not leave.
            self.unreviewed.add(path)
            return self._redact(path)
        if isinstance(value, UUID):
            return str(value)
        if isinstance(value, datetime | date | time):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dict):
            return {
                self._key(key): self.value(item, _join(path, self._key(key)))
                for key, item in value.items()
            }
        if isinstance(value, list | tuple | set | frozenset):
            return [self.value(item, f"{path}[]") for item in value]
        raise TypeError(f"cannot publish a {type(value).__name__} (at {path or 'the event'})")

    @staticmethod
    def _key(key: Any) -> str:
        return str(key.value) if isinstance(key, Enum) else str(key)

    def actor(self, actor: Actor, path: str) -> dict[str, Any]:
        identifier: str = actor.identifier
        if actor.kind in PEOPLE_NAMED_ACTORS and identifier:
            identifier = self._redact(_join(path, "identifier"))
        return {"kind": actor.kind.value, "identifier": identifier}

    def decision(self, decision: Decision, path: str) -> dict[str, Any]:
        quotes = quotes_free_text(decision)
        reasons_path = _join(path, "reasons[]")
        return {
            "rule_id": decision.rule_id,
            "rule_version": decision.rule_version,
            "inputs": self.recorded(decision.inputs, _join(path, "inputs")),
            "input_sources": {
                name: self.value(ref, _join(_join(path, "input_sources"), name))
                for name, ref in decision.input_sources.items()
            },
            "outcome": self.recorded(decision.outcome, _join(path, "outcome")),
            "reasons": [
                self._redact(reasons_path) if quotes else reason for reason in decision.reasons
            ],
            "made_by": self.actor(decision.made_by, _join(path, "made_by")),
            "override": self.override(decision.override, _join(path, "override")),
            "automated": decision.automated,
        }

    def override(self, override: Override | None, path: str) -> dict[str, Any] | None:
        if override is None:
            return None
        return {
            "by": self.actor(override.by, _join(path, "by")),
            "reason": self._redact(_join(path, "reason")),  # a person's words
            "outcome": self.recorded(override.outcome, _join(path, "outcome")),
        }

    def recorded(self, value: Any, path: str) -> Any:
        """A decision's recorded JSON (inputs, outcome): codes and dates, bar the named fields."""
        name = _field_name(path)
        if value is None:
            return None
        if name in PERSONAL_FIELDS or name in DECISION_FREE_TEXT_INPUTS:
            return self._redact(path)
        if isinstance(value, dict):
            return {str(k): self.recorded(v, _join(path, str(k))) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.recorded(item, f"{path}[]") for item in value]
        return value


@dataclass(frozen=True)
class RedactedPayload:
    """An event's payload as published, what was redacted, and what nobody had reviewed."""

    payload: dict[str, Any]
    redacted: list[str]
    unreviewed: list[str]
    reviewed: bool


def published_value(value: Any, path: str = "") -> Any:
    """One value as any event would publish it at `path` (the rules for every event type)."""
    return _Redactor(None).value(value, path)


def redacted_payload(event: JourneyAggregate.Event) -> RedactedPayload:
    """The event's own fields as JSON values, with personal data and free text redacted."""
    redactor = _Redactor(review_of(type(event)))
    payload = {
        name: redactor.value(value, name)
        for name, value in vars(event).items()
        if name not in _LIFTED
    }
    return RedactedPayload(
        payload=payload,
        redacted=sorted(redactor.redacted),
        unreviewed=sorted(redactor.unreviewed),
        reviewed=redactor.reviewed,
    )


# -- the envelope and the record -------------------------------------------------------------

_warned: set[str] = set()


def _warn_once(event_type: str, message: str) -> None:
    if event_type not in _warned:
        _warned.add(event_type)
        log.warning("%s: %s", event_type, message)


def recorded_cause(event: JourneyAggregate.Event) -> EventRef | None:
    """The event this one records as its cause (a contact's `about`, a policy reference)."""
    for value in vars(event).values():
        if isinstance(value, EventRef):
            return value
        if isinstance(value, BaseModel) and not isinstance(value, Decision):
            for _, inner in value:
                if isinstance(inner, EventRef):
                    return inner
    return None


def envelope_for(
    position: int, event: JourneyAggregate.Event, customer_id: UUID | None
) -> EventEnvelope:
    """The envelope of one logged event (its payload redacted)."""
    redacted = redacted_payload(event)
    event_type = get_topic(type(event))
    if not redacted.reviewed:
        _warn_once(event_type, "not in the redaction table: every text field is redacted")
    elif redacted.unreviewed:
        _warn_once(event_type, f"text fields not reviewed, redacted: {redacted.unreviewed}")
    effective = getattr(event, "effective_date", None)
    return EventEnvelope(
        event_id=event_id_for(event.originator_id, event.originator_version),
        type=event_type,
        customer_id=customer_id,
        aggregate_id=event.originator_id,
        aggregate_version=event.originator_version,
        log_position=position,
        effective_date=effective if isinstance(effective, date) else None,
        recorded_at=event.timestamp,
        payload=redacted.payload,
        redacted=redacted.redacted,
    )


def correlation_and_causation(event: JourneyAggregate.Event) -> tuple[UUID, UUID]:
    """Ids for the headers: the journey's first event, and the event this one followed.

    The log records no request ids, so the correlation id is the id of the aggregate's first
    event (every event of one claim or case shares it), and the causation id is the event
    the event names as its cause, else the aggregate's previous event (the state the command
    that stored this one acted on), else, for a first event, its own id.
    """
    aggregate_id, version = event.originator_id, event.originator_version
    correlation = event_id_for(aggregate_id, 1)
    cause = recorded_cause(event)
    if cause is not None:
        return correlation, event_id_for(cause.aggregate_id, cause.version)
    return correlation, event_id_for(aggregate_id, max(version - 1, 1))


def publication_for(
    position: int, event: JourneyAggregate.Event, customer_id: UUID | None
) -> Publication:
    """The Kafka record of one logged event: keyed by customer, envelope as JSON, ids in headers."""
    envelope = envelope_for(position, event, customer_id)
    correlation, causation = correlation_and_causation(event)
    key = str(customer_id if customer_id is not None else event.originator_id)
    value = envelope.model_dump_json().encode("utf-8")
    headers = [
        ("event_id", str(envelope.event_id).encode()),
        ("event_type", envelope.type.encode()),
        ("envelope_version", str(ENVELOPE_VERSION).encode()),
        ("correlation_id", str(correlation).encode()),
        ("causation_id", str(causation).encode()),
        ("content_type", CONTENT_TYPE.encode()),
    ]
    return Publication(key=key.encode(), value=value, headers=headers, log_position=position)
