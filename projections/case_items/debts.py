"""Case items of the debt kinds: hardship requests to decide, and debts the estate owes.

One item of each kind per debt, its id derived from the debt's. A hardship request is open
from the request until it is decided (or the debt is cleared or passes to the estate), due
5 working days after the request; a later request opens the same item again. An estate debt
is open from the transfer until nothing is owed (paid by the executor or written off).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from uuid import UUID

from domain.debt import Debt
from domain.rules.debt import HardshipKind
from domain.values import Actor, pounds
from domain.working_days import (
    OutsideBankHolidayTable,
    add_working_days,
    bank_holidays,
    working_days_before,
)
from projections.case_items.batch import CaseItems
from projections.model import CaseItem, CaseItemKind
from projections.projection import LoggedEvent

HARDSHIP_DECISION_WORKING_DAYS = 5
"""A service target, not law: decide a hardship request within 5 working days (UNVERIFIED)."""

HARDSHIP_AT_RISK_WORKING_DAYS = 1
"""An open request is at risk from 1 working day before its target."""

BANK_HOLIDAYS_VERSION = 1
"""The England and Wales bank holiday table the targets count with."""

_HARDSHIP = (Debt.HardshipRequested, Debt.HardshipDecided, Debt.TransferredToEstate, Debt.Cleared)
_ESTATE = (Debt.DeductionTaken, Debt.Repaid, Debt.Waived, Debt.Cleared)


def hardship_item_id(debt_id: UUID) -> UUID:
    """The id of a debt's hardship request item."""
    return uuid.uuid5(debt_id, "hardship_request")


def estate_item_id(debt_id: UUID) -> UUID:
    """The id of a debt's estate item."""
    return uuid.uuid5(debt_id, "estate_debt")


def update_debts(logged: LoggedEvent, customer_id: UUID | None, batch: CaseItems) -> None:
    """Open, change or close this area's case items for one event (others are ignored)."""
    event = logged.event
    if not isinstance(event, Debt.Event) or customer_id is None:
        return
    changed: list[CaseItem | None] = []
    if isinstance(event, _HARDSHIP):
        item_id = hardship_item_id(event.originator_id)
        changed.append(_hardship(batch.case_item(item_id), item_id, customer_id, event))
    if isinstance(event, Debt.TransferredToEstate):
        changed.append(_estate_opened(event, customer_id))
    elif isinstance(event, _ESTATE):
        current = batch.case_item(estate_item_id(event.originator_id))
        changed.append(_estate_changed(current, event) if current is not None else None)
    for item in changed:
        if item is not None:
            batch.put_case_item(item.model_copy(update={"updated_position": logged.position}))


# -- hardship requests ------------------------------------------------------------------------


def _working_day_targets(requested_on: date) -> tuple[date, date]:
    """The due day and the day it is at risk from (weekdays only outside the holiday table)."""
    table = bank_holidays(BANK_HOLIDAYS_VERSION)
    try:
        due = add_working_days(requested_on, HARDSHIP_DECISION_WORKING_DAYS, table)
        return due, working_days_before(due, HARDSHIP_AT_RISK_WORKING_DAYS, table)
    except OutsideBankHolidayTable:
        # A projection must not stop on a date the table does not cover: count weekdays.
        due = _weekdays_after(requested_on, HARDSHIP_DECISION_WORKING_DAYS)
        return due, _weekdays_after(due, -HARDSHIP_AT_RISK_WORKING_DAYS)


def _weekdays_after(day: date, count: int) -> date:
    step = 1 if count > 0 else -1
    for _ in range(abs(count)):
        day = date.fromordinal(day.toordinal() + step)
        while day.weekday() >= 5:
            day = date.fromordinal(day.toordinal() + step)
    return day


def _asked(event: Debt.HardshipRequested) -> str:
    if event.kind is HardshipKind.PAUSE:
        return f"pause for {event.months} months"
    reduced = event.reduced_per_period_pence or 0
    return f"reduce to {pounds(reduced)} a month for {event.months} months"


def _hardship(
    item: CaseItem | None, item_id: UUID, customer_id: UUID, event: Debt.Event
) -> CaseItem | None:
    if isinstance(event, Debt.HardshipRequested):
        due, at_risk = _working_day_targets(event.effective_date)
        request = {
            "requested_on": event.effective_date.isoformat(),
            "kind": event.kind.value,
            "months": event.months,
            "reduced_per_period_pence": event.reduced_per_period_pence,
            "reason": event.reason,
        }
        earlier = list(item.details.get("earlier_requests", [])) if item is not None else []
        if item is not None and "request" in item.details:
            earlier.append({**item.details["request"], "outcome": item.status})
        return CaseItem(
            item_id=item_id,
            kind=CaseItemKind.HARDSHIP_REQUEST,
            customer_id=customer_id,
            status="awaiting_decision",
            open=True,
            opened_on=event.effective_date,
            due_on=due,
            at_risk_from=at_risk,
            title=f"Hardship request: {_asked(event)}; decide by {due.isoformat()}",
            details={
                "debt_id": str(event.originator_id),
                "request": request,
                "earlier_requests": earlier,
            },
            updated_position=0,
        )
    if item is None or not item.open:
        return None
    details = dict(item.details)
    if isinstance(event, Debt.HardshipDecided):
        details["decision"] = {
            "decided_on": event.effective_date.isoformat(),
            "granted": event.granted,
            "kind": event.kind.value,
            "from_on": event.from_on.isoformat(),
            "until": event.until.isoformat() if event.until is not None else None,
            "per_period_pence": event.per_period_pence,
            "made_by": _who(event.decision.made_by),
        }
        status = "granted" if event.granted else "refused"
        title = f"Hardship request {status} on {event.effective_date.isoformat()}"
    elif isinstance(event, Debt.TransferredToEstate):
        status, title = "debt_with_estate", "Hardship request closed: the debt is with the estate"
    elif isinstance(event, Debt.Cleared):
        status, title = "debt_cleared", "Hardship request closed: the debt is cleared"
    else:
        return None
    return item.model_copy(
        update={
            "status": status,
            "open": False,
            "closed_on": _effective(event),
            "title": title,
            "details": details,
        }
    )


def _who(actor: Actor) -> str:
    return actor.identifier or actor.kind.value


def _effective(event: Debt.Event) -> date:
    value = getattr(event, "effective_date", None)
    return value if isinstance(value, date) else event.timestamp.date()


# -- debts the estate owes --------------------------------------------------------------------


def _estate_opened(event: Debt.TransferredToEstate, customer_id: UUID) -> CaseItem:
    return CaseItem(
        item_id=estate_item_id(event.originator_id),
        kind=CaseItemKind.ESTATE_DEBT,
        customer_id=customer_id,
        status="with_estate",
        open=True,
        opened_on=event.effective_date,
        title=f"Recover {pounds(event.balance_pence)} from the estate (reference "
        f"{event.reference}); never from family",
        details={
            "debt_id": str(event.originator_id),
            "date_of_death": event.effective_date.isoformat(),
            "reference": event.reference,
            "transferred_pence": event.balance_pence,
            "balance_pence": event.balance_pence,
            "movements": [],
        },
        updated_position=0,
    )


def _estate_changed(item: CaseItem, event: Debt.Event) -> CaseItem | None:
    details: dict[str, Any] = dict(item.details)
    if isinstance(event, Debt.DeductionTaken | Debt.Repaid | Debt.Waived):
        kind = (
            event.source.value
            if isinstance(event, Debt.DeductionTaken)
            else "repayment"
            if isinstance(event, Debt.Repaid)
            else "waiver"
        )
        details["movements"] = [
            *details.get("movements", []),
            {
                "kind": kind,
                "on": event.effective_date.isoformat(),
                "amount_pence": event.amount_pence,
            },
        ]
        details["balance_pence"] = event.balance_after_pence
        if isinstance(event, Debt.Waived):
            details["last_movement"] = "waiver"
        else:
            details["last_movement"] = "payment"
        return item.model_copy(
            update={
                "details": details,
                "title": f"Recover {pounds(event.balance_after_pence)} from the estate "
                f"(reference {details['reference']}); never from family",
            }
        )
    if isinstance(event, Debt.Cleared):
        written_off = details.get("last_movement") == "waiver"
        status = "written_off" if written_off else "cleared"
        return item.model_copy(
            update={
                "status": status,
                "open": False,
                "closed_on": event.effective_date,
                "title": "Estate debt written off"
                if written_off
                else "Estate debt paid by the estate",
                "details": details,
            }
        )
    return None
