"""The caseworker timeline: every event of a customer, in log order, with who caused it and why."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from domain.aggregate import JourneyAggregate
from domain.claim import Claim
from domain.concern import Concern
from domain.customer import Customer
from domain.deadlines import WithDeadlines
from domain.debt import Debt
from domain.decisions import Decision, decisions_in
from domain.lump_sum import LumpSum
from domain.personal_data import ERASED
from domain.rules.debt import HardshipKind, RecoveryMethod
from domain.rules.dla_to_pip import DLA_PIP_INVITATION_DATE
from domain.serious_case import SeriousCaseReferral
from domain.six_point_plan import SixPointPlan
from domain.special_rules import SpecialRulesCase
from domain.transition import Action, ClaimedIn, DlaToPipTransition
from domain.values import Actor, pounds
from projections.model import DecisionSummary, TimelineEntry
from projections.projection import (
    LoggedEvent,
    Projection,
    as_erased,
    effective_date_of,
    event_kind,
    owner_of,
    prefetch_owners,
)
from projections.store import ViewBatch
from projections.transitions import STAGE_TEXT


def actor_label(actor: Actor) -> str:
    """kind:identifier, e.g. caseworker:CW-104 or system:journeys."""
    return f"{actor.kind.value}:{actor.identifier}" if actor.identifier else actor.kind.value


def decision_summary(decision: Decision) -> DecisionSummary:
    """A decision as the timeline shows it: rule, version, outcome and reasons."""
    return DecisionSummary(
        rule_id=decision.rule_id,
        rule_version=decision.rule_version,
        outcome=decision.effective_outcome,
        reasons=tuple(decision.reasons),
        automated=decision.automated,
        overridden_by=actor_label(decision.override.by) if decision.override else None,
    )


def _rates(award: Any) -> str:
    if not award.entitled:
        return "not entitled"
    return f"entitled (daily living {award.daily_living.value}, mobility {award.mobility.value})"


_DEADLINE_ACTIONS = {
    Action.PRE_16_LETTER: "write that DLA ends at 16 and PIP must be claimed",
    Action.INVITE: "invite a PIP claim",
    Action.CLOSE_FIRST_WINDOW: "the PIP claim deadline has passed",
    Action.CLOSE_SECOND_WINDOW: "the second notice's PIP claim deadline has passed",
    Action.END_DLA: "DLA's last day has passed",
    Action.AGE_REVIEW: "the DLA award's age review is due",
}

_CLAIMED_IN = {
    ClaimedIn.BEFORE_INVITATION: "before the invitation",
    ClaimedIn.FIRST_WINDOW: "in time",
    ClaimedIn.LATE: "after the deadline, within the second notice's",
}


def _transition_started(event: DlaToPipTransition.Started) -> str:
    plan = DLA_PIP_INVITATION_DATE.outcome_of(event.invitation_plan)
    return (
        f"DLA to PIP transition started: 16 on {plan.sixteenth_birthday.isoformat()}, "
        f"PIP invitation due on {plan.invite_on.isoformat()}"
    )


_RECOVERY = {
    RecoveryMethod.BENEFIT_DEDUCTION: "deduction from benefit",
    RecoveryMethod.EARNINGS_ATTACHMENT: "Direct Earnings Attachment",
    RecoveryMethod.VOLUNTARY_PLAN: "voluntary plan",
    RecoveryMethod.NOT_RECOVERED: "not recovered (small debt)",
}

_TAKEN = {
    RecoveryMethod.BENEFIT_DEDUCTION: "Deducted from benefit",
    RecoveryMethod.EARNINGS_ATTACHMENT: "Attached from earnings",
    RecoveryMethod.VOLUNTARY_PLAN: "Paid under the voluntary plan",
}


def _left(balance_pence: int) -> str:
    return f"{pounds(balance_pence)} left" if balance_pence else "nothing left"


def _recovery_planned(e: Debt.RecoveryPlanned) -> str:
    rate = f", {pounds(e.per_period_pence)} a month" if e.per_period_pence else ""
    months = f" over {e.repay_months} months" if e.repay_months else ""
    held = "; on hold by policy" if e.suspended else ""
    return f"Recovery planned: {_RECOVERY[e.method]}{rate}{months}{held}"


def _hardship_asked(e: Debt.HardshipRequested) -> str:
    if e.kind is HardshipKind.PAUSE:
        what = f"pause for {e.months} months"
    else:
        what = f"reduce to {pounds(e.reduced_per_period_pence or 0)} a month for {e.months} months"
    return f"Hardship asked for: {what} ({e.reason})"


def _hardship_decided(e: Debt.HardshipDecided) -> str:
    if not e.granted:
        return f"Hardship refused: repayments stay at {pounds(e.per_period_pence)} a month"
    until = f" until {e.until.isoformat()}" if e.until is not None else ""
    if e.kind is HardshipKind.PAUSE:
        return f"Hardship granted: repayments paused from {e.from_on.isoformat()}{until}"
    return (
        f"Hardship granted: repayments reduced to {pounds(e.per_period_pence)} a month from "
        f"{e.from_on.isoformat()}{until}"
    )


def _dla_restarted(event: DlaToPipTransition.DlaRestarted) -> str:
    unpaid = ""
    if event.unpaid_from is not None and event.unpaid_to is not None:
        unpaid = f", not paid from {event.unpaid_from.isoformat()} to {event.unpaid_to.isoformat()}"
    return f"DLA restarted on {event.effective_date.isoformat()}{unpaid}"


_SUMMARIES: dict[type[Any], Callable[[Any], str]] = {
    Customer.Registered: lambda e: (
        f"Registered (date of birth {e.date_of_birth.isoformat() if e.date_of_birth else ERASED})"
    ),
    Customer.LegalHoldPlaced: lambda e: f"Legal hold placed: {e.reason}",
    Customer.LegalHoldLifted: lambda e: f"Legal hold lifted: {e.reason}",
    Customer.PersonalDataErased: lambda e: f"Personal data erased: {e.reason}",
    Customer.ContactPreferencesChanged: lambda e: (
        f"Contact preferences: {e.preferences.channel.value}"
        + (", large print" if e.preferences.large_print else "")
        + f", language {e.preferences.language}"
    ),
    Customer.AppointeeAppointed: lambda e: (
        f"Appointee appointed: {e.appointee.name} ({e.appointee.relationship})"
    ),
    Customer.AppointeeEnded: lambda e: f"Appointee ended: {e.reason}",
    Customer.SupportMarkerAdded: lambda e: (
        f"Support marker added: {e.marker.need.value} ({e.marker.duration.value})"
        + (f": {e.marker.details}" if e.marker.details else "")
    ),
    Customer.SupportMarkerRemoved: lambda e: f"Support marker removed: {e.need.value}",
    Customer.CircumstancesChanged: lambda e: f"Change of circumstances: {e.description}",
    Customer.DeathNotified: lambda e: f"Death notified (reference {e.reference})",
    Customer.ClaimOpened: lambda e: f"{e.benefit.value} claim opened",
    Customer.ContactQueued: lambda e: (
        f"{e.message.channel.value.capitalize()} queued: {e.message.subject}"
    ),
    Customer.ContactSent: lambda e: f"Contact {e.contact_id} sent",
    Customer.ContactRefused: lambda e: (
        f"{e.message.channel.value.capitalize()} not sent: {e.message.subject} ({e.reason})"
    ),
    Claim.Started: lambda e: (
        f"{e.benefit.value} claim made by {e.claimant_role.value} via {e.channel.value}"
    ),
    Claim.QuestionnaireIssued: lambda e: f"PIP2 issued, due back by {e.due_on.isoformat()}",
    Claim.QuestionnaireReturned: lambda e: "PIP2 returned" + (" late" if e.late else ""),
    Claim.Disallowed: lambda e: f"Claim disallowed ({e.grounds.value})",
    Claim.GoodReasonAccepted: lambda e: (
        f"Good reason accepted for the PIP2: claim reopened, due back by {e.due_on.isoformat()}"
    ),
    Claim.AssessmentRecorded: lambda e: (
        f"Assessment recorded: daily living {sum(e.points.daily_living.values())} points, "
        f"mobility {sum(e.points.mobility.values())} points"
    ),
    Claim.AwardDecided: lambda e: f"Decided: {_rates(e.award)}",
    Claim.Withdrawn: lambda e: f"Claim withdrawn: {e.reason}",
    Claim.StatementOfReasonsRequested: lambda e: "Statement of reasons asked for",
    Claim.ReconsiderationRequested: lambda e: f"Mandatory reconsideration asked for: {e.grounds}",
    Claim.ReconsiderationDecided: lambda e: (
        f"Reconsidered: {'revised' if e.revised else 'not revised'}, now {_rates(e.award)}"
    ),
    Claim.AppealLodged: lambda e: "Appeal lodged with the tribunal",
    Claim.AwardUprated: lambda e: (
        f"Uprated from {e.effective_date.isoformat()}: "
        f"daily living {pounds(e.weekly_amounts.daily_living_pence)}, "
        f"mobility {pounds(e.weekly_amounts.mobility_pence)} a week "
        f"({pounds(e.weekly_amounts.total_pence)})"
    ),
    Claim.RevisedDuringAppeal: lambda e: f"Revised during the appeal: now {_rates(e.award)}",
    Claim.AppealDecided: lambda e: (
        f"Tribunal {'allowed' if e.allowed else 'dismissed'} the appeal: now {_rates(e.award)}"
    ),
    Claim.PaymentsStopped: lambda e: (
        f"Payments stopped from {e.effective_date.isoformat()} (death on "
        f"{e.date_of_death.isoformat()})"
    ),
    WithDeadlines.DeadlineSet: lambda e: (
        f"Deadline set: {e.deadline.description} on {e.deadline.fires_on.isoformat()}"
    ),
    WithDeadlines.DeadlineFired: lambda e: (
        f"Deadline of {e.fires_on.isoformat()} reached: "
        + _DEADLINE_ACTIONS.get(e.action, e.action)
    ),
    WithDeadlines.DeadlineCancelled: lambda e: f"Deadline cancelled: {e.reason}",
    DlaToPipTransition.Started: _transition_started,
    DlaToPipTransition.Pre16LetterSent: lambda e: (
        "Letter sent before 16: DLA ends at 16 and PIP must be claimed"
    ),
    DlaToPipTransition.InvitationDeferred: lambda e: (
        "PIP invitation put off: in hospital on the 16th birthday, invite on discharge"
    ),
    DlaToPipTransition.InvitationIssued: lambda e: (
        f"Invited to claim PIP by {e.claim_by.isoformat()}"
    ),
    DlaToPipTransition.HospitalAdmissionRecorded: lambda e: (
        f"Went into hospital on {e.effective_date.isoformat()}"
    ),
    DlaToPipTransition.HospitalDischargeRecorded: lambda e: (
        f"Left hospital on {e.effective_date.isoformat()}"
    ),
    DlaToPipTransition.PipClaimed: lambda e: (
        f"PIP claimed on {e.effective_date.isoformat()}, {_CLAIMED_IN[e.claimed_in]}"
    ),
    DlaToPipTransition.PipClaimWithdrawn: lambda e: (
        f"PIP claim withdrawn; back to: {STAGE_TEXT[e.returned_to]}"
    ),
    DlaToPipTransition.DlaSuspended: lambda e: (
        f"DLA suspended from {e.effective_date.isoformat()}: no PIP claim by the deadline"
    ),
    DlaToPipTransition.SecondNoticeSent: lambda e: (
        f"Second notice sent: claim PIP by {e.claim_by.isoformat()} or DLA ends"
    ),
    DlaToPipTransition.DlaRestarted: _dla_restarted,
    DlaToPipTransition.DlaTerminated: lambda e: (
        f"DLA ended (last day {e.effective_date.isoformat()}): no PIP claim after the second notice"
    ),
    DlaToPipTransition.DlaEndDecided: lambda e: (
        f"DLA's last day set: {e.dla_ends_on.isoformat()}"
        + (f"; PIP from {e.pip_starts_on.isoformat()}" if e.pip_starts_on else "")
    ),
    DlaToPipTransition.DlaEnded: lambda e: f"DLA ended (last day {e.effective_date.isoformat()})",
    DlaToPipTransition.DlaReinstated: lambda e: (
        "DLA reinstated until the PIP decision: good reason accepted"
        + (f"; arrears from {e.arrears_from.isoformat()}" if e.arrears_from else "")
    ),
    DlaToPipTransition.NewAppointeeAppointed: lambda e: (
        f"Appointee for PIP appointed from {e.effective_date.isoformat()}"
    ),
    DlaToPipTransition.AppointeeNotNeeded: lambda e: f"No appointee needed for PIP: {e.reason}",
    DlaToPipTransition.AgeReviewDue: lambda e: f"DLA award review due at age {e.age}",
    DlaToPipTransition.AgeReviewCompleted: lambda e: (
        f"DLA award review at age {e.age} completed: {e.outcome}"
    ),
    DlaToPipTransition.Closed: lambda e: f"DLA to PIP transition closed: {e.reason}",
    Claim.FastTracked: lambda e: "Fast-tracked under the Special Rules: no PIP2, no assessment",
    SpecialRulesCase.Opened: lambda e: "Special Rules case opened",
    SpecialRulesCase.EvidenceRecorded: lambda e: (
        f"SR1 received on {e.effective_date.isoformat()}, signed by a "
        f"{e.evidence.signer_role.value}"
        + (": third-party claim, do not tell the customer" if e.basis_withheld else "")
    ),
    SpecialRulesCase.ClaimConsidered: lambda e: (
        f"Special Rules definition for the {e.benefit.value} claim: "
        + ("met, fast-tracked" if e.clearance is not None else "not met")
    ),
    SpecialRulesCase.DebtRecoveryPolicyApplied: lambda e: (
        "Debt recovery policy for Special Rules applied"
    ),
    SpecialRulesCase.ClaimDecided: lambda e: (
        f"Special Rules claim decided on {e.effective_date.isoformat()}"
        + (f"; award ends {e.award_ends_on.isoformat()}" if e.award_ends_on else "")
    ),
    SpecialRulesCase.AwardEndReminderDue: lambda e: (
        "Special Rules award ends soon: " + ", ".join(day.isoformat() for day in e.award_ends_on)
    ),
    SpecialRulesCase.Closed: lambda e: f"Special Rules case closed: {e.reason}",
    Concern.Raised: lambda e: f"Concern raised, owner {e.owner}, due {e.due_on.isoformat()}",
    Concern.OwnerReassigned: lambda e: f"Concern reassigned to {e.owner}: {e.reason}",
    Concern.OutcomeRecorded: lambda e: f"Concern closed: {e.outcome}",
    SixPointPlan.Opened: lambda e: "Six-point plan started: statement of suicide or self-harm",
    SixPointPlan.StepRecorded: lambda e: (
        f"Six-point plan: {e.record.step.value.replace('_', ' ')} "
        f"({e.record.done_by}, {e.record.done_on.isoformat()})"
    ),
    SixPointPlan.Completed: lambda e: "Six-point plan complete",
    LumpSum.Proposed: lambda e: (
        f"Lump sum of {pounds(e.amount_pence)} proposed for {e.period_from.isoformat()} to "
        f"{e.period_to.isoformat()}"
        + (": held for a colleague's check" if e.hold_decision.outcome.get("hold") else "")
    ),
    LumpSum.Released: lambda e: (
        "Lump sum released" + (f" after a check: {e.check_note}" if e.check_note else " at once")
    ),
    SeriousCaseReferral.Referred: lambda e: f"Referred to the Serious Case Panel: {e.reason}",
    SeriousCaseReferral.RecommendationMade: lambda e: (
        f"Panel recommendation {e.recommendation.number} for {e.recommendation.owner}, due "
        f"{e.recommendation.due_on.isoformat()}: {e.recommendation.text}"
    ),
    SeriousCaseReferral.RecommendationCompleted: lambda e: (
        f"Panel recommendation {e.number} completed: {e.outcome}"
    ),
    SeriousCaseReferral.Closed: lambda e: f"Serious case referral closed: {e.summary}",
    Customer.DebtOpened: lambda e: f"Debt recorded ({e.debt_id})",
    Debt.OverpaymentIdentified: lambda e: (
        f"{e.benefit.value} overpayment of {pounds(e.amount_pence)} identified "
        f"({e.cause.value.replace('_', ' ')}), for {e.period_from.isoformat()} to "
        f"{e.period_to.isoformat()}"
    ),
    Debt.AdvanceTaken: lambda e: (
        f"{e.benefit.value} {e.advance_kind.value.replace('_', ' ')} advance of "
        f"{pounds(e.amount_pence)} taken on {e.taken_on.isoformat()}, first repayment "
        f"{e.first_repayment_on.isoformat()}"
        + (f" (deferred {e.deferral_months} months)" if e.deferral_months else "")
    ),
    Debt.RecoveryPlanned: _recovery_planned,
    Debt.Notified: lambda e: (
        "Debt notice sent"
        + (f": reconsideration by {e.dispute_by.isoformat()}" if e.dispute_by else "")
    ),
    Debt.DeductionTaken: lambda e: (
        f"{_TAKEN[e.source]}: {pounds(e.amount_pence)} on {e.period_start.isoformat()}, "
        f"{_left(e.balance_after_pence)}"
    ),
    Debt.Repaid: lambda e: (
        f"Repaid early: {pounds(e.amount_pence)}, {_left(e.balance_after_pence)}"
    ),
    Debt.Waived: lambda e: f"Written off: {pounds(e.amount_pence)}, {_left(e.balance_after_pence)}",
    Debt.LeftUnrecovered: lambda e: f"Small debt of {pounds(e.amount_pence)} left unrecovered",
    Debt.HardshipRequested: _hardship_asked,
    Debt.HardshipDecided: _hardship_decided,
    Debt.RecoverySuspended: lambda e: (
        "Recovery suspended under the Special Rules debt recovery policy"
    ),
    Debt.TransferredToEstate: lambda e: (
        f"Debt transferred to the estate: {pounds(e.balance_pence)} to recover "
        f"(reference {e.reference}), never from family"
    ),
    Debt.Cleared: lambda e: "Debt cleared: nothing owed",
}


def summarise(event: JourneyAggregate.Event) -> str:
    """One line saying what happened (an event class without a line of its own takes its base's)."""
    for cls in type(event).__mro__:
        summary = _SUMMARIES.get(cls)
        if summary is not None:
            return summary(event)
    return event_kind(event)


def timeline_entry(logged: LoggedEvent, customer_id: Any) -> TimelineEntry:
    """The timeline row for one event."""
    event = logged.event
    return TimelineEntry(
        position=logged.position,
        customer_id=customer_id,
        aggregate_id=event.originator_id,
        aggregate_version=event.originator_version,
        kind=event_kind(event),
        effective_date=effective_date_of(event),
        recorded_at=event.timestamp,
        caused_by=actor_label(event.caused_by),
        summary=summarise(event),
        decisions=tuple(decision_summary(d) for d in decisions_in(event)),
    )


def erasable_entry(logged: LoggedEvent, entry: TimelineEntry) -> TimelineEntry | None:
    """How a row reads once its customer's personal data is erased (None: no differently)."""
    erased_logged = as_erased(logged)
    if erased_logged is logged:
        return None
    erased = timeline_entry(erased_logged, entry.customer_id)
    return erased if erased != entry else None


class TimelineProjection(Projection):
    """One row per event, keyed by log position (rows read as erased once their customer is)."""

    name = "timeline"
    tables = ("view_timeline",)

    def apply(self, events: Sequence[LoggedEvent], batch: ViewBatch) -> None:
        """Add a row for every event whose customer is known."""
        entries = []
        erasable = []
        erased_customers = []
        prefetch_owners(events, batch)
        for logged in events:
            customer_id = owner_of(logged, batch)
            if customer_id is not None:
                entry = timeline_entry(logged, customer_id)
                entries.append(entry)
                erased = erasable_entry(logged, entry)
                if erased is not None:
                    erasable.append(erased)
                if isinstance(logged.event, Customer.PersonalDataErased):
                    erased_customers.append(customer_id)
        batch.add_timeline_entries(entries)
        batch.add_erasable_timeline_entries(erasable)
        for customer_id in erased_customers:
            batch.erase_timeline(customer_id)
