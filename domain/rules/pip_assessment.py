"""PIP award from assessment points: 0-7 no award, 8-11 standard rate, 12 or more enhanced."""

from __future__ import annotations

from datetime import date
from enum import Enum

from domain.errors import InvalidAssessmentPoints
from domain.rules.framework import Evaluation, Rule, RuleVersion
from domain.values import ValueObject

DAILY_LIVING_ACTIVITIES: tuple[str, ...] = (
    "preparing_food",
    "taking_nutrition",
    "managing_therapy",
    "washing_and_bathing",
    "managing_toilet_needs",
    "dressing_and_undressing",
    "communicating_verbally",
    "reading_and_understanding",
    "engaging_with_others",
    "making_budgeting_decisions",
)
MOBILITY_ACTIVITIES: tuple[str, ...] = ("planning_and_following_journeys", "moving_around")


class Rate(Enum):
    """The rate of a PIP component."""

    NONE = "none"
    STANDARD = "standard"
    ENHANCED = "enhanced"


class PointsThresholds(ValueObject):
    """Points needed per component, and the most one activity can score."""

    standard_rate_from: int
    enhanced_rate_from: int
    max_points_per_activity: int


class AssessmentPoints(ValueObject):
    """Points per activity from the assessment report."""

    daily_living: dict[str, int]
    mobility: dict[str, int]


class ComponentAward(ValueObject):
    """The rates a set of points earns."""

    daily_living_points: int
    daily_living_rate: Rate
    mobility_points: int
    mobility_rate: Rate


def _rate_for(points: int, thresholds: PointsThresholds) -> Rate:
    if points >= thresholds.enhanced_rate_from:
        return Rate.ENHANCED
    if points >= thresholds.standard_rate_from:
        return Rate.STANDARD
    return Rate.NONE


def _evaluate(points: AssessmentPoints, thresholds: PointsThresholds) -> Evaluation[ComponentAward]:
    daily_living = sum(points.daily_living.values())
    mobility = sum(points.mobility.values())
    award = ComponentAward(
        daily_living_points=daily_living,
        daily_living_rate=_rate_for(daily_living, thresholds),
        mobility_points=mobility,
        mobility_rate=_rate_for(mobility, thresholds),
    )
    bands = (
        f"0-{thresholds.standard_rate_from - 1} points: no award; "
        f"{thresholds.standard_rate_from}-{thresholds.enhanced_rate_from - 1}: standard rate; "
        f"{thresholds.enhanced_rate_from} or more: enhanced rate"
    )
    return Evaluation(
        outcome=award,
        reasons=(
            f"Daily living activities scored {daily_living} points: "
            f"{award.daily_living_rate.value} rate ({bands}).",
            f"Mobility activities scored {mobility} points: "
            f"{award.mobility_rate.value} rate ({bands}).",
        ),
    )


PIP_COMPONENT_RATES: Rule[AssessmentPoints, PointsThresholds, ComponentAward] = Rule(
    rule_id="pip.component_rates",
    title="PIP component rates from assessment points",
    sources=(
        "https://durham.gov.uk/article/21399/Personal-Independence-Payment-the-PIP-2-form-assessment-activities-and-descriptors",
    ),
    inputs_type=AssessmentPoints,
    outcome_type=ComponentAward,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=PointsThresholds(
                standard_rate_from=8, enhanced_rate_from=12, max_points_per_activity=12
            ),
            summary="Per component: 0-7 no award, 8-11 standard rate, 12+ enhanced rate.",
        ),
    ),
    evaluate=_evaluate,
)


def validate_points(points: AssessmentPoints, on: date) -> None:
    """Refuse unknown activities, missing activities and points outside the allowed range."""
    limit = PIP_COMPONENT_RATES.version_in_force(on).parameters.max_points_per_activity
    for component, expected, scored in (
        ("daily living", DAILY_LIVING_ACTIVITIES, points.daily_living),
        ("mobility", MOBILITY_ACTIVITIES, points.mobility),
    ):
        unknown = sorted(set(scored) - set(expected))
        if unknown:
            raise InvalidAssessmentPoints(f"unknown {component} activities: {', '.join(unknown)}")
        missing = [activity for activity in expected if activity not in scored]
        if missing:
            raise InvalidAssessmentPoints(
                f"no points given for {component} activities: {', '.join(missing)}"
            )
        for activity, value in scored.items():
            if not 0 <= value <= limit:
                raise InvalidAssessmentPoints(
                    f"{component} activity {activity} scored {value}; "
                    f"points must be between 0 and {limit}"
                )
