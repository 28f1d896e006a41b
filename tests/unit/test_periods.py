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
    first_cycle_day_after,
    first_weekday_after,
    first_weekday_on_or_after,
    last_day_of_days_beginning_with,
    weeks_before,
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


# -- weekdays ---------------------------------------------------------------------------------

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WEDNESDAY_12_MARCH = date(2025, 3, 12)


def test_the_first_tuesday_after_wednesday_12_march_is_18_march() -> None:
    assert first_weekday_after(WEDNESDAY_12_MARCH, TUESDAY) == date(2025, 3, 18)
    assert first_weekday_after(WEDNESDAY_12_MARCH, THURSDAY) == date(2025, 3, 13)
    assert first_weekday_after(WEDNESDAY_12_MARCH, SUNDAY) == date(2025, 3, 16)


def test_the_first_weekday_after_a_day_of_that_weekday_is_a_week_later() -> None:
    assert first_weekday_after(WEDNESDAY_12_MARCH, WEDNESDAY) == date(2025, 3, 19)


def test_the_first_weekday_after_the_end_of_a_year_falls_in_the_next_year() -> None:
    assert first_weekday_after(date(2025, 12, 31), MONDAY) == date(2026, 1, 5)


def test_the_first_weekday_after_28_february_in_a_leap_year_can_be_29_february() -> None:
    assert first_weekday_after(date(2024, 2, 28), THURSDAY) == date(2024, 2, 29)
    assert first_weekday_after(date(2025, 2, 28), SATURDAY) == date(2025, 3, 1)


@pytest.mark.parametrize("weekday", [-1, 7, 10])
def test_a_weekday_outside_monday_to_sunday_is_refused(weekday: int) -> None:
    with pytest.raises(ValueError, match=r"0 \(Monday\) to 6 \(Sunday\)"):
        first_weekday_after(WEDNESDAY_12_MARCH, weekday)
    with pytest.raises(ValueError, match=r"0 \(Monday\) to 6 \(Sunday\)"):
        first_weekday_on_or_after(WEDNESDAY_12_MARCH, weekday)


def test_the_first_weekday_on_or_after_a_day_of_that_weekday_is_the_day_itself() -> None:
    assert first_weekday_on_or_after(WEDNESDAY_12_MARCH, WEDNESDAY) == WEDNESDAY_12_MARCH


def test_the_first_weekday_on_or_after_another_day_is_the_next_one() -> None:
    assert first_weekday_on_or_after(WEDNESDAY_12_MARCH, THURSDAY) == date(2025, 3, 13)
    assert first_weekday_on_or_after(WEDNESDAY_12_MARCH, MONDAY) == date(2025, 3, 17)
    assert first_weekday_on_or_after(WEDNESDAY_12_MARCH, TUESDAY) == date(2025, 3, 18)


@given(day=dates, weekday=st.integers(0, 6))
@settings(max_examples=100)
def test_the_first_weekday_after_a_day_is_that_weekday_within_the_next_seven_days(
    day: date, weekday: int
) -> None:
    after = first_weekday_after(day, weekday)
    assert after.weekday() == weekday
    assert 1 <= (after - day).days <= 7
    on_or_after = first_weekday_on_or_after(day, weekday)
    assert on_or_after.weekday() == weekday
    assert 0 <= (on_or_after - day).days <= 6
    assert on_or_after == (day if day.weekday() == weekday else after)


# -- pay cycles -------------------------------------------------------------------------------

ANCHOR = date(2025, 1, 6)  # a Monday; then 3 February, 3 March, 31 March ...


def test_before_the_anchor_the_first_cycle_day_is_the_anchor() -> None:
    assert first_cycle_day_after(ANCHOR, 28, date(2024, 12, 1)) == ANCHOR
    assert first_cycle_day_after(ANCHOR, 28, date(2025, 1, 5)) == ANCHOR


def test_on_the_anchor_the_first_cycle_day_after_is_one_cycle_later() -> None:
    assert first_cycle_day_after(ANCHOR, 28, ANCHOR) == date(2025, 2, 3)


def test_on_a_cycle_day_the_first_cycle_day_after_is_the_next_one() -> None:
    assert first_cycle_day_after(ANCHOR, 28, date(2025, 2, 3)) == date(2025, 3, 3)
    assert first_cycle_day_after(ANCHOR, 28, date(2025, 3, 3)) == date(2025, 3, 31)


def test_between_cycle_days_the_first_cycle_day_after_is_the_next_one() -> None:
    assert first_cycle_day_after(ANCHOR, 28, date(2025, 2, 4)) == date(2025, 3, 3)
    assert first_cycle_day_after(ANCHOR, 28, date(2025, 3, 2)) == date(2025, 3, 3)


def test_the_cycle_runs_on_across_the_end_of_a_year() -> None:
    anchor = date(2024, 12, 2)
    assert first_cycle_day_after(anchor, 28, date(2024, 12, 20)) == date(2024, 12, 30)
    assert first_cycle_day_after(anchor, 28, date(2024, 12, 30)) == date(2025, 1, 27)


def test_the_cycle_counts_29_february_in_a_leap_year() -> None:
    assert first_cycle_day_after(date(2024, 2, 5), 28, date(2024, 2, 29)) == date(2024, 3, 4)
    assert first_cycle_day_after(date(2025, 2, 3), 28, date(2025, 2, 28)) == date(2025, 3, 3)


@pytest.mark.parametrize("cycle_days", [0, -7])
def test_a_cycle_shorter_than_a_day_is_refused(cycle_days: int) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        first_cycle_day_after(ANCHOR, cycle_days, ANCHOR)


@given(anchor=dates, day=dates, cycle_days=st.sampled_from([1, 7, 14, 28, 29]))
@settings(max_examples=100)
def test_the_first_cycle_day_after_a_day_is_in_the_cycle_and_within_one_cycle_of_the_day(
    anchor: date, day: date, cycle_days: int
) -> None:
    next_day = first_cycle_day_after(anchor, cycle_days, day)
    assert next_day > day
    assert next_day >= anchor
    assert (next_day - anchor).days % cycle_days == 0
    if day >= anchor:
        assert (next_day - day).days <= cycle_days


# -- weeks before ----------------------------------------------------------------------------


def test_20_weeks_before_friday_29_august_is_friday_11_april() -> None:
    assert weeks_before(date(2025, 8, 29), 20) == date(2025, 4, 11)


def test_weeks_before_count_29_february_in_a_leap_year() -> None:
    assert weeks_before(date(2024, 3, 7), 1) == date(2024, 2, 29)
    assert weeks_before(date(2025, 3, 7), 1) == date(2025, 2, 28)


def test_no_weeks_before_a_day_is_the_day_itself() -> None:
    assert weeks_before(date(2025, 8, 29), 0) == date(2025, 8, 29)


@given(
    day=st.dates(min_value=date(1901, 1, 1), max_value=date(2200, 12, 31)), weeks=st.integers(0, 52)
)
@settings(max_examples=75)
def test_weeks_before_a_day_are_the_same_weekday_that_many_weeks_earlier(
    day: date, weeks: int
) -> None:
    earlier = weeks_before(day, weeks)
    assert earlier.weekday() == day.weekday()
    assert (day - earlier).days == 7 * weeks
