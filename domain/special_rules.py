"""A customer's Special Rules case: the SR1, the claims it fast-tracks and their targets.

RULES.md section 4. One case per customer (its id derives from the customer's). The SR1
is checked against the definition in force on each claim's date; every claim that meets it
goes on the fast-track with a 3-working-day clearance target, and the debt recovery policy
is decided once. Deciding a claim may set a caseworker reminder before the award ends
(never a customer letter). Death closes the case and cancels its deadlines.
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import Enum
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import event
from pydantic import Field

from domain.deadlines import Deadline, WithDeadlines
from domain.decisions import Decision
from domain.errors import (
    ClaimHistoryInconsistent,
    InvalidClaimDate,
    NotFastTracked,
    SpecialRulesCaseClosed,
    Sr1SignerNotAccepted,
)
from domain.obligations import SYSTEM_WORDING, NoLetter, implies
from domain.rules.special_rules import (
    SPECIAL_RULES_CLEARANCE_TARGET,
    SPECIAL_RULES_DEBT_RECOVERY,
    SPECIAL_RULES_DEFINITION,
    ClearanceFacts,
    ClinicianRole,
    DebtRecoveryFacts,
    DefinitionFacts,
)
from domain.values import BenefitType, EventRef, ValueObject

_CASE_NAMESPACE = uuid.UUID("5d0c2b7e-9a61-4f2e-8c3d-1e7a4b9f6d20")

AWARD_END_REMINDER = "special_rules.award_end_reminder"
"""The action of the deadline that reminds a caseworker that a fast-tracked award ends."""


def special_rules_case_id_for(customer_id: UUID) -> UUID:
    """The id of a customer's Special Rules case."""
    return uuid.uuid5(_CASE_NAMESPACE, str(customer_id))


class Sr1Evidence(ValueObject):
    """What the SR1 form says and who signed it."""

    signer_role: ClinicianRole
    signer_name: str = Field(min_length=1)
    signed_on: date
    progressive_disease: bool
    death_expected_within_months: int = Field(ge=1, le=120)


class ClaimToConsider(ValueObject):
    """A claim of the customer, with the facts the definition needs."""

    claim_id: UUID
    benefit: BenefitType
    claim_date: date
    claim_event: EventRef


class CaseStatus(Enum):
    """Where the Special Rules case is."""

    EVIDENCE_RECEIVED = "evidence_received"
    FAST_TRACKED = "fast_tracked"
    NOT_MET = "not_met"
    CLEARED = "cleared"
    CLOSED = "closed"


class FastTrackedClaim(ValueObject):
    """A claim on the fast-track, its target and (once decided) when its award ends."""

    claim_id: UUID
    benefit: BenefitType
    target_on: date
    at_risk_from: date
    decided_on: date | None = None
    award_ends_on: date | None = None
    reminder_on: date | None = None


_NOT_TOLD = NoLetter("nothing is sent: a letter could reveal the Special Rules basis")


class SpecialRulesCase(WithDeadlines):
    """One customer's Special Rules case."""

    noun = "Special Rules case"

    @implies(
        timeline=lambda e: "Special Rules case opened",
        letter=_NOT_TOLD,
    )
    class Opened(WithDeadlines.Created):
        """The first SR1 for the customer arrived."""

        customer_id: UUID
        effective_date: date

    @staticmethod
    def create_id(customer_id: UUID, **_: object) -> UUID:
        """One case per customer."""
        return special_rules_case_id_for(customer_id)

    @classmethod
    def open(cls, customer_id: UUID, today: date) -> SpecialRulesCase:
        """Open the customer's case (the evidence is recorded next, in the same save)."""
        return cls(customer_id=customer_id, effective_date=today)

    @event(Opened)
    def __init__(self, customer_id: UUID, effective_date: date) -> None:
        self._init_deadlines()
        self.customer_id = customer_id
        self.opened_on = effective_date
        self.evidence: Sr1Evidence | None = None
        self.evidence_received_on: date | None = None
        self.evidence_event: EventRef | None = None
        self.basis_withheld = False
        self.claims: dict[UUID, FastTrackedClaim] = {}
        self.not_met: dict[UUID, Decision] = {}
        self.debt_policy: Decision | None = None
        self.closed_on: date | None = None

    # -- state ----------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """True once death closed the case."""
        return self.closed_on is not None

    @property
    def stands(self) -> bool:
        """True while the case fast-tracks the customer's claims (new ones too)."""
        return not self.closed and bool(self.claims)

    @property
    def status(self) -> CaseStatus:
        """Where the case is."""
        if self.closed:
            return CaseStatus.CLOSED
        if self.outstanding:
            return CaseStatus.FAST_TRACKED
        if self.claims:
            return CaseStatus.CLEARED
        return CaseStatus.NOT_MET if self.not_met else CaseStatus.EVIDENCE_RECEIVED

    @property
    def outstanding(self) -> list[FastTrackedClaim]:
        """Fast-tracked claims not yet decided."""
        return [claim for claim in self.claims.values() if claim.decided_on is None]

    def _refuse_if_closed(self, action: str) -> None:
        if self.closed:
            raise SpecialRulesCaseClosed(f"cannot {action}: the Special Rules case is closed")

    # -- evidence -------------------------------------------------------------------------------

    @implies(
        timeline=lambda e: (
            f"SR1 received on {e.effective_date.isoformat()}, signed by a "
            f"{e.evidence.signer_role.value}"
            + (": third-party claim, do not tell the customer" if e.basis_withheld else "")
        ),
        letter=_NOT_TOLD,
    )
    class EvidenceRecorded(WithDeadlines.Event):
        """An SR1 arrived with a claim (basis_withheld: the customer must not be told)."""

        effective_date: date
        evidence: Sr1Evidence
        claim_id: UUID
        basis_withheld: bool

    def record_evidence(
        self, *, evidence: Sr1Evidence, claim_id: UUID, received_on: date, basis_withheld: bool
    ) -> None:
        """Record an SR1; only the clinicians the definition names may sign one."""
        self._refuse_if_closed("record an SR1")
        if evidence.signed_on > received_on:
            raise InvalidClaimDate(
                f"signed_on {evidence.signed_on.isoformat()} is after the SR1 arrived "
                f"({received_on.isoformat()})",
                field="signed_on",
            )
        accepted = SPECIAL_RULES_DEFINITION.version_in_force(received_on).parameters
        if evidence.signer_role not in accepted.accepted_signers:
            raise Sr1SignerNotAccepted(
                f"signer_role: an SR1 signed by a {evidence.signer_role.value} is not accepted; "
                "it must come from " + ", ".join(role.value for role in accepted.accepted_signers)
            )
        self._evidence_recorded(
            effective_date=received_on,
            evidence=evidence,
            claim_id=claim_id,
            basis_withheld=basis_withheld,
        )

    @event(EvidenceRecorded)
    def _evidence_recorded(
        self, effective_date: date, evidence: Sr1Evidence, claim_id: UUID, basis_withheld: bool
    ) -> None:
        self.evidence = evidence
        self.evidence_received_on = effective_date
        self.evidence_event = EventRef(aggregate_id=self.id, version=self.version + 1)
        self.basis_withheld = self.basis_withheld or basis_withheld

    # -- claims ---------------------------------------------------------------------------------

    @implies(
        timeline=lambda e: (
            f"Special Rules definition for the {e.benefit.value} claim: "
            + ("met, fast-tracked" if e.clearance is not None else "not met")
        ),
        letter=_NOT_TOLD,
    )
    class ClaimConsidered(WithDeadlines.Event):
        """The definition in force on a claim's date was applied to the SR1.

        When it is met the claim is fast-tracked with a clearance target (clearance).
        """

        effective_date: date
        claim_id: UUID
        benefit: BenefitType
        claim_date: date
        definition: Decision
        clearance: Decision | None

    def consider_claim(self, claim: ClaimToConsider, today: date) -> bool:
        """Apply the definition to a claim; True when it goes on the fast-track."""
        self._refuse_if_closed("fast-track a claim")
        evidence = self.evidence
        received_on = self.evidence_received_on
        evidence_event = self.evidence_event
        if evidence is None or received_on is None or evidence_event is None:
            raise ClaimHistoryInconsistent("the Special Rules case has no SR1 recorded")
        definition = SPECIAL_RULES_DEFINITION.decide(
            DefinitionFacts(
                benefit=claim.benefit,
                claim_date=claim.claim_date,
                signer=evidence.signer_role,
                progressive_disease=evidence.progressive_disease,
                death_expected_within_months=evidence.death_expected_within_months,
            ),
            on=claim.claim_date,
            sources={"evidence": evidence_event, "claim_date": claim.claim_event},
        )
        clearance = None
        if definition.outcome.met:
            clearance = SPECIAL_RULES_CLEARANCE_TARGET.decide(
                ClearanceFacts(received_on=max(received_on, claim.claim_date)),
                on=max(received_on, claim.claim_date),
                sources={"received_on": evidence_event},
            ).record
        self._claim_considered(
            effective_date=today,
            claim_id=claim.claim_id,
            benefit=claim.benefit,
            claim_date=claim.claim_date,
            definition=definition.record,
            clearance=clearance,
        )
        if definition.outcome.met and self.debt_policy is None:
            self._apply_debt_policy(today)
        return definition.outcome.met

    @event(ClaimConsidered)
    def _claim_considered(
        self,
        effective_date: date,
        claim_id: UUID,
        benefit: BenefitType,
        claim_date: date,
        definition: Decision,
        clearance: Decision | None,
    ) -> None:
        if clearance is None:
            self.not_met[claim_id] = definition
            return
        target = SPECIAL_RULES_CLEARANCE_TARGET.outcome_of(clearance)
        self.not_met.pop(claim_id, None)
        self.claims[claim_id] = FastTrackedClaim(
            claim_id=claim_id,
            benefit=benefit,
            target_on=target.target_on,
            at_risk_from=target.at_risk_from,
        )

    @implies(
        timeline=lambda e: "Debt recovery policy for Special Rules applied",
        letter=_NOT_TOLD,
    )
    class DebtRecoveryPolicyApplied(WithDeadlines.Event):
        """The department's debt recovery policy for a Special Rules customer, decided."""

        effective_date: date
        decision: Decision

    def _apply_debt_policy(self, today: date) -> None:
        decided = SPECIAL_RULES_DEBT_RECOVERY.decide(
            DebtRecoveryFacts(special_rules_from=today),
            on=today,
            sources={"evidence": self.evidence_event} if self.evidence_event else None,
        )
        self._debt_recovery_policy_applied(effective_date=today, decision=decided.record)

    @event(DebtRecoveryPolicyApplied)
    def _debt_recovery_policy_applied(self, effective_date: date, decision: Decision) -> None:
        self.debt_policy = decision

    @implies(
        timeline=lambda e: (
            f"Special Rules claim decided on {e.effective_date.isoformat()}"
            + (f"; award ends {e.award_ends_on.isoformat()}" if e.award_ends_on else "")
        ),
        letter=_NOT_TOLD,
    )
    class ClaimDecided(WithDeadlines.Event):
        """A fast-tracked claim was decided (its award's end, if it has one, and reminder)."""

        effective_date: date
        claim_id: UUID
        award_ends_on: date | None
        reminder_on: date | None

    def claim_decided(
        self,
        claim_id: UUID,
        *,
        decided_on: date,
        award_ends_on: date | None,
        reminder_on: date | None,
        today: date,
    ) -> None:
        """Record a fast-tracked claim's decision; remind a caseworker before the award ends."""
        self._refuse_if_closed("record a decision")
        claim = self.claims.get(claim_id)
        if claim is None or claim.decided_on is not None:
            raise NotFastTracked(f"claim {claim_id} is not waiting on this Special Rules case")
        self._claim_decided(
            effective_date=decided_on,
            claim_id=claim_id,
            award_ends_on=award_ends_on,
            reminder_on=reminder_on,
        )
        if reminder_on is not None and award_ends_on is not None:
            self._set_deadline(
                AWARD_END_REMINDER,
                reminder_on,
                f"remind a caseworker that the {claim.benefit.value} award ends on "
                f"{award_ends_on.isoformat()}",
                today,
            )

    @event(ClaimDecided)
    def _claim_decided(
        self,
        effective_date: date,
        claim_id: UUID,
        award_ends_on: date | None,
        reminder_on: date | None,
    ) -> None:
        self.claims[claim_id] = self.claims[claim_id].model_copy(
            update={
                "decided_on": effective_date,
                "award_ends_on": award_ends_on,
                "reminder_on": reminder_on,
            }
        )

    @implies(
        timeline=lambda e: (
            "Special Rules award ends soon: "
            + ", ".join(day.isoformat() for day in e.award_ends_on)
        ),
        letter=_NOT_TOLD,
    )
    class AwardEndReminderDue(WithDeadlines.Event):
        """A caseworker must act: a fast-tracked award ends soon (no customer letter)."""

        effective_date: date
        award_ends_on: tuple[date, ...]

    def _on_deadline(self, deadline: Deadline, today: date) -> None:
        if deadline.action == AWARD_END_REMINDER and not self.closed:
            ends = tuple(
                sorted(
                    claim.award_ends_on
                    for claim in self.claims.values()
                    if claim.award_ends_on is not None and claim.reminder_on == deadline.fires_on
                )
            )
            self._award_end_reminder_due(effective_date=today, award_ends_on=ends)

    @event(AwardEndReminderDue)
    def _award_end_reminder_due(
        self, effective_date: date, award_ends_on: tuple[date, ...]
    ) -> None:
        pass

    # -- death ----------------------------------------------------------------------------------

    @implies(
        timeline=lambda e: f"Special Rules case closed: {e.reason}",
        letter=_NOT_TOLD,
    )
    class Closed(WithDeadlines.Event):
        """The case closed: the customer died."""

        effective_date: date
        reason: Annotated[str, SYSTEM_WORDING]  # e.g. death notified

    def close_on_death(self, date_of_death: date, today: date) -> None:
        """Close the case and cancel its deadlines (nothing more is sent or reminded)."""
        if self.closed:
            return
        self._cancel_deadlines(
            {d.action for d in self.pending_deadlines.values()}, "death notified", today
        )
        self._closed(effective_date=date_of_death, reason="death notified")

    @event(Closed)
    def _closed(self, effective_date: date, reason: str) -> None:
        self.closed_on = effective_date
