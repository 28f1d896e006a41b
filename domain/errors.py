"""Named errors raised when a command would break an invariant; nothing is recorded."""

from __future__ import annotations


class DomainError(Exception):
    """A command was refused because it would break a rule of the domain."""


class InvalidNationalInsuranceNumber(DomainError):
    """The National Insurance number is not in the HMRC format."""


class DateOfBirthInFuture(DomainError):
    """A date of birth after the date it was recorded cannot be true."""


class InvalidDateOfDeath(DomainError):
    """A date of death must be on or after birth and not after the day it is reported."""


class InvalidName(DomainError):
    """A customer's name must have some text in it."""


class MissingDescription(DomainError):
    """A reported change or reason must say what it is."""


class CustomerDeceased(DomainError):
    """The customer's death has been notified; this action is no longer allowed."""


class AppointeeAlreadyActive(DomainError):
    """The customer already has an appointee; end that appointment first."""


class NoActiveAppointee(DomainError):
    """There is no appointee to end."""


class SupportMarkerNotFound(DomainError):
    """No active additional-support marker of that kind exists."""


class InvalidClaimDate(DomainError):
    """A claim date (or a later step's date) cannot come before the step it follows."""


class WrongBenefitForCommand(DomainError):
    """The command applies to another benefit type (for example PIP only)."""


class ClaimNotOpen(DomainError):
    """The claim has already been decided, disallowed or withdrawn."""


class ClaimAlreadyDecided(ClaimNotOpen):
    """The claim has already been decided."""


class ClaimWithdrawn(ClaimNotOpen):
    """The claim was withdrawn; nothing more can be decided on it."""


class NotEligibleToClaim(DomainError):
    """The customer cannot make this kind of claim (for example age limits)."""


class QuestionnaireNotOutstanding(DomainError):
    """No PIP2 questionnaire is waiting to be returned on this claim."""


class QuestionnaireNotOverdue(DomainError):
    """The PIP2 questionnaire is not overdue yet, so no negative determination can be made."""


class AssessmentNotAllowed(DomainError):
    """The claim is not at the assessment stage (questionnaire missing, or already assessed)."""


class InvalidAssessmentPoints(DomainError):
    """Assessment points must name known activities and lie between 0 and 12."""


class AssessmentMissing(DomainError):
    """A PIP award cannot be decided before the assessment is recorded."""


class InvalidAwardPeriod(DomainError):
    """A PIP award must run between 3 months and 10 years."""


class NoDecisionToDispute(DomainError):
    """Only a decided or disallowed claim can be reconsidered or appealed."""


class ReconsiderationOutOfTime(DomainError):
    """The mandatory reconsideration was asked for too late."""


class ReconsiderationAlreadyRequested(DomainError):
    """A mandatory reconsideration is already under way for this decision."""


class StatementOfReasonsNotAllowed(DomainError):
    """A statement of reasons can be asked for once, and only about a notified decision."""


class NoReconsiderationPending(DomainError):
    """There is no mandatory reconsideration waiting for an outcome."""


class AppealNeedsReconsideration(DomainError):
    """An appeal needs a mandatory reconsideration notice first."""


class AppealOutOfTime(DomainError):
    """The appeal was lodged after the time limit (and any tribunal extension)."""


class AppealNotPending(DomainError):
    """There is no appeal under way on this claim."""


class ClaimHistoryInconsistent(DomainError):
    """The stored history lacks a fact its stage implies (a defect, never user input)."""


class UnknownRuleVersion(DomainError):
    """The named rule or rule version does not exist in the rule tables."""


class NoAwardInPayment(DomainError):
    """The claim has no award in payment on the date asked about."""


class NoAward(NoAwardInPayment):
    """The claim has not been decided, so there is no award."""


class AwardNotEntitled(NoAwardInPayment):
    """The claim's decision gives no entitlement, so nothing is paid."""


class AwardEnded(NoAwardInPayment):
    """The award ended before the date asked about."""


class AwardNotStarted(NoAwardInPayment):
    """The award starts after the date asked about."""


class AwardAlreadyUprated(DomainError):
    """The award was already uprated for that date (or a later one)."""


class DeadlineNotDue(DomainError):
    """A deadline cannot fire before the day it is set for."""


class NotAChildDlaRecipient(DomainError):
    """The DLA to PIP transition is only for someone awarded DLA as a child, still in payment."""


class ClaimBeforeInvitation(DomainError):
    """A PIP claim in the DLA transition cannot be dated before the invitation was sent."""


class AppointeeNotCarriedOver(DomainError):
    """A DLA appointee does not carry over to PIP: a new appointee must be appointed first."""


class HospitalStayNotRelevant(DomainError):
    """A hospital stay only changes the invitation before it is sent."""


class InvalidHospitalDates(DomainError):
    """A discharge needs an admission first, and cannot come before it."""


class PipStartDoesNotFollowDla(DomainError):
    """In the DLA transition, PIP starts the day after DLA ends, on the date the rule gives."""


class MissingAwardStart(DomainError):
    """An award needs a start date (only a DLA transition's PIP award has one worked out)."""


class GoodReasonNotApplicable(DomainError):
    """A good reason can only reopen a claim disallowed for the questionnaire not coming back."""


class NoAgeReviewDue(DomainError):
    """No age review of the DLA award is waiting to be completed."""


class TransitionOver(DomainError):
    """The DLA to PIP transition has ended; nothing more can change on it."""
