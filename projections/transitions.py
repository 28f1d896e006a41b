"""The DLA to PIP transition as caseworkers see it: one case per young person, and worklists.

`transition_updates` says what each event changes; the caseworker case and the customer's
self-service section both take their shared fields from it, so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol, TypeVar
from uuid import UUID

from pydantic import BaseModel

from domain.aggregate import JourneyAggregate
from domain.deadlines import WithDeadlines
from domain.rules.dla_to_pip import DLA_PIP_DLA_END_DATE, DLA_PIP_INVITATION_DATE
from domain.transition import STAGE_TEXT, Action, DlaToPipTransition, TransitionStage
from projections.model import (
    AgeReviewItem,
    TransitionCase,
    TransitionWorklist,
    TransitionWorklistItem,
)
from projections.projection import (
    LoggedEvent,
    OwnersBatch,
    Projection,
    long_date,
    owner_of,
    prefetch_owners,
)

ModelT = TypeVar("ModelT", bound=BaseModel)

_WAITING_FOR_INVITATION = {
    TransitionStage.AWAITING_INVITATION.value,
    TransitionStage.INVITATION_DEFERRED.value,
}
_OVER = {stage.value for stage in TransitionStage if stage.is_over}


def _stage(stage: TransitionStage) -> dict[str, Any]:
    return {"stage": stage.value, "stage_text": STAGE_TEXT[stage]}


def concerns_transition(event: JourneyAggregate.Event) -> bool:
    """True for the events `transition_updates` reads: the journey's own, and invitation dates.

    The invitation deadline says when the letter goes: on the rule's date, or later when
    the journey started after it, the young person left hospital, or a claim was withdrawn.
    """
    if isinstance(event, WithDeadlines.DeadlineSet):
        return event.deadline.action == Action.INVITE
    return isinstance(event, DlaToPipTransition.Event)


def transition_updates(event: JourneyAggregate.Event) -> dict[str, Any]:
    """The fields an event changes, by the names the case and the section share."""
    T = DlaToPipTransition  # noqa: N806 (a short alias for the event classes)
    if isinstance(event, WithDeadlines.DeadlineSet):
        return {"invite_on": event.deadline.fires_on} if concerns_transition(event) else {}
    if isinstance(event, T.Started):
        plan = DLA_PIP_INVITATION_DATE.outcome_of(event.invitation_plan)
        return {
            **_stage(TransitionStage.AWAITING_INVITATION),
            "transition_id": event.originator_id,
            "customer_id": event.customer_id,
            "dla_claim_id": event.dla.claim_id,
            "started_on": event.effective_date,
            "sixteenth_birthday": plan.sixteenth_birthday,
            "invite_on": plan.invite_on,
            "invitation_basis": plan.basis.value,
            "special_rules": event.dla.special_rules,
            "region": event.region.value,
            "had_dla_appointee": event.had_dla_appointee,
            "appointee_needed": event.had_dla_appointee,
        }
    if isinstance(event, T.HospitalAdmissionRecorded):
        return {"hospital_admitted_on": event.effective_date, "hospital_discharged_on": None}
    if isinstance(event, T.HospitalDischargeRecorded):
        return {"hospital_discharged_on": event.effective_date}
    if isinstance(event, T.InvitationDeferred):
        return _stage(TransitionStage.INVITATION_DEFERRED)
    if isinstance(event, T.InvitationIssued):
        return {
            **_stage(TransitionStage.INVITED),
            "invited_on": event.effective_date,
            "claim_by": event.claim_by,
        }
    if isinstance(event, T.DlaSuspended):
        return {**_stage(TransitionStage.DLA_SUSPENDED), "suspended_from": event.effective_date}
    if isinstance(event, T.SecondNoticeSent):
        return {"second_notice_on": event.effective_date, "second_claim_by": event.claim_by}
    if isinstance(event, T.PipClaimed):
        return {
            **_stage(TransitionStage.PIP_CLAIMED),
            "pip_claim_id": event.claim_id,
            "pip_claimed_on": event.effective_date,
            "claimed_in": event.claimed_in.value,
        }
    if isinstance(event, T.DlaRestarted):
        return {
            "restarted_on": event.effective_date,
            "unpaid_from": event.unpaid_from,
            "unpaid_to": event.unpaid_to,
        }
    if isinstance(event, T.PipClaimWithdrawn):
        return {
            **_stage(event.returned_to),
            "pip_claim_id": None,
            "pip_claimed_on": None,
            "claimed_in": None,
            "restarted_on": None,
            "unpaid_from": None,
            "unpaid_to": None,
            "dla_reinstated_on": None,
            "dla_arrears_from": None,
        }
    if isinstance(event, T.DlaTerminated):
        return {**_stage(TransitionStage.DLA_ENDED_NO_CLAIM), "dla_ends_on": event.effective_date}
    if isinstance(event, T.DlaEndDecided):
        return {
            **_stage(TransitionStage.DLA_ENDING),
            "dla_ends_on": event.dla_ends_on,
            "pip_starts_on": event.pip_starts_on,
            "dla_end_basis": DLA_PIP_DLA_END_DATE.outcome_of(event.decision).basis.value,
        }
    if isinstance(event, T.DlaEnded):
        return _stage(TransitionStage.COMPLETED)
    if isinstance(event, T.DlaReinstated):
        return {
            **_stage(TransitionStage.PIP_CLAIMED),
            "dla_ends_on": None,
            "pip_starts_on": None,
            "dla_end_basis": None,
            "dla_reinstated_on": event.effective_date,
            "dla_arrears_from": event.arrears_from,
        }
    if isinstance(event, T.NewAppointeeAppointed | T.AppointeeNotNeeded):
        return {"appointee_settled_on": event.effective_date}
    if isinstance(event, T.Closed):
        return _stage(TransitionStage.CLOSED)
    return {}


def apply_updates(model: ModelT, updates: dict[str, Any]) -> ModelT:
    """The model with the updates to the fields it has (others belong to the other view).

    `appointee_needed` follows from the other fields, as the journey's own property does:
    a DLA appointee acted, nobody was appointed for PIP (nor noted as not needed), and the
    journey goes on (a reinstatement after DLA ended brings the need back).
    """
    fields = type(model).model_fields
    changed = model.model_copy(update={k: v for k, v in updates.items() if k in fields})
    if "appointee_needed" not in fields:
        return changed
    needed = (
        bool(getattr(changed, "had_dla_appointee", False))
        and getattr(changed, "appointee_settled_on", None) is None
        and getattr(changed, "stage", None) not in _OVER
    )
    return changed.model_copy(update={"appointee_needed": needed})


def fold_case(
    case: TransitionCase | None, event: JourneyAggregate.Event, position: int
) -> TransitionCase | None:
    """The case after one event of its transition (None until the transition's start)."""
    if isinstance(event, DlaToPipTransition.Started):
        return TransitionCase(**transition_updates(event), position=position)
    if case is None:
        return None
    case = apply_updates(case, {**transition_updates(event), "position": position})
    if isinstance(event, DlaToPipTransition.AgeReviewDue):
        review = AgeReviewItem(age=event.age, due_on=event.effective_date)
        case = case.model_copy(update={"reviews_due": (*case.reviews_due, review)})
    elif isinstance(event, DlaToPipTransition.AgeReviewCompleted):
        remaining = tuple(r for r in case.reviews_due if r.age != event.age)
        case = case.model_copy(update={"reviews_due": remaining})
    return case


class TransitionBatch(OwnersBatch, Protocol):
    """What the DLA to PIP projection asks of a view batch: its own table, and owners."""

    def transition_case(self, transition_id: UUID) -> TransitionCase | None:
        """A transition's case as this batch last put it, else as stored."""
        ...

    def put_transition_case(self, case: TransitionCase) -> None:
        """Store a transition's case (its worklist columns follow from it)."""
        ...


class TransitionProjection(Projection[TransitionBatch]):
    """One case per transition, with the columns its worklists are read by."""

    name = "transitions"
    tables = ("view_transition",)

    def apply(self, events: Sequence[LoggedEvent], batch: TransitionBatch) -> None:
        """Fold each transition event into its case."""
        prefetch_owners(events, batch)
        for logged in events:
            owner_of(logged, batch)  # remembers whose transition a Started event opens
            event = logged.event
            if not concerns_transition(event):
                continue
            case = fold_case(batch.transition_case(event.originator_id), event, logged.position)
            if case is not None:
                batch.put_transition_case(case)


# -- worklists ------------------------------------------------------------------------------------

WORKLIST_COLUMN = {
    TransitionWorklist.INVITATIONS_DUE: "invite_on",
    TransitionWorklist.CLAIM_DEADLINES: "window_closes_on",
    TransitionWorklist.DLA_SUSPENDED: "window_closes_on",
    TransitionWorklist.APPOINTEE_NEEDED: "appointee_due_on",
    TransitionWorklist.AGE_REVIEWS_DUE: "review_due_on",
}
"""The view_transition column each worklist is ordered (and filtered) by."""


def worklist_columns(
    case: TransitionCase,
) -> tuple[date | None, date | None, date | None, date | None]:
    """invite_on, window_closes_on, appointee_due_on, review_due_on: NULL when not on the list."""
    invite_on = case.invite_on if case.stage in _WAITING_FOR_INVITATION else None
    window = None
    if case.stage == TransitionStage.INVITED.value:
        window = case.claim_by
    elif case.stage == TransitionStage.DLA_SUSPENDED.value:
        window = case.second_claim_by
    appointee = case.sixteenth_birthday if case.appointee_needed else None
    reviews = min((r.due_on for r in case.reviews_due), default=None)
    if case.stage in _OVER:
        reviews = None
    return invite_on, window, appointee, reviews


def worklist_item(case: TransitionCase, worklist: TransitionWorklist) -> TransitionWorklistItem:
    """The case as an item of a worklist: its due date and what needs doing."""
    invite_on, window, appointee, review = worklist_columns(case)
    if worklist is TransitionWorklist.INVITATIONS_DUE:
        due, detail = invite_on, f"PIP invitation due on {long_date(case.invite_on)}"
        if case.stage == TransitionStage.INVITATION_DEFERRED.value:
            detail = (
                f"Left hospital on {long_date(case.hospital_discharged_on)}: {detail}"
                if case.hospital_discharged_on is not None
                else "In hospital on the 16th birthday: invite when discharged"
            )
    elif worklist is TransitionWorklist.AGE_REVIEWS_DUE:
        ages = ", ".join(str(r.age) for r in case.reviews_due)
        due, detail = review, f"DLA award review due (age {ages})"
    elif worklist is TransitionWorklist.APPOINTEE_NEEDED:
        due, detail = (
            appointee,
            (
                "The DLA appointee does not carry over to PIP: appoint one for PIP, or record "
                "that none is needed"
            ),
        )
    elif case.stage == TransitionStage.DLA_SUSPENDED.value:
        suspended = long_date(case.suspended_from) if case.suspended_from else "the pay day"
        due, detail = (
            window,
            (
                f"DLA suspended from {suspended}; no PIP claim yet: DLA ends after "
                f"{long_date(window) if window else 'the second deadline'}"
            ),
        )
    else:
        due, detail = (
            window,
            (
                f"No PIP claim yet: DLA is suspended if none comes by "
                f"{long_date(window) if window else 'the deadline'}"
            ),
        )
    return TransitionWorklistItem(
        worklist=worklist,
        transition_id=case.transition_id,
        customer_id=case.customer_id,
        stage=case.stage,
        due_on=due or case.sixteenth_birthday,
        detail=detail,
    )
