"""The demo's table of debts: how many are in each state, and what is still owed."""

from __future__ import annotations

from datetime import date
from enum import Enum
from uuid import UUID

from eventsourcing.utils import get_topic
from rich.console import Console
from rich.table import Table

from adapters.bootstrap import Journeys
from domain.debt import Debt, MovementKind, opening_event_classes
from services.log import read_log


class DebtState(Enum):
    """What the summary calls a debt on the day."""

    RECOVERING = "recovering"
    ON_HOLD = "on hold"
    CLEARED = "cleared"
    WAIVED = "waived"
    LEFT_UNRECOVERED = "left unrecovered"
    WITH_THE_ESTATE = "with the estate"


def state_of(debt: Debt, today: date) -> DebtState:
    """The debt's state on the day: a cleared debt by the movement that cleared it."""
    if debt.cleared:
        last = debt.movements[-1].kind if debt.movements else None
        if last is MovementKind.WAIVER:
            return DebtState.WAIVED
        if last is MovementKind.LEFT_UNRECOVERED:
            return DebtState.LEFT_UNRECOVERED
        return DebtState.CLEARED
    if debt.with_estate:
        return DebtState.WITH_THE_ESTATE
    hardship = debt.hardship_on(today)
    if debt.suspended or (hardship is not None and hardship.per_period_pence == 0):
        return DebtState.ON_HOLD
    return DebtState.RECOVERING


def print_debts(console: Console, system: Journeys, today: date) -> None:
    """Debts by state on the day, with their number and the balance still owed."""
    application = system.application
    opened = read_log(
        application,
        topics=[get_topic(cls) for cls in opening_event_classes()],
    )
    counts = dict.fromkeys(DebtState, 0)
    balances = dict.fromkeys(DebtState, 0)
    for notification in opened:
        debt = application.debt(UUID(str(notification.originator_id)))
        state = state_of(debt, today)
        counts[state] += 1
        balances[state] += debt.balance_pence
    table = Table(title=f"Debts on {today.isoformat()}")
    for column in ("State", "Debts", "Balance (£)"):
        table.add_column(column, justify="left" if column == "State" else "right")
    for state in DebtState:
        table.add_row(state.value, str(counts[state]), _pounds(balances[state]))
    table.add_row("[bold]all[/bold]", str(sum(counts.values())), _pounds(sum(balances.values())))
    console.print(table)


def _pounds(pence: int) -> str:
    return f"{pence // 100:,}.{pence % 100:02d}"
