"""Erasure by crypto-shredding, on SQLite and PostgreSQL: before and after, through every read.

Personal data is stored sealed (no plaintext in the events table); erasing a customer destroys
their key, after which every read path gives "[erased]" (a date of birth: none) while their
decisions, dates and amounts remain; a rebuild after the erasure gives the very same views.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from uuid import UUID

import psycopg
import pytest
from psycopg import sql
from typer.testing import CliRunner

from adapters.bootstrap import Journeys, build, event_store_environment
from adapters.cli.main import app
from adapters.kafka.envelope import envelope_for
from domain.aggregate import JourneyAggregate
from domain.customer import Customer
from domain.errors import LegalHoldInForce, PersonalDataAlreadyErased
from domain.personal_data import ERASED
from domain.values import Appointee, BenefitType, ClaimantRole, ClaimChannel
from projections.model import CaseItemKind, CaseItemQuery, LedgerQuery, Page, TimelineQuery
from services.clock import SimulatedClock
from services.erasure import PersonalDataNotSealed
from services.journeys import JourneysApplication
from services.log import ApplicationLog
from services.settings import Settings
from tests.integration.conftest import OpenSystem
from tests.integration.helpers import nothing_appended
from tests.projections.helpers import dump_views, fresh_view_store, rebuild_everything

NAME, NINO, BORN = "Ada Lovelace", "AB123456C", date(1985, 3, 14)
APPOINTEE, ADDRESS = "Charles Babbage", "3 Marsh Lane"
PLAINTEXTS = (NAME, NINO, BORN.isoformat(), APPOINTEE, ADDRESS)


def _customer_with_personal_data(journeys: Journeys) -> UUID:
    app = journeys.application
    customer_id = app.register_customer(nino=NINO, name=NAME, date_of_birth=BORN).id
    today = journeys.clock.today()
    app.appoint(customer_id, Appointee(name=APPOINTEE, relationship="friend"), today)
    app.report_change(customer_id, f"moved to {ADDRESS}, Leeds", today)
    app.send_message(customer_id, subject=f"Dear {NAME}", body=f"We write to {ADDRESS}")
    app.start_claim(
        customer_id=customer_id,
        benefit=BenefitType.PIP,
        channel=ClaimChannel.PHONE,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=today,
    )
    return customer_id


def _raw_event_states(journeys: Journeys) -> bytes:
    """Every stored event's state, read straight from the events table."""
    settings = journeys.settings
    if settings.database_url is None:
        with sqlite3.connect(settings.sqlite_path) as connection:
            rows = connection.execute("SELECT state FROM stored_events").fetchall()
    else:
        table = sql.Identifier(settings.postgres_schema, "journeys_events")
        with psycopg.connect(settings.database_url) as connection:
            rows = connection.execute(sql.SQL("SELECT state FROM {}").format(table)).fetchall()
    assert rows
    return b"".join(bytes(row[0]) for row in rows)


def _every_read(journeys: Journeys, customer_id: UUID) -> str:
    """What every read path gives about the customer, as one text."""
    journeys.projections.catch_up()
    views, everything = journeys.views, Page(limit=500, offset=0)
    customer = journeys.application.customer(customer_id)
    timeline, _ = journeys.views.read_timeline_json(
        TimelineQuery(customer_id=customer_id), everything
    )
    contacts, _ = views.read_case_items(
        CaseItemQuery(kind=CaseItemKind.CONTACT, customer_id=customer_id), everything
    )
    ledger, _ = views.read_ledger(LedgerQuery(), everything)
    log = ApplicationLog(journeys.application)
    envelopes = [
        envelope_for(logged.position, logged.event, customer_id).model_dump_json()
        for logged in log.read(0, 1000)
    ]
    parts = [
        repr(vars(customer)),
        views.read_self_service_json(customer_id) or "",
        *timeline,
        *(item.model_dump_json() for item in contacts),
        *(entry.model_dump_json() for entry in ledger),
        repr(dump_views(views)),
        *envelopes,
    ]
    return "\n".join(parts)


def test_the_events_table_holds_no_plaintext_name_nino_birth_date_or_address(
    journeys: Journeys,
) -> None:
    _customer_with_personal_data(journeys)
    stored = _raw_event_states(journeys)
    for plaintext in PLAINTEXTS:
        assert plaintext.encode() not in stored, plaintext
    assert b'"sealed":' in stored


def test_after_erasure_every_read_path_shows_erased_and_a_rebuild_gives_the_same_views(
    journeys: Journeys, open_system: OpenSystem
) -> None:
    customer_id = _customer_with_personal_data(journeys)
    before = _every_read(journeys, customer_id)
    for plaintext in (NAME, APPOINTEE, ADDRESS, BORN.isoformat()):
        assert plaintext in before, plaintext
    # (The timeline and ledger keep each row's erased form aside, unread until an erasure.)
    assert ERASED not in (journeys.views.read_self_service_json(customer_id) or "")

    journeys.application.erase_personal_data(customer_id, "the customer asked")
    after = _every_read(journeys, customer_id)
    for plaintext in PLAINTEXTS:
        assert plaintext not in after, plaintext
    assert ERASED in after

    customer = journeys.application.customer(customer_id)
    assert (customer.name, customer.nino, customer.date_of_birth) == (ERASED, ERASED, None)
    assert len(customer.claims) == 1  # the facts stay
    self_service = journeys.views.read_self_service(customer_id)
    assert self_service is not None
    assert self_service.name == ERASED
    assert self_service.appointee == ERASED
    assert len(self_service.claims) == 1
    ledger, _ = journeys.views.read_ledger(LedgerQuery(), Page(limit=50, offset=0))
    assert [entry.inputs.get("date_of_birth") for entry in ledger] == [ERASED]
    assert ledger[0].outcome["eligible"] is True  # the decision's outcome stays
    replayed = journeys.ledger.replay()
    assert (replayed.inputs_erased, replayed.all_reproduce) == (1, True)

    # Another process, which never saw the plaintext, reads the same.
    other = open_system()
    assert other.application.customer(customer_id).name == ERASED

    # A rebuild after the erasure (a fresh store, and in place) equals the erased views.
    incremental = dump_views(journeys.views)
    with fresh_view_store(journeys.settings) as fresh:
        rebuild_everything(journeys, fresh)
        assert dump_views(fresh) == incremental
    for name in journeys.projections.projections:
        journeys.projections.rebuild(name)
    assert dump_views(journeys.views) == incremental


def test_a_legal_hold_blocks_erasure_with_a_clear_error_until_lifted(journeys: Journeys) -> None:
    app = journeys.application
    customer_id = app.register_customer(nino=NINO, name=NAME, date_of_birth=BORN).id
    app.place_legal_hold(customer_id, "tribunal case TC/2026/1")
    with (
        nothing_appended(journeys),
        pytest.raises(LegalHoldInForce, match=r"a legal hold is in force .*lift it first"),
    ):
        app.erase_personal_data(customer_id, "the customer asked")
    assert app.customer(customer_id).name == NAME
    assert app.customer_keys is not None
    stored = app.customer_keys.stored(customer_id)
    assert stored is not None
    assert stored.legal_hold
    assert stored.wrapped is not None

    app.lift_legal_hold(customer_id, "the tribunal decided")
    app.erase_personal_data(customer_id, "the customer asked")
    assert app.customer(customer_id).name == ERASED
    stored = app.customer_keys.stored(customer_id)
    assert stored is not None
    assert stored.wrapped is None
    assert stored.erased_at is not None


def test_erasing_twice_is_refused_and_appends_nothing(journeys: Journeys) -> None:
    app = journeys.application
    customer_id = app.register_customer(nino=NINO, name=NAME, date_of_birth=BORN).id
    app.erase_personal_data(customer_id, "the customer asked")
    with nothing_appended(journeys), pytest.raises(PersonalDataAlreadyErased):
        app.erase_personal_data(customer_id, "again")


def test_an_erasure_whose_key_was_not_destroyed_is_finished_when_asked_again(
    journeys: Journeys,
) -> None:
    app = journeys.application
    customer_id = app.register_customer(nino=NINO, name=NAME, date_of_birth=BORN).id
    # As if the process stopped between recording the erasure and destroying the key.
    app._change_customer(customer_id, lambda c: c.erase_personal_data("asked", date(2026, 1, 5)))
    assert app.customer_keys is not None
    assert app.customer_keys.key_for_opening(customer_id) is not None
    with nothing_appended(journeys):
        app.erase_personal_data(customer_id, "asked")
    stored = app.customer_keys.stored(customer_id)
    assert stored is not None
    assert stored.wrapped is None


def _events(journeys: Journeys) -> Iterator[JourneyAggregate.Event]:
    for logged in ApplicationLog(journeys.application).read(0, 1000):
        yield logged.event


def test_an_erased_customers_events_still_publish_with_nothing_personal(
    journeys: Journeys,
) -> None:
    customer_id = _customer_with_personal_data(journeys)
    journeys.application.erase_personal_data(customer_id, "the customer asked")
    kinds = set()
    for position, event in enumerate(_events(journeys), start=1):
        envelope = envelope_for(position, event, customer_id).model_dump_json()
        kinds.add(type(event).__qualname__)
        for plaintext in PLAINTEXTS:
            assert plaintext not in envelope
    assert "Customer.PersonalDataErased" in kinds
    assert isinstance(next(iter(_events(journeys))), Customer.Registered)


def test_a_customer_registered_before_sealing_is_not_reported_erased(
    journeys: Journeys,
) -> None:
    plain = JourneysApplication(
        env=event_store_environment(journeys.settings), clock=journeys.clock
    )
    try:
        customer_id = plain.register_customer(nino=NINO, name=NAME, date_of_birth=BORN).id
    finally:
        plain.close()
    with nothing_appended(journeys), pytest.raises(PersonalDataNotSealed, match="re-seal"):
        journeys.application.erase_personal_data(customer_id, "the customer asked")


def test_the_cli_erases_and_refuses_under_a_legal_hold(
    cli_settings: Settings, clock: SimulatedClock
) -> None:
    settings = cli_settings
    with build(settings, clock=clock) as system:
        held = system.application.register_customer(nino=NINO, name=NAME, date_of_birth=BORN).id
        system.application.place_legal_hold(held, "tribunal case TC/2026/1")
        free = system.application.register_customer(
            nino="CE123456D", name="Ben Evans", date_of_birth=BORN
        ).id
    erase = ["erase", "--reason", "the customer asked", "--by", "CW-9"]

    refused = CliRunner().invoke(app, [*erase[:1], str(held), *erase[1:]])
    done = CliRunner().invoke(app, [*erase[:1], str(free), *erase[1:]])

    assert refused.exit_code == 2, refused.output
    assert "LegalHoldInForce" in refused.output
    assert done.exit_code == 0, done.output
    with build(settings, clock=clock) as system:
        assert system.application.customer(held).name == NAME
        assert system.application.customer(free).name == ERASED
