"""Personal data sealed per customer: opens under its key, refuses tampering, reads erased after."""

from __future__ import annotations

import base64
import importlib
import json
import pkgutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

import domain
from adapters.kafka.envelope import PERSONAL_FIELDS
from domain.aggregate import JourneyAggregate
from domain.claim import Claim
from domain.decisions import Decision
from domain.errors import DecisionInputsErased, LegalHoldInForce, PersonalDataAlreadyErased
from domain.personal_data import ERASED, erased_copy, fields_review, personal_paths, sealed_paths
from domain.rules import rerun
from domain.values import (
    Appointee,
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from services.clock import SimulatedClock
from services.journeys import JourneysApplication
from services.personal_data import (
    SealedValueRejected,
    SealingMapper,
    StoredKey,
    WrappedCustomerKeys,
    seal,
    unseal,
)

MASTER = bytes(range(32))
NAME, NINO, BORN = "Ada Lovelace", "AB123456C", date(1985, 3, 14)


class InMemoryCustomerKeys(WrappedCustomerKeys):
    """A fake key store for unit tests only: the rows in a dict (the real ones: adapters)."""

    def __init__(
        self, master_key: bytes = MASTER, cache_seconds: float = 0, cache_entries: int = 100
    ) -> None:
        super().__init__(master_key, cache_seconds=cache_seconds, cache_entries=cache_entries)
        self.rows: dict[UUID, StoredKey] = {}
        self.reads = 0

    def stored(self, customer_id: UUID) -> StoredKey | None:
        self.reads += 1
        return self.rows.get(customer_id)

    def _insert(self, customer_id: UUID, wrapped: bytes, at: datetime) -> bool:
        if customer_id in self.rows:
            return False
        self.rows[customer_id] = StoredKey(wrapped, at, None, False)
        return True

    def _erase_row(self, customer_id: UUID, at: datetime) -> bool:
        row = self.rows.get(customer_id) or StoredKey(None, at, None, False)
        if row.legal_hold:
            return False
        self.rows[customer_id] = StoredKey(None, row.created_at, row.erased_at or at, False)
        return True

    def _hold_row(self, customer_id: UUID, held: bool) -> None:
        row = self.rows[customer_id]
        self.rows[customer_id] = StoredKey(row.wrapped, row.created_at, row.erased_at, held)


def test_the_key_cache_keeps_only_the_most_recently_used_customers() -> None:
    keys = InMemoryCustomerKeys(cache_seconds=3600, cache_entries=2)
    first, second, third = (UUID(int=n) for n in (1, 2, 3))
    first_key = keys.key_for_sealing(first)
    keys.key_for_sealing(second)
    keys.erase(second, datetime(2026, 1, 5))
    keys.key_for_sealing(third)  # the cache holds two: the first customer's key goes
    reads_before = keys.reads

    assert keys.key_for_opening(first) == first_key  # read again from the store
    assert keys.key_for_opening(second) is None  # the store still says erased
    assert keys.reads == reads_before + 2


@pytest.fixture
def keys() -> InMemoryCustomerKeys:
    return InMemoryCustomerKeys()


@pytest.fixture
def app(keys: InMemoryCustomerKeys) -> Iterator[JourneysApplication]:
    application = JourneysApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        clock=SimulatedClock.on(date(2026, 1, 5)),
        customer_keys=keys,
    )
    yield application
    application.close()


def _customer_with_everything(app: JourneysApplication) -> UUID:
    customer_id = app.register_customer(nino=NINO, name=NAME, date_of_birth=BORN).id
    today = app.clock.today()
    app.appoint(customer_id, Appointee(name="Charles Babbage", relationship="friend"), today)
    app.add_support_marker(
        customer_id,
        SupportMarker(
            need=SupportNeed.NO_FIXED_ADDRESS,
            duration=SupportDuration.MEDIUM_TERM,
            details="lives at 12 Acacia Avenue",
        ),
        today,
    )
    app.report_change(customer_id, "moved to 3 Marsh Lane, Leeds", today)
    app.send_message(customer_id, subject="Dear Ada Lovelace", body="We write to 3 Marsh Lane")
    app.start_claim(
        customer_id=customer_id,
        benefit=BenefitType.PIP,
        channel=ClaimChannel.PHONE,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=today,
    )
    return customer_id


def _stored(app: JourneysApplication) -> list[StoredEvent]:
    return list(app.recorder.select_notifications(start=1, limit=1000))


def _decoded(app: JourneysApplication) -> list[Any]:
    return [app.mapper.to_domain_event(stored) for stored in _stored(app)]


def _age_test(app: JourneysApplication) -> Decision:
    """The PIP age test the claim's start recorded, as the store gives it back now."""
    started = [e for e in _decoded(app) if isinstance(e, Claim.Started)]
    assert started
    assert started[0].age_test is not None
    return started[0].age_test


PLAINTEXTS = (NAME, NINO, BORN.isoformat(), "Charles Babbage", "Acacia", "Marsh Lane")


# -- sealing and opening --------------------------------------------------------------------


def test_a_sealed_value_opens_under_its_key_and_associated_data() -> None:
    sealed = seal(MASTER, b'"Ada"', b"event/name")
    assert unseal(MASTER, sealed, b"event/name") == b'"Ada"'
    assert b"Ada" not in base64.b64decode(sealed)


def test_a_sealed_value_under_another_key_or_place_is_refused_loudly_not_read_as_erased() -> None:
    sealed = seal(MASTER, b'"Ada"', b"event/name")
    with pytest.raises(SealedValueRejected):
        unseal(bytes(32), sealed, b"event/name")
    with pytest.raises(SealedValueRejected):
        unseal(MASTER, sealed, b"event/nino")


def test_a_tampered_sealed_value_is_refused_loudly() -> None:
    raw = bytearray(base64.b64decode(seal(MASTER, b'"Ada"', b"aad")))
    raw[-1] ^= 1
    with pytest.raises(SealedValueRejected):
        unseal(MASTER, base64.b64encode(bytes(raw)).decode(), b"aad")


# -- through the application's mapper ---------------------------------------------------------


def test_the_stored_events_hold_no_plaintext_personal_data_and_load_back_whole(
    app: JourneysApplication,
) -> None:
    customer_id = _customer_with_everything(app)
    assert isinstance(app.mapper, SealingMapper)
    stored = b"".join(event.state for event in _stored(app))
    for plaintext in PLAINTEXTS:
        assert plaintext.encode() not in stored, plaintext
    assert app.recent is None  # every load below reads the stored events
    customer = app.customer(customer_id)
    assert (customer.name, customer.nino, customer.date_of_birth) == (NAME, NINO, BORN)
    assert customer.appointee is not None
    assert customer.appointee.name == "Charles Babbage"
    assert _age_test(app).inputs["date_of_birth"] == "1985-03-14"


def test_events_without_personal_data_are_stored_exactly_as_the_plain_mapper_stores_them(
    app: JourneysApplication,
) -> None:
    _customer_with_everything(app)
    for stored in _stored(app):
        event = app.mapper.to_domain_event(stored)
        if not personal_paths(event):
            assert b'"sealed":' not in stored.state


def test_after_erasure_every_personal_field_reads_erased_and_the_birth_date_reads_none(
    app: JourneysApplication, keys: InMemoryCustomerKeys
) -> None:
    customer_id = _customer_with_everything(app)
    before = _decoded(app)
    app.erase_personal_data(customer_id, "the customer asked")
    assert keys.rows[customer_id].wrapped is None
    customer = app.customer(customer_id)
    assert (customer.name, customer.nino, customer.date_of_birth) == (ERASED, ERASED, None)
    assert customer.appointee is not None
    assert customer.appointee.name == ERASED
    assert customer.circumstances == [(app.clock.today(), ERASED)]
    assert _age_test(app).inputs["date_of_birth"] == ERASED
    recorded = next(e for e in before if isinstance(e, Claim.Started)).age_test
    assert recorded is not None
    assert _age_test(app).outcome == recorded.outcome  # the decision itself stays
    # What the store gives back is exactly the domain's erased reading of each event.
    after = _decoded(app)
    for plain, erased in zip(before, after, strict=False):
        assert vars(erased_copy(plain)) == vars(erased), type(plain).__qualname__


def _keeping_recent_events(keys: InMemoryCustomerKeys) -> JourneysApplication:
    """An application that keeps decoded events of recent aggregates, as the service does."""
    return JourneysApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        clock=SimulatedClock.on(date(2026, 1, 5)),
        customer_keys=keys,
        recent_aggregates=100,
    )


def test_the_aggregate_in_memory_after_erasure_equals_one_loaded_afresh(
    keys: InMemoryCustomerKeys,
) -> None:
    app = _keeping_recent_events(keys)
    customer_id = _customer_with_everything(app)
    app.customer(customer_id)  # now in the cache of recent events
    app.erase_personal_data(customer_id, "the customer asked")
    cached = app.customer(customer_id)
    assert app.recent is not None
    app.recent.forget(customer_id)
    fresh = app.customer(customer_id)
    assert {k: v for k, v in vars(cached).items() if k != "_pending_events"} == {
        k: v for k, v in vars(fresh).items() if k != "_pending_events"
    }


def test_a_sealed_value_moved_into_another_customers_event_does_not_open(
    app: JourneysApplication,
) -> None:
    ada = app.register_customer(nino=NINO, name=NAME, date_of_birth=BORN)
    app.register_customer(nino="CE123456D", name="Ben Evans", date_of_birth=BORN)
    first, second = _stored(app)
    state = json.loads(second.state)
    state["name"] = json.loads(first.state)["name"]  # Ada's sealed name, in Ben's event
    moved = StoredEvent(
        second.originator_id, second.originator_version, second.topic, json.dumps(state).encode()
    )
    with pytest.raises(MapperDeserialisationError) as refused:
        app.mapper.to_domain_event(moved)
    assert isinstance(refused.value.__cause__, SealedValueRejected)
    assert app.customer(ada.id).name == NAME


def test_a_wrong_master_key_is_refused_loudly_not_read_as_erased(
    app: JourneysApplication, keys: InMemoryCustomerKeys
) -> None:
    _customer_with_everything(app)
    other = InMemoryCustomerKeys(master_key=bytes(32))
    other.rows = keys.rows
    mapper = app.mapper
    assert isinstance(mapper, SealingMapper)
    mapper.keys = other
    with pytest.raises(MapperDeserialisationError) as refused:
        _decoded(app)
    assert isinstance(refused.value.__cause__, SealedValueRejected)


# -- erasure and legal hold -----------------------------------------------------------------


def test_a_legal_hold_refuses_erasure_with_a_clear_error_and_lifting_it_allows_erasure(
    app: JourneysApplication, keys: InMemoryCustomerKeys
) -> None:
    customer_id = app.register_customer(nino=NINO, name=NAME, date_of_birth=BORN).id
    app.place_legal_hold(customer_id, "tribunal case TC/2026/1")
    log_end = app.recorder.max_notification_id()
    with pytest.raises(LegalHoldInForce, match=r"legal hold is in force.*lift it first"):
        app.erase_personal_data(customer_id, "the customer asked")
    assert app.recorder.max_notification_id() == log_end
    assert keys.rows[customer_id].wrapped is not None
    assert keys.rows[customer_id].legal_hold
    app.lift_legal_hold(customer_id, "tribunal decided")
    app.erase_personal_data(customer_id, "the customer asked")
    assert app.customer(customer_id).name == ERASED


def test_the_key_store_itself_refuses_to_erase_a_held_key(keys: InMemoryCustomerKeys) -> None:
    customer_id = UUID(int=7)
    keys.set_legal_hold(customer_id, True)
    with pytest.raises(LegalHoldInForce):
        keys.erase(customer_id, datetime.now().astimezone())
    assert keys.key_for_opening(customer_id) is not None


def test_erasing_twice_is_refused_and_appends_nothing(app: JourneysApplication) -> None:
    customer_id = app.register_customer(nino=NINO, name=NAME, date_of_birth=BORN).id
    app.erase_personal_data(customer_id, "the customer asked")
    log_end = app.recorder.max_notification_id()
    with pytest.raises(PersonalDataAlreadyErased):
        app.erase_personal_data(customer_id, "again")
    assert app.recorder.max_notification_id() == log_end


def test_personal_data_recorded_after_erasure_is_stored_erased(app: JourneysApplication) -> None:
    customer_id = app.register_customer(nino=NINO, name=NAME, date_of_birth=BORN).id
    app.erase_personal_data(customer_id, "the customer asked")
    app.report_change(customer_id, "moved to 3 Marsh Lane, Leeds", app.clock.today())
    assert b"Marsh Lane" not in b"".join(event.state for event in _stored(app))
    assert _decoded(app)[-1].description == ERASED


def test_a_decision_whose_birth_date_was_erased_says_so_instead_of_not_reproducing(
    app: JourneysApplication,
) -> None:
    customer_id = _customer_with_everything(app)
    assert rerun(_age_test(app)).reproduces
    app.erase_personal_data(customer_id, "the customer asked")
    with pytest.raises(DecisionInputsErased, match="inputs erased: date_of_birth"):
        rerun(_age_test(app))


# -- the inventory ----------------------------------------------------------------------------

# Reviewed: fields named as personal everywhere (PERSONAL_FIELDS: redacted on Kafka) that are
# not sealed in the store, and why.
NOT_SEALED = {
    # The SR1's prognosis is health data kept for the Special Rules decision (issue 9 part 3):
    # withheld from other systems, kept for the decision's audit.
    "SpecialRulesCase.EvidenceRecorded": {
        "evidence.death_expected_within_months",
        "evidence.progressive_disease",
    },
}


def _event_classes() -> set[type[Any]]:
    for module in pkgutil.walk_packages(domain.__path__, prefix="domain."):
        importlib.import_module(module.name)
    found: set[type[Any]] = set()
    pending = list(JourneyAggregate.Event.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("domain.") and "." in cls.__qualname__:
            found.add(cls)
        pending.extend(cls.__subclasses__())
    return found


def _paths(model: Any, prefix: str = "") -> Iterator[str]:
    """Every field path of an event class or value object, dotted into value objects."""
    fields = getattr(model, "model_fields", None) or getattr(model, "__annotations__", {})
    for name in fields:
        yield f"{prefix}{name}"
        annotation = getattr(fields[name], "annotation", None)
        if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
            yield from _paths(annotation, f"{prefix}{name}.")


def test_every_field_named_as_personal_everywhere_is_sealed_where_an_event_holds_it() -> None:
    for cls in _event_classes():
        hints = {
            name: hint
            for base in reversed(cls.__mro__)
            for name, hint in getattr(base, "__annotations__", {}).items()
        }
        review = fields_review(cls)
        for name in hints:
            if name in PERSONAL_FIELDS:
                assert name in review.sealed, (cls.__qualname__, name)
        for path in review.sealed | review.redacted:
            assert path.split(".", 1)[0].removesuffix("[]") in hints, (cls.__qualname__, path)
        for path in NOT_SEALED.get(cls.__qualname__, set()):
            assert path not in review.sealed, (cls.__qualname__, path)


def test_every_journey_whose_events_hold_personal_data_names_its_customer() -> None:
    for cls in _event_classes():
        if not sealed_paths(cls) or cls.__qualname__.startswith("Customer."):
            continue
        aggregate = next(
            base for base in cls.__mro__ if issubclass(base, JourneyAggregate.Event)
        ).__qualname__.split(".")[0]
        created = [
            other
            for other in _event_classes()
            if other.__qualname__.split(".")[0] == aggregate
            and issubclass(other, JourneyAggregate.Created)
            and other.__qualname__ != f"{aggregate}.Created"  # the library's base
        ]
        assert created, cls.__qualname__
        for first in created:
            annotations = {k for c in first.__mro__ for k in getattr(c, "__annotations__", {})}
            assert "customer_id" in annotations, (cls.__qualname__, first.__qualname__)


def test_a_cached_journey_is_not_served_decoded_after_another_process_erased_its_customer(
    keys: InMemoryCustomerKeys,
) -> None:
    app = _keeping_recent_events(keys)
    customer_id = app.register_customer(nino=NINO, name=NAME, date_of_birth=BORN).id
    concern_id = app.raise_concern(
        customer_id=customer_id,
        policy=None,
        description="said they have thoughts of self-harm",
        owner="CW-101",
        due_on=date(2026, 1, 9),
        raised_on=date(2026, 1, 5),
    ).id
    assert app.concern(concern_id).description == "said they have thoughts of self-harm"

    # Another process erases: the key goes from the shared store; this one's cache is not told.
    keys.erase(customer_id, datetime(2026, 1, 5, 12, tzinfo=UTC))

    assert app.concern(concern_id).description == ERASED
    app.close()
