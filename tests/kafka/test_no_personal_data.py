"""No plaintext personal data leaves: names, NINOs and free text never reach a published byte."""

from __future__ import annotations

import importlib
import json
import pkgutil
from datetime import date
from typing import Any, ClassVar, get_args, get_origin, get_type_hints

import pytest
from pydantic import BaseModel

import domain
import domain.rules
from adapters.bootstrap import Journeys
from adapters.kafka.envelope import (
    DECISION_TEXT_KEPT,
    PERSONAL_FIELDS,
    REDACTED,
    publication_for,
    published_value,
    redacted_payload,
    review_of,
)
from adapters.kafka.producer import KafkaPublisher
from adapters.kafka.relay import build_relay
from domain.aggregate import JourneyAggregate
from domain.customer import Customer
from domain.decisions import Decision, Override
from domain.personal_data import DECISION_FREE_TEXT_INPUTS
from domain.rules.framework import Rule
from domain.special_rules import SpecialRulesCase
from domain.values import Actor, ActorKind, Appointee, ContactPreferences
from tests.kafka.conftest import Broker
from tests.kafka.helpers import (
    PLAIN_APPOINTEE,
    PLAIN_NAME,
    PLAIN_NINO,
    add_plainly_personal_customer,
    populate,
    read_topic,
)


def _modules(package: Any) -> None:
    for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        importlib.import_module(module.name)


def event_classes() -> list[type[JourneyAggregate.Event]]:
    """Every concrete event class the domain declares (nested in an aggregate)."""
    _modules(domain)
    found: set[type[JourneyAggregate.Event]] = set()
    pending: list[type[JourneyAggregate.Event]] = [JourneyAggregate.Event]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass not in found:
                found.add(subclass)
                pending.append(subclass)
    return sorted(
        (
            cls
            for cls in found
            if cls.__module__.startswith("domain.")
            and not cls.__qualname__.startswith("JourneyAggregate.")
            and cls.__qualname__.rsplit(".", 1)[-1] not in {"Event", "Created"}
        ),
        key=lambda cls: (cls.__module__, cls.__qualname__),
    )


def forbidden_strings(system: Journeys) -> set[bytes]:
    """Every name, NINO, appointee and clinician the log holds, as bytes."""
    strings: set[str] = {PLAIN_NAME, PLAIN_NINO, PLAIN_APPOINTEE}
    for logged in system.projections.log.read(after=0, limit=1_000_000):
        event = logged.event
        if isinstance(event, Customer.Registered):
            strings.update({event.name, event.nino, f"{event.nino[:2]} {event.nino[2:4]}"})
        elif isinstance(event, Customer.AppointeeAppointed):
            strings.add(event.appointee.name)
        elif isinstance(event, SpecialRulesCase.EvidenceRecorded):
            strings.add(event.evidence.signer_name)
    return {s.encode() for s in strings}


@pytest.mark.kafka
def test_no_name_or_nino_reaches_any_published_byte(
    journeys: Journeys, kafka_broker: Broker, events_topic: str
) -> None:
    populate(journeys, customers=120, seed=21)
    add_plainly_personal_customer(journeys)
    relay = build_relay(
        journeys, publisher=KafkaPublisher(kafka_broker.bootstrap_servers, events_topic)
    )
    try:
        relayed = relay.catch_up()
    finally:
        relay.close()
    received = read_topic(kafka_broker.bootstrap_servers, events_topic)
    assert len(received) == relayed == journeys.projections.log.last_position()

    forbidden = forbidden_strings(journeys)
    assert len(forbidden) > 200  # the population's names and NINOs, and the plain customer's
    leaks = {s for record in received for s in forbidden if s in record.raw}
    assert not leaks
    for record in received:
        payload = record.envelope.payload
        text = json.dumps(payload)
        assert "Acacia Avenue" not in text
        for field in ("date_of_birth", "name", "nino", "signer_name"):
            assert all(value == REDACTED for value in _values_of(payload, field)), (field, text)


def _values_of(document: Any, field: str) -> list[Any]:
    """Every value under a key named `field`, at any depth."""
    if isinstance(document, dict):
        found = [value for key, value in document.items() if key == field]
        return found + [v for value in document.values() for v in _values_of(value, field)]
    if isinstance(document, list):
        return [v for item in document for v in _values_of(item, field)]
    return []


def test_every_text_field_of_every_event_is_redacted_unless_declared_a_code() -> None:
    for cls in event_classes():
        review = review_of(cls)
        for path in review.keep:
            assert path not in review.redact, (cls.__qualname__, path)
        published = redacted_payload_paths(cls)
        assert published <= review.redact | review.keep, (cls.__qualname__, published)


def redacted_payload_paths(cls: type[Any]) -> set[str]:
    """The text paths of an event class (dotted into value objects, [] for list items)."""
    found: set[str] = set()

    def walk(annotation: Any, path: str) -> None:
        origin, arguments = get_origin(annotation), get_args(annotation)
        if annotation is str:
            found.add(path)
        elif isinstance(annotation, type) and issubclass(annotation, (Actor, Decision)):
            return  # their own rules (tests below)
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            for name, info in annotation.model_fields.items():
                walk(info.annotation, f"{path}.{name}")
        elif origin in (list, tuple, set, frozenset):
            for argument in arguments:
                if argument is not Ellipsis:
                    walk(argument, f"{path}[]")
        elif origin is dict:
            walk(arguments[1], f"{path}.*")  # keys are codes; a text value: every key's
        else:
            for argument in arguments:
                walk(argument, path)

    hints = get_type_hints(cls, include_extras=False)
    for name, hint in hints.items():
        if get_origin(hint) is not ClassVar and name not in {
            "originator_id",
            "originator_version",
            "timestamp",
            "originator_topic",
        }:
            walk(hint, name)
    return found


def holds_text(annotation: Any) -> bool:
    """True for str, optional str, and lists, tuples or dict values of str."""
    if annotation is str:
        return True
    origin, arguments = get_origin(annotation), get_args(annotation)
    if origin is dict:
        return holds_text(arguments[1])
    return any(holds_text(argument) for argument in arguments if argument is not Ellipsis)


def test_every_text_input_and_outcome_of_every_rule_is_reviewed() -> None:
    _modules(domain.rules)
    reviewed = DECISION_FREE_TEXT_INPUTS | DECISION_TEXT_KEPT | PERSONAL_FIELDS
    unreviewed: list[str] = []

    def walk(rule_id: str, model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            kinds = get_args(info.annotation) or (info.annotation,)
            for kind in kinds:
                if isinstance(kind, type) and issubclass(kind, BaseModel):
                    walk(rule_id, kind, f"{prefix}{name}.")
            if holds_text(info.annotation) and name not in reviewed:
                unreviewed.append(f"{rule_id}: {prefix}{name}")

    for module in list(pkgutil.walk_packages(domain.rules.__path__, "domain.rules.")):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, Rule):
                walk(value.rule_id, value.inputs_type, "")
                walk(value.rule_id, value.outcome_type, "")
    assert not unreviewed, f"text inputs no review has placed: {unreviewed}"


@pytest.mark.kafka
def test_a_populated_log_holds_no_text_field_the_table_has_not_reviewed(journeys: Journeys) -> None:
    populate(journeys, customers=150, seed=13)
    add_plainly_personal_customer(journeys)
    unreviewed = {
        (type(logged.event).__qualname__, path)
        for logged in journeys.projections.log.read(after=0, limit=1_000_000)
        for path in redacted_payload(logged.event).unreviewed
    }
    assert not unreviewed


def test_a_registration_is_published_without_name_nino_or_date_of_birth() -> None:
    customer = Customer.register(
        nino="JK123456C",
        name="Ada Lovelace",
        date_of_birth=date(1985, 3, 14),
        contact_preferences=ContactPreferences(),
        today=date(2026, 1, 5),
    )
    (event,) = customer.collect_events()
    assert isinstance(event, Customer.Registered)
    record = publication_for(7, event, customer.id)
    document = json.loads(record.value)
    assert document["payload"]["name"] == document["payload"]["nino"] == REDACTED
    assert document["payload"]["date_of_birth"] == REDACTED
    assert document["payload"]["contact_preferences"] == {
        "channel": "letter",
        "large_print": False,
        "language": "en",
    }
    assert document["redacted"] == ["date_of_birth", "name", "nino"]
    assert document["customer_id"] == str(customer.id) == record.key.decode()
    assert (document["log_position"], document["aggregate_version"]) == (7, 1)
    assert b"Ada" not in record.value
    assert b"JK123456" not in record.value


def test_an_appointment_keeps_the_fact_and_drops_the_appointee_and_their_relationship() -> None:
    customer = Customer.register(
        nino="JK123457C",
        name="Ada Lovelace",
        date_of_birth=date(1985, 3, 14),
        contact_preferences=ContactPreferences(),
        today=date(2026, 1, 5),
    )
    customer.appoint(Appointee(name="Augusta Byron", relationship="mother"), date(2026, 1, 6))
    appointed = customer.collect_events()[-1]
    assert isinstance(appointed, Customer.AppointeeAppointed)
    payload = redacted_payload(appointed)
    assert payload.payload["appointee"] == {"name": REDACTED, "relationship": REDACTED}
    assert payload.redacted == ["appointee.name", "appointee.relationship"]


def test_a_decision_quoting_a_persons_words_keeps_its_outcome_and_loses_the_words() -> None:
    words = "Ada's daughter rang: she is in hospital"
    decision = Decision(
        rule_id="determination.decision_maker",
        rule_version=1,
        inputs={"question": "Is it allowed?", "answer": "allowed", "reason": words},
        outcome={"answer": "allowed"},
        reasons=(f"Is it allowed? Decision maker's answer: allowed. Reason: {words}",),
        made_by=Actor(kind=ActorKind.APPOINTEE, identifier="Augusta Byron"),
        override=Override(
            by=Actor.caseworker("dm-1"), reason=words, outcome={"answer": "dismissed"}
        ),
    )
    published = published_value(decision, "decision")
    text = json.dumps(published)
    assert words not in text
    assert "Augusta" not in text
    assert published["inputs"] == {
        "question": "Is it allowed?",
        "answer": "allowed",
        "reason": REDACTED,
    }
    assert published["outcome"] == {"answer": "allowed"}
    assert published["reasons"] == [REDACTED]
    assert published["override"]["reason"] == REDACTED
    assert published["override"]["by"] == {"kind": "caseworker", "identifier": "dm-1"}
    assert published["made_by"] == {"kind": "appointee", "identifier": REDACTED}
    assert published["automated"] is False
