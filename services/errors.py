"""Errors the service layer raises on top of the domain's named errors."""

from __future__ import annotations

from uuid import UUID

from domain.errors import DomainError


class NotFound(DomainError):
    """No customer or claim exists with that reference."""

    field = None


class CustomerNotFound(NotFound):
    """No customer is registered with that National Insurance number or id."""


class ClaimNotFound(NotFound):
    """No claim exists with that id."""


class TransitionNotFound(NotFound):
    """The customer has no DLA to PIP transition."""


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


class ConcernNotFound(NotFound):
    """No early-warning concern exists with that id."""


class SixPointPlanNotFound(NotFound):
    """No six-point plan exists with that id."""


class LumpSumNotFound(NotFound):
    """No lump sum exists with that id."""


class SeriousCaseNotFound(NotFound):
    """No serious case referral exists with that id."""


class DebtNotFound(NotFound):
    """No debt exists with that id."""
