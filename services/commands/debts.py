"""Debt recovery commands: identify a debt, take deductions, payments, hardship and waivers.

Amounts are integer pence above nothing (a 422 naming the field); what only the rule in force
can tell (the deduction cap, how long a pause may last, the balance) is left to the domain,
which refuses it with a message before anything is appended.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from domain.debt import MAX_DEFERRAL_MONTHS, PenaltyKind
from domain.rules.debt import AdvanceKind, DebtCause, HardshipKind, PayFrequency, WaiverGround
from domain.values import BenefitType
from services.commands import Command, Months, NonBlank, Pence


class IdentifyOverpayment(Command):
    """An overpayment found on the customer's benefit: its cause, period and amount."""

    benefit: BenefitType
    cause: DebtCause
    period_from: date
    period_to: date
    amount_pence: Pence
    identified_on: date
    employed: bool = Field(
        default=False, description="in work (off benefit, it is then recovered from wages)"
    )
    standard_allowance_pence: Pence | None = Field(
        default=None,
        description="the UC standard allowance, to set the deduction rate at once "
        "(otherwise it is set with each assessment period's deductions)",
    )


class RecordAdvance(Command):
    """An advance the customer took, repaid by deduction from benefit."""

    benefit: BenefitType
    advance_kind: AdvanceKind
    amount_pence: Pence
    taken_on: date
    deferral_months: int = Field(
        default=0,
        ge=0,
        le=MAX_DEFERRAL_MONTHS,
        description="months the first repayment is put off (exceptional cases)",
    )
    standard_allowance_pence: Pence | None = Field(
        default=None, description="the UC standard allowance, to set the rate at once"
    )


class ImposePenalty(Command):
    """A civil or administrative penalty on the customer's benefit, recovered outside the cap."""

    benefit: BenefitType
    penalty_kind: PenaltyKind
    amount_pence: Pence
    imposed_on: date
    employed: bool = Field(
        default=False, description="in work (off benefit, it is then recovered from wages)"
    )
    standard_allowance_pence: Pence | None = Field(
        default=None, description="the UC standard allowance, to set the rate at once"
    )


class TakeDeductions(Command):
    """One assessment period of the customer: every debt's deduction under one overall cap."""

    period_start: date = Field(description="the assessment period's first day (the cap in force)")
    standard_allowance_pence: Pence
    has_earnings: bool = False
    last_resort_pence: int = Field(
        default=0,
        ge=0,
        description="third-party last resort deductions (rent or fuel arrears) in the period",
    )


class TakeDeduction(TakeDeductions):
    """A stated deduction from one debt for a period (refused above what the cap grants it)."""

    amount_pence: Pence


class AttachEarnings(Command):
    """A pay date's net pay, attached by the Direct Earnings Attachment bands."""

    pay_date: date
    net_pay_pence: Pence
    frequency: PayFrequency
    other_attachments_pence: int = Field(
        default=0, ge=0, description="other attachments from the same pay"
    )


class RecordPayment(Command):
    """A payment: under a voluntary plan, or an early repayment."""

    amount_pence: Pence
    paid_on: date


class DecideHardship(Command):
    """The decision maker's decision on the waiting hardship request, with a reason."""

    agree: bool
    reason: NonBlank
    decided_on: date


class Waive(Command):
    """Write off part or all of the balance: the grounds and a reason are required."""

    amount_pence: Pence
    grounds: WaiverGround
    reason: NonBlank
    decided_on: date


class RequestHardship(Command):
    """Ask for recovery to be reduced (to a lower amount) or paused, for some months."""

    kind: HardshipKind
    months: Months
    reason: NonBlank
    requested_on: date
    reduced_per_period_pence: int | None = Field(
        default=None, ge=0, description="the lower amount a month (a reduction only)"
    )
