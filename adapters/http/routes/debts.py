"""Debts: overpayments and advances, their recovery, hardship, waivers and the what-if.

Caseworkers identify debts and record what recovers them. A customer may read their own
debts, ask for hardship, repay early and try a what-if; a caseworker may do the same for any
customer, and auditors read. A customer token for someone else's debt gets 403. Staff see
the cause and the decisions recorded on a debt; the customer never sees why recovery is on
hold, a waiver's grounds or anyone's free text.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response

from adapters.bootstrap import Journeys
from adapters.http.auth import (
    Caseworker,
    CustomerOrCaseworker,
    Principal,
    Role,
    require_own_record,
)
from adapters.http.debt_schemas import (
    AttachEarnings,
    CustomerDebt,
    CustomerDebts,
    DebtDetail,
    DebtList,
    DecideHardship,
    IdentifyOverpayment,
    ProposeForDebt,
    RecordAdvance,
    RecordPayment,
    RequestHardship,
    StaffDebt,
    StaffDebts,
    TakeDeduction,
    TakeDeductions,
    Waive,
    customer_debt,
    staff_debt,
)
from adapters.http.deps import System, run_command
from adapters.http.disclosure import CustomerOrCaseworkerReads, Discloses, customer_of_debt
from adapters.http.schemas import CommandAccepted
from domain.debt import Debt, WhatIf
from services.errors import DebtNotFound

router = APIRouter(tags=["debts"])

Reader = Annotated[Principal, Depends(Discloses(Role.CUSTOMER, Role.CASEWORKER, Role.AUDITOR))]
DebtReader = Annotated[
    Principal,
    Depends(Discloses(Role.CUSTOMER, Role.CASEWORKER, Role.AUDITOR, customer=customer_of_debt)),
]


def _own_debt(journeys: Journeys, principal: Principal, debt_id: UUID) -> Debt:
    """The debt (404 when there is none), refused with 403 to a customer it does not belong to."""
    debt = journeys.application.debt(debt_id)
    require_own_record(principal, debt.customer_id)
    if principal.role is Role.CUSTOMER and debt.with_estate:
        # The customer has died: the estate deals with the debt, and it leaves their view.
        raise DebtNotFound(f"no debt with id {debt_id}")
    return debt


# -- caseworker commands -------------------------------------------------------------------------


@router.post("/customers/{customer_id}/overpayments", status_code=201)
def identify_overpayment(
    customer_id: UUID,
    body: IdentifyOverpayment,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record an overpayment: recovery is planned by rule and the customer told, in one save.

    The answer's id is the new debt.
    """
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.identify_overpayment(
            customer_id,
            benefit=body.benefit,
            cause=body.cause,
            period_from=body.period_from,
            period_to=body.period_to,
            amount_pence=body.amount_pence,
            identified_on=body.identified_on,
            employed=body.employed,
            standard_allowance_pence=body.standard_allowance_pence,
        ),
    )


@router.post("/customers/{customer_id}/advances", status_code=201)
def record_advance(
    customer_id: UUID,
    body: RecordAdvance,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record an advance: its repayment is planned and the customer told (the id is the debt)."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.record_advance(
            customer_id,
            benefit=body.benefit,
            advance_kind=body.advance_kind,
            amount_pence=body.amount_pence,
            taken_on=body.taken_on,
            deferral_months=body.deferral_months,
            standard_allowance_pence=body.standard_allowance_pence,
        ),
    )


@router.post("/customers/{customer_id}/deductions")
def take_deductions(
    customer_id: UUID,
    body: TakeDeductions,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Take every debt's deduction for one assessment period under one overall cap decision.

    The total never exceeds the cap in force on the period's start; a second run for the same
    period is refused. The answer's id is the customer.
    """
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.take_deductions(
            customer_id,
            period_start=body.period_start,
            standard_allowance_pence=body.standard_allowance_pence,
            has_earnings=body.has_earnings,
            last_resort_pence=body.last_resort_pence,
        ),
    )


@router.post("/debts/{debt_id}/deductions")
def take_deduction(
    debt_id: UUID,
    body: TakeDeduction,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Take a stated deduction from one debt for a period; more than the cap grants is refused."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.take_deduction(
            debt_id,
            amount_pence=body.amount_pence,
            period_start=body.period_start,
            standard_allowance_pence=body.standard_allowance_pence,
            has_earnings=body.has_earnings,
            last_resort_pence=body.last_resort_pence,
        ),
    )


@router.post("/debts/{debt_id}/earnings-attachment")
def take_earnings_attachment(
    debt_id: UUID,
    body: AttachEarnings,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Attach earnings on a pay date by the DEA bands (the employee keeps at least 60%)."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.take_earnings_attachment(
            debt_id,
            pay_date=body.pay_date,
            net_pay_pence=body.net_pay_pence,
            frequency=body.frequency,
            other_attachments_pence=body.other_attachments_pence,
        ),
    )


@router.post("/debts/{debt_id}/voluntary-payments", status_code=201)
def record_voluntary_payment(
    debt_id: UUID,
    body: RecordPayment,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Record a payment under a voluntary plan (never more than the balance)."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.record_voluntary_payment(
            debt_id, amount_pence=body.amount_pence, paid_on=body.paid_on
        ),
    )


@router.post("/debts/{debt_id}/hardship-decision")
def decide_hardship(
    debt_id: UUID,
    body: DecideHardship,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Decide the waiting hardship request (the signed-in caseworker is the decision maker)."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.decide_hardship(
            debt_id, agree=body.agree, reason=body.reason, decided_on=body.decided_on
        ),
    )


@router.post("/debts/{debt_id}/waiver")
def waive(
    debt_id: UUID,
    body: Waive,
    principal: Caseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Write off part or all of the balance, with grounds and a reason (the caseworker's)."""
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.waive(
            debt_id,
            amount_pence=body.amount_pence,
            grounds=body.grounds,
            reason=body.reason,
            decided_on=body.decided_on,
        ),
    )


# -- the customer (their own debts) or a caseworker ------------------------------------------------


@router.post("/debts/{debt_id}/hardship-requests", status_code=201)
def request_hardship(
    debt_id: UUID,
    body: RequestHardship,
    principal: CustomerOrCaseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Ask for recovery to be reduced or paused for some months (a decision maker decides)."""
    _own_debt(journeys, principal, debt_id)
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.request_hardship(
            debt_id,
            kind=body.kind,
            months=body.months,
            reason=body.reason,
            requested_on=body.requested_on,
            reduced_per_period_pence=body.reduced_per_period_pence,
        ),
    )


@router.post("/debts/{debt_id}/repayments", status_code=201)
def repay(
    debt_id: UUID,
    body: RecordPayment,
    principal: CustomerOrCaseworker,
    journeys: System,
    response: Response,
) -> CommandAccepted:
    """Repay early, in full or in part (never more than the balance)."""
    _own_debt(journeys, principal, debt_id)
    return run_command(
        journeys,
        principal,
        response,
        lambda: journeys.application.repay(
            debt_id, amount_pence=body.amount_pence, paid_on=body.paid_on
        ),
    )


@router.post("/customers/{customer_id}/debts/what-if")
def debt_what_if(
    customer_id: UUID,
    body: ProposeForDebt,
    principal: CustomerOrCaseworkerReads,
    journeys: System,
) -> WhatIf:
    """Each open debt's schedule and clear date now and under a proposal; nothing is written."""
    require_own_record(principal, customer_id)
    return journeys.application.debt_what_if(customer_id, body.to_domain())


# -- reads (the customer's own; caseworkers and auditors any) --------------------------------------


@router.get("/customers/{customer_id}/debts", response_model=DebtList)
def customer_debts(
    customer_id: UUID, principal: Reader, journeys: System
) -> StaffDebts | CustomerDebts:
    """Every debt of the customer, oldest first (customers: their own, not the estate's)."""
    require_own_record(principal, customer_id)
    app = journeys.application
    debts = app.debts_of(customer_id)
    today = journeys.clock.today()
    if principal.role is Role.CUSTOMER:
        return CustomerDebts(
            customer_id=customer_id,
            debts=[customer_debt(debt, today) for debt in debts if not debt.with_estate],
        )
    history = app.history(customer_id) if debts else []
    return StaffDebts(
        customer_id=customer_id,
        debts=[
            staff_debt(debt, [e for e in history if e.originator_id == debt.id], today)
            for debt in debts
        ],
    )


@router.get("/debts/{debt_id}", response_model=DebtDetail)
def debt_detail(debt_id: UUID, principal: DebtReader, journeys: System) -> StaffDebt | CustomerDebt:
    """One debt: what it is, its balance, plan, status and movements (staff: and decisions)."""
    debt = _own_debt(journeys, principal, debt_id)
    today = journeys.clock.today()
    if principal.role is Role.CUSTOMER:
        return customer_debt(debt, today)
    events = [
        e for e in journeys.application.history(debt.customer_id) if e.originator_id == debt_id
    ]
    return staff_debt(debt, events, today)
