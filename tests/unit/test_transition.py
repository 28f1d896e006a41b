"""The DLA to PIP transition driven through its public methods with fixed dates."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.deadlines import Deadline, WithDeadlines
from domain.decisions import Decision
from domain.errors import (
    AppointeeNotCarriedOver,
    ClaimBeforeInvitation,
    ClaimHistoryInconsistent,
    CustomerDeceased,
    DeadlineNotDue,
    HospitalStayNotRelevant,
    InvalidHospitalDates,
    MissingDescription,
    NoAgeReviewDue,
    NotAChildDlaRecipient,
    TransitionOver,
)
from domain.identity import customer_id_for
from domain.periods import birthday
from domain.rules import rerun
from domain.rules.dla_child import DisablingCondition
from domain.rules.dla_to_pip import Determination, DlaEndBasis, InvitationBasis
from domain.transition import (
    Action,
    ChildDlaAward,
    ClaimedIn,
    DlaToPipTransition,
    TransitionStage,
    transition_id_for,
)
from domain.values import ClaimantRole, EventRef, Region, Weekday
from tests.unit.builders import event_names, refused, replay, state_of
from tests.unit.test_replay_properties import (
    JOURNEY_SETTINGS,
    Journey,
    attempt,
    decisions_in,
    through_storage,
)

NINO = "AB123456C"  # digits 56: DLA is paid on Wednesdays
CUSTOMER = EventRef(aggregate_id=customer_id_for(NINO), version=1)
DLA_CLAIM_ID = UUID("6a0a3c1e-0000-4000-8000-00000000d1a0")
DLA_AWARD_EVENT = EventRef(aggregate_id=DLA_CLAIM_ID, version=2)
PIP_CLAIM_ID = UUID("6a0a3c1e-0000-4000-8000-0000000000f1")
OTHER_CLAIM_ID = UUID("6a0a3c1e-0000-4000-8000-0000000000f2")

BORN = date(2010, 3, 12)
SIXTEEN = date(2026, 3, 12)  # the invitation: claim by 8 April
DLA_STARTS = date(
    2016, 1, 6
)  # pay days 2026: 21 Jan, 18 Feb, 18 Mar, 15 Apr, 13 May, 10 Jun, 8 Jul
STARTED = date(2026, 1, 5)
CLAIM_BY = date(2026, 4, 8)
FIRST_WINDOW_CLOSES = date(2026, 4, 9)  # suspended from 15 April, second notice: claim by 6 May
SUSPENDED_FROM = date(2026, 4, 15)
SECOND_CLAIM_BY = date(2026, 5, 6)
SECOND_WINDOW_CLOSES = date(2026, 5, 7)
CLAIMED_IN_TIME = date(2026, 3, 20)
DECIDED_ON = date(2026, 6, 1)  # next pay day 10 June: DLA ends 7 July, PIP from 8 July
DLA_LAST_DAY = date(2026, 7, 7)
PIP_STARTS = date(2026, 7, 8)

# A young child: reviews at 7 (15 June 2022) and 14 (15 June 2029); invited on 15 June 2031.
YOUNG_BORN = date(2015, 6, 15)
YOUNG_STARTED = date(2021, 1, 4)


def start(
    *,
    today: date = STARTED,
    born: date = BORN,
    dla_starts: date = DLA_STARTS,
    dla_ends: date | None = None,
    special_rules: bool = False,
    condition: DisablingCondition = DisablingCondition.OTHER,
    region: Region = Region.GREAT_BRITAIN,
    has_appointee: bool = False,
    deceased: bool = False,
) -> DlaToPipTransition:
    """A transition started from a child DLA award of 70 pounds a week."""
    return DlaToPipTransition.start(
        customer=CUSTOMER,
        date_of_birth=born,
        nino=NINO,
        deceased=deceased,
        has_appointee=has_appointee,
        dla=ChildDlaAward(
            claim_id=DLA_CLAIM_ID,
            starts_on=dla_starts,
            ends_on=dla_ends,
            weekly_pence=7_000,
            special_rules=special_rules,
            condition=condition,
        ),
        dla_award_event=DLA_AWARD_EVENT,
        region=region,
        today=today,
    )


def young() -> DlaToPipTransition:
    """A transition started for a five-year-old, with both age reviews ahead."""
    return start(today=YOUNG_STARTED, born=YOUNG_BORN)


def pending(transition: DlaToPipTransition) -> list[tuple[str, date]]:
    """The pending deadlines as (action, fires_on), earliest first."""
    return sorted((d.action, d.fires_on) for d in transition.pending_deadlines.values())


def the_deadline(transition: DlaToPipTransition, action: str) -> Deadline:
    """The earliest pending deadline with an action."""
    deadlines = [d for d in transition.pending_deadlines.values() if d.action == action]
    return min(deadlines, key=lambda d: d.fires_on)


def new_events(transition: DlaToPipTransition, change: Callable[[], object]) -> list[Any]:
    """The events a change appends."""
    before = len(transition.pending_events)
    change()
    return list(transition.pending_events[before:])


def stage_of(transition: DlaToPipTransition) -> TransitionStage:
    """The stage now (read through a call, so a type checker does not keep an earlier one)."""
    return transition.stage


def names(events: list[Any]) -> list[str]:
    return [type(e).__name__ for e in events]


def fire(transition: DlaToPipTransition, action: str, today: date) -> list[Any]:
    """Fire the pending deadline with this action; the events it appended."""
    deadline = the_deadline(transition, action)
    fired: list[bool] = []
    events = new_events(
        transition, lambda: fired.append(transition.fire_deadline(deadline.deadline_id, today))
    )
    assert fired == [True]
    return events


def invited() -> DlaToPipTransition:
    transition = start()
    fire(transition, Action.INVITE, SIXTEEN)
    return transition


def claimed_in_time() -> DlaToPipTransition:
    transition = invited()
    transition.record_pip_claim(
        claim_id=PIP_CLAIM_ID, claim_date=CLAIMED_IN_TIME, today=CLAIMED_IN_TIME
    )
    return transition


def suspended() -> DlaToPipTransition:
    transition = invited()
    fire(transition, Action.CLOSE_FIRST_WINDOW, FIRST_WINDOW_CLOSES)
    return transition


def claim(transition: DlaToPipTransition, claim_date: date, claim_id: UUID = PIP_CLAIM_ID) -> None:
    """A PIP claim made by the young person, recorded on its date."""
    assert transition.takes_pip_claim(claim_date, ClaimantRole.CUSTOMER)
    transition.record_pip_claim(claim_id=claim_id, claim_date=claim_date, today=claim_date)


def determine(
    transition: DlaToPipTransition,
    decided_on: date,
    *,
    determination: Determination = Determination.DECIDED,
    awarded: bool = True,
    pip_weekly: int | None = 10_000,
    today: date | None = None,
    claim_id: UUID = PIP_CLAIM_ID,
) -> None:
    """Record DLA's end as the service does when the PIP claim is determined."""
    decided = transition.dla_end_on_determination(
        determination=determination,
        decided_on=decided_on,
        pip_awarded=awarded,
        pip_weekly_pence=pip_weekly,
        claim_event=EventRef(aggregate_id=claim_id, version=5),
    )
    assert rerun(decided.record).reproduces
    transition.record_dla_end(claim_id, decided_on, decided, today or decided_on)


def negative_determination(transition: DlaToPipTransition, on: date = DECIDED_ON) -> None:
    determine(
        transition,
        on,
        determination=Determination.NEGATIVE_DETERMINATION,
        awarded=False,
        pip_weekly=None,
    )


def decision_of(event: Any, field: str = "decision") -> Decision:
    decision = getattr(event, field)
    assert isinstance(decision, Decision)
    assert rerun(decision).reproduces
    return decision


# -- starting --------------------------------------------------------------------------------


def test_a_transition_starts_from_a_child_dla_award_with_its_pay_cycle_plan_and_reviews() -> None:
    transition = start()
    assert transition.id == transition_id_for(CUSTOMER.aggregate_id)
    assert transition.stage is TransitionStage.AWAITING_INVITATION
    assert transition.sixteenth_birthday == SIXTEEN
    assert transition.pay_cycle.weekday is Weekday.WEDNESDAY
    assert transition.pay_cycle.first_pay_day == DLA_STARTS
    assert transition.plan.invite_on == SIXTEEN
    assert transition.age_reviews.reviews == ()
    assert event_names(transition) == ["Started", "DeadlineSet"]
    started = transition.pending_events[0]
    assert isinstance(started, DlaToPipTransition.Started)
    rules = [
        decision_of(started, f).rule_id for f in ("pay_cycle", "invitation_plan", "age_reviews")
    ]
    assert rules == ["dla.pay_schedule", "dla_pip.invitation_date", "dla_child.age_reviews"]
    assert started.pay_cycle.input_sources == {
        "nino_digits": CUSTOMER,
        "dla_award": DLA_AWARD_EVENT,
    }
    assert started.pay_cycle.inputs == {"nino_digits": "56", "award_starts_on": "2016-01-06"}


def test_starting_sets_the_invitation_deadline_on_the_16th_birthday() -> None:
    transition = start()
    assert pending(transition) == [(Action.INVITE, SIXTEEN)]
    deadline = the_deadline(transition, Action.INVITE)
    set_event = transition.pending_events[1]
    assert isinstance(set_event, WithDeadlines.DeadlineSet)
    assert set_event.deadline == deadline
    assert set_event.effective_date == STARTED


def test_a_transition_started_after_the_invitation_date_invites_the_same_day() -> None:
    transition = start(today=date(2026, 3, 20))
    assert pending(transition) == [(Action.INVITE, date(2026, 3, 20))]


def test_special_rules_dla_sets_the_invitation_20_weeks_before_the_award_ends() -> None:
    transition = start(special_rules=True, dla_ends=date(2026, 12, 31))
    assert transition.plan.basis is InvitationBasis.SPECIAL_RULES_AWARD_END
    assert pending(transition) == [(Action.INVITE, date(2026, 8, 13))]


def test_in_northern_ireland_letters_before_16_are_set_as_deadlines() -> None:
    transition = start(today=date(2025, 1, 6), region=Region.NORTHERN_IRELAND)
    assert pending(transition) == [
        (Action.INVITE, SIXTEEN),
        (Action.PRE_16_LETTER, date(2025, 10, 12)),
        (Action.PRE_16_LETTER, date(2026, 1, 12)),
    ]


def test_a_letter_before_16_whose_day_has_passed_is_not_set() -> None:
    transition = start(today=date(2025, 10, 13), region=Region.NORTHERN_IRELAND)
    assert pending(transition) == [
        (Action.INVITE, SIXTEEN),
        (Action.PRE_16_LETTER, date(2026, 1, 12)),
    ]
    on_the_day = start(today=date(2025, 10, 12), region=Region.NORTHERN_IRELAND)
    assert [a for a, _ in pending(on_the_day)].count(Action.PRE_16_LETTER) == 2


def test_in_great_britain_no_letter_goes_before_16() -> None:
    assert pending(start(today=date(2025, 1, 6))) == [(Action.INVITE, SIXTEEN)]


def test_a_young_childs_transition_sets_age_reviews_at_7_and_14() -> None:
    transition = young()
    assert pending(transition) == [
        (Action.AGE_REVIEW, date(2022, 6, 15)),
        (Action.AGE_REVIEW, date(2029, 6, 15)),
        (Action.INVITE, date(2031, 6, 15)),
    ]


@pytest.mark.parametrize("condition", [DisablingCondition.ADHD, DisablingCondition.AUTISM])
def test_no_age_review_is_set_for_an_adhd_or_autism_award(condition: DisablingCondition) -> None:
    transition = start(today=YOUNG_STARTED, born=YOUNG_BORN, condition=condition)
    assert pending(transition) == [(Action.INVITE, date(2031, 6, 15))]


def test_an_award_starting_on_the_16th_birthday_is_not_a_child_award() -> None:
    with pytest.raises(NotAChildDlaRecipient, match="on or after the 16th birthday"):
        start(dla_starts=SIXTEEN, today=SIXTEEN)


def test_an_award_starting_the_day_before_the_16th_birthday_is_a_child_award() -> None:
    transition = start(dla_starts=date(2026, 3, 11), today=date(2026, 3, 11))
    assert transition.stage is TransitionStage.AWAITING_INVITATION


def test_a_young_person_of_18_is_an_adult_dla_case_not_a_transition() -> None:
    # Born 12 March 2010: 18 on 12 March 2028, still 17 the day before.
    assert start(today=date(2028, 3, 11)).stage is TransitionStage.AWAITING_INVITATION
    with pytest.raises(NotAChildDlaRecipient, match="aged 18 on 2028-03-12"):
        start(today=date(2028, 3, 12))


def test_an_award_that_has_not_started_yet_is_refused() -> None:
    with pytest.raises(NotAChildDlaRecipient, match="not in payment on 2026-01-05"):
        start(dla_starts=date(2026, 1, 6))


def test_an_award_that_ended_before_today_is_refused() -> None:
    with pytest.raises(NotAChildDlaRecipient, match="not in payment on 2026-01-05"):
        start(dla_ends=date(2026, 1, 4))


def test_an_award_ending_today_is_still_in_payment() -> None:
    assert start(dla_ends=STARTED).dla.ends_on == STARTED


def test_no_transition_starts_for_a_customer_whose_death_was_notified() -> None:
    with pytest.raises(CustomerDeceased):
        start(deceased=True)


# -- firing deadlines ------------------------------------------------------------------------


def due_pre_16_letter() -> tuple[DlaToPipTransition, str, date]:
    return (
        start(today=date(2025, 12, 1), region=Region.NORTHERN_IRELAND),
        (Action.PRE_16_LETTER),
        date(2026, 1, 12),
    )


def due_invitation() -> tuple[DlaToPipTransition, str, date]:
    return start(), Action.INVITE, SIXTEEN


def due_first_window() -> tuple[DlaToPipTransition, str, date]:
    return invited(), Action.CLOSE_FIRST_WINDOW, FIRST_WINDOW_CLOSES


def due_second_window() -> tuple[DlaToPipTransition, str, date]:
    return suspended(), Action.CLOSE_SECOND_WINDOW, SECOND_WINDOW_CLOSES


def due_dla_end() -> tuple[DlaToPipTransition, str, date]:
    transition = claimed_in_time()
    determine(transition, DECIDED_ON)
    return transition, Action.END_DLA, PIP_STARTS


def due_age_review() -> tuple[DlaToPipTransition, str, date]:
    return young(), Action.AGE_REVIEW, date(2022, 6, 15)


DUE = [
    due_pre_16_letter,
    due_invitation,
    due_first_window,
    due_second_window,
    due_dla_end,
    due_age_review,
]


@pytest.mark.parametrize("due", DUE, ids=lambda f: f.__name__)
def test_a_deadline_fires_once_and_a_second_firing_appends_nothing(
    due: Callable[[], tuple[DlaToPipTransition, str, date]],
) -> None:
    transition, action, fires_on = due()
    deadline = the_deadline(transition, action)
    assert deadline.fires_on == fires_on
    events = new_events(
        transition, lambda: transition.fire_deadline(deadline.deadline_id, fires_on)
    )
    assert isinstance(events[0], WithDeadlines.DeadlineFired)
    assert events[0].deadline_id == deadline.deadline_id
    assert events[0].fires_on == fires_on
    assert len(events) > 1, "the action did something"
    assert deadline.deadline_id not in transition.pending_deadlines
    version = transition.version
    assert transition.fire_deadline(deadline.deadline_id, fires_on + timedelta(days=3)) is False
    assert transition.version == version


@pytest.mark.parametrize("due", DUE, ids=lambda f: f.__name__)
def test_a_deadline_does_not_fire_the_day_before_it_is_due(
    due: Callable[[], tuple[DlaToPipTransition, str, date]],
) -> None:
    transition, action, fires_on = due()
    deadline = the_deadline(transition, action)
    with refused(transition, DeadlineNotDue, match=f"fires on {fires_on.isoformat()}"):
        transition.fire_deadline(deadline.deadline_id, fires_on - timedelta(days=1))


def test_a_deadline_the_transition_never_set_does_not_fire() -> None:
    transition = start()
    assert transition.fire_deadline(uuid.uuid4(), SIXTEEN) is False
    assert event_names(transition) == ["Started", "DeadlineSet"]


def test_a_deadline_fired_late_takes_effect_from_the_day_it_runs() -> None:
    transition = start()
    events = fire(transition, Action.INVITE, date(2026, 3, 16))
    assert names(events) == ["DeadlineFired", "InvitationIssued", "DeadlineSet"]
    assert transition.invited_on == date(2026, 3, 16)
    assert transition.claim_by == date(2026, 4, 12)


def test_a_letter_before_16_is_recorded_when_its_deadline_fires() -> None:
    transition, _, _ = due_pre_16_letter()
    events = fire(transition, Action.PRE_16_LETTER, date(2026, 1, 12))
    assert names(events) == ["DeadlineFired", "Pre16LetterSent"]
    assert events[1].effective_date == date(2026, 1, 12)
    assert transition.stage is TransitionStage.AWAITING_INVITATION


# -- on time: invitation, claim, decision, DLA's end ----------------------------------------


def test_the_invitation_opens_a_28_day_window_closing_after_8_april() -> None:
    transition = start()
    events = fire(transition, Action.INVITE, SIXTEEN)
    assert names(events) == ["DeadlineFired", "InvitationIssued", "DeadlineSet"]
    issued = events[1]
    assert issued.claim_by == CLAIM_BY
    assert decision_of(issued).rule_id == "dla_pip.invitation"
    assert decision_of(issued, "window").outcome == {"claim_by": "2026-04-08"}
    assert transition.stage is TransitionStage.INVITED
    assert transition.invited_on == SIXTEEN
    assert pending(transition) == [(Action.CLOSE_FIRST_WINDOW, FIRST_WINDOW_CLOSES)]


def test_the_on_time_path_ends_dla_the_day_before_pip_starts() -> None:
    transition = invited()
    events = new_events(transition, lambda: claim(transition, CLAIMED_IN_TIME))
    assert names(events) == ["DeadlineCancelled", "PipClaimed"]
    assert events[0].reason == "PIP claimed in time"
    assert events[1].claimed_in is ClaimedIn.FIRST_WINDOW
    assert stage_of(transition) is TransitionStage.PIP_CLAIMED
    assert transition.pip_claim_id == PIP_CLAIM_ID
    assert pending(transition) == []
    assert transition.plans_dla_end_for(PIP_CLAIM_ID)
    assert not transition.plans_dla_end_for(OTHER_CLAIM_ID)

    events = new_events(transition, lambda: determine(transition, DECIDED_ON))
    assert names(events) == ["DlaEndDecided", "DeadlineSet"]
    assert events[0].dla_ends_on == DLA_LAST_DAY
    assert events[0].pip_starts_on == PIP_STARTS
    assert decision_of(events[0]).rule_id == "dla_pip.dla_end_date"
    assert stage_of(transition) is TransitionStage.DLA_ENDING
    assert transition.dla_end_basis is DlaEndBasis.AFTER_PIP_DECISION
    assert pending(transition) == [(Action.END_DLA, PIP_STARTS)]

    events = fire(transition, Action.END_DLA, PIP_STARTS)
    assert names(events) == ["DeadlineFired", "DlaEnded"]
    assert events[1].effective_date == DLA_LAST_DAY
    assert stage_of(transition) is TransitionStage.COMPLETED
    assert transition.pip_starts_on == PIP_STARTS
    assert pending(transition) == []


def test_a_claim_on_the_last_day_of_the_window_is_in_time() -> None:
    transition = invited()
    claim(transition, CLAIM_BY)
    assert transition.claimed_in is ClaimedIn.FIRST_WINDOW
    assert transition.suspended_from is None


def test_pip_not_awarded_still_ends_dla_with_nothing_after_it() -> None:
    transition = claimed_in_time()
    determine(transition, DECIDED_ON, awarded=False, pip_weekly=None)
    assert transition.dla_ends_on == DLA_LAST_DAY
    assert transition.pip_starts_on is None
    fire(transition, Action.END_DLA, PIP_STARTS)
    assert transition.stage is TransitionStage.COMPLETED


def test_a_decision_recorded_after_dlas_last_day_ends_dla_at_once() -> None:
    transition = claimed_in_time()
    events = new_events(
        transition, lambda: determine(transition, DECIDED_ON, today=date(2026, 7, 10))
    )
    assert names(events) == ["DlaEndDecided", "DlaEnded"]
    assert transition.stage is TransitionStage.COMPLETED
    assert pending(transition) == []


def test_special_rules_with_more_pip_than_dla_ends_dla_on_the_first_tuesday() -> None:
    transition = start(special_rules=True)  # no end date: invited at 16
    fire(transition, Action.INVITE, SIXTEEN)
    claim(transition, CLAIMED_IN_TIME)
    determine(transition, DECIDED_ON, pip_weekly=18_000)  # Monday 1 June: Tuesday 2 June
    assert transition.dla_ends_on == date(2026, 6, 2)
    assert transition.pip_starts_on == date(2026, 6, 3)
    assert transition.dla_end_basis is DlaEndBasis.TERMINAL_ILLNESS


def test_dlas_end_is_refused_for_a_claim_that_is_not_the_journeys_own() -> None:
    transition = claimed_in_time()
    decided = transition.dla_end_on_determination(
        determination=Determination.DECIDED,
        decided_on=DECIDED_ON,
        pip_awarded=True,
        pip_weekly_pence=10_000,
        claim_event=EventRef(aggregate_id=OTHER_CLAIM_ID, version=5),
    )
    with refused(transition, ClaimHistoryInconsistent):
        transition.record_dla_end(OTHER_CLAIM_ID, DECIDED_ON, decided, DECIDED_ON)


# -- no claim: suspension, second notice, termination ----------------------------------------


def test_no_claim_by_the_deadline_suspends_dla_from_the_next_pay_day_and_sends_a_notice() -> None:
    transition = invited()
    events = fire(transition, Action.CLOSE_FIRST_WINDOW, FIRST_WINDOW_CLOSES)
    assert names(events) == ["DeadlineFired", "DlaSuspended", "SecondNoticeSent", "DeadlineSet"]
    suspension, notice = events[1], events[2]
    assert suspension.effective_date == SUSPENDED_FROM
    assert decision_of(suspension).rule_id == "dla_pip.suspension"
    assert decision_of(suspension).inputs["no_claim_after"] == "2026-04-08"
    assert notice.effective_date == FIRST_WINDOW_CLOSES
    assert notice.claim_by == SECOND_CLAIM_BY
    assert decision_of(notice, "window").rule_id == "dla_pip.claim_window"
    assert transition.stage is TransitionStage.DLA_SUSPENDED
    assert transition.suspended_from == SUSPENDED_FROM
    assert pending(transition) == [(Action.CLOSE_SECOND_WINDOW, SECOND_WINDOW_CLOSES)]


def test_still_no_claim_after_the_second_notice_ends_dla_the_day_before_its_suspension() -> None:
    transition = suspended()
    events = fire(transition, Action.CLOSE_SECOND_WINDOW, SECOND_WINDOW_CLOSES)
    assert names(events) == ["DeadlineFired", "DlaTerminated"]
    assert events[1].effective_date == date(2026, 4, 14)
    assert decision_of(events[1]).rule_id == "dla_pip.termination"
    assert transition.stage is TransitionStage.DLA_ENDED_NO_CLAIM
    assert transition.dla_ends_on == date(2026, 4, 14)
    assert pending(transition) == []
    assert not transition.takes_pip_claim(date(2026, 5, 8), ClaimantRole.CUSTOMER)


def test_a_late_claim_before_the_deadline_fired_suspends_from_the_rules_day_then_restarts() -> None:
    transition = invited()
    assert transition.takes_pip_claim(date(2026, 4, 20), ClaimantRole.CUSTOMER)
    events = new_events(
        transition,
        lambda: transition.record_pip_claim(
            claim_id=PIP_CLAIM_ID, claim_date=date(2026, 4, 20), today=date(2026, 4, 21)
        ),
    )
    assert names(events) == ["DeadlineCancelled", "DlaSuspended", "PipClaimed", "DlaRestarted"]
    assert events[1].effective_date == SUSPENDED_FROM
    assert events[2].claimed_in is ClaimedIn.LATE
    restart = events[3]
    assert restart.effective_date == date(2026, 4, 20)
    assert (restart.unpaid_from, restart.unpaid_to) == (SUSPENDED_FROM, date(2026, 4, 19))
    assert decision_of(restart).rule_id == "dla_pip.restart"
    assert transition.stage is TransitionStage.PIP_CLAIMED
    assert transition.restarted_on == date(2026, 4, 20)
    assert pending(transition) == []


def test_a_claim_in_the_second_window_restarts_dla_without_back_pay() -> None:
    transition = suspended()
    events = new_events(transition, lambda: claim(transition, date(2026, 4, 20)))
    assert names(events) == ["DeadlineCancelled", "PipClaimed", "DlaRestarted"]
    assert events[1].claimed_in is ClaimedIn.LATE
    assert (events[2].unpaid_from, events[2].unpaid_to) == (SUSPENDED_FROM, date(2026, 4, 19))
    assert transition.stage is TransitionStage.PIP_CLAIMED
    assert pending(transition) == []


def test_a_claim_in_the_second_window_before_the_suspension_day_leaves_no_gap() -> None:
    transition = suspended()
    events = new_events(transition, lambda: claim(transition, date(2026, 4, 12)))
    restart = events[-1]
    assert restart.effective_date == SUSPENDED_FROM
    assert (restart.unpaid_from, restart.unpaid_to) == (None, None)


def test_a_claim_on_the_last_day_of_the_second_window_is_taken() -> None:
    transition = suspended()
    claim(transition, SECOND_CLAIM_BY)
    assert transition.stage is TransitionStage.PIP_CLAIMED


def test_a_claim_after_the_second_deadline_is_not_the_journeys() -> None:
    transition = suspended()
    assert not transition.takes_pip_claim(SECOND_WINDOW_CLOSES, ClaimantRole.CUSTOMER)


def test_a_claim_dated_before_the_invitation_was_sent_is_refused() -> None:
    transition = start(special_rules=True, dla_ends=date(2026, 12, 31))
    fire(transition, Action.INVITE, date(2026, 8, 13))
    with refused(transition, ClaimBeforeInvitation, match="before the PIP invitation"):
        transition.takes_pip_claim(date(2026, 8, 12), ClaimantRole.CUSTOMER)


def test_a_claim_dated_before_the_16th_birthday_is_refused() -> None:
    transition = start()
    with refused(transition, ClaimBeforeInvitation, match="before the 16th birthday"):
        transition.takes_pip_claim(date(2026, 3, 11), ClaimantRole.CUSTOMER)


def test_a_claim_from_16_before_the_invitation_cancels_it() -> None:
    transition = start()
    events = new_events(transition, lambda: claim(transition, SIXTEEN))
    assert names(events) == ["DeadlineCancelled", "PipClaimed"]
    assert events[1].claimed_in is ClaimedIn.BEFORE_INVITATION
    assert pending(transition) == []


def test_a_second_claim_while_one_is_live_is_not_the_journeys() -> None:
    transition = claimed_in_time()
    assert not transition.takes_pip_claim(date(2026, 3, 25), ClaimantRole.CUSTOMER)
    with refused(transition, ClaimHistoryInconsistent):
        transition.record_pip_claim(
            claim_id=OTHER_CLAIM_ID, claim_date=date(2026, 3, 25), today=date(2026, 3, 25)
        )


# -- appointees ------------------------------------------------------------------------------


def test_a_dla_appointee_cannot_claim_pip_until_someone_is_appointed_for_pip() -> None:
    transition = start(has_appointee=True)
    assert transition.appointee_needed
    with refused(transition, AppointeeNotCarriedOver, match="does not carry over"):
        transition.takes_pip_claim(SIXTEEN, ClaimantRole.APPOINTEE)
    assert transition.takes_pip_claim(SIXTEEN, ClaimantRole.CUSTOMER)
    events = new_events(transition, lambda: transition.appoint_for_pip(SIXTEEN))
    assert names(events) == ["NewAppointeeAppointed"]
    assert not transition.appointee_needed
    assert transition.takes_pip_claim(SIXTEEN, ClaimantRole.APPOINTEE)


def test_an_appointment_for_pip_before_16_is_refused() -> None:
    transition = start(has_appointee=True)
    with refused(transition, AppointeeNotCarriedOver, match="before the 16th birthday"):
        transition.appoint_for_pip(date(2026, 3, 11))


def test_an_appointment_made_before_16_elsewhere_does_not_count_for_pip() -> None:
    transition = start(has_appointee=True)
    assert not new_events(transition, lambda: transition.new_appointee_appointed(date(2026, 3, 11)))
    assert transition.appointee_needed
    assert names(new_events(transition, lambda: transition.new_appointee_appointed(SIXTEEN))) == [
        "NewAppointeeAppointed"
    ]
    assert not transition.appointee_needed


def test_no_appointee_is_needed_once_that_is_recorded_with_a_reason() -> None:
    transition = start(has_appointee=True)
    with refused(transition, MissingDescription, match="reason"):
        transition.record_appointee_not_needed("  ", SIXTEEN)
    transition.record_appointee_not_needed("will manage PIP alone", SIXTEEN)
    assert not transition.appointee_needed


# -- hospital --------------------------------------------------------------------------------


def test_in_hospital_on_the_16th_birthday_the_invitation_is_deferred_until_discharge() -> None:
    transition = start()
    transition.record_hospital_admission(date(2026, 3, 1))
    events = fire(transition, Action.INVITE, SIXTEEN)
    assert names(events) == ["DeadlineFired", "InvitationDeferred"]
    assert decision_of(events[1]).outcome == {"send": False, "deferred_until_discharge": True}
    assert transition.stage is TransitionStage.INVITATION_DEFERRED
    assert pending(transition) == []

    events = new_events(
        transition,
        lambda: transition.record_hospital_discharge(date(2026, 3, 25), date(2026, 3, 26)),
    )
    assert names(events) == ["HospitalDischargeRecorded", "DeadlineSet"]
    assert pending(transition) == [(Action.INVITE, date(2026, 3, 26))]

    events = fire(transition, Action.INVITE, date(2026, 3, 26))
    assert names(events) == ["DeadlineFired", "InvitationIssued", "DeadlineSet"]
    assert transition.invited_on == date(2026, 3, 26)
    assert transition.claim_by == date(2026, 4, 22)


def test_a_discharge_recorded_on_the_day_invites_that_day() -> None:
    transition = start()
    transition.record_hospital_admission(date(2026, 3, 1))
    fire(transition, Action.INVITE, SIXTEEN)
    transition.record_hospital_discharge(date(2026, 3, 25), date(2026, 3, 25))
    assert pending(transition) == [(Action.INVITE, date(2026, 3, 25))]


def test_discharged_before_the_16th_birthday_the_invitation_goes_at_16() -> None:
    transition = start()
    transition.record_hospital_admission(date(2026, 3, 1))
    events = new_events(
        transition,
        lambda: transition.record_hospital_discharge(date(2026, 3, 10), date(2026, 3, 10)),
    )
    assert names(events) == ["HospitalDischargeRecorded"]
    assert names(fire(transition, Action.INVITE, SIXTEEN))[1] == "InvitationIssued"


def test_an_admission_after_the_16th_birthday_does_not_defer_the_invitation() -> None:
    transition = start()
    transition.record_hospital_admission(date(2026, 3, 13))
    events = fire(transition, Action.INVITE, date(2026, 3, 14))
    assert names(events)[1] == "InvitationIssued"


def test_a_hospital_stay_after_the_invitation_is_not_relevant() -> None:
    transition = invited()
    with refused(transition, HospitalStayNotRelevant, match="already sent"):
        transition.record_hospital_admission(date(2026, 3, 20))


def test_hospital_dates_that_do_not_make_a_stay_are_refused() -> None:
    transition = start()
    with refused(transition, InvalidHospitalDates, match="no hospital stay"):
        transition.record_hospital_discharge(date(2026, 3, 1), date(2026, 3, 1))
    transition.record_hospital_admission(date(2026, 3, 1))
    with refused(transition, InvalidHospitalDates, match="already in hospital"):
        transition.record_hospital_admission(date(2026, 3, 2))
    with refused(transition, InvalidHospitalDates, match="before the admission"):
        transition.record_hospital_discharge(date(2026, 2, 28), date(2026, 3, 2))


# -- withdrawal ------------------------------------------------------------------------------


def test_withdrawing_a_claim_made_before_the_invitation_sets_the_invitation_again() -> None:
    transition = start()
    claim(transition, SIXTEEN)
    events = new_events(
        transition,
        lambda: transition.pip_claim_withdrawn(PIP_CLAIM_ID, date(2026, 3, 15), date(2026, 3, 15)),
    )
    assert names(events) == ["PipClaimWithdrawn", "DeadlineSet"]
    assert events[0].returned_to is TransitionStage.AWAITING_INVITATION
    assert transition.stage is TransitionStage.AWAITING_INVITATION
    assert transition.pip_claim_id is None
    assert pending(transition) == [(Action.INVITE, date(2026, 3, 15))]


def test_withdrawing_a_claim_in_the_first_window_reopens_it_to_the_same_deadline() -> None:
    transition = claimed_in_time()
    events = new_events(
        transition,
        lambda: transition.pip_claim_withdrawn(PIP_CLAIM_ID, date(2026, 3, 25), date(2026, 3, 25)),
    )
    assert events[0].returned_to is TransitionStage.INVITED
    assert transition.stage is TransitionStage.INVITED
    assert transition.claim_by == CLAIM_BY
    assert pending(transition) == [(Action.CLOSE_FIRST_WINDOW, FIRST_WINDOW_CLOSES)]


def test_withdrawing_after_the_first_deadline_closes_the_window_today_from_the_rules_day() -> None:
    transition = claimed_in_time()
    transition.pip_claim_withdrawn(PIP_CLAIM_ID, date(2026, 4, 20), date(2026, 4, 20))
    assert pending(transition) == [(Action.CLOSE_FIRST_WINDOW, date(2026, 4, 20))]
    events = fire(transition, Action.CLOSE_FIRST_WINDOW, date(2026, 4, 20))
    assert events[1].effective_date == SUSPENDED_FROM
    assert transition.second_claim_by == date(2026, 5, 17)


def test_withdrawing_a_claim_from_the_second_window_suspends_dla_again() -> None:
    transition = suspended()
    claim(transition, date(2026, 4, 20))
    events = new_events(
        transition,
        lambda: transition.pip_claim_withdrawn(PIP_CLAIM_ID, date(2026, 4, 25), date(2026, 4, 25)),
    )
    assert names(events) == ["PipClaimWithdrawn", "DlaSuspended", "DeadlineSet"]
    assert events[0].returned_to is TransitionStage.DLA_SUSPENDED
    assert events[1].effective_date == date(2026, 5, 13)
    assert transition.stage is TransitionStage.DLA_SUSPENDED
    assert transition.restarted_on is None
    assert pending(transition) == [(Action.CLOSE_SECOND_WINDOW, SECOND_WINDOW_CLOSES)]


def test_withdrawing_a_late_claim_made_before_any_second_notice_sends_one_now() -> None:
    transition = invited()
    claim(transition, date(2026, 4, 20))  # late, before the first deadline fired
    assert transition.second_claim_by is None
    events = new_events(
        transition,
        lambda: transition.pip_claim_withdrawn(PIP_CLAIM_ID, date(2026, 4, 25), date(2026, 4, 25)),
    )
    assert names(events) == [
        "PipClaimWithdrawn",
        "DlaSuspended",
        "SecondNoticeSent",
        "DeadlineSet",
    ]
    assert events[1].effective_date == date(2026, 5, 13)
    assert events[2].claim_by == date(2026, 5, 22)
    assert decision_of(events[2], "window").inputs["notice"] == "second_notice"
    assert pending(transition) == [(Action.CLOSE_SECOND_WINDOW, date(2026, 5, 23))]
    events = fire(transition, Action.CLOSE_SECOND_WINDOW, date(2026, 5, 23))
    assert names(events) == ["DeadlineFired", "DlaTerminated"]
    assert transition.dla_ends_on == date(2026, 5, 12)


def test_withdrawing_a_claim_the_journey_does_not_follow_changes_nothing() -> None:
    transition = claimed_in_time()
    assert not new_events(
        transition,
        lambda: transition.pip_claim_withdrawn(
            OTHER_CLAIM_ID, date(2026, 3, 25), date(2026, 3, 25)
        ),
    )


# -- negative determination and good reason --------------------------------------------------


def test_a_negative_determination_ends_dla_14_days_from_the_next_pay_day() -> None:
    transition = claimed_in_time()
    events = new_events(transition, lambda: negative_determination(transition))
    assert names(events) == ["DlaEndDecided", "DeadlineSet"]
    assert events[0].dla_ends_on == date(2026, 6, 23)
    assert events[0].pip_starts_on is None
    assert transition.dla_end_basis is DlaEndBasis.NEGATIVE_DETERMINATION
    assert pending(transition) == [(Action.END_DLA, date(2026, 6, 24))]


def test_a_good_reason_before_dlas_last_day_reinstates_it_without_arrears() -> None:
    transition = claimed_in_time()
    negative_determination(transition)
    events = new_events(
        transition,
        lambda: transition.good_reason_accepted(PIP_CLAIM_ID, date(2026, 6, 15), date(2026, 6, 15)),
    )
    assert names(events) == ["DeadlineCancelled", "DlaReinstated"]
    assert events[1].arrears_from is None
    assert decision_of(events[1]).rule_id == "dla_pip.reinstatement"
    assert transition.stage is TransitionStage.PIP_CLAIMED
    assert transition.dla_ends_on is None
    assert pending(transition) == []

    determine(transition, date(2026, 7, 1))  # next pay day 8 July: DLA ends 4 August
    assert transition.dla_ends_on == date(2026, 8, 4)
    assert transition.pip_starts_on == date(2026, 8, 5)


def test_a_good_reason_after_dla_ended_reinstates_it_with_arrears() -> None:
    transition = claimed_in_time()
    negative_determination(transition)
    fire(transition, Action.END_DLA, date(2026, 6, 24))
    assert transition.stage is TransitionStage.COMPLETED
    events = new_events(
        transition,
        lambda: transition.good_reason_accepted(PIP_CLAIM_ID, date(2026, 7, 1), date(2026, 7, 1)),
    )
    assert names(events) == ["DlaReinstated"]
    assert events[0].arrears_from == date(2026, 6, 24)
    assert stage_of(transition) is TransitionStage.PIP_CLAIMED


def test_a_good_reason_changes_nothing_after_an_ordinary_decision_or_for_another_claim() -> None:
    transition = claimed_in_time()
    negative_determination(transition)
    assert not new_events(
        transition,
        lambda: transition.good_reason_accepted(OTHER_CLAIM_ID, date(2026, 6, 15), DECIDED_ON),
    )
    decided = claimed_in_time()
    determine(decided, DECIDED_ON)
    assert not new_events(
        decided,
        lambda: decided.good_reason_accepted(PIP_CLAIM_ID, date(2026, 6, 15), DECIDED_ON),
    )


# -- death -----------------------------------------------------------------------------------


def test_death_closes_the_journey_and_cancels_every_pending_deadline() -> None:
    transition = young()
    deadline_ids = set(transition.pending_deadlines)
    assert len(deadline_ids) == 3
    events = new_events(
        transition, lambda: transition.close_on_death(date(2021, 2, 1), date(2021, 2, 3))
    )
    assert names(events) == ["DeadlineCancelled"] * 3 + ["Closed"]
    assert {e.deadline_id for e in events[:3]} == deadline_ids
    assert events[3].effective_date == date(2021, 2, 1)
    assert transition.stage is TransitionStage.CLOSED
    assert transition.pending_deadlines == {}
    for deadline_id in deadline_ids:
        assert transition.fire_deadline(deadline_id, date(2031, 6, 15)) is False
    assert not new_events(
        transition, lambda: transition.close_on_death(date(2021, 2, 1), date(2021, 2, 4))
    )


def test_after_death_nothing_more_happens_in_the_journey() -> None:
    transition = claimed_in_time()
    decided = transition.dla_end_on_determination(
        determination=Determination.DECIDED,
        decided_on=DECIDED_ON,
        pip_awarded=True,
        pip_weekly_pence=10_000,
        claim_event=EventRef(aggregate_id=PIP_CLAIM_ID, version=5),
    )
    transition.close_on_death(date(2026, 5, 1), date(2026, 5, 2))
    assert not transition.takes_pip_claim(date(2026, 5, 3), ClaimantRole.CUSTOMER)
    with refused(transition, TransitionOver, match="closed"):
        transition.record_dla_end(PIP_CLAIM_ID, DECIDED_ON, decided, DECIDED_ON)
    with refused(transition, TransitionOver):
        transition.appoint_for_pip(date(2026, 5, 3))
    with refused(transition, TransitionOver):
        transition.record_appointee_not_needed("manages alone", date(2026, 5, 3))
    assert not transition.appointee_needed


# -- age reviews -----------------------------------------------------------------------------


def test_an_age_review_falls_due_on_the_birthday_and_is_completed_once() -> None:
    transition = young()
    events = fire(transition, Action.AGE_REVIEW, date(2022, 6, 15))
    assert names(events) == ["DeadlineFired", "AgeReviewDue"]
    assert events[1].age == 7
    assert transition.reviews_due == {7: date(2022, 6, 15)}
    with refused(transition, NoAgeReviewDue, match=r"age 14 is due \(due: 7\)"):
        transition.complete_age_review(14, date(2022, 7, 1), "award continues")
    with refused(transition, MissingDescription, match="outcome"):
        transition.complete_age_review(7, date(2022, 7, 1), " ")
    events = new_events(
        transition, lambda: transition.complete_age_review(7, date(2022, 7, 1), "award continues")
    )
    assert names(events) == ["AgeReviewCompleted"]
    assert events[0].outcome == "award continues"
    assert transition.reviews_due == {}
    with refused(transition, NoAgeReviewDue, match=r"\(due: none\)"):
        transition.complete_age_review(7, date(2022, 7, 2), "again")


def test_no_age_review_can_be_completed_before_one_falls_due() -> None:
    transition = young()
    with refused(transition, NoAgeReviewDue):
        transition.complete_age_review(7, date(2022, 6, 1), "early")


# -- replay --------------------------------------------------------------------------------------


def test_replaying_the_whole_on_time_path_rebuilds_the_same_transition() -> None:
    transition = claimed_in_time()
    determine(transition, DECIDED_ON)
    fire(transition, Action.END_DLA, PIP_STARTS)
    events = transition.collect_events()
    assert replay(events) == transition
    assert replay(through_storage(events)) == transition


TRANSITION_STEPS = (
    "fire",
    "fire",
    "fire",
    "fire_early",
    "advance",
    "admit",
    "discharge",
    "claim",
    "claim",
    "withdraw",
    "decide",
    "negative_determination",
    "good_reason",
    "appoint",
    "appointee_not_needed",
    "complete_review",
    "death",
)


@dataclass
class Calendar:
    """The generated journey's 'today', and how many claims it has made."""

    today: date
    claims: int = 0


def transition_step(draw: st.DrawFn, journey: Journey, name: str, calendar: Calendar) -> None:
    """Run one generated step on the transition, as the services would."""
    transition = cast(DlaToPipTransition, journey.aggregate)

    def later(most: int) -> date:
        calendar.today += timedelta(days=draw(st.integers(0, most)))
        return calendar.today

    today = calendar.today
    command: Callable[[], None]
    if name in {"fire", "fire_early"}:
        if not transition.pending_deadlines:
            return
        deadline = min(transition.pending_deadlines.values(), key=lambda d: (d.fires_on, d.action))
        if name == "fire":
            calendar.today = max(today, deadline.fires_on)
            on = later(3)
        else:
            on = deadline.fires_on - timedelta(days=1)

        def command() -> None:
            transition.fire_deadline(deadline.deadline_id, on)

    elif name == "advance":
        calendar.today += timedelta(days=draw(st.integers(1, 60)))
        return
    elif name == "admit":
        admitted = today - timedelta(days=draw(st.integers(0, 30)))

        def command() -> None:
            transition.record_hospital_admission(admitted)

    elif name == "discharge":
        today = later(20)
        discharged = today - timedelta(days=draw(st.integers(0, 5)))

        def command() -> None:
            transition.record_hospital_discharge(discharged, today)

    elif name == "claim":
        today = later(40)
        calendar.claims += 1
        claim_id = uuid.uuid5(transition.id, f"claim {calendar.claims}")
        role = draw(st.sampled_from([ClaimantRole.CUSTOMER, ClaimantRole.APPOINTEE]))
        claim_date = today - timedelta(days=draw(st.integers(0, 3)))

        def command() -> None:
            if transition.takes_pip_claim(claim_date, role):
                transition.record_pip_claim(claim_id=claim_id, claim_date=claim_date, today=today)

    elif name == "withdraw":
        live_claim = transition.pip_claim_id

        def command() -> None:
            if live_claim is not None:
                transition.pip_claim_withdrawn(live_claim, today, today)

    elif name in {"decide", "negative_determination"}:
        today = later(90)
        negative = name == "negative_determination"
        awarded = draw(st.booleans()) and not negative
        weekly = None if negative else draw(st.sampled_from([None, 5_000, 7_000, 18_000]))
        live_claim = transition.pip_claim_id

        def command() -> None:
            if live_claim is None or not transition.plans_dla_end_for(live_claim):
                return
            decided = transition.dla_end_on_determination(
                determination=(
                    Determination.NEGATIVE_DETERMINATION if negative else Determination.DECIDED
                ),
                decided_on=today,
                pip_awarded=awarded,
                pip_weekly_pence=weekly,
                claim_event=EventRef(aggregate_id=live_claim, version=5),
            )
            transition.record_dla_end(live_claim, today, decided, today)

    elif name == "good_reason":
        today = later(40)
        live_claim = transition.pip_claim_id

        def command() -> None:
            if live_claim is not None:
                transition.good_reason_accepted(live_claim, today, today)

    elif name == "appoint":
        appointed = today - timedelta(days=draw(st.integers(0, 10)))

        def command() -> None:
            transition.appoint_for_pip(appointed)

    elif name == "appointee_not_needed":
        reason = draw(st.sampled_from(["", "manages alone"]))

        def command() -> None:
            transition.record_appointee_not_needed(reason, today)

    elif name == "complete_review":
        age = draw(st.sampled_from([7, 14]))
        outcome = draw(st.sampled_from(["", "award continues"]))

        def command() -> None:
            transition.complete_age_review(age, today, outcome)

    else:
        assert name == "death"

        def command() -> None:
            transition.close_on_death(today, today)

    attempt(journey, name, command)


@st.composite
def transition_journeys(draw: st.DrawFn) -> Journey:
    """A transition started from generated facts and driven by up to 20 generated steps."""
    born = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2018, 12, 31)))
    sixteen = birthday(born, 16)
    dla_starts = born + timedelta(days=draw(st.integers(90, 16 * 365 - 10)))
    dla_starts = min(dla_starts, sixteen - timedelta(days=1))
    today = max(dla_starts, date(2013, 4, 8)) + timedelta(days=draw(st.integers(0, 400)))
    dla_ends = None if draw(st.booleans()) else today + timedelta(days=draw(st.integers(0, 1500)))
    transition = start(
        today=today,
        born=born,
        dla_starts=dla_starts,
        dla_ends=dla_ends,
        special_rules=draw(st.booleans()),
        condition=draw(st.sampled_from(list(DisablingCondition))),
        region=draw(st.sampled_from(list(Region))),
        has_appointee=draw(st.booleans()),
    )
    journey = Journey(aggregate=transition)
    calendar = Calendar(today=today)
    for _ in range(draw(st.integers(0, 20))):
        transition_step(draw, journey, draw(st.sampled_from(TRANSITION_STEPS)), calendar)
    return journey


@given(journey=transition_journeys())
@JOURNEY_SETTINGS
def test_replaying_a_transitions_events_rebuilds_the_same_transition(journey: Journey) -> None:
    transition = cast(DlaToPipTransition, journey.aggregate)
    assert journey.traces_of_refusals == []
    events = transition.collect_events()
    assert [e.originator_version for e in events] == list(range(1, transition.version + 1))
    rebuilt = replay(events)
    assert state_of(rebuilt) == state_of(transition)
    assert rebuilt == transition
    assert replay(through_storage(events)) == transition


@given(journey=transition_journeys())
@JOURNEY_SETTINGS
def test_due_deadlines_always_fire_once_at_most_and_every_decision_reproduces(
    journey: Journey,
) -> None:
    transition = cast(DlaToPipTransition, journey.aggregate)
    assert [r for r in journey.refused if r.startswith("fire:")] == [], "a due deadline failed"
    assert {r for r in journey.refused if r.startswith("fire_early:")} <= {
        "fire_early: DeadlineNotDue"
    }
    events = transition.collect_events()
    for decision in decisions_in(events):
        assert rerun(decision).reproduces, decision
    set_ids = [e.deadline.deadline_id for e in events if isinstance(e, WithDeadlines.DeadlineSet)]
    fired = [e.deadline_id for e in events if isinstance(e, WithDeadlines.DeadlineFired)]
    cancelled = [e.deadline_id for e in events if isinstance(e, WithDeadlines.DeadlineCancelled)]
    assert len(set(set_ids)) == len(set_ids)
    assert len(set(fired + cancelled)) == len(fired + cancelled)
    assert set(transition.pending_deadlines) == set(set_ids) - set(fired) - set(cancelled)
    if transition.stage in {TransitionStage.CLOSED, TransitionStage.DLA_ENDED_NO_CLAIM}:
        assert transition.pending_deadlines == {}
