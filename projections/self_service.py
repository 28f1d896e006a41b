"""The self-service view: a customer's claims, next steps, awards and rights in plain language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol
from uuid import UUID

from domain.aggregate import JourneyAggregate
from domain.claim import Award, Claim, ClaimStatus, DisallowanceGrounds
from domain.customer import Customer
from domain.debt import Debt
from domain.decisions import Decision
from domain.periods import within_months_of
from domain.personal_data import ERASED
from domain.rules.disputes import appeal_deadline, reconsideration_deadline
from domain.rules.dla_to_pip import DLA_PIP_DLA_END_DATE, DlaEndBasis
from domain.rules.pip_assessment import PIP_COMPONENT_RATES, Rate
from domain.transition import DlaToPipTransition
from domain.values import BenefitType, pounds
from projections.model import (
    AwardSummary,
    DeclaredSupport,
    NextStep,
    ReportedChange,
    Right,
    SelfServiceClaim,
    SelfServiceTransition,
    SelfServiceView,
)
from projections.projection import (
    LoggedEvent,
    OwnersBatch,
    Projection,
    long_date,
    owner_of,
    prefetch_owners,
)
from projections.self_service_debts import fold_debt
from projections.transition_texts import render_transition
from projections.transitions import apply_updates, concerns_transition, transition_updates

_STATUS_TEXT = {
    ClaimStatus.STARTED: "We have your claim",
    ClaimStatus.AWAITING_QUESTIONNAIRE: "Waiting for your questionnaire",
    ClaimStatus.AWAITING_ASSESSMENT: "We have your questionnaire",
    ClaimStatus.AWAITING_DECISION: "Your assessment is done",
    ClaimStatus.AWARDED: "Awarded",
    ClaimStatus.NOT_AWARDED: "Not awarded",
    ClaimStatus.DISALLOWED: "Claim closed",
    ClaimStatus.WITHDRAWN: "Withdrawn",
}

_RATE_TEXT = {Rate.STANDARD: "standard rate", Rate.ENHANCED: "enhanced rate"}


def _award_summary(benefit: str, award: Award) -> AwardSummary:
    if not award.entitled:
        return AwardSummary(entitled=False, text=f"You are not entitled to {benefit}.")
    parts = []
    daily_living = _RATE_TEXT.get(award.daily_living)
    mobility = _RATE_TEXT.get(award.mobility)
    if daily_living:
        parts.append(f"the daily living part at the {daily_living}")
    if mobility:
        parts.append(f"the mobility part at the {mobility}")
    what = f"{benefit}: " + " and ".join(parts) if parts else benefit
    period = ""
    if award.starts_on is not None:
        period = f" from {long_date(award.starts_on)}"
    if award.ends_on is not None:
        period += f" to {long_date(award.ends_on)}"
    return AwardSummary(
        entitled=True,
        text=f"You get {what}{period}.",
        daily_living=daily_living,
        mobility=mobility,
        starts_on=award.starts_on,
        ends_on=award.ends_on,
    )


def _with_amounts(award: AwardSummary, event: Claim.AwardUprated) -> AwardSummary:
    amounts = event.weekly_amounts
    parts = []
    if amounts.daily_living_pence:
        parts.append(f"{pounds(amounts.daily_living_pence)} for daily living")
    if amounts.mobility_pence:
        parts.append(f"{pounds(amounts.mobility_pence)} for mobility")
    return award.model_copy(
        update={
            "daily_living_weekly_pence": amounts.daily_living_pence,
            "mobility_weekly_pence": amounts.mobility_pence,
            "weekly_total_pence": amounts.total_pence,
            "weekly_amounts_from": event.effective_date,
            "amounts_text": f"You get {pounds(amounts.total_pence)} a week from "
            f"{long_date(event.effective_date)} ({' and '.join(parts)}).",
        }
    )


_EXPLAINED_RULES = frozenset({PIP_COMPONENT_RATES.rule_id})
"""Rules whose own reasons a customer may read: they speak only of the customer's points."""


def _customer_reasons(decision: Decision, benefit: str, award: Award) -> tuple[str, ...]:
    """Why, as the customer reads it: never a decision maker's free text or a rule's basis.

    A decision maker's reason or a Special Rules award's reasons could reveal what the
    customer must not be told (a third party's claim, a prognosis): plain template text.
    """
    if decision.rule_id in _EXPLAINED_RULES:
        return decision.reasons
    if award.entitled:
        return (f"We decided that you are entitled to {benefit}.",)
    return (f"We decided that you are not entitled to {benefit}.",)


def _rights(claim: SelfServiceClaim) -> tuple[Right, ...]:
    """What the customer may still do about the decision, with the last day for each."""
    decided_on = claim.decided_on
    if decided_on is None:
        return ()
    if claim.dispute == "none":
        rights = []
        if claim.statement_of_reasons_asked_on is None:
            last_day = within_months_of(decided_on, 1)
            rights.append(
                Right(
                    kind="statement_of_reasons",
                    text="Ask us to explain our decision in writing by "
                    f"{long_date(last_day)}. This gives you 14 more days to ask us to "
                    "look at it again.",
                    by=last_day,
                )
            )
        last_day = reconsideration_deadline(
            decided_on, claim.statement_of_reasons_asked_on is not None
        )
        rights.append(
            Right(
                kind="reconsideration",
                text="If you disagree, ask us to look at the decision again "
                f"(mandatory reconsideration) by {long_date(last_day)}.",
                by=last_day,
            )
        )
        return tuple(rights)
    return claim.rights if claim.dispute == "reconsidered" else ()


def _next_step(benefit: BenefitType, status: ClaimStatus, due_on: date | None) -> NextStep | None:
    if status is ClaimStatus.STARTED:
        if benefit is BenefitType.PIP:
            return NextStep(who="us", text="We will send you a questionnaire (PIP2) to fill in.")
        return NextStep(who="us", text="We are looking at your claim and will write to you.")
    if status is ClaimStatus.AWAITING_QUESTIONNAIRE and due_on is not None:
        return NextStep(
            who="you",
            text=f"Return your questionnaire (PIP2) by {long_date(due_on)}.",
            by=due_on,
        )
    if status is ClaimStatus.AWAITING_ASSESSMENT:
        return NextStep(
            who="us",
            text="A health professional will assess how your condition affects you. "
            "We will contact you to arrange it.",
        )
    if status is ClaimStatus.AWAITING_DECISION:
        return NextStep(who="us", text="We will write to you with our decision.")
    return None


class SelfServiceBatch(OwnersBatch, Protocol):
    """What the self-service projection asks of a view batch: its own table, and owners."""

    def prefetch_self_service(self, customer_ids: Iterable[UUID]) -> None:
        """Read many customers' documents at once (a store may answer self_service then)."""
        return None  # a hint: a store that does not prefetch reads each document when asked

    def self_service(self, customer_id: UUID) -> SelfServiceView | None:
        """A customer's self-service document as stored."""
        ...

    def put_self_service(self, view: SelfServiceView) -> None:
        """Store a customer's self-service document."""
        ...


class SelfServiceProjection(Projection[SelfServiceBatch]):
    """One document per customer, rewritten once per batch whatever the number of events."""

    name = "self_service"
    tables = ("view_self_service",)

    def apply(self, events: Sequence[LoggedEvent], batch: SelfServiceBatch) -> None:
        """Fold each event into its customer's document; store each touched document once."""
        touched: dict[UUID, SelfServiceView] = {}
        prefetch_owners(events, batch)
        owners = [owner_of(logged, batch) for logged in events]
        batch.prefetch_self_service({owner for owner in owners if owner is not None})
        for logged, customer_id in zip(events, owners, strict=True):
            if customer_id is None:
                continue
            current = touched.get(customer_id) or batch.self_service(customer_id)
            changed = _fold(current, logged)
            if changed is not None:
                touched[customer_id] = changed
        for view in touched.values():
            batch.put_self_service(view)


def _fold(view: SelfServiceView | None, logged: LoggedEvent) -> SelfServiceView | None:
    """The document after one event (None when the event does not concern a document)."""
    event = logged.event
    if isinstance(event, Customer.Registered):
        return SelfServiceView(
            customer_id=event.originator_id, name=event.name, position=logged.position
        )
    if view is None:
        return None
    view = view.model_copy(update={"position": logged.position})
    if isinstance(event, Customer.Event):
        return _fold_customer(view, event)
    if isinstance(event, Claim.Event):
        return _fold_claim(view, event)
    if isinstance(event, Debt.Event):
        return fold_debt(view, event)
    if concerns_transition(event):
        return _fold_transition(view, event)
    return view


def _fold_transition(view: SelfServiceView, event: JourneyAggregate.Event) -> SelfServiceView:
    updates = transition_updates(event)
    if isinstance(event, DlaToPipTransition.DlaEndDecided):
        # The customer may learn that their questionnaire came back too late, never that
        # a terminal-illness limb of the rule applied (a Special Rules claim stays unsaid).
        basis = DLA_PIP_DLA_END_DATE.outcome_of(event.decision).basis
        updates["negative_determination"] = basis is DlaEndBasis.NEGATIVE_DETERMINATION
    elif isinstance(event, DlaToPipTransition.DlaReinstated):
        updates["negative_determination"] = False
    if isinstance(event, DlaToPipTransition.Started):
        section = SelfServiceTransition(stage=updates["stage"], summary="", dla="")
    elif view.dla_to_pip is None:
        return view
    else:
        section = view.dla_to_pip
    section = apply_updates(section, updates)
    return view.model_copy(update={"dla_to_pip": render_transition(section)})


def _fold_customer(view: SelfServiceView, event: Customer.Event) -> SelfServiceView:
    if isinstance(event, Customer.SupportMarkerAdded):
        support = [s for s in view.support if s.need != event.marker.need.value]
        support.append(
            DeclaredSupport(
                need=event.marker.need.value,
                duration=event.marker.duration.value,
                since=event.effective_date,
            )
        )
        return view.model_copy(update={"support": tuple(support)})
    if isinstance(event, Customer.SupportMarkerRemoved):
        remaining = tuple(s for s in view.support if s.need != event.need.value)
        return view.model_copy(update={"support": remaining})
    if isinstance(event, Customer.AppointeeAppointed):
        return view.model_copy(update={"appointee": event.appointee.name})
    if isinstance(event, Customer.AppointeeEnded):
        return view.model_copy(update={"appointee": None})
    if isinstance(event, Customer.CircumstancesChanged):
        change = ReportedChange(effective_date=event.effective_date, description=event.description)
        return view.model_copy(update={"reported_changes": (*view.reported_changes, change)})
    if isinstance(event, Customer.PersonalDataErased):
        # What a rebuild gives once the customer's key is gone: every personal field erased.
        changes = tuple(c.model_copy(update={"description": ERASED}) for c in view.reported_changes)
        return view.model_copy(
            update={
                "name": ERASED,
                "appointee": ERASED if view.appointee is not None else None,
                "reported_changes": changes,
            }
        )
    return view


def _fold_claim(view: SelfServiceView, event: Claim.Event) -> SelfServiceView:
    claims = {c.claim_id: c for c in view.claims}
    if isinstance(event, Claim.Started):
        # Who made the claim (claimant_role) is deliberately not copied: a third party's
        # Special Rules claim must never be revealed to the customer.
        status = ClaimStatus.STARTED
        claims[event.originator_id] = SelfServiceClaim(
            claim_id=event.originator_id,
            benefit=event.benefit.value,
            made_on=event.effective_date,
            status=status.value,
            status_text=_STATUS_TEXT[status],
            next_step=_next_step(event.benefit, status, None),
        )
    elif event.originator_id in claims:
        claims[event.originator_id] = _fold_claim_event(claims[event.originator_id], event)
    return view.model_copy(update={"claims": tuple(claims.values())})


def _with_status(
    claim: SelfServiceClaim, status: ClaimStatus, due_on: date | None = None
) -> SelfServiceClaim:
    return claim.model_copy(
        update={
            "status": status.value,
            "status_text": _STATUS_TEXT[status],
            "next_step": _next_step(BenefitType(claim.benefit), status, due_on),
        }
    )


def _decided(
    claim: SelfServiceClaim, status: ClaimStatus, on: date, award: Award, reasons: Sequence[str]
) -> SelfServiceClaim:
    decided = _with_status(claim, status).model_copy(
        update={
            "decided_on": on,
            "award": _award_summary(claim.benefit, award),
            "decision_reasons": tuple(reasons),
        }
    )
    return decided.model_copy(update={"rights": _rights(decided)})


def _status_after(award: Award, current: str) -> ClaimStatus:
    if not award.entitled and current == ClaimStatus.DISALLOWED.value:
        return ClaimStatus.DISALLOWED
    return ClaimStatus.AWARDED if award.entitled else ClaimStatus.NOT_AWARDED


def _fold_claim_event(claim: SelfServiceClaim, event: Claim.Event) -> SelfServiceClaim:
    if isinstance(event, Claim.QuestionnaireIssued):
        return _with_status(claim, ClaimStatus.AWAITING_QUESTIONNAIRE, event.due_on)
    if isinstance(event, Claim.QuestionnaireReturned):
        return _with_status(claim, ClaimStatus.AWAITING_ASSESSMENT)
    if isinstance(event, Claim.AssessmentRecorded):
        return _with_status(claim, ClaimStatus.AWAITING_DECISION)
    if isinstance(event, Claim.Withdrawn):
        return _with_status(claim, ClaimStatus.WITHDRAWN)
    if isinstance(event, Claim.FastTracked):
        # Nothing says why the claim needs no forms: it just waits for our decision.
        return claim.model_copy(
            update={
                "status": ClaimStatus.AWAITING_DECISION.value,
                "status_text": _STATUS_TEXT[ClaimStatus.STARTED],
                "next_step": NextStep(
                    who="us", text="We are looking at your claim and will write to you."
                ),
            }
        )
    if isinstance(event, Claim.GoodReasonAccepted):
        # The disallowance no longer stands: nothing of it (date, reasons, rights) is left.
        return _with_status(claim, ClaimStatus.AWAITING_QUESTIONNAIRE, event.due_on).model_copy(
            update={
                "decided_on": None,
                "statement_of_reasons_asked_on": None,
                "award": None,
                "rights": (),
                "decision_reasons": (
                    "We accepted your reason for not sending your questionnaire back in time.",
                ),
            }
        )
    if isinstance(event, Claim.Disallowed):
        reasons = list(event.reasons)
        if event.grounds is DisallowanceGrounds.QUESTIONNAIRE_NOT_RETURNED:
            reasons.insert(0, "We did not get your questionnaire back in time.")
        return _decided(claim, ClaimStatus.DISALLOWED, event.effective_date, Award.nil(), reasons)
    if isinstance(event, Claim.AwardDecided):
        status = ClaimStatus.AWARDED if event.award.entitled else ClaimStatus.NOT_AWARDED
        return _decided(
            claim,
            status,
            event.effective_date,
            event.award,
            _customer_reasons(event.decision, claim.benefit, event.award),
        )
    if isinstance(event, Claim.StatementOfReasonsRequested):
        asked = claim.model_copy(update={"statement_of_reasons_asked_on": event.effective_date})
        return asked.model_copy(update={"rights": _rights(asked)})
    if isinstance(event, Claim.ReconsiderationRequested):
        return claim.model_copy(
            update={
                "dispute": "reconsideration_requested",
                "rights": (),
                "next_step": NextStep(
                    who="us",
                    text="We are looking at your decision again and will write to you.",
                ),
            }
        )
    if isinstance(event, Claim.ReconsiderationDecided):
        last_day = appeal_deadline(event.effective_date)
        outcome = "changed" if event.revised else "not changed"
        status = _status_after(event.award, claim.status)
        return _with_status(claim, status).model_copy(
            update={
                "dispute": "reconsidered",
                "award": _award_summary(claim.benefit, event.award),
                "decision_reasons": (f"We looked at the decision again: it was {outcome}.",),
                "rights": (
                    Right(
                        kind="appeal",
                        text="If you still disagree, you can appeal to the tribunal by "
                        f"{long_date(last_day)}.",
                        by=last_day,
                    ),
                ),
            }
        )
    if isinstance(event, Claim.AppealLodged):
        return claim.model_copy(
            update={
                "dispute": "appeal_lodged",
                "rights": (),
                "next_step": NextStep(
                    who="us", text="Your appeal is with the tribunal. We will tell you the outcome."
                ),
            }
        )
    if isinstance(event, Claim.RevisedDuringAppeal):
        lapsed = event.decision.effective_outcome.get("lapses") is True
        status = _status_after(event.award, claim.status)
        return _with_status(claim, status).model_copy(
            update={
                "dispute": "appeal_lapsed" if lapsed else "appeal_lodged",
                "award": _award_summary(claim.benefit, event.award),
                "next_step": None
                if lapsed
                else NextStep(
                    who="us",
                    text="We changed our decision; your appeal goes on with the tribunal.",
                ),
                "decision_reasons": (
                    "We changed our decision in your favour, so your appeal has ended."
                    if lapsed
                    else "We changed our decision while your appeal goes on.",
                ),
            }
        )
    if isinstance(event, Claim.AwardUprated) and claim.award is not None:
        return claim.model_copy(update={"award": _with_amounts(claim.award, event)})
    if isinstance(event, Claim.AppealDecided):
        status = _status_after(event.award, claim.status)
        outcome = "allowed" if event.allowed else "dismissed"
        return _with_status(claim, status).model_copy(
            update={
                "dispute": "appeal_decided",
                "award": _award_summary(claim.benefit, event.award),
                "decision_reasons": (f"The tribunal {outcome} your appeal.",),
                "rights": (),
            }
        )
    return claim
