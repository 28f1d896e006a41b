"""Child DLA awards: when DLA is paid, and which age reviews an award has."""

from __future__ import annotations

from datetime import date
from enum import Enum

from pydantic import Field

from domain.periods import birthday, first_cycle_day_after, first_weekday_on_or_after
from domain.rules.framework import Evaluation, Rule, RuleVersion
from domain.values import ValueObject, Weekday

GOV_UK_PAYMENT_DAY = "https://www.gov.uk/dla-disability-living-allowance-benefit/how-to-claim"
NI_REGULATION = "http://www.legislation.gov.uk/nisr/2016/227/regulation/17/made"


# -- pay day ------------------------------------------------------------------------------------


class PayDayBand(ValueObject):
    """NINOs whose last two digits are at most `up_to` are paid on `weekday`."""

    up_to: int = Field(ge=0, le=99)
    weekday: Weekday


class PayDayTable(ValueObject):
    """The pay weekday by NINO digits, and how many weeks one payment covers."""

    bands: tuple[PayDayBand, ...]
    cycle_weeks: int = Field(ge=1)


class PayDayFacts(ValueObject):
    """What sets a DLA award's pay days: the NINO's last two digits and the award's start."""

    nino_digits: str = Field(pattern=r"^[0-9]{2}$")
    award_starts_on: date


class PayCycle(ValueObject):
    """DLA is paid on `weekday`, every `cycle_weeks` weeks from `first_pay_day`."""

    weekday: Weekday
    first_pay_day: date
    cycle_weeks: int = Field(ge=1)

    def first_pay_day_after(self, day: date) -> date:
        """The first DLA pay day strictly after `day`."""
        return first_cycle_day_after(self.first_pay_day, 7 * self.cycle_weeks, day)


def _pay_schedule(facts: PayDayFacts, table: PayDayTable) -> Evaluation[PayCycle]:
    digits = int(facts.nino_digits)
    band = next(band for band in table.bands if digits <= band.up_to)
    first = first_weekday_on_or_after(facts.award_starts_on, band.weekday.number)
    return Evaluation(
        PayCycle(weekday=band.weekday, first_pay_day=first, cycle_weeks=table.cycle_weeks),
        (
            f"A NINO ending in {facts.nino_digits} is paid on a {band.weekday.value.title()}.",
            f"The award starts on {facts.award_starts_on.isoformat()}: the first pay day is "
            f"{first.isoformat()}, then every {table.cycle_weeks} weeks.",
        ),
    )


DLA_PAY_SCHEDULE: Rule[PayDayFacts, PayDayTable, PayCycle] = Rule(
    rule_id="dla.pay_schedule",
    title="DLA pay day and payment cycle",
    sources=(GOV_UK_PAYMENT_DAY,),
    inputs_type=PayDayFacts,
    outcome_type=PayCycle,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(1992, 4, 6),
            parameters=PayDayTable(
                bands=(
                    PayDayBand(up_to=19, weekday=Weekday.MONDAY),
                    PayDayBand(up_to=39, weekday=Weekday.TUESDAY),
                    PayDayBand(up_to=59, weekday=Weekday.WEDNESDAY),
                    PayDayBand(up_to=79, weekday=Weekday.THURSDAY),
                    PayDayBand(up_to=99, weekday=Weekday.FRIDAY),
                ),
                cycle_weeks=4,
            ),
            summary="Pay day by the NINO's last two digits (00-19 Monday ... 80-99 Friday), paid "
            "every 4 weeks. UNVERIFIED for DLA: the department's usual NINO banding and cycle, "
            "held here as parameters.",
        ),
    ),
    evaluate=_pay_schedule,
)


# -- age reviews ---------------------------------------------------------------------------------


class DisablingCondition(Enum):
    """The main disabling condition of a child DLA award, as far as the rules care."""

    ADHD = "adhd"
    AUTISM = "autism"
    OTHER = "other"


class ReviewPolicy(ValueObject):
    """The ages at which child awards are reviewed, and conditions whose awards are not."""

    review_ages: tuple[int, ...]
    not_reviewed_for: tuple[DisablingCondition, ...]


class ReviewFacts(ValueObject):
    """The child, the award's condition, and the day the journey starts."""

    date_of_birth: date
    condition: DisablingCondition
    started_on: date


class AgeReview(ValueObject):
    """An age review of the award and the day it is due."""

    age: int
    due_on: date


class AgeReviews(ValueObject):
    """The age reviews still to come (none for exempt conditions)."""

    reviews: tuple[AgeReview, ...]


def _age_reviews(facts: ReviewFacts, policy: ReviewPolicy) -> Evaluation[AgeReviews]:
    ages = ", ".join(str(age) for age in policy.review_ages)
    if facts.condition in policy.not_reviewed_for:
        return Evaluation(
            AgeReviews(reviews=()),
            (
                f"Child DLA awards for {facts.condition.value} are not reviewed at ages {ages}: "
                "no age review is scheduled.",
            ),
        )
    upcoming = tuple(
        AgeReview(age=age, due_on=birthday(facts.date_of_birth, age))
        for age in policy.review_ages
        if birthday(facts.date_of_birth, age) > facts.started_on
    )
    reasons = [f"Child DLA awards are reviewed at ages {ages}."]
    reasons += [f"Review at age {r.age} due on {r.due_on.isoformat()}." for r in upcoming]
    if not upcoming:
        reasons.append(f"Every review age has passed by {facts.started_on.isoformat()}.")
    return Evaluation(AgeReviews(reviews=upcoming), tuple(reasons))


DLA_CHILD_AGE_REVIEWS: Rule[ReviewFacts, ReviewPolicy, AgeReviews] = Rule(
    rule_id="dla_child.age_reviews",
    title="Age reviews of child DLA awards",
    sources=(NI_REGULATION,),
    inputs_type=ReviewFacts,
    outcome_type=AgeReviews,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=ReviewPolicy(
                review_ages=(7, 14),
                not_reviewed_for=(DisablingCondition.ADHD, DisablingCondition.AUTISM),
            ),
            summary="Child awards are reviewed at 7 and 14, except awards for ADHD or autism. "
            "The date the exemption took effect is UNVERIFIED: it is applied from this "
            "version's start.",
        ),
    ),
    evaluate=_age_reviews,
)
