"""The Customer aggregate, driven through its commands; refused commands record nothing."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.customer import Customer
from domain.errors import (
    AppointeeAlreadyActive,
    CustomerDeceased,
    DateOfBirthInFuture,
    InvalidDateOfDeath,
    InvalidName,
    InvalidNationalInsuranceNumber,
    MissingDescription,
    NoActiveAppointee,
    SupportMarkerNotFound,
)
from domain.identity import customer_id_for
from domain.values import (
    Appointee,
    BenefitType,
    ContactChannel,
    ContactPreferences,
    EventRef,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from tests.unit.builders import DATE_OF_BIRTH, event_names, refused, register_customer, replay

TODAY = date(2025, 1, 31)
APPOINTEE = Appointee(name="Sam Example", relationship="daughter")


def registered() -> Customer:
    customer = register_customer()
    customer.collect_events()
    return customer


def deceased() -> Customer:
    customer = registered()
    customer.notify_death(date(2025, 1, 20), reference="TUO-123", today=TODAY)
    customer.collect_events()
    return customer


# -- registration -----------------------------------------------------------------------------


def test_registering_records_one_event_with_the_canonical_nino_and_trimmed_name() -> None:
    customer = Customer.register(
        nino="ab 12 34 56 c",
        name="  Alex Example ",
        date_of_birth=DATE_OF_BIRTH,
        contact_preferences=ContactPreferences(channel=ContactChannel.EMAIL),
        today=TODAY,
    )
    events = customer.collect_events()
    assert [type(e) for e in events] == [Customer.Registered]
    registration = events[0]
    assert isinstance(registration, Customer.Registered)
    assert registration.nino == "AB123456C"
    assert registration.name == "Alex Example"
    assert customer.nino == "AB123456C"
    assert customer.name == "Alex Example"
    assert customer.date_of_birth == DATE_OF_BIRTH
    assert customer.contact_preferences.channel is ContactChannel.EMAIL
    assert customer.version == 1


def test_a_new_customer_has_no_appointee_markers_claims_or_death() -> None:
    customer = registered()
    assert customer.appointee is None
    assert customer.support_markers == {}
    assert customer.claims == {}
    assert customer.circumstances == []
    assert not customer.deceased


def test_the_customer_id_derives_from_the_nino_whatever_its_spelling() -> None:
    first = register_customer(nino="AB123456C")
    second = register_customer(nino="ab 123 456 c")
    assert first.id == second.id == customer_id_for("AB123456C")
    assert register_customer(nino="AB123456D").id != first.id


def test_the_customer_reference_points_at_its_latest_event() -> None:
    customer = registered()
    assert customer.ref() == EventRef(aggregate_id=customer.id, version=1)
    customer.report_change("moved house", TODAY)
    assert customer.ref() == EventRef(aggregate_id=customer.id, version=2)


@pytest.mark.parametrize("nino", ["QQ123456C", "AB123456E", "GB123456A", "AB12345C", ""])
def test_registering_with_an_invalid_nino_is_refused(nino: str) -> None:
    with pytest.raises(InvalidNationalInsuranceNumber):
        register_customer(nino=nino)


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_registering_with_a_blank_name_is_refused(name: str) -> None:
    with pytest.raises(InvalidName):
        Customer.register(
            nino="AB123456C",
            name=name,
            date_of_birth=DATE_OF_BIRTH,
            contact_preferences=ContactPreferences(),
            today=TODAY,
        )


def test_registering_with_a_date_of_birth_in_the_future_is_refused() -> None:
    with pytest.raises(DateOfBirthInFuture, match="2025-02-01 is after today"):
        register_customer(date_of_birth=date(2025, 2, 1), today=TODAY)


def test_a_baby_born_today_can_be_registered() -> None:
    assert register_customer(date_of_birth=TODAY, today=TODAY).date_of_birth == TODAY


# -- contact preferences, appointees, support markers, changes ----------------------------------


def test_changing_contact_preferences_records_them() -> None:
    customer = registered()
    wanted = ContactPreferences(channel=ContactChannel.SMS, large_print=True, language="cy")
    customer.change_contact_preferences(wanted, effective=TODAY)
    assert customer.contact_preferences == wanted
    assert event_names(customer) == ["ContactPreferencesChanged"]


def test_appointing_someone_records_the_appointee() -> None:
    customer = registered()
    customer.appoint(APPOINTEE, effective=TODAY)
    assert customer.appointee == APPOINTEE
    assert event_names(customer) == ["AppointeeAppointed"]


def test_a_second_appointee_is_refused_while_one_is_active() -> None:
    customer = registered()
    customer.appoint(APPOINTEE, effective=TODAY)
    with refused(customer, AppointeeAlreadyActive, match="Sam Example is already"):
        customer.appoint(Appointee(name="Jo Other", relationship="friend"), effective=TODAY)
    assert customer.appointee == APPOINTEE


def test_ending_the_appointment_allows_a_new_appointee() -> None:
    customer = registered()
    customer.appoint(APPOINTEE, effective=TODAY)
    customer.end_appointee("moved abroad", effective=TODAY)
    assert customer.appointee is None
    other = Appointee(name="Jo Other", relationship="friend")
    customer.appoint(other, effective=TODAY)
    assert customer.appointee == other
    assert event_names(customer) == ["AppointeeAppointed", "AppointeeEnded", "AppointeeAppointed"]


def test_ending_an_appointment_when_there_is_none_is_refused() -> None:
    customer = registered()
    with refused(customer, NoActiveAppointee):
        customer.end_appointee("no one to end", effective=TODAY)


def test_a_support_marker_is_added_and_replaced_for_the_same_need() -> None:
    customer = registered()
    short = SupportMarker(need=SupportNeed.LITERACY, duration=SupportDuration.SHORT_TERM)
    long = SupportMarker(
        need=SupportNeed.LITERACY, duration=SupportDuration.LONG_TERM, details="reads slowly"
    )
    customer.add_support_marker(short, effective_date=TODAY)
    customer.add_support_marker(long, effective_date=TODAY)
    assert customer.support_markers == {SupportNeed.LITERACY: long}


def test_markers_for_different_needs_apply_together() -> None:
    customer = registered()
    literacy = SupportMarker(need=SupportNeed.LITERACY, duration=SupportDuration.RECURRING)
    no_address = SupportMarker(need=SupportNeed.NO_FIXED_ADDRESS, duration=SupportDuration.ONE_OFF)
    customer.add_support_marker(literacy, effective_date=TODAY)
    customer.add_support_marker(no_address, effective_date=TODAY)
    assert set(customer.support_markers) == {SupportNeed.LITERACY, SupportNeed.NO_FIXED_ADDRESS}


def test_removing_a_support_marker_stops_it_applying() -> None:
    customer = registered()
    marker = SupportMarker(need=SupportNeed.LANGUAGE, duration=SupportDuration.MEDIUM_TERM)
    customer.add_support_marker(marker, effective_date=TODAY)
    customer.remove_support_marker(SupportNeed.LANGUAGE, effective=TODAY)
    assert customer.support_markers == {}
    assert event_names(customer) == ["SupportMarkerAdded", "SupportMarkerRemoved"]


def test_removing_a_support_marker_that_is_not_there_is_refused() -> None:
    customer = registered()
    customer.add_support_marker(
        SupportMarker(need=SupportNeed.HEALTH, duration=SupportDuration.LONG_TERM),
        effective_date=TODAY,
    )
    with refused(customer, SupportMarkerNotFound, match="'sensory'"):
        customer.remove_support_marker(SupportNeed.SENSORY, effective=TODAY)


def test_a_reported_change_is_kept_with_its_effective_date_and_trimmed() -> None:
    customer = registered()
    customer.report_change("  started work  ", effective_date=date(2025, 1, 6))
    assert customer.circumstances == [(date(2025, 1, 6), "started work")]


@pytest.mark.parametrize("description", ["", "   "])
def test_a_change_without_a_description_is_refused(description: str) -> None:
    customer = registered()
    with refused(customer, MissingDescription):
        customer.report_change(description, effective_date=TODAY)


def test_opening_a_claim_links_it_to_the_customer() -> None:
    customer = registered()
    claim_id = uuid4()
    customer.open_claim(claim_id, BenefitType.PIP, claim_date=TODAY)
    assert customer.claims == {claim_id: BenefitType.PIP}
    assert event_names(customer) == ["ClaimOpened"]


# -- death -------------------------------------------------------------------------------------


def test_notifying_death_records_the_date_and_reference() -> None:
    customer = registered()
    customer.notify_death(date(2025, 1, 20), reference="TUO-123", today=TODAY)
    assert customer.deceased
    assert customer.date_of_death == date(2025, 1, 20)
    assert customer.death_reference == "TUO-123"
    assert event_names(customer) == ["DeathNotified"]


def test_death_notified_twice_is_refused() -> None:
    customer = deceased()
    with refused(customer, CustomerDeceased, match="notify death again"):
        customer.notify_death(date(2025, 1, 21), reference="TUO-456", today=TODAY)
    assert customer.death_reference == "TUO-123"


def test_a_date_of_death_after_today_is_refused() -> None:
    customer = registered()
    with refused(customer, InvalidDateOfDeath, match="after today"):
        customer.notify_death(date(2025, 2, 1), reference="TUO-123", today=TODAY)


def test_a_date_of_death_before_birth_is_refused() -> None:
    customer = registered()
    with refused(customer, InvalidDateOfDeath, match="before the date of birth"):
        customer.notify_death(date(1980, 6, 14), reference="TUO-123", today=TODAY)


def test_a_death_on_the_day_of_birth_or_today_is_accepted() -> None:
    born_and_died = registered()
    born_and_died.notify_death(DATE_OF_BIRTH, reference="TUO-1", today=TODAY)
    assert born_and_died.date_of_death == DATE_OF_BIRTH
    died_today = registered()
    died_today.notify_death(TODAY, reference="TUO-2", today=TODAY)
    assert died_today.date_of_death == TODAY


def test_after_death_contact_preferences_cannot_change() -> None:
    customer = deceased()
    with refused(customer, CustomerDeceased):
        customer.change_contact_preferences(ContactPreferences(), effective=TODAY)


def test_after_death_no_appointee_can_be_appointed() -> None:
    customer = deceased()
    with refused(customer, CustomerDeceased):
        customer.appoint(APPOINTEE, effective=TODAY)


def test_after_death_no_change_of_circumstances_can_be_reported() -> None:
    customer = deceased()
    with refused(customer, CustomerDeceased):
        customer.report_change("moved house", effective_date=TODAY)


def test_after_death_no_claim_can_be_started() -> None:
    customer = deceased()
    with refused(customer, CustomerDeceased, match="start a claim"):
        customer.open_claim(uuid4(), BenefitType.PIP, claim_date=TODAY)


# -- history -----------------------------------------------------------------------------------


def test_replaying_a_customers_events_rebuilds_the_same_customer() -> None:
    customer = register_customer()
    customer.appoint(APPOINTEE, effective=TODAY)
    customer.add_support_marker(
        SupportMarker(need=SupportNeed.HEALTH, duration=SupportDuration.LONG_TERM),
        effective_date=TODAY,
    )
    customer.report_change("moved house", effective_date=TODAY)
    customer.open_claim(uuid4(), BenefitType.UC, claim_date=TODAY)
    customer.notify_death(TODAY, reference="TUO-9", today=TODAY)
    events = customer.collect_events()
    assert [e.originator_version for e in events] == list(range(1, 7))
    assert replay(events) == customer
