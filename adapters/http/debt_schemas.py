"""Request and response bodies of the debt routes: frozen requests, no unknown fields.

Amounts are integer pence and must be above nothing (a 422 naming the field); what only the
rule in force can tell (the deduction cap, how long a pause may last, the balance) is left to
the domain, which refuses it with a message before anything is appended.

Two views of a debt: staff see its cause, the decisions recorded on it (rule id, version and
reasons) and why recovery stopped; the customer sees only customer-safe fields: never the
Special Rules basis of a suspension, never a waiver's grounds, never anyone's free text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from domain.debt import (
    Debt,
    DebtKind,
    DebtProposal,
    Movement,
    ProposalKind,
)
from domain.decisions import decisions_in
from domain.rules.debt import (
    AdvanceKind,
    DebtCause,
    HardshipKind,
    RecoveryMethod,
)
from domain.values import BenefitType
from services.commands import Command, Months, Pence


class ProposeForDebt(Command):
    """A proposal to try on one debt: a reduction or pause for some months, or a write-off."""

    debt_id: UUID
    kind: ProposalKind
    months: Months | None = Field(default=None, description="a reduction or pause only")
    reduced_per_period_pence: int | None = Field(
        default=None, ge=0, description="the lower amount a month (a reduction only)"
    )
    amount_pence: Pence | None = Field(default=None, description="a write-off only")
    starts_on: date | None = Field(
        default=None, description="when a reduction or pause would start (default: next payment)"
    )

    def to_domain(self) -> DebtProposal:
        """The domain's proposal."""
        return DebtProposal(**self.model_dump())


# -- responses -----------------------------------------------------------------------------------


class StaffStatus(Enum):
    """Where a debt stands, as staff see it."""

    RECOVERING = "recovering"
    REDUCED = "reduced"
    PAUSED = "paused"
    SUSPENDED = "suspended"
    WITH_ESTATE = "with_estate"
    CLEARED = "cleared"


class CustomerStatus(Enum):
    """Where a debt stands, as the customer sees it (a suspension is just 'on hold')."""

    RECOVERING = "recovering"
    REDUCED = "reduced"
    PAUSED = "paused"
    ON_HOLD = "on_hold"
    CLEARED = "cleared"


class MovementView(BaseModel):
    """One movement of the balance: what it was, its date and the amount."""

    kind: str
    on: date
    amount_pence: int

    @classmethod
    def of(cls, movement: Movement) -> MovementView:
        """The view of a movement."""
        return cls(kind=movement.kind.value, on=movement.on, amount_pence=movement.amount_pence)


class HardshipRequestView(BaseModel):
    """A hardship request waiting for a decision."""

    kind: HardshipKind
    months: int
    reduced_per_period_pence: int | None
    requested_on: date


class HardshipView(BaseModel):
    """A granted hardship: the amount a month from one day until the day before another."""

    kind: HardshipKind
    from_on: date
    until: date
    per_period_pence: int


class DecisionView(BaseModel):
    """A decision recorded on the debt: which rule and version, its outcome and reasons."""

    event: str = Field(description="the event that recorded it, e.g. Debt.RecoveryPlanned")
    on: date | None
    rule_id: str
    rule_version: int
    outcome: dict[str, Any]
    reasons: tuple[str, ...]
    automated: bool
    made_by: str


class DebtFacts(BaseModel):
    """What both views share: what the debt is, what is owed and how it comes down."""

    debt_id: UUID
    customer_id: UUID
    kind: DebtKind
    benefit: BenefitType
    period_from: date | None = Field(description="an overpayment's period")
    period_to: date | None
    advance_kind: AdvanceKind | None
    taken_on: date | None = Field(description="the day an advance was taken")
    first_repayment_on: date | None
    amount_pence: int
    balance_pence: int
    method: RecoveryMethod | None
    per_period_pence: int = Field(description="the amount recovered each month, as it stands")
    hardship_request: HardshipRequestView | None
    hardship: HardshipView | None
    movements: list[MovementView]
    opened_on: date
    cleared_on: date | None


class StaffDebt(DebtFacts):
    """A debt as staff (caseworkers and auditors) see it: with its cause and decisions."""

    audience: Literal["staff"] = "staff"
    status: StaffStatus
    cause: DebtCause | None
    suspended: bool
    estate_from: date | None = Field(description="the date of death, when owed by the estate")
    estate_reference: str | None
    decisions: list[DecisionView]


class CustomerDebt(DebtFacts):
    """A debt as its customer sees it: no cause, no decisions' reasons, no basis of a hold."""

    audience: Literal["customer"] = "customer"
    status: CustomerStatus


DebtDetail = Annotated[StaffDebt | CustomerDebt, Field(discriminator="audience")]


class StaffDebts(BaseModel):
    """Every debt of a customer, oldest first (staff)."""

    audience: Literal["staff"] = "staff"
    customer_id: UUID
    debts: list[StaffDebt]


class CustomerDebts(BaseModel):
    """The customer's own debts, oldest first (none owed by their estate)."""

    audience: Literal["customer"] = "customer"
    customer_id: UUID
    debts: list[CustomerDebt]


DebtList = Annotated[StaffDebts | CustomerDebts, Field(discriminator="audience")]


def _facts(debt: Debt) -> dict[str, Any]:
    request = debt.hardship_request
    hardship = debt.hardship
    return {
        "debt_id": debt.id,
        "customer_id": debt.customer_id,
        "kind": debt.kind,
        "benefit": debt.benefit,
        "period_from": debt.period_from,
        "period_to": debt.period_to,
        "advance_kind": debt.advance_kind,
        "taken_on": debt.taken_on,
        "first_repayment_on": debt.first_repayment_on,
        "amount_pence": debt.amount_pence,
        "balance_pence": debt.balance_pence,
        "method": debt.method,
        "per_period_pence": debt.current_per_period_pence,
        # The customer's reason is not repeated back: it may hold health or money details.
        "hardship_request": None
        if request is None
        else HardshipRequestView(
            kind=request.kind,
            months=request.months,
            reduced_per_period_pence=request.reduced_per_period_pence,
            requested_on=request.requested_on,
        ),
        "hardship": None
        if hardship is None
        else HardshipView(
            kind=hardship.kind,
            from_on=hardship.from_on,
            until=hardship.until,
            per_period_pence=hardship.per_period_pence,
        ),
        "movements": [MovementView.of(movement) for movement in debt.movements],
        "opened_on": debt.opened_on,
        "cleared_on": debt.cleared_on,
    }


def _hardship_status(debt: Debt, today: date) -> StaffStatus | None:
    hardship = debt.hardship_on(today)
    if hardship is None:
        return None
    return StaffStatus.PAUSED if hardship.per_period_pence == 0 else StaffStatus.REDUCED


def staff_status(debt: Debt, today: date) -> StaffStatus:
    """Where the debt stands today, as staff see it."""
    if debt.cleared:
        return StaffStatus.CLEARED
    if debt.with_estate:
        return StaffStatus.WITH_ESTATE
    if debt.suspended:
        return StaffStatus.SUSPENDED
    return _hardship_status(debt, today) or StaffStatus.RECOVERING


def customer_status(debt: Debt, today: date) -> CustomerStatus:
    """Where the debt stands today, in the customer's terms (never why it is on hold)."""
    if debt.cleared:
        return CustomerStatus.CLEARED
    if debt.suspended:
        return CustomerStatus.ON_HOLD
    hardship = _hardship_status(debt, today)
    if hardship is StaffStatus.PAUSED:
        return CustomerStatus.PAUSED
    if hardship is StaffStatus.REDUCED:
        return CustomerStatus.REDUCED
    return CustomerStatus.RECOVERING


def decisions_of(events: Iterable[object]) -> list[DecisionView]:
    """Every decision the debt's events record, in the order they were recorded."""
    views = []
    for event in events:
        name = f"Debt.{type(event).__name__}"
        on = getattr(event, "effective_date", None)
        for decision in decisions_in(event):
            actor = decision.made_by
            views.append(
                DecisionView(
                    event=name,
                    on=on if isinstance(on, date) else None,
                    rule_id=decision.rule_id,
                    rule_version=decision.rule_version,
                    outcome=decision.effective_outcome,
                    reasons=decision.reasons,
                    automated=decision.automated,
                    made_by=f"{actor.kind.value}:{actor.identifier}",
                )
            )
    return views


def staff_debt(debt: Debt, events: Iterable[object], today: date) -> StaffDebt:
    """The staff view of a debt, with the decisions its events record."""
    return StaffDebt(
        **_facts(debt),
        status=staff_status(debt, today),
        cause=debt.cause,
        suspended=debt.suspended,
        estate_from=debt.estate_from,
        estate_reference=debt.estate_reference,
        decisions=decisions_of(events),
    )


def customer_debt(debt: Debt, today: date) -> CustomerDebt:
    """The customer's view of their debt."""
    return CustomerDebt(**_facts(debt), status=customer_status(debt, today))
