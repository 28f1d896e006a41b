"""Special Rules rules and the working-day count (RULES.md sections 0 and 4), with dates by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import WrongBenefitForCommand
from domain.rules import RULES, rerun
from domain.rules.framework import Decided
from domain.rules.pip_assessment import Rate
from domain.rules.special_rules import (
    SPECIAL_RULES_BENEFIT_AWARD,
    SPECIAL_RULES_CLEARANCE_TARGET,
    SPECIAL_RULES_DEBT_RECOVERY,
    SPECIAL_RULES_DEFINITION,
    SPECIAL_RULES_PIP_AWARD,
    BenefitAwardFacts,
    CareRate,
    ClearanceFacts,
    ClinicianRole,
    DebtRecoveryFacts,
    DefinitionFacts,
    DefinitionOutcome,
    DlaMobilityRate,
    PipAwardFacts,
)
from domain.values import BenefitType
from domain.working_days import (
    ENGLAND_AND_WALES_BANK_HOLIDAYS_V1,
    OutsideBankHolidayTable,
    add_working_days,
    bank_holidays,
    working_days_before,
)

TABLE = ENGLAND_AND_WALES_BANK_HOLIDAYS_V1


# -- working days -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "target", "why"),
    [
        (date(2026, 1, 7), date(2026, 1, 12), "Wed -> Thu, Fri, Mon"),
        (date(2026, 1, 9), date(2026, 1, 14), "Fri -> Mon, Tue, Wed"),
        (date(2026, 1, 10), date(2026, 1, 14), "Sat -> Mon, Tue, Wed"),
        (date(2026, 12, 24), date(2026, 12, 31), "Christmas Fri 25, substitute Mon 28 skipped"),
        (date(2026, 4, 2), date(2026, 4, 9), "Good Friday 3 and Easter Monday 6 April skipped"),
        (date(2022, 6, 1), date(2022, 6, 8), "Platinum Jubilee Thu 2 and Fri 3 June skipped"),
        (date(2022, 9, 16), date(2022, 9, 22), "the state funeral Mon 19 September skipped"),
        (date(2023, 5, 5), date(2023, 5, 11), "the coronation Mon 8 May skipped"),
        (date(2021, 12, 23), date(2021, 12, 30), "Fri 24, then Wed 29, Thu 30: Mon 27, Tue 28 off"),
    ],
)
def test_three_working_days_skip_weekends_and_england_and_wales_bank_holidays(
    received: date, target: date, why: str
) -> None:
    assert add_working_days(received, 3, TABLE) == target, why


def test_working_days_before_counts_back_over_bank_holidays() -> None:
    # Tuesday 7 April 2026: one working day back is Thursday 2 April (Easter 3-6 April).
    assert working_days_before(date(2026, 4, 7), 1, TABLE) == date(2026, 4, 2)
    assert working_days_before(date(2026, 4, 7), 0, TABLE) == date(2026, 4, 7)


def test_counting_outside_the_years_the_table_covers_is_refused() -> None:
    with pytest.raises(OutsideBankHolidayTable, match="2018 to 2030"):
        add_working_days(date(2030, 12, 30), 3, TABLE)
    with pytest.raises(OutsideBankHolidayTable, match="version 99"):
        bank_holidays(99)


def test_the_table_lists_each_year_of_2018_to_2030_with_its_one_off_days() -> None:
    per_year = {year: sum(day.year == year for day in TABLE.days) for year in range(2018, 2031)}
    # 8 a year; 2022 had the jubilee (spring moved, one extra) and the funeral; 2023 the
    # coronation.
    assert per_year == {**dict.fromkeys(range(2018, 2031), 8), 2022: 10, 2023: 9}
    assert {date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)} <= TABLE.days
    assert all(day.weekday() < 5 for day in TABLE.days)


def test_the_table_agrees_with_the_holidays_package_for_england() -> None:
    holidays = pytest.importorskip("holidays")
    years = range(TABLE.first_year, TABLE.last_year + 1)
    listed = holidays.country_holidays("GB", subdiv="ENG", years=years)
    # The package also lists the weekend day a substitute replaces: only weekdays count.
    weekdays = {day for day in listed if day.weekday() < 5}
    assert weekdays == set(TABLE.days)


# -- the definition ---------------------------------------------------------------------------


def definition(
    benefit: BenefitType,
    claim_date: date,
    months: int = 9,
    *,
    signer: ClinicianRole = ClinicianRole.CONSULTANT,
    progressive_disease: bool = True,
) -> Decided[DefinitionOutcome]:
    """The definition decided on the claim date for an SR1 stating `months`."""
    facts = DefinitionFacts(
        benefit=benefit,
        claim_date=claim_date,
        signer=signer,
        progressive_disease=progressive_disease,
        death_expected_within_months=months,
    )
    return SPECIAL_RULES_DEFINITION.decide(facts, on=claim_date)


@pytest.mark.parametrize(
    ("benefit", "claim_date", "window", "met"),
    [
        (BenefitType.UC, date(2022, 4, 3), 6, False),
        (BenefitType.UC, date(2022, 4, 4), 12, True),
        (BenefitType.ESA, date(2022, 4, 3), 6, False),
        (BenefitType.ESA, date(2022, 4, 4), 12, True),
        (BenefitType.PIP, date(2022, 4, 4), 6, False),
        (BenefitType.PIP, date(2023, 4, 2), 6, False),
        (BenefitType.PIP, date(2023, 4, 3), 12, True),
        (BenefitType.DLA, date(2023, 4, 2), 6, False),
        (BenefitType.DLA, date(2023, 4, 3), 12, True),
        (BenefitType.AA, date(2023, 4, 2), 6, False),
        (BenefitType.AA, date(2023, 4, 3), 12, True),
    ],
)
def test_a_nine_month_prognosis_meets_the_definition_from_each_benefits_change_date(
    benefit: BenefitType, claim_date: date, window: int, met: bool
) -> None:
    decided = definition(benefit, claim_date)
    assert (decided.outcome.met, decided.outcome.window_months) == (met, window)
    assert decided.record.rule_id == "special_rules.definition"


def test_a_six_month_prognosis_met_the_definition_before_the_change() -> None:
    assert definition(BenefitType.PIP, date(2023, 4, 2), months=6).outcome.met


def test_the_definition_needs_a_progressive_disease_and_an_accepted_signer() -> None:
    no_disease = definition(BenefitType.UC, date(2026, 1, 5), progressive_disease=False)
    assert not no_disease.outcome.met
    assert "The clinician does not state a progressive disease." in no_disease.record.reasons
    nurse = definition(BenefitType.UC, date(2026, 1, 5), signer=ClinicianRole.OTHER_NURSE)
    assert (nurse.outcome.met, nurse.outcome.signer_accepted) == (False, False)


# -- the clearance target ---------------------------------------------------------------------


def test_the_clearance_target_is_three_working_days_with_risk_one_working_day_before() -> None:
    # SR1 arrives Thursday 24 December 2026: Fri 25 and Mon 28 are bank holidays, so the
    # working days are Tue 29, Wed 30, Thu 31: target 31 December, at risk from 30.
    decided = SPECIAL_RULES_CLEARANCE_TARGET.decide(
        ClearanceFacts(received_on=date(2026, 12, 24)), on=date(2026, 12, 24)
    )
    assert decided.outcome.target_on == date(2026, 12, 31)
    assert decided.outcome.at_risk_from == date(2026, 12, 30)
    assert decided.outcome.bank_holidays_version == 1


# -- awards -----------------------------------------------------------------------------------


def test_a_pip_award_is_enhanced_daily_living_from_the_claim_date_for_three_years() -> None:
    decided = SPECIAL_RULES_PIP_AWARD.decide(
        PipAwardFacts(claim_date=date(2026, 1, 5), mobility=Rate.STANDARD), on=date(2026, 1, 7)
    )
    outcome = decided.outcome
    assert (outcome.daily_living, outcome.mobility) == (Rate.ENHANCED, Rate.STANDARD)
    assert (outcome.starts_on, outcome.ends_on) == (date(2026, 1, 5), date(2029, 1, 4))
    # 20 weeks (140 days) before Thursday 4 January 2029: Thursday 17 August 2028.
    assert outcome.reminder_on == date(2028, 8, 17)
    assert "UNVERIFIED" in SPECIAL_RULES_PIP_AWARD.versions[0].summary


@pytest.mark.parametrize(
    ("benefit", "expected"),
    [
        (BenefitType.UC, {"lcwra": True, "support_group": False, "care_rate": None}),
        (BenefitType.ESA, {"lcwra": False, "support_group": True, "care_rate": None}),
        (BenefitType.DLA, {"lcwra": False, "support_group": False, "care_rate": "highest"}),
        (BenefitType.AA, {"lcwra": False, "support_group": False, "care_rate": "higher"}),
    ],
)
def test_other_benefits_get_their_special_rules_award(
    benefit: BenefitType, expected: dict[str, object]
) -> None:
    decided = SPECIAL_RULES_BENEFIT_AWARD.decide(
        BenefitAwardFacts(benefit=benefit, claim_date=date(2026, 1, 5)), on=date(2026, 1, 6)
    )
    assert {key: decided.record.outcome[key] for key in expected} == expected
    assert decided.outcome.starts_on == date(2026, 1, 5)
    three_years = benefit in {BenefitType.DLA, BenefitType.AA}
    assert decided.outcome.ends_on == (date(2029, 1, 4) if three_years else None)


def test_dla_mobility_follows_the_need_found() -> None:
    decided = SPECIAL_RULES_BENEFIT_AWARD.decide(
        BenefitAwardFacts(
            benefit=BenefitType.DLA,
            claim_date=date(2026, 1, 5),
            dla_mobility=DlaMobilityRate.HIGHER,
        ),
        on=date(2026, 1, 6),
    )
    assert (decided.outcome.care_rate, decided.outcome.dla_mobility) == (
        CareRate.HIGHEST,
        DlaMobilityRate.HIGHER,
    )


def test_pip_is_not_decided_by_the_other_benefits_rule() -> None:
    with pytest.raises(WrongBenefitForCommand):
        SPECIAL_RULES_BENEFIT_AWARD.decide(
            BenefitAwardFacts(benefit=BenefitType.PIP, claim_date=date(2026, 1, 5)),
            on=date(2026, 1, 6),
        )


def test_debt_recovery_is_suspended_and_a_waiver_considered_by_policy() -> None:
    decided = SPECIAL_RULES_DEBT_RECOVERY.decide(
        DebtRecoveryFacts(special_rules_from=date(2026, 1, 7)), on=date(2026, 1, 7)
    )
    assert decided.record.outcome == {"suspend_recovery": True, "consider_waiver": True}


# -- audit --------------------------------------------------------------------------------------


def test_every_special_rules_rule_is_registered_and_reruns_to_its_outcome() -> None:
    records = [
        definition(BenefitType.PIP, date(2023, 4, 3)).record,
        SPECIAL_RULES_CLEARANCE_TARGET.decide(
            ClearanceFacts(received_on=date(2026, 4, 2)), on=date(2026, 4, 2)
        ).record,
        SPECIAL_RULES_PIP_AWARD.decide(
            PipAwardFacts(claim_date=date(2026, 1, 5), mobility=Rate.NONE), on=date(2026, 1, 7)
        ).record,
        SPECIAL_RULES_BENEFIT_AWARD.decide(
            BenefitAwardFacts(benefit=BenefitType.UC, claim_date=date(2026, 1, 5)),
            on=date(2026, 1, 6),
        ).record,
        SPECIAL_RULES_DEBT_RECOVERY.decide(
            DebtRecoveryFacts(special_rules_from=date(2026, 1, 7)), on=date(2026, 1, 7)
        ).record,
    ]
    for record in records:
        assert RULES[record.rule_id].rule_id == record.rule_id
        assert rerun(record).reproduces, record.rule_id


@given(
    start=st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 11, 30)),
    count=st.integers(min_value=1, max_value=20),
)
def test_counting_working_days_forward_then_back_returns_to_a_working_start(
    start: date, count: int
) -> None:
    target = add_working_days(start, count, TABLE)
    assert TABLE.is_working_day(target)
    between = [start + timedelta(days=n) for n in range(1, (target - start).days + 1)]
    assert sum(TABLE.is_working_day(day) for day in between) == count
    if TABLE.is_working_day(start):
        assert working_days_before(target, count, TABLE) == start
