"""The debt schedule calculator: when a debt clears at a rate, with pauses and reductions."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.debt_schedule import Adjustment, Schedule, ScheduledPayment, project_schedule


def paid(schedule: Schedule) -> list[tuple[date, int, int]]:
    return [(p.on, p.amount_pence, p.balance_after_pence) for p in schedule.payments]


def test_the_last_payment_takes_only_what_is_left() -> None:
    schedule = project_schedule(100_000, 30_000, date(2026, 1, 15))
    assert paid(schedule) == [
        (date(2026, 1, 15), 30_000, 70_000),
        (date(2026, 2, 15), 30_000, 40_000),
        (date(2026, 3, 15), 30_000, 10_000),
        (date(2026, 4, 15), 10_000, 0),
    ]
    assert (schedule.clear_on, schedule.total_pence, schedule.clears) == (
        date(2026, 4, 15),
        100_000,
        True,
    )


def test_payment_days_count_from_the_first_so_a_month_end_day_does_not_drift() -> None:
    schedule = project_schedule(40_000, 10_000, date(2026, 1, 31))
    assert [p.on for p in schedule.payments] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


def test_a_hardship_pause_moves_the_clear_date_by_its_months() -> None:
    pause = Adjustment(starts_on=date(2026, 2, 1), months=3, per_period_pence=0)
    plain = project_schedule(30_000, 10_000, date(2026, 1, 10))
    paused = project_schedule(30_000, 10_000, date(2026, 1, 10), adjustments=(pause,))
    assert plain.clear_on == date(2026, 3, 10)
    # February, March and April are paused: no payment, nothing owed for them.
    assert [p.on for p in paused.payments] == [
        date(2026, 1, 10),
        date(2026, 5, 10),
        date(2026, 6, 10),
    ]
    assert paused.clear_on == date(2026, 6, 10)


def test_a_reduction_lowers_the_rate_for_its_months_then_the_rate_returns() -> None:
    reduce = Adjustment(starts_on=date(2026, 1, 10), months=2, per_period_pence=2_500)
    schedule = project_schedule(20_000, 10_000, date(2026, 1, 10), adjustments=(reduce,))
    assert paid(schedule) == [
        (date(2026, 1, 10), 2_500, 17_500),
        (date(2026, 2, 10), 2_500, 15_000),
        (date(2026, 3, 10), 10_000, 5_000),
        (date(2026, 4, 10), 5_000, 0),
    ]


def test_where_adjustments_overlap_the_one_listed_last_applies() -> None:
    reduce = Adjustment(starts_on=date(2026, 1, 1), months=6, per_period_pence=1_000)
    pause = Adjustment(starts_on=date(2026, 2, 1), months=1, per_period_pence=0)
    schedule = project_schedule(3_000, 5_000, date(2026, 1, 1), adjustments=(reduce, pause))
    assert [p.on for p in schedule.payments] == [
        date(2026, 1, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
    ]


def test_a_rate_of_nothing_never_clears() -> None:
    schedule = project_schedule(5_000, 0, date(2026, 1, 1))
    assert schedule == Schedule(payments=(), clear_on=None, total_pence=0, clears=False)


def test_a_debt_not_cleared_within_the_limit_has_no_clear_date() -> None:
    schedule = project_schedule(100_000, 1_000, date(2026, 1, 1), limit_periods=12)
    assert (len(schedule.payments), schedule.total_pence) == (12, 12_000)
    assert (schedule.clear_on, schedule.clears) == (None, False)
    assert schedule.payments[-1] == ScheduledPayment(
        on=date(2026, 12, 1), amount_pence=1_000, balance_after_pence=88_000
    )


def test_nothing_to_pay_is_already_clear() -> None:
    schedule = project_schedule(0, 1_000, date(2026, 1, 1))
    assert schedule == Schedule(payments=(), clear_on=None, total_pence=0, clears=True)


def test_payments_every_few_months() -> None:
    schedule = project_schedule(3_000, 1_000, date(2026, 1, 1), period_months=3)
    assert schedule.clear_on == date(2026, 7, 1)


def test_negative_amounts_and_empty_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="never negative"):
        project_schedule(-1, 1_000, date(2026, 1, 1))
    with pytest.raises(ValueError, match="never negative"):
        project_schedule(1_000, -1, date(2026, 1, 1))
    with pytest.raises(ValueError, match="at least one month"):
        project_schedule(1_000, 1_000, date(2026, 1, 1), period_months=0)


adjustments_strategy = st.lists(
    st.builds(
        Adjustment,
        starts_on=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
        months=st.integers(min_value=1, max_value=12),
        per_period_pence=st.integers(min_value=0, max_value=50_000),
    ),
    max_size=4,
)


@given(
    balance=st.integers(min_value=0, max_value=5_000_000),
    per_period=st.integers(min_value=0, max_value=200_000),
    first_on=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    adjustments=adjustments_strategy,
    period_months=st.integers(min_value=1, max_value=3),
)
def test_balances_never_go_negative_and_payments_add_up_to_what_was_owed(
    balance: int,
    per_period: int,
    first_on: date,
    adjustments: list[Adjustment],
    period_months: int,
) -> None:
    schedule = project_schedule(
        balance, per_period, first_on, tuple(adjustments), period_months=period_months
    )
    left = balance
    for payment in schedule.payments:
        assert payment.amount_pence > 0
        left -= payment.amount_pence
        assert payment.balance_after_pence == left >= 0
    assert schedule.total_pence == sum(p.amount_pence for p in schedule.payments)
    days = [p.on for p in schedule.payments]
    assert days == sorted(set(days))
    if schedule.clears:
        assert schedule.total_pence == balance
        assert schedule.clear_on == (days[-1] if days else None)
    else:
        assert schedule.clear_on is None
        assert schedule.total_pence < balance
    if per_period > 0 and not adjustments:
        assert schedule.clears == (-(-balance // per_period) <= 600)
