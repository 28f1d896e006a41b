"""PIP component rates from assessment points: 0-7 none, 8-11 standard, 12 or more enhanced."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import InvalidAssessmentPoints, UnknownRuleVersion
from domain.rules import rerun
from domain.rules.pip_assessment import (
    DAILY_LIVING_ACTIVITIES,
    MOBILITY_ACTIVITIES,
    PIP_COMPONENT_RATES,
    AssessmentPoints,
    Rate,
    validate_points,
)
from domain.values import ActorKind, EventRef
from tests.unit.builders import points, spread

ON = date(2025, 3, 31)

THRESHOLDS = [
    (0, Rate.NONE),
    (7, Rate.NONE),
    (8, Rate.STANDARD),
    (11, Rate.STANDARD),
    (12, Rate.ENHANCED),
    (13, Rate.ENHANCED),
]


@pytest.mark.parametrize(("total", "rate"), [*THRESHOLDS, (40, Rate.ENHANCED)])
def test_daily_living_points_give_the_rate_of_their_band(total: int, rate: Rate) -> None:
    outcome = PIP_COMPONENT_RATES.decide(points(daily_living=total), on=ON).outcome
    assert outcome.daily_living_points == total
    assert outcome.daily_living_rate is rate
    assert outcome.mobility_rate is Rate.NONE


@pytest.mark.parametrize(("total", "rate"), [*THRESHOLDS, (24, Rate.ENHANCED)])
def test_mobility_points_give_the_rate_of_their_band(total: int, rate: Rate) -> None:
    outcome = PIP_COMPONENT_RATES.decide(points(mobility=total), on=ON).outcome
    assert outcome.mobility_points == total
    assert outcome.mobility_rate is rate
    assert outcome.daily_living_rate is Rate.NONE


def test_points_in_one_component_do_not_count_towards_the_other() -> None:
    outcome = PIP_COMPONENT_RATES.decide(points(daily_living=12, mobility=7), on=ON).outcome
    assert (outcome.daily_living_rate, outcome.mobility_rate) == (Rate.ENHANCED, Rate.NONE)


def test_points_spread_over_several_activities_are_added_up() -> None:
    scored = AssessmentPoints(
        daily_living=dict.fromkeys(DAILY_LIVING_ACTIVITIES, 1),
        mobility={"planning_and_following_journeys": 4, "moving_around": 4},
    )
    outcome = PIP_COMPONENT_RATES.decide(scored, on=ON).outcome
    assert (outcome.daily_living_points, outcome.daily_living_rate) == (10, Rate.STANDARD)
    assert (outcome.mobility_points, outcome.mobility_rate) == (8, Rate.STANDARD)


def test_the_decision_record_names_the_rule_its_version_inputs_and_reasons() -> None:
    scored = points(daily_living=9, mobility=12)
    source = EventRef(aggregate_id=UUID("00000000-0000-0000-0000-000000000001"), version=4)
    record = PIP_COMPONENT_RATES.decide(scored, on=ON, sources={"points": source}).record
    assert record.rule_id == "pip.component_rates"
    assert record.rule_version == 1
    assert record.inputs == scored.model_dump(mode="json")
    assert record.input_sources == {"points": source}
    assert record.outcome == {
        "daily_living_points": 9,
        "daily_living_rate": "standard",
        "mobility_points": 12,
        "mobility_rate": "enhanced",
    }
    assert len(record.reasons) == 2
    assert "Daily living activities scored 9 points: standard rate" in record.reasons[0]
    assert "Mobility activities scored 12 points: enhanced rate" in record.reasons[1]
    assert (
        "0-7 points: no award; 8-11: standard rate; 12 or more: enhanced rate"
        in (record.reasons[0])
    )
    assert record.made_by.kind is ActorKind.SYSTEM
    assert record.automated
    assert record.override is None


def test_a_recorded_decision_reproduces_when_rerun() -> None:
    record = PIP_COMPONENT_RATES.decide(points(daily_living=11, mobility=8), on=ON).record
    reproduction = rerun(record)
    assert reproduction.reproduces
    assert reproduction.rule_version == 1
    assert reproduction.recomputed_outcome == record.outcome


def test_a_tampered_outcome_does_not_reproduce() -> None:
    record = PIP_COMPONENT_RATES.decide(points(daily_living=11, mobility=8), on=ON).record
    tampered = record.model_copy(
        update={"outcome": {**record.outcome, "daily_living_rate": "enhanced"}}
    )
    reproduction = rerun(tampered)
    assert not reproduction.reproduces
    assert reproduction.recomputed_outcome["daily_living_rate"] == "standard"


def test_there_is_no_rate_rule_before_pip_began_on_8_april_2013() -> None:
    with pytest.raises(UnknownRuleVersion):
        PIP_COMPONENT_RATES.decide(points(), on=date(2013, 4, 7))
    assert PIP_COMPONENT_RATES.decide(points(), on=date(2013, 4, 8)).record.rule_version == 1


def test_a_decision_naming_an_unknown_rule_version_cannot_be_rerun() -> None:
    record = PIP_COMPONENT_RATES.decide(points(), on=ON).record
    with pytest.raises(UnknownRuleVersion):
        rerun(record.model_copy(update={"rule_version": 99}))
    with pytest.raises(UnknownRuleVersion):
        rerun(record.model_copy(update={"rule_id": "pip.no_such_rule"}))


# -- validating the points --------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 12])
def test_points_from_0_to_12_per_activity_are_accepted(value: int) -> None:
    scored = AssessmentPoints(
        daily_living=dict.fromkeys(DAILY_LIVING_ACTIVITIES, value),
        mobility=dict.fromkeys(MOBILITY_ACTIVITIES, value),
    )
    validate_points(scored, ON)


@pytest.mark.parametrize("value", [-1, 13, 100])
def test_daily_living_points_outside_0_to_12_are_refused(value: int) -> None:
    scores = spread(0, DAILY_LIVING_ACTIVITIES)
    scores["preparing_food"] = value
    scored = AssessmentPoints(daily_living=scores, mobility=spread(0, MOBILITY_ACTIVITIES))
    with pytest.raises(InvalidAssessmentPoints, match=f"preparing_food scored {value}"):
        validate_points(scored, ON)


@pytest.mark.parametrize("value", [-1, 13])
def test_mobility_points_outside_0_to_12_are_refused(value: int) -> None:
    scores = spread(0, MOBILITY_ACTIVITIES)
    scores["moving_around"] = value
    scored = AssessmentPoints(daily_living=spread(0, DAILY_LIVING_ACTIVITIES), mobility=scores)
    with pytest.raises(InvalidAssessmentPoints, match="between 0 and 12"):
        validate_points(scored, ON)


def test_an_unknown_activity_is_refused_by_name() -> None:
    scores = spread(0, DAILY_LIVING_ACTIVITIES)
    scores["juggling"] = 4
    scored = AssessmentPoints(daily_living=scores, mobility=spread(0, MOBILITY_ACTIVITIES))
    with pytest.raises(InvalidAssessmentPoints, match="unknown daily living activities: juggling"):
        validate_points(scored, ON)


def test_a_daily_living_activity_scored_under_mobility_is_unknown_there() -> None:
    mobility = spread(0, MOBILITY_ACTIVITIES)
    mobility["preparing_food"] = 2
    scored = AssessmentPoints(daily_living=spread(0, DAILY_LIVING_ACTIVITIES), mobility=mobility)
    with pytest.raises(InvalidAssessmentPoints, match="unknown mobility activities"):
        validate_points(scored, ON)


def test_a_missing_daily_living_activity_is_refused_by_name() -> None:
    scores = spread(0, DAILY_LIVING_ACTIVITIES)
    del scores["engaging_with_others"]
    scored = AssessmentPoints(daily_living=scores, mobility=spread(0, MOBILITY_ACTIVITIES))
    with pytest.raises(InvalidAssessmentPoints, match="daily living activities: engaging_with"):
        validate_points(scored, ON)


def test_missing_mobility_activities_are_refused() -> None:
    scored = AssessmentPoints(daily_living=spread(0, DAILY_LIVING_ACTIVITIES), mobility={})
    with pytest.raises(InvalidAssessmentPoints, match="planning_and_following_journeys"):
        validate_points(scored, ON)


def test_there_are_ten_daily_living_and_two_mobility_activities() -> None:
    assert len(DAILY_LIVING_ACTIVITIES) == len(set(DAILY_LIVING_ACTIVITIES)) == 10
    assert len(MOBILITY_ACTIVITIES) == len(set(MOBILITY_ACTIVITIES)) == 2
