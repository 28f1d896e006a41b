"""Caseworker worklists: claims waiting for the department, each with the date it is due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol
from uuid import UUID

from domain.claim import Claim
from projections.model import Worklist, WorklistItem, WorklistTargets
from projections.projection import (
    LoggedEvent,
    OwnersBatch,
    Projection,
    effective_date_of,
    long_date,
    owner_of,
    prefetch_owners,
)
from projections.store import ClaimOwner


class WorklistBatch(OwnersBatch, Protocol):
    """What the worklists projection asks of a view batch: its own table, and owners."""

    def put_worklist_item(self, item: WorklistItem) -> None:
        """Put a claim on a worklist (replacing whatever list it was on)."""
        ...

    def remove_worklist_item(self, claim_id: UUID) -> None:
        """Take a claim off the worklists."""
        ...


class WorklistProjection(Projection[WorklistBatch]):
    """A claim is on at most one worklist at a time: the step it waits for now."""

    name = "worklists"
    tables = ("view_worklist",)

    def __init__(self, targets: WorklistTargets | None = None) -> None:
        self.targets = targets or WorklistTargets()

    def apply(self, events: Sequence[LoggedEvent], batch: WorklistBatch) -> None:
        """Move claims between worklists as their events arrive."""
        prefetch_owners(events, batch)
        for logged in events:
            event = logged.event
            owner_of(logged, batch)  # remembers whose claim a Started event opens
            # Customer events (a death included) leave the lists alone: a deceased customer's
            # claims stay listed, because someone must still close them.
            if not isinstance(event, Claim.Event):
                continue
            if _closes_the_step(event):
                batch.remove_worklist_item(event.originator_id)
                continue
            claim = batch.claim_owner(event.originator_id)
            item = self._item_for(event, claim) if claim is not None else None
            if item is not None:
                batch.put_worklist_item(item)

    def _item(
        self,
        event: Claim.Event,
        claim: ClaimOwner,
        worklist: Worklist,
        due_on: date,
        detail: str,
    ) -> WorklistItem:
        return WorklistItem(
            worklist=worklist,
            claim_id=event.originator_id,
            customer_id=claim.customer_id,
            benefit=claim.benefit,
            due_on=due_on,
            since=effective_date_of(event) or event.timestamp.date(),
            detail=detail,
        )

    def _item_for(self, event: Claim.Event, claim: ClaimOwner) -> WorklistItem | None:
        targets = self.targets
        if isinstance(event, Claim.QuestionnaireIssued | Claim.GoodReasonAccepted):
            return self._item(
                event,
                claim,
                Worklist.QUESTIONNAIRES_OUTSTANDING,
                event.due_on,
                f"PIP2 due back by {long_date(event.due_on)}; overdue after that",
            )
        if isinstance(event, Claim.QuestionnaireReturned):
            due = event.effective_date + targets.assessment_after_questionnaire
            return self._item(
                event, claim, Worklist.ASSESSMENTS_DUE, due, "PIP2 returned: arrange the assessment"
            )
        if isinstance(event, Claim.AssessmentRecorded):
            due = event.effective_date + targets.decision_after_assessment
            return self._item(
                event, claim, Worklist.DECISIONS_DUE, due, "Assessment recorded: decide"
            )
        if isinstance(event, Claim.ReconsiderationRequested):
            due = event.effective_date + targets.reconsideration_after_request
            return self._item(
                event,
                claim,
                Worklist.RECONSIDERATIONS_DUE,
                due,
                # Not the grounds: a customer's words, which an erasure could not reach here
                # (the claim and its timeline show them while they exist).
                "Mandatory reconsideration asked for: look at the grounds and decide",
            )
        if isinstance(event, Claim.AppealLodged):
            due = event.effective_date + targets.appeal_response_after_lodging
            return self._item(
                event,
                claim,
                Worklist.APPEAL_RESPONSES_DUE,
                due,
                "Appeal lodged: send the response to the tribunal",
            )
        return None


def _closes_the_step(event: Claim.Event) -> bool:
    """True for events after which the claim waits for nothing from the department."""
    if isinstance(event, Claim.RevisedDuringAppeal):
        return event.decision.effective_outcome.get("lapses") is True
    return isinstance(
        event,
        Claim.Disallowed
        | Claim.AwardDecided
        | Claim.Withdrawn
        | Claim.ReconsiderationDecided
        | Claim.AppealDecided
        # No PIP2 or assessment is awaited: the Special Rules case item tracks the claim.
        | Claim.FastTracked,
    )
