"""Case items of the safeguarding kinds: concerns, six-point plans, lump sums, serious cases.

One item per aggregate (the item's id is the aggregate's). A concern is open until its
outcome, due on its due date; a six-point plan is open until every step that applies is
done; a lump sum is open while it is held for a colleague's check (one released at once
opens closed); a serious case is open until closed, due on its earliest open recommendation.
None of this is ever shown to the customer.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.aggregate import JourneyAggregate
from domain.concern import Concern
from domain.lump_sum import LumpSum
from domain.serious_case import SeriousCaseReferral
from domain.six_point_plan import PlanStep, SixPointPlan, applicable_steps
from domain.values import Actor, pounds
from projections.case_items.batch import CaseItems
from projections.model import CaseItem, CaseItemKind
from projections.projection import LoggedEvent

Referral = SeriousCaseReferral
_TITLE_TEXT = 80


def _short(text: str) -> str:
    return text if len(text) <= _TITLE_TEXT else text[: _TITLE_TEXT - 1] + "…"


def _who(actor: Actor) -> str:
    return actor.identifier or actor.kind.value


def update_safeguarding(logged: LoggedEvent, customer_id: UUID | None, batch: CaseItems) -> None:
    """Open, change or close this area's case items for one event (others are ignored)."""
    event = logged.event
    opened = _opened(event)
    if opened is not None:
        batch.put_case_item(opened.model_copy(update={"updated_position": logged.position}))
        return
    if not isinstance(event, Concern.Event | SixPointPlan.Event | LumpSum.Event | Referral.Event):
        return
    current = batch.case_item(event.originator_id)
    if current is None:
        return
    changed = _changed(current, event)
    if changed is not None:
        batch.put_case_item(changed.model_copy(update={"updated_position": logged.position}))


def _opened(event: JourneyAggregate.Event) -> CaseItem | None:
    if isinstance(event, Concern.Raised):
        about = f"policy: {event.policy}" if event.policy else "customer"
        return _item(
            event,
            CaseItemKind.CONCERN,
            customer_id=event.customer_id,
            status="open",
            due_on=event.due_on,
            owner=event.owner,
            title=f"Concern ({about}): {_short(event.description)}",
            details={
                "description": event.description,
                "policy": event.policy,
                "raised_by": _who(event.raised_by),
                "reassignments": [],
            },
        )
    if isinstance(event, SixPointPlan.Opened):
        return _item(
            event,
            CaseItemKind.SIX_POINT_PLAN,
            customer_id=event.customer_id,
            status=f"awaiting_{PlanStep.TAKEN_SERIOUSLY.value}",
            owner=_who(event.opened_by),
            title="Six-point plan: statement of suicide or self-harm",
            details={
                "statement": event.statement,
                "urgent": None,
                "steps": [],
                "outstanding": [step.value for step in _outstanding(None, set())],
            },
        )
    if isinstance(event, LumpSum.Proposed):
        return _item(
            event,
            CaseItemKind.LUMP_SUM,
            customer_id=event.customer_id,
            status="held",
            owner=_who(event.proposed_by),
            title=f"Lump sum of {pounds(event.amount_pence)} held for a colleague's check",
            details={
                "claim_id": str(event.claim_id),
                "amount_pence": event.amount_pence,
                "period_from": event.period_from.isoformat(),
                "period_to": event.period_to.isoformat(),
                "proposed_by": _who(event.proposed_by),
                "hold_reasons": list(event.hold_decision.reasons),
            },
        )
    if isinstance(event, Referral.Referred):
        return _item(
            event,
            CaseItemKind.SERIOUS_CASE,
            customer_id=event.customer_id,
            status="awaiting_panel",
            owner=_who(event.referred_by),
            title=f"Serious case referral: {_short(event.reason)}",
            details={"reason": event.reason, "recommendations": []},
        )
    return None


def _item(event: Any, kind: CaseItemKind, **fields: Any) -> CaseItem:
    return CaseItem(
        item_id=event.originator_id,
        kind=kind,
        open=True,
        opened_on=event.effective_date,
        updated_position=0,
        **fields,
    )


def _closed(item: CaseItem, status: str, on: date, details: dict[str, Any]) -> CaseItem:
    return item.model_copy(
        update={"status": status, "open": False, "closed_on": on, "details": details}
    )


def _changed(item: CaseItem, event: JourneyAggregate.Event) -> CaseItem | None:
    details: dict[str, Any] = dict(item.details)
    if isinstance(event, Concern.OwnerReassigned):
        details["reassignments"] = [
            *details.get("reassignments", []),
            {
                "on": event.effective_date.isoformat(),
                "from": event.previous_owner,
                "to": event.owner,
                "reason": event.reason,
            },
        ]
        return item.model_copy(update={"owner": event.owner, "details": details})
    if isinstance(event, Concern.OutcomeRecorded):
        details["outcome"] = event.outcome
        return _closed(item, "closed", event.effective_date, details)
    if isinstance(event, SixPointPlan.StepRecorded | SixPointPlan.Completed):
        return _plan_changed(item, event, details)
    if isinstance(event, LumpSum.Released):
        details["released_by"] = _who(event.released_by)
        details["check_note"] = event.check_note
        amount = pounds(int(details["amount_pence"]))
        closed = _closed(item, "released", event.effective_date, details)
        if event.check_note is None:
            return closed.model_copy(update={"title": f"Lump sum of {amount} released at once"})
        return closed.model_copy(update={"title": f"Lump sum of {amount} released after a check"})
    if isinstance(event, Referral.RecommendationMade | Referral.RecommendationCompleted):
        return _referral_changed(item, event, details)
    if isinstance(event, Referral.Closed):
        details["summary"] = event.summary
        return _closed(item, "closed", event.effective_date, details).model_copy(
            update={"due_on": None}
        )
    return None


def _outstanding(urgent: bool | None, done: set[PlanStep]) -> list[PlanStep]:
    steps = applicable_steps(urgent)
    if urgent is None:
        steps = (*steps, PlanStep.LINE_MANAGER_REVIEW)
    return [step for step in steps if step not in done]


def _plan_changed(
    item: CaseItem,
    event: SixPointPlan.StepRecorded | SixPointPlan.Completed,
    details: dict[str, Any],
) -> CaseItem:
    if isinstance(event, SixPointPlan.Completed):
        return _closed(item, "complete", event.effective_date, details)
    record = event.record
    details["steps"] = [*details.get("steps", []), record.model_dump(mode="json")]
    if record.details is not None:
        details["urgent"] = record.details.urgent
    done = {PlanStep(step["step"]) for step in details["steps"]}
    outstanding = _outstanding(details.get("urgent"), done)
    details["outstanding"] = [step.value for step in outstanding]
    status = f"awaiting_{outstanding[0].value}" if outstanding else "complete"
    return item.model_copy(update={"status": status, "details": details})


def _referral_changed(
    item: CaseItem,
    event: Referral.RecommendationMade | Referral.RecommendationCompleted,
    details: dict[str, Any],
) -> CaseItem:
    recommendations: list[dict[str, Any]] = [dict(r) for r in details.get("recommendations", [])]
    if isinstance(event, Referral.RecommendationMade):
        recommendations.append(event.recommendation.model_dump(mode="json"))
    else:
        for recommendation in recommendations:
            if recommendation["number"] == event.number:
                recommendation["outcome"] = event.outcome
                recommendation["completed_on"] = event.effective_date.isoformat()
    details["recommendations"] = recommendations
    still_open = sorted(
        (r for r in recommendations if r.get("completed_on") is None),
        key=lambda r: (r["due_on"], r["number"]),
    )
    if not still_open:
        return item.model_copy(
            update={"status": "recommendations_done", "due_on": None, "details": details}
        )
    first = still_open[0]
    return item.model_copy(
        update={
            "status": "recommendations_open",
            "due_on": date.fromisoformat(first["due_on"]),
            "owner": first["owner"],
            "details": details,
        }
    )
