"""Errors the service layer raises on top of the domain's named errors."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from domain.aggregate import JourneyAggregate
from domain.claim import Claim
from domain.concern import Concern
from domain.customer import Customer
from domain.debt import Debt
from domain.errors import DomainError
from domain.lump_sum import LumpSum
from domain.serious_case import SeriousCaseReferral
from domain.six_point_plan import SixPointPlan
from domain.special_rules import SpecialRulesCase
from domain.transition import DlaToPipTransition


class NotFound(DomainError):
    """No customer or claim exists with that reference."""

    field = None
    about: ClassVar[type[JourneyAggregate] | None] = None
    """The kind of aggregate that was looked for (None: any)."""


class CustomerNotFound(NotFound):
    """No customer is registered with that National Insurance number or id."""

    about = Customer


class ClaimNotFound(NotFound):
    """No claim exists with that id."""

    about = Claim


class TransitionNotFound(NotFound):
    """The customer has no DLA to PIP transition."""

    about = DlaToPipTransition


class TransitionAlreadyStarted(DomainError):
    """The customer's DLA to PIP transition has already started."""

    field = None


class DateInFuture(DomainError):
    """A date of something that has happened is after today."""

    field = None


class CustomerAlreadyRegistered(DomainError):
    """A customer with that National Insurance number is already registered."""

    field = "nino"


class ConcurrentUpdate(Exception):
    """Someone else changed the same record at the same time; retry the command."""

    retryable = True

    def __init__(self, aggregate_id: UUID, attempts: int) -> None:
        super().__init__(
            f"record {aggregate_id} was changed by another command {attempts} time(s) while this "
            "one ran; nothing was saved, try again"
        )
        self.aggregate_id = aggregate_id
        self.attempts = attempts


class SpecialRulesCaseNotFound(NotFound):
    """The customer has no Special Rules case (no SR1 has been recorded)."""

    about = SpecialRulesCase


class ConcernNotFound(NotFound):
    """No early-warning concern exists with that id."""

    about = Concern


class SixPointPlanNotFound(NotFound):
    """No six-point plan exists with that id."""

    about = SixPointPlan


class LumpSumNotFound(NotFound):
    """No lump sum exists with that id."""

    about = LumpSum


class SeriousCaseNotFound(NotFound):
    """No serious case referral exists with that id."""

    about = SeriousCaseReferral


class DebtNotFound(NotFound):
    """No debt exists with that id."""

    about = Debt


def not_found_for(kind: type[JourneyAggregate]) -> type[NotFound]:
    """The error that says no aggregate of a kind has an id (NotFound itself for others)."""
    for error in NotFound.__subclasses__():
        if error.about is kind:
            return error
    return NotFound
