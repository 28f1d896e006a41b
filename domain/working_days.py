"""Working days: weekdays that are not England and Wales bank holidays (RULES.md section 0).

The bank holidays are data, not a calculation: the government announces them (and adds
one-off days such as a jubilee or a state funeral), so they are held as a dated table with
a version. A rule that counts working days names the table version it used, so a replay
counts with the same days. Counting outside the years a table covers is refused rather than
guessed.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import Field

from domain.errors import DomainError
from domain.values import ValueObject

GOV_UK_BANK_HOLIDAYS = "https://www.gov.uk/bank-holidays"


class OutsideBankHolidayTable(DomainError):
    """A working-day count reached a year the bank holiday table does not cover."""

    field = None


class BankHolidayTable(ValueObject):
    """England and Wales bank holidays for a range of years, as published on a date."""

    version: int
    published_on: date = Field(description="when this version of the list was taken")
    source: str
    first_year: int
    last_year: int
    days: frozenset[date]

    def covers(self, day: date) -> bool:
        """True when the table lists the bank holidays of the day's year."""
        return self.first_year <= day.year <= self.last_year

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a bank holiday."""
        if not self.covers(day):
            raise OutsideBankHolidayTable(
                f"bank holiday table v{self.version} covers {self.first_year} to "
                f"{self.last_year}, not {day.isoformat()}"
            )
        return day.weekday() < 5 and day not in self.days


def _days(*days: tuple[int, int, int]) -> frozenset[date]:
    return frozenset(date(*day) for day in days)


ENGLAND_AND_WALES_BANK_HOLIDAYS_V1 = BankHolidayTable(
    version=1,
    published_on=date(2026, 12, 1),
    source=GOV_UK_BANK_HOLIDAYS,
    first_year=2018,
    last_year=2030,
    # Substitute days are listed (not the weekend day they replace): 2020-05-08 VE Day
    # (moved early May), 2022-06-02/03 Platinum Jubilee (spring moved), 2022-09-19 the
    # Queen's state funeral, 2023-05-08 the King's coronation. 2027 onwards: the usual
    # pattern (not yet announced by gov.uk when the table was taken).
    days=_days(
        (2018, 1, 1), (2018, 3, 30), (2018, 4, 2), (2018, 5, 7), (2018, 5, 28), (2018, 8, 27),
        (2018, 12, 25), (2018, 12, 26),
        (2019, 1, 1), (2019, 4, 19), (2019, 4, 22), (2019, 5, 6), (2019, 5, 27), (2019, 8, 26),
        (2019, 12, 25), (2019, 12, 26),
        (2020, 1, 1), (2020, 4, 10), (2020, 4, 13), (2020, 5, 8), (2020, 5, 25), (2020, 8, 31),
        (2020, 12, 25), (2020, 12, 28),
        (2021, 1, 1), (2021, 4, 2), (2021, 4, 5), (2021, 5, 3), (2021, 5, 31), (2021, 8, 30),
        (2021, 12, 27), (2021, 12, 28),
        (2022, 1, 3), (2022, 4, 15), (2022, 4, 18), (2022, 5, 2), (2022, 6, 2), (2022, 6, 3),
        (2022, 8, 29), (2022, 9, 19), (2022, 12, 26), (2022, 12, 27),
        (2023, 1, 2), (2023, 4, 7), (2023, 4, 10), (2023, 5, 1), (2023, 5, 8), (2023, 5, 29),
        (2023, 8, 28), (2023, 12, 25), (2023, 12, 26),
        (2024, 1, 1), (2024, 3, 29), (2024, 4, 1), (2024, 5, 6), (2024, 5, 27), (2024, 8, 26),
        (2024, 12, 25), (2024, 12, 26),
        (2025, 1, 1), (2025, 4, 18), (2025, 4, 21), (2025, 5, 5), (2025, 5, 26), (2025, 8, 25),
        (2025, 12, 25), (2025, 12, 26),
        (2026, 1, 1), (2026, 4, 3), (2026, 4, 6), (2026, 5, 4), (2026, 5, 25), (2026, 8, 31),
        (2026, 12, 25), (2026, 12, 28),
        (2027, 1, 1), (2027, 3, 26), (2027, 3, 29), (2027, 5, 3), (2027, 5, 31), (2027, 8, 30),
        (2027, 12, 27), (2027, 12, 28),
        (2028, 1, 3), (2028, 4, 14), (2028, 4, 17), (2028, 5, 1), (2028, 5, 29), (2028, 8, 28),
        (2028, 12, 25), (2028, 12, 26),
        (2029, 1, 1), (2029, 3, 30), (2029, 4, 2), (2029, 5, 7), (2029, 5, 28), (2029, 8, 27),
        (2029, 12, 25), (2029, 12, 26),
        (2030, 1, 1), (2030, 4, 19), (2030, 4, 22), (2030, 5, 6), (2030, 5, 27), (2030, 8, 26),
        (2030, 12, 25), (2030, 12, 26),
    ),
)  # fmt: skip

BANK_HOLIDAY_TABLES: dict[int, BankHolidayTable] = {
    table.version: table for table in (ENGLAND_AND_WALES_BANK_HOLIDAYS_V1,)
}


def bank_holidays(version: int) -> BankHolidayTable:
    """The bank holiday table of a version (rules name the version they count with)."""
    try:
        return BANK_HOLIDAY_TABLES[version]
    except KeyError:
        raise OutsideBankHolidayTable(f"no bank holiday table version {version}") from None


def add_working_days(start: date, working_days: int, table: BankHolidayTable) -> date:
    """The working day `working_days` working days after `start` (start itself not counted).

    Something arriving on a Friday with a 3-working-day target is due on the Wednesday;
    arriving on a Saturday, also the Wednesday.
    """
    if working_days < 1:
        raise ValueError(f"count at least one working day, got {working_days}")
    day, counted = start, 0
    while counted < working_days:
        day += timedelta(days=1)
        if table.is_working_day(day):
            counted += 1
    return day


def working_days_before(day: date, working_days: int, table: BankHolidayTable) -> date:
    """The working day `working_days` working days before `day` (day itself not counted)."""
    if working_days < 0:
        raise ValueError(f"count zero or more working days, got {working_days}")
    counted = 0
    while counted < working_days:
        day -= timedelta(days=1)
        if table.is_working_day(day):
            counted += 1
    return day
