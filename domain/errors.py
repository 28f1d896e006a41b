"""Named errors raised when a command would break an invariant; nothing is recorded.

Each error carries, as data, the input field it is about (`field`, None when no single input
is to blame) and a stable machine `code`; adapters map those, never the message text.
"""

from __future__ import annotations

import re
from typing import ClassVar


def _snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class DomainError(Exception):
    """A command was refused because it would break a rule of the domain."""

    # The command field the refusal concerns: fixed per class where the class is about one
    # field, given by the raising site (`field=`) where one class covers several.
    field: str | None = None
    code: ClassVar[str] = "domain_error"

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)
        if field is not None:
            self.field = field

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        # Derived from the class name, so a code changes only when the error is renamed.
        cls.code = _snake_case(cls.__name__)


class InvalidNationalInsuranceNumber(DomainError):
    """The National Insurance number is not in the HMRC format."""

    field = "nino"


class DateOfBirthInFuture(DomainError):
    """A date of birth after the date it was recorded cannot be true."""

    field = "date_of_birth"


class InvalidDateOfDeath(DomainError):
    """A date of death must be on or after birth and not after the day it is reported."""

    field = "date_of_death"


class InvalidName(DomainError):
    """A customer's name must have some text in it."""

    field = "name"


class MissingDescription(DomainError):
    """A reported change or reason must say what it is."""

    field = None


class CustomerDeceased(DomainError):
    """The customer's death has been notified; this action is no longer allowed."""

    field = None


class AppointeeAlreadyActive(DomainError):
    """The customer already has an appointee; end that appointment first."""

    field = None


class NoActiveAppointee(DomainError):
    """There is no appointee to end."""

    field = None


class SupportMarkerNotFound(DomainError):
    """No active additional-support marker of that kind exists."""

    field = None


class InvalidClaimDate(DomainError):
    """A claim date (or a later step's date) cannot come before the step it follows."""

    field = None


class WrongBenefitForCommand(DomainError):
    """The command applies to another benefit type (for example PIP only)."""

    field = None


class ClaimNotOpen(DomainError):
    """The claim has already been decided, disallowed or withdrawn."""

    field = None


class ClaimAlreadyDecided(ClaimNotOpen):
    """The claim has already been decided."""

    field = None


class ClaimWithdrawn(ClaimNotOpen):
    """The claim was withdrawn; nothing more can be decided on it."""

    field = None


class NotEligibleToClaim(DomainError):
    """The customer cannot make this kind of claim (for example age limits)."""

    field = None


class QuestionnaireNotOutstanding(DomainError):
    """No PIP2 questionnaire is waiting to be returned on this claim."""

    field = None


class QuestionnaireNotOverdue(DomainError):
    """The PIP2 questionnaire is not overdue yet, so no negative determination can be made."""

    field = None


class AssessmentNotAllowed(DomainError):
    """The claim is not at the assessment stage (questionnaire missing, or already assessed)."""

    field = None


class InvalidAssessmentPoints(DomainError):
    """Assessment points must name known activities and lie between 0 and 12."""

    field = None


class AssessmentMissing(DomainError):
    """A PIP award cannot be decided before the assessment is recorded."""

    field = None


class InvalidAwardPeriod(DomainError):
    """A PIP award must run between 3 months and 10 years."""

    field = None


class NoDecisionToDispute(DomainError):
    """Only a decided or disallowed claim can be reconsidered or appealed."""

    field = None


class ReconsiderationOutOfTime(DomainError):
    """The mandatory reconsideration was asked for too late."""

    field = None


class ReconsiderationAlreadyRequested(DomainError):
    """A mandatory reconsideration is already under way for this decision."""

    field = None


class StatementOfReasonsNotAllowed(DomainError):
    """A statement of reasons can be asked for once, and only about a notified decision."""

    field = None


class NoReconsiderationPending(DomainError):
    """There is no mandatory reconsideration waiting for an outcome."""

    field = None


class AppealNeedsReconsideration(DomainError):
    """An appeal needs a mandatory reconsideration notice first."""

    field = None


class AppealOutOfTime(DomainError):
    """The appeal was lodged after the time limit (and any tribunal extension)."""

    field = None


class AppealNotPending(DomainError):
    """There is no appeal under way on this claim."""

    field = None


class ClaimHistoryInconsistent(DomainError):
    """The stored history lacks a fact its stage implies (a defect, never user input)."""

    field = None


class UnknownRuleVersion(DomainError):
    """The named rule or rule version does not exist in the rule tables."""

    field = None


class NoAwardInPayment(DomainError):
    """The claim has no award in payment on the date asked about."""

    field = None


class NoAward(NoAwardInPayment):
    """The claim has not been decided, so there is no award."""

    field = None


class AwardNotEntitled(NoAwardInPayment):
    """The claim's decision gives no entitlement, so nothing is paid."""

    field = None


class AwardEnded(NoAwardInPayment):
    """The award ended before the date asked about."""

    field = None


class AwardNotStarted(NoAwardInPayment):
    """The award starts after the date asked about."""

    field = None


class AwardAlreadyUprated(DomainError):
    """The award was already uprated for that date (or a later one)."""

    field = None


class DeadlineNotDue(DomainError):
    """A deadline cannot fire before the day it is set for."""

    field = None


class NotAChildDlaRecipient(DomainError):
    """The DLA to PIP transition is only for someone awarded DLA as a child, still in payment."""

    field = "dla_claim_id"


class ClaimBeforeInvitation(DomainError):
    """A PIP claim in the DLA transition cannot be dated before the invitation was sent."""

    field = "claim_date"


class AppointeeNotCarriedOver(DomainError):
    """A DLA appointee does not carry over to PIP: a new appointee must be appointed first."""

    field = None


class HospitalStayNotRelevant(DomainError):
    """A hospital stay only changes the invitation before it is sent."""

    field = None


class InvalidHospitalDates(DomainError):
    """A discharge needs an admission first, and cannot come before it."""

    field = None


class PipStartDoesNotFollowDla(DomainError):
    """In the DLA transition, PIP starts the day after DLA ends, on the date the rule gives."""

    field = "starts_on"


class MissingAwardStart(DomainError):
    """An award needs a start date (only a DLA transition's PIP award has one worked out)."""

    field = "starts_on"


class GoodReasonNotApplicable(DomainError):
    """A good reason can only reopen a claim disallowed for the questionnaire not coming back."""

    field = None


class NoAgeReviewDue(DomainError):
    """No age review of the DLA award is waiting to be completed."""

    field = "age"


class TransitionOver(DomainError):
    """The DLA to PIP transition has ended; nothing more can change on it."""

    field = None


class Sr1SignerNotAccepted(DomainError):
    """An SR1 must come from a GP, consultant, specialty or hospice doctor, or senior nurse."""

    field = "signer_role"


class QuestionnaireNotNeeded(DomainError):
    """A claim on the Special Rules fast-track needs no PIP2 questionnaire."""

    field = None


class AssessmentNotNeeded(DomainError):
    """A claim on the Special Rules fast-track needs no assessment."""

    field = None


class NotFastTracked(DomainError):
    """The claim is not on the Special Rules fast-track."""

    field = None


class SpecialRulesCaseClosed(DomainError):
    """The Special Rules case was closed (the customer died); nothing more changes on it."""

    field = None


# -- safeguarding: concerns, six-point plans, lump sums, serious case referrals -------------------


class ConcernSubjectUnclear(DomainError):
    """A concern is about either one customer or one policy or procedure, not both or neither."""

    field = None


class OwnerMissing(DomainError):
    """A safeguarding item or recommendation needs a named owner."""

    field = None


class DueDateBeforeStart(DomainError):
    """A due date cannot come before the day the item was raised."""

    field = None


class DateBeforeOpened(DomainError):
    """A step cannot be dated before the item it belongs to was opened (or its previous step)."""

    field = None


class ConcernClosed(DomainError):
    """The concern already has an outcome; nothing more changes on it."""

    field = None


class PlanStepOutOfOrder(DomainError):
    """A six-point plan step was recorded before the steps it follows."""

    field = "step"


class PlanStepAlreadyRecorded(DomainError):
    """That six-point plan step has already been recorded."""

    field = "step"


class PlanStepNotApplicable(DomainError):
    """The step does not apply to this plan (referral advice when urgent, emergency when not)."""

    field = "step"


class StatementDetailsMissing(DomainError):
    """Gathering information records what was said, when and by what means (and only then)."""

    field = "details"


class InvalidLumpSum(DomainError):
    """A lump sum needs a positive amount in pence and a period that ends after it starts."""

    field = None


class LumpSumNotHeld(DomainError):
    """The lump sum is not held for a check (it was released already)."""

    field = None


class ReleaseBySameColleague(DomainError):
    """A held lump sum is released by a colleague other than the one who proposed it."""

    field = None


class SeriousCaseClosed(DomainError):
    """The serious case referral is closed; nothing more changes on it."""

    field = None


class RecommendationNotFound(DomainError):
    """The serious case referral has no panel recommendation with that number."""

    field = "number"


class RecommendationAlreadyCompleted(DomainError):
    """The panel recommendation already has its outcome."""

    field = "number"


class RecommendationsOutstanding(DomainError):
    """A serious case referral closes only when every panel recommendation is completed."""

    field = None


class ContactNotQueued(DomainError):
    """The contact is not waiting in the outbox (never queued, or already sent or refused)."""

    field = None


# -- debt recovery: rules (RULES.md section 5) -----------------------------------------------------


class InvalidHardshipRequest(DomainError):
    """A hardship request needs a reason, 1 month or more within the limit, and a lower rate."""

    field = None


class InvalidWaiver(DomainError):
    """A waiver needs a reason and an amount above nothing and not above the balance."""

    field = None


# -- debt recovery: the Debt journey -------------------------------------------------------------


class InvalidDebt(DomainError):
    """A debt needs a positive amount in pence, a sound period and at most 3 months' deferral."""

    field = None


class InvalidDebtAmount(DomainError):
    """An amount moved on a debt must be a positive number of pence."""

    field = None


class RepaymentExceedsBalance(DomainError):
    """No more can be repaid or recovered than the balance: it never goes below nothing."""

    field = "amount_pence"


class DeductionAboveCap(DomainError):
    """All of a customer's deductions together stay within the overall cap for the period."""

    field = "amount_pence"


class DeductionAlreadyTaken(DomainError):
    """A debt is deducted once per assessment period (or pay date)."""

    field = None


class DebtAlreadyCleared(DomainError):
    """Nothing is owed on a cleared debt: nothing more moves on it."""

    field = None


class DebtWithEstate(DomainError):
    """The customer died: the debt is recovered from the estate, never from benefit or wages."""

    field = None


class RecoverySuspended(DomainError):
    """Recovery of the debt is suspended under department policy."""

    field = None


class RecoveryMethodMismatch(DomainError):
    """The debt is recovered by another method than the one the command uses."""

    field = None


class HardshipAlreadyRequested(DomainError):
    """A hardship request on the debt is already waiting for a decision."""

    field = None


class NoHardshipRequest(DomainError):
    """No hardship request on the debt is waiting for a decision."""

    field = None


class LegalHoldInForce(DomainError):
    """A legal hold keeps the customer's personal data: it cannot be erased until lifted."""

    field = None


class LegalHoldAlreadyPlaced(DomainError):
    """The customer's records are already under a legal hold."""

    field = None


class NoLegalHold(DomainError):
    """The customer's records are under no legal hold to lift."""

    field = None


class PersonalDataAlreadyErased(DomainError):
    """The customer's personal data was erased already; nothing personal is left to erase."""

    field = None


class DecisionInputsErased(DomainError):
    """The decision's personal inputs were erased: it cannot be re-run (its outcome stands)."""

    field = None


class PersonalDataWasErased(DomainError):
    """The command needs personal data (a date of birth, a NINO) that was erased."""

    field = None
