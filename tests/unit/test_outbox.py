"""The outbox dispatcher and the spool gateway, with an in-memory event store and a fake gateway."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from adapters.contact.spool import SpoolGateway
from domain.contacts import OutboundMessage
from domain.customer import Customer
from domain.values import BenefitType, ClaimantRole, ClaimChannel, ContactChannel
from services.clock import SimulatedClock
from services.journeys import JourneysApplication
from services.outbox import OutboxDispatcher, QueuedContact, QueuedContactIndex
from tests.unit.contact_fakes import CustomersIndex, FakeGateway


@pytest.fixture
def app() -> Iterator[JourneysApplication]:
    application = JourneysApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        clock=SimulatedClock.on(date(2026, 1, 5)),
        group_commit=False,
    )
    yield application
    application.close()


class StaleIndex(QueuedContactIndex):
    """A view that has not yet seen contacts go: it lists them as queued."""

    def __init__(self, listed: list[QueuedContact]) -> None:
        self.listed = listed

    def queued(self, limit: int) -> list[QueuedContact]:
        return self.listed[:limit]


def customer(app: JourneysApplication, nino: str = "AB123456C") -> UUID:
    return app.register_customer(nino=nino, name="Alex", date_of_birth=date(1980, 1, 1)).id


def test_queued_messages_are_claimed_then_delivered_once(app: JourneysApplication) -> None:
    alex = customer(app)
    first = app.send_message(alex, subject="Hello", body="Please call us.").id
    second = app.send_message(alex, subject="Again", body="Please call us.").id
    gateway = FakeGateway()
    outbox = OutboxDispatcher(app, CustomersIndex(app, [alex]), gateway)

    run = outbox.run()

    assert {c.contact_id for c in run.sent} == {first, second}
    assert set(gateway.delivered) == {first, second}
    assert gateway.delivered[first][1].subject == "Hello"
    assert app.customer(alex).queued_contacts == {}
    assert outbox.run().sent == []  # nothing left to do


def test_a_death_between_queuing_and_dispatch_means_nothing_reaches_the_gateway(
    app: JourneysApplication,
) -> None:
    alex = customer(app)
    contact_id = app.send_message(alex, subject="Hello", body="Please call us.").id
    app.notify_death(alex, date(2026, 1, 4), "TUO-9")
    gateway = FakeGateway()

    run = OutboxDispatcher(app, CustomersIndex(app, [alex]), gateway).run()

    assert [c.contact_id for c in run.refused] == [contact_id]
    assert gateway.delivered == {}
    refusal = [e for e in app.events.get(alex) if isinstance(e, Customer.ContactRefused)]
    assert [r.message.contact_id for r in refusal] == [contact_id]


def test_a_contact_another_dispatcher_already_claimed_is_skipped(app: JourneysApplication) -> None:
    alex = customer(app)
    contact_id = app.send_message(alex, subject="Hello", body="Please call us.").id
    app.dispatch_contact(alex, contact_id)  # the other dispatcher

    gateway = FakeGateway()
    stale = StaleIndex([QueuedContact(customer_id=alex, contact_id=contact_id)])
    outbox = OutboxDispatcher(app, stale, gateway)
    run = outbox.run()
    assert [c.contact_id for c in run.already_done] == [contact_id]
    assert gateway.delivered == {}


def test_a_gateway_failure_is_reported_not_retried_as_a_second_message(
    app: JourneysApplication,
) -> None:
    alex = customer(app)
    app.send_message(alex, subject="Hello", body="Please call us.")
    gateway = FakeGateway()
    gateway.failing = True
    run = OutboxDispatcher(app, CustomersIndex(app, [alex]), gateway).run()
    assert len(run.failed) == 1
    assert "not delivered: the print house is not answering" in run.failed[0][1]


def test_a_caseworker_message_goes_by_the_customers_channel_unless_told(
    app: JourneysApplication,
) -> None:
    alex = customer(app)
    by_default = app.send_message(alex, subject="A", body="B").id
    by_sms = app.send_message(alex, subject="A", body="B", channel=ContactChannel.SMS).id
    queued = app.customer(alex).queued_contacts
    assert queued[by_default].channel is ContactChannel.LETTER
    assert queued[by_sms].channel is ContactChannel.SMS
    assert queued[by_sms].template_id == "caseworker_message"


def test_a_registered_letter_is_queued_on_the_customer_in_the_same_save(
    app: JourneysApplication,
) -> None:
    alex = customer(app)
    claim_id = app.start_claim(
        customer_id=alex,
        benefit=BenefitType.PIP,
        channel=ClaimChannel.PHONE,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=date(2026, 1, 5),
    ).id
    position = app.issue_questionnaire(claim_id, issued_on=date(2026, 1, 5)).position
    queued = [e for e in app.events.get(alex) if isinstance(e, Customer.ContactQueued)]
    assert len(queued) == 1
    assert queued[0].message.template_id == "pip2"
    assert queued[0].message.about is not None
    assert queued[0].message.about.aggregate_id == claim_id
    stored = app.recorder.select_notifications(start=position - 1, limit=2)
    assert [n.originator_id for n in stored] == [claim_id, alex]  # one save, claim first


def message() -> OutboundMessage:
    return OutboundMessage(
        contact_id=uuid4(),
        channel=ContactChannel.LETTER,
        template_id="pip2",
        subject="Your PIP2 form",
        body="Please return it.",
    )


def test_the_spool_writes_one_json_file_per_contact_and_a_repeat_changes_nothing(
    tmp_path: Path,
) -> None:
    spool = SpoolGateway(tmp_path / "outbox")
    letter = message()
    customer_id = uuid4()
    spool.deliver(customer_id, letter)
    written = spool.path_of(letter.contact_id)
    first = written.read_text()
    spool.deliver(customer_id, letter.model_copy(update={"body": "changed"}))
    assert written.read_text() == first
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == [f"{letter.contact_id}.json"]
    document = json.loads(first)
    assert document["customer_id"] == str(customer_id)
    assert document["contact_id"] == str(letter.contact_id)
    assert (document["channel"], document["template_id"]) == ("letter", "pip2")
    assert spool.delivered() == [document]
