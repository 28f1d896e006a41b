"""Checks the safeguarding aggregates share: texts that must say something, owners, dates.

Each refusal carries the field it is about (`field=`), so the HTTP edge can name it.
"""

from __future__ import annotations

from datetime import date

from domain.errors import DateBeforeOpened, DueDateBeforeStart, MissingDescription, OwnerMissing


def required_text(value: str, field: str) -> str:
    """The text without surrounding blanks; blank text is refused."""
    text = value.strip()
    if not text:
        raise MissingDescription(f"{field}: must say something (it is blank)", field=field)
    return text


def named_owner(value: str, field: str = "owner") -> str:
    """A named owner (a colleague's staff id or name); blank is refused."""
    owner = value.strip()
    if not owner:
        raise OwnerMissing(f"{field}: a named owner is needed", field=field)
    return owner


def due_not_before(due_on: date, start: date, field: str = "due_on") -> date:
    """A due date on or after the day the item started."""
    if due_on < start:
        raise DueDateBeforeStart(
            f"{field} {due_on.isoformat()} is before the day it was raised ({start.isoformat()})",
            field=field,
        )
    return due_on


def not_before(day: date, start: date, field: str, what: str) -> date:
    """A step's date on or after the date of what it follows."""
    if day < start:
        raise DateBeforeOpened(
            f"{field} {day.isoformat()} is before {what} ({start.isoformat()})", field=field
        )
    return day
