"""Time limits for reconsideration and appeal, and when a revision makes an appeal lapse."""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum

from domain.periods import within_months_of
from domain.rules.framework import Evaluation, NoParameters, Rule, RuleVersion
from domain.rules.pip_assessment import Rate
from domain.values import ValueObject

CITIZENS_ADVICE = (
    "https://www.citizensadvice.org.uk/benefits/benefits-introduction/"
    "problems-with-benefits-and-tax-credits/challenging-a-benefit-decision/"
)
TRIBUNAL_RULE_22 = "https://legislation.gov.uk/id/uksi/2008/2685/rule/22"


class Timeliness(Enum):
    """How a request stands against its time limit."""

    IN_TIME = "in_time"
    LATE_ACCEPTED = "late_accepted"
    LATE_NEEDS_GOOD_REASON = "late_needs_good_reason"
    BEYOND_ABSOLUTE_LIMIT = "beyond_absolute_limit"
    OFFICIAL_ERROR_ANY_TIME = "official_error_any_time"

    @property
    def admissible(self) -> bool:
        """True when the request may go ahead."""
        return self in {
            Timeliness.IN_TIME,
            Timeliness.LATE_ACCEPTED,
            Timeliness.OFFICIAL_ERROR_ANY_TIME,
        }


class ReconsiderationLimits(ValueObject):
    """The MR time limits."""

    months: int
    statement_of_reasons_extra_days: int
    absolute_limit_months: int


class ReconsiderationRequest(ValueObject):
    """The facts that decide whether an MR request is in time."""

    decision_notified_on: date
    requested_on: date
    statement_of_reasons_requested: bool
    good_reason_for_lateness: str | None
    official_error_alleged: bool


class ReconsiderationTimeliness(ValueObject):
    """The ordinary deadline, the absolute limit and where the request stands."""

    deadline: date
    absolute_limit: date
    timeliness: Timeliness


def _ordinary_reconsideration_deadline(
    notified_on: date, statement_of_reasons_requested: bool, limits: ReconsiderationLimits
) -> date:
    deadline = within_months_of(notified_on, limits.months)
    if statement_of_reasons_requested:
        deadline += timedelta(days=limits.statement_of_reasons_extra_days)
    return deadline


def _reconsideration(
    request: ReconsiderationRequest, limits: ReconsiderationLimits
) -> Evaluation[ReconsiderationTimeliness]:
    deadline = within_months_of(request.decision_notified_on, limits.months)
    reasons = [
        f"Decision notified on {request.decision_notified_on.isoformat()}: MR due within "
        f"{limits.months} month(s), by {deadline.isoformat()}."
    ]
    if request.statement_of_reasons_requested:
        deadline = _ordinary_reconsideration_deadline(request.decision_notified_on, True, limits)
        reasons.append(
            f"A written statement of reasons was asked for: "
            f"{limits.statement_of_reasons_extra_days} more days, to {deadline.isoformat()}."
        )
    absolute_limit = within_months_of(request.decision_notified_on, limits.absolute_limit_months)
    requested = request.requested_on.isoformat()
    if request.official_error_alleged:
        timeliness = Timeliness.OFFICIAL_ERROR_ANY_TIME
        reasons.append(f"Requested on {requested} alleging official error: allowed at any time.")
    elif request.requested_on <= deadline:
        timeliness = Timeliness.IN_TIME
        reasons.append(f"Requested on {requested}: in time.")
    elif request.requested_on > absolute_limit:
        timeliness = Timeliness.BEYOND_ABSOLUTE_LIMIT
        reasons.append(
            f"Requested on {requested}, after the absolute limit of {limits.absolute_limit_months}"
            f" months ({absolute_limit.isoformat()}): cannot be accepted, even with a good reason."
        )
    elif (request.good_reason_for_lateness or "").strip():
        timeliness = Timeliness.LATE_ACCEPTED
        reasons.append(
            f"Requested late on {requested}, within the absolute limit "
            f"({absolute_limit.isoformat()}), with a good reason: "
            f"{request.good_reason_for_lateness}."
        )
    else:
        timeliness = Timeliness.LATE_NEEDS_GOOD_REASON
        reasons.append(
            f"Requested late on {requested}; a late request up to {absolute_limit.isoformat()} "
            "needs a good reason, and none was given."
        )
    return Evaluation(
        ReconsiderationTimeliness(
            deadline=deadline, absolute_limit=absolute_limit, timeliness=timeliness
        ),
        tuple(reasons),
    )


MANDATORY_RECONSIDERATION_TIME_LIMIT: Rule[
    ReconsiderationRequest, ReconsiderationLimits, ReconsiderationTimeliness
] = Rule(
    rule_id="dispute.mr_time_limit",
    title="Mandatory reconsideration time limit",
    sources=(CITIZENS_ADVICE,),
    inputs_type=ReconsiderationRequest,
    outcome_type=ReconsiderationTimeliness,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 1),
            parameters=ReconsiderationLimits(
                months=1, statement_of_reasons_extra_days=14, absolute_limit_months=13
            ),
            summary=(
                "1 month from notification (+14 days with a statement of reasons); late with a "
                "good reason up to 13 months from notification; official error at any time."
            ),
        ),
    ),
    evaluate=_reconsideration,
)


class AppealLimits(ValueObject):
    """The appeal time limits."""

    months: int
    tribunal_extension_months: int


class AppealRequest(ValueObject):
    """The facts that decide whether an appeal is in time."""

    reconsideration_notice_sent_on: date
    lodged_on: date
    tribunal_extended: bool


class AppealTimeliness(ValueObject):
    """The appeal deadline, the furthest extension and where the appeal stands."""

    deadline: date
    furthest_extension: date
    timeliness: Timeliness


def reconsideration_deadline(notified_on: date, statement_of_reasons_requested: bool) -> date:
    """The last day to ask for an MR without needing a good reason (the rule in force then)."""
    limits = MANDATORY_RECONSIDERATION_TIME_LIMIT.version_in_force(notified_on).parameters
    return _ordinary_reconsideration_deadline(notified_on, statement_of_reasons_requested, limits)


def appeal_deadline(reconsideration_notice_sent_on: date) -> date:
    """The last day to appeal to the tribunal without an extension (the rule in force then)."""
    limits = APPEAL_TIME_LIMIT.version_in_force(reconsideration_notice_sent_on).parameters
    return within_months_of(reconsideration_notice_sent_on, limits.months)


def _appeal(request: AppealRequest, limits: AppealLimits) -> Evaluation[AppealTimeliness]:
    sent = request.reconsideration_notice_sent_on
    deadline = within_months_of(sent, limits.months)
    furthest = within_months_of(deadline, limits.tribunal_extension_months)
    lodged = request.lodged_on.isoformat()
    reasons = [
        f"MR notice sent on {sent.isoformat()}: appeal due within {limits.months} month(s), "
        f"by {deadline.isoformat()}."
    ]
    if request.lodged_on <= deadline:
        timeliness = Timeliness.IN_TIME
        reasons.append(f"Lodged on {lodged}: in time.")
    elif request.lodged_on > furthest:
        timeliness = Timeliness.BEYOND_ABSOLUTE_LIMIT
        reasons.append(
            f"Lodged on {lodged}, beyond the furthest tribunal extension "
            f"({limits.tribunal_extension_months} months, to {furthest.isoformat()})."
        )
    elif request.tribunal_extended:
        timeliness = Timeliness.LATE_ACCEPTED
        reasons.append(f"Lodged late on {lodged}; the tribunal extended the time limit.")
    else:
        timeliness = Timeliness.LATE_NEEDS_GOOD_REASON
        reasons.append(
            f"Lodged late on {lodged}; only the tribunal can extend the limit "
            f"(up to {furthest.isoformat()})."
        )
    return Evaluation(
        AppealTimeliness(deadline=deadline, furthest_extension=furthest, timeliness=timeliness),
        tuple(reasons),
    )


APPEAL_TIME_LIMIT: Rule[AppealRequest, AppealLimits, AppealTimeliness] = Rule(
    rule_id="dispute.appeal_time_limit",
    title="Appeal to the tribunal: time limit",
    sources=(CITIZENS_ADVICE, TRIBUNAL_RULE_22),
    inputs_type=AppealRequest,
    outcome_type=AppealTimeliness,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 1),
            parameters=AppealLimits(months=1, tribunal_extension_months=12),
            summary="1 month from the MR notice; the tribunal may extend by up to 12 months.",
        ),
    ),
    evaluate=_appeal,
)


_RATE_ORDER = {Rate.NONE: 0, Rate.STANDARD: 1, Rate.ENHANCED: 2}


class RevisionFacts(ValueObject):
    """What the appellant asked for and what the revised decision gives."""

    sought_daily_living: Rate
    sought_mobility: Rate
    revised_entitled: bool
    revised_daily_living: Rate
    revised_mobility: Rate


class AppealEffect(ValueObject):
    """Whether the appeal lapses, or continues against the revised decision."""

    lapses: bool


def _lapse(facts: RevisionFacts, _: NoParameters) -> Evaluation[AppealEffect]:
    # Benefits without component rates seek entitlement alone (sought rates are 'none').
    fully = (
        facts.revised_entitled
        and _RATE_ORDER[facts.revised_daily_living] >= _RATE_ORDER[facts.sought_daily_living]
        and _RATE_ORDER[facts.revised_mobility] >= _RATE_ORDER[facts.sought_mobility]
    )
    gives = (
        f"The revised decision {'gives' if facts.revised_entitled else 'refuses'} entitlement, "
        f"with daily living {facts.revised_daily_living.value} and mobility "
        f"{facts.revised_mobility.value}; the appeal asked for daily living "
        f"{facts.sought_daily_living.value} and mobility {facts.sought_mobility.value}."
    )
    if fully:
        return Evaluation(
            AppealEffect(lapses=True),
            (gives, "The revision is fully in the appellant's favour: the appeal lapses."),
        )
    return Evaluation(
        AppealEffect(lapses=False),
        (
            gives,
            "The revision is not fully favourable: the appeal continues against the revised "
            "decision (1 month for further representations).",
        ),
    )


APPEAL_LAPSE: Rule[RevisionFacts, NoParameters, AppealEffect] = Rule(
    rule_id="dispute.appeal_lapse",
    title="Appeal lapses on a fully favourable revision",
    sources=(CITIZENS_ADVICE,),
    inputs_type=RevisionFacts,
    outcome_type=AppealEffect,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 1),
            parameters=NoParameters(),
            summary="Fully favourable revision: the appeal lapses; otherwise it continues.",
        ),
    ),
    evaluate=_lapse,
)
