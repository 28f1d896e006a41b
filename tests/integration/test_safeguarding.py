"""Safeguarding through the real system on SQLite and PostgreSQL: dated scenarios end to end.

Each scenario drives the use cases (as a named caseworker), then reads the caseworker case
items, the timeline and the customer's own view, which must never mention any of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

import pytest

from adapters.bootstrap import Journeys
from domain.aggregate import acting_as
from domain.errors import (
    CustomerDeceased,
    PlanStepOutOfOrder,
    RecommendationsOutstanding,
    ReleaseBySameColleague,
)
from domain.six_point_plan import PlanStep, StatementDetails
from domain.values import Actor, BenefitType, SupportDuration, SupportMarker, SupportNeed
from projections.model import (
    CaseItem,
    CaseItemKind,
    CaseItemQuery,
    LedgerQuery,
    Page,
    TimelineQuery,
)
from projections.runner import ProjectionRunner
from services.clock import SimulatedClock
from services.errors import (
    ConcernNotFound,
    CustomerNotFound,
    DateInFuture,
    LumpSumNotFound,
    SeriousCaseNotFound,
    SixPointPlanNotFound,
)
from tests.integration.helpers import nothing_appended, register, start_claim
from tests.projections.helpers import dump_views, fresh_view_store
from tests.scenarios.steps import move_to

CW_A = Actor.caseworker("CW-501")
CW_B = Actor.caseworker("CW-502")


def item(journeys: Journeys, item_id: UUID) -> CaseItem:
    """A case item once the views have caught up."""
    journeys.projections.catch_up()
    found = journeys.views.read_case_item(item_id)
    assert found is not None
    return found


def open_items(journeys: Journeys, kind: CaseItemKind) -> list[UUID]:
    """The ids on a kind's worklist of open items."""
    journeys.projections.catch_up()
    items, _ = journeys.views.read_case_items(CaseItemQuery(kind=kind, open=True), Page(limit=500))
    return [entry.item_id for entry in items]


def customer_sees(journeys: Journeys, customer_id: UUID) -> str:
    """The customer's own self-service document, as JSON text."""
    journeys.projections.catch_up()
    view = journeys.views.read_self_service(customer_id)
    assert view is not None
    return json.dumps(view.model_dump(mode="json"))


def timeline(journeys: Journeys, customer_id: UUID) -> list[str]:
    """The summaries on the customer's caseworker timeline."""
    journeys.projections.catch_up()
    entries, _ = journeys.views.read_timeline(
        TimelineQuery(customer_id=customer_id), Page(limit=500)
    )
    return [entry.summary for entry in entries]


def test_a_concern_raised_on_5_january_is_reassigned_then_closed_with_its_outcome(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    with acting_as(CW_A):
        concern_id = app.raise_concern(
            customer_id=customer_id,
            policy=None,
            description="Sounded confused about the payment date",
            owner="TL-7",
            due_on=date(2026, 1, 19),
            raised_on=date(2026, 1, 5),
        ).id

    raised = item(journeys, concern_id)
    assert (raised.kind, raised.customer_id, raised.owner, raised.due_on) == (
        CaseItemKind.CONCERN,
        customer_id,
        "TL-7",
        date(2026, 1, 19),
    )
    assert raised.details["raised_by"] == "CW-501"
    assert concern_id in open_items(journeys, CaseItemKind.CONCERN)
    assert raised.overdue(date(2026, 1, 20))
    assert not raised.overdue(date(2026, 1, 19))

    move_to(clock, date(2026, 1, 7))
    with acting_as(CW_A):
        app.reassign_concern(
            concern_id, owner="TL-8", reason="TL-7 on leave", reassigned_on=date(2026, 1, 7)
        )
    move_to(clock, date(2026, 1, 12))
    with acting_as(CW_B):
        app.record_concern_outcome(
            concern_id, outcome="Called back; date explained", recorded_on=date(2026, 1, 12)
        )

    closed = item(journeys, concern_id)
    assert (closed.open, closed.status, closed.owner, closed.closed_on) == (
        False,
        "closed",
        "TL-8",
        date(2026, 1, 12),
    )
    assert closed.details["outcome"] == "Called back; date explained"
    assert concern_id not in open_items(journeys, CaseItemKind.CONCERN)
    assert app.concern(concern_id).closed
    assert "Concern reassigned to TL-8: TL-7 on leave" in timeline(journeys, customer_id)
    seen = customer_sees(journeys, customer_id)
    assert "confused" not in seen
    assert "TL-7" not in seen
    assert "oncern" not in seen


def test_a_concern_about_a_policy_has_no_customer(journeys: Journeys) -> None:
    with acting_as(CW_A):
        concern_id = journeys.application.raise_concern(
            customer_id=None,
            policy="Letters to customers with no fixed address",
            description="Letters go to old addresses",
            owner="POLICY-1",
            due_on=date(2026, 2, 2),
            raised_on=date(2026, 1, 5),
        ).id

    policy = item(journeys, concern_id)
    assert policy.customer_id is None
    assert policy.details["policy"] == "Letters to customers with no fixed address"
    assert concern_id in open_items(journeys, CaseItemKind.CONCERN)


def test_refused_concerns_append_nothing(journeys: Journeys) -> None:
    app = journeys.application
    customer_id = register(journeys)

    def raise_one(customer: UUID | None, raised_on: date) -> None:
        app.raise_concern(
            customer_id=customer,
            policy=None,
            description="d",
            owner="TL-7",
            due_on=date(2026, 2, 1),
            raised_on=raised_on,
        )

    with nothing_appended(journeys), pytest.raises(CustomerNotFound):
        raise_one(uuid4(), date(2026, 1, 5))
    with nothing_appended(journeys), pytest.raises(DateInFuture, match=r"^raised_on"):
        raise_one(customer_id, date(2026, 1, 6))
    with nothing_appended(journeys), pytest.raises(ConcernNotFound):
        app.record_concern_outcome(uuid4(), outcome="o", recorded_on=date(2026, 1, 5))


def test_a_six_point_plan_stays_on_the_worklist_until_the_line_manager_review(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    made_on = date(2026, 1, 5)
    with acting_as(CW_A):
        plan_id = app.open_six_point_plan(
            customer_id, statement="Said they would harm themselves", made_on=made_on
        ).id
        with nothing_appended(journeys), pytest.raises(PlanStepOutOfOrder):
            app.record_plan_step(
                plan_id, PlanStep.COLLEAGUE_SUMMONED, done_by="CW-501", done_on=made_on, note="n"
            )
        app.record_plan_step(
            plan_id, PlanStep.TAKEN_SERIOUSLY, done_by="CW-501", done_on=made_on, note="listened"
        )
        app.record_plan_step(
            plan_id,
            PlanStep.COLLEAGUE_SUMMONED,
            done_by="CW-502",
            done_on=made_on,
            note="came over",
        )
        app.record_plan_step(
            plan_id,
            PlanStep.INFORMATION_GATHERED,
            done_by="CW-501",
            done_on=made_on,
            note="kept them talking",
            details=StatementDetails(what="cut themselves", when="now", means="knife", urgent=True),
        )
        app.record_plan_step(
            plan_id, PlanStep.EMERGENCY_HELP_CALLED, done_by="CW-502", done_on=made_on, note="999"
        )

    waiting = item(journeys, plan_id)
    assert waiting.open
    assert waiting.status == "awaiting_line_manager_review"
    assert waiting.details["urgent"] is True
    assert waiting.details["outstanding"] == ["line_manager_review"]
    assert [step["done_by"] for step in waiting.details["steps"]] == [
        "CW-501",
        "CW-502",
        "CW-501",
        "CW-502",
    ]
    assert plan_id in open_items(journeys, CaseItemKind.SIX_POINT_PLAN)

    move_to(clock, date(2026, 1, 6))
    with acting_as(Actor.caseworker("LM-9")):
        app.record_plan_step(
            plan_id,
            PlanStep.LINE_MANAGER_REVIEW,
            done_by="LM-9",
            done_on=date(2026, 1, 6),
            note="debriefed",
        )

    done = item(journeys, plan_id)
    assert (done.open, done.status, done.closed_on) == (False, "complete", date(2026, 1, 6))
    assert plan_id not in open_items(journeys, CaseItemKind.SIX_POINT_PLAN)
    assert app.six_point_plan(plan_id).complete
    assert "Six-point plan complete" in timeline(journeys, customer_id)
    seen = customer_sees(journeys, customer_id)
    assert "harm" not in seen
    assert "knife" not in seen
    assert "plan" not in seen.lower()
    with pytest.raises(SixPointPlanNotFound):
        app.six_point_plan(uuid4())


def test_a_held_lump_sum_is_released_on_12_january_by_a_second_colleague(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    app.add_support_marker(
        customer_id,
        SupportMarker(need=SupportNeed.MENTAL_CAPACITY, duration=SupportDuration.LONG_TERM),
        date(2026, 1, 5),
    )
    claim_id = start_claim(journeys, customer_id, BenefitType.UC, date(2026, 1, 5))
    with acting_as(CW_A):
        lump_sum_id = app.propose_lump_sum(
            claim_id,
            amount_pence=750_000,
            period_from=date(2025, 1, 1),
            period_to=date(2025, 12, 31),
            proposed_on=date(2026, 1, 5),
        ).id

    held = item(journeys, lump_sum_id)
    assert (held.kind, held.open, held.status) == (CaseItemKind.LUMP_SUM, True, "held")
    assert held.title == "Lump sum of £7,500.00 held for a colleague's check"
    assert lump_sum_id in open_items(journeys, CaseItemKind.LUMP_SUM)
    ledger, _ = journeys.views.read_ledger(
        LedgerQuery(rule_id="safeguarding.lump_sum_hold"), Page(limit=500)
    )
    assert any(entry.outcome == {"hold": True, "threshold_pence": 500_000} for entry in ledger)

    move_to(clock, date(2026, 1, 12))
    with acting_as(CW_A), nothing_appended(journeys), pytest.raises(ReleaseBySameColleague):
        app.release_lump_sum(lump_sum_id, check_note="ok", released_on=date(2026, 1, 12))
    with acting_as(CW_B):
        app.release_lump_sum(
            lump_sum_id, check_note="Appointee confirmed the account", released_on=date(2026, 1, 12)
        )

    released = item(journeys, lump_sum_id)
    assert (released.open, released.status, released.closed_on) == (
        False,
        "released",
        date(2026, 1, 12),
    )
    assert released.details["released_by"] == "CW-502"
    assert lump_sum_id not in open_items(journeys, CaseItemKind.LUMP_SUM)
    assert "Lump sum released after a check: Appointee confirmed the account" in timeline(
        journeys, customer_id
    )
    assert "7,500" not in customer_sees(journeys, customer_id)
    with pytest.raises(LumpSumNotFound):
        app.lump_sum(uuid4())


def test_a_small_lump_sum_is_released_at_once_and_none_after_a_death(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    claim_id = start_claim(journeys, customer_id, BenefitType.PIP, date(2026, 1, 5))
    with acting_as(CW_A):
        small = app.propose_lump_sum(
            claim_id,
            amount_pence=40_000,
            period_from=date(2025, 10, 1),
            period_to=date(2025, 12, 31),
            proposed_on=date(2026, 1, 5),
        ).id
    released = item(journeys, small)
    assert (released.open, released.status) == (False, "released")
    assert released.title == "Lump sum of £400.00 released at once"

    move_to(clock, date(2026, 1, 9))
    app.notify_death(customer_id, date(2026, 1, 8), "TUO-55")
    with acting_as(CW_A), nothing_appended(journeys), pytest.raises(CustomerDeceased):
        app.propose_lump_sum(
            claim_id,
            amount_pence=40_000,
            period_from=date(2025, 10, 1),
            period_to=date(2025, 12, 31),
            proposed_on=date(2026, 1, 9),
        )


def test_a_serious_case_is_due_on_its_earliest_open_recommendation_until_closed(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    with acting_as(CW_A):
        referral_id = app.refer_serious_case(
            customer_id, reason="Died after payments stopped", referred_on=date(2026, 1, 5)
        ).id
    move_to(clock, date(2026, 1, 20))
    with acting_as(CW_A):
        app.record_panel_recommendation(
            referral_id,
            text="Review stop procedure",
            owner="OPS-2",
            due_on=date(2026, 3, 31),
            made_on=date(2026, 1, 20),
        )
        app.record_panel_recommendation(
            referral_id,
            text="Contact the family",
            owner="CW-501",
            due_on=date(2026, 1, 27),
            made_on=date(2026, 1, 20),
        )

    first = item(journeys, referral_id)
    assert (first.status, first.due_on, first.owner) == (
        "recommendations_open",
        date(2026, 1, 27),
        "CW-501",
    )
    assert referral_id in open_items(journeys, CaseItemKind.SERIOUS_CASE)

    move_to(clock, date(2026, 1, 26))
    with acting_as(CW_A):
        app.complete_panel_recommendation(
            referral_id, 2, outcome="Family visited", completed_on=date(2026, 1, 26)
        )
        with nothing_appended(journeys), pytest.raises(RecommendationsOutstanding):
            app.close_serious_case(referral_id, summary="s", closed_on=date(2026, 1, 26))
    second = item(journeys, referral_id)
    assert (second.due_on, second.owner) == (date(2026, 3, 31), "OPS-2")

    move_to(clock, date(2026, 3, 30))
    with acting_as(CW_A):
        app.complete_panel_recommendation(
            referral_id, 1, outcome="Procedure changed", completed_on=date(2026, 3, 30)
        )
        app.close_serious_case(referral_id, summary="All done", closed_on=date(2026, 3, 30))

    closed = item(journeys, referral_id)
    assert (closed.open, closed.status, closed.due_on, closed.closed_on) == (
        False,
        "closed",
        None,
        date(2026, 3, 30),
    )
    assert [r["outcome"] for r in closed.details["recommendations"]] == [
        "Procedure changed",
        "Family visited",
    ]
    assert app.serious_case(referral_id).closed_on == date(2026, 3, 30)
    assert "Serious case referral closed: All done" in timeline(journeys, customer_id)
    assert "Panel" not in customer_sees(journeys, customer_id)
    with pytest.raises(SeriousCaseNotFound):
        app.serious_case(uuid4())


def test_safeguarding_case_items_and_timeline_rebuilt_from_the_log_equal_those_built_as_it_grew(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer_id = register(journeys)
    app.add_support_marker(
        customer_id,
        SupportMarker(need=SupportNeed.HEALTH, duration=SupportDuration.SHORT_TERM),
        date(2026, 1, 5),
    )
    claim_id = start_claim(journeys, customer_id, BenefitType.UC, date(2026, 1, 5))
    today = date(2026, 1, 5)
    with acting_as(CW_A):
        commands = [
            lambda: (
                app.raise_concern(
                    customer_id=customer_id,
                    policy=None,
                    description="d",
                    owner="TL-1",
                    due_on=date(2026, 1, 9),
                    raised_on=today,
                ).id
            ),
            lambda: app.open_six_point_plan(customer_id, statement="s", made_on=today).id,
            lambda: (
                app.propose_lump_sum(
                    claim_id,
                    amount_pence=900_000,
                    period_from=date(2025, 1, 1),
                    period_to=date(2025, 12, 31),
                    proposed_on=today,
                ).id
            ),
            lambda: app.refer_serious_case(customer_id, reason="r", referred_on=today).id,
        ]
        concern_id, plan_id, lump_sum_id, referral_id = (
            _caught_up(journeys, command) for command in commands
        )
        _caught_up(
            journeys,
            lambda: (
                app.record_plan_step(
                    plan_id, PlanStep.TAKEN_SERIOUSLY, done_by="CW-501", done_on=today, note="n"
                ).id
            ),
        )
        _caught_up(
            journeys,
            lambda: (
                app.record_panel_recommendation(
                    referral_id, text="t", owner="OPS-1", due_on=date(2026, 2, 1), made_on=today
                ).id
            ),
        )
        _caught_up(
            journeys,
            lambda: app.record_concern_outcome(concern_id, outcome="o", recorded_on=today).id,
        )
    with acting_as(CW_B):
        _caught_up(
            journeys,
            lambda: app.release_lump_sum(lump_sum_id, check_note="c", released_on=today).id,
        )

    tables = ("view_case_item", "view_timeline")
    incremental = dump_views(journeys.views, tables)
    with fresh_view_store(journeys.settings) as fresh:
        runner = ProjectionRunner(
            journeys.projections.log,
            fresh,
            [journeys.projections.projections[name] for name in ("case_items", "timeline")],
        )
        runner.rebuild("case_items")
        runner.rebuild("timeline")
        assert dump_views(fresh, tables) == incremental
    assert len(incremental["view_case_item"]) == 4


def _caught_up(journeys: Journeys, command: Callable[[], UUID]) -> UUID:
    """Run a command and bring the views up to it (so the view is built one event at a time)."""
    made = command()
    journeys.projections.catch_up()
    return made
