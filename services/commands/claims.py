"""Commands on customers and their claims: registering, claiming, deciding and disputing.

Free text is bounded (2,000 characters); a date's sense (not in the future, within a time
limit) is the domain's to judge, which refuses it with the field named before anything is
appended.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from domain.claim import Award, RatesOverride
from domain.rules.pip_assessment import Rate
from domain.values import (
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    ContactPreferences,
    SupportMarker,
)
from services.commands import Command, Text

# -- commands anyone signed in for the customer may send ----------------------------------


class StartClaim(Command):
    """Start a claim."""

    benefit: BenefitType
    claim_date: date
    channel: ClaimChannel = ClaimChannel.ONLINE
    claimant_role: ClaimantRole = Field(
        default=ClaimantRole.CUSTOMER,
        description="who is making the claim; customers can only claim for themselves",
    )


class ReturnQuestionnaire(Command):
    """The PIP2 questionnaire came back."""

    received_on: date


class RequestReconsideration(Command):
    """Ask for a mandatory reconsideration."""

    requested_on: date
    grounds: str = Text
    good_reason_for_lateness: str | None = Field(default=None, max_length=2000)
    official_error_alleged: bool = False


class ReportChange(Command):
    """Report a change of circumstances from its effective date."""

    effective_date: date
    description: str = Text


# -- caseworker commands ---------------------------------------------------------------------


class RegisterCustomer(Command):
    """Register a customer."""

    nino: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=200)
    date_of_birth: date
    contact_preferences: ContactPreferences | None = None


class AddSupportMarker(Command):
    """Mark an additional-support need."""

    marker: SupportMarker
    effective_date: date


class IssueQuestionnaire(Command):
    """Send the PIP2 questionnaire."""

    issued_on: date


class NegativeDetermination(Command):
    """Disallow a claim whose PIP2 is overdue (a good reason stops it)."""

    good_reason: str | None = Field(default=None, max_length=2000)


class RecordAssessment(Command):
    """The assessment's points per activity."""

    assessed_on: date
    daily_living: dict[str, int]
    mobility: dict[str, int]
    assessor_id: str = Field(min_length=1, max_length=100)


class DecidePipAward(Command):
    """Decide PIP from the assessment points (a decision maker may override the rates)."""

    decided_on: date
    starts_on: date | None = Field(
        default=None,
        description="the award's first day; leave it out for a PIP claim made in a DLA to PIP "
        "transition, which starts the day after DLA ends (the rule gives it)",
    )
    ends_on: date
    override: RatesOverride | None = None


class DecideEntitlement(Command):
    """Decide a non-PIP claim."""

    decided_on: date
    entitled: bool
    reason: str = Text
    starts_on: date | None = None
    ends_on: date | None = None


class WithdrawClaim(Command):
    """Withdraw an undecided claim."""

    withdrawn_on: date
    reason: str = Text


class RequestStatementOfReasons(Command):
    """Ask for written reasons for a decision."""

    requested_on: date


class ReconsiderationOutcome(Command):
    """The MR outcome: a revised award, or none to leave the decision unchanged."""

    notice_sent_on: date
    revised_award: Award | None = None
    reason: str = Text


class LodgeAppeal(Command):
    """An appeal to the tribunal."""

    lodged_on: date
    tribunal_extended: bool = False
    sought_daily_living: Rate | None = None
    sought_mobility: Rate | None = None


class ReviseDuringAppeal(Command):
    """A revision while the appeal is pending."""

    revised_on: date
    award: Award


class AppealOutcome(Command):
    """The tribunal's decision."""

    decided_on: date
    allowed: bool
    award: Award | None = None
    judge: str = Field(min_length=1, max_length=100)
    reason: str = Text


class AcceptGoodReason(Command):
    """Accept a good reason for the PIP2 not coming back: the disallowed claim reopens."""

    accepted_on: date
    reason: str = Text
