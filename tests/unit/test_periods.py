"""Counting conventions for periods and deadlines (RULES.md section 0)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.periods import (
    add_calendar_months,
    age_on,
    birthday,
    last_day_of_days_beginning_with,
    within_months_of,
)

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


# -- "N days beginning with D" -------------------------------------------------------------


def test_28_days_beginning_with_12_march_end_on_8_april() -> None:
    assert last_day_of_days_beginning_with(date(2025, 3, 12), 28) == date(2025, 4, 8)


def test_one_day_beginning_with_a_date_is_that_date() -> None:
    assert last_day_of_days_beginning_with(date(2025, 3, 12), 1) == date(2025, 3, 12)


def test_days_beginning_with_cross_29_february_in_a_leap_year() -> None:
    assert last_day_of_days_beginning_with(date(2024, 2, 15), 28) == date(2024, 3, 13)
    assert last_day_of_days_beginning_with(date(2025, 2, 15), 28) == date(2025, 3, 14)


@pytest.mark.parametrize("days", [0, -1, -28])
def test_a_period_of_fewer_than_one_day_is_refused(days: int) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        last_day_of_days_beginning_with(date(2025, 3, 12), days)


@given(start=dates, first=st.integers(1, 400), second=st.integers(1, 400))
@settings(max_examples=75)
def test_two_periods_back_to_back_end_where_one_period_of_their_combined_length_ends(
    start: date, first: int, second: int
) -> None:
    first_end = last_day_of_days_beginning_with(start, first)
    second_end = last_day_of_days_beginning_with(first_end + timedelta(days=1), second)
    assert second_end == last_day_of_days_beginning_with(start, first + second)


# -- calendar months -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 1, 29), 1, date(2024, 2, 29)),
        (date(2025, 1, 29), 1, date(2025, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 3, 15), 1, date(2025, 4, 15)),
        (date(2025, 4, 30), 1, date(2025, 5, 30)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 12, 31), 1, date(2025, 1, 31)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 1, 31), 13, date(2026, 2, 28)),
        (date(2023, 1, 31), 13, date(2024, 2, 29)),
        (date(2024, 11, 30), 13, date(2025, 12, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 1, 31), 120, date(2035, 1, 31)),
        (date(2025, 1, 31), 0, date(2025, 1, 31)),
    ],
)
def test_adding_calendar_months_keeps_the_day_or_takes_the_shorter_months_last_day(
    start: date, months: int, expected: date
) -> None:
    assert add_calendar_months(start, months) == expected


def test_going_back_a_month_from_31_march_lands_on_the_last_day_of_february() -> None:
    assert add_calendar_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_calendar_months(date(2025, 1, 15), -1) == date(2024, 12, 15)


def test_within_one_month_of_31_january_is_28_february() -> None:
    assert within_months_of(date(2025, 1, 31), 1) == date(2025, 2, 28)


def test_within_one_month_of_31_january_in_a_leap_year_is_29_february() -> None:
    assert within_months_of(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_within_one_month_of_a_december_date_rolls_into_the_next_year() -> None:
    assert within_months_of(date(2025, 12, 31), 1) == date(2026, 1, 31)


def test_within_13_months_of_31_january_counts_the_same_way_as_one_month() -> None:
    assert within_months_of(date(2025, 1, 31), 13) == date(2026, 2, 28)
    assert within_months_of(date(2025, 6, 10), 13) == date(2026, 7, 10)


@given(start=dates)
@settings(max_examples=100)
def test_within_one_month_is_always_in_the_next_calendar_month_and_after_the_start(
    start: date,
) -> None:
    end = within_months_of(start, 1)
    assert (end.year * 12 + end.month) == (start.year * 12 + start.month) + 1
    assert end > start
    last_day = calendar.monthrange(end.year, end.month)[1]
    assert end.day == min(start.day, last_day)


@given(start=dates, months=st.integers(-120, 120))
@settings(max_examples=100)
def test_adding_months_moves_exactly_that_many_calendar_months_and_never_past_month_end(
    start: date, months: int
) -> None:
    end = add_calendar_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day <= start.day
    if end.day < start.day:
        assert end.day == calendar.monthrange(end.year, end.month)[1]


@given(start=dates, months=st.integers(0, 120))
@settings(max_examples=75)
def test_more_months_never_give_an_earlier_date(start: date, months: int) -> None:
    assert add_calendar_months(start, months) <= add_calendar_months(start, months + 1)


# -- age and birthdays ------------------------------------------------------------------------


def test_a_person_is_a_year_older_on_their_birthday_and_not_the_day_before() -> None:
    born = date(2009, 5, 10)
    assert age_on(born, date(2025, 5, 9)) == 15
    assert age_on(born, date(2025, 5, 10)) == 16
    assert age_on(born, date(2025, 12, 31)) == 16


def test_a_person_is_aged_0_on_the_day_they_are_born() -> None:
    assert age_on(date(2025, 3, 1), date(2025, 3, 1)) == 0


def test_a_29_february_birth_gains_a_year_on_1_march_in_a_common_year() -> None:
    born = date(2000, 2, 29)
    assert age_on(born, date(2017, 2, 28)) == 16
    assert age_on(born, date(2017, 3, 1)) == 17


def test_a_29_february_birth_gains_a_year_on_29_february_in_a_leap_year() -> None:
    born = date(2000, 2, 29)
    assert age_on(born, date(2020, 2, 28)) == 19
    assert age_on(born, date(2020, 2, 29)) == 20


def test_the_birthday_is_the_same_day_and_month_years_later() -> None:
    assert birthday(date(2009, 5, 10), 16) == date(2025, 5, 10)


def test_a_29_february_birth_reaches_an_age_on_1_march_in_a_common_year() -> None:
    assert birthday(date(2000, 2, 29), 17) == date(2017, 3, 1)
    assert birthday(date(1960, 2, 29), 66) == date(2026, 3, 1)


def test_a_29_february_birth_reaches_an_age_on_29_february_in_a_leap_year() -> None:
    assert birthday(date(2000, 2, 29), 20) == date(2020, 2, 29)


@given(born=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
@settings(max_examples=100)
def test_a_person_reaches_an_age_on_that_birthday_and_is_a_year_younger_the_day_before(
    born: date,
) -> None:
    for years in (1, 16, 66, 67):
        reached = birthday(born, years)
        assert age_on(born, reached) == years
        assert age_on(born, reached - timedelta(days=1)) == years - 1
