"""PIP weekly amounts: what each component rate pays a week, from a table of uprating years."""

from __future__ import annotations

from datetime import date

from domain.errors import UnknownRuleVersion
from domain.rules.framework import Evaluation, Rule, RuleVersion
from domain.rules.pip_assessment import Rate
from domain.values import ValueObject

GOV_UK_BENEFIT_RATES = (
    "https://www.gov.uk/government/publications/benefit-and-pension-rates-2026-to-2027"
)
GOV_UK_BENEFIT_RATES_2025 = (
    "https://www.gov.uk/government/publications/benefit-and-pension-rates-2025-to-2026"
)


class ComponentRates(ValueObject):
    """One component's weekly amount at each rate, in pence."""

    standard_pence: int
    enhanced_pence: int

    def weekly_pence(self, rate: Rate) -> int:
        """The weekly amount the rate pays (nothing for no award)."""
        if rate is Rate.ENHANCED:
            return self.enhanced_pence
        if rate is Rate.STANDARD:
            return self.standard_pence
        return 0


class PipWeeklyRates(ValueObject):
    """The weekly rates of both PIP components for one uprating year."""

    daily_living: ComponentRates
    mobility: ComponentRates


class RatesOnDate(ValueObject):
    """What the rule needs: the award's component rates and the date the amounts apply from."""

    daily_living: Rate
    mobility: Rate
    on: date


class WeeklyAmounts(ValueObject):
    """What an award pays a week, per component and in total, in pence."""

    daily_living_pence: int
    mobility_pence: int
    total_pence: int


def _pounds(pence: int) -> str:
    return f"£{pence // 100}.{pence % 100:02d}"


def _part(name: str, rate: Rate, pence: int) -> str:
    if rate is Rate.NONE:
        return f"The {name} component is not awarded, so it pays nothing."
    return f"The {name} component at the {rate.value} rate pays {_pounds(pence)} a week."


def _evaluate(facts: RatesOnDate, rates: PipWeeklyRates) -> Evaluation[WeeklyAmounts]:
    daily_living = rates.daily_living.weekly_pence(facts.daily_living)
    mobility = rates.mobility.weekly_pence(facts.mobility)
    amounts = WeeklyAmounts(
        daily_living_pence=daily_living,
        mobility_pence=mobility,
        total_pence=daily_living + mobility,
    )
    return Evaluation(
        outcome=amounts,
        reasons=(
            f"Weekly rates in force on {facts.on.isoformat()} apply.",
            _part("daily living", facts.daily_living, daily_living),
            _part("mobility", facts.mobility, mobility),
            f"In total the award pays {_pounds(amounts.total_pence)} a week.",
        ),
    )


def _table(
    dl_standard: int, dl_enhanced: int, mob_standard: int, mob_enhanced: int
) -> PipWeeklyRates:
    return PipWeeklyRates(
        daily_living=ComponentRates(standard_pence=dl_standard, enhanced_pence=dl_enhanced),
        mobility=ComponentRates(standard_pence=mob_standard, enhanced_pence=mob_enhanced),
    )


# The amounts are data, one row per uprating year: a new April adds a row, never edits one,
# so every recorded decision can still be re-run with the version it names.
PIP_WEEKLY_RATES: Rule[RatesOnDate, PipWeeklyRates, WeeklyAmounts] = Rule(
    rule_id="pip.weekly_rates",
    title="PIP weekly amounts for the component rates of an award",
    sources=(GOV_UK_BENEFIT_RATES_2025, GOV_UK_BENEFIT_RATES),
    inputs_type=RatesOnDate,
    outcome_type=WeeklyAmounts,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2025, 4, 7),
            parameters=_table(7390, 11040, 2920, 7705),
            summary="2025/26 weekly rates from the Benefit and Pension Rates 2025 to 2026 "
            "(daily living £73.90 / £110.40, mobility £29.20 / £77.05); the table is data.",
        ),
        RuleVersion(
            version=2,
            effective_from=date(2026, 4, 6),
            parameters=_table(7670, 11460, 3030, 8000),
            summary="2026/27 weekly rates from the Benefit and Pension Rates 2026 to 2027 "
            "(daily living £76.70 / £114.60, mobility £30.30 / £80.00); the table is data.",
        ),
    ),
    evaluate=_evaluate,
)


def weekly_total_pence(daily_living: Rate, mobility: Rate, on: date) -> int | None:
    """What the rates pay a week on a date, or None before the first rate table."""
    try:
        decided = PIP_WEEKLY_RATES.decide(
            RatesOnDate(daily_living=daily_living, mobility=mobility, on=on), on=on
        )
    except UnknownRuleVersion:
        return None
    return decided.outcome.total_pence
