"""Counting conventions for periods and deadlines (RULES.md section 0)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def last_day_of_days_beginning_with(start: date, days: int) -> date:
    """The last day of the `days` days beginning with `start` (start is day 1)."""
    if days < 1:
        raise ValueError(f"a period has at least one day, got {days}")
    return start + timedelta(days=days - 1)


def add_calendar_months(start: date, months: int) -> date:
    """The same day number `months` later, or that month's last day when it is shorter."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def within_months_of(start: date, months: int) -> date:
    """The last day that is still 'within `months` months of' `start`."""
    return add_calendar_months(start, months)


def age_on(date_of_birth: date, on: date) -> int:
    """Whole years of age on a given day (a 29 February birthday counts on 1 March)."""
    had_birthday = (on.month, on.day) >= (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - (0 if had_birthday else 1)


def birthday(date_of_birth: date, years: int) -> date:
    """The day a person reaches `years` of age; 29 February births reach it on 1 March."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return date(date_of_birth.year + years, 3, 1)


def first_weekday_after(day: date, weekday: int) -> date:
    """The first date strictly after `day` that falls on `weekday` (Monday 0 ... Sunday 6)."""
    if not 0 <= weekday <= 6:
        raise ValueError(f"a weekday is 0 (Monday) to 6 (Sunday), got {weekday}")
    ahead = (weekday - day.weekday()) % 7
    return day + timedelta(days=ahead or 7)


def first_weekday_on_or_after(day: date, weekday: int) -> date:
    """`day` itself when it falls on `weekday`, else the first such date after it."""
    return day if day.weekday() == weekday else first_weekday_after(day, weekday)


def first_cycle_day_after(anchor: date, cycle_days: int, day: date) -> date:
    """The first date strictly after `day` in the cycle anchor, anchor + cycle_days, ...

    Before the anchor, the anchor itself is the first date of the cycle after `day`.
    """
    if cycle_days < 1:
        raise ValueError(f"a cycle is at least one day long, got {cycle_days}")
    if day < anchor:
        return anchor
    cycles_passed = (day - anchor).days // cycle_days
    return anchor + timedelta(days=(cycles_passed + 1) * cycle_days)


def weeks_before(day: date, weeks: int) -> date:
    """The date `weeks` whole weeks before `day` (the same weekday)."""
    return day - timedelta(weeks=weeks)
