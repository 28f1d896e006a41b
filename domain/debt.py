"""A debt: an overpayment or an advance, and every movement that brings its balance down.

RULES.md section 5. A debt is identified (an overpayment with its cause, period and amount)
or taken (an advance); the customer is told with their dispute rights; the recovery method
and rate are decided by rule from the customer's facts. Every movement (a deduction from
benefit, an earnings attachment, a voluntary payment, an early repayment, a waiver, a small
balance left unrecovered) is an event, and the balance is always the amount less the sum of
the movements, never below nothing. A cleared debt moves no more; a debt transferred to the
estate is never again deducted from benefit, and is never recovered from family.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import JourneyAggregate, acting_actor
from domain.debt_schedule import Adjustment, Schedule, project_schedule
from domain.decisions import Decision
from domain.errors import (
    DebtAlreadyCleared,
    DebtWithEstate,
    DeductionAboveCap,
    DeductionAlreadyTaken,
    HardshipAlreadyRequested,
    InvalidDebt,
    InvalidDebtAmount,
    NoHardshipRequest,
    RecoveryMethodMismatch,
    RecoverySuspended,
    RepaymentExceedsBalance,
)
from domain.obligations import Letter, NoLetter, implies
from domain.periods import add_calendar_months, within_months_of
from domain.rules.debt import (
    DEBT_EARNINGS_ATTACHMENT,
    DEBT_HARDSHIP,
    DEBT_RECOVERY_METHOD,
    DEBT_RECOVERY_RATE,
    DEBT_WAIVER,
    AdvanceKind,
    AdvanceTerms,
    CapFacts,
    CapOutcome,
    DeaFacts,
    DebtCause,
    DeductionClass,
    DeductionRequest,
    HardshipFacts,
    HardshipKind,
    MethodFacts,
    PayFrequency,
    RateFacts,
    RecoveryMethod,
    RecoveryRate,
    WaiverFacts,
    WaiverGround,
    check_hardship_request,
    check_waiver,
    decide_deduction_cap,
)
from domain.rules.framework import Decided
from domain.values import BenefitType, EventRef, ValueObject, pounds
from domain.wording import day

MAX_DEFERRAL_MONTHS = 3
"""An advance's first repayment may be deferred by up to 3 months in exceptional cases."""

LAST_RESORT_ITEM = "last_resort"
"""The cap decision's item id for third-party last resort deductions (not a Journeys debt)."""


class DebtKind(Enum):
    """What kind of debt it is (each kind has its own first event)."""

    OVERPAYMENT = "overpayment"
    ADVANCE = "advance"
    PENALTY = "penalty"


class PenaltyKind(Enum):
    """Civil (a careless statement, a change not reported) or administrative (not prosecuted)."""

    CIVIL = "civil"
    ADMINISTRATIVE = "administrative"


# What the recovery rate and method rules see of a penalty's cause (UNVERIFIED: a civil penalty
# is recovered as the claimant error it punishes, an administrative penalty as fraud).
_PENALTY_CAUSE = {
    PenaltyKind.CIVIL: DebtCause.CLAIMANT_ERROR,
    PenaltyKind.ADMINISTRATIVE: DebtCause.FRAUD,
}


class DebtOpening:
    """What every debt's first event says, whatever its kind (a mixin: it adds no fields).

    Views and summaries read a new debt through this, so a new kind of debt needs only its
    own first event here, not a change in each of them.
    """

    debt_kind: ClassVar[DebtKind]
    originator_id: UUID
    customer_id: UUID
    benefit: BenefitType
    amount_pence: int
    effective_date: date

    def first_repayment(self) -> date | None:
        """The first repayment's day when the debt's own terms fix it (an advance's do)."""
        return None


class MovementKind(Enum):
    """What brought a debt's balance down."""

    BENEFIT_DEDUCTION = "benefit_deduction"
    EARNINGS_ATTACHMENT = "earnings_attachment"
    VOLUNTARY_PAYMENT = "voluntary_payment"
    REPAYMENT = "repayment"
    WAIVER = "waiver"
    LEFT_UNRECOVERED = "left_unrecovered"


_SOURCE_MOVEMENT = {
    RecoveryMethod.BENEFIT_DEDUCTION: MovementKind.BENEFIT_DEDUCTION,
    RecoveryMethod.EARNINGS_ATTACHMENT: MovementKind.EARNINGS_ATTACHMENT,
    RecoveryMethod.VOLUNTARY_PLAN: MovementKind.VOLUNTARY_PAYMENT,
}


_OFF_BENEFIT_MOVEMENT = {
    RecoveryMethod.EARNINGS_ATTACHMENT: MovementKind.EARNINGS_ATTACHMENT,
    RecoveryMethod.VOLUNTARY_PLAN: MovementKind.VOLUNTARY_PAYMENT,
}


class Movement(ValueObject):
    """One movement of the balance: its kind, its date and the amount in pence."""

    kind: MovementKind
    on: date
    amount_pence: int


class HardshipRequest(ValueObject):
    """A hardship request waiting for a decision maker."""

    kind: HardshipKind
    months: int
    reason: str
    reduced_per_period_pence: int | None
    requested_on: date


class HardshipInForce(ValueObject):
    """A granted hardship: the rate from `from_on` until the day before `until`."""

    kind: HardshipKind
    from_on: date
    months: int
    until: date
    per_period_pence: int

    def applies_on(self, day: date) -> bool:
        """True when `day` falls in the hardship's months."""
        return self.from_on <= day < self.until


def _positive(amount_pence: int, field: str) -> int:
    if amount_pence <= 0:
        raise InvalidDebtAmount(
            f"{field}: {amount_pence} is not a positive amount of pence", field=field
        )
    return amount_pence


def opening_event_classes() -> tuple[type[DebtOpening], ...]:
    """The first event of each kind of debt."""
    return tuple(
        cls for cls in vars(Debt).values() if isinstance(cls, type) and issubclass(cls, DebtOpening)
    )


def deduction_class_of(kind: DebtKind, cause: DebtCause | None) -> DeductionClass:
    """What the overall cap sees of a debt (a penalty is taken outside the cap)."""
    if kind is DebtKind.PENALTY:
        return DeductionClass.FRAUD_PENALTY
    if kind is DebtKind.ADVANCE:
        return DeductionClass.ADVANCE
    if cause is DebtCause.FRAUD:
        return DeductionClass.FRAUD_OVERPAYMENT
    return DeductionClass.OVERPAYMENT


# -- what the debt's events say: letters and timeline labels ------------------------------------

_RECOVERY = {
    RecoveryMethod.BENEFIT_DEDUCTION: "deduction from benefit",
    RecoveryMethod.EARNINGS_ATTACHMENT: "Direct Earnings Attachment",
    RecoveryMethod.VOLUNTARY_PLAN: "voluntary plan",
    RecoveryMethod.NOT_RECOVERED: "not recovered (small debt)",
}

_TAKEN = {
    RecoveryMethod.BENEFIT_DEDUCTION: "Deducted from benefit",
    RecoveryMethod.EARNINGS_ATTACHMENT: "Attached from earnings",
    RecoveryMethod.VOLUNTARY_PLAN: "Paid under the voluntary plan",
}

_HOW_TO_ASK = (
    "You can pay back some or all of it early at any time. If paying it back causes you "
    "hardship, contact us: we can reduce or pause the repayments for a while."
)


def _left(balance_pence: int) -> str:
    return f"{pounds(balance_pence)} left" if balance_pence else "nothing left"


def _recovery_planned_label(e: Debt.RecoveryPlanned) -> str:
    rate = f", {pounds(e.per_period_pence)} a month" if e.per_period_pence else ""
    months = f" over {e.repay_months} months" if e.repay_months else ""
    held = "; on hold by policy" if e.suspended else ""
    return f"Recovery planned: {_RECOVERY[e.method]}{rate}{months}{held}"


def _debt_plan(e: Debt.Notified) -> str:
    if e.method is RecoveryMethod.NOT_RECOVERED:
        return "Because the amount is small, we will not ask you to pay it back."
    if e.recovery_on_hold:
        return "We are not asking you to pay it back at the moment. We will write to you first."
    if e.method is RecoveryMethod.BENEFIT_DEDUCTION:
        start = f" from {day(e.first_repayment_on)}" if e.first_repayment_on else ""
        if e.per_period_pence and e.repay_months:
            return (
                f"We will take {pounds(e.per_period_pence)} a month from your benefit{start}, "
                f"over {e.repay_months} months."
            )
        if e.per_period_pence:
            return (
                f"We will take {pounds(e.per_period_pence)} from each monthly payment of your "
                f"benefit{start}, or less where the limit on deductions means we must."
            )
        return f"We will take an amount from each payment of your benefit{start}."
    if e.method is RecoveryMethod.EARNINGS_ATTACHMENT:
        return (
            "We will ask your employer to take an amount from your pay (a Direct Earnings "
            "Attachment). You will always keep at least 60% of your net pay."
        )
    return "Please contact us to agree an amount you can afford to pay back each month."


def _notified_letter(e: Debt.Notified) -> str:
    if e.debt_kind is DebtKind.ADVANCE:
        opening = f"You have been paid an advance of {pounds(e.amount_pence)}."
        rights = "If you think the amount is wrong, contact us."
    elif e.debt_kind is DebtKind.PENALTY:
        opening = (
            f"You have been given a penalty of {pounds(e.amount_pence)} on your "
            f"{e.benefit.value}. It is recovered as well as any other deductions."
        )
        rights = (
            "If you disagree with the penalty, you can ask us to look at the decision again (a "
            "mandatory reconsideration) within one month of the date of this letter"
            + (f", by {day(e.dispute_by)}." if e.dispute_by is not None else ".")
        )
    else:
        period = ""
        if e.period_from is not None and e.period_to is not None:
            period = f" between {day(e.period_from)} and {day(e.period_to)}"
        opening = (
            f"You were paid {pounds(e.amount_pence)} more {e.benefit.value} than you were "
            f"entitled to{period} (an overpayment)."
        )
        rights = (
            "If you disagree that you were overpaid or with the amount, you can ask us to look "
            "at the decision again (a mandatory reconsideration) within one month of the date of "
            "this letter" + (f", by {day(e.dispute_by)}." if e.dispute_by is not None else ".")
        )
    return f"{opening} {_debt_plan(e)} {rights} {_HOW_TO_ASK}"


def _hardship_requested_label(e: Debt.HardshipRequested) -> str:
    if e.kind is HardshipKind.PAUSE:
        what = f"pause for {e.months} months"
    else:
        what = f"reduce to {pounds(e.reduced_per_period_pence or 0)} a month for {e.months} months"
    return f"Hardship asked for: {what} ({e.reason})"


def _hardship_decided_label(e: Debt.HardshipDecided) -> str:
    if not e.granted:
        return f"Hardship refused: repayments stay at {pounds(e.per_period_pence)} a month"
    until = f" until {e.until.isoformat()}" if e.until is not None else ""
    if e.kind is HardshipKind.PAUSE:
        return f"Hardship granted: repayments paused from {e.from_on.isoformat()}{until}"
    return (
        f"Hardship granted: repayments reduced to {pounds(e.per_period_pence)} a month from "
        f"{e.from_on.isoformat()}{until}"
    )


def _hardship_decided_letter(e: Debt.HardshipDecided) -> str:
    if not e.granted:
        rate = pounds(e.per_period_pence)
        stay = f"stay at {rate} a month" if e.per_period_pence else "stay the same"
        return (
            "We have looked at your request to reduce or pause your repayments and we cannot "
            f"agree to it. Your repayments {stay}. If your circumstances change, contact us."
        )
    until = f"until {day(e.until)}" if e.until is not None else "for a while"
    if e.kind is HardshipKind.PAUSE:
        change = f"We have paused your repayments from {day(e.from_on)} {until}."
    else:
        change = (
            f"We have reduced your repayments to {pounds(e.per_period_pence)} a month from "
            f"{day(e.from_on)} {until}."
        )
    return f"{change} After that, they go back to the usual amount. {_HOW_TO_ASK}"


def _waived_letter(e: Debt.Waived) -> str:
    left = (
        "You do not owe us anything more for it."
        if e.balance_after_pence == 0
        else f"You still owe {pounds(e.balance_after_pence)}."
    )
    return f"We have decided not to recover {pounds(e.amount_pence)} of your debt. {left}"


class Debt(JourneyAggregate):
    """An overpayment or an advance a customer owes, and how it is recovered."""

    # -- creation -------------------------------------------------------------------------------

    @implies(
        timeline=lambda e: (
            f"{e.benefit.value} overpayment of {pounds(e.amount_pence)} identified "
            f"({e.cause.value.replace('_', ' ')}), for {e.period_from.isoformat()} to "
            f"{e.period_to.isoformat()}"
        ),
        letter=NoLetter("told in the debt notice once recovery is planned"),
    )
    class OverpaymentIdentified(DebtOpening, JourneyAggregate.Created):
        """An overpayment was found: the benefit, its cause, the period and the amount."""

        debt_kind = DebtKind.OVERPAYMENT

        customer_id: UUID
        benefit: BenefitType
        cause: DebtCause
        period_from: date
        period_to: date
        amount_pence: int
        effective_date: date

        def apply(self, aggregate: Any) -> None:
            """Set the overpayment's own facts."""
            aggregate.kind = self.debt_kind
            aggregate.cause = self.cause
            aggregate.period_from = self.period_from
            aggregate.period_to = self.period_to

    @implies(
        timeline=lambda e: (
            f"{e.benefit.value} {e.advance_kind.value.replace('_', ' ')} advance of "
            f"{pounds(e.amount_pence)} taken on {e.taken_on.isoformat()}, first repayment "
            f"{e.first_repayment_on.isoformat()}"
            + (f" (deferred {e.deferral_months} months)" if e.deferral_months else "")
        ),
        letter=NoLetter("told in the debt notice once recovery is planned"),
    )
    class AdvanceTaken(DebtOpening, JourneyAggregate.Created):
        """The customer took an advance, repaid from a first repayment date."""

        debt_kind = DebtKind.ADVANCE

        customer_id: UUID
        benefit: BenefitType
        advance_kind: AdvanceKind
        amount_pence: int
        taken_on: date
        deferral_months: int
        first_repayment_on: date
        effective_date: date

        def apply(self, aggregate: Any) -> None:
            """Set the advance's own facts."""
            aggregate.kind = self.debt_kind
            aggregate.advance_kind = self.advance_kind
            aggregate.taken_on = self.taken_on
            aggregate.deferral_months = self.deferral_months
            aggregate.first_repayment_on = self.first_repayment_on

        def first_repayment(self) -> date | None:
            """Repayment starts a month after the advance, later when deferred."""
            return self.first_repayment_on

    @classmethod
    def identify_overpayment(
        cls,
        *,
        debt_id: UUID,
        customer_id: UUID,
        benefit: BenefitType,
        cause: DebtCause,
        period_from: date,
        period_to: date,
        amount_pence: int,
        identified_on: date,
    ) -> Debt:
        """Record an overpayment (recovery is planned next, in the same save)."""
        if amount_pence <= 0:
            raise InvalidDebt(
                f"amount_pence: {amount_pence} is not a positive amount", field="amount_pence"
            )
        if period_to < period_from:
            raise InvalidDebt(
                f"period_to {period_to.isoformat()} is before period_from "
                f"{period_from.isoformat()}",
                field="period_to",
            )
        if period_from > identified_on:
            raise InvalidDebt(
                f"period_from {period_from.isoformat()} is after the day the overpayment was "
                f"identified ({identified_on.isoformat()})",
                field="period_from",
            )
        debt: Debt = cls._create(
            cls.OverpaymentIdentified,
            id=debt_id,
            customer_id=customer_id,
            benefit=benefit,
            cause=cause,
            period_from=period_from,
            period_to=period_to,
            amount_pence=amount_pence,
            effective_date=identified_on,
        )
        return debt

    @classmethod
    def take_advance(
        cls,
        *,
        debt_id: UUID,
        customer_id: UUID,
        benefit: BenefitType,
        advance_kind: AdvanceKind,
        amount_pence: int,
        taken_on: date,
        deferral_months: int = 0,
    ) -> Debt:
        """Record an advance; repayment starts a month after it (later when deferred)."""
        if amount_pence <= 0:
            raise InvalidDebt(
                f"amount_pence: {amount_pence} is not a positive amount", field="amount_pence"
            )
        if not 0 <= deferral_months <= MAX_DEFERRAL_MONTHS:
            raise InvalidDebt(
                f"deferral_months: {deferral_months} is not between 0 and {MAX_DEFERRAL_MONTHS}",
                field="deferral_months",
            )
        debt: Debt = cls._create(
            cls.AdvanceTaken,
            id=debt_id,
            customer_id=customer_id,
            benefit=benefit,
            advance_kind=advance_kind,
            amount_pence=amount_pence,
            taken_on=taken_on,
            deferral_months=deferral_months,
            first_repayment_on=add_calendar_months(taken_on, 1 + deferral_months),
            effective_date=taken_on,
        )
        return debt

    @implies(
        timeline=lambda e: (
            f"{e.benefit.value} {e.penalty_kind.value} penalty of {pounds(e.amount_pence)} "
            f"imposed on {e.imposed_on.isoformat()}"
        ),
        letter=NoLetter("told in the debt notice once recovery is planned"),
    )
    class PenaltyImposed(DebtOpening, JourneyAggregate.Created):
        """A civil or administrative penalty was imposed, recovered outside the deduction cap."""

        debt_kind = DebtKind.PENALTY
        customer_id: UUID
        benefit: BenefitType
        penalty_kind: PenaltyKind
        amount_pence: int
        imposed_on: date
        effective_date: date

        def apply(self, aggregate: Any) -> None:
            """Set the penalty's own facts."""
            aggregate.kind = self.debt_kind
            aggregate.penalty_kind = self.penalty_kind
            aggregate.cause = _PENALTY_CAUSE[self.penalty_kind]

    @classmethod
    def impose_penalty(
        cls,
        *,
        debt_id: UUID,
        customer_id: UUID,
        benefit: BenefitType,
        penalty_kind: PenaltyKind,
        amount_pence: int,
        imposed_on: date,
    ) -> Debt:
        """Record a penalty (recovery is planned next, in the same save)."""
        debt: Debt = cls._create(
            cls.PenaltyImposed,
            id=debt_id,
            customer_id=customer_id,
            benefit=benefit,
            penalty_kind=penalty_kind,
            amount_pence=_positive(amount_pence, "amount_pence"),
            imposed_on=imposed_on,
            effective_date=imposed_on,
        )
        return debt

    def __init__(
        self, customer_id: UUID, benefit: BenefitType, amount_pence: int, effective_date: date
    ) -> None:
        # Both first events set these; each sets its own facts in its apply().
        self.customer_id = customer_id
        self.benefit = benefit
        self.amount_pence = amount_pence
        self.balance_pence = amount_pence
        self.opened_on = effective_date
        self.kind = DebtKind.OVERPAYMENT
        self.cause: DebtCause | None = None
        self.period_from: date | None = None
        self.period_to: date | None = None
        self.advance_kind: AdvanceKind | None = None
        self.penalty_kind: PenaltyKind | None = None
        self.taken_on: date | None = None
        self.deferral_months = 0
        self.first_repayment_on: date | None = None
        self.movements: list[Movement] = []
        self.method: RecoveryMethod | None = None
        self.per_period_pence = 0
        self.repay_months: int | None = None
        self.suspended = False
        self.suspended_by: Decision | None = None
        self.notified_on: date | None = None
        self.hardship_request: HardshipRequest | None = None
        self.hardship: HardshipInForce | None = None
        self.periods_deducted: dict[date, int] = {}
        self.pay_dates_attached: dict[date, int] = {}
        self.estate_from: date | None = None
        self.estate_reference: str | None = None
        self.cleared_on: date | None = None

    # -- state ----------------------------------------------------------------------------------

    @property
    def cleared(self) -> bool:
        """True once the balance reached nothing."""
        return self.cleared_on is not None

    @property
    def with_estate(self) -> bool:
        """True once the debt moved to the estate of the customer, who died."""
        return self.estate_from is not None

    @property
    def open(self) -> bool:
        """True while something is owed."""
        return not self.cleared

    @property
    def moved_pence(self) -> int:
        """The sum of every movement so far."""
        return sum(movement.amount_pence for movement in self.movements)

    @property
    def deduction_class(self) -> DeductionClass:
        """What the overall cap sees of this debt."""
        return deduction_class_of(self.kind, self.cause)

    @property
    def advance_terms(self) -> AdvanceTerms | None:
        """The advance's terms for the rate rule (None for an overpayment)."""
        if self.advance_kind is None or self.taken_on is None:
            return None
        return AdvanceTerms(
            kind=self.advance_kind, amount_pence=self.amount_pence, taken_on=self.taken_on
        )

    @property
    def current_per_period_pence(self) -> int:
        """The rate recovery runs at: the rule's rate from benefit, else the last amount taken."""
        if self.method is RecoveryMethod.BENEFIT_DEDUCTION:
            return self.per_period_pence
        # Off benefit, the last attachment or plan payment is the best guide to the next.
        wanted = _OFF_BENEFIT_MOVEMENT.get(self.method) if self.method is not None else None
        amounts = [m.amount_pence for m in self.movements if m.kind is wanted]
        return amounts[-1] if amounts else 0

    def hardship_on(self, day: date) -> HardshipInForce | None:
        """The granted hardship that applies on a day, if any."""
        hardship = self.hardship
        return hardship if hardship is not None and hardship.applies_on(day) else None

    def recovers_by_deduction_on(self, period_start: date) -> bool:
        """True when the debt asks a deduction from benefit for a period starting that day."""
        return (
            self.open
            and not self.with_estate
            and not self.suspended
            and self.method is RecoveryMethod.BENEFIT_DEDUCTION
            and period_start not in self.periods_deducted
            and (self.first_repayment_on is None or period_start >= self.first_repayment_on)
            and not self._paused_on(period_start)
        )

    def _paused_on(self, day: date) -> bool:
        hardship = self.hardship_on(day)
        return hardship is not None and hardship.per_period_pence == 0

    def _refuse_if_cleared(self, action: str) -> None:
        if self.cleared_on is not None:
            raise DebtAlreadyCleared(
                f"cannot {action}: the debt was cleared on {self.cleared_on.isoformat()}"
            )

    def _refuse_recovery(self, action: str, method: RecoveryMethod) -> None:
        self._refuse_if_cleared(action)
        if self.estate_from is not None:
            raise DebtWithEstate(
                f"cannot {action}: the debt is recovered from the estate (date of death "
                f"{self.estate_from.isoformat()}), never from benefit or wages"
            )
        if self.suspended:
            raise RecoverySuspended(f"cannot {action}: recovery of this debt is suspended")
        if self.method is not method:
            chosen = self.method.value if self.method is not None else "not chosen yet"
            raise RecoveryMethodMismatch(
                f"cannot {action}: the debt is recovered by {chosen}, not {method.value}"
            )

    # -- planning and notice --------------------------------------------------------------------

    @implies(
        timeline=_recovery_planned_label,
        letter=NoLetter("told in the debt notice recorded with it"),
    )
    class RecoveryPlanned(JourneyAggregate.Event):
        """The recovery method (and, when it can be set, the rate) were decided by rule."""

        effective_date: date
        method_decision: Decision
        rate_decision: Decision | None
        method: RecoveryMethod
        per_period_pence: int
        repay_months: int | None
        suspended: bool

    def plan_recovery(
        self,
        *,
        on: date,
        on_benefit: bool,
        employed: bool,
        special_rules_suspended: bool,
        standard_allowance_pence: int | None,
        has_earnings: bool = False,
        sources: dict[str, EventRef] | None = None,
    ) -> RecoveryMethod:
        """Decide the method, and the rate when a standard allowance (or an advance) sets it."""
        self._refuse_if_cleared("plan recovery")
        method = DEBT_RECOVERY_METHOD.decide(
            MethodFacts(
                balance_pence=self.balance_pence,
                on_benefit=on_benefit,
                employed=employed,
                cause=self.cause,
                special_rules_suspended=special_rules_suspended,
                penalty=self.kind is DebtKind.PENALTY,
            ),
            on=on,
            sources={"debt": self.ref(), **(sources or {})},
        )
        rate = None
        if method.outcome.method is RecoveryMethod.BENEFIT_DEDUCTION and standard_allowance_pence:
            rate = self.decide_rate(standard_allowance_pence, has_earnings, on)
        self._recovery_planned(
            effective_date=on,
            method_decision=method.record,
            rate_decision=rate.record if rate is not None else None,
            method=method.outcome.method,
            per_period_pence=rate.outcome.per_period_pence if rate is not None else 0,
            repay_months=rate.outcome.months if rate is not None else None,
            suspended=method.outcome.suspended,
        )
        if method.outcome.method is RecoveryMethod.NOT_RECOVERED:
            self._leave_unrecovered(on, method.record)
        return method.outcome.method

    def decide_rate(
        self, standard_allowance_pence: int, has_earnings: bool, on: date
    ) -> Decided[RecoveryRate]:
        """The rate this debt asks for each period, by `debt.recovery_rate`."""
        # An advance's terms are those in force on the day it was taken.
        terms = self.advance_terms
        return DEBT_RECOVERY_RATE.decide(
            RateFacts(
                standard_allowance_pence=standard_allowance_pence,
                cause=self.cause,
                has_earnings=has_earnings,
                advance=terms,
            ),
            on=terms.taken_on if terms is not None else on,
            sources={"debt": self.ref()},
        )

    @event(RecoveryPlanned)
    def _recovery_planned(
        self,
        effective_date: date,
        method_decision: Decision,
        rate_decision: Decision | None,
        method: RecoveryMethod,
        per_period_pence: int,
        repay_months: int | None,
        suspended: bool,
    ) -> None:
        self.method = method
        self.per_period_pence = per_period_pence
        self.repay_months = repay_months
        self.suspended = self.suspended or suspended

    @implies(
        timeline=lambda e: (
            "Debt notice sent"
            + (f": reconsideration by {e.dispute_by.isoformat()}" if e.dispute_by else "")
        ),
        letter=Letter("debt_notice", "Money you owe us", _notified_letter),
    )
    class Notified(JourneyAggregate.Event):
        """The customer was told of the debt, how it is recovered and their dispute rights."""

        effective_date: date
        debt_kind: DebtKind
        benefit: BenefitType
        amount_pence: int
        period_from: date | None
        period_to: date | None
        method: RecoveryMethod
        per_period_pence: int
        repay_months: int | None
        first_repayment_on: date | None
        recovery_on_hold: bool
        dispute_by: date | None

    def notify(self, on: date) -> None:
        """Tell the customer (a letter: the LETTERS registry) once recovery is planned."""
        if self.notified_on is not None or self.method is None:
            return
        self._notified(
            effective_date=on,
            debt_kind=self.kind,
            benefit=self.benefit,
            amount_pence=self.amount_pence,
            period_from=self.period_from,
            period_to=self.period_to,
            method=self.method,
            per_period_pence=self.per_period_pence,
            repay_months=self.repay_months,
            first_repayment_on=self.first_repayment_on,
            recovery_on_hold=self.suspended,
            # An overpayment or penalty decision can be reconsidered within a month of the notice.
            dispute_by=within_months_of(on, 1) if self.kind is not DebtKind.ADVANCE else None,
        )

    @event(Notified)
    def _notified(
        self,
        effective_date: date,
        debt_kind: DebtKind,
        benefit: BenefitType,
        amount_pence: int,
        period_from: date | None,
        period_to: date | None,
        method: RecoveryMethod,
        per_period_pence: int,
        repay_months: int | None,
        first_repayment_on: date | None,
        recovery_on_hold: bool,
        dispute_by: date | None,
    ) -> None:
        self.notified_on = effective_date

    # -- movements ------------------------------------------------------------------------------

    @implies(
        timeline=lambda e: (
            f"{_TAKEN[e.source]}: {pounds(e.amount_pence)} on {e.period_start.isoformat()}, "
            f"{_left(e.balance_after_pence)}"
        ),
        letter=NoLetter("a repayment under the plan the debt notice set out"),
    )
    class DeductionTaken(JourneyAggregate.Event):
        """An amount was recovered for a period: from benefit, from wages or by the plan.

        `decision` is the cap decision of the period (benefit) or the DEA decision (wages);
        `rate_decision` the rate the debt asked for the period, when a rule set it.
        """

        effective_date: date
        source: RecoveryMethod
        period_start: date
        amount_pence: int
        balance_after_pence: int
        decision: Decision | None
        rate_decision: Decision | None

    def take_deduction(
        self,
        *,
        period_start: date,
        amount_pence: int,
        granted_pence: int,
        cap_decision: Decision,
        rate_decision: Decision | None,
    ) -> None:
        """Deduct from benefit for a period, no more than the cap granted this debt."""
        self._refuse_recovery("deduct from benefit", RecoveryMethod.BENEFIT_DEDUCTION)
        _positive(amount_pence, "amount_pence")
        paused = self.hardship_on(period_start)
        if paused is not None and paused.per_period_pence == 0:
            raise RecoverySuspended(
                f"cannot deduct from benefit: recovery is paused until {paused.until.isoformat()}"
            )
        if period_start in self.periods_deducted:
            raise DeductionAlreadyTaken(
                f"a deduction was already taken for the assessment period starting "
                f"{period_start.isoformat()}"
            )
        if amount_pence > granted_pence:
            raise DeductionAboveCap(
                f"amount_pence: {amount_pence} is more than the {granted_pence} pence the "
                f"overall deduction cap allows for this debt in the assessment period starting "
                f"{period_start.isoformat()}"
            )
        if amount_pence > self.balance_pence:
            raise RepaymentExceedsBalance(
                f"amount_pence: {amount_pence} is more than the balance of {self.balance_pence}"
            )
        self._deduction(
            RecoveryMethod.BENEFIT_DEDUCTION,
            period_start,
            amount_pence,
            cap_decision,
            rate_decision,
        )

    def take_earnings_attachment(
        self,
        *,
        pay_date: date,
        net_pay_pence: int,
        frequency: PayFrequency,
        other_attachments_pence: int = 0,
    ) -> int:
        """Attach earnings by the DEA bands, never below the 60% the employee keeps."""
        self._refuse_recovery("attach earnings", RecoveryMethod.EARNINGS_ATTACHMENT)
        if net_pay_pence < 0 or other_attachments_pence < 0:
            raise InvalidDebtAmount(
                "net_pay_pence and other_attachments_pence cannot be negative amounts",
                field="net_pay_pence" if net_pay_pence < 0 else "other_attachments_pence",
            )
        if pay_date in self.pay_dates_attached:
            raise DeductionAlreadyTaken(
                f"earnings were already attached for the pay date {pay_date.isoformat()}"
            )
        decided = DEBT_EARNINGS_ATTACHMENT.decide(
            DeaFacts(
                net_pay_pence=net_pay_pence,
                frequency=frequency,
                other_attachments_pence=other_attachments_pence,
            ),
            on=pay_date,
            sources={"debt": self.ref()},
        )
        amount = min(decided.outcome.deduction_pence, self.balance_pence)
        hardship = self.hardship_on(pay_date)
        if hardship is not None:
            amount = min(amount, hardship.per_period_pence)
        self._deduction(RecoveryMethod.EARNINGS_ATTACHMENT, pay_date, amount, decided.record, None)
        return amount

    def record_voluntary_payment(self, amount_pence: int, paid_on: date) -> None:
        """A payment under a voluntary plan (or from the estate)."""
        self._refuse_if_cleared("record a payment")
        _positive(amount_pence, "amount_pence")
        self._refuse_above_balance(amount_pence)
        self._deduction(RecoveryMethod.VOLUNTARY_PLAN, paid_on, amount_pence, None, None)

    def _refuse_above_balance(self, amount_pence: int) -> None:
        if amount_pence > self.balance_pence:
            raise RepaymentExceedsBalance(
                f"amount_pence: {amount_pence} is more than the balance of {self.balance_pence}"
            )

    def _deduction(
        self,
        source: RecoveryMethod,
        period_start: date,
        amount_pence: int,
        decision: Decision | None,
        rate_decision: Decision | None,
    ) -> None:
        self._deduction_taken(
            effective_date=period_start,
            source=source,
            period_start=period_start,
            amount_pence=amount_pence,
            balance_after_pence=self.balance_pence - amount_pence,
            decision=decision,
            rate_decision=rate_decision,
        )
        self._clear_if_nothing_left(period_start)

    @event(DeductionTaken)
    def _deduction_taken(
        self,
        effective_date: date,
        source: RecoveryMethod,
        period_start: date,
        amount_pence: int,
        balance_after_pence: int,
        decision: Decision | None,
        rate_decision: Decision | None,
    ) -> None:
        self._apply(_SOURCE_MOVEMENT[source], effective_date, amount_pence)
        if source is RecoveryMethod.BENEFIT_DEDUCTION:
            self.periods_deducted[period_start] = amount_pence
        elif source is RecoveryMethod.EARNINGS_ATTACHMENT:
            self.pay_dates_attached[period_start] = amount_pence
        if rate_decision is not None:
            self.per_period_pence = int(rate_decision.outcome["per_period_pence"])

    @implies(
        timeline=lambda e: (
            f"Repaid early: {pounds(e.amount_pence)}, {_left(e.balance_after_pence)}"
        ),
        letter=NoLetter("the customer paid it and so already knows"),
    )
    class Repaid(JourneyAggregate.Event):
        """The customer repaid early, in full or in part."""

        effective_date: date
        amount_pence: int
        balance_after_pence: int

    def repay(self, amount_pence: int, paid_on: date) -> None:
        """Early repayment, always allowed, up to the balance."""
        self._refuse_if_cleared("repay")
        _positive(amount_pence, "amount_pence")
        self._refuse_above_balance(amount_pence)
        self._repaid(
            effective_date=paid_on,
            amount_pence=amount_pence,
            balance_after_pence=self.balance_pence - amount_pence,
        )
        self._clear_if_nothing_left(paid_on)

    @event(Repaid)
    def _repaid(self, effective_date: date, amount_pence: int, balance_after_pence: int) -> None:
        self._apply(MovementKind.REPAYMENT, effective_date, amount_pence)

    @implies(
        timeline=lambda e: f"Written off: {pounds(e.amount_pence)}, {_left(e.balance_after_pence)}",
        letter=Letter("debt_waived", "A decision about money you owe us", _waived_letter),
    )
    class Waived(JourneyAggregate.Event):
        """A person wrote off some or all of the balance, with grounds and reasons."""

        effective_date: date
        decision: Decision
        amount_pence: int
        balance_after_pence: int

    def waive(
        self, amount_pence: int, grounds: WaiverGround, reason: str, decided_on: date
    ) -> None:
        """Write off part or all of the balance (a person's discretionary decision)."""
        self._refuse_if_cleared("waive")
        facts = WaiverFacts(
            balance_pence=self.balance_pence,
            grounds=grounds,
            reason=reason,
            amount_pence=amount_pence,
        )
        check_waiver(facts)
        decided = DEBT_WAIVER.decide(
            facts, on=decided_on, made_by=acting_actor(), sources={"balance": self.ref()}
        )
        written_off = decided.outcome.written_off_pence
        self._waived(
            effective_date=decided_on,
            decision=decided.record,
            amount_pence=written_off,
            balance_after_pence=self.balance_pence - written_off,
        )
        self._clear_if_nothing_left(decided_on)

    @event(Waived)
    def _waived(
        self, effective_date: date, decision: Decision, amount_pence: int, balance_after_pence: int
    ) -> None:
        self._apply(MovementKind.WAIVER, effective_date, amount_pence)

    @implies(
        timeline=lambda e: f"Small debt of {pounds(e.amount_pence)} left unrecovered",
        letter=NoLetter("told in the debt notice recorded with it"),
    )
    class LeftUnrecovered(JourneyAggregate.Event):
        """A small balance is not recovered (the recovery method rule said so)."""

        effective_date: date
        decision: Decision
        amount_pence: int
        balance_after_pence: int

    def _leave_unrecovered(self, on: date, decision: Decision) -> None:
        # The method rule's NOT_RECOVERED: the small balance is left, all of it.
        self._left_unrecovered(
            effective_date=on,
            decision=decision,
            amount_pence=self.balance_pence,
            balance_after_pence=0,
        )
        self._clear_if_nothing_left(on)

    @event(LeftUnrecovered)
    def _left_unrecovered(
        self, effective_date: date, decision: Decision, amount_pence: int, balance_after_pence: int
    ) -> None:
        self._apply(MovementKind.LEFT_UNRECOVERED, effective_date, amount_pence)

    def _apply(self, kind: MovementKind, on: date, amount_pence: int) -> None:
        self.movements.append(Movement(kind=kind, on=on, amount_pence=amount_pence))
        self.balance_pence -= amount_pence

    @implies(
        timeline=lambda e: "Debt cleared: nothing owed",
        letter=NoLetter("the balance reached nothing through facts already told"),
    )
    class Cleared(JourneyAggregate.Event):
        """Nothing is owed any more (saved with the movement that cleared it)."""

        effective_date: date

    def _clear_if_nothing_left(self, on: date) -> None:
        if self.balance_pence == 0 and self.cleared_on is None:
            self._cleared(effective_date=on)

    @event(Cleared)
    def _cleared(self, effective_date: date) -> None:
        self.cleared_on = effective_date

    # -- hardship -------------------------------------------------------------------------------

    @implies(
        timeline=_hardship_requested_label,
        letter=NoLetter("the customer's own request; the hardship decision answers it"),
    )
    class HardshipRequested(JourneyAggregate.Event):
        """The customer asked for recovery to be reduced or paused for some months."""

        effective_date: date
        kind: HardshipKind
        months: int
        reason: str
        reduced_per_period_pence: int | None

    def request_hardship(
        self,
        *,
        kind: HardshipKind,
        months: int,
        reason: str,
        requested_on: date,
        reduced_per_period_pence: int | None = None,
    ) -> None:
        """Ask for hardship; a request the rule could never grant is refused outright."""
        self._refuse_if_cleared("ask for hardship")
        if self.hardship_request is not None:
            raise HardshipAlreadyRequested(
                "a hardship request made on "
                f"{self.hardship_request.requested_on.isoformat()} is waiting for a decision"
            )
        check_hardship_request(
            self._hardship_facts(kind, months, reason, reduced_per_period_pence, agrees=False),
            requested_on,
        )
        self._hardship_requested(
            effective_date=requested_on,
            kind=kind,
            months=months,
            reason=reason.strip(),
            reduced_per_period_pence=reduced_per_period_pence,
        )

    def _hardship_facts(
        self,
        kind: HardshipKind,
        months: int,
        reason: str,
        reduced_per_period_pence: int | None,
        *,
        agrees: bool,
    ) -> HardshipFacts:
        return HardshipFacts(
            kind=kind,
            months=months,
            current_per_period_pence=self.current_per_period_pence,
            reduced_per_period_pence=reduced_per_period_pence,
            decision_maker_agrees=agrees,
            reason=reason,
        )

    @event(HardshipRequested)
    def _hardship_requested(
        self,
        effective_date: date,
        kind: HardshipKind,
        months: int,
        reason: str,
        reduced_per_period_pence: int | None,
    ) -> None:
        self.hardship_request = HardshipRequest(
            kind=kind,
            months=months,
            reason=reason,
            reduced_per_period_pence=reduced_per_period_pence,
            requested_on=effective_date,
        )

    @implies(
        timeline=_hardship_decided_label,
        letter=Letter(
            "debt_hardship_decision", "Your request about your repayments", _hardship_decided_letter
        ),
    )
    class HardshipDecided(JourneyAggregate.Event):
        """A decision maker decided the hardship request (granted: the rate and its months)."""

        effective_date: date
        decision: Decision
        granted: bool
        kind: HardshipKind
        from_on: date
        until: date | None
        per_period_pence: int

    def decide_hardship(self, *, agree: bool, reason: str, decided_on: date) -> bool:
        """Decide the waiting request by the hardship rule; True when granted."""
        request = self.hardship_request
        if request is None:
            raise NoHardshipRequest("no hardship request is waiting for a decision")
        facts = self._hardship_facts(
            request.kind, request.months, reason, request.reduced_per_period_pence, agrees=agree
        )
        check_hardship_request(facts, decided_on)
        decided = DEBT_HARDSHIP.decide(
            facts, on=decided_on, made_by=acting_actor(), sources={"request": self.ref()}
        )
        outcome = decided.outcome
        self._hardship_decided(
            effective_date=decided_on,
            decision=decided.record,
            granted=outcome.granted,
            kind=outcome.kind,
            from_on=decided_on,
            until=add_calendar_months(decided_on, outcome.months) if outcome.granted else None,
            per_period_pence=outcome.per_period_pence,
        )
        return outcome.granted

    @event(HardshipDecided)
    def _hardship_decided(
        self,
        effective_date: date,
        decision: Decision,
        granted: bool,
        kind: HardshipKind,
        from_on: date,
        until: date | None,
        per_period_pence: int,
    ) -> None:
        self.hardship_request = None
        if granted and until is not None:
            self.hardship = HardshipInForce(
                kind=kind,
                from_on=from_on,
                months=int(decision.outcome["months"]),
                until=until,
                per_period_pence=per_period_pence,
            )

    # -- suspension and death -------------------------------------------------------------------

    @implies(
        timeline=lambda e: "Recovery suspended under the Special Rules debt recovery policy",
        letter=NoLetter("nothing is sent: a letter could reveal why recovery stopped"),
    )
    class RecoverySuspended(JourneyAggregate.Event):
        """Recovery stopped under department policy (the decision that says so, by reference)."""

        effective_date: date
        policy: Decision
        policy_ref: EventRef

    def suspend_by_policy(self, policy: Decision, policy_ref: EventRef, on: date) -> bool:
        """Suspend recovery of an open debt by a recorded policy decision; False if no change."""
        if self.cleared or self.with_estate or self.suspended_by is not None:
            return False
        self._recovery_suspended(effective_date=on, policy=policy, policy_ref=policy_ref)
        return True

    @event(RecoverySuspended)
    def _recovery_suspended(
        self, effective_date: date, policy: Decision, policy_ref: EventRef
    ) -> None:
        self.suspended = True
        self.suspended_by = policy

    @implies(
        timeline=lambda e: (
            f"Debt transferred to the estate: {pounds(e.balance_pence)} to recover "
            f"(reference {e.reference}), never from family"
        ),
        letter=NoLetter("the customer has died: the estate is written to outside Journeys"),
    )
    class TransferredToEstate(JourneyAggregate.Event):
        """The customer died: the balance is recovered from the estate, never from family."""

        effective_date: date
        reference: str
        balance_pence: int

    def transfer_to_estate(self, date_of_death: date, reference: str) -> bool:
        """Move an open debt to the estate; False when nothing is owed or it moved already."""
        if self.cleared or self.with_estate:
            return False
        self._transferred_to_estate(
            effective_date=date_of_death, reference=reference, balance_pence=self.balance_pence
        )
        return True

    @event(TransferredToEstate)
    def _transferred_to_estate(
        self, effective_date: date, reference: str, balance_pence: int
    ) -> None:
        self.estate_from = effective_date
        self.estate_reference = reference
        self.hardship_request = None


# -- all of a customer's deductions for one assessment period -------------------------------------


@dataclass(frozen=True)
class PlannedDeduction:
    """What one debt is granted for a period, and the rate decision it asked with."""

    debt: Debt
    requested_pence: int
    granted_pence: int
    rate_decision: Decision | None


@dataclass(frozen=True)
class PeriodDeductions:
    """The one cap decision of a period and what each debt is granted under it."""

    cap: Decided[CapOutcome]
    planned: tuple[PlannedDeduction, ...]


def _request_of(
    debt: Debt, period_start: date, standard_allowance_pence: int, has_earnings: bool
) -> tuple[int, Decision | None]:
    hardship = debt.hardship_on(period_start)
    if hardship is not None:
        # A granted reduction is the rate for its months (its decision is on the debt's record).
        return min(hardship.per_period_pence, debt.balance_pence), None
    rate = debt.decide_rate(standard_allowance_pence, has_earnings, period_start)
    return min(rate.outcome.per_period_pence, debt.balance_pence), rate.record


def plan_period_deductions(
    debts: Iterable[Debt],
    *,
    period_start: date,
    standard_allowance_pence: int,
    has_earnings: bool = False,
    last_resort_pence: int = 0,
) -> PeriodDeductions:
    """One `debt.deduction_cap` decision for all the customer's debts that ask in a period."""
    if last_resort_pence < 0:
        raise InvalidDebtAmount(
            f"last_resort_pence: {last_resort_pence} cannot be negative", field="last_resort_pence"
        )
    asking = [debt for debt in debts if debt.recovers_by_deduction_on(period_start)]
    requests: list[DeductionRequest] = []
    asked: list[tuple[Debt, int, Decision | None]] = []
    for debt in asking:
        amount, rate = _request_of(debt, period_start, standard_allowance_pence, has_earnings)
        asked.append((debt, amount, rate))
        requests.append(
            DeductionRequest(
                item_id=str(debt.id),
                deduction_class=debt.deduction_class,
                requested_pence=amount,
            )
        )
    if last_resort_pence:
        requests.append(
            DeductionRequest(
                item_id=LAST_RESORT_ITEM,
                deduction_class=DeductionClass.LAST_RESORT,
                requested_pence=last_resort_pence,
            )
        )
    cap = decide_deduction_cap(
        CapFacts(
            assessment_period_start=period_start,
            standard_allowance_pence=standard_allowance_pence,
            requests=tuple(requests),
        ),
        sources={str(debt.id): debt.ref() for debt in asking},
    )
    granted = {grant.item_id: grant.granted_pence for grant in cap.outcome.granted}
    return PeriodDeductions(
        cap=cap,
        planned=tuple(
            PlannedDeduction(
                debt=debt,
                requested_pence=amount,
                granted_pence=granted[str(debt.id)],
                rate_decision=rate,
            )
            for debt, amount, rate in asked
        ),
    )


# -- the what-if: a proposed hardship or write-off against the current schedule, no write ---------


class ProposalKind(Enum):
    """What the what-if tries on one debt."""

    REDUCE = "reduce"
    PAUSE = "pause"
    WRITE_OFF = "write_off"


class DebtProposal(ValueObject):
    """A proposed hardship reduction or pause for some months, or a write-off, on one debt."""

    debt_id: UUID
    kind: ProposalKind
    months: int | None = None
    reduced_per_period_pence: int | None = None
    amount_pence: int | None = None
    starts_on: date | None = None


class DebtProjection(ValueObject):
    """One debt's schedule as it stands and as it would be under the proposal."""

    debt_id: UUID
    balance_pence: int
    per_period_pence: int
    first_on: date
    current: Schedule
    proposed: Schedule
    current_clear_on: date | None
    proposed_clear_on: date | None


class WhatIf(ValueObject):
    """Every open debt of the customer, now and under the proposal (nothing is written)."""

    customer_id: UUID
    proposal: DebtProposal
    debts: tuple[DebtProjection, ...]


def expected_per_period_pence(debt: Debt) -> int:
    """The amount a debt is expected to bring down each month (0 while it is not recovered)."""
    if not debt.open or debt.suspended or debt.with_estate:
        return 0
    return debt.current_per_period_pence


def next_payment_on(debt: Debt, today: date) -> date:
    """The day the next recovery is expected: a month after the last, from the first due."""
    taken = [*debt.periods_deducted, *debt.pay_dates_attached]
    day = add_calendar_months(max(taken), 1) if taken else debt.first_repayment_on or today
    months = 0
    start = day
    while day < today:
        months += 1
        day = add_calendar_months(start, months)
    return day


def _current_adjustments(debt: Debt) -> tuple[Adjustment, ...]:
    hardship = debt.hardship
    if hardship is None:
        return ()
    return (
        Adjustment(
            starts_on=hardship.from_on,
            months=hardship.months,
            per_period_pence=hardship.per_period_pence,
        ),
    )


def what_if(
    customer_id: UUID, debts: Sequence[Debt], proposal: DebtProposal, today: date
) -> WhatIf:
    """Each open debt's schedule now and under the proposal; a bad proposal is refused."""
    by_id = {debt.id: debt for debt in debts if debt.open}
    target = by_id.get(proposal.debt_id)
    if target is None:
        raise InvalidDebt(
            f"debt_id: {proposal.debt_id} is not an open debt of the customer", field="debt_id"
        )
    projections = []
    for debt in by_id.values():
        rate = expected_per_period_pence(debt)
        first_on = next_payment_on(debt, today)
        adjustments = _current_adjustments(debt)
        current = project_schedule(debt.balance_pence, rate, first_on, adjustments)
        proposed = current
        if debt is target:
            proposed = _proposed_schedule(debt, proposal, rate, first_on, adjustments, today)
        projections.append(
            DebtProjection(
                debt_id=debt.id,
                balance_pence=debt.balance_pence,
                per_period_pence=rate,
                first_on=first_on,
                current=current,
                proposed=proposed,
                current_clear_on=current.clear_on,
                proposed_clear_on=proposed.clear_on,
            )
        )
    return WhatIf(customer_id=customer_id, proposal=proposal, debts=tuple(projections))


def _proposed_schedule(
    debt: Debt,
    proposal: DebtProposal,
    rate: int,
    first_on: date,
    adjustments: tuple[Adjustment, ...],
    today: date,
) -> Schedule:
    if proposal.kind is ProposalKind.WRITE_OFF:
        amount = proposal.amount_pence if proposal.amount_pence is not None else 0
        check_waiver(
            WaiverFacts(
                balance_pence=debt.balance_pence,
                grounds=WaiverGround.OTHER,
                reason="what-if",
                amount_pence=amount,
            )
        )
        return project_schedule(debt.balance_pence - amount, rate, first_on, adjustments)
    kind = HardshipKind.PAUSE if proposal.kind is ProposalKind.PAUSE else HardshipKind.REDUCE
    months = proposal.months if proposal.months is not None else 0
    check_hardship_request(
        HardshipFacts(
            kind=kind,
            months=months,
            current_per_period_pence=rate,
            reduced_per_period_pence=proposal.reduced_per_period_pence,
            decision_maker_agrees=True,
            reason="what-if",
        ),
        today,
    )
    lowered = Adjustment(
        starts_on=proposal.starts_on or first_on,
        months=months,
        per_period_pence=proposal.reduced_per_period_pence or 0,
    )
    return project_schedule(debt.balance_pence, rate, first_on, (*adjustments, lowered))


def balance_of(debt: Debt) -> int:
    """The balance recomputed from the movements: the amount less their sum."""
    return debt.amount_pence - debt.moved_pence


def open_debts(debts: Sequence[Debt]) -> list[Debt]:
    """The debts still owed."""
    return [debt for debt in debts if debt.open]
