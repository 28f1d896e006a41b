"""The DLA to PIP views on SQLite and PostgreSQL, stage by stage, with every date exact.

The caseworker's transition case and its worklists, the deadlines view the scheduler reads,
and the young person's self-service section. Each test drives the real application, moves
the clock by hand, runs the deadline scheduler as the overnight run would, and reads through
the view store's query methods (the ones the HTTP API calls).

Unless a test says otherwise the young person was born on 12 March 2010 (16 on Thursday 12
March 2026) and has had DLA since Wednesday 6 January 2016; NINOs ending 40-59 are paid on
Wednesdays every 4 weeks, so DLA's pay days in 2026 are 18 February, 18 March, 15 April,
13 May, 10 June ... 2 and 30 September, 28 October.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from adapters.bootstrap import Journeys
from domain.errors import AppointeeNotCarriedOver
from domain.rules.dla_child import DisablingCondition
from domain.transition import Action, DlaToPipTransition
from domain.values import Appointee, BenefitType, ClaimantRole, ClaimChannel, Region
from projections.model import (
    DeadlineEntry,
    DeadlineQuery,
    DeadlineStatus,
    LedgerQuery,
    NextStep,
    Page,
    SelfServiceTransition,
    TimelineQuery,
    TransitionCase,
    TransitionWorklist,
    Worklist,
)
from services.clock import SimulatedClock
from services.deadlines import SchedulerRun
from tests.integration.helpers import DECISION_MAKER, assess
from tests.projections.helpers import (
    PROJECTIONS,
    dump_views,
    fresh_view_store,
    positions,
    rebuild_everything,
)

ALL = Page(limit=500)
BORN = date(2010, 3, 12)
DLA_FROM = date(2016, 1, 6)
HOW_TO_CLAIM = (
    "Call us or send the claim form: a phone claim counts on the day you call, a posted claim "
    "on the day we get it."
)
FORBIDDEN_WORDS = ("special", "terminal", "sr1")

_ninos = itertools.count(1000)


def _move(clock: SimulatedClock, day: date, hour: int) -> None:
    """Move the clock to the hour of a day, or leave it where it is later that day."""
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    if clock.today() != day or clock.now() < moment:
        clock.set(moment)


def on(clock: SimulatedClock, day: date) -> date:
    """Move the clock to 09:00 UTC on a day (it never goes back); returns the day."""
    _move(clock, day, 9)
    return day


def overnight(journeys: Journeys, clock: SimulatedClock, day: date) -> SchedulerRun:
    """Move the clock to a day and run the deadlines due by then (the 06:00 run)."""
    _move(clock, day, 6)
    return journeys.deadlines.run_due()


def young_person(
    journeys: Journeys,
    *,
    born: date = BORN,
    special_rules: bool = False,
    dla_ends_on: date | None = None,
    condition: DisablingCondition = DisablingCondition.OTHER,
    region: Region = Region.GREAT_BRITAIN,
    appointee: bool = False,
    name: str = "Jo Young",
) -> UUID:
    """A child DLA recipient (paid on Wednesdays) whose transition starts today."""
    app = journeys.application
    # The last two digits 50 put the pay day on Wednesday; the ones before keep NINOs apart.
    customer = app.register_customer(
        nino=f"AB{next(_ninos):04d}50C", name=name, date_of_birth=born
    ).id
    if appointee:
        app.appoint(
            customer, Appointee(name="Pat Young", relationship="mother"), journeys.clock.today()
        )
    dla = app.start_claim(
        customer_id=customer,
        benefit=BenefitType.DLA,
        channel=ClaimChannel.POST,
        claimant_role=ClaimantRole.APPOINTEE,
        claim_date=DLA_FROM,
    ).id
    app.decide_entitlement(
        dla,
        decided_on=date(2016, 2, 1),
        entitled=True,
        reason="Needs care and supervision well beyond a child of the same age.",
        decision_maker=DECISION_MAKER,
        starts_on=DLA_FROM,
        ends_on=dla_ends_on,
    )
    app.start_transition(
        customer,
        dla_claim_id=dla,
        dla_weekly_pence=7_390,
        special_rules=special_rules,
        condition=condition,
        region=region,
    )
    return customer


def claim_pip(
    journeys: Journeys, customer_id: UUID, role: ClaimantRole = ClaimantRole.CUSTOMER
) -> UUID:
    """The young person claims PIP by phone today."""
    return journeys.application.start_claim(
        customer_id=customer_id,
        benefit=BenefitType.PIP,
        channel=ClaimChannel.PHONE,
        claimant_role=role,
        claim_date=journeys.clock.today(),
    ).id


def case(journeys: Journeys, customer_id: UUID) -> TransitionCase:
    journeys.projections.catch_up()
    found = journeys.views.read_transition(customer_id)
    assert found is not None
    return found


def section(journeys: Journeys, customer_id: UUID) -> SelfServiceTransition:
    journeys.projections.catch_up()
    view = journeys.views.read_self_service(customer_id)
    assert view is not None
    assert view.dla_to_pip is not None
    return view.dla_to_pip


def worklist(
    journeys: Journeys, which: TransitionWorklist, due_before: date | None = None
) -> list[tuple[UUID, date, str]]:
    """(customer, due date, detail) of every item on a transition worklist, in order."""
    journeys.projections.catch_up()
    items, total = journeys.views.read_transition_worklist(which, due_before, ALL)
    assert total == len(items)
    assert all(item.worklist is which for item in items)
    return [(item.customer_id, item.due_on, item.detail) for item in items]


def on_lists(journeys: Journeys, customer_id: UUID) -> set[TransitionWorklist]:
    """The transition worklists a customer is on."""
    return {
        which
        for which in TransitionWorklist
        if any(item[0] == customer_id for item in worklist(journeys, which))
    }


Deadline = tuple[str, date, date, DeadlineStatus, date | None, str | None]


def deadlines(journeys: Journeys, customer_id: UUID) -> list[Deadline]:
    """(action, fires_on, set_on, status, closed_on, cancel_reason) of a customer's deadlines."""
    journeys.projections.catch_up()
    entries, total = journeys.views.read_deadlines(DeadlineQuery(customer_id=customer_id), ALL)
    assert total == len(entries)
    return [
        (e.action, e.fires_on, e.set_on, e.status, e.closed_on, e.cancel_reason) for e in entries
    ]


def self_service_json(journeys: Journeys, customer_id: UUID) -> str:
    journeys.projections.catch_up()
    document = journeys.views.read_self_service_json(customer_id)
    assert document is not None
    return document


# -- the journey without a claim ----------------------------------------------------------------


def test_without_a_claim_the_case_section_and_worklists_follow_dla_to_its_end(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    young = young_person(journeys)  # 5 January 2026

    started = case(journeys, young)
    assert (started.stage, started.stage_text) == (
        "awaiting_invitation",
        "Waiting to invite a PIP claim",
    )
    assert (started.sixteenth_birthday, started.invite_on) == (date(2026, 3, 12), date(2026, 3, 12))
    assert (started.invitation_basis, started.special_rules, started.region) == (
        "sixteenth_birthday",
        False,
        "GB",
    )
    assert (started.started_on, started.had_dla_appointee, started.appointee_needed) == (
        date(2026, 1, 5),
        False,
        False,
    )
    waiting = section(journeys, young)
    assert waiting.summary == (
        "You will need to claim Personal Independence Payment (PIP) to replace your "
        "Disability Living Allowance (DLA) for children."
    )
    assert waiting.next_step == NextStep(
        who="us",
        text="We will write to you about claiming PIP on or soon after 12 March 2026.",
        by=date(2026, 3, 12),
    )
    assert waiting.dla == "Your DLA carries on as now."
    assert waiting.appointee is None
    assert on_lists(journeys, young) == {TransitionWorklist.INVITATIONS_DUE}
    assert worklist(journeys, TransitionWorklist.INVITATIONS_DUE) == [
        (young, date(2026, 3, 12), "PIP invitation due on 12 March 2026")
    ]

    assert len(overnight(journeys, clock, date(2026, 3, 12)).fired) == 1
    invited = case(journeys, young)
    assert (invited.stage, invited.invited_on, invited.claim_by) == (
        "invited",
        date(2026, 3, 12),
        date(2026, 4, 8),  # the 28 days beginning with 12 March
    )
    letter = section(journeys, young)
    assert letter.summary == "We have invited you to claim PIP."
    assert letter.next_step == NextStep(
        who="you", text=f"Claim PIP by 8 April 2026. {HOW_TO_CLAIM}", by=date(2026, 4, 8)
    )
    assert letter.dla == (
        "If you claim PIP by 8 April 2026, your DLA carries on until we decide your PIP claim. "
        "If you do not, your DLA will stop and we will write to you again."
    )
    assert on_lists(journeys, young) == {TransitionWorklist.CLAIM_DEADLINES}
    assert worklist(journeys, TransitionWorklist.CLAIM_DEADLINES) == [
        (
            young,
            date(2026, 4, 8),
            "No PIP claim yet: DLA is suspended if none comes by 8 April 2026",
        )
    ]

    overnight(journeys, clock, date(2026, 4, 8))  # the last day to claim: nothing happens
    assert case(journeys, young).stage == "invited"
    assert len(overnight(journeys, clock, date(2026, 4, 9)).fired) == 1
    suspended = case(journeys, young)
    assert suspended.stage == "dla_suspended"
    assert suspended.suspended_from == date(2026, 4, 15)  # the first pay day after 8 April
    assert (suspended.second_notice_on, suspended.second_claim_by) == (
        date(2026, 4, 9),
        date(2026, 5, 6),
    )
    stopped = section(journeys, young)
    assert stopped.summary == "Your DLA has stopped because we did not get a PIP claim from you."
    assert stopped.next_step == NextStep(
        who="you",
        text=f"Claim PIP by 6 May 2026 to start your DLA again. {HOW_TO_CLAIM}",
        by=date(2026, 5, 6),
    )
    assert stopped.dla == (
        "Your DLA is stopped from 15 April 2026. If you claim PIP by 6 May 2026, it starts "
        "again from the day you claim, but you will not be paid for the time it was stopped. "
        "If you do not claim by then, your DLA will end."
    )
    assert on_lists(journeys, young) == {
        TransitionWorklist.CLAIM_DEADLINES,
        TransitionWorklist.DLA_SUSPENDED,
    }
    suspended_detail = (
        "DLA suspended from 15 April 2026; no PIP claim yet: DLA ends after 6 May 2026"
    )
    assert worklist(journeys, TransitionWorklist.DLA_SUSPENDED) == [
        (young, date(2026, 5, 6), suspended_detail)
    ]
    assert worklist(journeys, TransitionWorklist.CLAIM_DEADLINES) == [
        (young, date(2026, 5, 6), suspended_detail)
    ]

    assert len(overnight(journeys, clock, date(2026, 5, 7)).fired) == 1
    ended = case(journeys, young)
    assert (ended.stage, ended.stage_text, ended.dla_ends_on) == (
        "dla_ended_no_claim",
        "DLA ended: no PIP claim",
        date(2026, 4, 14),  # the day before the suspension: nothing more is paid
    )
    gone = section(journeys, young)
    assert gone.summary == "Your DLA has ended because we did not get a PIP claim from you."
    assert gone.dla == "Your last day of DLA was 14 April 2026."
    assert gone.next_step == NextStep(
        who="you",
        text=f"You can still claim PIP if your condition affects your daily life. {HOW_TO_CLAIM}",
    )
    assert on_lists(journeys, young) == set()
    assert [(d[0], d[1], d[3]) for d in deadlines(journeys, young)] == [
        (Action.INVITE, date(2026, 3, 12), DeadlineStatus.FIRED),
        (Action.CLOSE_FIRST_WINDOW, date(2026, 4, 9), DeadlineStatus.FIRED),
        (Action.CLOSE_SECOND_WINDOW, date(2026, 5, 7), DeadlineStatus.FIRED),
    ]


# -- a PIP claim in time, late, or withdrawn ------------------------------------------------------


def decide_pip(
    journeys: Journeys, clock: SimulatedClock, claim: UUID, days: tuple[date, date, date, date]
) -> None:
    """PIP2 issued, returned, assessed (enhanced both) and decided on the four days."""
    app = journeys.application
    issued, returned, assessed, decided = days
    app.issue_questionnaire(claim, on(clock, issued))
    app.return_questionnaire(claim, on(clock, returned))
    on(clock, assessed)
    assess(journeys, claim, daily_living=12, mobility=12)
    app.decide_pip_award(
        claim, decided_on=on(clock, decided), starts_on=None, ends_on=date(2029, 6, 9)
    )


def test_a_claim_in_time_keeps_dla_until_the_pip_decision_and_ends_it_on_the_rule_date(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    young = young_person(journeys)
    overnight(journeys, clock, date(2026, 3, 12))
    on(clock, date(2026, 3, 20))
    claim = claim_pip(journeys, young)

    claimed = case(journeys, young)
    assert (claimed.stage, claimed.pip_claim_id, claimed.pip_claimed_on, claimed.claimed_in) == (
        "pip_claimed",
        claim,
        date(2026, 3, 20),
        "first_window",
    )
    assert section(journeys, young).summary == "We have your PIP claim made on 20 March 2026."
    assert section(journeys, young).dla == "Your DLA carries on until we decide your PIP claim."
    assert section(journeys, young).next_step == NextStep(
        who="us", text="We are dealing with your PIP claim: your claim shows what happens next."
    )
    assert on_lists(journeys, young) == set()
    assert deadlines(journeys, young)[-1] == (
        Action.CLOSE_FIRST_WINDOW,
        date(2026, 4, 9),
        date(2026, 3, 12),
        DeadlineStatus.CANCELLED,
        date(2026, 3, 20),
        "PIP claimed in time",
    )

    decide_pip(
        journeys,
        clock,
        claim,
        (date(2026, 3, 23), date(2026, 4, 1), date(2026, 4, 20), date(2026, 4, 30)),
    )
    ending = case(journeys, young)
    # The first pay day after 30 April is 13 May: DLA's last day is the 28th day from it.
    assert (ending.stage, ending.dla_ends_on, ending.pip_starts_on, ending.dla_end_basis) == (
        "dla_ending",
        date(2026, 6, 9),
        date(2026, 6, 10),
        "after_pip_decision",
    )
    decided = section(journeys, young)
    assert decided.summary == "We have decided your PIP claim."
    assert decided.dla == "Your last day of DLA is 9 June 2026. Your PIP starts on 10 June 2026."
    assert decided.next_step is None

    overnight(journeys, clock, date(2026, 6, 9))
    assert case(journeys, young).stage == "dla_ending"
    overnight(journeys, clock, date(2026, 6, 10))
    done = section(journeys, young)
    assert (case(journeys, young).stage, done.stage) == ("completed", "completed")
    assert done.summary == "Your move from DLA to PIP is finished."
    assert done.dla == "Your DLA ended on 9 June 2026. Your PIP started on 10 June 2026."
    assert [(d[0], d[1], d[3]) for d in deadlines(journeys, young)][-1] == (
        Action.END_DLA,
        date(2026, 6, 10),
        DeadlineStatus.FIRED,
    )


def test_a_late_claim_in_the_second_window_restarts_dla_without_back_pay(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    young = young_person(journeys)
    overnight(journeys, clock, date(2026, 3, 12))
    overnight(journeys, clock, date(2026, 4, 9))
    on(clock, date(2026, 4, 28))
    claim_pip(journeys, young)

    restarted = case(journeys, young)
    assert (restarted.stage, restarted.claimed_in, restarted.restarted_on) == (
        "pip_claimed",
        "late",
        date(2026, 4, 28),
    )
    assert (restarted.unpaid_from, restarted.unpaid_to) == (date(2026, 4, 15), date(2026, 4, 27))
    assert section(journeys, young).dla == (
        "Your DLA carries on until we decide your PIP claim. It started again on 28 April 2026; "
        "it was not paid from 15 April 2026 to 27 April 2026."
    )
    assert on_lists(journeys, young) == set()
    assert deadlines(journeys, young)[-1][3:] == (
        DeadlineStatus.CANCELLED,
        date(2026, 4, 28),
        "PIP claimed",
    )


def test_a_withdrawn_claim_made_after_the_first_deadline_is_followed_by_a_second_notice(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    # The claim came after 8 April but before the first window was closed: no second notice
    # had gone. Withdrawn, it leaves DLA suspended, and the young person still gets 28 days.
    app = journeys.application
    young = young_person(journeys)
    overnight(journeys, clock, date(2026, 3, 12))
    on(clock, date(2026, 4, 10))
    claim = claim_pip(journeys, young)
    assert (case(journeys, young).suspended_from, case(journeys, young).claimed_in) == (
        date(2026, 4, 15),
        "late",
    )
    app.withdraw_claim(claim, on(clock, date(2026, 4, 20)), "claimed by mistake")

    suspended = case(journeys, young)
    assert (suspended.stage, suspended.suspended_from) == ("dla_suspended", date(2026, 5, 13))
    assert (suspended.second_notice_on, suspended.second_claim_by) == (
        date(2026, 4, 20),
        date(2026, 5, 17),
    )
    assert section(journeys, young).next_step == NextStep(
        who="you",
        text=f"Claim PIP by 17 May 2026 to start your DLA again. {HOW_TO_CLAIM}",
        by=date(2026, 5, 17),
    )

    run = overnight(journeys, clock, date(2026, 5, 18))
    assert (len(run.fired), run.refused) == (1, [])
    assert (case(journeys, young).stage, case(journeys, young).dla_ends_on) == (
        "dla_ended_no_claim",
        date(2026, 5, 12),
    )


# -- hospital on the birthday -------------------------------------------------------------------


def test_in_hospital_on_the_birthday_the_invitation_waits_for_the_discharge(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    young = young_person(journeys)
    app.record_hospital_admission(young, on(clock, date(2026, 3, 1)))
    assert case(journeys, young).hospital_admitted_on == date(2026, 3, 1)
    assert section(journeys, young).stage == "awaiting_invitation"

    overnight(journeys, clock, date(2026, 3, 12))
    deferred = case(journeys, young)
    assert (deferred.stage, deferred.stage_text) == (
        "invitation_deferred",
        "Invitation waits for discharge from hospital",
    )
    waiting = section(journeys, young)
    assert waiting.summary == "We will invite you to claim PIP when you leave hospital."
    assert waiting.next_step == NextStep(who="you", text="Tell us when you leave hospital.")
    assert waiting.dla == "Your DLA carries on as now."
    assert worklist(journeys, TransitionWorklist.INVITATIONS_DUE) == [
        (young, date(2026, 3, 12), "In hospital on the 16th birthday: invite when discharged")
    ]

    app.record_hospital_discharge(young, on(clock, date(2026, 3, 20)))
    left = case(journeys, young)
    assert (left.stage, left.hospital_discharged_on, left.invite_on) == (
        "invitation_deferred",
        date(2026, 3, 20),
        date(2026, 3, 20),
    )
    home = section(journeys, young)
    assert home.summary == ("You left hospital on 20 March 2026. We will invite you to claim PIP.")
    assert home.next_step == NextStep(
        who="us",
        text="We will write to you about claiming PIP on or soon after 20 March 2026.",
        by=date(2026, 3, 20),
    )
    assert worklist(journeys, TransitionWorklist.INVITATIONS_DUE) == [
        (
            young,
            date(2026, 3, 20),
            "Left hospital on 20 March 2026: PIP invitation due on 20 March 2026",
        )
    ]

    overnight(journeys, clock, date(2026, 3, 21))
    invited = case(journeys, young)
    assert (invited.stage, invited.invited_on, invited.claim_by) == (
        "invited",
        date(2026, 3, 21),
        date(2026, 4, 17),
    )
    assert section(journeys, young).next_step == NextStep(
        who="you", text=f"Claim PIP by 17 April 2026. {HOW_TO_CLAIM}", by=date(2026, 4, 17)
    )
    assert worklist(journeys, TransitionWorklist.INVITATIONS_DUE) == []


# -- worklists across young people ----------------------------------------------------------------


def test_invitations_due_are_ordered_by_invitation_date_and_cut_by_due_before(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    march = young_person(journeys, born=date(2010, 3, 12))
    february = young_person(journeys, born=date(2010, 2, 28))
    june = young_person(journeys, born=date(2010, 6, 30))
    already_16 = young_person(journeys, born=date(2009, 12, 1))  # invited at the next run

    assert worklist(journeys, TransitionWorklist.INVITATIONS_DUE) == [
        (already_16, date(2026, 1, 5), "PIP invitation due on 5 January 2026"),
        (february, date(2026, 2, 28), "PIP invitation due on 28 February 2026"),
        (march, date(2026, 3, 12), "PIP invitation due on 12 March 2026"),
        (june, date(2026, 6, 30), "PIP invitation due on 30 June 2026"),
    ]
    before_march = worklist(journeys, TransitionWorklist.INVITATIONS_DUE, date(2026, 3, 12))
    assert [item[0] for item in before_march] == [already_16, february]
    page, total = journeys.views.read_transition_worklist(
        TransitionWorklist.INVITATIONS_DUE, None, Page(limit=2, offset=1)
    )
    assert ([item.customer_id for item in page], total) == ([february, march], 4)

    overnight(journeys, clock, date(2026, 1, 5))  # invited: claim by 1 February
    overnight(journeys, clock, date(2026, 2, 2))  # suspended from 18 February, to 1 March
    overnight(journeys, clock, date(2026, 2, 28))  # invited: claim by 27 March
    assert [item[0] for item in worklist(journeys, TransitionWorklist.INVITATIONS_DUE)] == [
        march,
        june,
    ]
    suspended = (
        already_16,
        date(2026, 3, 1),
        "DLA suspended from 18 February 2026; no PIP claim yet: DLA ends after 1 March 2026",
    )
    assert worklist(journeys, TransitionWorklist.CLAIM_DEADLINES) == [
        suspended,
        (
            february,
            date(2026, 3, 27),
            "No PIP claim yet: DLA is suspended if none comes by 27 March 2026",
        ),
    ]
    assert worklist(journeys, TransitionWorklist.DLA_SUSPENDED) == [suspended]
    # Deadlines passing in the next 7 days with no claim, as a caseworker sees them on 28 February.
    assert worklist(journeys, TransitionWorklist.CLAIM_DEADLINES, date(2026, 3, 7)) == [suspended]

    on(clock, date(2026, 3, 2))
    claim_pip(journeys, february)
    assert worklist(journeys, TransitionWorklist.CLAIM_DEADLINES) == [suspended]


def test_an_appointee_is_needed_until_one_is_appointed_for_pip_or_none_is_needed(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    appointing = young_person(journeys, appointee=True, name="Ann Appointed")
    managing = young_person(journeys, appointee=True, born=date(2010, 3, 20), name="Max Manages")
    alone = young_person(journeys, name="Sol Alone")
    pat = Appointee(name="Pat Young", relationship="mother")

    assert (
        case(journeys, appointing).had_dla_appointee,
        case(journeys, alone).appointee_needed,
    ) == (
        True,
        False,
    )
    detail = (
        "The DLA appointee does not carry over to PIP: appoint one for PIP, or record that "
        "none is needed"
    )
    assert worklist(journeys, TransitionWorklist.APPOINTEE_NEEDED) == [
        (appointing, date(2026, 3, 12), detail),
        (managing, date(2026, 3, 20), detail),
    ]
    assert section(journeys, appointing).appointee == (
        "The person who dealt with your DLA for you cannot claim PIP for you. If you need "
        "someone to act for you, they must ask us to become your appointee for PIP."
    )
    assert section(journeys, alone).appointee is None
    with pytest.raises(AppointeeNotCarriedOver):  # appointed before 16: a DLA appointment
        app.appoint_pip_appointee(appointing, appointee=pat, effective_date=date(2026, 1, 5))
    on(clock, date(2026, 3, 13))
    with pytest.raises(AppointeeNotCarriedOver):  # the DLA appointee cannot claim PIP
        claim_pip(journeys, appointing, ClaimantRole.APPOINTEE)

    app.appoint_pip_appointee(appointing, appointee=pat, effective_date=date(2026, 3, 13))
    appointed = case(journeys, appointing)
    assert (appointed.appointee_needed, appointed.appointee_settled_on) == (
        False,
        date(2026, 3, 13),
    )
    assert section(journeys, appointing).appointee is None
    assert worklist(journeys, TransitionWorklist.APPOINTEE_NEEDED) == [
        (managing, date(2026, 3, 20), detail)
    ]
    on(clock, date(2026, 3, 23))
    app.record_appointee_not_needed(
        managing, reason="will deal with PIP herself", effective_date=date(2026, 3, 23)
    )
    assert worklist(journeys, TransitionWorklist.APPOINTEE_NEEDED) == []
    assert section(journeys, managing).appointee is None
    assert case(journeys, managing).appointee_settled_on == date(2026, 3, 23)


def test_age_reviews_are_due_from_the_birthday_until_completed_and_never_for_adhd(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    reviewed = young_person(journeys, born=date(2012, 2, 10))  # 14 on 10 February 2026
    adhd = young_person(journeys, born=date(2012, 2, 10), condition=DisablingCondition.ADHD)
    assert worklist(journeys, TransitionWorklist.AGE_REVIEWS_DUE) == []
    assert [d[:2] for d in deadlines(journeys, adhd)] == [(Action.INVITE, date(2028, 2, 10))]

    overnight(journeys, clock, date(2026, 2, 10))
    assert worklist(journeys, TransitionWorklist.AGE_REVIEWS_DUE) == [
        (reviewed, date(2026, 2, 10), "DLA award review due (age 14)")
    ]
    assert [(r.age, r.due_on) for r in case(journeys, reviewed).reviews_due] == [
        (14, date(2026, 2, 10))
    ]
    on(clock, date(2026, 2, 16))
    app.complete_age_review(reviewed, age=14, completed_on=date(2026, 2, 16), outcome="continues")
    assert worklist(journeys, TransitionWorklist.AGE_REVIEWS_DUE) == []
    assert (case(journeys, reviewed).reviews_due, case(journeys, reviewed).stage) == (
        (),
        "awaiting_invitation",
    )


# -- the deadlines view -------------------------------------------------------------------------


def test_the_deadlines_view_keeps_each_deadline_pending_until_it_fires_or_is_cancelled(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    young = young_person(journeys)
    journeys.projections.catch_up()
    entries, total = journeys.views.read_deadlines(DeadlineQuery(customer_id=young), ALL)
    assert total == 1
    (invite,) = entries
    assert invite == DeadlineEntry(
        deadline_id=invite.deadline_id,
        aggregate_id=case(journeys, young).transition_id,
        customer_id=young,
        action=Action.INVITE,
        description="Invite a PIP claim (28 days to claim)",
        fires_on=date(2026, 3, 12),
        set_on=date(2026, 1, 5),
    )

    overnight(journeys, clock, date(2026, 3, 12))
    on(clock, date(2026, 3, 20))
    claim_pip(journeys, young)
    assert deadlines(journeys, young) == [
        (
            Action.INVITE,
            date(2026, 3, 12),
            date(2026, 1, 5),
            DeadlineStatus.FIRED,
            date(2026, 3, 12),
            None,
        ),
        (
            Action.CLOSE_FIRST_WINDOW,
            date(2026, 4, 9),
            date(2026, 3, 12),
            DeadlineStatus.CANCELLED,
            date(2026, 3, 20),
            "PIP claimed in time",
        ),
    ]
    assert journeys.views.read_due_deadlines(date(2026, 12, 31), 10) == []


def test_due_deadlines_come_in_firing_order_up_to_the_limit_and_lists_filter_with_totals(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    first = young_person(journeys)
    second = young_person(journeys)  # the same birthday: invited on the same day
    earlier = young_person(journeys, born=date(2010, 2, 20))
    review = young_person(journeys, born=date(2012, 2, 10))
    ids = {who: case(journeys, who).transition_id for who in (first, second, earlier, review)}
    same_day = sorted((first, second), key=lambda who: str(ids[who]))

    due = journeys.views.read_due_deadlines(date(2026, 3, 12), 10)
    assert [(d.customer_id, d.action, d.fires_on) for d in due] == [
        (review, Action.AGE_REVIEW, date(2026, 2, 10)),
        (earlier, Action.INVITE, date(2026, 2, 20)),
        (same_day[0], Action.INVITE, date(2026, 3, 12)),
        (same_day[1], Action.INVITE, date(2026, 3, 12)),
    ]
    assert journeys.views.read_due_deadlines(date(2026, 3, 12), 3) == due[:3]
    assert journeys.views.read_due_deadlines(date(2026, 3, 11), 10) == due[:2]
    assert journeys.views.read_due_deadlines(date(2026, 2, 9), 10) == []

    run = overnight(journeys, clock, date(2026, 2, 20))
    assert [(d.aggregate_id, d.action) for d in run.fired] == [
        (ids[review], Action.AGE_REVIEW),
        (ids[earlier], Action.INVITE),
    ]
    journeys.projections.catch_up()
    assert journeys.views.read_due_deadlines(date(2026, 3, 12), 10) == due[2:]

    views = journeys.views
    pending, total = views.read_deadlines(DeadlineQuery(status=DeadlineStatus.PENDING), ALL)
    assert (total, [(e.action, e.fires_on) for e in pending]) == (
        4,
        [
            (Action.INVITE, date(2026, 3, 12)),
            (Action.INVITE, date(2026, 3, 12)),
            (Action.CLOSE_FIRST_WINDOW, date(2026, 3, 20)),  # invited 20 February: to 19 March
            (Action.INVITE, date(2028, 2, 10)),  # the reviewed child turns 16 in 2028
        ],
    )
    assert str(pending[0].deadline_id) < str(pending[1].deadline_id)  # a day's, by their ids
    assert {pending[0].customer_id, pending[1].customer_id} == {first, second}
    assert [e.customer_id for e in pending[2:]] == [earlier, review]
    fired, total = views.read_deadlines(DeadlineQuery(status=DeadlineStatus.FIRED), ALL)
    assert (total, [(e.customer_id, e.action) for e in fired]) == (
        2,
        [(review, Action.AGE_REVIEW), (earlier, Action.INVITE)],
    )
    page, total = views.read_deadlines(DeadlineQuery(due_before=date(2026, 3, 12)), Page(limit=1))
    assert (total, [e.customer_id for e in page]) == (2, [review])
    page, total = views.read_deadlines(
        DeadlineQuery(due_before=date(2026, 3, 12)), Page(limit=1, offset=1)
    )
    assert (total, [e.customer_id for e in page]) == (2, [earlier])
    theirs, total = views.read_deadlines(
        DeadlineQuery(customer_id=earlier, status=DeadlineStatus.PENDING), ALL
    )
    assert (total, [(e.action, e.fires_on) for e in theirs]) == (
        1,
        [(Action.CLOSE_FIRST_WINDOW, date(2026, 3, 20))],
    )
    none, total = views.read_deadlines(
        DeadlineQuery(customer_id=first, status=DeadlineStatus.CANCELLED), ALL
    )
    assert (none, total) == ([], 0)


# -- negative determination, then a good reason -------------------------------------------------


def test_a_good_reason_after_a_negative_determination_reinstates_dla_in_every_view(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    young = young_person(journeys, appointee=True)  # a parent dealt with DLA; Jo claims PIP
    overnight(journeys, clock, date(2026, 3, 12))
    on(clock, date(2026, 3, 20))
    claim = claim_pip(journeys, young)
    app.issue_questionnaire(claim, on(clock, date(2026, 3, 23)))  # due back by 23 April
    assert case(journeys, young).appointee_needed

    on(clock, date(2026, 4, 27))
    app.make_negative_determination(claim)
    ending = case(journeys, young)
    # The first pay day after 27 April is 13 May: DLA's last day is the 14th day from it.
    assert (ending.stage, ending.dla_end_basis, ending.dla_ends_on, ending.pip_starts_on) == (
        "dla_ending",
        "negative_determination",
        date(2026, 5, 26),
        None,
    )
    late = section(journeys, young)
    assert (late.negative_determination, late.summary) == (
        True,
        "We did not get your PIP questionnaire back in time.",
    )
    assert late.dla == (
        "Your last day of DLA is 26 May 2026. If we accept that you had a good reason for not "
        "sending the questionnaire back, your DLA carries on until we decide your PIP claim."
    )
    assert late.next_step == NextStep(
        who="you",
        text="If you had a good reason for not sending the questionnaire back, tell us by "
        "26 May 2026 so that your DLA does not stop.",
        by=date(2026, 5, 26),
    )

    overnight(journeys, clock, date(2026, 5, 27))
    ended = case(journeys, young)
    assert (ended.stage, ended.appointee_needed) == ("completed", False)
    stopped = section(journeys, young)
    assert stopped.summary == (
        "Your DLA has ended because we did not get your PIP questionnaire back in time."
    )
    assert stopped.dla == "Your last day of DLA was 26 May 2026."
    assert stopped.next_step == NextStep(
        who="you",
        text="If you had a good reason for not sending the questionnaire back, tell us: if we "
        "accept it, we will pay your DLA again from the day it stopped until we decide your "
        "PIP claim.",
    )
    assert (stopped.appointee, on_lists(journeys, young)) == (None, set())

    on(clock, date(2026, 6, 1))
    app.accept_good_reason(
        claim, accepted_on=date(2026, 6, 1), reason="was in hospital", decision_maker=DECISION_MAKER
    )
    reinstated = case(journeys, young)
    assert (reinstated.stage, reinstated.dla_ends_on, reinstated.dla_end_basis) == (
        "pip_claimed",
        None,
        None,
    )
    assert (reinstated.dla_reinstated_on, reinstated.dla_arrears_from) == (
        date(2026, 6, 1),
        date(2026, 5, 27),
    )
    # The journey goes on again, and with it the need for a PIP appointee.
    assert reinstated.appointee_needed
    assert on_lists(journeys, young) == {TransitionWorklist.APPOINTEE_NEEDED}
    again = section(journeys, young)
    assert (again.negative_determination, again.appointee is not None) == (False, True)
    assert again.dla == (
        "We accepted your reason for not sending the questionnaire back in time: your DLA "
        "carries on until we decide your PIP claim. We will pay the DLA you missed from "
        "27 May 2026."
    )
    view = journeys.views.read_self_service(young)
    assert view is not None
    (pip,) = [c for c in view.claims if c.claim_id == claim]
    assert (pip.status, pip.decided_on, pip.award, pip.rights) == (
        "awaiting_questionnaire",
        None,
        None,
        (),
    )
    assert pip.next_step == NextStep(
        who="you", text="Return your questionnaire (PIP2) by 1 July 2026.", by=date(2026, 7, 1)
    )
    outstanding, _ = journeys.views.read_worklist(Worklist.QUESTIONNAIRES_OUTSTANDING, None, ALL)
    assert [(item.claim_id, item.due_on) for item in outstanding] == [(claim, date(2026, 7, 1))]


# -- Special Rules --------------------------------------------------------------------------------


def test_a_special_rules_dla_and_its_terminal_illness_end_are_never_shown_to_the_young_person(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    young = young_person(journeys, special_rules=True, dla_ends_on=date(2027, 1, 31))
    seen: list[str] = []

    def customer_sees() -> SelfServiceTransition:
        seen.append(self_service_json(journeys, young))
        return section(journeys, young)

    started = case(journeys, young)
    # 20 weeks before the award ends on 31 January 2027, not at 16.
    assert (started.special_rules, started.invitation_basis, started.invite_on) == (
        True,
        "special_rules_award_end",
        date(2026, 9, 13),
    )
    assert customer_sees().next_step == NextStep(
        who="us",
        text="We will write to you about claiming PIP on or soon after 13 September 2026.",
        by=date(2026, 9, 13),
    )
    overnight(journeys, clock, date(2026, 3, 12))
    assert customer_sees().stage == "awaiting_invitation"  # nothing happens at 16

    overnight(journeys, clock, date(2026, 9, 13))
    assert customer_sees().claim_by == date(2026, 10, 10)
    on(clock, date(2026, 9, 14))
    claim = claim_pip(journeys, young)
    assert customer_sees().stage == "pip_claimed"
    decide_pip(
        journeys,
        clock,
        claim,
        (date(2026, 9, 15), date(2026, 9, 16), date(2026, 9, 17), date(2026, 10, 1)),
    )
    ending = case(journeys, young)
    # Decided on Thursday 1 October: the first Tuesday after (6 October) comes before the end
    # of the payment period (27 October, the day before the pay day of 28 October).
    assert (ending.dla_end_basis, ending.dla_ends_on, ending.pip_starts_on) == (
        "terminal_illness",
        date(2026, 10, 6),
        date(2026, 10, 7),
    )
    assert customer_sees().dla == (
        "Your last day of DLA is 6 October 2026. Your PIP starts on 7 October 2026."
    )
    overnight(journeys, clock, date(2026, 10, 7))
    assert customer_sees().stage == "completed"

    for document in seen:
        for word in FORBIDDEN_WORDS:
            assert word not in document.lower(), (word, document)
    assert '"special_rules":true' in case(journeys, young).model_dump_json()
    decisions, _ = journeys.views.read_ledger(
        LedgerQuery(customer_id=young, rule_id="dla_pip.dla_end_date"), ALL
    )
    assert [d.outcome["basis"] for d in decisions] == ["terminal_illness"]


# -- the timeline, the ledger, and a rebuild of dated journeys ------------------------------------


def dated_journeys(
    journeys: Journeys, clock: SimulatedClock, now_and_then: Callable[[], None]
) -> dict[str, UUID]:
    """Young people on every path of the journey through 2026, in date order."""
    app = journeys.application
    people = {
        "no_claim": young_person(journeys),
        "in_time": young_person(journeys),
        "late": young_person(journeys),
        "hospital": young_person(journeys),
        "good_reason": young_person(journeys, appointee=True),
        "northern_ireland": young_person(journeys, region=Region.NORTHERN_IRELAND, appointee=True),
        "review": young_person(journeys, born=date(2012, 2, 10), appointee=True),
        "died": young_person(journeys),
        "withdrew": young_person(journeys, born=date(2009, 12, 1)),
    }
    claims: dict[str, UUID] = {}
    now_and_then()

    def day(when: date, *commands: Callable[[], object]) -> None:
        overnight(journeys, clock, when)
        on(clock, when)
        for command in commands:
            command()
            now_and_then()

    def claim(who: str) -> None:
        claims[who] = claim_pip(journeys, people[who])

    claim("withdrew")  # 16 already, before the invitation went
    day(date(2026, 1, 6), lambda: app.withdraw_claim(claims["withdrew"], date(2026, 1, 6), "x"))
    day(date(2026, 1, 12))  # Northern Ireland's letter at 15 years and 10 months
    day(date(2026, 2, 10))  # the review at 14
    day(
        date(2026, 2, 16),
        lambda: app.complete_age_review(
            people["review"], age=14, completed_on=date(2026, 2, 16), outcome="continues"
        ),
        lambda: app.record_appointee_not_needed(
            people["review"], reason="parent stays", effective_date=date(2026, 2, 16)
        ),
    )
    day(
        date(2026, 3, 1),
        lambda: app.record_hospital_admission(people["hospital"], date(2026, 3, 1)),
    )
    day(date(2026, 3, 12))  # invitations (in hospital: put off)
    day(
        date(2026, 3, 13),
        lambda: app.appoint_pip_appointee(
            people["northern_ireland"],
            appointee=Appointee(name="Pat Young", relationship="mother"),
            effective_date=date(2026, 3, 13),
        ),
    )
    day(date(2026, 3, 15), lambda: app.notify_death(people["died"], date(2026, 3, 14), "TUO-9"))
    day(
        date(2026, 3, 20),
        lambda: claim("in_time"),
        lambda: claim("good_reason"),
        lambda: app.record_hospital_discharge(people["hospital"], date(2026, 3, 20)),
    )
    day(date(2026, 3, 21))  # out of hospital: invited
    day(
        date(2026, 3, 23),
        lambda: app.issue_questionnaire(claims["in_time"], date(2026, 3, 23)),
        lambda: app.issue_questionnaire(claims["good_reason"], date(2026, 3, 23)),
    )
    day(date(2026, 4, 1), lambda: app.return_questionnaire(claims["in_time"], date(2026, 4, 1)))
    day(date(2026, 4, 9))  # no claim by 8 April: suspended, second notices
    day(date(2026, 4, 18))  # no claim by 17 April after hospital: suspended
    day(date(2026, 4, 20), lambda: assess(journeys, claims["in_time"], 12, 12))
    day(date(2026, 4, 27), lambda: app.make_negative_determination(claims["good_reason"]))
    day(
        date(2026, 4, 28),
        lambda: claim("late"),
        lambda: app.decide_pip_award(
            claims["in_time"],
            decided_on=date(2026, 4, 28),
            starts_on=None,
            ends_on=date(2029, 6, 9),
        ),
    )
    day(date(2026, 5, 7))  # no claim after the second notice: DLA ends
    day(date(2026, 5, 27))  # the day after DLA's last day on the negative determination
    day(
        date(2026, 6, 1),
        lambda: app.accept_good_reason(
            claims["good_reason"],
            accepted_on=date(2026, 6, 1),
            reason="was in hospital",
            decision_maker=DECISION_MAKER,
        ),
    )
    day(date(2026, 6, 10))
    return people


def test_every_transition_event_reads_as_a_line_on_the_timeline_and_its_decisions_are_audited(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    people = dated_journeys(journeys, clock, lambda: None)
    journeys.projections.catch_up()
    entries = [
        entry
        for who in people.values()
        for entry in journeys.views.read_timeline(TimelineQuery(customer_id=who), ALL)[0]
    ]
    transition_kinds = {
        cls.__qualname__
        for cls in vars(DlaToPipTransition).values()
        if isinstance(cls, type)
        and issubclass(cls, DlaToPipTransition.Event)
        and cls.__qualname__.split(".")[1] not in {"Event", "Created", *DEADLINE_EVENTS}
    }
    kinds = {entry.kind for entry in entries}
    expected = transition_kinds | {f"WithDeadlines.{name}" for name in DEADLINE_EVENTS}
    assert expected | {"Claim.GoodReasonAccepted"} <= kinds, sorted(expected - kinds)
    assert all(entry.summary != entry.kind for entry in entries), [
        entry.kind for entry in entries if entry.summary == entry.kind
    ]

    def lines(who: str, kind: str) -> list[str]:
        return [e.summary for e in entries if e.customer_id == people[who] and e.kind == kind]

    assert lines("no_claim", "WithDeadlines.DeadlineSet") == [
        "Deadline set: Invite a PIP claim (28 days to claim) on 2026-03-12",
        "Deadline set: No PIP claim by the deadline: suspend DLA and send a second notice on "
        "2026-04-09",
        "Deadline set: Still no PIP claim after the second notice: end DLA on 2026-05-07",
    ]
    assert lines("no_claim", "DlaToPipTransition.DlaTerminated") == [
        "DLA ended (last day 2026-04-14): no PIP claim after the second notice"
    ]
    assert lines("late", "DlaToPipTransition.DlaRestarted") == [
        "DLA restarted on 2026-04-28, not paid from 2026-04-15 to 2026-04-27"
    ]
    assert lines("in_time", "WithDeadlines.DeadlineCancelled") == [
        "Deadline cancelled: PIP claimed in time"
    ]
    assert lines("hospital", "DlaToPipTransition.InvitationDeferred") == [
        "PIP invitation put off: in hospital on the 16th birthday, invite on discharge"
    ]
    assert lines("good_reason", "DlaToPipTransition.DlaReinstated") == [
        "DLA reinstated until the PIP decision: good reason accepted; arrears from 2026-05-27"
    ]
    assert lines("good_reason", "Claim.GoodReasonAccepted") == [
        "Good reason accepted for the PIP2: claim reopened, due back by 2026-07-01"
    ]
    assert lines("died", "DlaToPipTransition.Closed") == [
        "DLA to PIP transition closed: death notified"
    ]

    ledger, _ = journeys.views.read_ledger(LedgerQuery(customer_id=people["late"]), ALL)
    assert {(d.rule_id, d.event_type) for d in ledger} >= {
        ("dla.pay_schedule", "DlaToPipTransition.Started"),
        ("dla_pip.invitation_date", "DlaToPipTransition.Started"),
        ("dla_child.age_reviews", "DlaToPipTransition.Started"),
        ("dla_pip.invitation", "DlaToPipTransition.InvitationIssued"),
        ("dla_pip.claim_window", "DlaToPipTransition.InvitationIssued"),
        ("dla_pip.suspension", "DlaToPipTransition.DlaSuspended"),
        ("dla_pip.claim_window", "DlaToPipTransition.SecondNoticeSent"),
        ("dla_pip.restart", "DlaToPipTransition.DlaRestarted"),
    }
    audited, _ = journeys.views.read_ledger(LedgerQuery(rule_id="dla_pip.termination"), ALL)
    # DLA's last day is the day before the first pay day after the first deadline, whenever
    # the run found the deadline passed (the withdrawn claim's window closed on 2 February).
    assert {d.customer_id: d.outcome["dla_ends_on"] for d in audited} == {
        people["withdrew"]: "2026-02-17",
        people["no_claim"]: "2026-04-14",
        people["northern_ireland"]: "2026-04-14",
        people["hospital"]: "2026-05-12",
    }


DEADLINE_EVENTS = ("DeadlineSet", "DeadlineFired", "DeadlineCancelled")


@pytest.mark.parametrize("seed", [5, 8])
def test_dated_journeys_caught_up_now_and_then_equal_a_rebuild_from_the_log(
    journeys: Journeys, clock: SimulatedClock, seed: int
) -> None:
    rng = random.Random(seed)
    runner = journeys.projections
    runner.batch_size = rng.randint(1, 7)

    def now_and_then() -> None:
        if rng.random() < 0.3:
            runner.catch_up(rng.sample(PROJECTIONS, rng.randint(1, len(PROJECTIONS))))

    dated_journeys(journeys, clock, now_and_then)
    runner.catch_up()
    incremental = dump_views(journeys.views)
    assert len(incremental["view_transition"]) == 9
    with fresh_view_store(journeys.settings) as fresh:
        rebuild_everything(journeys, fresh)
        assert positions(fresh) == positions(journeys.views)
        assert dump_views(fresh) == incremental
