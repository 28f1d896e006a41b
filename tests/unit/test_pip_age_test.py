"""Who may claim PIP: from the 16th birthday until State Pension age."""

from __future__ import annotations

from datetime import date

import pytest

from domain.rules import rerun
from domain.rules.eligibility import PIP_AGE_TEST, AgeTest, ClaimantAge


def age_test(born: date, claimed: date) -> AgeTest:
    return PIP_AGE_TEST.decide(
        ClaimantAge(date_of_birth=born, claim_date=claimed), on=claimed
    ).outcome


def test_a_claimant_aged_15_is_refused() -> None:
    outcome = age_test(date(2009, 5, 10), date(2025, 5, 9))
    assert outcome.age == 15
    assert not outcome.eligible


def test_a_claimant_may_claim_on_their_16th_birthday() -> None:
    outcome = age_test(date(2009, 5, 10), date(2025, 5, 10))
    assert outcome.age == 16
    assert outcome.eligible


def test_the_refusal_for_being_under_16_says_why() -> None:
    record = PIP_AGE_TEST.decide(
        ClaimantAge(date_of_birth=date(2009, 5, 10), claim_date=date(2025, 5, 9)),
        on=date(2025, 5, 9),
    ).record
    assert record.rule_id == "pip.age_test"
    assert record.rule_version == 1
    assert record.outcome["eligible"] is False
    assert "Aged 15" in record.reasons[0]
    assert "from age 16" in record.reasons[0]
    assert rerun(record).reproduces


def test_a_claimant_the_day_before_state_pension_age_may_claim() -> None:
    outcome = age_test(date(1958, 6, 1), date(2024, 5, 31))
    assert outcome.eligible
    assert outcome.state_pension_age_reached_on == date(2024, 6, 1)


def test_a_claimant_on_the_day_they_reach_state_pension_age_is_refused() -> None:
    outcome = age_test(date(1958, 6, 1), date(2024, 6, 1))
    assert not outcome.eligible
    assert outcome.age == 66


def test_the_state_pension_age_refusal_points_to_attendance_allowance() -> None:
    record = PIP_AGE_TEST.decide(
        ClaimantAge(date_of_birth=date(1958, 6, 1), claim_date=date(2030, 1, 1)),
        on=date(2030, 1, 1),
    ).record
    assert "State Pension age was reached on 2024-06-01" in record.reasons[0]
    assert "Attendance Allowance" in record.reasons[0]


@pytest.mark.parametrize(
    ("born", "pension_age_day"),
    [
        (date(1961, 3, 5), date(2027, 3, 5)),
        (date(1961, 3, 6), date(2028, 3, 6)),
        (date(1977, 4, 5), date(2044, 4, 5)),
        (date(1977, 4, 6), date(2045, 4, 6)),
    ],
)
def test_state_pension_age_follows_the_birth_date_band(born: date, pension_age_day: date) -> None:
    assert age_test(born, date(2026, 1, 1)).state_pension_age_reached_on == pension_age_day


def test_a_29_february_birth_reaches_state_pension_age_on_1_march_in_a_common_year() -> None:
    born = date(1960, 2, 29)
    assert age_test(born, date(2026, 2, 28)).eligible
    refused = age_test(born, date(2026, 3, 1))
    assert not refused.eligible
    assert refused.state_pension_age_reached_on == date(2026, 3, 1)
