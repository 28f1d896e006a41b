"""Dated DLA to PIP journeys, replayed end to end through the real system and its scheduler.

Each test builds the system with the composition root (SQLite and PostgreSQL), starts a
young person's transition on 5 January 2026, moves a simulated clock to chosen days (or day
by day around a deadline), runs the deadline scheduler, and checks every date the rules give
against dates counted by hand in the comments. Counting follows RULES.md section 0: "N days
beginning with D" ends on D + (N - 1); "within one month of D" is the same day number of the
next month, or that month's last day. Pay days are listed in tests/scenarios/steps.py: DLA
is paid on Mondays every 4 weeks (2027: ... 1 Mar, 29 Mar, 26 Apr, 24 May, 21 Jun, 19 Jul,
16 Aug, 13 Sep ...; 2028: ... 31 Jan, 28 Feb, 27 Mar, 24 Apr, 22 May, 19 Jun ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

import pytest

from adapters.bootstrap import Journeys
from domain.claim import ClaimStatus
from domain.deadlines import WithDeadlines
from domain.errors import (
    AppointeeNotCarriedOver,
    ClaimBeforeInvitation,
    NotAChildDlaRecipient,
    PipStartDoesNotFollowDla,
    QuestionnaireNotOverdue,
)
from domain.rules.dla_child import DisablingCondition
from domain.transition import Action, DlaToPipTransition
from domain.values import Appointee, BenefitType, ClaimantRole, ClaimChannel, Region
from projections.model import DeadlineQuery, DeadlineStatus, Page, TransitionWorklist
from services.clock import SimulatedClock
from services.errors import TransitionAlreadyStarted
from tests.integration.helpers import DECISION_MAKER, log_position, nothing_appended, register
from tests.scenarios.steps import (
    AWARD_STARTS,
    DLA_WEEKLY_PENCE,
    Child,
    assess_pip,
    case,
    child_on_dla,
    claim_pip,
    decide_pip,
    events_of,
    fired_actions,
    listed,
    move_to,
    only,
    run_on,
    section,
    self_service_secrets,
    stage_of,
    week_ahead,
)

T = DlaToPipTransition
INVITATIONS_DUE = TransitionWorklist.INVITATIONS_DUE
CLAIM_DEADLINES = TransitionWorklist.CLAIM_DEADLINES
SUSPENDED = TransitionWorklist.DLA_SUSPENDED
APPOINTEE_NEEDED = TransitionWorklist.APPOINTEE_NEEDED


def days(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def long(day: date) -> str:
    """A date as the self-service page writes it: 8 April 2027."""
    return f"{day.day} {day:%B %Y}"


def every_decision_reproduces(system: Journeys) -> bool:
    """Re-run every decision in the log: True when all give the outcome on record."""
    report = system.ledger.replay()
    assert report.checked > 0
    assert report.failures == []
    return report.all_reproduce


def pending_deadlines(system: Journeys, child: Child) -> list[str]:
    """The actions of the child's deadlines still pending in the deadlines view."""
    system.projections.catch_up()
    entries, _ = system.views.read_deadlines(
        DeadlineQuery(customer_id=child.customer_id, status=DeadlineStatus.PENDING), Page()
    )
    return [entry.action for entry in entries]


# -- on time ---------------------------------------------------------------------------------


def test_a_claim_in_the_first_window_keeps_dla_until_the_pip_decision_then_dla_ends_by_the_rule(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    child = child_on_dla(journeys, born=date(2011, 3, 12))

    # Before 16: nothing to do yet; we will write on the 16th birthday, Friday 12 March 2027.
    waiting = section(journeys, child)
    assert waiting.stage == "awaiting_invitation"
    assert waiting.next_step is not None
    assert waiting.next_step.who == "us"
    assert waiting.next_step.by == date(2027, 3, 12)
    assert "12 March 2027" in waiting.next_step.text
    assert "carries on" in waiting.dla

    # Day by day up to the birthday: nothing fires early. The invitation is on the
    # "invitations due" worklist once it falls in the next 7 days: from 5 March
    # (12 March < 5 March + 8 days), not on 4 March (12 March = 4 March + 8 days).
    for day in days(date(2027, 3, 4), date(2027, 3, 11)):
        assert run_on(journeys, clock, day).fired == []
        assert (child.customer_id in listed(journeys, INVITATIONS_DUE, week_ahead(day))) is (
            day >= date(2027, 3, 5)
        )
    assert fired_actions(run_on(journeys, clock, date(2027, 3, 12))) == [Action.INVITE]

    # Invitation sent on Friday 12 March 2027; 28 days beginning with it: 12-31 March are
    # days 1-20 and 1-8 April days 21-28, so the claim must come by 8 April 2027.
    issued = only(journeys, child, T.InvitationIssued)
    assert (issued.effective_date, issued.claim_by) == (date(2027, 3, 12), date(2027, 4, 8))
    assert issued.decision.rule_id == "dla_pip.invitation"
    assert issued.window.rule_id == "dla_pip.claim_window"
    assert pending_deadlines(journeys, child) == [Action.CLOSE_FIRST_WINDOW]
    assert child.customer_id not in listed(journeys, INVITATIONS_DUE, week_ahead(clock.today()))
    invited = section(journeys, child)
    assert invited.stage == "invited"
    assert invited.next_step is not None
    assert invited.next_step.who == "you"
    assert invited.next_step.by == date(2027, 4, 8)
    assert "Claim PIP by 8 April 2027" in invited.next_step.text
    assert "If you claim PIP by 8 April 2027, your DLA carries on" in invited.dla

    # "Claim deadlines in the next 7 days": on 31 March, 8 April is 8 days away (not listed);
    # on 1 April it is 7 days away (listed, due 8 April).
    move_to(clock, date(2027, 3, 31))
    assert child.customer_id not in listed(journeys, CLAIM_DEADLINES, week_ahead(clock.today()))
    move_to(clock, date(2027, 4, 1))
    due = listed(journeys, CLAIM_DEADLINES, week_ahead(clock.today()))
    assert due[child.customer_id].due_on == date(2027, 4, 8)

    # A phone claim on Friday 2 April 2027, in the first window: no suspension is pending.
    claim_id = claim_pip(journeys, clock, child, date(2027, 4, 2))
    claimed = only(journeys, child, T.PipClaimed)
    assert (claimed.effective_date, claimed.claimed_in.value) == (date(2027, 4, 2), "first_window")
    assert pending_deadlines(journeys, child) == []
    assert child.customer_id not in listed(journeys, CLAIM_DEADLINES, week_ahead(clock.today()))
    assert "carries on until we decide your PIP claim" in section(journeys, child).dla

    journeys.application.issue_questionnaire(claim_id, date(2027, 4, 2))
    assess_pip(
        journeys, clock, claim_id, returned_on=date(2027, 4, 20), assessed_on=date(2027, 5, 10)
    )
    # Decided on Wednesday 12 May 2027. The first pay day after it is Monday 24 May; the
    # 28 days beginning with 24 May are 24-31 May (days 1-8) and 1-20 June (days 9-28):
    # DLA's last day is Sunday 20 June 2027 and PIP starts on Monday 21 June 2027.
    decide_pip(journeys, clock, claim_id, date(2027, 5, 12))
    end = only(journeys, child, T.DlaEndDecided)
    assert (end.effective_date, end.dla_ends_on, end.pip_starts_on) == (
        date(2027, 5, 12),
        date(2027, 6, 20),
        date(2027, 6, 21),
    )
    assert end.decision.rule_id == "dla_pip.dla_end_date"
    award = journeys.application.claim(claim_id).award
    assert award is not None
    assert award.starts_on == date(2027, 6, 21)
    ending = section(journeys, child)
    assert ending.stage == "dla_ending"
    assert "Your last day of DLA is 20 June 2027" in ending.dla
    assert "Your PIP starts on 21 June 2027" in ending.dla

    # The end_dla deadline fires the day after DLA's last day and completes the journey.
    assert run_on(journeys, clock, date(2027, 6, 20)).fired == []
    assert fired_actions(run_on(journeys, clock, date(2027, 6, 21))) == [Action.END_DLA]
    assert only(journeys, child, T.DlaEnded).effective_date == date(2027, 6, 20)
    assert stage_of(journeys, child) == "completed"
    done = section(journeys, child)
    assert "finished" in done.summary
    assert "20 June 2027" in done.dla
    assert "Your PIP started on 21 June 2027" in done.dla
    assert done.next_step is None
    assert every_decision_reproduces(journeys)


# -- late claim within the second window ---------------------------------------------------------


@dataclass(frozen=True)
class LateClaim:
    """The dates of a late claim journey, counted by hand."""

    born: date
    invited: date
    claim_by: date
    suspended_from: date
    second_claim_by: date
    claimed: date
    decided: date
    dla_ends: date


LATE_CLAIMS = [
    pytest.param(
        LateClaim(
            born=date(2011, 2, 10),
            invited=date(2027, 2, 10),
            # 10-28 February 2027 are days 1-19, 1-9 March days 20-28.
            claim_by=date(2027, 3, 9),
            # Pay days 1 March and 29 March: the first strictly after 9 March is 29 March.
            suspended_from=date(2027, 3, 29),
            # Second notice on 10 March: 10-31 March are days 1-22, 1-6 April days 23-28.
            second_claim_by=date(2027, 4, 6),
            claimed=date(2027, 4, 2),
            # Decided 5 May; first pay day after it 24 May; 24 May + 27 days = 20 June.
            decided=date(2027, 5, 5),
            dla_ends=date(2027, 6, 20),
        ),
        id="2027",
    ),
    pytest.param(
        LateClaim(
            born=date(2012, 2, 10),
            invited=date(2028, 2, 10),
            # Leap year: 10-29 February 2028 are days 1-20, 1-8 March days 21-28.
            claim_by=date(2028, 3, 8),
            # Pay days 28 February and 27 March 2028: the first after 8 March is 27 March.
            suspended_from=date(2028, 3, 27),
            # Second notice on 9 March: 9-31 March are days 1-23, 1-5 April days 24-28.
            second_claim_by=date(2028, 4, 5),
            claimed=date(2028, 3, 31),
            # Decided 3 May; first pay day after it 22 May; 22-31 May days 1-10, 1-18 June
            # days 11-28.
            decided=date(2028, 5, 3),
            dla_ends=date(2028, 6, 18),
        ),
        id="2028-leap",
    ),
]


@pytest.mark.parametrize("late", LATE_CLAIMS)
def test_a_claim_in_the_second_window_restarts_dla_from_the_claim_date_without_back_pay(
    journeys: Journeys, clock: SimulatedClock, late: LateClaim
) -> None:
    child = child_on_dla(journeys, born=late.born)
    assert Action.INVITE in fired_actions(run_on(journeys, clock, late.invited))
    assert only(journeys, child, T.InvitationIssued).claim_by == late.claim_by

    # The last day to claim passes quietly; the first window closes the day after.
    assert run_on(journeys, clock, late.claim_by).fired == []
    closes = late.claim_by + timedelta(days=1)
    assert fired_actions(run_on(journeys, clock, closes)) == [Action.CLOSE_FIRST_WINDOW]
    suspended = only(journeys, child, T.DlaSuspended)
    assert suspended.effective_date == late.suspended_from
    assert suspended.decision.rule_id == "dla_pip.suspension"
    notice = only(journeys, child, T.SecondNoticeSent)
    # The second notice goes the day the first window closes (the day the scheduler sent it).
    assert (notice.effective_date, notice.claim_by) == (closes, late.second_claim_by)
    assert pending_deadlines(journeys, child) == [Action.CLOSE_SECOND_WINDOW]

    stopped = section(journeys, child)
    assert stopped.stage == "dla_suspended"
    assert stopped.next_step is not None
    assert stopped.next_step.by == late.second_claim_by
    assert f"Claim PIP by {long(late.second_claim_by)}" in stopped.next_step.text
    assert f"Your DLA is stopped from {long(late.suspended_from)}" in stopped.dla
    assert child.customer_id in listed(journeys, SUSPENDED, None)
    # The second deadline is on the "next 7 days" list from 7 days before it.
    week_before = late.second_claim_by - timedelta(days=7)
    move_to(clock, week_before - timedelta(days=1))
    assert child.customer_id not in listed(journeys, CLAIM_DEADLINES, week_ahead(clock.today()))
    move_to(clock, week_before)
    item = listed(journeys, CLAIM_DEADLINES, week_ahead(clock.today()))[child.customer_id]
    assert (item.stage, item.due_on) == ("dla_suspended", late.second_claim_by)

    # A claim within the second window, after the suspension took effect: DLA restarts on the
    # claim date; the days from the suspension to the day before the claim are not paid.
    claim_id = claim_pip(journeys, clock, child, late.claimed)
    assert only(journeys, child, T.PipClaimed).claimed_in.value == "late"
    restarted = only(journeys, child, T.DlaRestarted)
    assert (restarted.effective_date, restarted.unpaid_from, restarted.unpaid_to) == (
        late.claimed,
        late.suspended_from,
        late.claimed - timedelta(days=1),
    )
    assert restarted.decision.rule_id == "dla_pip.restart"
    assert pending_deadlines(journeys, child) == []
    assert child.customer_id not in listed(journeys, SUSPENDED, None)
    back = section(journeys, child)
    assert back.stage == "pip_claimed"
    unpaid_to = late.claimed - timedelta(days=1)
    assert (
        f"It started again on {long(late.claimed)}; it was not paid from "
        f"{long(late.suspended_from)} to {long(unpaid_to)}." in back.dla
    )

    # The claim is then decided and DLA ends by the ordinary rule.
    journeys.application.issue_questionnaire(claim_id, late.claimed)
    assess_pip(
        journeys,
        clock,
        claim_id,
        returned_on=late.claimed + timedelta(days=5),
        assessed_on=late.decided - timedelta(days=1),
    )
    decide_pip(journeys, clock, claim_id, late.decided)
    end = only(journeys, child, T.DlaEndDecided)
    assert (end.dla_ends_on, end.pip_starts_on) == (
        late.dla_ends,
        late.dla_ends + timedelta(days=1),
    )
    assert fired_actions(run_on(journeys, clock, late.dla_ends + timedelta(days=1))) == [
        Action.END_DLA
    ]
    assert stage_of(journeys, child) == "completed"
    assert every_decision_reproduces(journeys)


def test_a_claim_after_the_deadline_but_before_the_suspension_day_leaves_no_gap_in_dla(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    # Invited 10 February 2027, claim by 9 March; suspended from Monday 29 March 2027.
    child = child_on_dla(journeys, born=date(2011, 2, 10))
    run_on(journeys, clock, date(2027, 2, 10))
    run_on(journeys, clock, date(2027, 3, 10))
    assert only(journeys, child, T.DlaSuspended).effective_date == date(2027, 3, 29)

    # Claimed on 20 March, before the suspension took effect: DLA carries on from 29 March.
    claim_pip(journeys, clock, child, date(2027, 3, 20))
    restarted = only(journeys, child, T.DlaRestarted)
    assert (restarted.effective_date, restarted.unpaid_from, restarted.unpaid_to) == (
        date(2027, 3, 29),
        None,
        None,
    )
    assert "not paid" not in section(journeys, child).dla
    assert every_decision_reproduces(journeys)


def test_a_late_claim_withdrawn_before_the_first_window_was_closed_still_gets_a_second_notice(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    # Invited 12 March 2027, claim by 8 April; the scheduler did not run on 9 April.
    child = child_on_dla(journeys, born=date(2011, 3, 12))
    run_on(journeys, clock, date(2027, 3, 12))
    # Claimed on Tuesday 20 April 2027, after the deadline: suspended as the first window
    # would have (first pay day after 8 April: 26 April) and restarted, with no gap.
    claim_id = claim_pip(journeys, clock, child, date(2027, 4, 20))
    assert only(journeys, child, T.DlaSuspended).effective_date == date(2027, 4, 26)

    # Withdrawn on Thursday 22 April 2027: DLA is suspended again from the first pay day
    # after the withdrawal (26 April), and as no second notice has gone, it goes now with
    # its 28 days: 22-30 April are days 1-9, 1-19 May days 10-28.
    move_to(clock, date(2027, 4, 22))
    journeys.application.withdraw_claim(claim_id, date(2027, 4, 22), "claimed by mistake")
    notice = only(journeys, child, T.SecondNoticeSent)
    assert (notice.effective_date, notice.claim_by) == (date(2027, 4, 22), date(2027, 5, 19))
    assert [e.effective_date for e in events_of(journeys, child, T.DlaSuspended)] == [
        date(2027, 4, 26),
        date(2027, 4, 26),
    ]
    stopped = section(journeys, child)
    assert stopped.next_step is not None
    assert stopped.next_step.by == date(2027, 5, 19)

    # Still no claim: the second window closes on 20 May and DLA ends the day before the
    # suspension, Sunday 25 April 2027.
    assert run_on(journeys, clock, date(2027, 5, 19)).fired == []
    run = run_on(journeys, clock, date(2027, 5, 20))
    assert (fired_actions(run), run.refused) == ([Action.CLOSE_SECOND_WINDOW], [])
    assert only(journeys, child, T.DlaTerminated).effective_date == date(2027, 4, 25)
    assert every_decision_reproduces(journeys)


# -- no claim at all ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NoClaim:
    """The dates of a journey with no claim, counted by hand."""

    born: date
    invited: date
    claim_by: date
    suspended_from: date
    second_claim_by: date
    dla_last_day: date


NO_CLAIMS = [
    pytest.param(
        NoClaim(
            born=date(2011, 1, 31),
            # Sunday 31 January 2027 is day 1; 1-27 February are days 2-28.
            invited=date(2027, 1, 31),
            claim_by=date(2027, 2, 27),
            # Pay days 1 February and 1 March 2027: the first after 27 February is 1 March.
            suspended_from=date(2027, 3, 1),
            # Second notice on 28 February: day 1; 1-27 March are days 2-28.
            second_claim_by=date(2027, 3, 27),
            # The day before the suspension.
            dla_last_day=date(2027, 2, 28),
        ),
        id="2027",
    ),
    pytest.param(
        NoClaim(
            born=date(2012, 1, 31),
            invited=date(2028, 1, 31),
            claim_by=date(2028, 2, 27),
            # Monday 28 February 2028 is itself a pay day, the first after 27 February.
            suspended_from=date(2028, 2, 28),
            # Second notice on 28 February 2028: 28-29 February are days 1-2 (leap year),
            # 1-26 March days 3-28.
            second_claim_by=date(2028, 3, 26),
            dla_last_day=date(2028, 2, 27),
        ),
        id="2028-leap",
    ),
]


@pytest.mark.parametrize("no_claim", NO_CLAIMS)
def test_with_no_claim_dla_is_suspended_a_second_notice_goes_and_then_dla_ends(
    journeys: Journeys, clock: SimulatedClock, no_claim: NoClaim
) -> None:
    child = child_on_dla(journeys, born=no_claim.born)
    assert Action.INVITE in fired_actions(run_on(journeys, clock, no_claim.invited))
    issued = only(journeys, child, T.InvitationIssued)
    assert (issued.effective_date, issued.claim_by) == (no_claim.invited, no_claim.claim_by)

    closes = no_claim.claim_by + timedelta(days=1)
    assert run_on(journeys, clock, no_claim.claim_by).fired == []
    assert fired_actions(run_on(journeys, clock, closes)) == [Action.CLOSE_FIRST_WINDOW]
    assert only(journeys, child, T.DlaSuspended).effective_date == no_claim.suspended_from
    notice = only(journeys, child, T.SecondNoticeSent)
    assert (notice.effective_date, notice.claim_by) == (closes, no_claim.second_claim_by)
    assert child.customer_id in listed(journeys, SUSPENDED, None)

    # Day by day through the second window's last days: DLA ends only when it has closed.
    for day in days(no_claim.second_claim_by - timedelta(days=2), no_claim.second_claim_by):
        assert run_on(journeys, clock, day).fired == []
    final = run_on(journeys, clock, no_claim.second_claim_by + timedelta(days=1))
    assert fired_actions(final) == [Action.CLOSE_SECOND_WINDOW]
    terminated = only(journeys, child, T.DlaTerminated)
    assert terminated.effective_date == no_claim.dla_last_day
    assert terminated.decision.rule_id == "dla_pip.termination"
    assert stage_of(journeys, child) == "dla_ended_no_claim"
    assert pending_deadlines(journeys, child) == []
    assert child.customer_id not in listed(journeys, SUSPENDED, None)
    ended = section(journeys, child)
    assert f"Your last day of DLA was {long(no_claim.dla_last_day)}" in ended.dla
    assert ended.next_step is not None
    assert "You can still claim PIP" in ended.next_step.text

    # A PIP claim after that is an ordinary claim: the journey is over.
    later = claim_pip(journeys, clock, child, no_claim.second_claim_by + timedelta(days=5))
    assert journeys.application.claim(later).transition_id is None
    assert stage_of(journeys, child) == "dla_ended_no_claim"
    assert every_decision_reproduces(journeys)


# -- hospital on the 16th birthday --------------------------------------------------------------


@pytest.mark.parametrize(
    ("discharged", "recorded", "claim_by"),
    [
        # Discharge recorded on Monday 22 March 2027: the invitation goes that day;
        # 22-31 March are days 1-10, 1-18 April days 11-28.
        pytest.param(date(2027, 3, 20), date(2027, 3, 22), date(2027, 4, 18), id="recorded-later"),
        # Discharged and recorded on Wednesday 31 March 2027: day 1; 1-27 April days 2-28.
        pytest.param(date(2027, 3, 31), date(2027, 3, 31), date(2027, 4, 27), id="month-end"),
    ],
)
def test_in_hospital_on_the_16th_birthday_the_invitation_waits_and_goes_at_the_run_after_discharge(
    journeys: Journeys, clock: SimulatedClock, discharged: date, recorded: date, claim_by: date
) -> None:
    child = child_on_dla(journeys, born=date(2011, 3, 12))
    move_to(clock, date(2027, 3, 1))
    journeys.application.record_hospital_admission(child.customer_id, date(2027, 3, 1))

    # The 16th birthday, 12 March 2027: in hospital, so the invitation is deferred.
    assert fired_actions(run_on(journeys, clock, date(2027, 3, 12))) == [Action.INVITE]
    deferred = only(journeys, child, T.InvitationDeferred)
    assert deferred.effective_date == date(2027, 3, 12)
    assert deferred.decision.outcome == {"send": False, "deferred_until_discharge": True}
    assert events_of(journeys, child, T.InvitationIssued) == []
    waiting = section(journeys, child)
    assert "when you leave hospital" in waiting.summary
    assert waiting.next_step is not None
    assert waiting.next_step.who == "you"
    assert "Tell us when you leave hospital" in waiting.next_step.text
    item = listed(journeys, INVITATIONS_DUE, week_ahead(clock.today()))[child.customer_id]
    assert (item.stage, item.due_on) == ("invitation_deferred", date(2027, 3, 12))
    assert "invite when discharged" in item.detail
    # Nothing more happens while the young person stays in hospital.
    assert run_on(journeys, clock, discharged - timedelta(days=1)).fired == []

    move_to(clock, recorded)
    journeys.application.record_hospital_discharge(child.customer_id, discharged)
    assert pending_deadlines(journeys, child) == [Action.INVITE]
    assert fired_actions(journeys.deadlines.run_due()) == [Action.INVITE]
    issued = only(journeys, child, T.InvitationIssued)
    assert (issued.effective_date, issued.claim_by) == (recorded, claim_by)
    assert child.customer_id not in listed(journeys, INVITATIONS_DUE, week_ahead(recorded))
    invited = section(journeys, child)
    assert invited.next_step is not None
    assert invited.next_step.by == claim_by
    assert every_decision_reproduces(journeys)


def test_a_hospital_stay_that_ended_before_the_birthday_does_not_put_off_the_invitation(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    child = child_on_dla(journeys, born=date(2011, 3, 12))
    move_to(clock, date(2027, 3, 5))
    journeys.application.record_hospital_admission(child.customer_id, date(2027, 3, 1))
    journeys.application.record_hospital_discharge(child.customer_id, date(2027, 3, 5))
    run_on(journeys, clock, date(2027, 3, 12))
    assert events_of(journeys, child, T.InvitationDeferred) == []
    issued = only(journeys, child, T.InvitationIssued)
    assert (issued.effective_date, issued.claim_by) == (date(2027, 3, 12), date(2027, 4, 8))


# -- Special Rules DLA ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dla_weekly_pence", "decided", "dla_ends", "basis"),
    [
        # PIP at both enhanced rates pays 11460 + 8000 = 19460p a week (2026/27 table),
        # more than DLA's 7000p. Decided Thursday 2 September 2027: the current payment
        # period ends the day before the next pay day (13 September), 12 September; the first
        # Tuesday after the decision is 7 September; the earlier is Tuesday 7 September.
        pytest.param(7000, date(2027, 9, 2), date(2027, 9, 7), "terminal_illness", id="tuesday"),
        # Decided Wednesday 8 September 2027: the period ends 12 September, the first Tuesday
        # after is 14 September; the earlier is Sunday 12 September.
        pytest.param(
            7000, date(2027, 9, 8), date(2027, 9, 12), "terminal_illness", id="period-end"
        ),
        # DLA pays 25000p, more than PIP: the ordinary rule, 13 September + 27 days.
        pytest.param(
            25000, date(2027, 9, 8), date(2027, 10, 10), "after_pip_decision", id="dla-pays-more"
        ),
    ],
)
def test_special_rules_dla_invites_20_weeks_before_the_award_ends_and_ends_early_when_pip_pays_more(
    journeys: Journeys,
    clock: SimulatedClock,
    dla_weekly_pence: int,
    decided: date,
    dla_ends: date,
    basis: str,
) -> None:
    # A Special Rules DLA award ending on Monday 3 January 2028; 20 weeks (140 days) before it
    # is Monday 16 August 2027 (16-31 August 16 days + 30 + 31 + 30 + 31 + 3 = 140).
    child = child_on_dla(
        journeys,
        born=date(2011, 3, 12),
        special_rules=True,
        award_ends=date(2028, 1, 3),
        weekly_pence=dla_weekly_pence,
    )
    assert case(journeys, child).invitation_basis == "special_rules_award_end"
    waiting = section(journeys, child)
    assert waiting.invite_on == date(2027, 8, 16)
    assert self_service_secrets(journeys, child) == []

    # Not at 16.
    assert run_on(journeys, clock, date(2027, 3, 12)).fired == []
    assert run_on(journeys, clock, date(2027, 8, 15)).fired == []
    assert fired_actions(run_on(journeys, clock, date(2027, 8, 16))) == [Action.INVITE]
    # 16-31 August are days 1-16, 1-12 September days 17-28.
    issued = only(journeys, child, T.InvitationIssued)
    assert (issued.effective_date, issued.claim_by) == (date(2027, 8, 16), date(2027, 9, 12))
    assert self_service_secrets(journeys, child) == []

    claim_id = claim_pip(journeys, clock, child, date(2027, 8, 17))
    journeys.application.issue_questionnaire(claim_id, date(2027, 8, 17))
    assess_pip(
        journeys,
        clock,
        claim_id,
        returned_on=date(2027, 8, 20),
        assessed_on=date(2027, 9, 1),
        daily_living=12,
        mobility=12,
    )
    assert self_service_secrets(journeys, child) == []
    decide_pip(journeys, clock, claim_id, decided)
    end = only(journeys, child, T.DlaEndDecided)
    assert (end.dla_ends_on, end.pip_starts_on) == (dla_ends, dla_ends + timedelta(days=1))
    assert end.decision.outcome["basis"] == basis
    assert end.decision.inputs["pip_weekly_pence"] == 19460
    ending = section(journeys, child)
    assert f"Your last day of DLA is {long(dla_ends)}" in ending.dla
    assert self_service_secrets(journeys, child) == []

    run = run_on(journeys, clock, dla_ends + timedelta(days=1))
    assert fired_actions(run) == [Action.END_DLA]
    assert only(journeys, child, T.DlaEnded).effective_date == dla_ends
    assert section(journeys, child).stage == "completed"
    assert self_service_secrets(journeys, child) == []
    assert every_decision_reproduces(journeys)


def test_special_rules_dla_is_not_invited_before_16_even_when_the_award_ends_soon_after(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    # The award ends on 1 May 2027; 20 weeks before is 12 December 2026, before the 16th
    # birthday (12 March 2027): the invitation goes at 16.
    child = child_on_dla(
        journeys, born=date(2011, 3, 12), special_rules=True, award_ends=date(2027, 5, 1)
    )
    assert section(journeys, child).invite_on == date(2027, 3, 12)
    assert run_on(journeys, clock, date(2026, 12, 12)).fired == []
    assert fired_actions(run_on(journeys, clock, date(2027, 3, 12))) == [Action.INVITE]
    assert self_service_secrets(journeys, child) == []


# -- negative determination, then good reason --------------------------------------------------


@pytest.mark.parametrize(
    ("accepted", "arrears_from", "pip2_due"),
    [
        # Accepted on 17 May 2027, after DLA ended on 9 May: arrears from 10 May. A new PIP2
        # return date within one month of the acceptance: 17 June.
        pytest.param(date(2027, 5, 17), date(2027, 5, 10), date(2027, 6, 17), id="after-dla-ended"),
        # Accepted on 5 May 2027, before DLA's last day: DLA never stops, no arrears.
        pytest.param(date(2027, 5, 5), None, date(2027, 6, 5), id="before-dla-ended"),
    ],
)
def test_a_negative_determination_ends_dla_after_14_days_and_a_good_reason_reinstates_it(
    journeys: Journeys,
    clock: SimulatedClock,
    accepted: date,
    arrears_from: date | None,
    pip2_due: date,
) -> None:
    child = child_on_dla(journeys, born=date(2011, 3, 12))
    run_on(journeys, clock, date(2027, 3, 12))
    claim_id = claim_pip(journeys, clock, child, date(2027, 3, 15))
    app = journeys.application
    # The PIP2 issued on 15 March is due within one month: by 15 April 2027.
    app.issue_questionnaire(claim_id, date(2027, 3, 15))
    move_to(clock, date(2027, 4, 15))
    with nothing_appended(journeys), pytest.raises(QuestionnaireNotOverdue):
        app.make_negative_determination(claim_id)

    # Negative determination on Tuesday 20 April 2027. First pay day after it: 26 April;
    # 14 days beginning with 26 April: 26-30 April days 1-5, 1-9 May days 6-14.
    move_to(clock, date(2027, 4, 20))
    app.make_negative_determination(claim_id)
    end = only(journeys, child, T.DlaEndDecided)
    assert (end.effective_date, end.dla_ends_on, end.pip_starts_on) == (
        date(2027, 4, 20),
        date(2027, 5, 9),
        None,
    )
    assert end.decision.outcome["basis"] == "negative_determination"
    told = section(journeys, child)
    assert "questionnaire" in told.summary
    assert "Your last day of DLA is 9 May 2027" in told.dla
    assert told.next_step is not None
    assert told.next_step.by == date(2027, 5, 9)
    assert "good reason" in told.next_step.text

    if arrears_from is not None:
        assert run_on(journeys, clock, date(2027, 5, 9)).fired == []
        assert fired_actions(run_on(journeys, clock, date(2027, 5, 10))) == [Action.END_DLA]
        assert only(journeys, child, T.DlaEnded).effective_date == date(2027, 5, 9)
        assert stage_of(journeys, child) == "completed"
        # DLA has ended, but the young person can still give a good reason.
        after = section(journeys, child)
        assert "9 May 2027" in after.dla
        assert after.next_step is not None
        assert "good reason" in after.next_step.text

    move_to(clock, accepted)
    app.accept_good_reason(
        claim_id, accepted_on=accepted, reason="was in hospital", decision_maker=DECISION_MAKER
    )
    reinstated = only(journeys, child, T.DlaReinstated)
    assert (reinstated.effective_date, reinstated.arrears_from) == (accepted, arrears_from)
    assert reinstated.decision.rule_id == "dla_pip.reinstatement"
    assert stage_of(journeys, child) == "pip_claimed"
    assert pending_deadlines(journeys, child) == []
    back = section(journeys, child)
    assert "carries on until we decide your PIP claim" in back.dla
    assert arrears_from is None or f"from {long(arrears_from)}" in back.dla
    claim = app.claim(claim_id)
    assert claim.status is ClaimStatus.AWAITING_QUESTIONNAIRE
    assert claim.questionnaire_due_on == pip2_due
    # With the good reason accepted before DLA's last day, its end never fires.
    assert run_on(journeys, clock, max(accepted, date(2027, 5, 10))).fired == []

    # The claim goes on to a decision on Wednesday 9 June 2027 and DLA ends by the ordinary
    # rule: first pay day after it 21 June; 21-30 June days 1-10, 1-18 July days 11-28.
    assess_pip(
        journeys, clock, claim_id, returned_on=date(2027, 5, 25), assessed_on=date(2027, 6, 7)
    )
    decide_pip(journeys, clock, claim_id, date(2027, 6, 9))
    final = events_of(journeys, child, T.DlaEndDecided)[-1]
    assert (final.dla_ends_on, final.pip_starts_on) == (date(2027, 7, 18), date(2027, 7, 19))
    assert fired_actions(run_on(journeys, clock, date(2027, 7, 19))) == [Action.END_DLA]
    assert events_of(journeys, child, T.DlaEnded)[-1].effective_date == date(2027, 7, 18)
    assert stage_of(journeys, child) == "completed"
    assert every_decision_reproduces(journeys)


# -- a 29 February birthday ---------------------------------------------------------------------


def test_a_29_february_birthday_counts_reviews_letters_and_the_invitation_on_the_right_days(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    # Born 29 February 2012 in Northern Ireland. 14 on 1 March 2026 (no 29 February in 2026):
    # the age-14 review. Letters at 15 years 7 months and 15 years 10 months, counted in
    # calendar months from the birth: 29 September and 29 December 2027 (both months have a
    # 29th). 16 on Tuesday 29 February 2028 (a leap year).
    child = child_on_dla(journeys, born=date(2012, 2, 29), region=Region.NORTHERN_IRELAND)
    assert sorted(pending_deadlines(journeys, child)) == sorted(
        [Action.PRE_16_LETTER, Action.PRE_16_LETTER, Action.INVITE, Action.AGE_REVIEW]
    )
    assert run_on(journeys, clock, date(2026, 2, 28)).fired == []
    assert fired_actions(run_on(journeys, clock, date(2026, 3, 1))) == [Action.AGE_REVIEW]
    review = only(journeys, child, T.AgeReviewDue)
    assert (review.effective_date, review.age) == (date(2026, 3, 1), 14)
    reviews = listed(journeys, TransitionWorklist.AGE_REVIEWS_DUE, None)
    assert reviews[child.customer_id].due_on == date(2026, 3, 1)
    journeys.application.complete_age_review(
        child.customer_id, age=14, completed_on=date(2026, 3, 1), outcome="award continues"
    )

    assert run_on(journeys, clock, date(2027, 9, 28)).fired == []
    assert fired_actions(run_on(journeys, clock, date(2027, 9, 29))) == [Action.PRE_16_LETTER]
    assert run_on(journeys, clock, date(2027, 12, 28)).fired == []
    assert fired_actions(run_on(journeys, clock, date(2027, 12, 29))) == [Action.PRE_16_LETTER]
    letters = events_of(journeys, child, T.Pre16LetterSent)
    assert [letter.effective_date for letter in letters] == [date(2027, 9, 29), date(2027, 12, 29)]

    assert run_on(journeys, clock, date(2028, 2, 28)).fired == []
    assert fired_actions(run_on(journeys, clock, date(2028, 2, 29))) == [Action.INVITE]
    # 29 February 2028 is day 1; 1-27 March are days 2-28.
    issued = only(journeys, child, T.InvitationIssued)
    assert (issued.effective_date, issued.claim_by) == (date(2028, 2, 29), date(2028, 3, 27))
    # No claim. 27 March 2028 is itself a pay day, so the first pay day strictly after the
    # deadline is 24 April 2028. Second notice on 28 March: 28-31 March days 1-4, 1-24 April
    # days 5-28.
    run_on(journeys, clock, date(2028, 3, 28))
    assert only(journeys, child, T.DlaSuspended).effective_date == date(2028, 4, 24)
    notice = only(journeys, child, T.SecondNoticeSent)
    assert (notice.effective_date, notice.claim_by) == (date(2028, 3, 28), date(2028, 4, 24))
    assert every_decision_reproduces(journeys)


# -- death between two scheduled letters ---------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "region", "first_letter", "died", "notified", "first_action", "later_days"),
    [
        # Invited on 12 March 2027; the second notice would go on 9 April 2027.
        pytest.param(
            date(2011, 3, 12),
            Region.GREAT_BRITAIN,
            date(2027, 3, 12),
            date(2027, 3, 20),
            date(2027, 3, 22),
            Action.INVITE,
            [date(2027, 4, 9), date(2027, 5, 7)],
            id="invitation-then-second-notice",
        ),
        # Northern Ireland: 15 on 15 June 2026, letters on 15 January and 15 April 2027,
        # invitation on 15 June 2027.
        pytest.param(
            date(2011, 6, 15),
            Region.NORTHERN_IRELAND,
            date(2027, 1, 15),
            date(2027, 2, 1),
            date(2027, 2, 3),
            Action.PRE_16_LETTER,
            [date(2027, 4, 15), date(2027, 6, 15), date(2027, 8, 1)],
            id="pre-16-letters",
        ),
    ],
)
def test_after_a_death_is_notified_no_further_letter_goes(
    journeys: Journeys,
    clock: SimulatedClock,
    born: date,
    region: Region,
    first_letter: date,
    died: date,
    notified: date,
    first_action: str,
    later_days: list[date],
) -> None:
    child = child_on_dla(journeys, born=born, region=region)
    assert fired_actions(run_on(journeys, clock, first_letter)) == [first_action]
    assert pending_deadlines(journeys, child) != []

    move_to(clock, notified)
    journeys.application.notify_death(child.customer_id, died, "DR-1")
    assert stage_of(journeys, child) == "closed"
    assert pending_deadlines(journeys, child) == []
    cancelled = events_of(journeys, child, WithDeadlines.DeadlineCancelled)
    assert cancelled != []
    assert {event.reason for event in cancelled} == {"death notified"}

    position = log_position(journeys)
    for day in later_days:
        run = run_on(journeys, clock, day)
        assert (run.fired, run.already_done, run.refused) == ([], [], [])
    assert log_position(journeys) == position
    assert events_of(journeys, child, T.SecondNoticeSent) == []
    assert events_of(journeys, child, T.DlaSuspended) == []
    assert len(events_of(journeys, child, T.Pre16LetterSent)) <= 1
    closed = section(journeys, child)
    assert "stopped" in closed.summary
    assert closed.next_step is None
    assert every_decision_reproduces(journeys)


# -- bad input ------------------------------------------------------------------------------------


def test_a_pip_decision_starting_on_another_day_than_the_rule_gives_is_refused(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    child = child_on_dla(journeys, born=date(2011, 3, 12))
    run_on(journeys, clock, date(2027, 3, 12))
    claim_id = claim_pip(journeys, clock, child, date(2027, 4, 2))
    journeys.application.issue_questionnaire(claim_id, date(2027, 4, 2))
    assess_pip(
        journeys, clock, claim_id, returned_on=date(2027, 4, 20), assessed_on=date(2027, 5, 10)
    )
    # Decided 12 May 2027: the rule gives DLA's last day 20 June, PIP from 21 June.
    for wrong in (date(2027, 5, 13), date(2027, 6, 20), date(2027, 6, 22)):
        with nothing_appended(journeys), pytest.raises(PipStartDoesNotFollowDla, match="starts_on"):
            decide_pip(journeys, clock, claim_id, date(2027, 5, 12), starts_on=wrong)
    assert stage_of(journeys, child) == "pip_claimed"
    decide_pip(journeys, clock, claim_id, date(2027, 5, 12), starts_on=date(2027, 6, 21))
    assert only(journeys, child, T.DlaEndDecided).pip_starts_on == date(2027, 6, 21)


def _claim(
    journeys: Journeys,
    customer_id: UUID,
    benefit: BenefitType,
    *,
    claimed: date,
    award: tuple[date, date | None] | None = None,
) -> UUID:
    """A posted claim; with `award` (start, end) decided as entitled."""
    app = journeys.application
    claim_id = app.start_claim(
        customer_id=customer_id,
        benefit=benefit,
        channel=ClaimChannel.POST,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=claimed,
    ).id
    if award is not None:
        app.decide_entitlement(
            claim_id,
            decided_on=claimed,
            entitled=True,
            reason="needs care",
            decision_maker=DECISION_MAKER,
            starts_on=award[0],
            ends_on=award[1],
        )
    return claim_id


def _award_after_16(journeys: Journeys) -> tuple[UUID, UUID]:
    # 16 on 1 June 2025, DLA from 5 January 2026: an adult award, not a child one.
    customer_id = register(journeys, born=date(2009, 6, 1))
    return customer_id, _claim(
        journeys, customer_id, BenefitType.DLA, claimed=AWARD_STARTS, award=(AWARD_STARTS, None)
    )


def _adult_dla_award(journeys: Journeys) -> tuple[UUID, UUID]:
    # 20 years old, DLA from 5 January 2026.
    customer_id = register(journeys, born=date(2005, 6, 1))
    return customer_id, _claim(
        journeys, customer_id, BenefitType.DLA, claimed=AWARD_STARTS, award=(AWARD_STARTS, None)
    )


def _pip_claim(journeys: Journeys) -> tuple[UUID, UUID]:
    customer_id = register(journeys, born=date(2009, 6, 1))
    return customer_id, _claim(journeys, customer_id, BenefitType.PIP, claimed=AWARD_STARTS)


def _ended_award(journeys: Journeys) -> tuple[UUID, UUID]:
    # A child award from 6 January 2020 that ended on 31 December 2025, before today.
    customer_id = register(journeys, born=date(2011, 3, 12))
    award = (date(2020, 1, 6), date(2025, 12, 31))
    return customer_id, _claim(
        journeys, customer_id, BenefitType.DLA, claimed=date(2020, 1, 6), award=award
    )


def _undecided_claim(journeys: Journeys) -> tuple[UUID, UUID]:
    customer_id = register(journeys, born=date(2011, 3, 12))
    return customer_id, _claim(journeys, customer_id, BenefitType.DLA, claimed=AWARD_STARTS)


def _another_customers_claim(journeys: Journeys) -> tuple[UUID, UUID]:
    sibling = child_on_dla(journeys, born=date(2011, 3, 12))
    customer_id = register(journeys, born=date(2012, 5, 5))
    return customer_id, sibling.dla_claim_id


@pytest.mark.parametrize(
    ("who", "problem"),
    [
        pytest.param(_award_after_16, "not a child award", id="award-after-16"),
        pytest.param(_adult_dla_award, None, id="adult-dla-award"),
        pytest.param(_pip_claim, "that is a PIP claim, not DLA", id="pip-claim"),
        pytest.param(_ended_award, "not in payment", id="ended-award"),
        pytest.param(_undecided_claim, "has no award of DLA", id="no-award"),
        pytest.param(_another_customers_claim, "not this customer's", id="another-customer"),
    ],
)
def test_a_transition_for_someone_who_is_not_a_child_dla_recipient_is_refused(
    journeys: Journeys,
    who: Callable[[Journeys], tuple[UUID, UUID]],
    problem: str | None,
) -> None:
    customer_id, claim_id = who(journeys)
    with nothing_appended(journeys), pytest.raises(NotAChildDlaRecipient, match=problem) as error:
        journeys.application.start_transition(
            customer_id,
            dla_claim_id=claim_id,
            dla_weekly_pence=DLA_WEEKLY_PENCE,
            special_rules=False,
            condition=DisablingCondition.OTHER,
        )
    assert str(error.value).startswith("dla_claim_id")


def test_a_second_transition_for_the_same_young_person_is_refused(journeys: Journeys) -> None:
    child = child_on_dla(journeys, born=date(2011, 3, 12))
    with nothing_appended(journeys), pytest.raises(TransitionAlreadyStarted):
        journeys.application.start_transition(
            child.customer_id,
            dla_claim_id=child.dla_claim_id,
            dla_weekly_pence=DLA_WEEKLY_PENCE,
            special_rules=False,
            condition=DisablingCondition.OTHER,
        )


def test_a_pip_claim_dated_before_the_invitation_or_the_16th_birthday_is_refused(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    child = child_on_dla(journeys, born=date(2011, 3, 12))
    # Before the invitation went, a claim dated before the 16th birthday cannot be made.
    move_to(clock, date(2027, 3, 11))
    with nothing_appended(journeys), pytest.raises(ClaimBeforeInvitation, match="claim_date"):
        claim_pip(journeys, clock, child, date(2027, 3, 11))

    # The invitation went on 13 March 2027, a day late (the scheduler did not run on the
    # birthday): a claim dated 12 March, the birthday itself, is before the invitation.
    run_on(journeys, clock, date(2027, 3, 13))
    assert only(journeys, child, T.InvitationIssued).effective_date == date(2027, 3, 13)
    with nothing_appended(journeys), pytest.raises(ClaimBeforeInvitation, match="claim_date"):
        journeys.application.start_claim(
            customer_id=child.customer_id,
            benefit=BenefitType.PIP,
            channel=ClaimChannel.POST,
            claimant_role=ClaimantRole.CUSTOMER,
            claim_date=date(2027, 3, 12),
        )
    assert stage_of(journeys, child) == "invited"
    claim_pip(journeys, clock, child, date(2027, 3, 13))
    assert only(journeys, child, T.PipClaimed).claimed_in.value == "first_window"


def test_a_dla_appointee_cannot_claim_pip_until_someone_is_appointed_for_pip(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    child = child_on_dla(journeys, born=date(2011, 3, 12), appointee=True)
    app = journeys.application
    assert case(journeys, child).had_dla_appointee
    told = section(journeys, child)
    assert told.appointee is not None
    assert "cannot claim PIP for you" in told.appointee
    # On the "appointee needed" worklist, due on the 16th birthday, 12 March 2027: in the
    # week ahead from 5 March.
    assert child.customer_id in listed(journeys, APPOINTEE_NEEDED, None)
    move_to(clock, date(2027, 3, 4))
    assert child.customer_id not in listed(journeys, APPOINTEE_NEEDED, week_ahead(clock.today()))
    move_to(clock, date(2027, 3, 5))
    item = listed(journeys, APPOINTEE_NEEDED, week_ahead(clock.today()))[child.customer_id]
    assert item.due_on == date(2027, 3, 12)

    run_on(journeys, clock, date(2027, 3, 12))
    move_to(clock, date(2027, 3, 15))
    with nothing_appended(journeys), pytest.raises(AppointeeNotCarriedOver):
        claim_pip(journeys, clock, child, date(2027, 3, 15), role=ClaimantRole.APPOINTEE)
    pip_appointee = Appointee(name="Pat Young", relationship="parent")
    # An appointment dated before 16 is a DLA one: refused.
    with nothing_appended(journeys), pytest.raises(AppointeeNotCarriedOver, match="effective"):
        app.appoint_pip_appointee(
            child.customer_id, appointee=pip_appointee, effective_date=date(2027, 3, 11)
        )

    app.appoint_pip_appointee(
        child.customer_id, appointee=pip_appointee, effective_date=date(2027, 3, 15)
    )
    assert app.customer(child.customer_id).appointee == pip_appointee
    assert child.customer_id not in listed(journeys, APPOINTEE_NEEDED, None)
    assert section(journeys, child).appointee is None
    claim_pip(journeys, clock, child, date(2027, 3, 16), role=ClaimantRole.APPOINTEE)
    assert only(journeys, child, T.PipClaimed).effective_date == date(2027, 3, 16)
    assert every_decision_reproduces(journeys)
