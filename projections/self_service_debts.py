"""The customer's debts on their own page: what is owed, how it is repaid and what comes next.

Plain words only. The reason recovery is on hold is never given (it may be a Special Rules
policy the customer must not learn of from us), the cause of an overpayment is never named
(fraud included), nobody's free text is copied, and a debt that passed to the estate leaves
the page: the customer died and the executor deals with it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.debt import Debt, DebtOpening
from domain.debt_schedule import Adjustment, project_schedule
from domain.decisions import Decision
from domain.errors import UnknownRuleVersion
from domain.periods import add_calendar_months
from domain.rules.debt import DEBT_DEDUCTION_CAP, HardshipKind, RecoveryMethod
from domain.values import BenefitType, pounds
from projections.model import DebtHardship, Right, SelfServiceDebt, SelfServiceView
from projections.projection import long_date

BENEFIT_NAMES = {
    BenefitType.UC: "Universal Credit",
    BenefitType.PIP: "Personal Independence Payment",
    BenefitType.ESA: "Employment and Support Allowance",
    BenefitType.AA: "Attendance Allowance",
    BenefitType.DLA: "Disability Living Allowance",
}

ON_HOLD_TEXT = "Recovery is on hold; you do not need to do anything."

HOW_TO_ASK_FOR_HARDSHIP = (
    "If paying this back leaves you without enough to live on, ask us to reduce or pause "
    "your repayments for a while. Contact us or send us a request from this page, and we "
    "will write to you with our decision."
)

HOW_TO_REPAY = (
    "You can pay back some or all of what you owe early, at any time. Contact us or make a "
    "repayment from this page."
)

_ENDED_TEXT = {
    "cleared": "Paid off. You do not owe anything for this.",
    "written_off": "We decided not to recover the rest. You do not owe anything for this.",
    "not_recovered": "Because the amount is small, we will not ask you to pay it back.",
}

_MOVEMENTS = (Debt.DeductionTaken, Debt.Repaid, Debt.Waived, Debt.LeftUnrecovered)


def fold_debt(view: SelfServiceView, event: Debt.Event) -> SelfServiceView:
    """The document after one of a debt's events."""
    debts = {debt.debt_id: debt for debt in view.debts}
    if isinstance(event, DebtOpening):
        debts[event.originator_id] = _restated(_opened(event))
    elif isinstance(event, Debt.TransferredToEstate):
        debts.pop(event.originator_id, None)
    elif event.originator_id in debts:
        changed = _changed(debts[event.originator_id], event)
        if changed is None:
            return view
        debts[event.originator_id] = _restated(changed)
    else:
        return view
    return view.model_copy(update={"debts": tuple(debts.values())})


def _opened(event: DebtOpening) -> SelfServiceDebt:
    name = BENEFIT_NAMES.get(event.benefit, event.benefit.value)
    kind = event.debt_kind.value
    return SelfServiceDebt(
        debt_id=event.originator_id,
        kind=kind,
        benefit=event.benefit.value,
        what=f"{name} {kind.replace('_', ' ')}",
        status="recovering",
        status_text="",
        original_pence=event.amount_pence,
        balance_pence=event.amount_pence,
        first_repayment_on=event.first_repayment(),
    )


def _changed(debt: SelfServiceDebt, event: Debt.Event) -> SelfServiceDebt | None:
    update: dict[str, Any] = {}
    if isinstance(event, Debt.RecoveryPlanned):
        update["method"] = event.method.value
        if event.per_period_pence:
            update["per_period_pence"] = _capped(
                event.per_period_pence, event.rate_decision, event.effective_date
            )
        update["recovery_on_hold"] = debt.recovery_on_hold or event.suspended
    elif isinstance(event, Debt.Notified):
        update["rights"] = _rights(event.dispute_by)
    elif isinstance(event, _MOVEMENTS):
        update["balance_pence"] = event.balance_after_pence
        if isinstance(event, Debt.DeductionTaken):
            update |= _taken(debt, event)
        elif event.balance_after_pence == 0:
            update["status"] = (
                "cleared"
                if isinstance(event, Debt.Repaid)
                else "written_off"
                if isinstance(event, Debt.Waived)
                else "not_recovered"
            )
    elif isinstance(event, Debt.HardshipRequested):
        update["hardship_requested_on"] = event.effective_date
    elif isinstance(event, Debt.HardshipDecided):
        update["hardship_requested_on"] = None
        if event.granted and event.until is not None:
            update["hardship"] = DebtHardship(
                kind=event.kind.value,
                from_on=event.from_on,
                until=event.until,
                months=int(event.decision.outcome["months"]),
                per_period_pence=event.per_period_pence,
            )
    elif isinstance(event, Debt.RecoverySuspended):
        update["recovery_on_hold"] = True
    elif isinstance(event, Debt.Cleared):
        update["cleared_on"] = event.effective_date
    else:
        return None
    return debt.model_copy(update=update)


def _taken(debt: SelfServiceDebt, event: Debt.DeductionTaken) -> dict[str, Any]:
    update: dict[str, Any] = {"last_taken_on": event.period_start}
    if event.balance_after_pence == 0:
        update["status"] = "cleared"
    hardship = debt.hardship
    during_hardship = hardship is not None and hardship.from_on <= event.period_start < (
        hardship.until
    )
    # The amount last taken is the best guide to the next: the overall cap and the customer's
    # other debts may grant less than the rate asked (a hardship rate is not the usual one).
    if event.amount_pence > 0 and not during_hardship:
        amount = event.amount_pence
        if event.source is RecoveryMethod.BENEFIT_DEDUCTION:
            # The next period may fall under a lower cap (15% from 30 April 2025).
            amount = _capped(amount, event.decision, add_calendar_months(event.period_start, 1))
        update["per_period_pence"] = amount
    return update


def _capped(amount_pence: int, decision: Decision | None, on: date) -> int:
    """At most the overall deduction cap in force on a day, for the allowance a rule was given."""
    allowance = decision.inputs.get("standard_allowance_pence") if decision is not None else None
    if not isinstance(allowance, int):
        return amount_pence
    try:
        percent = DEBT_DEDUCTION_CAP.version_in_force(on).parameters.cap_percent
    except UnknownRuleVersion:
        return amount_pence
    return min(amount_pence, allowance * percent // 100)


def _rights(dispute_by: date | None) -> tuple[Right, ...]:
    if dispute_by is None:
        return ()
    return (
        Right(
            kind="reconsideration",
            text="If you disagree that you were overpaid, or with the amount, ask us to look "
            f"at the decision again (mandatory reconsideration) by {long_date(dispute_by)}.",
            by=dispute_by,
        ),
    )


def _restated(debt: SelfServiceDebt) -> SelfServiceDebt:
    """Status, plan, next repayment and clear date worked out again from the debt's facts."""
    quiet: dict[str, Any] = {
        "plan": None,
        "next_deduction_pence": None,
        "next_deduction_on": None,
        "projected_clear_on": None,
        "on_hold_until": None,
        "how_to_ask_for_hardship": None,
        "how_to_repay": None,
    }
    if debt.balance_pence == 0:
        status = debt.status if debt.status in _ENDED_TEXT else "cleared"
        return debt.model_copy(
            update={
                **quiet,
                "status": status,
                "status_text": _ENDED_TEXT[status],
                "hardship_requested_on": None,
            }
        )
    if debt.recovery_on_hold:
        return debt.model_copy(
            update={**quiet, "status": "on_hold", "status_text": ON_HOLD_TEXT, "plan": ON_HOLD_TEXT}
        )
    return debt.model_copy(
        update={
            **_schedule(debt),
            **_status(debt),
            "plan": _plan(debt),
            "how_to_ask_for_hardship": HOW_TO_ASK_FOR_HARDSHIP,
            "how_to_repay": HOW_TO_REPAY,
        }
    )


def _next_due(debt: SelfServiceDebt) -> date | None:
    """A month after the last repayment taken, else an advance's first; None when not known."""
    if debt.last_taken_on is not None:
        return add_calendar_months(debt.last_taken_on, 1)
    return debt.first_repayment_on


def _hardship_applies(debt: SelfServiceDebt) -> bool:
    hardship = debt.hardship
    due = _next_due(debt)
    return hardship is not None and (due is None or due < hardship.until)


def _schedule(debt: SelfServiceDebt) -> dict[str, Any]:
    amount = debt.per_period_pence or None
    due = _next_due(debt)
    if debt.method == RecoveryMethod.EARNINGS_ATTACHMENT.value or due is None or not amount:
        # Pay days are the employer's, and an overpayment's first deduction waits for the
        # next assessment period: the amount may be known, the day not yet.
        return {
            "next_deduction_pence": min(amount, debt.balance_pence) if amount else None,
            "next_deduction_on": None,
            "projected_clear_on": None,
            "on_hold_until": _paused_until(debt),
        }
    hardship = debt.hardship
    adjustments = (
        (
            Adjustment(
                starts_on=hardship.from_on,
                months=hardship.months,
                per_period_pence=hardship.per_period_pence,
            ),
        )
        if hardship is not None
        else ()
    )
    schedule = project_schedule(debt.balance_pence, amount, due, adjustments)
    first = schedule.payments[0] if schedule.payments else None
    return {
        "next_deduction_pence": first.amount_pence if first is not None else None,
        "next_deduction_on": first.on if first is not None else None,
        "projected_clear_on": schedule.clear_on,
        "on_hold_until": _paused_until(debt),
    }


def _paused_until(debt: SelfServiceDebt) -> date | None:
    hardship = debt.hardship
    if hardship is None or hardship.kind != HardshipKind.PAUSE.value:
        return None
    return hardship.until if _hardship_applies(debt) else None


def _status(debt: SelfServiceDebt) -> dict[str, str]:
    hardship = debt.hardship
    if debt.hardship_requested_on is not None:
        return {
            "status": "hardship_requested",
            "status_text": "We are looking at your request to reduce or pause your repayments. "
            "We will write to you with our decision.",
        }
    if hardship is not None and _hardship_applies(debt):
        if hardship.kind == HardshipKind.PAUSE.value:
            return {
                "status": "paused",
                "status_text": f"Your repayments are paused until {long_date(hardship.until)}.",
            }
        return {
            "status": "reduced",
            "status_text": f"Your repayments are reduced to {pounds(hardship.per_period_pence)} "
            f"a month until {long_date(hardship.until)}.",
        }
    text = (
        "You are paying back this advance."
        if debt.kind == "advance"
        else "You are paying this back."
    )
    return {"status": "recovering", "status_text": text}


def _plan(debt: SelfServiceDebt) -> str | None:
    benefit = BENEFIT_NAMES.get(BenefitType(debt.benefit), debt.benefit)
    rate = debt.per_period_pence
    if debt.method == RecoveryMethod.BENEFIT_DEDUCTION.value:
        if rate:
            return (
                f"We take {pounds(rate)} a month from your {benefit}, or less where the limit "
                "on deductions means we must."
            )
        return f"We will take an amount from each monthly payment of your {benefit}."
    if debt.method == RecoveryMethod.EARNINGS_ATTACHMENT.value:
        return (
            "Your employer takes an amount from your pay (a Direct Earnings Attachment). You "
            "always keep at least 60% of your net pay."
        )
    if debt.method == RecoveryMethod.VOLUNTARY_PLAN.value:
        if rate:
            return f"You pay us {pounds(rate)} a month under the plan you agreed with us."
        return "Please contact us to agree an amount you can afford to pay back each month."
    return None
