"""Case items of kind special_rules: how this area's events open, change and close them.

One item per Special Rules case (its id is the case's). It is open while any fast-tracked
claim waits for its decision, due on the soonest clearance target and at risk from the day
the rule gives; it closes when every fast-tracked claim is decided (or the definition was
not met, or the customer died) and opens again when an award-end reminder falls due.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.aggregate import JourneyAggregate
from domain.rules.special_rules import (
    SPECIAL_RULES_CLEARANCE_TARGET,
    SPECIAL_RULES_DEBT_RECOVERY,
    SPECIAL_RULES_DEFINITION,
)
from domain.special_rules import SpecialRulesCase
from projections.case_items.batch import CaseItems
from projections.model import CaseItem, CaseItemKind
from projections.projection import LoggedEvent

Case = SpecialRulesCase

_EVENTS = (
    Case.Opened,
    Case.EvidenceRecorded,
    Case.ClaimConsidered,
    Case.DebtRecoveryPolicyApplied,
    Case.ClaimDecided,
    Case.AwardEndReminderDue,
    Case.Closed,
)

_WITHHELD = " (third-party claim: do not tell the customer it is under the Special Rules)"


def update_special_rules(logged: LoggedEvent, customer_id: UUID | None, batch: CaseItems) -> None:
    """Open, change or close this area's case items for one event (others are ignored)."""
    event = logged.event
    if not isinstance(event, _EVENTS):
        return
    if isinstance(event, Case.Opened):
        item = CaseItem(
            item_id=event.originator_id,
            kind=CaseItemKind.SPECIAL_RULES,
            customer_id=event.customer_id,
            status="evidence_received",
            open=True,
            opened_on=event.effective_date,
            title="Special Rules: SR1 received",
            details={"claims": {}, "basis_withheld": False},
            updated_position=logged.position,
        )
        batch.put_case_item(item)
        return
    current = batch.case_item(event.originator_id)
    if current is None:
        return
    changed = _change(current, event)
    if changed is not None:
        batch.put_case_item(changed.model_copy(update={"updated_position": logged.position}))


def _change(item: CaseItem, event: JourneyAggregate.Event) -> CaseItem | None:
    details: dict[str, Any] = {**item.details, "claims": dict(item.details.get("claims", {}))}
    if isinstance(event, Case.EvidenceRecorded):
        details["sr1"] = {
            "received_on": event.effective_date.isoformat(),
            "signer_role": event.evidence.signer_role.value,
            "signed_on": event.evidence.signed_on.isoformat(),
            "claim_id": str(event.claim_id),
        }
        details["basis_withheld"] = bool(details.get("basis_withheld")) or event.basis_withheld
    elif isinstance(event, Case.ClaimConsidered):
        definition = SPECIAL_RULES_DEFINITION.outcome_of(event.definition)
        entry: dict[str, Any] = {
            "benefit": event.benefit.value,
            "claim_date": event.claim_date.isoformat(),
            "definition_met": definition.met,
            "window_months": definition.window_months,
            "target_on": None,
            "at_risk_from": None,
            "decided_on": None,
            "award_ends_on": None,
        }
        if event.clearance is not None:
            target = SPECIAL_RULES_CLEARANCE_TARGET.outcome_of(event.clearance)
            entry["target_on"] = target.target_on.isoformat()
            entry["at_risk_from"] = target.at_risk_from.isoformat()
        details["claims"][str(event.claim_id)] = entry
    elif isinstance(event, Case.DebtRecoveryPolicyApplied):
        details["debt_recovery"] = SPECIAL_RULES_DEBT_RECOVERY.outcome_of(
            event.decision
        ).model_dump(mode="json")
    elif isinstance(event, Case.ClaimDecided):
        key = str(event.claim_id)
        details["claims"][key] = {
            **details["claims"][key],
            "decided_on": event.effective_date.isoformat(),
            "award_ends_on": event.award_ends_on.isoformat() if event.award_ends_on else None,
        }
    elif isinstance(event, Case.AwardEndReminderDue):
        return _award_ending(item, details, event)
    elif isinstance(event, Case.Closed):
        return item.model_copy(
            update={
                "status": "closed",
                "open": False,
                "closed_on": event.effective_date,
                "title": "Special Rules case closed: death notified",
                "details": {**details, "closed_reason": event.reason},
            }
        )
    else:
        return None
    if item.status == "closed":
        return item.model_copy(update={"details": details})
    return _worked_out(item, details, _effective_date(event))


def _effective_date(event: JourneyAggregate.Event) -> date:
    value = getattr(event, "effective_date", None)
    return value if isinstance(value, date) else event.timestamp.date()


def _worked_out(item: CaseItem, details: dict[str, Any], on: date) -> CaseItem:
    """Status, dates and title from the claims: open while any fast-tracked claim waits."""
    claims: dict[str, dict[str, Any]] = details["claims"]
    waiting = sorted(
        (c for c in claims.values() if c["definition_met"] and c["decided_on"] is None),
        key=lambda c: str(c["target_on"]),
    )
    details["outstanding"] = [
        {"claim_id": claim_id, "benefit": c["benefit"], "target_on": c["target_on"]}
        for claim_id, c in claims.items()
        if c["definition_met"] and c["decided_on"] is None
    ]
    withheld = _WITHHELD if details.get("basis_withheld") else ""
    update: dict[str, Any] = {"details": details}
    if waiting:
        benefits = ", ".join(sorted({c["benefit"] for c in waiting}))
        due_on = date.fromisoformat(waiting[0]["target_on"])
        update |= {
            "status": "fast_tracked",
            "open": True,
            "due_on": due_on,
            "at_risk_from": min(date.fromisoformat(c["at_risk_from"]) for c in waiting),
            "closed_on": None,
            "title": f"Special Rules: decide {benefits} by {due_on.isoformat()}{withheld}",
        }
    elif any(c["definition_met"] for c in claims.values()):
        update |= {
            "status": "cleared",
            "open": False,
            "closed_on": on,
            "title": f"Special Rules: every fast-tracked claim decided{withheld}",
        }
    elif claims:
        update |= {
            "status": "not_met",
            "open": False,
            "closed_on": on,
            "title": "Special Rules: SR1 does not meet the definition; decide as usual",
        }
    return item.model_copy(update=update)


def _award_ending(
    item: CaseItem, details: dict[str, Any], event: SpecialRulesCase.AwardEndReminderDue
) -> CaseItem:
    ends = [day.isoformat() for day in event.award_ends_on]
    due_on = min(event.award_ends_on) if event.award_ends_on else item.due_on
    return item.model_copy(
        update={
            "status": "award_ending",
            "open": True,
            "due_on": due_on,
            "at_risk_from": event.effective_date,
            "closed_on": None,
            "title": "Special Rules award ends on " + ", ".join(ends) + ": review before then",
            "details": {**details, "award_end_reminder": {"on": event.effective_date.isoformat()}},
        }
    )
