"""A claim to a benefit: PIP in depth (questionnaire, assessment, award), disputes for all."""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum
from typing import Annotated, TypeVar
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import JourneyAggregate, known
from domain.decisions import Decision, Override
from domain.errors import (
    AppealNeedsReconsideration,
    AppealNotPending,
    AppealOutOfTime,
    AssessmentMissing,
    AssessmentNotAllowed,
    AssessmentNotNeeded,
    AwardAlreadyUprated,
    AwardEnded,
    AwardNotEntitled,
    AwardNotStarted,
    ClaimAlreadyDecided,
    ClaimNotOpen,
    ClaimWithdrawn,
    DomainError,
    GoodReasonNotApplicable,
    InvalidAwardPeriod,
    InvalidClaimDate,
    MissingAwardStart,
    MissingDescription,
    NoAward,
    NoDecisionToDispute,
    NoReconsiderationPending,
    NotFastTracked,
    QuestionnaireNotNeeded,
    QuestionnaireNotOutstanding,
    QuestionnaireNotOverdue,
    ReconsiderationAlreadyRequested,
    ReconsiderationOutOfTime,
    StatementOfReasonsNotAllowed,
    WrongBenefitForCommand,
)
from domain.obligations import RULE_REASONS, Letter, NoLetter, implies
from domain.periods import within_months_of
from domain.rules.determination import DECISION_MAKER_JUDGEMENT, Judgement
from domain.rules.disputes import (
    APPEAL_LAPSE,
    APPEAL_TIME_LIMIT,
    MANDATORY_RECONSIDERATION_TIME_LIMIT,
    AppealRequest,
    ReconsiderationRequest,
    RevisionFacts,
)
from domain.rules.eligibility import PIP_AGE_TEST, ClaimantAge, award_length_problem
from domain.rules.framework import Decided
from domain.rules.pip_assessment import (
    PIP_COMPONENT_RATES,
    AssessmentPoints,
    Rate,
    validate_points,
)
from domain.rules.pip_rates import PIP_WEEKLY_RATES, RatesOnDate, WeeklyAmounts
from domain.rules.questionnaire import (
    PIP2_NEGATIVE_DETERMINATION,
    PIP2_RETURN_DATE,
    QuestionnaireFacts,
    QuestionnaireSent,
)
from domain.rules.special_rules import (
    SPECIAL_RULES_BENEFIT_AWARD,
    SPECIAL_RULES_PIP_AWARD,
    BenefitAwardFacts,
    CareRate,
    DlaMobilityRate,
    PipAwardFacts,
)
from domain.values import (
    Actor,
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    EventRef,
    ValueObject,
    pounds,
)
from domain.wording import APPEAL, DISPUTE, RATE_NAMES, day

_T = TypeVar("_T")


def _known(value: _T | None, what: str) -> _T:
    return known(value, what, "claim")


def _refuse_end_before_start(starts_on: date | None, ends_on: date | None) -> None:
    """An award with both dates cannot end before it starts."""
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        raise InvalidAwardPeriod("an award cannot end before it starts")


class ClaimStatus(Enum):
    """Where a claim is in its journey."""

    STARTED = "started"
    AWAITING_QUESTIONNAIRE = "awaiting_questionnaire"
    AWAITING_ASSESSMENT = "awaiting_assessment"
    AWAITING_DECISION = "awaiting_decision"
    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"
    DISALLOWED = "disallowed"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        """True while the claim waits for something before a decision."""
        return self in _OPEN_STATUSES


_OPEN_STATUSES = frozenset(
    {
        ClaimStatus.STARTED,
        ClaimStatus.AWAITING_QUESTIONNAIRE,
        ClaimStatus.AWAITING_ASSESSMENT,
        ClaimStatus.AWAITING_DECISION,
    }
)


class DisputeStage(Enum):
    """How far a dispute of the claim's decision has gone."""

    NONE = "none"
    RECONSIDERATION_REQUESTED = "reconsideration_requested"
    RECONSIDERED = "reconsidered"
    APPEAL_LODGED = "appeal_lodged"
    APPEAL_LAPSED = "appeal_lapsed"
    APPEAL_DECIDED = "appeal_decided"


class DisallowanceGrounds(Enum):
    """Why a claim was disallowed without an assessment."""

    NOT_ELIGIBLE = "not_eligible"
    QUESTIONNAIRE_NOT_RETURNED = "questionnaire_not_returned"


class Award(ValueObject):
    """What a decision gives: entitlement, PIP component rates and the award period."""

    entitled: bool
    daily_living: Rate = Rate.NONE
    mobility: Rate = Rate.NONE
    starts_on: date | None = None
    ends_on: date | None = None
    # Added with the Special Rules fast-track; the defaults keep stored awards readable.
    care_rate: CareRate | None = None
    dla_mobility: DlaMobilityRate | None = None
    lcwra: bool = False
    support_group: bool = False

    @classmethod
    def nil(cls) -> Award:
        """No entitlement."""
        return cls(entitled=False)


def uprating_refusal(
    benefit: BenefitType, award: Award | None, uprated_on: date | None, on: date
) -> DomainError | None:
    """Why an award cannot be uprated on a date (None when it can): the one test for both paths."""
    if benefit is not BenefitType.PIP:
        return WrongBenefitForCommand(f"cannot uprate: this is a {benefit.value} claim")
    if award is None:
        return NoAward("cannot uprate: the claim has no award (it has not been decided)")
    if not award.entitled:
        return AwardNotEntitled("cannot uprate: the decision gives no entitlement")
    if award.starts_on is not None and award.starts_on > on:
        return AwardNotStarted(
            f"cannot uprate on {on.isoformat()}: the award starts on {award.starts_on.isoformat()}"
        )
    if award.ends_on is not None and award.ends_on < on:
        return AwardEnded(
            f"cannot uprate on {on.isoformat()}: the award ended on {award.ends_on.isoformat()}"
        )
    if uprated_on is not None and uprated_on >= on:
        return AwardAlreadyUprated(
            f"the award was already uprated on {uprated_on.isoformat()}"
            + ("" if uprated_on == on else f", after {on.isoformat()}")
        )
    return None


def uprating_decision(award: Award, award_event: EventRef, on: date) -> Decided[WeeklyAmounts]:
    """The weekly amounts of an award from a date, by the rate table in force on that date."""
    return PIP_WEEKLY_RATES.decide(
        RatesOnDate(daily_living=award.daily_living, mobility=award.mobility, on=on),
        on=on,
        sources={"award": award_event},
    )


class RatesOverride(ValueObject):
    """A decision maker replaces the rates the points gave, with a reason."""

    daily_living: Rate
    mobility: Rate
    reason: str


# -- what the claim's events say: letters (plain, dated, never the basis) and timeline labels --


def _award_lines(award: Award) -> str:
    if not award.entitled:
        return "You are not entitled to the benefit you claimed."
    period = f"from {day(award.starts_on)}" if award.starts_on else "from a date we will confirm"
    if award.ends_on is not None:
        period += f" to {day(award.ends_on)}"
    lines = [f"You are entitled {period}."]
    if award.daily_living is not Rate.NONE:
        lines.append(f"Daily living part: {RATE_NAMES[award.daily_living]}.")
    if award.mobility is not Rate.NONE:
        lines.append(f"Mobility part: {RATE_NAMES[award.mobility]}.")
    return " ".join(lines)


def _rates(award: Award) -> str:
    if not award.entitled:
        return "not entitled"
    return f"entitled (daily living {award.daily_living.value}, mobility {award.mobility.value})"


def _questionnaire_letter(e: Claim.QuestionnaireIssued) -> str:
    return (
        "We have sent you the form 'How your disability affects you' (PIP2). Please fill it in "
        f"and return it by {day(e.due_on)}. If you cannot return it by then, contact us."
    )


def _disallowed_letter(e: Claim.Disallowed) -> str:
    if e.grounds is DisallowanceGrounds.QUESTIONNAIRE_NOT_RETURNED:
        why = (
            "We did not receive your completed PIP2 form in time, so we could not go on with "
            "your claim. If you had a good reason for not returning it, contact us."
        )
    else:
        why = "You cannot get this benefit because of your age on the date you claimed."
    return f"We have made a decision on your claim on {day(e.effective_date)}. {why} {DISPUTE}"


def _good_reason_letter(e: Claim.GoodReasonAccepted) -> str:
    return (
        "We have accepted your reason for not returning your PIP2 form in time, and your claim "
        f"continues. Please return the form by {day(e.due_on)}."
    )


def _decision_letter(e: Claim.AwardDecided) -> str:
    return f"We have decided your claim. {_award_lines(e.award)} {DISPUTE}"


def _reconsideration_letter(e: Claim.ReconsiderationDecided) -> str:
    outcome = "We have changed our decision." if e.revised else "We have not changed our decision."
    return (
        f"We have looked at your claim again (mandatory reconsideration notice). {outcome} "
        f"{_award_lines(e.award)} {APPEAL}"
    )


def _revised_letter(e: Claim.RevisedDuringAppeal) -> str:
    return (
        "We have looked at your claim again while your appeal is waiting and changed our "
        f"decision. {_award_lines(e.award)} The tribunal will tell you what happens to your appeal."
    )


def _appeal_letter(e: Claim.AppealDecided) -> str:
    outcome = "allowed your appeal" if e.allowed else "did not allow your appeal"
    return f"The tribunal {outcome}. {_award_lines(e.award)}"


class Claim(JourneyAggregate):
    """One claim to one benefit, from start to decision and any dispute."""

    @implies(
        timeline=lambda e: (
            f"{e.benefit.value} claim made by {e.claimant_role.value} via {e.channel.value}"
        ),
        letter=NoLetter("a claim received; the PIP2 or the decision is the first letter"),
    )
    class Started(JourneyAggregate.Created):
        """A claim was made (effective on the claim date).

        Version 2 names the DLA to PIP transition a PIP claim was made in, if any.
        """

        class_version = 2

        customer_id: UUID
        benefit: BenefitType
        channel: ClaimChannel
        claimant_role: ClaimantRole
        effective_date: date
        age_test: Decision | None
        transition_id: UUID | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            """Claims stored before transitions existed were made outside one."""
            state["transition_id"] = None

    @classmethod
    def start(
        cls,
        *,
        customer: EventRef,
        benefit: BenefitType,
        channel: ClaimChannel,
        claimant_role: ClaimantRole,
        claim_date: date,
        date_of_birth: date,
        transition_id: UUID | None = None,
    ) -> Claim:
        """Start a claim; a PIP claim outside the age limits is disallowed at once."""
        age_test: Decision | None = None
        eligible = True
        if benefit is BenefitType.PIP:
            decided = PIP_AGE_TEST.decide(
                ClaimantAge(date_of_birth=date_of_birth, claim_date=claim_date),
                on=claim_date,
                sources={"date_of_birth": customer},
            )
            age_test, eligible = decided.record, decided.outcome.eligible
        claim = cls(
            customer_id=customer.aggregate_id,
            benefit=benefit,
            channel=channel,
            claimant_role=claimant_role,
            effective_date=claim_date,
            age_test=age_test,
            transition_id=transition_id,
        )
        if not eligible and age_test is not None:
            claim._disallowed(
                effective_date=claim_date,
                grounds=DisallowanceGrounds.NOT_ELIGIBLE,
                decision=None,
                reasons=age_test.reasons,
            )
        return claim

    @event(Started)
    def __init__(
        self,
        customer_id: UUID,
        benefit: BenefitType,
        channel: ClaimChannel,
        claimant_role: ClaimantRole,
        effective_date: date,
        age_test: Decision | None,
        transition_id: UUID | None,
    ) -> None:
        self.customer_id = customer_id
        self.transition_id = transition_id
        self.benefit = benefit
        self.channel = channel
        self.claimant_role = claimant_role
        self.claim_date = effective_date
        self.status = ClaimStatus.STARTED
        self.questionnaire_issued_on: date | None = None
        self.questionnaire_due_on: date | None = None
        self.questionnaire_returned_on: date | None = None
        self.questionnaire_event: EventRef | None = None
        self.points: AssessmentPoints | None = None
        self.assessed_on: date | None = None
        self.assessment_event: EventRef | None = None
        self.award: Award | None = None
        self.award_event: EventRef | None = None
        self.weekly_amounts: WeeklyAmounts | None = None
        self.uprated_on: date | None = None
        self.decision_notified_on: date | None = None
        self.decision_event: EventRef | None = None
        self.disallowance_grounds: DisallowanceGrounds | None = None
        self.statement_of_reasons_requested_on: date | None = None
        self.dispute = DisputeStage.NONE
        self.reconsideration_requested_on: date | None = None
        self.reconsideration_notice_sent_on: date | None = None
        self.reconsideration_event: EventRef | None = None
        self.appeal_lodged_on: date | None = None
        self.appeal_sought: tuple[Rate, Rate] | None = None
        self.payments_stopped_from: date | None = None
        self.special_rules_case_id: UUID | None = None

    # -- guards -------------------------------------------------------------------------

    def _require_pip(self, action: str) -> None:
        if self.benefit is not BenefitType.PIP:
            raise WrongBenefitForCommand(f"cannot {action}: this is a {self.benefit.value} claim")

    def _require_open(self, action: str) -> None:
        if self.status is ClaimStatus.WITHDRAWN:
            raise ClaimWithdrawn(f"cannot {action}: the claim was withdrawn")
        if self.status in {ClaimStatus.AWARDED, ClaimStatus.NOT_AWARDED}:
            raise ClaimAlreadyDecided(f"cannot {action}: the claim has already been decided")
        if not self.status.is_open:
            raise ClaimNotOpen(f"cannot {action}: the claim is {self.status.value}")

    def _require_not_before(
        self, when: date, earliest: date | None, what: str, field: str | None = None
    ) -> None:
        if earliest is not None and when < earliest:
            raise InvalidClaimDate(
                f"{what} {when.isoformat()} is before {earliest.isoformat()}", field=field
            )

    # -- the Special Rules fast-track ------------------------------------------------------

    @property
    def fast_tracked(self) -> bool:
        """True when the claim is on the Special Rules fast-track (no PIP2, no assessment)."""
        return self.special_rules_case_id is not None

    @implies(
        timeline=lambda e: "Fast-tracked under the Special Rules: no PIP2, no assessment",
        letter=NoLetter("the decision letter follows, never naming why the claim was fast-tracked"),
    )
    class FastTracked(JourneyAggregate.Event):
        """The claim went on the Special Rules fast-track of the customer's case."""

        effective_date: date
        case_id: UUID

    def fast_track(self, case_id: UUID, today: date) -> None:
        """Put an open claim on the fast-track: it waits only for the decision."""
        self._require_open("fast-track the claim")
        if self.fast_tracked:
            return
        self._fast_tracked(effective_date=today, case_id=case_id)

    @event(FastTracked)
    def _fast_tracked(self, effective_date: date, case_id: UUID) -> None:
        self.special_rules_case_id = case_id
        self.status = ClaimStatus.AWAITING_DECISION

    def decide_special_rules_award(
        self,
        *,
        decided_on: date,
        decision_maker: Actor,
        mobility: Rate = Rate.NONE,
        dla_mobility: DlaMobilityRate | None = None,
        dla_ends_on: date | None = None,
    ) -> date | None:
        """Decide a fast-tracked claim by the Special Rules; returns the reminder day, if any."""
        if not self.fast_tracked:
            raise NotFastTracked(
                "cannot decide a Special Rules award: the claim is not fast-tracked"
            )
        self._require_open("decide the claim")
        self._require_not_before(decided_on, self.claim_date, "decided_on", field="decided_on")
        if self.benefit is BenefitType.PIP:
            pip = SPECIAL_RULES_PIP_AWARD.decide(
                PipAwardFacts(
                    claim_date=self.claim_date, mobility=mobility, dla_ends_on=dla_ends_on
                ),
                on=decided_on,
                made_by=decision_maker,
            )
            award = Award(
                entitled=True,
                daily_living=pip.outcome.daily_living,
                mobility=pip.outcome.mobility,
                starts_on=pip.outcome.starts_on,
                ends_on=pip.outcome.ends_on,
            )
            self._award_decided(effective_date=decided_on, decision=pip.record, award=award)
            return pip.outcome.reminder_on
        other = SPECIAL_RULES_BENEFIT_AWARD.decide(
            BenefitAwardFacts(
                benefit=self.benefit, claim_date=self.claim_date, dla_mobility=dla_mobility
            ),
            on=decided_on,
            made_by=decision_maker,
        )
        outcome = other.outcome
        award = Award(
            entitled=True,
            starts_on=outcome.starts_on,
            ends_on=outcome.ends_on,
            care_rate=outcome.care_rate,
            dla_mobility=outcome.dla_mobility,
            lcwra=outcome.lcwra,
            support_group=outcome.support_group,
        )
        self._award_decided(effective_date=decided_on, decision=other.record, award=award)
        return outcome.reminder_on

    # -- the PIP2 questionnaire ------------------------------------------------------------

    @implies(
        timeline=lambda e: f"PIP2 issued, due back by {e.due_on.isoformat()}",
        letter=Letter("pip2", "Your PIP2 form", _questionnaire_letter),
    )
    class QuestionnaireIssued(JourneyAggregate.Event):
        """The PIP2 questionnaire was sent, with the date it is due back."""

        effective_date: date
        due_on: date
        decision: Decision

    def issue_questionnaire(self, issued_on: date) -> None:
        """Send the PIP2 questionnaire; its due date comes from the rule in force."""
        self._require_pip("issue a PIP2 questionnaire")
        self._require_open("issue a PIP2 questionnaire")
        if self.fast_tracked:
            raise QuestionnaireNotNeeded(
                "cannot issue a PIP2 questionnaire: the claim is fast-tracked (Special Rules)"
            )
        if self.status is not ClaimStatus.STARTED:
            raise QuestionnaireNotOutstanding("the PIP2 questionnaire has already been issued")
        self._require_not_before(issued_on, self.claim_date, "issue date")
        decided = PIP2_RETURN_DATE.decide(QuestionnaireSent(issued_on=issued_on), on=issued_on)
        self._questionnaire_issued(
            effective_date=issued_on, due_on=decided.outcome.due_on, decision=decided.record
        )

    @event(QuestionnaireIssued)
    def _questionnaire_issued(self, effective_date: date, due_on: date, decision: Decision) -> None:
        self.status = ClaimStatus.AWAITING_QUESTIONNAIRE
        self.questionnaire_issued_on = effective_date
        self.questionnaire_due_on = due_on
        self.questionnaire_event = EventRef(aggregate_id=self.id, version=self.version + 1)

    def questionnaire_overdue(self, on: date) -> bool:
        """True when the questionnaire is outstanding after its due date."""
        return (
            self.status is ClaimStatus.AWAITING_QUESTIONNAIRE
            and self.questionnaire_due_on is not None
            and on > self.questionnaire_due_on
        )

    @implies(
        timeline=lambda e: "PIP2 returned" + (" late" if e.late else ""),
        letter=NoLetter("the customer sent us the form; the decision letter follows"),
    )
    class QuestionnaireReturned(JourneyAggregate.Event):
        """The completed PIP2 questionnaire arrived."""

        effective_date: date
        late: bool

    def return_questionnaire(self, received_on: date) -> None:
        """Record the PIP2 arriving (late returns count while no negative determination is made)."""
        self._require_open("return the PIP2 questionnaire")
        if self.status is not ClaimStatus.AWAITING_QUESTIONNAIRE:
            raise QuestionnaireNotOutstanding("no PIP2 questionnaire is outstanding on this claim")
        self._require_not_before(received_on, self.questionnaire_issued_on, "received date")
        due_on = _known(self.questionnaire_due_on, "questionnaire due date")
        self._questionnaire_returned(effective_date=received_on, late=received_on > due_on)

    @event(QuestionnaireReturned)
    def _questionnaire_returned(self, effective_date: date, late: bool) -> None:
        self.status = ClaimStatus.AWAITING_ASSESSMENT
        self.questionnaire_returned_on = effective_date

    def make_negative_determination(self, checked_on: date, good_reason: str | None) -> None:
        """Disallow the claim when the PIP2 is overdue with no good reason (the rule decides)."""
        self._require_open("make a negative determination")
        if self.status is not ClaimStatus.AWAITING_QUESTIONNAIRE:
            raise QuestionnaireNotOutstanding("no PIP2 questionnaire is outstanding on this claim")
        decided = PIP2_NEGATIVE_DETERMINATION.decide(
            QuestionnaireFacts(
                due_on=_known(self.questionnaire_due_on, "questionnaire due date"),
                checked_on=checked_on,
                returned_on=self.questionnaire_returned_on,
                good_reason=good_reason,
            ),
            on=checked_on,
            sources={"due_on": _known(self.questionnaire_event, "questionnaire event")},
        )
        if not decided.outcome.disallow:
            raise QuestionnaireNotOverdue(" ".join(decided.record.reasons))
        self._disallowed(
            effective_date=checked_on,
            grounds=DisallowanceGrounds.QUESTIONNAIRE_NOT_RETURNED,
            decision=decided.record,
            reasons=decided.record.reasons,
        )

    @implies(
        timeline=lambda e: f"Claim disallowed ({e.grounds.value})",
        letter=Letter("claim_disallowed", "A decision on your claim", _disallowed_letter),
    )
    class Disallowed(JourneyAggregate.Event):
        """The claim was disallowed without an award decision on its merits."""

        effective_date: date
        grounds: DisallowanceGrounds
        decision: Decision | None
        reasons: Annotated[tuple[str, ...], RULE_REASONS]

    @event(Disallowed)
    def _disallowed(
        self,
        effective_date: date,
        grounds: DisallowanceGrounds,
        decision: Decision | None,
        reasons: tuple[str, ...],
    ) -> None:
        self.status = ClaimStatus.DISALLOWED
        self.disallowance_grounds = grounds
        self._set_award(Award.nil())
        self.decision_notified_on = effective_date
        self.decision_event = EventRef(aggregate_id=self.id, version=self.version + 1)

    @implies(
        timeline=lambda e: (
            f"Good reason accepted for the PIP2: claim reopened, due back by {e.due_on.isoformat()}"
        ),
        letter=Letter("claim_continues", "Your claim", _good_reason_letter),
    )
    class GoodReasonAccepted(JourneyAggregate.Event):
        """A decision maker accepted a good reason for the missing PIP2: the claim reopens.

        The negative determination no longer stands; a new return date is set by the rule.
        """

        effective_date: date
        decision: Decision
        due_on: date
        due_decision: Decision

    def accept_good_reason(self, accepted_on: date, reason: str, decision_maker: Actor) -> None:
        """Reopen a claim disallowed for the PIP2 not coming back, with a new return date."""
        if (
            self.status is not ClaimStatus.DISALLOWED
            or self.disallowance_grounds is not DisallowanceGrounds.QUESTIONNAIRE_NOT_RETURNED
        ):
            raise GoodReasonNotApplicable(
                "only a claim disallowed because the PIP2 did not come back can be reopened "
                f"for a good reason (this claim is {self.status.value})"
            )
        if self.dispute is not DisputeStage.NONE:
            raise GoodReasonNotApplicable(
                f"a dispute of the decision is under way ({self.dispute.value}): decide it there"
            )
        if not reason.strip():
            raise MissingDescription("reason: say what the good reason is", field="reason")
        self._require_not_before(
            accepted_on, self.decision_notified_on, "accepted_on", field="accepted_on"
        )
        judgement = DECISION_MAKER_JUDGEMENT.decide(
            Judgement(
                question="Is there a good reason the PIP2 questionnaire was not returned?",
                answer="good reason accepted",
                reason=reason.strip(),
            ),
            on=accepted_on,
            made_by=decision_maker,
        )
        due = PIP2_RETURN_DATE.decide(QuestionnaireSent(issued_on=accepted_on), on=accepted_on)
        self._good_reason_accepted(
            effective_date=accepted_on,
            decision=judgement.record,
            due_on=due.outcome.due_on,
            due_decision=due.record,
        )

    @event(GoodReasonAccepted)
    def _good_reason_accepted(
        self, effective_date: date, decision: Decision, due_on: date, due_decision: Decision
    ) -> None:
        self.status = ClaimStatus.AWAITING_QUESTIONNAIRE
        self.disallowance_grounds = None
        self.award = None
        self.award_event = None
        self.decision_notified_on = None
        self.decision_event = None
        self.statement_of_reasons_requested_on = None
        self.questionnaire_due_on = due_on
        self.questionnaire_event = EventRef(aggregate_id=self.id, version=self.version + 1)

    # -- assessment and decision ------------------------------------------------------------

    @implies(
        timeline=lambda e: (
            f"Assessment recorded: daily living {sum(e.points.daily_living.values())} points, "
            f"mobility {sum(e.points.mobility.values())} points"
        ),
        letter=NoLetter("an input to the decision, whose letter tells the outcome"),
    )
    class AssessmentRecorded(JourneyAggregate.Event):
        """The assessment report's points per activity were recorded."""

        effective_date: date
        points: AssessmentPoints
        assessor: Actor

    def record_assessment(
        self, assessed_on: date, points: AssessmentPoints, assessor: Actor
    ) -> None:
        """Record assessment points; each activity scores 0 to 12 and every activity is scored."""
        self._require_pip("record a PIP assessment")
        self._require_open("record an assessment")
        if self.fast_tracked:
            raise AssessmentNotNeeded(
                "cannot record an assessment: the claim is fast-tracked (Special Rules)"
            )
        if self.status is not ClaimStatus.AWAITING_ASSESSMENT:
            raise AssessmentNotAllowed(
                f"cannot record an assessment while the claim is {self.status.value}"
            )
        self._require_not_before(assessed_on, self.questionnaire_returned_on, "assessment date")
        validate_points(points, assessed_on)
        self._assessment_recorded(effective_date=assessed_on, points=points, assessor=assessor)

    @event(AssessmentRecorded)
    def _assessment_recorded(
        self, effective_date: date, points: AssessmentPoints, assessor: Actor
    ) -> None:
        self.status = ClaimStatus.AWAITING_DECISION
        self.points = points
        self.assessed_on = effective_date
        self.assessment_event = EventRef(aggregate_id=self.id, version=self.version + 1)

    @implies(
        timeline=lambda e: f"Decided: {_rates(e.award)}",
        letter=Letter("award_decision", "A decision on your claim", _decision_letter),
    )
    class AwardDecided(JourneyAggregate.Event):
        """The claim was decided on its merits and the decision notified."""

        effective_date: date
        decision: Decision
        award: Award

    def award_rates(
        self,
        *,
        decided_on: date,
        decision_maker: Actor | None = None,
        override: RatesOverride | None = None,
    ) -> tuple[Decision, Rate, Rate]:
        """The rates a PIP decision on this date would give: the rule's record and the rates."""
        self._require_pip("decide a PIP award")
        self._require_open("decide the claim")
        if self.points is None or self.assessment_event is None:
            raise AssessmentMissing("record the assessment before deciding the award")
        self._require_not_before(decided_on, self.assessed_on, "decision date")
        decided = PIP_COMPONENT_RATES.decide(
            self.points,
            on=decided_on,
            sources={"points": self.assessment_event},
            made_by=decision_maker,
        )
        record = decided.record
        daily_living, mobility = decided.outcome.daily_living_rate, decided.outcome.mobility_rate
        if override is not None:
            if decision_maker is None or not decision_maker.is_person:
                raise MissingDescription("an override needs the decision maker who made it")
            if not override.reason.strip():
                raise MissingDescription("an override needs a reason")
            daily_living, mobility = override.daily_living, override.mobility
            record = record.model_copy(
                update={
                    "override": Override(
                        by=decision_maker,
                        reason=override.reason,
                        outcome={
                            **record.outcome,
                            "daily_living_rate": daily_living.value,
                            "mobility_rate": mobility.value,
                        },
                    )
                }
            )
        return record, daily_living, mobility

    def decide_pip_award(
        self,
        *,
        decided_on: date,
        starts_on: date | None,
        ends_on: date | None,
        decision_maker: Actor | None = None,
        override: RatesOverride | None = None,
    ) -> None:
        """Decide PIP from the assessment points; a decision maker may override with a reason."""
        record, daily_living, mobility = self.award_rates(
            decided_on=decided_on, decision_maker=decision_maker, override=override
        )
        entitled = daily_living is not Rate.NONE or mobility is not Rate.NONE
        if entitled:
            if starts_on is None:
                raise MissingAwardStart("starts_on: an award needs the day it starts")
            if ends_on is None:
                raise InvalidAwardPeriod(
                    "ends_on: a PIP award needs the day it ends", field="ends_on"
                )
            self._check_award_period(starts_on, ends_on)
        award = Award(
            entitled=entitled,
            daily_living=daily_living,
            mobility=mobility,
            starts_on=starts_on if entitled else None,
            ends_on=ends_on if entitled else None,
        )
        self._award_decided(effective_date=decided_on, decision=record, award=award)

    def decide_entitlement(
        self,
        *,
        decided_on: date,
        entitled: bool,
        reason: str,
        decision_maker: Actor,
        starts_on: date | None = None,
        ends_on: date | None = None,
    ) -> None:
        """A decision maker decides a UC, ESA, AA or DLA claim, with a recorded reason."""
        if self.benefit is BenefitType.PIP:
            raise WrongBenefitForCommand("PIP claims are decided from assessment points")
        self._require_open("decide the claim")
        if not reason.strip():
            raise MissingDescription("a decision needs a reason")
        self._require_not_before(decided_on, self.claim_date, "decision date")
        if entitled and (starts_on is None or starts_on < self.claim_date):
            raise InvalidAwardPeriod("an award needs a start date on or after the claim date")
        if entitled:
            _refuse_end_before_start(starts_on, ends_on)
        decided = DECISION_MAKER_JUDGEMENT.decide(
            Judgement(
                question=f"Is the customer entitled to {self.benefit.value}?",
                answer="entitled" if entitled else "not entitled",
                reason=reason,
            ),
            on=decided_on,
            made_by=decision_maker,
        )
        award = Award(
            entitled=entitled,
            starts_on=starts_on if entitled else None,
            ends_on=ends_on if entitled else None,
        )
        self._award_decided(effective_date=decided_on, decision=decided.record, award=award)

    def _check_award_period(self, starts_on: date, ends_on: date) -> None:
        if starts_on < self.claim_date:
            raise InvalidAwardPeriod(
                f"the award cannot start ({starts_on.isoformat()}) before the claim date "
                f"({self.claim_date.isoformat()})"
            )
        problem = award_length_problem(starts_on, ends_on)
        if problem is not None:
            raise InvalidAwardPeriod(problem)

    def _set_award(self, award: Award) -> None:
        # Called inside the event that makes the award: earlier upratings no longer apply.
        self.award = award
        self.award_event = EventRef(aggregate_id=self.id, version=self.version + 1)
        self.weekly_amounts = None
        self.uprated_on = None

    @event(AwardDecided)
    def _award_decided(self, effective_date: date, decision: Decision, award: Award) -> None:
        self.status = ClaimStatus.AWARDED if award.entitled else ClaimStatus.NOT_AWARDED
        self._set_award(award)
        self.decision_notified_on = effective_date
        self.decision_event = EventRef(aggregate_id=self.id, version=self.version + 1)

    @implies(
        timeline=lambda e: f"Claim withdrawn: {e.reason}",
        letter=NoLetter("the claimant withdrew it and so already knows"),
    )
    class Withdrawn(JourneyAggregate.Event):
        """The customer withdrew the claim before it was decided."""

        effective_date: date
        reason: str

    def withdraw(self, withdrawn_on: date, reason: str) -> None:
        """Withdraw an undecided claim."""
        self._require_open("withdraw the claim")
        self._require_not_before(withdrawn_on, self.claim_date, "withdrawal date")
        self._withdrawn(effective_date=withdrawn_on, reason=reason)

    @event(Withdrawn)
    def _withdrawn(self, effective_date: date, reason: str) -> None:
        self.status = ClaimStatus.WITHDRAWN

    # -- disputes ------------------------------------------------------------------------------

    def _require_disputable(self, action: str) -> date:
        if self.decision_notified_on is None or self.status not in {
            ClaimStatus.AWARDED,
            ClaimStatus.NOT_AWARDED,
            ClaimStatus.DISALLOWED,
        }:
            raise NoDecisionToDispute(f"cannot {action}: the claim has no notified decision")
        return self.decision_notified_on

    @implies(
        timeline=lambda e: "Statement of reasons asked for",
        letter=NoLetter("the customer's own request: recording it writes nothing"),
    )
    class StatementOfReasonsRequested(JourneyAggregate.Event):
        """The customer asked for a written statement of the decision's reasons."""

        effective_date: date

    def request_statement_of_reasons(self, requested_on: date) -> None:
        """Ask for written reasons within the month; it extends the MR limit by 14 days."""
        notified = self._require_disputable("ask for a statement of reasons")
        if self.statement_of_reasons_requested_on is not None:
            raise StatementOfReasonsNotAllowed("a statement of reasons was already asked for")
        self._require_not_before(requested_on, notified, "request date")
        last_day = within_months_of(notified, 1)
        if requested_on > last_day:
            raise StatementOfReasonsNotAllowed(
                f"a statement of reasons must be asked for by {last_day.isoformat()}"
            )
        self._statement_of_reasons_requested(effective_date=requested_on)

    @event(StatementOfReasonsRequested)
    def _statement_of_reasons_requested(self, effective_date: date) -> None:
        self.statement_of_reasons_requested_on = effective_date

    @implies(
        timeline=lambda e: f"Mandatory reconsideration asked for: {e.grounds}",
        letter=NoLetter("the customer's request; the reconsideration notice answers it"),
    )
    class ReconsiderationRequested(JourneyAggregate.Event):
        """The customer asked for a mandatory reconsideration; the time-limit decision is kept."""

        effective_date: date
        decision: Decision
        grounds: str

    def request_reconsideration(
        self,
        *,
        requested_on: date,
        grounds: str,
        good_reason_for_lateness: str | None = None,
        official_error_alleged: bool = False,
    ) -> None:
        """Ask for an MR; late requests need a good reason and none succeed after 13 months."""
        notified = self._require_disputable("ask for a mandatory reconsideration")
        if self.dispute is not DisputeStage.NONE:
            raise ReconsiderationAlreadyRequested(
                f"a mandatory reconsideration was already asked for (dispute stage: "
                f"{self.dispute.value})"
            )
        if not grounds.strip():
            raise MissingDescription("say why the decision is wrong (grounds)")
        self._require_not_before(requested_on, notified, "request date")
        decided = MANDATORY_RECONSIDERATION_TIME_LIMIT.decide(
            ReconsiderationRequest(
                decision_notified_on=notified,
                requested_on=requested_on,
                statement_of_reasons_requested=self.statement_of_reasons_requested_on is not None,
                good_reason_for_lateness=good_reason_for_lateness,
                official_error_alleged=official_error_alleged,
            ),
            on=requested_on,
            sources={"decision_notified_on": _known(self.decision_event, "decision event")},
        )
        if not decided.outcome.timeliness.admissible:
            raise ReconsiderationOutOfTime(" ".join(decided.record.reasons))
        self._reconsideration_requested(
            effective_date=requested_on, decision=decided.record, grounds=grounds
        )

    @event(ReconsiderationRequested)
    def _reconsideration_requested(
        self, effective_date: date, decision: Decision, grounds: str
    ) -> None:
        self.dispute = DisputeStage.RECONSIDERATION_REQUESTED
        self.reconsideration_requested_on = effective_date

    @implies(
        timeline=lambda e: (
            f"Reconsidered: {'revised' if e.revised else 'not revised'}, now {_rates(e.award)}"
        ),
        letter=Letter("mr_notice", "Mandatory reconsideration notice", _reconsideration_letter),
    )
    class ReconsiderationDecided(JourneyAggregate.Event):
        """A decision maker reconsidered; the MR notice was sent on the effective date."""

        effective_date: date
        decision: Decision
        revised: bool
        award: Award

    def decide_reconsideration(
        self,
        *,
        notice_sent_on: date,
        revised_award: Award | None,
        reason: str,
        decision_maker: Actor,
    ) -> None:
        """Record the MR outcome: the decision revised to a new award, or left unchanged."""
        if self.dispute is not DisputeStage.RECONSIDERATION_REQUESTED:
            raise NoReconsiderationPending("no mandatory reconsideration is waiting for an outcome")
        if not reason.strip():
            raise MissingDescription("an MR outcome needs a reason")
        self._require_not_before(notice_sent_on, self.reconsideration_requested_on, "notice date")
        if revised_award is not None and revised_award.entitled:
            self._check_revised_award(revised_award)
        revised = revised_award is not None and revised_award != self.award
        decided = DECISION_MAKER_JUDGEMENT.decide(
            Judgement(
                question="Should the decision be revised on mandatory reconsideration?",
                answer="revised" if revised else "not revised",
                reason=reason,
            ),
            on=notice_sent_on,
            made_by=decision_maker,
        )
        current = _known(self.award, "award")
        self._reconsideration_decided(
            effective_date=notice_sent_on,
            decision=decided.record,
            revised=revised,
            award=revised_award if revised and revised_award is not None else current,
        )

    def _check_revised_award(self, award: Award) -> None:
        if award.starts_on is None:
            raise InvalidAwardPeriod("a revised award needs a start date")
        if self.benefit is BenefitType.PIP:
            if award.ends_on is None:
                raise InvalidAwardPeriod("a revised PIP award needs an end date")
            self._check_award_period(award.starts_on, award.ends_on)
        else:
            _refuse_end_before_start(award.starts_on, award.ends_on)

    @event(ReconsiderationDecided)
    def _reconsideration_decided(
        self, effective_date: date, decision: Decision, revised: bool, award: Award
    ) -> None:
        self.dispute = DisputeStage.RECONSIDERED
        self.reconsideration_notice_sent_on = effective_date
        self.reconsideration_event = EventRef(aggregate_id=self.id, version=self.version + 1)
        self._apply_award(award)

    def _apply_award(self, award: Award) -> None:
        if award != self.award:
            self._set_award(award)
        if self.status is not ClaimStatus.DISALLOWED or award.entitled:
            self.status = ClaimStatus.AWARDED if award.entitled else ClaimStatus.NOT_AWARDED

    @implies(
        timeline=lambda e: "Appeal lodged with the tribunal",
        letter=NoLetter("the customer's own appeal: recording it writes nothing"),
    )
    class AppealLodged(JourneyAggregate.Event):
        """The customer appealed to the tribunal against the reconsidered decision."""

        effective_date: date
        decision: Decision
        sought_daily_living: Rate
        sought_mobility: Rate

    def lodge_appeal(
        self,
        *,
        lodged_on: date,
        tribunal_extended: bool = False,
        sought_daily_living: Rate | None = None,
        sought_mobility: Rate | None = None,
    ) -> None:
        """Appeal within a month of the MR notice (or later where the tribunal extended)."""
        # PIP appeals seek component rates (the highest unless said otherwise); other
        # benefits have none, so their appeals seek entitlement alone.
        default = Rate.ENHANCED if self.benefit is BenefitType.PIP else Rate.NONE
        sought_daily_living = sought_daily_living or default
        sought_mobility = sought_mobility or default
        if self.dispute is not DisputeStage.RECONSIDERED:
            raise AppealNeedsReconsideration(
                "an appeal needs a mandatory reconsideration notice first "
                f"(dispute stage: {self.dispute.value})"
            )
        notice_sent_on = _known(self.reconsideration_notice_sent_on, "MR notice date")
        self._require_not_before(lodged_on, notice_sent_on, "appeal date")
        decided = APPEAL_TIME_LIMIT.decide(
            AppealRequest(
                reconsideration_notice_sent_on=notice_sent_on,
                lodged_on=lodged_on,
                tribunal_extended=tribunal_extended,
            ),
            on=lodged_on,
            sources={
                "reconsideration_notice_sent_on": _known(self.reconsideration_event, "MR event")
            },
        )
        if not decided.outcome.timeliness.admissible:
            raise AppealOutOfTime(" ".join(decided.record.reasons))
        self._appeal_lodged(
            effective_date=lodged_on,
            decision=decided.record,
            sought_daily_living=sought_daily_living,
            sought_mobility=sought_mobility,
        )

    @event(AppealLodged)
    def _appeal_lodged(
        self,
        effective_date: date,
        decision: Decision,
        sought_daily_living: Rate,
        sought_mobility: Rate,
    ) -> None:
        self.dispute = DisputeStage.APPEAL_LODGED
        self.appeal_lodged_on = effective_date
        self.appeal_sought = (sought_daily_living, sought_mobility)

    @implies(
        timeline=lambda e: f"Revised during the appeal: now {_rates(e.award)}",
        letter=Letter("revised_decision", "Your claim", _revised_letter),
    )
    class RevisedDuringAppeal(JourneyAggregate.Event):
        """The department revised the decision while the appeal was pending."""

        effective_date: date
        decision: Decision
        award: Award

    def revise_during_appeal(self, *, revised_on: date, award: Award) -> None:
        """Revise under appeal: a fully favourable revision makes the appeal lapse."""
        if self.dispute is not DisputeStage.APPEAL_LODGED or self.appeal_sought is None:
            raise AppealNotPending("there is no appeal under way on this claim")
        self._require_not_before(revised_on, self.appeal_lodged_on, "revision date")
        if award.entitled:
            self._check_revised_award(award)
        sought_daily_living, sought_mobility = self.appeal_sought
        decided = APPEAL_LAPSE.decide(
            RevisionFacts(
                sought_daily_living=sought_daily_living,
                sought_mobility=sought_mobility,
                revised_entitled=award.entitled,
                revised_daily_living=award.daily_living,
                revised_mobility=award.mobility,
            ),
            on=revised_on,
        )
        self._revised_during_appeal(effective_date=revised_on, decision=decided.record, award=award)

    @event(RevisedDuringAppeal)
    def _revised_during_appeal(
        self, effective_date: date, decision: Decision, award: Award
    ) -> None:
        if APPEAL_LAPSE.outcome_of(decision).lapses:
            self.dispute = DisputeStage.APPEAL_LAPSED
        self._apply_award(award)

    @implies(
        timeline=lambda e: (
            f"Tribunal {'allowed' if e.allowed else 'dismissed'} the appeal: now {_rates(e.award)}"
        ),
        letter=Letter("appeal_decision", "Your appeal", _appeal_letter),
    )
    class AppealDecided(JourneyAggregate.Event):
        """The tribunal decided the appeal."""

        effective_date: date
        decision: Decision
        allowed: bool
        award: Award

    def record_appeal_outcome(
        self, *, decided_on: date, allowed: bool, award: Award | None, judge: Actor, reason: str
    ) -> None:
        """Record the tribunal's decision; an allowed appeal replaces the award."""
        if self.dispute is not DisputeStage.APPEAL_LODGED:
            raise AppealNotPending("there is no appeal under way on this claim")
        if not reason.strip():
            raise MissingDescription("a tribunal outcome needs its reason")
        self._require_not_before(decided_on, self.appeal_lodged_on, "tribunal decision date")
        if allowed and award is not None and award.entitled:
            self._check_revised_award(award)
        decided = DECISION_MAKER_JUDGEMENT.decide(
            Judgement(
                question="Is the appeal allowed?",
                answer="allowed" if allowed else "dismissed",
                reason=reason,
            ),
            on=decided_on,
            made_by=judge,
        )
        current = _known(self.award, "award")
        self._appeal_decided(
            effective_date=decided_on,
            decision=decided.record,
            allowed=allowed,
            award=award if allowed and award is not None else current,
        )

    @event(AppealDecided)
    def _appeal_decided(
        self, effective_date: date, decision: Decision, allowed: bool, award: Award
    ) -> None:
        self.dispute = DisputeStage.APPEAL_DECIDED
        self._apply_award(award)

    # -- annual uprating ----------------------------------------------------------------------

    @implies(
        timeline=lambda e: (
            f"Uprated from {e.effective_date.isoformat()}: "
            f"daily living {pounds(e.weekly_amounts.daily_living_pence)}, "
            f"mobility {pounds(e.weekly_amounts.mobility_pence)} a week "
            f"({pounds(e.weekly_amounts.total_pence)})"
        ),
        letter=NoLetter("yearly uprating notices are a bulk print run outside this journey"),
    )
    class AwardUprated(JourneyAggregate.Event):
        """The award's weekly amounts from the uprating date, by the rate table then in force."""

        effective_date: date
        weekly_amounts: WeeklyAmounts
        decision: Decision

    def uprate_award(self, on: date) -> None:
        """Set the weekly amounts of the award in payment on the uprating date."""
        refusal = uprating_refusal(self.benefit, self.award, self.uprated_on, on)
        if refusal is not None:
            raise refusal
        award = _known(self.award, "award")
        decided = uprating_decision(award, _known(self.award_event, "award event"), on)
        self._award_uprated(
            effective_date=on, weekly_amounts=decided.outcome, decision=decided.record
        )

    @event(AwardUprated)
    def _award_uprated(
        self, effective_date: date, weekly_amounts: WeeklyAmounts, decision: Decision
    ) -> None:
        self.weekly_amounts = weekly_amounts
        self.uprated_on = effective_date

    # -- death --------------------------------------------------------------------------------

    @implies(
        timeline=lambda e: (
            f"Payments stopped from {e.effective_date.isoformat()} (death on "
            f"{e.date_of_death.isoformat()})"
        ),
        letter=NoLetter("the customer has died: nobody to write to in this journey"),
    )
    class PaymentsStopped(JourneyAggregate.Event):
        """The customer died: the award is not paid from the day after the death (effective)."""

        effective_date: date
        date_of_death: date

    def in_payment_after(self, day: date) -> bool:
        """True when an award is still to be paid for some day after `day`."""
        award = self.award
        return (
            self.payments_stopped_from is None
            and award is not None
            and award.entitled
            and (award.ends_on is None or award.ends_on > day)
        )

    def stop_payments_on_death(self, date_of_death: date) -> bool:
        """Stop paying the award from the day after the death; False when none is in payment."""
        if not self.in_payment_after(date_of_death):
            return False
        self._payments_stopped(
            effective_date=date_of_death + timedelta(days=1), date_of_death=date_of_death
        )
        return True

    @event(PaymentsStopped)
    def _payments_stopped(self, effective_date: date, date_of_death: date) -> None:
        self.payments_stopped_from = effective_date
