"""Special Rules for End of Life: the definition, the clearance target, awards, debt policy.

RULES.md section 4. The definition in force on the CLAIM date applies: a progressive
disease where death can reasonably be expected within 12 months (UC and ESA from
2022-04-04; PIP, DLA and AA from 2023-04-03), 6 months before. The award-end reminder's
number of weeks is UNVERIFIED (a department choice, a parameter).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum

from pydantic import Field

from domain.errors import WrongBenefitForCommand
from domain.periods import add_calendar_months, weeks_before
from domain.rules.framework import Evaluation, Rule, RuleVersion
from domain.rules.pip_assessment import Rate
from domain.values import BenefitType, ValueObject
from domain.working_days import (
    GOV_UK_BANK_HOLIDAYS,
    add_working_days,
    bank_holidays,
    working_days_before,
)

DRUK_DEFINITION = "https://www.disabilityrightsuk.org/news/changes-definition-terminally-ill-purposes-pip-dla-and-aa"
GOV_UK_SPECIAL_RULES = (
    "https://www.gov.uk/government/publications/the-special-rules-for-end-of-life"
)
DMG_DEBT = "https://www.gov.uk/government/publications/benefit-overpayment-recovery-staff-guide"


def _day(day: date) -> str:
    return day.isoformat()


# -- who may sign an SR1, and the definition ------------------------------------------------------


class ClinicianRole(Enum):
    """The role of the clinician who signed an SR1 form."""

    GP = "gp"
    CONSULTANT = "consultant"
    SPECIALTY_DOCTOR = "specialty_doctor"
    HOSPICE_DOCTOR = "hospice_doctor"
    SENIOR_SPECIALIST_NURSE = "senior_specialist_nurse"
    OTHER_NURSE = "other_nurse"
    OTHER = "other"


class BenefitWindow(ValueObject):
    """How many months ahead death must be expected, for one benefit."""

    benefit: BenefitType
    months: int = Field(ge=1)


class DefinitionParameters(ValueObject):
    """The window per benefit and the clinicians whose SR1 counts."""

    windows: tuple[BenefitWindow, ...]
    accepted_signers: tuple[ClinicianRole, ...]

    def months_for(self, benefit: BenefitType) -> int:
        """The window for a benefit."""
        for window in self.windows:
            if window.benefit is benefit:
                return window.months
        raise WrongBenefitForCommand(f"no Special Rules window for {benefit.value}")


class DefinitionFacts(ValueObject):
    """The SR1's clinical statement and the claim it is for."""

    benefit: BenefitType
    claim_date: date
    signer: ClinicianRole
    progressive_disease: bool
    death_expected_within_months: int = Field(ge=1, description="the clinician's stated horizon")


class DefinitionOutcome(ValueObject):
    """Whether the Special Rules definition is met, and the window that was applied."""

    met: bool
    window_months: int
    signer_accepted: bool


def _definition(
    facts: DefinitionFacts, table: DefinitionParameters
) -> Evaluation[DefinitionOutcome]:
    months = table.months_for(facts.benefit)
    accepted = facts.signer in table.accepted_signers
    horizon = facts.death_expected_within_months
    reasons = [
        f"For a {facts.benefit.value} claim made on {_day(facts.claim_date)} the definition in "
        f"force is a progressive disease where death can reasonably be expected within "
        f"{months} months."
    ]
    if not accepted:
        reasons.append(f"An SR1 signed by a {facts.signer.value} is not accepted evidence.")
    if not facts.progressive_disease:
        reasons.append("The clinician does not state a progressive disease.")
    within = horizon <= months
    reasons.append(
        f"The clinician expects death within {horizon} months: "
        + ("within the window." if within else f"beyond the {months}-month window.")
    )
    met = accepted and facts.progressive_disease and within
    reasons.append("The definition is met." if met else "The definition is not met.")
    return Evaluation(
        DefinitionOutcome(met=met, window_months=months, signer_accepted=accepted),
        tuple(reasons),
    )


_ACCEPTED_SIGNERS = (
    ClinicianRole.GP,
    ClinicianRole.CONSULTANT,
    ClinicianRole.SPECIALTY_DOCTOR,
    ClinicianRole.HOSPICE_DOCTOR,
    ClinicianRole.SENIOR_SPECIALIST_NURSE,
)


def _windows(uc_esa: int, pip_dla_aa: int) -> tuple[BenefitWindow, ...]:
    return (
        BenefitWindow(benefit=BenefitType.UC, months=uc_esa),
        BenefitWindow(benefit=BenefitType.ESA, months=uc_esa),
        BenefitWindow(benefit=BenefitType.PIP, months=pip_dla_aa),
        BenefitWindow(benefit=BenefitType.DLA, months=pip_dla_aa),
        BenefitWindow(benefit=BenefitType.AA, months=pip_dla_aa),
    )


SPECIAL_RULES_DEFINITION: Rule[DefinitionFacts, DefinitionParameters, DefinitionOutcome] = Rule(
    rule_id="special_rules.definition",
    title="Whether a claim meets the Special Rules for End of Life (by the claim date)",
    sources=(DRUK_DEFINITION, GOV_UK_SPECIAL_RULES),
    inputs_type=DefinitionFacts,
    outcome_type=DefinitionOutcome,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(1992, 4, 6),
            parameters=DefinitionParameters(
                windows=_windows(uc_esa=6, pip_dla_aa=6),
                accepted_signers=_ACCEPTED_SIGNERS,
            ),
            summary="Death reasonably expected within 6 months, for every benefit.",
        ),
        RuleVersion(
            version=2,
            effective_from=date(2022, 4, 4),
            parameters=DefinitionParameters(
                windows=_windows(uc_esa=12, pip_dla_aa=6),
                accepted_signers=_ACCEPTED_SIGNERS,
            ),
            summary="UC and ESA claims from 4 April 2022: within 12 months; PIP, DLA, AA: 6.",
        ),
        RuleVersion(
            version=3,
            effective_from=date(2023, 4, 3),
            parameters=DefinitionParameters(
                windows=_windows(uc_esa=12, pip_dla_aa=12),
                accepted_signers=_ACCEPTED_SIGNERS,
            ),
            summary="PIP, DLA and AA claims from 3 April 2023 too: within 12 months.",
        ),
    ),
    evaluate=_definition,
)


# -- the clearance target -------------------------------------------------------------------------


class ClearanceParameters(ValueObject):
    """The service target in working days and when a case counts as at risk."""

    working_days: int = Field(ge=1)
    at_risk_working_days_before: int = Field(ge=0)
    bank_holidays_version: int


class ClearanceFacts(ValueObject):
    """When the fast-track started for a claim (the SR1 arrived, or the claim did after it)."""

    received_on: date


class ClearanceTarget(ValueObject):
    """The day a fast-tracked claim should be decided by, and from when it is at risk."""

    target_on: date
    at_risk_from: date
    bank_holidays_version: int


def _clearance(facts: ClearanceFacts, table: ClearanceParameters) -> Evaluation[ClearanceTarget]:
    holidays = bank_holidays(table.bank_holidays_version)
    target = add_working_days(facts.received_on, table.working_days, holidays)
    at_risk = working_days_before(target, table.at_risk_working_days_before, holidays)
    return Evaluation(
        ClearanceTarget(
            target_on=target, at_risk_from=at_risk, bank_holidays_version=holidays.version
        ),
        (
            f"Received on {_day(facts.received_on)}: the target is {table.working_days} working "
            f"days later, {_day(target)} (weekends and England and Wales bank holidays, table "
            f"v{holidays.version}, are not counted).",
            f"At risk from {_day(at_risk)}, {table.at_risk_working_days_before} working day(s) "
            "before the target.",
        ),
    )


SPECIAL_RULES_CLEARANCE_TARGET: Rule[ClearanceFacts, ClearanceParameters, ClearanceTarget] = Rule(
    rule_id="special_rules.clearance_target",
    title="The Special Rules clearance target (working days)",
    sources=(GOV_UK_SPECIAL_RULES, GOV_UK_BANK_HOLIDAYS),
    inputs_type=ClearanceFacts,
    outcome_type=ClearanceTarget,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2018, 1, 1),
            parameters=ClearanceParameters(
                working_days=3, at_risk_working_days_before=1, bank_holidays_version=1
            ),
            summary="Decide within 3 working days of the SR1; at risk 1 working day before.",
        ),
    ),
    evaluate=_clearance,
)


# -- awards ---------------------------------------------------------------------------------------


class CareRate(Enum):
    """The care rate of a DLA (lowest, middle, highest) or AA (lower, higher) award."""

    LOWEST = "lowest"
    MIDDLE = "middle"
    HIGHEST = "highest"
    LOWER = "lower"
    HIGHER = "higher"


class DlaMobilityRate(Enum):
    """The mobility rate of a DLA award."""

    LOWER = "lower"
    HIGHER = "higher"


class AwardParameters(ValueObject):
    """How long a fast-tracked award runs and when a caseworker is reminded of its end."""

    award_years: int = Field(ge=1)
    reminder_weeks_before_end: int = Field(ge=0)


class PipAwardFacts(ValueObject):
    """A fast-tracked PIP claim: its date and the mobility need the decision maker found.

    In a move from DLA to PIP, DLA is paid to its last day (`dla_ends_on`, from the DLA to
    PIP rule) and PIP starts the day after.
    """

    claim_date: date
    mobility: Rate
    dla_ends_on: date | None = None


class PipAwardOutcome(ValueObject):
    """Enhanced daily living, mobility by need, from the claim date for the award years."""

    daily_living: Rate
    mobility: Rate
    starts_on: date
    ends_on: date
    reminder_on: date


def _award_end(starts_on: date, years: int) -> date:
    return add_calendar_months(starts_on, 12 * years) - timedelta(days=1)


def _pip_award(facts: PipAwardFacts, table: AwardParameters) -> Evaluation[PipAwardOutcome]:
    starts_on = facts.claim_date
    if facts.dla_ends_on is not None:
        starts_on = max(starts_on, facts.dla_ends_on + timedelta(days=1))
    ends_on = _award_end(starts_on, table.award_years)
    reminder_on = weeks_before(ends_on, table.reminder_weeks_before_end)
    return Evaluation(
        PipAwardOutcome(
            daily_living=Rate.ENHANCED,
            mobility=facts.mobility,
            starts_on=starts_on,
            ends_on=ends_on,
            reminder_on=reminder_on,
        ),
        (
            "Special Rules: no PIP2, no assessment and no qualifying period; daily living at "
            "the enhanced rate.",
            f"Mobility at the rate the decision maker found the need for: {facts.mobility.value}.",
            (
                f"From the claim date {_day(starts_on)}"
                if facts.dla_ends_on is None
                else f"From {_day(starts_on)}, the day after DLA's last day"
            )
            + f" for {table.award_years} years, to {_day(ends_on)}.",
            f"A caseworker is reminded {table.reminder_weeks_before_end} weeks before the end, "
            f"on {_day(reminder_on)}.",
        ),
    )


_AWARD_VERSION_NOTE = "The reminder's weeks before the award ends are UNVERIFIED (a parameter)."

SPECIAL_RULES_PIP_AWARD: Rule[PipAwardFacts, AwardParameters, PipAwardOutcome] = Rule(
    rule_id="special_rules.pip_award",
    title="A PIP award under the Special Rules",
    sources=(GOV_UK_SPECIAL_RULES,),
    inputs_type=PipAwardFacts,
    outcome_type=PipAwardOutcome,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=AwardParameters(award_years=3, reminder_weeks_before_end=20),
            summary="Enhanced daily living, mobility by need, from the claim date, 3 years; "
            "caseworker reminder 20 weeks before the end. " + _AWARD_VERSION_NOTE,
        ),
    ),
    evaluate=_pip_award,
)


class BenefitAwardFacts(ValueObject):
    """A fast-tracked UC, ESA, DLA or AA claim (DLA: the mobility need found, if any)."""

    benefit: BenefitType
    claim_date: date
    dla_mobility: DlaMobilityRate | None = None


class BenefitAwardOutcome(ValueObject):
    """What the fast-track gives on a benefit other than PIP."""

    starts_on: date
    ends_on: date | None
    care_rate: CareRate | None
    dla_mobility: DlaMobilityRate | None
    lcwra: bool
    support_group: bool
    reminder_on: date | None


def _benefit_award(
    facts: BenefitAwardFacts, table: AwardParameters
) -> Evaluation[BenefitAwardOutcome]:
    benefit = facts.benefit
    start = facts.claim_date
    reasons = [f"Special Rules {benefit.value} claim made on {_day(start)}: no assessment."]
    ends_on: date | None = None
    care: CareRate | None = None
    lcwra = support_group = False
    if benefit is BenefitType.UC:
        lcwra = True
        reasons.append("The health element (LCWRA) applies at once, with no waiting period.")
    elif benefit is BenefitType.ESA:
        support_group = True
        reasons.append("Placed in the ESA support group at once, with no assessment.")
    elif benefit in {BenefitType.DLA, BenefitType.AA}:
        care = CareRate.HIGHEST if benefit is BenefitType.DLA else CareRate.HIGHER
        ends_on = _award_end(start, table.award_years)
        reasons.append(f"The care component at the {care.value} rate.")
        reasons.append(f"For {table.award_years} years, to {_day(ends_on)}.")
    else:
        raise WrongBenefitForCommand(f"{benefit.value} awards follow special_rules.pip_award")
    mobility = facts.dla_mobility if benefit is BenefitType.DLA else None
    if benefit is BenefitType.DLA:
        found = mobility.value if mobility is not None else "none"
        reasons.append(f"Mobility at the rate the decision maker found the need for: {found}.")
    reminder = weeks_before(ends_on, table.reminder_weeks_before_end) if ends_on else None
    return Evaluation(
        BenefitAwardOutcome(
            starts_on=start,
            ends_on=ends_on,
            care_rate=care,
            dla_mobility=mobility,
            lcwra=lcwra,
            support_group=support_group,
            reminder_on=reminder,
        ),
        tuple(reasons),
    )


SPECIAL_RULES_BENEFIT_AWARD: Rule[BenefitAwardFacts, AwardParameters, BenefitAwardOutcome] = Rule(
    rule_id="special_rules.benefit_award",
    title="A UC, ESA, DLA or AA award under the Special Rules",
    sources=(GOV_UK_SPECIAL_RULES,),
    inputs_type=BenefitAwardFacts,
    outcome_type=BenefitAwardOutcome,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(1992, 4, 6),
            parameters=AwardParameters(award_years=3, reminder_weeks_before_end=20),
            summary="UC: the health element (LCWRA) at once; ESA: the support group; DLA: "
            "highest care rate, mobility by need; AA: higher rate; DLA and AA for 3 years. "
            + _AWARD_VERSION_NOTE,
        ),
    ),
    evaluate=_benefit_award,
)


# -- debt recovery ---------------------------------------------------------------------------------


class DebtRecoveryParameters(ValueObject):
    """The department's policy for debts of a Special Rules customer."""

    suspend_recovery: bool
    consider_waiver: bool


class DebtRecoveryFacts(ValueObject):
    """When the customer's claims began to be fast-tracked."""

    special_rules_from: date


class DebtRecoveryPolicy(ValueObject):
    """What the debt journey must do for this customer."""

    suspend_recovery: bool
    consider_waiver: bool


def _debt_recovery(
    facts: DebtRecoveryFacts, table: DebtRecoveryParameters
) -> Evaluation[DebtRecoveryPolicy]:
    return Evaluation(
        DebtRecoveryPolicy(
            suspend_recovery=table.suspend_recovery, consider_waiver=table.consider_waiver
        ),
        (
            f"Special Rules apply from {_day(facts.special_rules_from)}.",
            "Debt recovery is "
            + ("suspended" if table.suspend_recovery else "not suspended")
            + " and a waiver is "
            + ("considered" if table.consider_waiver else "not considered")
            + " (department policy).",
        ),
    )


SPECIAL_RULES_DEBT_RECOVERY: Rule[DebtRecoveryFacts, DebtRecoveryParameters, DebtRecoveryPolicy] = (
    Rule(
        rule_id="special_rules.debt_recovery",
        title="Debt recovery from a Special Rules customer (department policy)",
        sources=(DMG_DEBT,),
        inputs_type=DebtRecoveryFacts,
        outcome_type=DebtRecoveryPolicy,
        versions=(
            RuleVersion(
                version=1,
                effective_from=date(1992, 4, 6),
                parameters=DebtRecoveryParameters(suspend_recovery=True, consider_waiver=True),
                summary="Department policy: suspend recovery and consider a waiver.",
            ),
        ),
        evaluate=_debt_recovery,
    )
)
