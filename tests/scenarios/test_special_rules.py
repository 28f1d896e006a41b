"""Dated Special Rules journeys through the real system (SQLite and PostgreSQL), by hand.

The clock starts on Monday 28 March 2022 and only moves forward. Working days skip
weekends and England and Wales bank holidays (table v1): Easter 2023 is Good Friday 7 and
Easter Monday 10 April; Christmas 2026 is Friday 25 and (Boxing Day's substitute) Monday
28 December. The definition in force on the CLAIM date applies: 12 months for UC and ESA
from 4 April 2022 and for PIP, DLA and AA from 3 April 2023; 6 months before. Every SR1
here states a 9-month prognosis unless it says otherwise.
"""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

import pytest

from adapters.bootstrap import Journeys
from domain.claim import ClaimStatus
from domain.errors import QuestionnaireNotNeeded, Sr1SignerNotAccepted
from domain.rules.pip_assessment import Rate
from domain.rules.special_rules import ClinicianRole
from domain.special_rules import CaseStatus, SpecialRulesCase, Sr1Evidence
from domain.values import BenefitType, ClaimantRole, ClaimChannel
from projections.model import CaseItem, CaseItemKind, CaseItemQuery, Page
from services.clock import SimulatedClock
from tests.integration.helpers import DECISION_MAKER, nothing_appended, register
from tests.scenarios.special_rules_words import event_fields, revealing_words
from tests.scenarios.steps import child_on_dla, claim_pip, move_to, run_on


@pytest.fixture
def clock() -> SimulatedClock:
    """A clock that starts on Monday 28 March 2022, before both changes of definition."""
    return SimulatedClock.on(date(2022, 3, 28))


def sr1(signed_on: date, months: int = 9, signer: ClinicianRole = ClinicianRole.GP) -> Sr1Evidence:
    """An SR1 stating a progressive disease and death expected within `months`."""
    return Sr1Evidence(
        signer_role=signer,
        signer_name="Dr Okafor",
        signed_on=signed_on,
        progressive_disease=True,
        death_expected_within_months=months,
    )


def claim(
    system: Journeys,
    customer_id: UUID,
    benefit: BenefitType,
    on: date,
    role: ClaimantRole = ClaimantRole.CUSTOMER,
) -> UUID:
    """A claim dated `on`, made that day."""
    clock = system.clock
    assert isinstance(clock, SimulatedClock)
    move_to(clock, on)
    return system.application.start_claim(
        customer_id=customer_id,
        benefit=benefit,
        channel=ClaimChannel.PHONE,
        claimant_role=role,
        claim_date=on,
    ).id


def item_of(system: Journeys, customer_id: UUID) -> CaseItem:
    """The customer's Special Rules case item, brought up to date."""
    system.projections.catch_up()
    items, total = system.views.read_case_items(
        CaseItemQuery(kind=CaseItemKind.SPECIAL_RULES, customer_id=customer_id), Page()
    )
    assert total == 1
    return items[0]


def status_of(system: Journeys, claim_id: UUID) -> ClaimStatus:
    return system.application.claim(claim_id).status


def every_decision_reproduces(system: Journeys) -> None:
    report = system.ledger.replay()
    assert report.checked > 0
    assert report.failures == []


# -- the change of definition ----------------------------------------------------------------


def test_a_uc_claim_meets_the_12_month_definition_from_4_april_2022_not_the_day_before(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    before = claim(journeys, register(journeys), BenefitType.UC, date(2022, 4, 3))  # Sunday
    after = claim(journeys, register(journeys), BenefitType.UC, date(2022, 4, 4))  # Monday
    move_to(clock, date(2022, 4, 5))  # both SR1s arrive on Tuesday 5 April 2022
    for claim_id in (before, after):
        app.record_sr1(claim_id, received_on=date(2022, 4, 5), evidence=sr1(date(2022, 4, 4)))

    # 3 April: the 6-month window was in force; 9 months is beyond it.
    assert status_of(journeys, before) is ClaimStatus.STARTED
    not_met = app.special_rules_case(app.claim(before).customer_id)
    assert not_met.status is CaseStatus.NOT_MET
    assert not_met.not_met[before].outcome == {
        "met": False,
        "window_months": 6,
        "signer_accepted": True,
    }
    assert not_met.not_met[before].rule_version == 1
    assert not item_of(journeys, not_met.customer_id).open

    # 4 April: 12 months; fast-tracked with the target Tue 5 -> Wed 6, Thu 7, Fri 8 April.
    assert status_of(journeys, after) is ClaimStatus.AWAITING_DECISION
    case = app.special_rules_case(app.claim(after).customer_id)
    assert case.status is CaseStatus.FAST_TRACKED
    item = item_of(journeys, case.customer_id)
    assert (item.open, item.status, item.due_on, item.at_risk_from) == (
        True,
        "fast_tracked",
        date(2022, 4, 8),
        date(2022, 4, 7),
    )
    assert item.details["claims"][str(after)]["window_months"] == 12
    assert item.details["debt_recovery"] == {"suspend_recovery": True, "consider_waiver": True}

    move_to(clock, date(2022, 4, 7))
    app.decide_special_rules_award(
        after, decided_on=date(2022, 4, 7), decision_maker=DECISION_MAKER
    )
    award = app.claim(after).award
    assert award is not None
    assert (award.entitled, award.lcwra, award.starts_on, award.ends_on) == (
        True,
        True,
        date(2022, 4, 4),
        None,
    )
    cleared = item_of(journeys, case.customer_id)
    assert (cleared.open, cleared.status, cleared.closed_on) == (False, "cleared", date(2022, 4, 7))
    every_decision_reproduces(journeys)


def test_a_pip_claim_meets_the_12_month_definition_from_3_april_2023_over_easter(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    before = claim(journeys, register(journeys), BenefitType.PIP, date(2023, 4, 2))  # Sunday
    after = claim(journeys, register(journeys), BenefitType.PIP, date(2023, 4, 3))  # Monday
    move_to(clock, date(2023, 4, 5))  # Wednesday
    for claim_id in (before, after):
        app.record_sr1(claim_id, received_on=date(2023, 4, 5), evidence=sr1(date(2023, 4, 3)))

    assert status_of(journeys, before) is ClaimStatus.STARTED
    app.issue_questionnaire(before, date(2023, 4, 5))  # not met: the usual route goes on

    assert status_of(journeys, after) is ClaimStatus.AWAITING_DECISION
    with nothing_appended(journeys), pytest.raises(QuestionnaireNotNeeded):
        app.issue_questionnaire(after, date(2023, 4, 5))
    # Wed 5 April: Thu 6 (1), Good Friday 7 and Easter Monday 10 skipped, Tue 11 (2), Wed 12 (3).
    customer_id = app.claim(after).customer_id
    item = item_of(journeys, customer_id)
    assert (item.due_on, item.at_risk_from) == (date(2023, 4, 12), date(2023, 4, 11))
    assert not item.at_risk(date(2023, 4, 6))
    assert item.at_risk(date(2023, 4, 11))
    assert item.overdue(date(2023, 4, 13))

    move_to(clock, date(2023, 4, 11))
    app.decide_special_rules_award(
        after, decided_on=date(2023, 4, 11), decision_maker=DECISION_MAKER, mobility=Rate.STANDARD
    )
    award = app.claim(after).award
    assert award is not None
    assert (award.daily_living, award.mobility, award.starts_on, award.ends_on) == (
        Rate.ENHANCED,
        Rate.STANDARD,
        date(2023, 4, 3),  # from the claim date: no qualifying period
        date(2026, 4, 2),  # 3 years
    )
    assert not item_of(journeys, customer_id).open

    # The caseworker reminder: 20 weeks before 2 April 2026 is Thursday 13 November 2025.
    run = run_on(journeys, clock, date(2025, 11, 12))
    assert run.fired == []
    run = run_on(journeys, clock, date(2025, 11, 13))
    assert [d.action for d in run.fired] == ["special_rules.award_end_reminder"]
    reminder = item_of(journeys, customer_id)
    assert (reminder.open, reminder.status, reminder.due_on) == (
        True,
        "award_ending",
        date(2026, 4, 2),
    )
    every_decision_reproduces(journeys)


# -- across the customer's benefits ----------------------------------------------------------


def test_one_sr1_fast_tracks_every_open_claim_and_later_claims_while_the_case_stands(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    pip = claim(journeys, customer_id, BenefitType.PIP, date(2026, 12, 21))
    esa = claim(journeys, customer_id, BenefitType.ESA, date(2026, 12, 22))
    app.issue_questionnaire(pip, date(2026, 12, 22))  # out before the SR1 came
    move_to(clock, date(2026, 12, 24))  # Thursday: the SR1 arrives with the PIP claim
    app.record_sr1(pip, received_on=date(2026, 12, 24), evidence=sr1(date(2026, 12, 23)))

    assert status_of(journeys, pip) is ClaimStatus.AWAITING_DECISION  # PIP2 no longer needed
    assert status_of(journeys, esa) is ClaimStatus.AWAITING_DECISION
    # Thu 24 Dec: Fri 25 and Mon 28 are bank holidays: Tue 29 (1), Wed 30 (2), Thu 31 (3).
    item = item_of(journeys, customer_id)
    assert (item.due_on, item.at_risk_from) == (date(2026, 12, 31), date(2026, 12, 30))
    assert {entry["benefit"] for entry in item.details["outstanding"]} == {"PIP", "ESA"}

    uc = claim(journeys, customer_id, BenefitType.UC, date(2026, 12, 29))  # while it stands
    assert status_of(journeys, uc) is ClaimStatus.AWAITING_DECISION
    # The UC claim came on Tue 29: Wed 30, Thu 31, Fri 1 January is a bank holiday, Mon 4.
    case = app.special_rules_case(customer_id)
    assert case.claims[uc].target_on == date(2027, 1, 4)

    app.decide_special_rules_award(
        esa, decided_on=date(2026, 12, 29), decision_maker=DECISION_MAKER
    )
    app.decide_special_rules_award(
        pip, decided_on=date(2026, 12, 29), decision_maker=DECISION_MAKER
    )
    esa_award = app.claim(esa).award
    assert esa_award is not None
    assert esa_award.support_group
    item = item_of(journeys, customer_id)
    assert (item.open, item.due_on) == (True, date(2027, 1, 4))  # UC still waits
    app.decide_special_rules_award(uc, decided_on=date(2026, 12, 29), decision_maker=DECISION_MAKER)
    assert item_of(journeys, customer_id).status == "cleared"
    assert len(app.special_rules_case(customer_id).claims) == 3
    every_decision_reproduces(journeys)


def test_an_sr1_signed_by_someone_the_rules_do_not_name_is_refused(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    claim_id = claim(journeys, register(journeys), BenefitType.UC, date(2026, 1, 5))
    with nothing_appended(journeys), pytest.raises(Sr1SignerNotAccepted):
        app.record_sr1(
            claim_id,
            received_on=date(2026, 1, 5),
            evidence=sr1(date(2026, 1, 5), signer=ClinicianRole.OTHER),
        )


# -- never revealed --------------------------------------------------------------------------


def test_a_third_party_special_rules_claim_reveals_nothing_to_the_customer(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    pip = claim(journeys, customer_id, BenefitType.PIP, date(2026, 3, 2), ClaimantRole.THIRD_PARTY)
    uc = claim(journeys, customer_id, BenefitType.UC, date(2026, 3, 2), ClaimantRole.THIRD_PARTY)
    app.record_sr1(pip, received_on=date(2026, 3, 2), evidence=sr1(date(2026, 3, 1), months=4))
    move_to(clock, date(2026, 3, 4))
    app.decide_special_rules_award(
        pip, decided_on=date(2026, 3, 4), decision_maker=DECISION_MAKER, mobility=Rate.ENHANCED
    )
    app.decide_special_rules_award(uc, decided_on=date(2026, 3, 4), decision_maker=DECISION_MAKER)

    journeys.projections.catch_up()
    document = journeys.views.read_self_service_json(customer_id)
    assert document is not None
    assert revealing_words(json.loads(document)) == []
    # Every outbound contact is a Customer event (the outbox): none of them says it either.
    customer_events = [event_fields(e) for e in app.events.get(customer_id)]
    assert revealing_words(customer_events) == []
    mine = {c["benefit"]: c for c in json.loads(document)["claims"]}
    assert mine["PIP"]["decision_reasons"] == ["We decided that you are entitled to PIP."]
    assert mine["PIP"]["award"]["daily_living"] == "enhanced rate"
    assert mine["UC"]["decision_reasons"] == ["We decided that you are entitled to UC."]

    # Caseworkers are told: the case item says the customer must not be.
    item = item_of(journeys, customer_id)
    assert item.details["basis_withheld"] is True
    assert "do not tell the customer" in item.title


# -- death -----------------------------------------------------------------------------------


def test_death_closes_the_case_and_cancels_the_award_end_reminder(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    pip = claim(journeys, customer_id, BenefitType.PIP, date(2026, 1, 5))
    app.record_sr1(pip, received_on=date(2026, 1, 5), evidence=sr1(date(2026, 1, 5)))
    app.decide_special_rules_award(pip, decided_on=date(2026, 1, 5), decision_maker=DECISION_MAKER)
    assert len(app.special_rules_case(customer_id).pending_deadlines) == 1

    move_to(clock, date(2026, 2, 10))
    app.notify_death(customer_id, date(2026, 2, 8), "TUO-123456")
    case = app.special_rules_case(customer_id)
    assert (case.status, case.closed_on, case.pending_deadlines) == (
        CaseStatus.CLOSED,
        date(2026, 2, 8),
        {},
    )
    events = app.events.get(case.id)
    assert isinstance(list(events)[-1], SpecialRulesCase.Closed)
    item = item_of(journeys, customer_id)
    assert (item.open, item.status, item.closed_on) == (False, "closed", date(2026, 2, 8))
    # The reminder day comes and goes: nothing fires for a closed case.
    assert run_on(journeys, clock, date(2028, 8, 17)).fired == []


# -- in a move from DLA to PIP ---------------------------------------------------------------


def test_a_fast_tracked_pip_claim_in_the_dla_move_starts_the_day_after_dla_ends(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    # DLA from Monday 5 January 2026, paid every 4 weeks on Mondays (2027: ... 1 Mar, 29 Mar,
    # 26 Apr ...); the invitation goes on the 16th birthday, Friday 12 March 2027.
    move_to(clock, date(2026, 1, 5))
    child = child_on_dla(journeys, born=date(2011, 3, 12))
    run_on(journeys, clock, date(2027, 3, 12))
    pip = claim_pip(journeys, clock, child, date(2027, 3, 22))
    app = journeys.application
    app.record_sr1(pip, received_on=date(2027, 3, 22), evidence=sr1(date(2027, 3, 19)))
    assert status_of(journeys, pip) is ClaimStatus.AWAITING_DECISION

    move_to(clock, date(2027, 3, 24))
    app.decide_special_rules_award(pip, decided_on=date(2027, 3, 24), decision_maker=DECISION_MAKER)
    # Decided Wednesday 24 March 2027: the first DLA pay day after is Monday 29 March; DLA
    # ends on the last of the 28 days beginning then, Sunday 25 April; PIP from Monday 26
    # April 2027 for 3 years, to 25 April 2030.
    award = app.claim(pip).award
    assert award is not None
    assert (award.daily_living, award.starts_on, award.ends_on) == (
        Rate.ENHANCED,
        date(2027, 4, 26),
        date(2030, 4, 25),
    )
    assert app.transition(child.customer_id).dla_ends_on == date(2027, 4, 25)
    every_decision_reproduces(journeys)
