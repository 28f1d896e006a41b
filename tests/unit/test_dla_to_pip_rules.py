"""The DLA to PIP rules and the child DLA rules at their boundaries, each decision re-run."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from domain.periods import birthday
from domain.rules import RULES, rerun
from domain.rules.dla_child import (
    DLA_CHILD_AGE_REVIEWS,
    DLA_PAY_SCHEDULE,
    AgeReview,
    AgeReviews,
    DisablingCondition,
    PayCycle,
    PayDayFacts,
    ReviewFacts,
)
from domain.rules.dla_to_pip import (
    DLA_PIP_CLAIM_WINDOW,
    DLA_PIP_DLA_END_DATE,
    DLA_PIP_INVITATION,
    DLA_PIP_INVITATION_DATE,
    DLA_PIP_REINSTATEMENT,
    DLA_PIP_RESTART,
    DLA_PIP_SUSPENSION,
    DLA_PIP_TERMINATION,
    ClaimWindowFacts,
    Determination,
    DlaEnd,
    DlaEndBasis,
    DlaEndFacts,
    InvitationBasis,
    InvitationDecision,
    InvitationFacts,
    InvitationPlan,
    InvitationTimingFacts,
    Notice,
    Reinstatement,
    ReinstatementFacts,
    Restart,
    RestartFacts,
    SuspensionDay,
    SuspensionFacts,
    SuspensionTiming,
    Termination,
    TerminationFacts,
)
from domain.rules.framework import Decided, Rule
from domain.values import Region, Weekday

InputsT = TypeVar("InputsT", bound=BaseModel)
ParamsT = TypeVar("ParamsT", bound=BaseModel)
OutcomeT = TypeVar("OutcomeT", bound=BaseModel)

# DLA paid on Mondays every 4 weeks: 6 January 2025, 3 February, 3 March, 31 March, 28 April,
# 26 May, 23 June ...
MONDAYS = PayCycle(weekday=Weekday.MONDAY, first_pay_day=date(2025, 1, 6), cycle_weeks=4)


def decide(rule: Rule[InputsT, ParamsT, OutcomeT], facts: InputsT, on: date) -> Decided[OutcomeT]:
    """Decide with the version in force, and check the recorded decision re-runs to the same."""
    decided = rule.decide(facts, on=on)
    reproduction = rerun(decided.record)
    assert reproduction.reproduces, reproduction
    assert decided.record.rule_id == rule.rule_id
    assert rule.outcome_of(decided.record) == decided.outcome
    return decided


def test_every_dla_to_pip_rule_is_registered_for_re_running() -> None:
    for rule in (
        DLA_PAY_SCHEDULE,
        DLA_CHILD_AGE_REVIEWS,
        DLA_PIP_INVITATION_DATE,
        DLA_PIP_INVITATION,
        DLA_PIP_CLAIM_WINDOW,
        DLA_PIP_SUSPENSION,
        DLA_PIP_RESTART,
        DLA_PIP_TERMINATION,
        DLA_PIP_DLA_END_DATE,
        DLA_PIP_REINSTATEMENT,
    ):
        assert RULES[rule.rule_id] is rule


# -- the invitation date -------------------------------------------------------------------------


def plan(
    born: date,
    *,
    special_rules: bool = False,
    award_ends: date | None = None,
    region: Region = Region.GREAT_BRITAIN,
) -> Decided[InvitationPlan]:
    return decide(
        DLA_PIP_INVITATION_DATE,
        InvitationTimingFacts(
            date_of_birth=born,
            special_rules=special_rules,
            dla_award_ends_on=award_ends,
            region=region,
        ),
        on=date(2025, 1, 6),
    )


def test_the_invitation_is_due_on_the_16th_birthday() -> None:
    decided = plan(date(2009, 5, 10))
    assert decided.outcome.invite_on == date(2025, 5, 10)
    assert decided.outcome.sixteenth_birthday == date(2025, 5, 10)
    assert decided.outcome.basis is InvitationBasis.SIXTEENTH_BIRTHDAY
    assert decided.outcome.pre_16_letters == ()
    assert decided.record.rule_version == 1
    assert decided.record.outcome["invite_on"] == "2025-05-10"
    assert "on 2025-05-10" in decided.record.reasons[-1]


def test_a_29_february_birth_is_invited_on_29_february_when_16_falls_in_a_leap_year() -> None:
    assert plan(date(2008, 2, 29)).outcome.invite_on == date(2024, 2, 29)


def test_a_29_february_birth_is_invited_on_1_march_when_16_falls_in_a_common_year() -> None:
    # 2100 is not a leap year: the 16th birthday of someone born on 29 February 2084.
    assert plan(date(2084, 2, 29)).outcome.invite_on == date(2100, 3, 1)


def test_special_rules_dla_invites_20_weeks_before_the_award_ends() -> None:
    decided = plan(date(2009, 5, 10), special_rules=True, award_ends=date(2026, 3, 27))
    assert decided.outcome.invite_on == date(2025, 11, 7)
    assert decided.outcome.basis is InvitationBasis.SPECIAL_RULES_AWARD_END
    assert decided.outcome.sixteenth_birthday == date(2025, 5, 10)
    assert "20 weeks before, on 2025-11-07, not at 16." in decided.record.reasons[-1]


def test_special_rules_dla_is_never_invited_before_16() -> None:
    decided = plan(date(2009, 5, 10), special_rules=True, award_ends=date(2025, 8, 1))
    assert decided.outcome.invite_on == date(2025, 5, 10)
    assert decided.outcome.basis is InvitationBasis.SPECIAL_RULES_AWARD_END
    assert "but not before 16 (2025-05-10)" in decided.record.reasons[-1]


def test_special_rules_dla_ending_20_weeks_after_the_16th_birthday_is_invited_at_16() -> None:
    on_the_day = plan(date(2009, 5, 10), special_rules=True, award_ends=date(2025, 9, 27))
    assert on_the_day.outcome.invite_on == date(2025, 5, 10)
    assert "not before 16" not in on_the_day.record.reasons[-1]
    a_day_later = plan(date(2009, 5, 10), special_rules=True, award_ends=date(2025, 9, 28))
    assert a_day_later.outcome.invite_on == date(2025, 5, 11)


def test_special_rules_dla_without_an_end_date_is_invited_at_16() -> None:
    decided = plan(date(2009, 5, 10), special_rules=True, award_ends=None)
    assert decided.outcome.invite_on == date(2025, 5, 10)
    assert decided.outcome.basis is InvitationBasis.SIXTEENTH_BIRTHDAY
    assert any("no end date" in reason for reason in decided.record.reasons)


def test_an_award_end_date_does_not_matter_without_the_special_rules() -> None:
    decided = plan(date(2009, 5, 10), special_rules=False, award_ends=date(2026, 3, 27))
    assert decided.outcome.invite_on == date(2025, 5, 10)
    assert decided.outcome.basis is InvitationBasis.SIXTEENTH_BIRTHDAY


def test_northern_ireland_writes_at_15_years_7_months_and_15_years_10_months() -> None:
    decided = plan(date(2009, 5, 10), region=Region.NORTHERN_IRELAND)
    assert decided.outcome.pre_16_letters == (date(2024, 12, 10), date(2025, 3, 10))
    assert decided.outcome.invite_on == date(2025, 5, 10)
    assert "2024-12-10, 2025-03-10" in decided.record.reasons[-1]


def test_born_31_july_the_15_years_7_months_letter_goes_on_29_february_in_a_leap_year() -> None:
    decided = plan(date(2008, 7, 31), region=Region.NORTHERN_IRELAND)
    assert decided.outcome.pre_16_letters == (date(2024, 2, 29), date(2024, 5, 31))


def test_born_31_july_the_15_years_7_months_letter_goes_on_28_february_in_a_common_year() -> None:
    decided = plan(date(2009, 7, 31), region=Region.NORTHERN_IRELAND)
    assert decided.outcome.pre_16_letters == (date(2025, 2, 28), date(2025, 5, 31))


def test_born_29_february_the_letters_count_from_the_birth_not_from_1_march() -> None:
    # 15 years and 7 (10) months after 29 February 2008: 29 September (December) 2023.
    decided = plan(date(2008, 2, 29), region=Region.NORTHERN_IRELAND)
    assert decided.outcome.pre_16_letters == (date(2023, 9, 29), date(2023, 12, 29))


def test_great_britain_sends_no_letters_before_16() -> None:
    assert plan(date(2009, 7, 31), region=Region.GREAT_BRITAIN).outcome.pre_16_letters == ()


def test_northern_ireland_sends_no_letters_before_16_for_special_rules_dla_with_an_end() -> None:
    decided = plan(
        date(2009, 5, 10),
        special_rules=True,
        award_ends=date(2026, 3, 27),
        region=Region.NORTHERN_IRELAND,
    )
    assert decided.outcome.pre_16_letters == ()


@given(
    born=st.dates(min_value=date(1998, 1, 1), max_value=date(2030, 12, 31)),
    special_rules=st.booleans(),
    award_ends_after_16=st.none() | st.integers(-400, 2000),
    region=st.sampled_from(list(Region)),
)
@settings(max_examples=100)
def test_the_invitation_is_never_before_16_and_special_rules_go_20_weeks_before_the_end(
    born: date, special_rules: bool, award_ends_after_16: int | None, region: Region
) -> None:
    sixteen = birthday(born, 16)
    award_ends = None
    if award_ends_after_16 is not None:
        award_ends = sixteen + timedelta(days=award_ends_after_16)
    outcome = plan(born, special_rules=special_rules, award_ends=award_ends, region=region).outcome
    assert outcome.sixteenth_birthday == sixteen
    if special_rules and award_ends is not None:
        assert outcome.basis is InvitationBasis.SPECIAL_RULES_AWARD_END
        assert outcome.invite_on == max(award_ends - timedelta(weeks=20), sixteen)
        assert outcome.pre_16_letters == ()
    else:
        assert outcome.basis is InvitationBasis.SIXTEENTH_BIRTHDAY
        assert outcome.invite_on == sixteen
        assert len(outcome.pre_16_letters) == (2 if region is Region.NORTHERN_IRELAND else 0)
        assert all(letter < sixteen for letter in outcome.pre_16_letters)


# -- sending the invitation ----------------------------------------------------------------------

SIXTEEN = date(2025, 5, 10)


def invitation(
    checked_on: date,
    *,
    admitted: date | None = None,
    discharged: date | None = None,
    basis: InvitationBasis = InvitationBasis.SIXTEENTH_BIRTHDAY,
    invite_on: date = SIXTEEN,
) -> Decided[InvitationDecision]:
    return decide(
        DLA_PIP_INVITATION,
        InvitationFacts(
            invite_on=invite_on,
            checked_on=checked_on,
            basis=basis,
            sixteenth_birthday=SIXTEEN,
            hospital_admitted_on=admitted,
            hospital_discharged_on=discharged,
        ),
        on=checked_on,
    )


SEND = InvitationDecision(send=True, deferred_until_discharge=False)
DEFER = InvitationDecision(send=False, deferred_until_discharge=True)
NOT_YET = InvitationDecision(send=False, deferred_until_discharge=False)


def test_the_invitation_is_not_sent_the_day_before_it_is_due() -> None:
    decided = invitation(date(2025, 5, 9))
    assert decided.outcome == NOT_YET
    assert "not due until 2025-05-10" in decided.record.reasons[0]


def test_the_invitation_is_sent_on_the_day_it_is_due() -> None:
    assert invitation(SIXTEEN).outcome == SEND


def test_the_invitation_is_sent_when_checked_after_the_day_it_was_due() -> None:
    decided = invitation(date(2025, 5, 14))
    assert decided.outcome == SEND
    assert "due on 2025-05-10: it goes on 2025-05-14" in decided.record.reasons[0]


def test_in_hospital_on_the_16th_birthday_the_invitation_waits_for_discharge() -> None:
    decided = invitation(SIXTEEN, admitted=date(2025, 5, 1))
    assert decided.outcome == DEFER
    assert "waits until discharge" in decided.record.reasons[0]


def test_admitted_on_the_16th_birthday_itself_the_invitation_waits() -> None:
    assert invitation(SIXTEEN, admitted=SIXTEEN).outcome == DEFER


def test_the_invitation_waits_while_the_discharge_is_still_ahead() -> None:
    decided = invitation(date(2025, 5, 20), admitted=date(2025, 5, 1), discharged=date(2025, 5, 21))
    assert decided.outcome == DEFER


def test_the_invitation_goes_on_the_day_of_discharge() -> None:
    decided = invitation(date(2025, 5, 21), admitted=date(2025, 5, 1), discharged=date(2025, 5, 21))
    assert decided.outcome == SEND
    assert "discharged on 2025-05-21" in decided.record.reasons[0]


def test_the_invitation_goes_after_discharge() -> None:
    decided = invitation(date(2025, 6, 2), admitted=date(2025, 5, 1), discharged=date(2025, 5, 21))
    assert decided.outcome == SEND


def test_discharged_before_the_16th_birthday_the_invitation_goes_at_16() -> None:
    decided = invitation(SIXTEEN, admitted=date(2025, 4, 1), discharged=date(2025, 5, 9))
    assert decided.outcome == SEND


def test_an_admission_after_the_16th_birthday_does_not_defer_the_invitation() -> None:
    assert invitation(date(2025, 5, 12), admitted=date(2025, 5, 11)).outcome == SEND


def test_special_rules_invitations_do_not_wait_for_a_hospital_discharge() -> None:
    decided = invitation(
        date(2025, 11, 7),
        admitted=date(2025, 5, 1),
        basis=InvitationBasis.SPECIAL_RULES_AWARD_END,
        invite_on=date(2025, 11, 7),
    )
    assert decided.outcome == SEND


# -- claim windows -------------------------------------------------------------------------------


def claim_by(sent_on: date, notice: Notice = Notice.INVITATION) -> date:
    return decide(
        DLA_PIP_CLAIM_WINDOW, ClaimWindowFacts(notice=notice, sent_on=sent_on), on=sent_on
    ).outcome.claim_by


def test_an_invitation_sent_on_12_march_must_be_answered_by_8_april() -> None:
    assert claim_by(date(2025, 3, 12)) == date(2025, 4, 8)


def test_a_second_notice_gives_the_same_28_days() -> None:
    assert claim_by(date(2025, 3, 12), Notice.SECOND_NOTICE) == date(2025, 4, 8)


def test_a_window_opened_on_31_january_closes_on_27_february() -> None:
    assert claim_by(date(2025, 1, 31)) == date(2025, 2, 27)


def test_a_window_across_29_february_closes_a_day_earlier_in_a_leap_year() -> None:
    assert claim_by(date(2024, 2, 10)) == date(2024, 3, 8)
    assert claim_by(date(2025, 2, 10)) == date(2025, 3, 9)


def test_a_window_across_the_year_end_closes_in_january() -> None:
    assert claim_by(date(2025, 12, 20)) == date(2026, 1, 16)


def test_the_claim_window_explains_how_claims_count() -> None:
    record = decide(
        DLA_PIP_CLAIM_WINDOW,
        ClaimWindowFacts(notice=Notice.SECOND_NOTICE, sent_on=date(2025, 3, 12)),
        on=date(2025, 3, 12),
    ).record
    assert record.rule_id == "dla_pip.claim_window"
    assert record.inputs == {"notice": "second_notice", "sent_on": "2025-03-12"}
    assert record.outcome == {"claim_by": "2025-04-08"}
    assert record.reasons[0].startswith("The second notice was sent on 2025-03-12")
    assert "phone claim counts on the day of the call" in record.reasons[0]


@given(sent_on=st.dates(min_value=date(2013, 4, 8), max_value=date(2100, 12, 31)))
@settings(max_examples=100)
def test_the_last_day_to_claim_is_always_27_days_after_the_letter(sent_on: date) -> None:
    assert claim_by(sent_on) - sent_on == timedelta(days=27)


# -- suspension, restart and termination ---------------------------------------------------------


def suspended_from(no_claim_after: date, cycle: PayCycle = MONDAYS) -> date:
    return decide(
        DLA_PIP_SUSPENSION,
        SuspensionFacts(no_claim_after=no_claim_after, pay_cycle=cycle),
        on=no_claim_after,
    ).outcome.suspended_from


def test_dla_is_suspended_from_the_first_pay_day_after_the_deadline() -> None:
    assert suspended_from(date(2025, 4, 8)) == date(2025, 4, 28)


def test_a_deadline_on_a_pay_day_suspends_from_the_next_pay_day_a_cycle_later() -> None:
    assert suspended_from(date(2025, 3, 31)) == date(2025, 4, 28)


def test_a_deadline_the_day_before_a_pay_day_suspends_from_that_pay_day() -> None:
    assert suspended_from(date(2025, 3, 30)) == date(2025, 3, 31)


def test_the_suspension_explains_its_day() -> None:
    record = decide(
        DLA_PIP_SUSPENSION,
        SuspensionFacts(no_claim_after=date(2025, 4, 8), pay_cycle=MONDAYS),
        on=date(2025, 4, 8),
    ).record
    assert record.outcome == {"suspended_from": "2025-04-28"}
    assert "first DLA pay day after that, 2025-04-28" in record.reasons[0]


def test_with_the_day_after_deadline_parameter_dla_is_suspended_the_day_after() -> None:
    timing = SuspensionTiming(suspend_from=SuspensionDay.DAY_AFTER_DEADLINE)
    for deadline, expected in [
        (date(2025, 4, 8), date(2025, 4, 9)),
        (date(2025, 3, 31), date(2025, 4, 1)),
        (date(2024, 2, 28), date(2024, 2, 29)),
        (date(2025, 12, 31), date(2026, 1, 1)),
    ]:
        evaluation = DLA_PIP_SUSPENSION.evaluate(
            SuspensionFacts(no_claim_after=deadline, pay_cycle=MONDAYS), timing
        )
        assert evaluation.outcome.suspended_from == expected
        assert f"the day after, {expected.isoformat()}" in evaluation.reasons[0]


@given(
    first_pay_day=st.dates(min_value=date(1995, 1, 1), max_value=date(2030, 12, 31)),
    days_later=st.integers(-60, 6000),
    cycle_weeks=st.integers(1, 8),
)
@settings(max_examples=100)
def test_the_suspension_day_is_a_pay_day_after_the_deadline_and_within_one_cycle_of_it(
    first_pay_day: date, days_later: int, cycle_weeks: int
) -> None:
    cycle = PayCycle(
        weekday=list(Weekday)[first_pay_day.weekday()],
        first_pay_day=first_pay_day,
        cycle_weeks=cycle_weeks,
    )
    deadline = max(first_pay_day + timedelta(days=days_later), date(2013, 4, 8))
    suspended = suspended_from(deadline, cycle)
    assert suspended > deadline
    assert suspended.weekday() == first_pay_day.weekday()
    assert (suspended - first_pay_day).days % (7 * cycle_weeks) == 0
    if deadline >= first_pay_day:
        assert (suspended - deadline).days <= 7 * cycle_weeks


SUSPENDED_FROM = date(2025, 4, 28)


def restart(claim_date: date) -> Decided[Restart]:
    return decide(
        DLA_PIP_RESTART,
        RestartFacts(suspended_from=SUSPENDED_FROM, claim_date=claim_date),
        on=claim_date,
    )


def test_a_claim_before_the_suspension_day_carries_dla_on_with_no_gap() -> None:
    decided = restart(date(2025, 4, 20))
    assert decided.outcome == Restart(restart_on=SUSPENDED_FROM, unpaid_from=None, unpaid_to=None)
    assert "no gap" in decided.record.reasons[0]


def test_a_claim_on_the_suspension_day_carries_dla_on_with_no_gap() -> None:
    assert restart(SUSPENDED_FROM).outcome == Restart(
        restart_on=SUSPENDED_FROM, unpaid_from=None, unpaid_to=None
    )


def test_a_claim_the_day_after_the_suspension_day_leaves_that_one_day_unpaid() -> None:
    assert restart(date(2025, 4, 29)).outcome == Restart(
        restart_on=date(2025, 4, 29), unpaid_from=SUSPENDED_FROM, unpaid_to=SUSPENDED_FROM
    )


def test_a_claim_after_the_suspension_restarts_dla_that_day_without_back_pay() -> None:
    decided = restart(date(2025, 5, 6))
    assert decided.outcome == Restart(
        restart_on=date(2025, 5, 6), unpaid_from=SUSPENDED_FROM, unpaid_to=date(2025, 5, 5)
    )
    assert "No back-pay for the suspended days, 2025-04-28 to 2025-05-05." in (
        decided.record.reasons
    )


def test_without_a_claim_after_the_second_notice_dla_ends_the_day_before_its_suspension() -> None:
    decided = decide(
        DLA_PIP_TERMINATION,
        TerminationFacts(suspended_from=SUSPENDED_FROM, second_claim_by=date(2025, 5, 22)),
        on=date(2025, 5, 23),
    )
    assert decided.outcome == Termination(dla_ends_on=date(2025, 4, 27))
    assert "Still no PIP claim by 2025-05-22" in decided.record.reasons[0]
    assert "its last day is 2025-04-27" in decided.record.reasons[0]


def test_dla_ends_on_28_february_when_suspended_from_1_march_in_a_common_year() -> None:
    decided = decide(
        DLA_PIP_TERMINATION,
        TerminationFacts(suspended_from=date(2025, 3, 1), second_claim_by=date(2025, 3, 20)),
        on=date(2025, 3, 21),
    )
    assert decided.outcome.dla_ends_on == date(2025, 2, 28)


# -- DLA's end once the PIP claim is determined --------------------------------------------------


def dla_end(
    decided_on: date,
    *,
    determination: Determination = Determination.DECIDED,
    pip_awarded: bool = True,
    terminally_ill: bool = False,
    pip_weekly: int | None = 10_000,
    dla_weekly: int = 7_000,
    cycle: PayCycle = MONDAYS,
) -> Decided[DlaEnd]:
    return decide(
        DLA_PIP_DLA_END_DATE,
        DlaEndFacts(
            determination=determination,
            decided_on=decided_on,
            pay_cycle=cycle,
            pip_awarded=pip_awarded,
            terminally_ill=terminally_ill,
            pip_weekly_pence=pip_weekly,
            dla_weekly_pence=dla_weekly,
        ),
        on=decided_on,
    )


def test_after_the_pip_decision_dla_ends_28_days_from_the_next_pay_day_and_pip_follows() -> None:
    decided = dla_end(date(2025, 4, 8))
    assert decided.outcome == DlaEnd(
        dla_ends_on=date(2025, 5, 25),
        pip_starts_on=date(2025, 5, 26),
        basis=DlaEndBasis.AFTER_PIP_DECISION,
    )
    assert (
        "first DLA pay day after the decision (2025-04-28): 2025-05-25"
        in (decided.record.reasons[0])
    )
    assert decided.record.reasons[1] == "PIP starts the day after, 2025-05-26."


def test_a_pip_decision_on_a_pay_day_counts_from_the_next_pay_day() -> None:
    decided = dla_end(date(2025, 3, 31))
    assert decided.outcome.dla_ends_on == date(2025, 5, 25)
    assert decided.outcome.pip_starts_on == date(2025, 5, 26)


def test_a_pip_decision_the_day_before_a_pay_day_counts_from_that_pay_day() -> None:
    assert dla_end(date(2025, 3, 30)).outcome.dla_ends_on == date(2025, 4, 27)


def test_when_pip_is_not_awarded_dla_still_ends_and_nothing_follows() -> None:
    decided = dla_end(date(2025, 4, 8), pip_awarded=False, pip_weekly=None)
    assert decided.outcome == DlaEnd(
        dla_ends_on=date(2025, 5, 25), pip_starts_on=None, basis=DlaEndBasis.AFTER_PIP_DECISION
    )
    assert "nothing follows DLA" in decided.record.reasons[-1]


def test_terminally_ill_with_more_pip_dla_ends_on_the_first_tuesday_when_that_is_earlier() -> None:
    # Decided on Wednesday 9 April: the payment period runs to 27 April; the Tuesday is 15 April.
    decided = dla_end(date(2025, 4, 9), terminally_ill=True, pip_weekly=18_000)
    assert decided.outcome == DlaEnd(
        dla_ends_on=date(2025, 4, 15),
        pip_starts_on=date(2025, 4, 16),
        basis=DlaEndBasis.TERMINAL_ILLNESS,
    )
    assert "the first Tuesday after the decision, 2025-04-15" in decided.record.reasons[1]


def test_terminally_ill_with_more_pip_dla_ends_with_the_payment_period_when_that_is_earlier() -> (
    None
):
    # Decided on Friday 25 April: the payment period ends on Sunday 27 April, before Tuesday 29.
    decided = dla_end(date(2025, 4, 25), terminally_ill=True, pip_weekly=18_000)
    assert decided.outcome == DlaEnd(
        dla_ends_on=date(2025, 4, 27),
        pip_starts_on=date(2025, 4, 28),
        basis=DlaEndBasis.TERMINAL_ILLNESS,
    )
    assert "the end of the current payment period, 2025-04-27" in decided.record.reasons[1]


def test_terminally_ill_and_decided_on_a_tuesday_dla_runs_to_the_next_tuesday() -> None:
    decided = dla_end(date(2025, 4, 8), terminally_ill=True, pip_weekly=18_000)
    assert decided.outcome.dla_ends_on == date(2025, 4, 15)


def test_terminally_ill_and_decided_the_day_before_a_pay_day_dla_ends_that_day() -> None:
    decided = dla_end(date(2025, 4, 27), terminally_ill=True, pip_weekly=18_000)
    assert decided.outcome.dla_ends_on == date(2025, 4, 27)
    assert decided.outcome.pip_starts_on == date(2025, 4, 28)


def test_terminally_ill_with_pip_equal_to_dla_the_ordinary_rule_applies() -> None:
    decided = dla_end(date(2025, 4, 9), terminally_ill=True, pip_weekly=7_000, dla_weekly=7_000)
    assert decided.outcome == DlaEnd(
        dla_ends_on=date(2025, 5, 25),
        pip_starts_on=date(2025, 5, 26),
        basis=DlaEndBasis.AFTER_PIP_DECISION,
    )
    assert "is not more than DLA (7000p)" in decided.record.reasons[0]


def test_terminally_ill_with_pip_less_than_dla_the_ordinary_rule_applies() -> None:
    decided = dla_end(date(2025, 4, 9), terminally_ill=True, pip_weekly=6_999, dla_weekly=7_000)
    assert decided.outcome.basis is DlaEndBasis.AFTER_PIP_DECISION
    assert decided.outcome.dla_ends_on == date(2025, 5, 25)


def test_terminally_ill_with_pip_a_penny_more_than_dla_the_exception_applies() -> None:
    decided = dla_end(date(2025, 4, 9), terminally_ill=True, pip_weekly=7_001, dla_weekly=7_000)
    assert decided.outcome.basis is DlaEndBasis.TERMINAL_ILLNESS


def test_terminally_ill_with_an_unknown_pip_weekly_amount_the_ordinary_rule_applies() -> None:
    decided = dla_end(date(2025, 4, 9), terminally_ill=True, pip_weekly=None)
    assert decided.outcome.basis is DlaEndBasis.AFTER_PIP_DECISION
    assert decided.outcome.dla_ends_on == date(2025, 5, 25)
    assert "not in the rate tables" in decided.record.reasons[0]


def test_terminally_ill_without_a_pip_award_the_ordinary_rule_applies() -> None:
    decided = dla_end(date(2025, 4, 9), terminally_ill=True, pip_awarded=False, pip_weekly=None)
    assert decided.outcome == DlaEnd(
        dla_ends_on=date(2025, 5, 25), pip_starts_on=None, basis=DlaEndBasis.AFTER_PIP_DECISION
    )


def test_after_a_negative_determination_dla_ends_14_days_from_the_next_pay_day() -> None:
    decided = dla_end(
        date(2025, 4, 9),
        determination=Determination.NEGATIVE_DETERMINATION,
        pip_awarded=False,
        pip_weekly=None,
    )
    assert decided.outcome == DlaEnd(
        dla_ends_on=date(2025, 5, 11),
        pip_starts_on=None,
        basis=DlaEndBasis.NEGATIVE_DETERMINATION,
    )
    assert "first DLA pay day after it (2025-04-28): 2025-05-11" in decided.record.reasons[0]


def test_a_negative_determination_on_a_pay_day_counts_from_the_next_pay_day() -> None:
    decided = dla_end(
        date(2025, 4, 28),
        determination=Determination.NEGATIVE_DETERMINATION,
        pip_awarded=False,
        pip_weekly=None,
    )
    assert decided.outcome.dla_ends_on == date(2025, 6, 8)


@given(
    decided_on=st.dates(min_value=MONDAYS.first_pay_day, max_value=date(2040, 12, 31)),
    pip_awarded=st.booleans(),
)
@settings(max_examples=100)
def test_after_a_decision_dla_ends_27_days_after_a_pay_day_and_pip_starts_the_next_day(
    decided_on: date, pip_awarded: bool
) -> None:
    end = dla_end(decided_on, pip_awarded=pip_awarded).outcome
    pay_day = end.dla_ends_on - timedelta(days=27)
    assert pay_day > decided_on
    assert (pay_day - decided_on).days <= 28
    assert (pay_day - MONDAYS.first_pay_day).days % 28 == 0
    expected_start = end.dla_ends_on + timedelta(days=1) if pip_awarded else None
    assert end.pip_starts_on == expected_start


@given(
    decided_on=st.dates(min_value=MONDAYS.first_pay_day, max_value=date(2040, 12, 31)),
    pip_weekly=st.integers(7_001, 30_000),
)
@settings(max_examples=100)
def test_terminally_ill_dla_ends_within_a_week_and_never_after_the_payment_period(
    decided_on: date, pip_weekly: int
) -> None:
    end = dla_end(decided_on, terminally_ill=True, pip_weekly=pip_weekly).outcome
    assert end.basis is DlaEndBasis.TERMINAL_ILLNESS
    assert decided_on <= end.dla_ends_on <= decided_on + timedelta(days=7)
    assert end.dla_ends_on < MONDAYS.first_pay_day_after(decided_on)
    assert end.pip_starts_on == end.dla_ends_on + timedelta(days=1)


# -- reinstatement -------------------------------------------------------------------------------

DLA_LAST_DAY = date(2025, 5, 11)


def reinstatement(accepted_on: date) -> Decided[Reinstatement]:
    return decide(
        DLA_PIP_REINSTATEMENT,
        ReinstatementFacts(dla_ends_on=DLA_LAST_DAY, good_reason_accepted_on=accepted_on),
        on=accepted_on,
    )


def test_a_good_reason_accepted_before_dla_ends_keeps_dla_with_no_arrears() -> None:
    decided = reinstatement(date(2025, 5, 1))
    assert decided.outcome.arrears_from is None
    assert "DLA does not end" in decided.record.reasons[0]


def test_a_good_reason_accepted_on_dlas_last_day_keeps_dla_with_no_arrears() -> None:
    assert reinstatement(DLA_LAST_DAY).outcome.arrears_from is None


def test_a_good_reason_accepted_after_dla_ended_reinstates_it_from_the_day_after() -> None:
    decided = reinstatement(date(2025, 5, 12))
    assert decided.outcome.arrears_from == date(2025, 5, 12)
    later = reinstatement(date(2025, 7, 1))
    assert later.outcome.arrears_from == date(2025, 5, 12)
    assert "reinstated from 2025-05-12" in later.record.reasons[0]


# -- the DLA pay schedule ------------------------------------------------------------------------

AWARD_STARTS_WEDNESDAY = date(2025, 1, 1)


def pay_cycle(digits: str, starts: date = AWARD_STARTS_WEDNESDAY) -> PayCycle:
    return decide(
        DLA_PAY_SCHEDULE, PayDayFacts(nino_digits=digits, award_starts_on=starts), on=starts
    ).outcome


@pytest.mark.parametrize(
    ("digits", "weekday", "first_pay_day"),
    [
        ("00", Weekday.MONDAY, date(2025, 1, 6)),
        ("19", Weekday.MONDAY, date(2025, 1, 6)),
        ("20", Weekday.TUESDAY, date(2025, 1, 7)),
        ("39", Weekday.TUESDAY, date(2025, 1, 7)),
        ("40", Weekday.WEDNESDAY, date(2025, 1, 1)),
        ("59", Weekday.WEDNESDAY, date(2025, 1, 1)),
        ("60", Weekday.THURSDAY, date(2025, 1, 2)),
        ("79", Weekday.THURSDAY, date(2025, 1, 2)),
        ("80", Weekday.FRIDAY, date(2025, 1, 3)),
        ("99", Weekday.FRIDAY, date(2025, 1, 3)),
    ],
)
def test_the_nino_digits_set_the_pay_day_from_the_award_start(
    digits: str, weekday: Weekday, first_pay_day: date
) -> None:
    assert pay_cycle(digits) == PayCycle(
        weekday=weekday, first_pay_day=first_pay_day, cycle_weeks=4
    )


def test_an_award_starting_on_the_pay_weekday_is_first_paid_that_day() -> None:
    assert pay_cycle("40").first_pay_day == AWARD_STARTS_WEDNESDAY
    assert pay_cycle("00", date(2025, 1, 6)).first_pay_day == date(2025, 1, 6)


def test_the_pay_schedule_explains_the_weekday_and_the_first_pay_day() -> None:
    record = decide(
        DLA_PAY_SCHEDULE,
        PayDayFacts(nino_digits="56", award_starts_on=AWARD_STARTS_WEDNESDAY),
        on=AWARD_STARTS_WEDNESDAY,
    ).record
    assert record.reasons[0] == "A NINO ending in 56 is paid on a Wednesday."
    assert "the first pay day is 2025-01-01, then every 4 weeks" in record.reasons[1]


@pytest.mark.parametrize("digits", ["5", "100", "A1", ""])
def test_nino_digits_must_be_two_digits(digits: str) -> None:
    with pytest.raises(ValidationError):
        PayDayFacts(nino_digits=digits, award_starts_on=AWARD_STARTS_WEDNESDAY)


def test_the_first_pay_day_after_a_day_is_strictly_after_it() -> None:
    assert MONDAYS.first_pay_day_after(date(2025, 1, 5)) == date(2025, 1, 6)
    assert MONDAYS.first_pay_day_after(date(2025, 1, 6)) == date(2025, 2, 3)
    assert MONDAYS.first_pay_day_after(date(2025, 2, 2)) == date(2025, 2, 3)


# -- age reviews of child awards -----------------------------------------------------------------

BORN = date(2012, 6, 15)


def reviews(
    started_on: date, condition: DisablingCondition = DisablingCondition.OTHER, born: date = BORN
) -> Decided[AgeReviews]:
    return decide(
        DLA_CHILD_AGE_REVIEWS,
        ReviewFacts(date_of_birth=born, condition=condition, started_on=started_on),
        on=started_on,
    )


def test_a_young_childs_award_is_reviewed_at_7_and_14() -> None:
    decided = reviews(date(2018, 1, 1))
    assert decided.outcome.reviews == (
        AgeReview(age=7, due_on=date(2019, 6, 15)),
        AgeReview(age=14, due_on=date(2026, 6, 15)),
    )
    assert "Review at age 7 due on 2019-06-15." in decided.record.reasons


def test_only_reviews_still_in_the_future_are_scheduled() -> None:
    assert reviews(date(2020, 1, 1)).outcome.reviews == (
        AgeReview(age=14, due_on=date(2026, 6, 15)),
    )


def test_a_review_due_on_the_start_day_itself_is_not_scheduled() -> None:
    assert reviews(date(2019, 6, 15)).outcome.reviews == (
        AgeReview(age=14, due_on=date(2026, 6, 15)),
    )
    assert [r.age for r in reviews(date(2019, 6, 14)).outcome.reviews] == [7, 14]


def test_no_review_is_scheduled_when_both_ages_have_passed() -> None:
    decided = reviews(date(2026, 6, 15))
    assert decided.outcome.reviews == ()
    assert "Every review age has passed by 2026-06-15." in decided.record.reasons


@pytest.mark.parametrize("condition", [DisablingCondition.ADHD, DisablingCondition.AUTISM])
def test_awards_for_adhd_and_autism_are_not_reviewed_at_7_or_14(
    condition: DisablingCondition,
) -> None:
    decided = reviews(date(2018, 1, 1), condition)
    assert decided.outcome.reviews == ()
    assert (
        f"awards for {condition.value} are not reviewed at ages 7, 14"
        in (decided.record.reasons[0])
    )


def test_a_29_february_birth_is_reviewed_on_1_march_in_common_years() -> None:
    assert reviews(date(2013, 6, 1), born=date(2012, 2, 29)).outcome.reviews == (
        AgeReview(age=7, due_on=date(2019, 3, 1)),
        AgeReview(age=14, due_on=date(2026, 3, 1)),
    )
