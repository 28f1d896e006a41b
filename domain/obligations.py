"""The markers an event's fields are declared with: what the department owes each one.

A text field is personal data unless declared otherwise here, with the reason; a field of
another type is personal when declared so. ``domain.personal_data`` derives the sealing, the
erasure and what other systems may see from these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass


class _PersonalMarker:
    """The class of ``Personal``, the one marker of personal data that is not text."""

    def __repr__(self) -> str:
        return "Personal"


Personal = _PersonalMarker()
"""Declares a field of any type personal data: ``Annotated[date, Personal]``."""


@dataclass(frozen=True)
class NotPersonal:
    """Declares a text field is not personal data, and why.

    ``published=False``: kept in plain in the store but withheld from other systems.
    """

    reason: str
    published: bool = True


STAFF_ID = NotPersonal("a member of staff's id, never a customer's details")
CODE = NotPersonal("a code from a fixed list (a language, a template, a route)")
SYSTEM_WORDING = NotPersonal("wording the system writes from a fixed set, never a person's")
RULE_REASONS = NotPersonal(
    "a rule's own reasons, kept as its decision keeps them for audit; they may date a birthday,"
    " so other systems do not see them",
    published=False,
)
