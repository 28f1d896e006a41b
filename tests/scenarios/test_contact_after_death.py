"""A death notified between two scheduled letters: the first reaches the print house only.

The young person was born on 15 June 2011 in Northern Ireland and gets child DLA from Monday
5 January 2026. Northern Ireland writes at 15 years 7 months and 15 years 10 months: on
15 January and 15 April 2027; the invitation to claim PIP would follow on 15 June 2027.
"""

from __future__ import annotations

from datetime import date

from adapters.bootstrap import Journeys
from adapters.contact.spool import SpoolGateway
from domain.customer import Customer
from domain.transition import Action, DlaToPipTransition
from domain.values import Region
from projections.model import CaseItemKind, CaseItemQuery, Page
from services.clock import SimulatedClock
from tests.scenarios.steps import Child, child_on_dla, fired_actions, move_to, run_on


def letters_in_spool(journeys: Journeys, child: Child) -> list[str]:
    """The template ids of the letters to the young person the print house has, oldest first."""
    spool = journeys.outbox.gateway
    assert isinstance(spool, SpoolGateway)
    if not spool.directory.exists():
        return []
    return [
        str(document["template_id"])
        for document in sorted(spool.delivered(), key=lambda d: str(d["about"]))
        if document["customer_id"] == str(child.customer_id)
        and document["template_id"] != "award_decision"  # the DLA award letter of 2026
    ]


def contact_statuses(journeys: Journeys, child: Child) -> dict[str, list[str]]:
    journeys.projections.catch_up()
    items, _ = journeys.views.read_case_items(
        CaseItemQuery(kind=CaseItemKind.CONTACT, customer_id=child.customer_id), Page()
    )
    statuses: dict[str, list[str]] = {}
    for item in items:
        statuses.setdefault(item.details["template_id"], []).append(item.status)
    return statuses


def test_a_death_notified_between_the_two_letters_means_the_second_is_never_sent(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    child = child_on_dla(journeys, born=date(2011, 6, 15), region=Region.NORTHERN_IRELAND)

    # Friday 15 January 2027: the first letter is written and released the same night.
    assert fired_actions(run_on(journeys, clock, date(2027, 1, 15))) == [Action.PRE_16_LETTER]
    assert len(journeys.outbox.run().sent) == 2  # with the DLA award letter of 2026
    assert letters_in_spool(journeys, child) == ["dla_pip_pre_16"]

    # Wednesday 3 February 2027: the death on 1 February is notified.
    move_to(clock, date(2027, 2, 3))
    journeys.application.notify_death(child.customer_id, date(2027, 2, 1), "TUO-NI-1")

    # Thursday 15 April 2027 (the second letter's day) and 15 June 2027 (the invitation's):
    # nothing fires, nothing is queued, nothing reaches the print house.
    for day in (date(2027, 4, 15), date(2027, 6, 15)):
        assert run_on(journeys, clock, day).fired == []
        run = journeys.outbox.run()
        assert (run.sent, run.refused) == ([], [])
    assert letters_in_spool(journeys, child) == ["dla_pip_pre_16"]
    assert contact_statuses(journeys, child)["dla_pip_pre_16"] == ["sent"]
    letters = [
        e
        for e in journeys.application.events.get(child.transition_id)
        if isinstance(e, DlaToPipTransition.Pre16LetterSent)
    ]
    assert [e.effective_date for e in letters] == [date(2027, 1, 15)]


def test_a_second_letter_queued_before_the_death_is_refused_when_the_outbox_runs(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    child = child_on_dla(journeys, born=date(2011, 6, 15), region=Region.NORTHERN_IRELAND)
    run_on(journeys, clock, date(2027, 1, 15))
    journeys.outbox.run()

    # Thursday 15 April 2027: the second letter is queued by the night's scheduler run, but
    # the outbox has not run when, on Friday 16 April, the death (on 14 April) is notified.
    assert fired_actions(run_on(journeys, clock, date(2027, 4, 15))) == [Action.PRE_16_LETTER]
    move_to(clock, date(2027, 4, 16))
    journeys.application.notify_death(child.customer_id, date(2027, 4, 14), "TUO-NI-2")
    run = journeys.outbox.run()

    assert run.sent == []
    assert len(run.refused) == 1
    assert letters_in_spool(journeys, child) == ["dla_pip_pre_16"]  # the first only
    [refused] = [
        e
        for e in journeys.application.events.get(child.customer_id)
        if isinstance(e, Customer.ContactRefused)
    ]
    assert refused.message.template_id == "dla_pip_pre_16"
    assert refused.effective_date == date(2027, 4, 16)
    assert refused.reason == (
        "death notified (date of death 2027-04-14): no contact is sent after the message was queued"
    )
    assert contact_statuses(journeys, child)["dla_pip_pre_16"] == ["sent", "refused"]
