"""Outbound contact on the Customer: queued, sent, or refused and recorded (death, erasure)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from domain.contacts import ContactStatus, OutboundMessage, channel_for, contact_id_for
from domain.customer import Customer
from domain.errors import ContactNotQueued
from domain.values import ContactChannel, ContactPreferences, EventRef
from tests.unit.builders import awarded, register_customer, replay

TODAY = date(2025, 4, 1)


def message(subject: str = "Your claim") -> OutboundMessage:
    return OutboundMessage(
        contact_id=uuid4(),
        channel=ContactChannel.LETTER,
        template_id="caseworker_message",
        subject=subject,
        body="Please call us.",
    )


def registered() -> Customer:
    customer = register_customer()
    customer.collect_events()
    return customer


def test_a_living_customers_message_is_queued_then_sent_once() -> None:
    customer = registered()
    letter = message()
    assert customer.queue_contact(letter, TODAY) is True
    assert customer.dispatch_contact(letter.contact_id, TODAY) == letter
    events = customer.collect_events()
    assert [type(e) for e in events] == [Customer.ContactQueued, Customer.ContactSent]
    assert customer.contacts == {letter.contact_id: ContactStatus.SENT}
    with pytest.raises(ContactNotQueued, match="it was sent"):
        customer.dispatch_contact(letter.contact_id, TODAY)


def test_after_a_death_a_new_message_is_refused_and_the_refusal_recorded() -> None:
    customer = registered()
    customer.notify_death(date(2025, 3, 20), reference="TUO-1", today=TODAY)
    letter = message()
    assert customer.queue_contact(letter, TODAY) is False
    refused = customer.collect_events()[-1]
    assert isinstance(refused, Customer.ContactRefused)
    assert refused.message == letter
    assert refused.reason == "death notified (date of death 2025-03-20): no contact is sent"
    assert customer.queued_contacts == {}
    assert customer.contacts == {letter.contact_id: ContactStatus.REFUSED}


def test_a_message_queued_before_a_death_is_refused_at_dispatch() -> None:
    customer = register_customer()
    letter = message()
    customer.queue_contact(letter, TODAY)
    customer.notify_death(date(2025, 4, 1), reference="TUO-2", today=TODAY + timedelta(days=1))
    assert customer.dispatch_contact(letter.contact_id, TODAY + timedelta(days=2)) is None
    events = customer.collect_events()
    refused = events[-1]
    assert isinstance(refused, Customer.ContactRefused)
    assert refused.reason.endswith("after the message was queued")
    rebuilt = replay(events)
    assert isinstance(rebuilt, Customer)
    assert rebuilt.contacts == {letter.contact_id: ContactStatus.REFUSED}


def test_after_an_erasure_nothing_is_queued_or_released_and_the_refusals_are_recorded() -> None:
    customer = registered()
    waiting = message("Queued before the erasure")
    customer.queue_contact(waiting, TODAY)
    customer.erase_personal_data("the customer asked", TODAY)
    later = message("A letter a later fact implies")

    assert customer.queue_contact(later, TODAY) is False
    assert customer.dispatch_contact(waiting.contact_id, TODAY) is None

    refusals = [e for e in customer.collect_events() if isinstance(e, Customer.ContactRefused)]
    assert [r.reason for r in refusals] == [
        "personal data erased: no contact is sent",
        "personal data erased: no contact is sent after the message was queued",
    ]
    assert customer.queued_contacts == {}
    assert customer.contacts == {
        waiting.contact_id: ContactStatus.REFUSED,
        later.contact_id: ContactStatus.REFUSED,
    }


def test_a_contact_never_queued_cannot_be_dispatched() -> None:
    customer = registered()
    with pytest.raises(ContactNotQueued, match="no such contact"):
        customer.dispatch_contact(uuid4(), TODAY)
    assert customer.collect_events() == []


def test_the_same_fact_queues_its_letter_once() -> None:
    customer = registered()
    letter = message()
    assert customer.queue_contact(letter, TODAY) is True
    assert customer.queue_contact(letter, TODAY) is False
    assert len(customer.collect_events()) == 1


def test_a_contact_id_derives_from_the_fact_and_phone_preference_is_written_by_post() -> None:
    ref = EventRef(aggregate_id=uuid4(), version=3)
    assert contact_id_for(ref) == contact_id_for(ref.model_copy())
    assert contact_id_for(ref) != contact_id_for(ref.model_copy(update={"version": 4}))
    assert channel_for(ContactPreferences(channel=ContactChannel.PHONE)) is ContactChannel.LETTER
    assert channel_for(ContactPreferences(channel=ContactChannel.SMS)) is ContactChannel.SMS


def test_payments_stop_from_the_day_after_the_death_on_an_award_in_payment() -> None:
    claim = awarded()  # PIP from 2025-03-31
    claim.collect_events()
    assert claim.stop_payments_on_death(date(2025, 6, 10)) is True
    stopped = claim.collect_events()[-1]
    assert isinstance(stopped, type(claim).PaymentsStopped)
    assert (stopped.effective_date, stopped.date_of_death) == (date(2025, 6, 11), date(2025, 6, 10))
    assert claim.stop_payments_on_death(date(2025, 6, 10)) is False  # once
    assert claim.collect_events() == []
