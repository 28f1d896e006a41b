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


class Sr1SignerNotAccepted(DomainError):
    """An SR1 must come from a GP, consultant, specialty or hospice doctor, or senior nurse."""


class QuestionnaireNotNeeded(DomainError):
    """A claim on the Special Rules fast-track needs no PIP2 questionnaire."""


class AssessmentNotNeeded(DomainError):
    """A claim on the Special Rules fast-track needs no assessment."""


class NotFastTracked(DomainError):
    """The claim is not on the Special Rules fast-track."""


class SpecialRulesCaseClosed(DomainError):
    """The Special Rules case was closed (the customer died); nothing more changes on it."""


# -- safeguarding: concerns, six-point plans, lump sums, serious case referrals -------------------


class ConcernSubjectUnclear(DomainError):
    """A concern is about either one customer or one policy or procedure, not both or neither."""


class OwnerMissing(DomainError):
    """A safeguarding item or recommendation needs a named owner."""


class DueDateBeforeStart(DomainError):
    """A due date cannot come before the day the item was raised."""


class DateBeforeOpened(DomainError):
    """A step cannot be dated before the item it belongs to was opened (or its previous step)."""


class ConcernClosed(DomainError):
    """The concern already has an outcome; nothing more changes on it."""


class PlanStepOutOfOrder(DomainError):
    """A six-point plan step was recorded before the steps it follows."""


class PlanStepAlreadyRecorded(DomainError):
    """That six-point plan step has already been recorded."""


class PlanStepNotApplicable(DomainError):
    """The step does not apply to this plan (referral advice when urgent, emergency when not)."""


class StatementDetailsMissing(DomainError):
    """Gathering information records what was said, when and by what means (and only then)."""


class InvalidLumpSum(DomainError):
    """A lump sum needs a positive amount in pence and a period that ends after it starts."""


class LumpSumNotHeld(DomainError):
    """The lump sum is not held for a check (it was released already)."""


class ReleaseBySameColleague(DomainError):
    """A held lump sum is released by a colleague other than the one who proposed it."""


class SeriousCaseClosed(DomainError):
    """The serious case referral is closed; nothing more changes on it."""


class RecommendationNotFound(DomainError):
    """The serious case referral has no panel recommendation with that number."""


class RecommendationAlreadyCompleted(DomainError):
    """The panel recommendation already has its outcome."""


class RecommendationsOutstanding(DomainError):
    """A serious case referral closes only when every panel recommendation is completed."""


class ContactNotQueued(DomainError):
    """The contact is not waiting in the outbox (never queued, or already sent or refused)."""


# -- debt recovery: rules (RULES.md section 5) -----------------------------------------------------


class InvalidHardshipRequest(DomainError):
    """A hardship request needs a reason, 1 month or more within the limit, and a lower rate."""


class InvalidWaiver(DomainError):
    """A waiver needs a reason and an amount above nothing and not above the balance."""


# -- debt recovery: the Debt journey -------------------------------------------------------------


class InvalidDebt(DomainError):
    """A debt needs a positive amount in pence, a sound period and at most 3 months' deferral."""


class InvalidDebtAmount(DomainError):
    """An amount moved on a debt must be a positive number of pence."""


class RepaymentExceedsBalance(DomainError):
    """No more can be repaid or recovered than the balance: it never goes below nothing."""


class DeductionAboveCap(DomainError):
    """All of a customer's deductions together stay within the overall cap for the period."""


class DeductionAlreadyTaken(DomainError):
    """A debt is deducted once per assessment period (or pay date)."""


class DebtAlreadyCleared(DomainError):
    """Nothing is owed on a cleared debt: nothing more moves on it."""


class DebtWithEstate(DomainError):
    """The customer died: the debt is recovered from the estate, never from benefit or wages."""


class RecoverySuspended(DomainError):
    """Recovery of the debt is suspended under department policy."""


class RecoveryMethodMismatch(DomainError):
    """The debt is recovered by another method than the one the command uses."""


class HardshipAlreadyRequested(DomainError):
    """A hardship request on the debt is already waiting for a decision."""


class NoHardshipRequest(DomainError):
    """No hardship request on the debt is waiting for a decision."""


class LegalHoldInForce(DomainError):
    """A legal hold keeps the customer's personal data: it cannot be erased until lifted."""


class LegalHoldAlreadyPlaced(DomainError):
    """The customer's records are already under a legal hold."""


class NoLegalHold(DomainError):
    """The customer's records are under no legal hold to lift."""


class PersonalDataAlreadyErased(DomainError):
    """The customer's personal data was erased already; nothing personal is left to erase."""


class DecisionInputsErased(DomainError):
    """The decision's personal inputs were erased: it cannot be re-run (its outcome stands)."""


class PersonalDataWasErased(DomainError):
    """The command needs personal data (a date of birth, a NINO) that was erased."""
