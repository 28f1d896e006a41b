"""The move from child DLA to PIP at 16, for one young person, with its durable deadlines.

RULES.md section 3. The journey starts from a child DLA award; its deadlines invite the
young person to claim PIP, suspend and then end DLA when no claim comes, and end DLA once
the PIP claim is decided. Every automatic step records a Decision naming its rule.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from enum import Enum
from typing import Annotated, TypeVar
from uuid import UUID

from eventsourcing.domain import event
from pydantic import Field

from domain.aggregate import known
from domain.deadlines import Deadline, WithDeadlines
from domain.decisions import Decision
from domain.errors import (
    AppointeeNotCarriedOver,
    ClaimBeforeInvitation,
    ClaimHistoryInconsistent,
    CustomerDeceased,
    HospitalStayNotRelevant,
    InvalidHospitalDates,
    MissingDescription,
    NoAgeReviewDue,
    NotAChildDlaRecipient,
    TransitionOver,
)
from domain.obligations import SYSTEM_WORDING, Letter, NoLetter, Personal, implies
from domain.periods import age_on, birthday
from domain.rules.dla_child import (
    DLA_CHILD_AGE_REVIEWS,
    DLA_PAY_SCHEDULE,
    AgeReviews,
    DisablingCondition,
    PayDayFacts,
    ReviewFacts,
)
from domain.rules.dla_to_pip import (
    DLA_PIP_CLAIM_WINDOW,
    DLA_PIP_DLA_END_DATE,
    DLA_PIP_INVITATION,
    DLA_PIP_INVITATION_DATE,
    DLA_PIP_REINSTATEMENT,
    DLA_PIP_RESTART,
    DLA_PIP_SUSPENSION,
    DLA_PIP_TERMINATION,
    ClaimWindowFacts,
    Determination,
    DlaEnd,
    DlaEndBasis,
    DlaEndFacts,
    InvitationFacts,
    InvitationPlan,
    InvitationTimingFacts,
    Notice,
    ReinstatementFacts,
    RestartFacts,
    SuspensionFacts,
    TerminationFacts,
)
from domain.rules.dla_to_pip import (
    Action as Action,
)
from domain.rules.framework import Decided
from domain.values import ClaimantRole, EventRef, Region, ValueObject
from domain.wording import day

_T = TypeVar("_T")


def _known(value: _T | None, what: str) -> _T:
    return known(value, what, "transition")


# A scope guard, not a benefit rule: someone who started on DLA as a child but is 18 or
# over is an adult DLA case (reassessed differently), not a young person moving at 16.
OLDEST_IN_TRANSITION = 18

# Transitions are keyed by the customer: one journey per young person, found without a search.
_TRANSITION_NAMESPACE = uuid.UUID("0b6f5d8e-7d0c-4c1f-8f0e-3a9d2c4b7e61")


def transition_id_for(customer_id: UUID) -> UUID:
    """The id of a customer's DLA to PIP transition."""
    return uuid.uuid5(_TRANSITION_NAMESPACE, str(customer_id))


class ChildDlaAward(ValueObject):
    """The child DLA award the journey starts from, with the facts its rules need."""

    claim_id: UUID
    starts_on: date
    ends_on: date | None
    weekly_pence: int = Field(ge=1, description="what DLA pays a week, in pence")
    special_rules: bool = Field(description="awarded under the Special Rules for End of Life")
    condition: DisablingCondition


class TransitionStage(Enum):
    """Where the young person is in the move from DLA to PIP."""

    AWAITING_INVITATION = "awaiting_invitation"
    INVITATION_DEFERRED = "invitation_deferred"
    INVITED = "invited"
    DLA_SUSPENDED = "dla_suspended"
    PIP_CLAIMED = "pip_claimed"
    DLA_ENDING = "dla_ending"
    COMPLETED = "completed"
    DLA_ENDED_NO_CLAIM = "dla_ended_no_claim"
    CLOSED = "closed"

    @property
    def is_over(self) -> bool:
        """True once nothing more happens in the journey."""
        return self in {
            TransitionStage.COMPLETED,
            TransitionStage.DLA_ENDED_NO_CLAIM,
            TransitionStage.CLOSED,
        }


class ClaimedIn(Enum):
    """When the PIP claim came, against the letters."""

    BEFORE_INVITATION = "before_invitation"
    FIRST_WINDOW = "first_window"
    LATE = "late"


_WINDOWS = {Action.CLOSE_FIRST_WINDOW, Action.CLOSE_SECOND_WINDOW}


STAGE_TEXT = {
    TransitionStage.AWAITING_INVITATION: "Waiting to invite a PIP claim",
    TransitionStage.INVITATION_DEFERRED: "Invitation waits for discharge from hospital",
    TransitionStage.INVITED: "Invited to claim PIP",
    TransitionStage.DLA_SUSPENDED: "DLA suspended: no PIP claim by the deadline",
    TransitionStage.PIP_CLAIMED: "PIP claimed: DLA continues until the decision",
    TransitionStage.DLA_ENDING: "PIP claim determined: DLA ending",
    TransitionStage.COMPLETED: "DLA ended after the PIP claim was determined",
    TransitionStage.DLA_ENDED_NO_CLAIM: "DLA ended: no PIP claim",
    TransitionStage.CLOSED: "Closed: death notified",
}
"""Each stage as caseworkers read it (the transition views and the timeline)."""

_CLAIMED_IN = {
    ClaimedIn.BEFORE_INVITATION: "before the invitation",
    ClaimedIn.FIRST_WINDOW: "in time",
    ClaimedIn.LATE: "after the deadline, within the second notice's",
}


# -- what the journey's events say: letters and timeline labels ---------------------------------


def _started_label(event: DlaToPipTransition.Started) -> str:
    plan = DLA_PIP_INVITATION_DATE.outcome_of(event.invitation_plan)
    return (
        f"DLA to PIP transition started: 16 on {plan.sixteenth_birthday.isoformat()}, "
        f"PIP invitation due on {plan.invite_on.isoformat()}"
    )


def _dla_restarted_label(event: DlaToPipTransition.DlaRestarted) -> str:
    unpaid = ""
    if event.unpaid_from is not None and event.unpaid_to is not None:
        unpaid = f", not paid from {event.unpaid_from.isoformat()} to {event.unpaid_to.isoformat()}"
    return f"DLA restarted on {event.effective_date.isoformat()}{unpaid}"


def _pre_16_letter(e: DlaToPipTransition.Pre16LetterSent) -> str:
    return (
        "Disability Living Allowance (DLA) for children ends at 16. Around your 16th birthday "
        "we will invite you to claim Personal Independence Payment (PIP) instead. You do not "
        "need to do anything yet."
    )


def _invitation_letter(e: DlaToPipTransition.InvitationIssued) -> str:
    return (
        "Please claim Personal Independence Payment (PIP) by "
        f"{day(e.claim_by)}. Your DLA carries on while we decide your PIP claim."
    )


def _second_notice_letter(e: DlaToPipTransition.SecondNoticeSent) -> str:
    return (
        "We have not received your claim for Personal Independence Payment (PIP), so your DLA "
        f"will stop being paid. If you claim PIP by {day(e.claim_by)}, your DLA will start "
        "again while we decide it; if you do not, your DLA will end."
    )


def _terminated_letter(e: DlaToPipTransition.DlaTerminated) -> str:
    return (
        f"Your Disability Living Allowance (DLA) ended on {day(e.effective_date)} because we "
        "did not receive a claim for Personal Independence Payment (PIP). You can still claim "
        "PIP."
    )


def _restarted_letter(e: DlaToPipTransition.DlaRestarted) -> str:
    return (
        "Thank you for your claim for Personal Independence Payment (PIP). Your DLA starts "
        f"again from {day(e.effective_date)} while we decide it."
    )


def _reinstated_letter(e: DlaToPipTransition.DlaReinstated) -> str:
    return (
        "Your Disability Living Allowance (DLA) carries on until we decide your claim for "
        "Personal Independence Payment (PIP)."
    )


class DlaToPipTransition(WithDeadlines):
    """One young person's move from child DLA to PIP."""

    noun = "DLA to PIP transition"

    @implies(
        timeline=_started_label,
        letter=NoLetter("the journey starts quietly; the letter before 16 is the first"),
    )
    class Started(WithDeadlines.Created):
        """The journey started from a child DLA award."""

        customer_id: UUID
        effective_date: date
        date_of_birth: Annotated[date, Personal]
        dla: ChildDlaAward
        region: Region
        had_dla_appointee: bool
        pay_cycle: Decision
        invitation_plan: Decision
        age_reviews: Decision

    @staticmethod
    def create_id(customer_id: UUID, **_: object) -> UUID:
        """One journey per customer."""
        return transition_id_for(customer_id)

    @classmethod
    def start(
        cls,
        *,
        customer: EventRef,
        date_of_birth: date,
        nino: str,
        deceased: bool,
        has_appointee: bool,
        dla: ChildDlaAward,
        dla_award_event: EventRef,
        region: Region,
        today: date,
    ) -> DlaToPipTransition:
        """Start the journey for a child DLA recipient; anyone else is refused."""
        if deceased:
            raise CustomerDeceased("cannot start the DLA to PIP transition: death notified")
        sixteen = birthday(date_of_birth, 16)
        if age_on(date_of_birth, today) >= OLDEST_IN_TRANSITION:
            raise NotAChildDlaRecipient(
                f"dla_claim_id: aged {age_on(date_of_birth, today)} on {today.isoformat()}: the "
                f"move from child DLA is for young people under {OLDEST_IN_TRANSITION}"
            )
        if dla.starts_on >= sixteen:
            raise NotAChildDlaRecipient(
                f"dla_claim_id: the DLA award started on {dla.starts_on.isoformat()}, on or "
                f"after the 16th birthday ({sixteen.isoformat()}): not a child award"
            )
        if dla.starts_on > today or (dla.ends_on is not None and dla.ends_on < today):
            raise NotAChildDlaRecipient(
                f"dla_claim_id: the DLA award is not in payment on {today.isoformat()} "
                f"(it runs {dla.starts_on.isoformat()} to "
                f"{dla.ends_on.isoformat() if dla.ends_on else 'open-ended'})"
            )
        award = {"dla_award": dla_award_event}
        pay_cycle = DLA_PAY_SCHEDULE.decide(
            PayDayFacts(nino_digits=nino[6:8], award_starts_on=dla.starts_on),
            on=today,
            sources={"nino_digits": customer, **award},
        )
        plan = DLA_PIP_INVITATION_DATE.decide(
            InvitationTimingFacts(
                date_of_birth=date_of_birth,
                special_rules=dla.special_rules,
                dla_award_ends_on=dla.ends_on,
                region=region,
            ),
            on=today,
            sources={"date_of_birth": customer, **award},
        )
        reviews = DLA_CHILD_AGE_REVIEWS.decide(
            ReviewFacts(date_of_birth=date_of_birth, condition=dla.condition, started_on=today),
            on=today,
            sources={"date_of_birth": customer, **award},
        )
        transition = cls(
            customer_id=customer.aggregate_id,
            effective_date=today,
            date_of_birth=date_of_birth,
            dla=dla,
            region=region,
            had_dla_appointee=has_appointee,
            pay_cycle=pay_cycle.record,
            invitation_plan=plan.record,
            age_reviews=reviews.record,
        )
        for letter_on in plan.outcome.pre_16_letters:
            if letter_on >= today:
                transition._set_deadline(
                    Action.PRE_16_LETTER,
                    letter_on,
                    "Write to say DLA ends at 16 and PIP must be claimed",
                    today,
                )
        transition._set_deadline(
            Action.INVITE,
            max(plan.outcome.invite_on, today),
            "Invite a PIP claim (28 days to claim)",
            today,
        )
        for review in reviews.outcome.reviews:
            transition._set_deadline(
                Action.AGE_REVIEW,
                review.due_on,
                f"Review the DLA award at age {review.age}",
                today,
            )
        return transition

    @event(Started)
    def __init__(
        self,
        customer_id: UUID,
        effective_date: date,
        date_of_birth: date,
        dla: ChildDlaAward,
        region: Region,
        had_dla_appointee: bool,
        pay_cycle: Decision,
        invitation_plan: Decision,
        age_reviews: Decision,
    ) -> None:
        self._init_deadlines()
        self.customer_id = customer_id
        self.started_on = effective_date
        self.date_of_birth = date_of_birth
        self.dla = dla
        self.region = region
        self.had_dla_appointee = had_dla_appointee
        self.pay_cycle = DLA_PAY_SCHEDULE.outcome_of(pay_cycle)
        self.plan: InvitationPlan = DLA_PIP_INVITATION_DATE.outcome_of(invitation_plan)
        self.age_reviews: AgeReviews = DLA_CHILD_AGE_REVIEWS.outcome_of(age_reviews)
        self.start_event = EventRef(aggregate_id=self.id, version=1)
        self.stage = TransitionStage.AWAITING_INVITATION
        self.hospital_admitted_on: date | None = None
        self.hospital_discharged_on: date | None = None
        self.hospital_event: EventRef | None = None
        self.invited_on: date | None = None
        self.claim_by: date | None = None
        self.window_event: EventRef | None = None
        self.second_notice_on: date | None = None
        self.second_claim_by: date | None = None
        self.suspended_from: date | None = None
        self.suspension_event: EventRef | None = None
        self.restarted_on: date | None = None
        self.pip_claim_id: UUID | None = None
        self.pip_claimed_on: date | None = None
        self.claimed_in: ClaimedIn | None = None
        self.dla_ends_on: date | None = None
        self.dla_end_basis: DlaEndBasis | None = None
        self.dla_end_event: EventRef | None = None
        self.pip_starts_on: date | None = None
        self.new_appointee_on: date | None = None
        self.appointee_not_needed: bool = False
        self.reviews_due: dict[int, date] = {}

    # -- what the journey knows ------------------------------------------------------------

    @property
    def sixteenth_birthday(self) -> date:
        """The day the young person turns 16."""
        return self.plan.sixteenth_birthday

    @property
    def appointee_needed(self) -> bool:
        """A DLA appointee acted for the child and nobody has been appointed for PIP yet."""
        return (
            self.had_dla_appointee
            and self.new_appointee_on is None
            and not self.appointee_not_needed
            and not self.stage.is_over
        )

    def _next_ref(self) -> EventRef:
        """A reference to the event being applied (inside an @event method)."""
        return EventRef(aggregate_id=self.id, version=self.version + 1)

    def _require_ongoing(self, action: str) -> None:
        if self.stage.is_over:
            raise TransitionOver(f"cannot {action}: the transition is {self.stage.value}")

    # -- letters and the invitation ------------------------------------------------------------

    @implies(
        timeline=lambda e: "Letter sent before 16: DLA ends at 16 and PIP must be claimed",
        letter=Letter("dla_pip_pre_16", "Your DLA when you turn 16", _pre_16_letter),
    )
    class Pre16LetterSent(WithDeadlines.Event):
        """A letter before the 16th birthday said DLA ends at 16 and PIP must be claimed."""

        effective_date: date

    @event(Pre16LetterSent)
    def _pre_16_letter_sent(self, effective_date: date) -> None:
        pass

    @implies(
        timeline=lambda e: (
            "PIP invitation put off: in hospital on the 16th birthday, invite on discharge"
        ),
        letter=NoLetter("the invitation waits for discharge; nothing is sent"),
    )
    class InvitationDeferred(WithDeadlines.Event):
        """In hospital on the 16th birthday: the invitation waits for discharge."""

        effective_date: date
        decision: Decision

    @event(InvitationDeferred)
    def _invitation_deferred(self, effective_date: date, decision: Decision) -> None:
        self.stage = TransitionStage.INVITATION_DEFERRED

    @implies(
        timeline=lambda e: f"Invited to claim PIP by {e.claim_by.isoformat()}",
        letter=Letter(
            "dla_pip_invitation", "Claim Personal Independence Payment", _invitation_letter
        ),
    )
    class InvitationIssued(WithDeadlines.Event):
        """The young person was invited to claim PIP, with the last day to claim."""

        effective_date: date
        claim_by: date
        decision: Decision
        window: Decision

    @event(InvitationIssued)
    def _invitation_issued(
        self, effective_date: date, claim_by: date, decision: Decision, window: Decision
    ) -> None:
        self.stage = TransitionStage.INVITED
        self.invited_on = effective_date
        self.claim_by = claim_by
        self.window_event = self._next_ref()

    def _invite(self, today: date) -> None:
        sources = {"invite_on": self.start_event}
        if self.hospital_event is not None:
            sources["hospital_admitted_on"] = self.hospital_event
        decided = DLA_PIP_INVITATION.decide(
            InvitationFacts(
                invite_on=self.plan.invite_on,
                checked_on=today,
                basis=self.plan.basis,
                sixteenth_birthday=self.sixteenth_birthday,
                hospital_admitted_on=self.hospital_admitted_on,
                hospital_discharged_on=self.hospital_discharged_on,
            ),
            on=today,
            sources=sources,
        )
        if decided.outcome.deferred_until_discharge:
            self._invitation_deferred(effective_date=today, decision=decided.record)
            return
        if not decided.outcome.send:
            raise ClaimHistoryInconsistent("the invitation fired before it was due")
        window = DLA_PIP_CLAIM_WINDOW.decide(
            ClaimWindowFacts(notice=Notice.INVITATION, sent_on=today), on=today
        )
        self._invitation_issued(
            effective_date=today,
            claim_by=window.outcome.claim_by,
            decision=decided.record,
            window=window.record,
        )
        self._set_deadline(
            Action.CLOSE_FIRST_WINDOW,
            window.outcome.claim_by + timedelta(days=1),
            "No PIP claim by the deadline: suspend DLA and send a second notice",
            today,
        )

    # -- hospital -----------------------------------------------------------------------------

    @implies(
        timeline=lambda e: f"Went into hospital on {e.effective_date.isoformat()}",
        letter=NoLetter("we were told of it; recording it writes nothing"),
    )
    class HospitalAdmissionRecorded(WithDeadlines.Event):
        """The young person went into hospital (effective on the admission date)."""

        effective_date: date

    def record_hospital_admission(self, admitted_on: date) -> None:
        """Record a stay in hospital that may put off the invitation."""
        self._require_before_invitation("record a hospital admission")
        if self.hospital_admitted_on is not None and self.hospital_discharged_on is None:
            raise InvalidHospitalDates(
                f"admitted_on: already in hospital since {self.hospital_admitted_on.isoformat()}",
                field="admitted_on",
            )
        self._hospital_admission_recorded(effective_date=admitted_on)

    @event(HospitalAdmissionRecorded)
    def _hospital_admission_recorded(self, effective_date: date) -> None:
        self.hospital_admitted_on = effective_date
        self.hospital_discharged_on = None
        self.hospital_event = self._next_ref()

    @implies(
        timeline=lambda e: f"Left hospital on {e.effective_date.isoformat()}",
        letter=NoLetter("we were told of it; recording it writes nothing"),
    )
    class HospitalDischargeRecorded(WithDeadlines.Event):
        """The young person left hospital (effective on the discharge date)."""

        effective_date: date

    def record_hospital_discharge(self, discharged_on: date, today: date) -> None:
        """Record the discharge; a deferred invitation is then sent at the next run."""
        self._require_before_invitation("record a hospital discharge")
        admitted = self.hospital_admitted_on
        if admitted is None or self.hospital_discharged_on is not None:
            raise InvalidHospitalDates(
                "discharged_on: there is no hospital stay to end", field="discharged_on"
            )
        if discharged_on < admitted:
            raise InvalidHospitalDates(
                f"discharged_on {discharged_on.isoformat()} is before the admission "
                f"({admitted.isoformat()})",
                field="discharged_on",
            )
        self._hospital_discharge_recorded(effective_date=discharged_on)
        if self.stage is TransitionStage.INVITATION_DEFERRED:
            self._set_deadline(
                Action.INVITE,
                max(discharged_on, today),
                "Invite a PIP claim now the young person has left hospital",
                today,
            )

    @event(HospitalDischargeRecorded)
    def _hospital_discharge_recorded(self, effective_date: date) -> None:
        self.hospital_discharged_on = effective_date

    def _require_before_invitation(self, action: str) -> None:
        if self.stage not in {
            TransitionStage.AWAITING_INVITATION,
            TransitionStage.INVITATION_DEFERRED,
        }:
            raise HospitalStayNotRelevant(
                f"cannot {action}: the invitation was already sent (stage {self.stage.value})"
            )

    # -- the PIP claim ------------------------------------------------------------------------

    @implies(
        timeline=lambda e: (
            f"PIP claimed on {e.effective_date.isoformat()}, {_CLAIMED_IN[e.claimed_in]}"
        ),
        letter=NoLetter("the PIP claim's own events imply its letters"),
    )
    class PipClaimed(WithDeadlines.Event):
        """A PIP claim was made in the journey (effective on the claim date)."""

        effective_date: date
        claim_id: UUID
        claimed_in: ClaimedIn

    def takes_pip_claim(self, claim_date: date, claimant_role: ClaimantRole) -> bool:
        """Whether a new PIP claim belongs to the journey; refuses one the journey rules out."""
        if self.stage.is_over or self.stage in {
            TransitionStage.PIP_CLAIMED,
            TransitionStage.DLA_ENDING,
        }:
            return False
        if claimant_role is ClaimantRole.APPOINTEE and self.new_appointee_on is None:
            raise AppointeeNotCarriedOver(
                "claimant_role: the DLA appointee does not carry over to PIP; appoint an "
                "appointee for PIP before they claim for the young person",
                field="claimant_role",
            )
        if self.invited_on is not None and claim_date < self.invited_on:
            raise ClaimBeforeInvitation(
                f"claim_date {claim_date.isoformat()} is before the PIP invitation was sent "
                f"({self.invited_on.isoformat()})"
            )
        if claim_date < self.sixteenth_birthday:
            raise ClaimBeforeInvitation(
                f"claim_date {claim_date.isoformat()} is before the 16th birthday "
                f"({self.sixteenth_birthday.isoformat()}): PIP cannot be claimed yet"
            )
        second_claim_by = self.second_claim_by
        # Too late for the second window: its deadline ends DLA when it fires, and the
        # claim is an ordinary one.
        return not (
            self.stage is TransitionStage.DLA_SUSPENDED
            and second_claim_by is not None
            and claim_date > second_claim_by
        )

    def record_pip_claim(self, *, claim_id: UUID, claim_date: date, today: date) -> None:
        """Link the PIP claim (one `takes_pip_claim` accepted); DLA restarts if it was suspended."""
        claim_by = self.claim_by
        if self.stage is TransitionStage.DLA_SUSPENDED:
            self._cancel_deadlines(_WINDOWS, "PIP claimed", today)
            self._pip_claimed(
                effective_date=claim_date, claim_id=claim_id, claimed_in=ClaimedIn.LATE
            )
            self._restart(claim_date)
        elif (
            self.stage is TransitionStage.INVITED and claim_by is not None and claim_date > claim_by
        ):
            # The first deadline passed before the scheduler ran: suspend as it would have
            # (from the rule's day, not today's), then restart on the claim.
            self._cancel_deadlines(_WINDOWS, "PIP claimed after the first deadline", today)
            self._suspend(no_claim_after=claim_by)
            self._pip_claimed(
                effective_date=claim_date, claim_id=claim_id, claimed_in=ClaimedIn.LATE
            )
            self._restart(claim_date)
        elif self.stage is TransitionStage.INVITED:
            self._cancel_deadlines(_WINDOWS, "PIP claimed in time", today)
            self._pip_claimed(
                effective_date=claim_date, claim_id=claim_id, claimed_in=ClaimedIn.FIRST_WINDOW
            )
        elif self.stage in {
            TransitionStage.AWAITING_INVITATION,
            TransitionStage.INVITATION_DEFERRED,
        }:
            self._cancel_deadlines({Action.INVITE}, "PIP claimed before the invitation", today)
            self._pip_claimed(
                effective_date=claim_date,
                claim_id=claim_id,
                claimed_in=ClaimedIn.BEFORE_INVITATION,
            )
        else:
            raise ClaimHistoryInconsistent(f"a PIP claim cannot join a {self.stage.value} journey")

    @event(PipClaimed)
    def _pip_claimed(self, effective_date: date, claim_id: UUID, claimed_in: ClaimedIn) -> None:
        self.stage = TransitionStage.PIP_CLAIMED
        self.pip_claim_id = claim_id
        self.pip_claimed_on = effective_date
        self.claimed_in = claimed_in

    @implies(
        timeline=lambda e: f"PIP claim withdrawn; back to: {STAGE_TEXT[e.returned_to]}",
        letter=NoLetter("the customer withdrew the PIP claim and so already knows"),
    )
    class PipClaimWithdrawn(WithDeadlines.Event):
        """The journey's PIP claim was withdrawn: it is as if no claim had been made."""

        effective_date: date
        claim_id: UUID
        returned_to: TransitionStage

    def pip_claim_withdrawn(self, claim_id: UUID, withdrawn_on: date, today: date) -> None:
        """Go back to waiting for a claim, in the window the withdrawn claim came in."""
        if claim_id != self.pip_claim_id or self.stage is not TransitionStage.PIP_CLAIMED:
            return
        claimed_in = self.claimed_in
        returned_to = {
            ClaimedIn.BEFORE_INVITATION: TransitionStage.AWAITING_INVITATION,
            ClaimedIn.FIRST_WINDOW: TransitionStage.INVITED,
            ClaimedIn.LATE: TransitionStage.DLA_SUSPENDED,
        }[_known(claimed_in, "claim window")]
        self._pip_claim_withdrawn(
            effective_date=withdrawn_on, claim_id=claim_id, returned_to=returned_to
        )
        if claimed_in is ClaimedIn.BEFORE_INVITATION:
            self._set_deadline(
                Action.INVITE,
                max(self.plan.invite_on, today),
                "Invite a PIP claim (the earlier claim was withdrawn)",
                today,
            )
        elif claimed_in is ClaimedIn.FIRST_WINDOW:
            claim_by = _known(self.claim_by, "first deadline")
            self._set_deadline(
                Action.CLOSE_FIRST_WINDOW,
                max(claim_by + timedelta(days=1), today),
                "No PIP claim by the deadline: suspend DLA and send a second notice",
                today,
            )
        else:
            # DLA restarted on the claim; with the claim gone it is suspended again and the
            # young person has the rest of the second window, if any, to claim.
            self._suspend(no_claim_after=withdrawn_on)
            if self.second_claim_by is None:
                # The late claim came before the first deadline fired, so no second notice
                # went: send it now (without one the second window could never close).
                window = DLA_PIP_CLAIM_WINDOW.decide(
                    ClaimWindowFacts(notice=Notice.SECOND_NOTICE, sent_on=today), on=today
                )
                self._second_notice_sent(
                    effective_date=today, claim_by=window.outcome.claim_by, window=window.record
                )
            second_claim_by = _known(self.second_claim_by, "second deadline")
            self._set_deadline(
                Action.CLOSE_SECOND_WINDOW,
                max(second_claim_by + timedelta(days=1), today),
                "Still no PIP claim: end DLA",
                today,
            )

    @event(PipClaimWithdrawn)
    def _pip_claim_withdrawn(
        self, effective_date: date, claim_id: UUID, returned_to: TransitionStage
    ) -> None:
        self.stage = returned_to
        self.pip_claim_id = None
        self.pip_claimed_on = None
        self.claimed_in = None
        self.restarted_on = None

    # -- no claim: suspension, second notice, restart, termination ----------------------------

    @implies(
        timeline=lambda e: (
            f"DLA suspended from {e.effective_date.isoformat()}: no PIP claim by the deadline"
        ),
        letter=NoLetter("told in the second notice recorded with it"),
    )
    class DlaSuspended(WithDeadlines.Event):
        """DLA stopped being paid for want of a PIP claim (effective from the suspension day)."""

        effective_date: date
        decision: Decision

    def _suspend(self, no_claim_after: date) -> None:
        sources = {"no_claim_after": self.window_event or self.start_event}
        decided = DLA_PIP_SUSPENSION.decide(
            SuspensionFacts(no_claim_after=no_claim_after, pay_cycle=self.pay_cycle),
            on=no_claim_after,
            sources={**sources, "pay_cycle": self.start_event},
        )
        self._dla_suspended(effective_date=decided.outcome.suspended_from, decision=decided.record)

    @event(DlaSuspended)
    def _dla_suspended(self, effective_date: date, decision: Decision) -> None:
        self.stage = TransitionStage.DLA_SUSPENDED
        self.suspended_from = effective_date
        self.suspension_event = self._next_ref()

    @implies(
        timeline=lambda e: f"Second notice sent: claim PIP by {e.claim_by.isoformat()} or DLA ends",
        letter=Letter("dla_pip_second_notice", "Your DLA is stopping", _second_notice_letter),
    )
    class SecondNoticeSent(WithDeadlines.Event):
        """A second notice gave a further 28 days to claim PIP."""

        effective_date: date
        claim_by: date
        window: Decision

    @event(SecondNoticeSent)
    def _second_notice_sent(self, effective_date: date, claim_by: date, window: Decision) -> None:
        self.second_notice_on = effective_date
        self.second_claim_by = claim_by
        self.window_event = self._next_ref()

    def _close_first_window(self, today: date) -> None:
        if self.stage is not TransitionStage.INVITED:
            return
        self._suspend(no_claim_after=_known(self.claim_by, "first deadline"))
        window = DLA_PIP_CLAIM_WINDOW.decide(
            ClaimWindowFacts(notice=Notice.SECOND_NOTICE, sent_on=today), on=today
        )
        self._second_notice_sent(
            effective_date=today, claim_by=window.outcome.claim_by, window=window.record
        )
        self._set_deadline(
            Action.CLOSE_SECOND_WINDOW,
            window.outcome.claim_by + timedelta(days=1),
            "Still no PIP claim after the second notice: end DLA",
            today,
        )

    @implies(
        timeline=_dla_restarted_label,
        letter=Letter("dla_pip_dla_restarted", "Your DLA starts again", _restarted_letter),
    )
    class DlaRestarted(WithDeadlines.Event):
        """A PIP claim in the second window restarted DLA, without back-pay."""

        effective_date: date
        unpaid_from: date | None
        unpaid_to: date | None
        decision: Decision

    def _restart(self, claim_date: date) -> None:
        suspended_from = _known(self.suspended_from, "suspension")
        decided = DLA_PIP_RESTART.decide(
            RestartFacts(suspended_from=suspended_from, claim_date=claim_date),
            on=claim_date,
            sources={"suspended_from": _known(self.suspension_event, "suspension event")},
        )
        self._dla_restarted(
            effective_date=decided.outcome.restart_on,
            unpaid_from=decided.outcome.unpaid_from,
            unpaid_to=decided.outcome.unpaid_to,
            decision=decided.record,
        )

    @event(DlaRestarted)
    def _dla_restarted(
        self,
        effective_date: date,
        unpaid_from: date | None,
        unpaid_to: date | None,
        decision: Decision,
    ) -> None:
        self.restarted_on = effective_date

    @implies(
        timeline=lambda e: (
            f"DLA ended (last day {e.effective_date.isoformat()}): "
            "no PIP claim after the second notice"
        ),
        letter=Letter("dla_pip_dla_ended", "Your DLA has ended", _terminated_letter),
    )
    class DlaTerminated(WithDeadlines.Event):
        """No PIP claim followed the second notice: DLA ended (effective on its last day)."""

        effective_date: date
        decision: Decision

    def _close_second_window(self, today: date) -> None:
        if self.stage is not TransitionStage.DLA_SUSPENDED:
            return
        suspended_from = _known(self.suspended_from, "suspension")
        second_claim_by = _known(self.second_claim_by, "second deadline")
        decided = DLA_PIP_TERMINATION.decide(
            TerminationFacts(suspended_from=suspended_from, second_claim_by=second_claim_by),
            on=today,
            sources={
                "suspended_from": _known(self.suspension_event, "suspension event"),
                "second_claim_by": _known(self.window_event, "second notice event"),
            },
        )
        self._cancel_deadlines({Action.AGE_REVIEW}, "DLA ended", today)
        self._dla_terminated(effective_date=decided.outcome.dla_ends_on, decision=decided.record)

    @event(DlaTerminated)
    def _dla_terminated(self, effective_date: date, decision: Decision) -> None:
        self.stage = TransitionStage.DLA_ENDED_NO_CLAIM
        self.dla_ends_on = effective_date

    # -- the PIP claim determined -------------------------------------------------------------

    def plans_dla_end_for(self, claim_id: UUID) -> bool:
        """True when this claim's determination sets DLA's end (the journey's live claim)."""
        return self.stage is TransitionStage.PIP_CLAIMED and claim_id == self.pip_claim_id

    def dla_end_on_determination(
        self,
        *,
        determination: Determination,
        decided_on: date,
        pip_awarded: bool,
        pip_weekly_pence: int | None,
        claim_event: EventRef,
    ) -> Decided[DlaEnd]:
        """What the rule gives for DLA's last day (and PIP's first) on this determination."""
        return DLA_PIP_DLA_END_DATE.decide(
            DlaEndFacts(
                determination=determination,
                decided_on=decided_on,
                pay_cycle=self.pay_cycle,
                pip_awarded=pip_awarded,
                terminally_ill=self.dla.special_rules,
                pip_weekly_pence=pip_weekly_pence,
                dla_weekly_pence=self.dla.weekly_pence,
            ),
            on=decided_on,
            sources={"decided_on": claim_event, "pay_cycle": self.start_event},
        )

    @implies(
        timeline=lambda e: (
            f"DLA's last day set: {e.dla_ends_on.isoformat()}"
            + (f"; PIP from {e.pip_starts_on.isoformat()}" if e.pip_starts_on else "")
        ),
        letter=NoLetter("told in the PIP claim's decision or disallowance letter"),
    )
    class DlaEndDecided(WithDeadlines.Event):
        """The PIP claim was determined: DLA's last day (and PIP's first, if awarded) is set."""

        effective_date: date
        claim_id: UUID
        dla_ends_on: date
        pip_starts_on: date | None
        decision: Decision

    def record_dla_end(
        self, claim_id: UUID, decided_on: date, decided: Decided[DlaEnd], today: date
    ) -> None:
        """Set DLA's end from the determination; a deadline marks the day it ends."""
        self._require_ongoing("set DLA's end")
        if not self.plans_dla_end_for(claim_id):
            raise ClaimHistoryInconsistent("the claim is not the journey's live PIP claim")
        end = decided.outcome
        self._dla_end_decided(
            effective_date=decided_on,
            claim_id=claim_id,
            dla_ends_on=end.dla_ends_on,
            pip_starts_on=end.pip_starts_on,
            decision=decided.record,
        )
        if end.dla_ends_on < today:
            self._dla_ended(effective_date=end.dla_ends_on)
        else:
            self._set_deadline(
                Action.END_DLA,
                end.dla_ends_on + timedelta(days=1),
                "DLA has ended" + (": PIP is paid from today" if end.pip_starts_on else ""),
                today,
            )

    @event(DlaEndDecided)
    def _dla_end_decided(
        self,
        effective_date: date,
        claim_id: UUID,
        dla_ends_on: date,
        pip_starts_on: date | None,
        decision: Decision,
    ) -> None:
        self.stage = TransitionStage.DLA_ENDING
        self.dla_ends_on = dla_ends_on
        self.pip_starts_on = pip_starts_on
        self.dla_end_basis = DLA_PIP_DLA_END_DATE.outcome_of(decision).basis
        self.dla_end_event = self._next_ref()

    @implies(
        timeline=lambda e: f"DLA ended (last day {e.effective_date.isoformat()})",
        letter=NoLetter("the day set in an earlier letter arrived"),
    )
    class DlaEnded(WithDeadlines.Event):
        """DLA's last day passed (effective on that day)."""

        effective_date: date

    @event(DlaEnded)
    def _dla_ended(self, effective_date: date) -> None:
        self.stage = TransitionStage.COMPLETED

    @implies(
        timeline=lambda e: (
            "DLA reinstated until the PIP decision: good reason accepted"
            + (f"; arrears from {e.arrears_from.isoformat()}" if e.arrears_from else "")
        ),
        letter=Letter("dla_pip_dla_reinstated", "Your DLA carries on", _reinstated_letter),
    )
    class DlaReinstated(WithDeadlines.Event):
        """A good reason was accepted: DLA carries on until the PIP claim is decided."""

        effective_date: date
        arrears_from: date | None
        decision: Decision

    def good_reason_accepted(self, claim_id: UUID, accepted_on: date, today: date) -> None:
        """Reinstate DLA after a negative determination the good reason now answers."""
        if claim_id != self.pip_claim_id or self.dla_end_basis is not (
            DlaEndBasis.NEGATIVE_DETERMINATION
        ):
            return
        if self.stage not in {TransitionStage.DLA_ENDING, TransitionStage.COMPLETED}:
            return
        decided = DLA_PIP_REINSTATEMENT.decide(
            ReinstatementFacts(
                dla_ends_on=_known(self.dla_ends_on, "DLA end date"),
                good_reason_accepted_on=accepted_on,
            ),
            on=accepted_on,
            sources={"dla_ends_on": _known(self.dla_end_event, "DLA end event")},
        )
        self._cancel_deadlines({Action.END_DLA}, "good reason accepted: DLA reinstated", today)
        self._dla_reinstated(
            effective_date=accepted_on,
            arrears_from=decided.outcome.arrears_from,
            decision=decided.record,
        )

    @event(DlaReinstated)
    def _dla_reinstated(
        self, effective_date: date, arrears_from: date | None, decision: Decision
    ) -> None:
        self.stage = TransitionStage.PIP_CLAIMED
        self.dla_ends_on = None
        self.dla_end_basis = None
        self.pip_starts_on = None

    # -- appointee ----------------------------------------------------------------------------

    @implies(
        timeline=lambda e: f"Appointee for PIP appointed from {e.effective_date.isoformat()}",
        letter=NoLetter("recorded for the young person's file; no letter is sent"),
    )
    class NewAppointeeAppointed(WithDeadlines.Event):
        """Someone was appointed to act for the young person for PIP (a DLA one does not carry)."""

        effective_date: date

    def new_appointee_appointed(self, appointed_on: date) -> None:
        """Note an appointment made on or after the 16th birthday: it can act for PIP."""
        if appointed_on < self.sixteenth_birthday or self.stage.is_over:
            return
        self._new_appointee_appointed(effective_date=appointed_on)

    def appoint_for_pip(self, appointed_on: date) -> None:
        """Record the PIP appointee, refusing an appointment dated before the 16th birthday."""
        self._require_ongoing("appoint an appointee for PIP")
        if appointed_on < self.sixteenth_birthday:
            raise AppointeeNotCarriedOver(
                f"effective_date {appointed_on.isoformat()} is before the 16th birthday "
                f"({self.sixteenth_birthday.isoformat()}): an appointment before 16 is a DLA one",
                field="effective_date",
            )
        self._new_appointee_appointed(effective_date=appointed_on)

    @event(NewAppointeeAppointed)
    def _new_appointee_appointed(self, effective_date: date) -> None:
        self.new_appointee_on = effective_date

    @implies(
        timeline=lambda e: f"No appointee needed for PIP: {e.reason}",
        letter=NoLetter("recorded for the young person's file; no letter is sent"),
    )
    class AppointeeNotNeeded(WithDeadlines.Event):
        """The young person will deal with PIP themselves: no appointee is needed."""

        effective_date: date
        reason: str

    def record_appointee_not_needed(self, reason: str, effective: date) -> None:
        """Record that no PIP appointee is needed, with the reason."""
        self._require_ongoing("record that no appointee is needed")
        if not reason.strip():
            raise MissingDescription("reason: say why no appointee is needed", field="reason")
        self._appointee_not_needed(effective_date=effective, reason=reason.strip())

    @event(AppointeeNotNeeded)
    def _appointee_not_needed(self, effective_date: date, reason: str) -> None:
        self.appointee_not_needed = True

    # -- age reviews -----------------------------------------------------------------------------

    @implies(
        timeline=lambda e: f"DLA award review due at age {e.age}",
        letter=NoLetter("work for a caseworker: recording it writes nothing"),
    )
    class AgeReviewDue(WithDeadlines.Event):
        """The DLA award's review at an age fell due."""

        effective_date: date
        age: int

    @event(AgeReviewDue)
    def _age_review_due(self, effective_date: date, age: int) -> None:
        self.reviews_due[age] = effective_date

    @implies(
        timeline=lambda e: f"DLA award review at age {e.age} completed: {e.outcome}",
        letter=NoLetter("a caseworker's record of the review; recording it writes nothing"),
    )
    class AgeReviewCompleted(WithDeadlines.Event):
        """A caseworker completed the DLA award's review at an age."""

        effective_date: date
        age: int
        outcome: str

    def complete_age_review(self, age: int, completed_on: date, outcome: str) -> None:
        """Record the outcome of a due age review."""
        if age not in self.reviews_due:
            due = ", ".join(str(a) for a in sorted(self.reviews_due)) or "none"
            raise NoAgeReviewDue(f"age: no review at age {age} is due (due: {due})")
        if not outcome.strip():
            raise MissingDescription("outcome: say what the review found", field="outcome")
        self._age_review_completed(effective_date=completed_on, age=age, outcome=outcome.strip())

    @event(AgeReviewCompleted)
    def _age_review_completed(self, effective_date: date, age: int, outcome: str) -> None:
        del self.reviews_due[age]

    # -- death ------------------------------------------------------------------------------------

    @implies(
        timeline=lambda e: f"DLA to PIP transition closed: {e.reason}",
        letter=NoLetter("the young person has died: nobody to write to in this journey"),
    )
    class Closed(WithDeadlines.Event):
        """The journey stopped: the young person died."""

        effective_date: date
        reason: Annotated[str, SYSTEM_WORDING]  # e.g. death notified

    def close_on_death(self, date_of_death: date, today: date) -> None:
        """Stop the journey: no more letters or steps."""
        if self.stage is TransitionStage.CLOSED:
            return
        self._cancel_deadlines(
            {d.action for d in self.pending_deadlines.values()}, "death notified", today
        )
        self._closed(effective_date=date_of_death, reason="death notified")

    @event(Closed)
    def _closed(self, effective_date: date, reason: str) -> None:
        self.stage = TransitionStage.CLOSED

    # -- deadlines -------------------------------------------------------------------------------

    def _on_deadline(self, deadline: Deadline, today: date) -> None:
        if deadline.action == Action.PRE_16_LETTER:
            if self.stage is TransitionStage.AWAITING_INVITATION:
                self._pre_16_letter_sent(effective_date=today)
        elif deadline.action == Action.INVITE:
            if self.stage in {
                TransitionStage.AWAITING_INVITATION,
                TransitionStage.INVITATION_DEFERRED,
            }:
                self._invite(today)
        elif deadline.action == Action.CLOSE_FIRST_WINDOW:
            self._close_first_window(today)
        elif deadline.action == Action.CLOSE_SECOND_WINDOW:
            self._close_second_window(today)
        elif deadline.action == Action.END_DLA:
            if self.stage is TransitionStage.DLA_ENDING and self.dla_ends_on is not None:
                self._dla_ended(effective_date=self.dla_ends_on)
        elif deadline.action == Action.AGE_REVIEW:
            for review in self.age_reviews.reviews:
                if review.due_on == deadline.fires_on:
                    self._age_review_due(effective_date=review.due_on, age=review.age)
        else:
            raise ClaimHistoryInconsistent(f"unknown deadline action {deadline.action!r}")
