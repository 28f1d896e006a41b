"""The six-point plan: every step in order, with who, when and a note; complete when all apply."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import (
    DateBeforeOpened,
    MissingDescription,
    OwnerMissing,
    PlanStepAlreadyRecorded,
    PlanStepNotApplicable,
    PlanStepOutOfOrder,
    StatementDetailsMissing,
)
from domain.six_point_plan import PlanStep, SixPointPlan, StatementDetails
from tests.unit.builders import event_names, refused, replay

STATEMENT_ON = date(2026, 4, 7)  # a Tuesday phone call
REVIEW_ON = date(2026, 4, 9)

S = PlanStep


def details(urgent: bool) -> StatementDetails:
    """What the caller said: tonight, with tablets at home."""
    return StatementDetails(
        what="said they would take an overdose", when="tonight", means="tablets", urgent=urgent
    )


def opened() -> SixPointPlan:
    """A plan opened for a statement made on 7 April 2026."""
    return SixPointPlan.open(
        customer_id=uuid4(), statement="I can't go on, I'll end it", made_on=STATEMENT_ON
    )


def step(
    plan: SixPointPlan, which: PlanStep, on: date = STATEMENT_ON, urgent: bool = False
) -> None:
    """Record a step by CW-21 with a note (details when gathering information)."""
    plan.record_step(
        which,
        done_by="CW-21",
        done_on=on,
        note=f"{which.value} done",
        details=details(urgent) if which is S.INFORMATION_GATHERED else None,
    )


def gathered(urgent: bool) -> SixPointPlan:
    """A plan through its first three steps on 7 April 2026."""
    plan = opened()
    for which in (S.TAKEN_SERIOUSLY, S.COLLEAGUE_SUMMONED, S.INFORMATION_GATHERED):
        step(plan, which, urgent=urgent)
    return plan


def test_a_non_urgent_plan_is_complete_after_referral_advice_and_the_line_manager_review() -> None:
    plan = gathered(urgent=False)
    assert plan.urgent is False
    assert plan.outstanding() == (S.REFERRAL_ADVICE_GIVEN, S.LINE_MANAGER_REVIEW)

    step(plan, S.REFERRAL_ADVICE_GIVEN)
    assert not plan.complete
    step(plan, S.LINE_MANAGER_REVIEW, on=REVIEW_ON)

    assert plan.complete
    assert plan.completed_on == REVIEW_ON
    assert event_names(plan)[-2:] == ["StepRecorded", "Completed"]
    assert plan.steps[S.LINE_MANAGER_REVIEW].done_by == "CW-21"


def test_an_urgent_plan_calls_emergency_help_and_referral_advice_does_not_apply() -> None:
    plan = gathered(urgent=True)

    with refused(plan, PlanStepNotApplicable, match=r"^step: referral_advice_given"):
        step(plan, S.REFERRAL_ADVICE_GIVEN)
    step(plan, S.EMERGENCY_HELP_CALLED)
    step(plan, S.LINE_MANAGER_REVIEW, on=REVIEW_ON)

    assert plan.complete
    assert S.REFERRAL_ADVICE_GIVEN not in plan.steps


def test_emergency_help_does_not_apply_to_a_plan_that_is_not_urgent() -> None:
    plan = gathered(urgent=False)

    with refused(plan, PlanStepNotApplicable):
        step(plan, S.EMERGENCY_HELP_CALLED)


@pytest.mark.parametrize(
    "which",
    [S.COLLEAGUE_SUMMONED, S.INFORMATION_GATHERED, S.REFERRAL_ADVICE_GIVEN, S.LINE_MANAGER_REVIEW],
)
def test_a_step_before_the_ones_it_follows_is_refused(which: PlanStep) -> None:
    plan = opened()

    with refused(plan, PlanStepOutOfOrder, match=r"next is taken_seriously"):
        step(plan, which)


def test_the_line_manager_review_comes_only_after_the_action_step() -> None:
    plan = gathered(urgent=False)

    with refused(plan, PlanStepOutOfOrder, match=r"next is referral_advice_given"):
        step(plan, S.LINE_MANAGER_REVIEW, on=REVIEW_ON)


def test_a_step_is_recorded_once() -> None:
    plan = opened()
    step(plan, S.TAKEN_SERIOUSLY)

    with refused(plan, PlanStepAlreadyRecorded, match="2026-04-07"):
        step(plan, S.TAKEN_SERIOUSLY)


def test_gathering_information_needs_what_when_and_means_and_no_other_step_takes_them() -> None:
    plan = opened()
    step(plan, S.TAKEN_SERIOUSLY)
    step(plan, S.COLLEAGUE_SUMMONED)

    with refused(plan, StatementDetailsMissing):
        plan.record_step(S.INFORMATION_GATHERED, done_by="CW-21", done_on=STATEMENT_ON, note="n")
    blank_means = details(urgent=True).model_copy(update={"means": " "})
    with refused(plan, MissingDescription, match=r"^details.means:"):
        plan.record_step(
            S.INFORMATION_GATHERED,
            done_by="CW-21",
            done_on=STATEMENT_ON,
            note="n",
            details=blank_means,
        )
    fresh = opened()
    with refused(fresh, StatementDetailsMissing):
        fresh.record_step(
            S.TAKEN_SERIOUSLY,
            done_by="CW-21",
            done_on=STATEMENT_ON,
            note="n",
            details=details(True),
        )


def test_each_step_names_who_did_it_with_a_note_on_or_after_the_step_before() -> None:
    plan = opened()

    with refused(plan, OwnerMissing, match=r"^done_by:"):
        plan.record_step(S.TAKEN_SERIOUSLY, done_by=" ", done_on=STATEMENT_ON, note="n")
    with refused(plan, MissingDescription, match=r"^note:"):
        plan.record_step(S.TAKEN_SERIOUSLY, done_by="CW-21", done_on=STATEMENT_ON, note="")
    with refused(plan, DateBeforeOpened, match=r"^done_on 2026-04-06"):
        step(plan, S.TAKEN_SERIOUSLY, on=date(2026, 4, 6))
    step(plan, S.TAKEN_SERIOUSLY, on=date(2026, 4, 8))
    with refused(plan, DateBeforeOpened, match=r"^done_on 2026-04-07"):
        step(plan, S.COLLEAGUE_SUMMONED, on=STATEMENT_ON)


def test_nothing_more_is_recorded_on_a_complete_plan() -> None:
    plan = gathered(urgent=False)
    step(plan, S.REFERRAL_ADVICE_GIVEN)
    step(plan, S.LINE_MANAGER_REVIEW, on=REVIEW_ON)

    with refused(plan, PlanStepNotApplicable):
        step(plan, S.EMERGENCY_HELP_CALLED, on=REVIEW_ON)
    with refused(plan, PlanStepAlreadyRecorded):
        step(plan, S.LINE_MANAGER_REVIEW, on=REVIEW_ON)


def test_a_replayed_plan_equals_the_live_one() -> None:
    plan = gathered(urgent=True)
    step(plan, S.EMERGENCY_HELP_CALLED)

    copy = replay(plan.collect_events())

    assert isinstance(copy, SixPointPlan)
    assert copy.steps == plan.steps
    assert copy.outstanding() == (S.LINE_MANAGER_REVIEW,)
