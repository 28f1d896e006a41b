"""When a debt clears: a pure projection of payments at a rate, with hardship adjustments.

No rule is decided here: the rate comes from `debt.recovery_rate` (or a voluntary plan) and
the adjustments from `debt.hardship` decisions, so a what-if needs no write.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from domain.periods import add_calendar_months
from domain.values import ValueObject


class Adjustment(ValueObject):
    """A different rate for `months` months from `starts_on` (a pause is a rate of 0)."""

    starts_on: date
    months: int = Field(ge=1)
    per_period_pence: int = Field(ge=0)

    def covers(self, day: date) -> bool:
        """True when a payment due on `day` falls inside the adjustment."""
        return self.starts_on <= day < add_calendar_months(self.starts_on, self.months)


class ScheduledPayment(ValueObject):
    """One projected payment and the balance left after it."""

    on: date
    amount_pence: int
    balance_after_pence: int


class Schedule(ValueObject):
    """The projected payments, the day the last one clears the debt, and their total.

    `clear_on` is None when the debt does not clear within the projection's limit (for
    example a rate of 0), and also when there was nothing to pay; `clears` tells them apart.
    """

    payments: tuple[ScheduledPayment, ...]
    clear_on: date | None
    total_pence: int
    clears: bool = True


def _rate_on(day: date, per_period_pence: int, adjustments: tuple[Adjustment, ...]) -> int:
    # The adjustment listed last wins where two overlap: a later decision replaces an earlier.
    rate = per_period_pence
    for adjustment in adjustments:
        if adjustment.covers(day):
            rate = adjustment.per_period_pence
    return rate


def project_schedule(
    balance_pence: int,
    per_period_pence: int,
    first_on: date,
    adjustments: tuple[Adjustment, ...] = (),
    period_months: int = 1,
    limit_periods: int = 600,
) -> Schedule:
    """Project payments every `period_months` months from `first_on` until the balance is 0.

    Periods whose rate is 0 (a pause) have no payment; the last payment takes only what is
    left. Payment days count from `first_on` (not from the previous payment) so a debt first
    paid on the 31st is paid on each month's last day when the month is shorter, then the
    31st again.
    """
    if balance_pence < 0 or per_period_pence < 0:
        raise ValueError("a balance and a rate are never negative")
    if period_months < 1 or limit_periods < 1:
        raise ValueError("a schedule needs periods of at least one month and a limit")
    balance = balance_pence
    payments: list[ScheduledPayment] = []
    for period in range(limit_periods):
        if balance == 0:
            break
        day = add_calendar_months(first_on, period * period_months)
        amount = min(_rate_on(day, per_period_pence, adjustments), balance)
        if amount == 0:
            continue
        balance -= amount
        payments.append(ScheduledPayment(on=day, amount_pence=amount, balance_after_pence=balance))
    clears = balance == 0
    return Schedule(
        payments=tuple(payments),
        clear_on=payments[-1].on if clears and payments else None,
        total_pence=balance_pence - balance,
        clears=clears,
    )
