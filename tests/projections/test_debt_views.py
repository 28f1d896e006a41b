"""Debts in the views, through dated journeys on SQLite and PostgreSQL.

Ayo claims Universal Credit from 12 March 2025, so her assessment periods start on the 12th
and her deductions are taken then. Her standard allowance is £400.14 a month: the overall
cap is 25% (£100.03) for periods starting before 30 April 2025 and 15% (£60.02) from then.
The clock starts on Tuesday 1 April 2025 and only moves forward.
"""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

import pytest

from adapters.bootstrap import Journeys
from domain.aggregate import acting_as
from domain.rules.debt import AdvanceKind, DebtCause, HardshipKind, WaiverGround
from domain.rules.special_rules import ClinicianRole
from domain.special_rules import Sr1Evidence
from domain.values import BenefitType
from projections.case_items.debts import estate_item_id, hardship_item_id
from projections.model import (
    CaseItem,
    CaseItemKind,
    CaseItemQuery,
    LedgerQuery,
    Page,
    SelfServiceDebt,
    SelfServiceView,
    TimelineQuery,
)
from projections.self_service_debts import HOW_TO_ASK_FOR_HARDSHIP, HOW_TO_REPAY, ON_HOLD_TEXT
from services.clock import SimulatedClock
from tests.integration.helpers import start_claim
from tests.projections.helpers import (
    CASE_ITEM_DOCUMENT,
    dump_views,
    fresh_view_store,
    rebuild_everything,
)
from tests.scenarios.debt_steps import ALLOWANCE, CASEWORKER, ayo_on_uc
from tests.scenarios.special_rules_words import revealing_words
from tests.scenarios.steps import move_to


@pytest.fixture
def clock() -> SimulatedClock:
    """A clock on Tuesday 1 April 2025, a month before the cap falls to 15%."""
    return SimulatedClock.on(date(2025, 4, 1))


def overpaid(
    journeys: Journeys, customer_id: UUID, amount_pence: int, cause: DebtCause, on: date
) -> UUID:
    """A UC overpayment identified on a day, recovered from UC at the rule's rate."""
    return journeys.application.identify_overpayment(
        customer_id,
        benefit=BenefitType.UC,
        cause=cause,
        period_from=date(2024, 10, 1),
        period_to=date(2025, 2, 28),
        amount_pence=amount_pence,
        identified_on=on,
        standard_allowance_pence=ALLOWANCE,
    ).id


def document(journeys: Journeys, customer_id: UUID) -> SelfServiceView:
    """The customer's own page, brought up to date."""
    journeys.projections.catch_up()
    view = journeys.views.read_self_service(customer_id)
    assert view is not None
    return view


def debt_on_page(journeys: Journeys, customer_id: UUID) -> SelfServiceDebt:
    """The customer's only debt as their page shows it."""
    [debt] = document(journeys, customer_id).debts
    return debt


def deduct(journeys: Journeys, clock: SimulatedClock, customer_id: UUID, on: date) -> None:
    """Take the customer's deductions for the assessment period starting on a day."""
    move_to(clock, on)
    journeys.application.take_deductions(
        customer_id, period_start=on, standard_allowance_pence=ALLOWANCE
    )


def case_item(journeys: Journeys, item_id: UUID) -> CaseItem:
    """One case item, brought up to date."""
    journeys.projections.catch_up()
    item = journeys.views.read_case_item(item_id)
    assert item is not None
    return item


def next_and_clear(debt: SelfServiceDebt) -> tuple[int | None, date | None, date | None]:
    """The next deduction's amount and day, and the projected clear date."""
    return debt.next_deduction_pence, debt.next_deduction_on, debt.projected_clear_on


# -- the customer's page ------------------------------------------------------------------------


def test_the_customers_page_follows_a_debt_across_the_cap_change_a_pause_and_early_repayment(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    ayo = ayo_on_uc(journeys)
    # 1 April 2025: a £500 overpayment she caused on purpose: the rule asks 40% (£160.05),
    # the 25% cap in force allows £100.03.
    debt_id = overpaid(journeys, ayo, 50_000, DebtCause.FRAUD, date(2025, 4, 1))
    debt = debt_on_page(journeys, ayo)
    assert (debt.debt_id, debt.what, debt.status, debt.original_pence, debt.balance_pence) == (
        debt_id,
        "Universal Credit overpayment",
        "recovering",
        50_000,
        50_000,
    )
    assert debt.method == "benefit_deduction"
    assert debt.plan == (
        "We take £100.03 a month from your Universal Credit, or less where the limit on "
        "deductions means we must."
    )
    # The first assessment period to deduct from is not known yet: no day, no clear date.
    assert next_and_clear(debt) == (10_003, None, None)
    [right] = debt.rights
    assert (right.kind, right.by) == ("reconsideration", date(2025, 5, 1))
    assert "1 May 2025" in right.text
    assert (debt.how_to_ask_for_hardship, debt.how_to_repay) == (
        HOW_TO_ASK_FOR_HARDSHIP,
        HOW_TO_REPAY,
    )
    # The cause stays with the department: nothing on the page names fraud.
    assert "fraud" not in document(journeys, ayo).model_dump_json().lower()

    # Saturday 12 April 2025: £100.03 under the 25% cap; from the 12 May period the cap is
    # 15% (£60.02): £399.97 at £60.02 a month clears on 12 November 2025.
    deduct(journeys, clock, ayo, date(2025, 4, 12))
    debt = debt_on_page(journeys, ayo)
    assert (debt.balance_pence, debt.last_taken_on) == (39_997, date(2025, 4, 12))
    assert next_and_clear(debt) == (6_002, date(2025, 5, 12), date(2025, 11, 12))

    deduct(journeys, clock, ayo, date(2025, 5, 12))
    debt = debt_on_page(journeys, ayo)
    assert debt.balance_pence == 33_995
    assert next_and_clear(debt) == (6_002, date(2025, 6, 12), date(2025, 11, 12))

    # Wednesday 14 May 2025: she asks for a two-month pause.
    move_to(clock, date(2025, 5, 14))
    app.request_hardship(
        debt_id,
        kind=HardshipKind.PAUSE,
        months=2,
        reason="Rent arrears after a flood",
        requested_on=date(2025, 5, 14),
    )
    debt = debt_on_page(journeys, ayo)
    assert (debt.status, debt.hardship_requested_on) == ("hardship_requested", date(2025, 5, 14))
    assert "Rent arrears" not in document(journeys, ayo).model_dump_json()

    # Friday 16 May 2025: granted until 16 July; the June and July periods are skipped, so
    # the next deduction is on 12 August and the debt clears two months later.
    move_to(clock, date(2025, 5, 16))
    with acting_as(CASEWORKER):
        app.decide_hardship(debt_id, agree=True, reason="Flood", decided_on=date(2025, 5, 16))
    debt = debt_on_page(journeys, ayo)
    assert (debt.status, debt.on_hold_until, debt.hardship_requested_on) == (
        "paused",
        date(2025, 7, 16),
        None,
    )
    assert debt.status_text == "Your repayments are paused until 16 July 2025."
    assert debt.hardship is not None
    assert (debt.hardship.kind, debt.hardship.months) == ("pause", 2)
    assert next_and_clear(debt) == (6_002, date(2025, 8, 12), date(2026, 1, 12))

    # The June and July periods take nothing; 12 August takes £60.02 again.
    for start in (date(2025, 6, 12), date(2025, 7, 12), date(2025, 8, 12)):
        deduct(journeys, clock, ayo, start)
    debt = debt_on_page(journeys, ayo)
    assert (debt.status, debt.on_hold_until, debt.balance_pence) == ("recovering", None, 27_993)
    assert next_and_clear(debt) == (6_002, date(2025, 9, 12), date(2026, 1, 12))

    # 20 August 2025: £200 repaid early brings the clear date forward to 12 October.
    move_to(clock, date(2025, 8, 20))
    app.repay(debt_id, amount_pence=20_000, paid_on=date(2025, 8, 20))
    debt = debt_on_page(journeys, ayo)
    assert debt.balance_pence == 7_993
    assert next_and_clear(debt) == (6_002, date(2025, 9, 12), date(2025, 10, 12))

    # 1 September 2025: the rest; nothing owed, nothing more to plan.
    move_to(clock, date(2025, 9, 1))
    app.repay(debt_id, amount_pence=7_993, paid_on=date(2025, 9, 1))
    debt = debt_on_page(journeys, ayo)
    assert (debt.status, debt.balance_pence, debt.cleared_on) == ("cleared", 0, date(2025, 9, 1))
    assert debt.status_text == "Paid off. You do not owe anything for this."
    assert next_and_clear(debt) == (None, None, None)
    assert (debt.plan, debt.how_to_ask_for_hardship, debt.how_to_repay) == (None, None, None)

    # The caseworker's timeline says what happened to the debt in plain words.
    entries, _ = journeys.views.read_timeline(
        TimelineQuery(customer_id=ayo, kinds=("Debt.HardshipDecided", "Debt.Cleared")), Page()
    )
    assert [entry.summary for entry in entries] == [
        "Hardship granted: repayments paused from 2025-05-16 until 2025-07-16",
        "Debt cleared: nothing owed",
    ]
    # The auditor's ledger holds every debt decision by its rule.
    rule_ids = {
        entry.rule_id
        for entry in journeys.views.read_ledger(LedgerQuery(customer_id=ayo), Page(limit=500))[0]
    }
    assert rule_ids >= {
        "debt.recovery_method",
        "debt.recovery_rate",
        "debt.deduction_cap",
        "debt.hardship",
    }


def test_an_advance_shows_its_first_repayment_and_clear_date_at_once(
    journeys: Journeys,
) -> None:
    ayo = ayo_on_uc(journeys)
    # A £1,200 new-claim advance taken on 12 March 2025: repaid over 24 months from 12 April.
    journeys.application.record_advance(
        ayo,
        benefit=BenefitType.UC,
        advance_kind=AdvanceKind.NEW_CLAIM,
        amount_pence=120_000,
        taken_on=date(2025, 3, 12),
        standard_allowance_pence=ALLOWANCE,
    )
    debt = debt_on_page(journeys, ayo)
    assert (debt.what, debt.status_text, debt.rights) == (
        "Universal Credit advance",
        "You are paying back this advance.",
        (),
    )
    assert next_and_clear(debt) == (5_000, date(2025, 4, 12), date(2027, 3, 12))


def sr1(signed_on: date) -> Sr1Evidence:
    """An SR1 signed by a GP: a progressive disease, death expected within 6 months."""
    return Sr1Evidence(
        signer_role=ClinicianRole.GP,
        signer_name="Dr Adeyemi",
        signed_on=signed_on,
        progressive_disease=True,
        death_expected_within_months=6,
    )


def test_a_debt_on_hold_under_the_special_rules_policy_never_says_why(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    ayo = ayo_on_uc(journeys)
    debt_id = overpaid(journeys, ayo, 80_000, DebtCause.CLAIMANT_ERROR, date(2025, 4, 1))
    deduct(journeys, clock, ayo, date(2025, 4, 12))
    pip_claim = start_claim(journeys, ayo, BenefitType.PIP)
    app.record_sr1(pip_claim, received_on=date(2025, 4, 12), evidence=sr1(date(2025, 4, 11)))
    assert app.debt(debt_id).suspended
    # A debt identified afterwards is on hold from the start.
    overpaid(journeys, ayo, 30_000, DebtCause.OFFICIAL_ERROR, date(2025, 4, 12))

    page = document(journeys, ayo)
    assert len(page.debts) == 2
    for debt in page.debts:
        assert (debt.status, debt.status_text, debt.plan) == ("on_hold", ON_HOLD_TEXT, ON_HOLD_TEXT)
        assert next_and_clear(debt) == (None, None, None)
        assert (debt.how_to_ask_for_hardship, debt.how_to_repay) == (None, None)
    assert revealing_words(page.model_dump(mode="json")) == []


# -- case items ---------------------------------------------------------------------------------


def test_a_hardship_request_waits_on_the_worklist_until_decided_and_again_when_asked_again(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    ayo = ayo_on_uc(journeys)
    debt_id = overpaid(journeys, ayo, 80_000, DebtCause.OFFICIAL_ERROR, date(2025, 4, 1))
    deduct(journeys, clock, ayo, date(2025, 4, 12))
    # Thursday 17 April 2025: 5 working days skip Good Friday and Easter Monday.
    move_to(clock, date(2025, 4, 17))
    app.request_hardship(
        debt_id,
        kind=HardshipKind.REDUCE,
        months=3,
        reason="Childcare costs went up",
        reduced_per_period_pence=2_000,
        requested_on=date(2025, 4, 17),
    )
    item = case_item(journeys, hardship_item_id(debt_id))
    assert (item.kind, item.customer_id, item.status, item.open) == (
        CaseItemKind.HARDSHIP_REQUEST,
        ayo,
        "awaiting_decision",
        True,
    )
    assert (item.opened_on, item.due_on, item.at_risk_from) == (
        date(2025, 4, 17),
        date(2025, 4, 28),
        date(2025, 4, 25),
    )
    assert (
        item.title
        == "Hardship request: reduce to £20.00 a month for 3 months; decide by 2025-04-28"
    )
    assert item.details["request"]["reason"] == "Childcare costs went up"
    assert item.at_risk(date(2025, 4, 25))
    assert item.overdue(date(2025, 4, 29))
    listed, total = journeys.views.read_case_items(
        CaseItemQuery(kind=CaseItemKind.HARDSHIP_REQUEST, open=True), Page()
    )
    assert (total, listed[0].item_id) == (1, item.item_id)

    move_to(clock, date(2025, 4, 24))
    with acting_as(CASEWORKER):
        app.decide_hardship(debt_id, agree=False, reason="Can afford", decided_on=date(2025, 4, 24))
    item = case_item(journeys, hardship_item_id(debt_id))
    assert (item.status, item.open, item.closed_on) == ("refused", False, date(2025, 4, 24))
    assert item.details["decision"]["granted"] is False
    assert debt_on_page(journeys, ayo).status == "recovering"

    # Asked again: the same item opens again with the first request kept; clearing the debt
    # closes it undecided.
    move_to(clock, date(2025, 5, 2))
    app.request_hardship(
        debt_id,
        kind=HardshipKind.PAUSE,
        months=1,
        reason="Lost my job",
        requested_on=date(2025, 5, 2),
    )
    item = case_item(journeys, hardship_item_id(debt_id))
    assert (item.open, item.due_on) == (True, date(2025, 5, 12))  # the May bank holiday
    assert [r["outcome"] for r in item.details["earlier_requests"]] == ["refused"]
    app.repay(debt_id, amount_pence=80_000 - 6_002, paid_on=date(2025, 5, 2))
    item = case_item(journeys, hardship_item_id(debt_id))
    assert (item.status, item.open) == ("debt_cleared", False)


def test_a_death_moves_the_debt_off_the_customers_page_and_onto_the_estate_worklist(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    ayo = ayo_on_uc(journeys)
    debt_id = overpaid(journeys, ayo, 80_000, DebtCause.OFFICIAL_ERROR, date(2025, 4, 1))
    small = overpaid(journeys, ayo, 30_000, DebtCause.OFFICIAL_ERROR, date(2025, 4, 1))
    deduct(journeys, clock, ayo, date(2025, 4, 12))
    move_to(clock, date(2025, 4, 14))
    app.request_hardship(
        debt_id, kind=HardshipKind.PAUSE, months=2, reason="Unwell", requested_on=date(2025, 4, 14)
    )
    assert len(document(journeys, ayo).debts) == 2

    # Thursday 17 April 2025: her death on 15 April is notified.
    move_to(clock, date(2025, 4, 17))
    app.notify_death(ayo, date(2025, 4, 15), "TUO-2025-0415")
    assert document(journeys, ayo).debts == ()
    hardship = case_item(journeys, hardship_item_id(debt_id))
    assert (hardship.status, hardship.open) == ("debt_with_estate", False)
    estate = case_item(journeys, estate_item_id(debt_id))
    balance = app.debt(debt_id).balance_pence
    assert (estate.kind, estate.customer_id, estate.status, estate.open) == (
        CaseItemKind.ESTATE_DEBT,
        ayo,
        "with_estate",
        True,
    )
    assert estate.details["balance_pence"] == balance
    assert (estate.details["reference"], estate.details["date_of_death"]) == (
        "TUO-2025-0415",
        "2025-04-15",
    )
    _, total = journeys.views.read_case_items(
        CaseItemQuery(kind=CaseItemKind.ESTATE_DEBT, customer_id=ayo), Page()
    )
    assert total == 2

    # The executor pays part and the rest is written off; the small one is written off whole.
    move_to(clock, date(2025, 6, 2))
    app.repay(debt_id, amount_pence=20_000, paid_on=date(2025, 6, 2))
    with acting_as(CASEWORKER):
        app.waive(
            debt_id,
            amount_pence=balance - 20_000,
            grounds=WaiverGround.OTHER,
            reason="Nothing left in the estate",
            decided_on=date(2025, 6, 2),
        )
        app.waive(
            small,
            amount_pence=app.debt(small).balance_pence,
            grounds=WaiverGround.OTHER,
            reason="Nothing left in the estate",
            decided_on=date(2025, 6, 2),
        )
    estate = case_item(journeys, estate_item_id(debt_id))
    assert (estate.status, estate.open, estate.closed_on) == (
        "written_off",
        False,
        date(2025, 6, 2),
    )
    assert [m["kind"] for m in estate.details["movements"]] == ["repayment", "waiver"]
    assert case_item(journeys, estate_item_id(small)).status == "written_off"
    assert document(journeys, ayo).debts == ()


def test_an_estate_debt_paid_in_full_closes_as_cleared(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    ayo = ayo_on_uc(journeys)
    debt_id = overpaid(journeys, ayo, 80_000, DebtCause.OFFICIAL_ERROR, date(2025, 4, 1))
    move_to(clock, date(2025, 4, 17))
    app.notify_death(ayo, date(2025, 4, 15), "TUO-2025-0416")
    app.repay(debt_id, amount_pence=80_000, paid_on=date(2025, 4, 17))
    estate = case_item(journeys, estate_item_id(debt_id))
    assert (estate.status, estate.open, estate.details["balance_pence"]) == ("cleared", False, 0)


# -- incremental equals rebuilt -----------------------------------------------------------------


def test_debt_views_built_one_event_at_a_time_equal_the_rebuilt_views(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    runner = journeys.projections
    runner.batch_size = 1
    ayo = ayo_on_uc(journeys)
    bola = ayo_on_uc(journeys)
    runner.catch_up()
    fraud = overpaid(journeys, ayo, 50_000, DebtCause.FRAUD, date(2025, 4, 1))
    other = overpaid(journeys, bola, 40_000, DebtCause.OFFICIAL_ERROR, date(2025, 4, 1))
    overpaid(journeys, bola, 5_000, DebtCause.OFFICIAL_ERROR, date(2025, 4, 1))  # left
    runner.catch_up(["self_service"])
    deduct(journeys, clock, ayo, date(2025, 4, 12))
    deduct(journeys, clock, bola, date(2025, 4, 12))
    runner.catch_up(["case_items", "timeline"])
    app.request_hardship(
        fraud, kind=HardshipKind.PAUSE, months=1, reason="Rent", requested_on=date(2025, 4, 12)
    )
    runner.catch_up()
    with acting_as(CASEWORKER):
        app.decide_hardship(fraud, agree=True, reason="Rent", decided_on=date(2025, 4, 12))
    move_to(clock, date(2025, 4, 20))
    app.request_hardship(
        other, kind=HardshipKind.PAUSE, months=1, reason="Ill", requested_on=date(2025, 4, 20)
    )
    app.notify_death(bola, date(2025, 4, 19), "TUO-9")
    app.repay(other, amount_pence=app.debt(other).balance_pence, paid_on=date(2025, 4, 20))
    app.repay(fraud, amount_pence=1_000, paid_on=date(2025, 4, 20))
    runner.catch_up()
    incremental = dump_views(journeys.views)
    with fresh_view_store(journeys.settings) as fresh:
        rebuild_everything(journeys, fresh)
        assert dump_views(fresh) == incremental
    kinds = {
        CaseItem.model_validate_json(str(row[CASE_ITEM_DOCUMENT])).kind
        for row in incremental["view_case_item"]
    }
    assert kinds >= {CaseItemKind.HARDSHIP_REQUEST, CaseItemKind.ESTATE_DEBT}
    page = document(journeys, ayo)
    assert (
        json.loads(page.model_dump_json())["debts"][0]["balance_pence"] == 50_000 - 10_003 - 1_000
    )
