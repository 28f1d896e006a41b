"""An award record as a row of the index table, and back (shared by both stores)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from domain.claim import Award
from domain.rules.pip_assessment import Rate
from services.uprating import AwardRecord

COLUMNS = (
    "claim_id",
    "version",
    "entitled",
    "daily_living",
    "mobility",
    "starts_on",
    "ends_on",
    "award_version",
    "uprated_on",
)

Row = tuple[Any, ...]


def to_row(record: AwardRecord) -> Row:
    """The record's column values (dates and ids as the driver takes them)."""
    award = record.award
    if award is None:
        return (record.claim_id, record.version, None, None, None, None, None, None, None)
    return (
        record.claim_id,
        record.version,
        award.entitled,
        award.daily_living.value,
        award.mobility.value,
        award.starts_on,
        award.ends_on,
        record.award_version,
        record.uprated_on,
    )


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@lru_cache(maxsize=100_000)
def _award(entitled: Any, daily_living: Any, mobility: Any, starts_on: Any, ends_on: Any) -> Award:
    # Awards are immutable values and many claims share one (the same rates and dates):
    # validating each distinct award once keeps reading 100,000 rows cheap.
    return Award(
        entitled=bool(entitled),
        daily_living=Rate(daily_living),
        mobility=Rate(mobility),
        starts_on=_day(starts_on),
        ends_on=_day(ends_on),
    )


def from_row(row: Row) -> AwardRecord:
    """The record a row holds."""
    claim_id, version, entitled, daily_living, mobility, starts_on, ends_on = row[:7]
    award_version, uprated_on = row[7:9]
    award = (
        None if entitled is None else _award(entitled, daily_living, mobility, starts_on, ends_on)
    )
    return AwardRecord(
        claim_id=claim_id if isinstance(claim_id, UUID) else UUID(str(claim_id)),
        version=int(version),
        award=award,
        award_version=None if award_version is None else int(award_version),
        uprated_on=_day(uprated_on),
    )
