"""Disclosures: a member of staff read a customer's data, for a stated purpose.

A disclosure is a fact like any other, so it lives in the one log (and is tamper-evident
with the rest of it). Each recorded read is an aggregate of its own with one event: reads
never contend with the commands on the customer's record, and nothing ever changes one.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import JourneyAggregate
from domain.errors import DomainError
from domain.obligations import CODE, KIND_ONLY, NoLetter, NotPersonal, implies

PURPOSE_MAX_LENGTH = 200
"""A purpose is a short statement ("phone call from customer"), not a case note."""

PURPOSE_MIN_LENGTH = 3


class PurposeNotStated(DomainError):
    """A member of staff must say why they read a customer's data, in a few words."""

    field = None


class ReaderRole(Enum):
    """The staff roles whose reads of customer data are disclosures."""

    CASEWORKER = "caseworker"
    AUDITOR = "auditor"


STAFF_PURPOSE = NotPersonal(
    "a read's stated purpose: staff are told to keep personal data out of it", published=False
)


def stated_purpose(purpose: str | None) -> str:
    """The purpose trimmed; PurposeNotStated when it is missing, too short or too long."""
    text = " ".join((purpose or "").split())
    if not PURPOSE_MIN_LENGTH <= len(text) <= PURPOSE_MAX_LENGTH:
        raise PurposeNotStated(
            f"purpose: state why you read this customer's data in {PURPOSE_MIN_LENGTH} to "
            f"{PURPOSE_MAX_LENGTH} characters",
            field="purpose",
        )
    return text


class Disclosure(JourneyAggregate):
    """One read of customer data by a member of staff: who, in which role, why, and what."""

    @implies(
        timeline=KIND_ONLY,
        letter=NoLetter("the audit of a staff read; the customer is not written to"),
    )
    class Recorded(JourneyAggregate.Created):
        """Staff read customer data (customer None: a list of many, such as a worklist).

        The customer is not named `customer_id` on purpose: the other projections give every
        event with a `customer_id` to that customer's timeline and owner table, and a read
        must not add a row to the timeline it reads.
        """

        customer: UUID | None
        subject: Annotated[str, CODE]  # the customer's id, or the list that was read
        role: ReaderRole
        # Staff are told not to put personal data here; it is the audit of a read, kept after
        # an erasure, so it is not sealed, and it is not shown to other systems either.
        purpose: Annotated[str, STAFF_PURPOSE]
        resource: Annotated[str, CODE]
        path: Annotated[str, CODE]

    @classmethod
    def record(
        cls,
        *,
        customer: UUID | None,
        subject: str,
        role: ReaderRole,
        purpose: str | None,
        resource: str,
        path: str,
    ) -> Disclosure:
        """Record one read (a random id: no two reads share an aggregate)."""
        if not subject.strip():
            raise PurposeNotStated(
                "subject: a disclosure must name who read the data", field="subject"
            )
        return cls(
            customer=customer,
            subject=subject,
            role=role,
            purpose=stated_purpose(purpose),
            resource=resource,
            path=path,
        )

    @event(Recorded)
    def __init__(
        self,
        customer: UUID | None,
        subject: str,
        role: ReaderRole,
        purpose: str,
        resource: str,
        path: str,
    ) -> None:
        self.customer = customer
        self.subject = subject
        self.role = role
        self.purpose = purpose
        self.resource = resource
        self.path = path
