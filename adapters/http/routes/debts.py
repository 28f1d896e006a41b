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

from fastapi import APIRouter, Depends

from adapters.bootstrap import Journeys
from adapters.http.auth import (
    Caseworker,
    CustomerOrCaseworker,
    Principal,
    Role,
    require_own_record,
)
from adapters.http.commands import CommandRoute, add_command_routes
from adapters.http.debt_schemas import (
    CustomerDebt,
    CustomerDebts,
    DebtDetail,
    DebtList,
    ProposeForDebt,
    StaffDebt,
    StaffDebts,
    customer_debt,
    staff_debt,
)
from adapters.http.deps import System
from adapters.http.disclosure import CustomerOrCaseworkerReads, Discloses, customer_of_debt
from domain.debt import Debt, WhatIf
from services.commands.debts import (
    AttachEarnings,
    DecideHardship,
    IdentifyOverpayment,
    ImposePenalty,
    RecordAdvance,
    RecordPayment,
    RequestHardship,
    TakeDeduction,
    TakeDeductions,
    Waive,
)
from services.errors import DebtNotFound
from services.journeys import JourneysApplication

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


App = JourneysApplication

add_command_routes(
    router,
    [
        # -- caseworker commands
        CommandRoute(
            "/customers/{customer_id}/overpayments",
            IdentifyOverpayment,
            App.identify_overpayment,
            Caseworker,
            created=True,
            description="Record an overpayment: recovery is planned by rule and the customer told, "
            "in one save.\n\nThe answer's id is the new debt.",
        ),
        CommandRoute(
            "/customers/{customer_id}/advances",
            RecordAdvance,
            App.record_advance,
            Caseworker,
            created=True,
            description="Record an advance: its repayment is planned and the customer told "
            "(the id is the debt).",
        ),
        CommandRoute(
            "/customers/{customer_id}/penalties",
            ImposePenalty,
            App.impose_penalty,
            Caseworker,
            created=True,
            description="Record a civil or administrative penalty: recovered by deduction outside "
            "the overall deduction cap, other deductions sharing the cap (the id is the debt).",
        ),
        CommandRoute(
            "/customers/{customer_id}/deductions",
            TakeDeductions,
            App.take_deductions,
            Caseworker,
            description="Take every debt's deduction for one assessment period under one overall "
            "cap decision.\n\nThe total never exceeds the cap in force on the period's start; "
            "a second run for the same period is refused. The answer's id is the customer.",
        ),
        CommandRoute(
            "/debts/{debt_id}/deductions",
            TakeDeduction,
            App.take_deduction,
            Caseworker,
            description="Take a stated deduction from one debt for a period; more than the cap "
            "grants is refused.",
        ),
        CommandRoute(
            "/debts/{debt_id}/earnings-attachment",
            AttachEarnings,
            App.take_earnings_attachment,
            Caseworker,
            description="Attach earnings on a pay date by the DEA bands (the employee keeps at "
            "least 60%).",
        ),
        CommandRoute(
            "/debts/{debt_id}/voluntary-payments",
            RecordPayment,
            App.record_voluntary_payment,
            Caseworker,
            created=True,
            description="Record a payment under a voluntary plan (never more than the balance).",
        ),
        CommandRoute(
            "/debts/{debt_id}/hardship-decision",
            DecideHardship,
            App.decide_hardship,
            Caseworker,
            description="Decide the waiting hardship request (the signed-in caseworker is the "
            "decision maker).",
        ),
        CommandRoute(
            "/debts/{debt_id}/waiver",
            Waive,
            App.waive,
            Caseworker,
            description="Write off part or all of the balance, with grounds and a reason (the "
            "caseworker's).",
        ),
        # -- the customer (their own debts) or a caseworker
        CommandRoute(
            "/debts/{debt_id}/hardship-requests",
            RequestHardship,
            App.request_hardship,
            CustomerOrCaseworker,
            created=True,
            check=_own_debt,
            description="Ask for recovery to be reduced or paused for some months (a decision "
            "maker decides).",
        ),
        CommandRoute(
            "/debts/{debt_id}/repayments",
            RecordPayment,
            App.repay,
            CustomerOrCaseworker,
            created=True,
            check=_own_debt,
            description="Repay early, in full or in part (never more than the balance).",
        ),
    ],
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
