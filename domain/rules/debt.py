"""Debt recovery rules: the deduction cap, recovery rates and methods, DEA, hardship, waiver.

RULES.md section 5. The overall UC deduction cap is a share of the standard allowance,
decided on the assessment period's START date: 40% -> 30% (Oct 2019) -> 25% (Apr 2021) ->
15% for assessment periods starting on or after 2025-04-30. Fraud penalties sit outside the
cap; last resort deductions (third-party rent and fuel arrears) may exceed it. Recovery rates,
advance terms, Direct Earnings Attachment bands, the 60% protection, hardship limits and the
small-debt threshold are parameters with effective dates; figures not in RULES.md are marked
UNVERIFIED in the version summaries.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from itertools import pairwise

from pydantic import Field, model_validator

from domain.errors import InvalidHardshipRequest, InvalidWaiver
from domain.rules.framework import Decided, Evaluation, NoParameters, Rule, RuleVersion
from domain.values import Actor, EventRef, ValueObject, pounds

CPAG_DEDUCTIONS = "https://askcpag.org.uk/content/206836/uc-and-deductions-recent-changes"
GOV_UK_RECOVERY_GUIDE = (
    "https://www.gov.uk/government/publications/benefit-overpayment-recovery-staff-guide"
)
GOV_UK_DEA_EMPLOYERS = (
    "https://www.gov.uk/government/publications/direct-earnings-attachments-an-employers-guide"
)
GOV_UK_ADVANCES = "https://www.gov.uk/guidance/universal-credit-advances"
# A council's copy of the regulation's DEA tables (SI 2013/384): "exceeding £100 but not
# exceeding £160", which puts an amount exactly on an edge in the LOWER band.
DEA_TABLES_COPY = "https://www.somersetwestandtaunton.gov.uk/benefits/amount-to-deduct/"
RULE_BOOK = "Journeys RULES.md section 5 (department debt recovery policy)"

UC_START = date(2013, 4, 29)
"""Universal Credit began: the first row of every debt rule table."""

__all__ = [
    "DEBT_DEDUCTION_CAP",
    "DEBT_EARNINGS_ATTACHMENT",
    "DEBT_HARDSHIP",
    "DEBT_RECOVERY_METHOD",
    "DEBT_RECOVERY_RATE",
    "DEBT_RULES",
    "DEBT_WAIVER",
    "AdvanceKind",
    "AdvanceTerms",
    "CapFacts",
    "CapOutcome",
    "CapParameters",
    "DeaBand",
    "DeaFacts",
    "DeaOutcome",
    "DeaParameters",
    "DebtCause",
    "DeductionClass",
    "DeductionRequest",
    "GrantedDeduction",
    "HardshipFacts",
    "HardshipKind",
    "HardshipOutcome",
    "HardshipParameters",
    "MethodFacts",
    "MethodOutcome",
    "MethodParameters",
    "PayFrequency",
    "RateFacts",
    "RateParameters",
    "RecoveryMethod",
    "RecoveryRate",
    "WaiverFacts",
    "WaiverGround",
    "WaiverOutcome",
    "check_hardship_request",
    "check_waiver",
    "decide_deduction_cap",
    "pounds",
]


def _day(day: date) -> str:
    return day.isoformat()


def _ceil_div(numerator: int, denominator: int) -> int:
    # Integer ceiling: money never goes through float.
    return -(-numerator // denominator)


# -- kinds -----------------------------------------------------------------------------------------


class DebtCause(Enum):
    """Why an overpayment happened."""

    OFFICIAL_ERROR = "official_error"
    CLAIMANT_ERROR = "claimant_error"
    FRAUD = "fraud"


class AdvanceKind(Enum):
    """The kind of a UC advance (each is repaid over its own number of months)."""

    NEW_CLAIM = "new_claim"
    CHANGE_OF_CIRCUMSTANCES = "change_of_circumstances"


class RecoveryMethod(Enum):
    """How a debt is recovered."""

    BENEFIT_DEDUCTION = "benefit_deduction"
    EARNINGS_ATTACHMENT = "earnings_attachment"
    VOLUNTARY_PLAN = "voluntary_plan"
    NOT_RECOVERED = "not_recovered"


class DeductionClass(Enum):
    """What the overall deduction cap sees of a deduction (its priority is a parameter)."""

    LAST_RESORT = "last_resort"
    ADVANCE = "advance"
    OVERPAYMENT = "overpayment"
    FRAUD_OVERPAYMENT = "fraud_overpayment"
    FRAUD_PENALTY = "fraud_penalty"


class PayFrequency(Enum):
    """How often an employer pays the wages a DEA is taken from."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"


class HardshipKind(Enum):
    """What a hardship request asks for."""

    REDUCE = "reduce"
    PAUSE = "pause"


class WaiverGround(Enum):
    """Why a debt is written off."""

    TERMINAL_ILLNESS = "terminal_illness"
    DISTRESS = "distress"
    OFFICIAL_ERROR_HARDSHIP = "official_error_hardship"
    OTHER = "other"


# -- 1. the overall deduction cap ------------------------------------------------------------------

# Handled apart from the priority order: the penalty is outside the cap; last resort first.
_OUTSIDE_CAP = DeductionClass.FRAUD_PENALTY
_LAST_RESORT = DeductionClass.LAST_RESORT


class CapParameters(ValueObject):
    """The cap as a share of the standard allowance and the order deductions fill it in."""

    cap_percent: int = Field(ge=0, le=100)
    priority_order: tuple[DeductionClass, ...] = (
        DeductionClass.LAST_RESORT,
        DeductionClass.FRAUD_PENALTY,
        DeductionClass.ADVANCE,
        DeductionClass.FRAUD_OVERPAYMENT,
        DeductionClass.OVERPAYMENT,
    )

    @model_validator(mode="after")
    def _every_class_once(self) -> CapParameters:
        if sorted(c.value for c in self.priority_order) != sorted(c.value for c in DeductionClass):
            raise ValueError("priority_order must name every deduction class exactly once")
        return self


class DeductionRequest(ValueObject):
    """One deduction asked for in an assessment period (a debt's rate, or a last resort)."""

    item_id: str = Field(min_length=1)
    deduction_class: DeductionClass
    requested_pence: int = Field(ge=0)


class CapFacts(ValueObject):
    """The assessment period, its standard allowance and every deduction asked for in it."""

    assessment_period_start: date
    standard_allowance_pence: int = Field(gt=0)
    requests: tuple[DeductionRequest, ...]

    @model_validator(mode="after")
    def _unique_items(self) -> CapFacts:
        ids = [request.item_id for request in self.requests]
        if len(ids) != len(set(ids)):
            raise ValueError("each deduction request needs its own item_id")
        return self


class GrantedDeduction(ValueObject):
    """What one request is granted (`outside_cap`: a fraud penalty, not counted in the cap)."""

    item_id: str
    granted_pence: int
    outside_cap: bool


class CapOutcome(ValueObject):
    """The cap in pence and what each request is granted, in the order of the requests."""

    cap_pence: int
    granted: tuple[GrantedDeduction, ...]
    total_under_cap_pence: int
    total_pence: int

    def granted_to(self, item_id: str) -> int:
        """The amount granted to one request (0 when it is not among them)."""
        for grant in self.granted:
            if grant.item_id == item_id:
                return grant.granted_pence
        return 0


def _deduction_cap(facts: CapFacts, table: CapParameters) -> Evaluation[CapOutcome]:
    cap = facts.standard_allowance_pence * table.cap_percent // 100
    reasons = [
        f"For the assessment period starting {_day(facts.assessment_period_start)} the overall "
        f"deduction cap is {table.cap_percent}% of the standard allowance of "
        f"{pounds(facts.standard_allowance_pence)}: {pounds(cap)}."
    ]
    granted: dict[str, int] = {}
    for request in facts.requests:
        if request.deduction_class is _OUTSIDE_CAP:
            granted[request.item_id] = request.requested_pence
    penalties = sum(granted.values())
    if penalties:
        reasons.append(f"Fraud penalties of {pounds(penalties)} are taken outside the cap.")
    last_resort = 0
    for request in facts.requests:
        if request.deduction_class is _LAST_RESORT:
            granted[request.item_id] = request.requested_pence
            last_resort += request.requested_pence
    room = max(0, cap - last_resort)
    if last_resort:
        reasons.append(
            f"Last resort deductions of {pounds(last_resort)} are taken in full"
            + (", above the cap" if last_resort > cap else "")
            + f"; {pounds(room)} of the cap is left."
        )
    for deduction_class in table.priority_order:
        if deduction_class in (_OUTSIDE_CAP, _LAST_RESORT):
            continue
        for request in facts.requests:
            if request.deduction_class is not deduction_class:
                continue
            amount = min(request.requested_pence, room)
            room -= amount
            granted[request.item_id] = amount
            if amount < request.requested_pence:
                reasons.append(
                    f"{request.item_id} ({deduction_class.value}) asked for "
                    f"{pounds(request.requested_pence)} and is granted {pounds(amount)}: the "
                    "cap allows no more."
                )
    grants = tuple(
        GrantedDeduction(
            item_id=request.item_id,
            granted_pence=granted[request.item_id],
            outside_cap=request.deduction_class is _OUTSIDE_CAP,
        )
        for request in facts.requests
    )
    total = sum(grant.granted_pence for grant in grants)
    under_cap = sum(grant.granted_pence for grant in grants if not grant.outside_cap)
    reasons.append(
        f"{pounds(total)} is deducted in all, {pounds(under_cap)} of it counted against the cap."
    )
    return Evaluation(
        CapOutcome(
            cap_pence=cap, granted=grants, total_under_cap_pence=under_cap, total_pence=total
        ),
        tuple(reasons),
    )


_PRIORITY_NOTE = (
    " The priority order (last resort, fraud penalty, advance, fraud overpayment, overpayment) "
    "is a parameter: UNVERIFIED."
)

DEBT_DEDUCTION_CAP: Rule[CapFacts, CapParameters, CapOutcome] = Rule(
    rule_id="debt.deduction_cap",
    title="The overall cap on deductions from Universal Credit (by assessment period start)",
    sources=(CPAG_DEDUCTIONS,),
    inputs_type=CapFacts,
    outcome_type=CapOutcome,
    versions=(
        RuleVersion(
            version=1,
            effective_from=UC_START,
            parameters=CapParameters(cap_percent=40),
            summary="Deductions capped at 40% of the standard allowance; fraud penalties "
            "outside the cap, last resort deductions may exceed it." + _PRIORITY_NOTE,
        ),
        RuleVersion(
            version=2,
            effective_from=date(2019, 10, 1),
            parameters=CapParameters(cap_percent=30),
            summary="30% from October 2019 (the day, 1 October, is UNVERIFIED)." + _PRIORITY_NOTE,
        ),
        RuleVersion(
            version=3,
            effective_from=date(2021, 4, 12),
            parameters=CapParameters(cap_percent=25),
            summary="25% from April 2021 (the day, 12 April, is UNVERIFIED)." + _PRIORITY_NOTE,
        ),
        RuleVersion(
            version=4,
            effective_from=date(2025, 4, 30),
            parameters=CapParameters(cap_percent=15),
            summary="15% for assessment periods starting on or after 30 April 2025 (Fair "
            "Repayment Rate)." + _PRIORITY_NOTE,
        ),
    ),
    evaluate=_deduction_cap,
)


def decide_deduction_cap(
    facts: CapFacts,
    *,
    made_by: Actor | None = None,
    sources: Mapping[str, EventRef] | None = None,
) -> Decided[CapOutcome]:
    """Decide the cap with the version in force on the assessment period's start date."""
    return DEBT_DEDUCTION_CAP.decide(
        facts, on=facts.assessment_period_start, made_by=made_by, sources=sources
    )


# -- 2. the recovery rate --------------------------------------------------------------------------


class AdvanceTerms(ValueObject):
    """An advance of UC: its kind, amount and the day it was taken."""

    kind: AdvanceKind
    amount_pence: int = Field(gt=0)
    taken_on: date


class RateParameters(ValueObject):
    """Recovery shares of the standard allowance and the months advances are repaid over."""

    normal_percent: int = Field(ge=0, le=100)
    with_earnings_percent: int = Field(ge=0, le=100)
    fraud_percent: int = Field(ge=0, le=100)
    new_claim_advance_months: int = Field(ge=1)
    new_claim_advance_months_before: int = Field(ge=1)
    new_claim_longer_from: date
    change_of_circumstances_advance_months: int = Field(ge=1)


class RateFacts(ValueObject):
    """A debt's cause (None for an advance), the allowance and whether there are earnings."""

    standard_allowance_pence: int = Field(gt=0)
    cause: DebtCause | None = None
    has_earnings: bool = False
    advance: AdvanceTerms | None = None

    @model_validator(mode="after")
    def _overpayment_or_advance(self) -> RateFacts:
        if (self.cause is None) == (self.advance is None):
            raise ValueError("a debt is either an overpayment with a cause or an advance")
        return self


class RecoveryRate(ValueObject):
    """The deduction a debt asks for each assessment period, and why."""

    per_period_pence: int
    basis: str
    months: int | None


def _recovery_rate(facts: RateFacts, table: RateParameters) -> Evaluation[RecoveryRate]:
    allowance = pounds(facts.standard_allowance_pence)
    if facts.advance is not None:
        advance = facts.advance
        if advance.kind is AdvanceKind.NEW_CLAIM:
            longer = advance.taken_on >= table.new_claim_longer_from
            months = (
                table.new_claim_advance_months if longer else table.new_claim_advance_months_before
            )
            when = (
                f"taken on {_day(advance.taken_on)}, "
                + ("on or after " if longer else "before ")
                + _day(table.new_claim_longer_from)
            )
            basis = "new claim advance"
        else:
            months = table.change_of_circumstances_advance_months
            when = f"taken on {_day(advance.taken_on)}"
            basis = "change of circumstances advance"
        per_period = _ceil_div(advance.amount_pence, months)
        return Evaluation(
            RecoveryRate(per_period_pence=per_period, basis=basis, months=months),
            (
                f"A {basis} of {pounds(advance.amount_pence)} ({when}) is repaid over "
                f"{months} months.",
                f"{pounds(per_period)} a month (rounded up to the penny).",
            ),
        )
    if facts.cause is DebtCause.FRAUD:
        percent, basis, why = table.fraud_percent, "fraud", "an overpayment from fraud"
    elif facts.has_earnings:
        percent, basis, why = table.with_earnings_percent, "earnings", "the customer has earnings"
    else:
        percent, basis, why = table.normal_percent, "standard", "the normal rate"
    per_period = facts.standard_allowance_pence * percent // 100
    return Evaluation(
        RecoveryRate(per_period_pence=per_period, basis=basis, months=None),
        (
            f"Recovered at {percent}% of the standard allowance of {allowance}: {why}.",
            f"{pounds(per_period)} each assessment period, subject to the overall cap.",
        ),
    )


DEBT_RECOVERY_RATE: Rule[RateFacts, RateParameters, RecoveryRate] = Rule(
    rule_id="debt.recovery_rate",
    title="The deduction an overpayment or advance asks for each assessment period",
    sources=(CPAG_DEDUCTIONS, GOV_UK_ADVANCES),
    inputs_type=RateFacts,
    outcome_type=RecoveryRate,
    versions=(
        RuleVersion(
            version=1,
            effective_from=UC_START,
            parameters=RateParameters(
                normal_percent=15,
                with_earnings_percent=25,
                fraud_percent=40,
                new_claim_advance_months=24,
                new_claim_advance_months_before=12,
                new_claim_longer_from=date(2021, 4, 12),
                change_of_circumstances_advance_months=6,
            ),
            summary="Overpayments: 15% of the standard allowance, 25% with earnings, 40% for "
            "fraud (UNVERIFIED against the current cap; the overall cap still applies). "
            "Advances: new claim over 24 months when taken on or after 12 April 2021 (12 "
            "before); change of circumstances over 6 months (RULES.md: 'about 6').",
        ),
    ),
    evaluate=_recovery_rate,
)


# -- 3. the recovery method ------------------------------------------------------------------------


class MethodParameters(ValueObject):
    """Below this balance an overpayment not from fraud may be left unrecovered."""

    small_debt_threshold_pence: int = Field(ge=0)


class MethodFacts(ValueObject):
    """The debt's balance and cause and the customer's situation."""

    balance_pence: int = Field(ge=0)
    on_benefit: bool
    employed: bool
    cause: DebtCause | None = None
    special_rules_suspended: bool = False
    penalty: bool = Field(
        default=False, description="a civil or administrative penalty: never left as a small debt"
    )


class MethodOutcome(ValueObject):
    """How the debt is recovered, and whether recovery is suspended by policy."""

    method: RecoveryMethod
    suspended: bool


def _recovery_method(facts: MethodFacts, table: MethodParameters) -> Evaluation[MethodOutcome]:
    balance, threshold = pounds(facts.balance_pence), pounds(table.small_debt_threshold_pence)
    small = facts.balance_pence < table.small_debt_threshold_pence
    # A penalty is imposed to be paid: however small, it is not written off. (A new input, False
    # in every decision made before penalties existed, so those decisions re-run the same.)
    if (
        small
        and not facts.penalty
        and facts.cause in (DebtCause.OFFICIAL_ERROR, DebtCause.CLAIMANT_ERROR)
    ):
        method = RecoveryMethod.NOT_RECOVERED
        reasons = [
            f"The balance of {balance} is under {threshold} and the overpayment is not from "
            "fraud: it is left unrecovered."
        ]
    elif facts.on_benefit:
        method = RecoveryMethod.BENEFIT_DEDUCTION
        reasons = [f"The customer is on benefit: {balance} is recovered by deduction from it."]
    elif facts.employed:
        method = RecoveryMethod.EARNINGS_ATTACHMENT
        reasons = [
            f"The customer is off benefit and employed: {balance} is recovered by a direct "
            "earnings attachment."
        ]
    else:
        method = RecoveryMethod.VOLUNTARY_PLAN
        reasons = [
            f"The customer is off benefit and not employed: {balance} is recovered by a "
            "voluntary plan at an affordable rate."
        ]
    if facts.special_rules_suspended:
        # The reason stays neutral: it may reach a customer who must not learn of Special Rules.
        reasons.append("Recovery is suspended under department policy.")
    return Evaluation(
        MethodOutcome(method=method, suspended=facts.special_rules_suspended), tuple(reasons)
    )


DEBT_RECOVERY_METHOD: Rule[MethodFacts, MethodParameters, MethodOutcome] = Rule(
    rule_id="debt.recovery_method",
    title="How a debt is recovered: benefit deduction, earnings attachment or voluntary plan",
    sources=(GOV_UK_RECOVERY_GUIDE, RULE_BOOK),
    inputs_type=MethodFacts,
    outcome_type=MethodOutcome,
    versions=(
        RuleVersion(
            version=1,
            effective_from=UC_START,
            parameters=MethodParameters(small_debt_threshold_pence=6_500),
            summary="Overpayments under £65 not from fraud are left unrecovered; otherwise "
            "deduction from benefit, else a direct earnings attachment when employed, else a "
            "voluntary plan. Recovery suspended by the Special Rules policy keeps the method.",
        ),
    ),
    evaluate=_recovery_method,
)


# -- 4. direct earnings attachment -----------------------------------------------------------------


class DeaBand(ValueObject):
    """A band of net pay exceeding low_pence and not exceeding high_pence (None: no top)."""

    low_pence: int = Field(ge=0)
    high_pence: int | None
    percent: int = Field(ge=0, le=100)

    def holds(self, net_pay_pence: int) -> bool:
        """True when the net pay exceeds the low edge (the first band from 0) and not the high."""
        return (net_pay_pence > self.low_pence or self.low_pence == 0) and (
            self.high_pence is None or net_pay_pence <= self.high_pence
        )

    def described(self) -> str:
        """The band in the regulation's words."""
        if self.low_pence == 0:
            return f"not exceeding {pounds(self.high_pence or 0)}"
        if self.high_pence is None:
            return f"exceeding {pounds(self.low_pence)}"
        return f"exceeding {pounds(self.low_pence)} and not exceeding {pounds(self.high_pence)}"


def _contiguous(bands: tuple[DeaBand, ...]) -> bool:
    if not bands or bands[0].low_pence != 0 or bands[-1].high_pence is not None:
        return False
    return all(prev.high_pence == band.low_pence for prev, band in pairwise(bands))


class DeaParameters(ValueObject):
    """The weekly and monthly band tables and the share of net pay always protected."""

    weekly_bands: tuple[DeaBand, ...]
    monthly_bands: tuple[DeaBand, ...]
    protected_share_percent: int = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _bands_cover_all_pay(self) -> DeaParameters:
        if not (_contiguous(self.weekly_bands) and _contiguous(self.monthly_bands)):
            raise ValueError("DEA bands must run from 0 without gaps to an open top band")
        return self

    def bands(self, frequency: PayFrequency) -> tuple[DeaBand, ...]:
        """The table for a pay frequency."""
        return self.weekly_bands if frequency is PayFrequency.WEEKLY else self.monthly_bands


class DeaFacts(ValueObject):
    """One pay day's net pay, how often it is paid, and other attachments already taken."""

    net_pay_pence: int = Field(ge=0)
    frequency: PayFrequency
    other_attachments_pence: int = Field(default=0, ge=0)


class DeaOutcome(ValueObject):
    """The band's share and the deduction (`protected`: cut so 60% of net pay is kept)."""

    band_percent: int
    deduction_pence: int
    protected: bool


def _earnings_attachment(facts: DeaFacts, table: DeaParameters) -> Evaluation[DeaOutcome]:
    net = facts.net_pay_pence
    band = next(band for band in table.bands(facts.frequency) if band.holds(net))
    by_band = net * band.percent // 100
    kept = _ceil_div(net * table.protected_share_percent, 100)
    allowed = max(0, net - kept - facts.other_attachments_pence)
    deduction = min(by_band, allowed)
    protected = deduction < by_band
    reasons = [
        f"Net {facts.frequency.value} pay of {pounds(net)} is in the band "
        f"{band.described()}: {band.percent}%, {pounds(by_band)}."
    ]
    if protected:
        reasons.append(
            f"The employee keeps at least {table.protected_share_percent}% of net pay "
            f"({pounds(kept)})"
            + (
                f" after other attachments of {pounds(facts.other_attachments_pence)}"
                if facts.other_attachments_pence
                else ""
            )
            + f": the deduction is cut to {pounds(deduction)}."
        )
    else:
        reasons.append(f"{pounds(deduction)} is deducted from this pay.")
    return Evaluation(
        DeaOutcome(band_percent=band.percent, deduction_pence=deduction, protected=protected),
        tuple(reasons),
    )


def _bands(edges_pounds: tuple[int, ...], percents: tuple[int, ...]) -> tuple[DeaBand, ...]:
    edges = (0, *(pounds_ * 100 for pounds_ in edges_pounds), None)
    return tuple(
        DeaBand(low_pence=low, high_pence=high, percent=percent)
        for low, high, percent in zip(edges[:-1], edges[1:], percents, strict=True)
        if low is not None
    )


_PERCENTS = (0, 3, 5, 7, 11, 15, 20)

DEBT_EARNINGS_ATTACHMENT: Rule[DeaFacts, DeaParameters, DeaOutcome] = Rule(
    rule_id="debt.earnings_attachment",
    title="A direct earnings attachment: the share of net pay by band, 60% always kept",
    sources=(GOV_UK_DEA_EMPLOYERS, DEA_TABLES_COPY, CPAG_DEDUCTIONS),
    inputs_type=DeaFacts,
    outcome_type=DeaOutcome,
    versions=(
        RuleVersion(
            version=1,
            effective_from=UC_START,
            parameters=DeaParameters(
                weekly_bands=_bands((100, 160, 220, 270, 375, 520), _PERCENTS),
                monthly_bands=_bands((430, 690, 950, 1_160, 1_615, 2_240), _PERCENTS),
                protected_share_percent=60,
            ),
            summary="Weekly net pay: not exceeding £100 nil; £100-160 3%; £160-220 5%; "
            "£220-270 7%; £270-375 11%; £375-520 15%; exceeding £520 20%. Monthly: not "
            "exceeding £430 nil; £430-690 3%; £690-950 5%; £950-1,160 7%; £1,160-1,615 11%; "
            "£1,615-2,240 15%; exceeding £2,240 20%. The employee keeps at least 60% of net "
            "pay after other attachments. Each band is 'exceeding' its lower edge and 'not "
            "exceeding' its upper one, as the regulation's table reads (an amount exactly on "
            "an edge is in the lower band). UNVERIFIED: the monthly middle bands (£690 to "
            "£1,615).",
        ),
    ),
    evaluate=_earnings_attachment,
)


# -- 5. hardship -----------------------------------------------------------------------------------


class HardshipParameters(ValueObject):
    """The longest pause and the longest reduction a decision maker can grant."""

    max_pause_months: int = Field(ge=1)
    max_reduce_months: int = Field(ge=1)


class HardshipFacts(ValueObject):
    """A hardship request and the decision maker's view of it."""

    kind: HardshipKind
    months: int
    current_per_period_pence: int = Field(ge=0)
    reduced_per_period_pence: int | None = None
    decision_maker_agrees: bool
    reason: str


class HardshipOutcome(ValueObject):
    """Whether hardship is granted, for how long, and the rate while it lasts."""

    granted: bool
    kind: HardshipKind
    months: int
    per_period_pence: int


def _hardship_problems(facts: HardshipFacts, table: HardshipParameters) -> list[str]:
    problems: list[str] = []
    if not facts.reason.strip():
        problems.append("a hardship decision needs a reason")
    if facts.months < 1:
        problems.append(f"hardship lasts at least 1 month, not {facts.months}")
    if facts.kind is HardshipKind.PAUSE:
        if facts.months > table.max_pause_months:
            problems.append(
                f"a pause lasts at most {table.max_pause_months} months, not {facts.months}"
            )
        if facts.reduced_per_period_pence is not None:
            problems.append("a pause takes no reduced rate")
    else:
        if facts.months > table.max_reduce_months:
            problems.append(
                f"a reduction lasts at most {table.max_reduce_months} months, not {facts.months}"
            )
        reduced = facts.reduced_per_period_pence
        if reduced is None:
            problems.append("a reduction needs the reduced rate")
        elif reduced < 0 or reduced >= facts.current_per_period_pence:
            problems.append(
                f"the reduced rate {pounds(reduced) if reduced >= 0 else reduced} must be at "
                f"least nothing and below the current {pounds(facts.current_per_period_pence)}"
            )
    return problems


def _hardship(facts: HardshipFacts, table: HardshipParameters) -> Evaluation[HardshipOutcome]:
    problems = _hardship_problems(facts, table)
    current = pounds(facts.current_per_period_pence)
    if problems:
        # The domain refuses bad requests before deciding; this keeps a re-run total anyway.
        return Evaluation(
            HardshipOutcome(
                granted=False,
                kind=facts.kind,
                months=facts.months,
                per_period_pence=facts.current_per_period_pence,
            ),
            ("The request cannot be granted: " + "; ".join(problems) + ".",),
        )
    reasons = [f"The decision maker's reason: {facts.reason.strip()}"]
    if not facts.decision_maker_agrees:
        reasons.append(f"Hardship is refused: recovery continues at {current} a month.")
        per_period = facts.current_per_period_pence
    elif facts.kind is HardshipKind.PAUSE:
        reasons.append(f"Recovery is paused for {facts.months} month(s) (it was {current}).")
        per_period = 0
    else:
        per_period = facts.reduced_per_period_pence or 0
        reasons.append(
            f"Recovery is reduced from {current} to {pounds(per_period)} a month for "
            f"{facts.months} month(s)."
        )
    return Evaluation(
        HardshipOutcome(
            granted=facts.decision_maker_agrees,
            kind=facts.kind,
            months=facts.months,
            per_period_pence=per_period,
        ),
        tuple(reasons),
    )


DEBT_HARDSHIP: Rule[HardshipFacts, HardshipParameters, HardshipOutcome] = Rule(
    rule_id="debt.hardship",
    title="A hardship request: recovery reduced or paused for some months",
    sources=(GOV_UK_RECOVERY_GUIDE, RULE_BOOK),
    inputs_type=HardshipFacts,
    outcome_type=HardshipOutcome,
    versions=(
        RuleVersion(
            version=1,
            effective_from=UC_START,
            parameters=HardshipParameters(max_pause_months=3, max_reduce_months=6),
            summary="A decision maker may pause recovery for up to 3 months or reduce it for "
            "up to 6 months. UNVERIFIED: both limits are department policy parameters, not "
            "published figures.",
        ),
    ),
    evaluate=_hardship,
)


def check_hardship_request(facts: HardshipFacts, on: date) -> None:
    """Refuse a malformed hardship request under the rule version in force on `on`."""
    problems = _hardship_problems(facts, DEBT_HARDSHIP.version_in_force(on).parameters)
    if problems:
        raise InvalidHardshipRequest("; ".join(problems))


# -- 6. waiver -------------------------------------------------------------------------------------


class WaiverFacts(ValueObject):
    """The balance, the amount to write off and the person's grounds and reason."""

    balance_pence: int = Field(ge=0)
    grounds: WaiverGround
    reason: str
    amount_pence: int


class WaiverOutcome(ValueObject):
    """The amount written off and the balance left."""

    written_off_pence: int
    balance_after_pence: int = 0


def _waiver_problems(facts: WaiverFacts) -> list[str]:
    problems: list[str] = []
    if not facts.reason.strip():
        problems.append("a waiver needs a reason")
    if facts.amount_pence <= 0:
        problems.append("the amount written off must be more than nothing")
    elif facts.amount_pence > facts.balance_pence:
        problems.append(
            f"{pounds(facts.amount_pence)} is more than the balance of "
            f"{pounds(facts.balance_pence)}"
        )
    return problems


def _waiver(facts: WaiverFacts, _: NoParameters) -> Evaluation[WaiverOutcome]:
    problems = _waiver_problems(facts)
    if problems:
        # The domain refuses these before deciding; a re-run of bad inputs writes off nothing.
        return Evaluation(
            WaiverOutcome(written_off_pence=0, balance_after_pence=facts.balance_pence),
            ("Nothing is written off: " + "; ".join(problems) + ".",),
        )
    after = facts.balance_pence - facts.amount_pence
    return Evaluation(
        WaiverOutcome(written_off_pence=facts.amount_pence, balance_after_pence=after),
        (
            # The ground stays in the inputs, not the reasons: reasons may reach the customer,
            # who must not learn of a terminal illness from a letter (RULES.md section 4).
            f"Written off at the decision maker's discretion: {facts.reason.strip()}",
            f"{pounds(facts.amount_pence)} of {pounds(facts.balance_pence)} is written off; "
            f"{pounds(after)} is left.",
        ),
    )


DEBT_WAIVER: Rule[WaiverFacts, NoParameters, WaiverOutcome] = Rule(
    rule_id="debt.waiver",
    title="A waiver (write-off): a person's discretionary judgement, recorded with reasons",
    sources=(GOV_UK_RECOVERY_GUIDE, RULE_BOOK),
    inputs_type=WaiverFacts,
    outcome_type=WaiverOutcome,
    versions=(
        RuleVersion(
            version=1,
            effective_from=UC_START,
            parameters=NoParameters(),
            summary="Discretionary and exceptional (for example terminal illness, distress): "
            "a person writes off part or all of the balance and records why.",
        ),
    ),
    evaluate=_waiver,
)


def check_waiver(facts: WaiverFacts) -> None:
    """Refuse a waiver with no reason or an amount not above nothing or above the balance."""
    problems = _waiver_problems(facts)
    if problems:
        raise InvalidWaiver("; ".join(problems))


DEBT_RULES = (
    DEBT_DEDUCTION_CAP,
    DEBT_RECOVERY_RATE,
    DEBT_RECOVERY_METHOD,
    DEBT_EARNINGS_ATTACHMENT,
    DEBT_HARDSHIP,
    DEBT_WAIVER,
)
"""Every debt rule, for the rule tables."""
