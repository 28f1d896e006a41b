"""Who may claim PIP: aged 16 to State Pension age on the claim date; the award's length limits."""

from __future__ import annotations

from datetime import date

from domain.periods import add_calendar_months, age_on, birthday
from domain.rules.framework import Evaluation, Rule, RuleVersion
from domain.values import ValueObject

GOV_UK_PIP = "https://www.gov.uk/pip/eligibility"
GOV_UK_SPA = "https://www.gov.uk/state-pension-age"


class PensionAgeBand(ValueObject):
    """Everyone born on or after `born_from` reaches State Pension age at `age_years`."""

    born_from: date
    age_years: int


class PipAgeLimits(ValueObject):
    """The youngest claiming age and the State Pension age bands."""

    minimum_age: int
    pension_age_bands: tuple[PensionAgeBand, ...]


class ClaimantAge(ValueObject):
    """The facts the age test needs."""

    date_of_birth: date
    claim_date: date


class AgeTest(ValueObject):
    """Whether the claimant is within the PIP age range on the claim date."""

    eligible: bool
    age: int
    state_pension_age_reached_on: date


def state_pension_age_date(date_of_birth: date, limits: PipAgeLimits) -> date:
    """The day State Pension age is reached, from the band the birth date falls in."""
    years = limits.pension_age_bands[0].age_years
    for band in limits.pension_age_bands:
        if date_of_birth >= band.born_from:
            years = band.age_years
    return birthday(date_of_birth, years)


def _age_test(facts: ClaimantAge, limits: PipAgeLimits) -> Evaluation[AgeTest]:
    age = age_on(facts.date_of_birth, facts.claim_date)
    pension_day = state_pension_age_date(facts.date_of_birth, limits)
    claimed = facts.claim_date.isoformat()
    if age < limits.minimum_age:
        return Evaluation(
            AgeTest(eligible=False, age=age, state_pension_age_reached_on=pension_day),
            (f"Aged {age} on {claimed}: PIP can be claimed from age {limits.minimum_age}.",),
        )
    if facts.claim_date >= pension_day:
        return Evaluation(
            AgeTest(eligible=False, age=age, state_pension_age_reached_on=pension_day),
            (
                f"State Pension age was reached on {pension_day.isoformat()}, before the claim "
                f"on {claimed}: a new PIP claim cannot be made (Attendance Allowance instead).",
            ),
        )
    return Evaluation(
        AgeTest(eligible=True, age=age, state_pension_age_reached_on=pension_day),
        (
            f"Aged {age} on {claimed}: between {limits.minimum_age} and State Pension age "
            f"(reached on {pension_day.isoformat()}).",
        ),
    )


PIP_AGE_TEST: Rule[ClaimantAge, PipAgeLimits, AgeTest] = Rule(
    rule_id="pip.age_test",
    title="PIP age limits",
    sources=(GOV_UK_PIP, GOV_UK_SPA),
    inputs_type=ClaimantAge,
    outcome_type=AgeTest,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=PipAgeLimits(
                minimum_age=16,
                pension_age_bands=(
                    PensionAgeBand(born_from=date(1900, 1, 1), age_years=66),
                    PensionAgeBand(born_from=date(1961, 3, 6), age_years=67),
                    PensionAgeBand(born_from=date(1977, 4, 6), age_years=68),
                ),
            ),
            summary=(
                "16 to State Pension age. SIMPLIFIED: pension age in whole-year bands "
                "(66; 67 from births on 1961-03-06; 68 from 1977-04-06); the monthly "
                "transition for births 1960-04-06 to 1961-03-05 is not modelled."
            ),
        ),
    ),
    evaluate=_age_test,
)


class AwardLengthLimits(ValueObject):
    """The shortest and longest PIP award."""

    minimum_months: int
    maximum_months: int


PIP_AWARD_LENGTH: RuleVersion[AwardLengthLimits] = RuleVersion(
    version=1,
    effective_from=date(2013, 4, 8),
    parameters=AwardLengthLimits(minimum_months=3, maximum_months=120),
    summary="PIP awards run from 3 months to 10 years.",
)


def award_length_problem(starts_on: date, ends_on: date) -> str | None:
    """Why an award period is not allowed, or None when it is."""
    limits = PIP_AWARD_LENGTH.parameters
    shortest = add_calendar_months(starts_on, limits.minimum_months)
    longest = add_calendar_months(starts_on, limits.maximum_months)
    if ends_on < shortest:
        return (
            f"an award from {starts_on.isoformat()} must run to at least "
            f"{shortest.isoformat()} ({limits.minimum_months} months)"
        )
    if ends_on > longest:
        return (
            f"an award from {starts_on.isoformat()} may run to {longest.isoformat()} at most "
            f"({limits.maximum_months // 12} years)"
        )
    return None
