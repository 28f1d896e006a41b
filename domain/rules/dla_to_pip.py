"""The move from child DLA to PIP at 16: invitation, claim windows, suspension and DLA's end.

RULES.md section 3. Every number is a parameter of a versioned table; the days DLA is
suspended from and ends on after no claim are UNVERIFIED (regs 9-11 of SI 2013/387) and
say so in their summaries.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum

from pydantic import Field

from domain.periods import (
    add_calendar_months,
    birthday,
    first_weekday_after,
    last_day_of_days_beginning_with,
    weeks_before,
)
from domain.rules.dla_child import PayCycle
from domain.rules.framework import Evaluation, NoParameters, Rule, RuleVersion
from domain.values import Region, ValueObject, Weekday


class Action:
    """The actions of the journey's deadlines."""

    PRE_16_LETTER = "dla_pip.pre_16_letter"
    INVITE = "dla_pip.invite"
    CLOSE_FIRST_WINDOW = "dla_pip.close_first_window"
    CLOSE_SECOND_WINDOW = "dla_pip.close_second_window"
    END_DLA = "dla_pip.end_dla"
    AGE_REVIEW = "dla_child.age_review"


GOV_UK_DLA = "https://www.gov.uk/dla-disability-living-allowance-benefit/how-to-claim"
SI_2013_387 = "https://www.legislation.gov.uk/uksi/2013/387"
NI_REGULATION = "http://www.legislation.gov.uk/nisr/2016/227/regulation/17/made"


def _day(day: date) -> str:
    return day.isoformat()


# -- when to invite ------------------------------------------------------------------------------


class InvitationBasis(Enum):
    """What the invitation date was worked out from."""

    SIXTEENTH_BIRTHDAY = "sixteenth_birthday"
    SPECIAL_RULES_AWARD_END = "special_rules_award_end"


class RegionLetters(ValueObject):
    """Letters sent before the 16th birthday in a region, at months past the 15th birthday."""

    region: Region
    months_after_15th_birthday: tuple[int, ...]


class InvitationTiming(ValueObject):
    """How the invitation date is set."""

    days_after_16th_birthday: int = Field(ge=0)
    special_rules_weeks_before_award_end: int = Field(ge=0)
    pre_16_letters: tuple[RegionLetters, ...]


class InvitationTimingFacts(ValueObject):
    """The young person, their DLA award and where they live."""

    date_of_birth: date
    special_rules: bool
    dla_award_ends_on: date | None
    region: Region


class InvitationPlan(ValueObject):
    """When to invite a PIP claim, why then, and any letters before the 16th birthday."""

    invite_on: date
    basis: InvitationBasis
    sixteenth_birthday: date
    pre_16_letters: tuple[date, ...]


def _invitation_date(
    facts: InvitationTimingFacts, timing: InvitationTiming
) -> Evaluation[InvitationPlan]:
    sixteen = birthday(facts.date_of_birth, 16)
    at_sixteen = sixteen + timedelta(days=timing.days_after_16th_birthday)
    reasons = [f"The 16th birthday is {_day(sixteen)}."]
    basis = InvitationBasis.SIXTEENTH_BIRTHDAY
    invite_on = at_sixteen
    if facts.special_rules and facts.dla_award_ends_on is not None:
        basis = InvitationBasis.SPECIAL_RULES_AWARD_END
        weeks = timing.special_rules_weeks_before_award_end
        before_end = weeks_before(facts.dla_award_ends_on, weeks)
        invite_on = max(before_end, at_sixteen)
        reasons.append(
            f"DLA was awarded under the Special Rules and ends on "
            f"{_day(facts.dla_award_ends_on)}: the invitation goes {weeks} weeks before, on "
            f"{_day(before_end)}, not at 16"
            + (f", but not before 16 ({_day(at_sixteen)})." if invite_on != before_end else ".")
        )
    else:
        if facts.special_rules:
            reasons.append("The Special Rules award has no end date: the invitation goes at 16.")
        reasons.append(
            f"The invitation goes {timing.days_after_16th_birthday} day(s) after the 16th "
            f"birthday: on {_day(invite_on)}."
        )
    letters: tuple[date, ...] = ()
    if basis is InvitationBasis.SIXTEENTH_BIRTHDAY:
        # Counted from the date of birth (15 years and N months), so a 29 February birth
        # is not pushed to 1 March first.
        for regional in timing.pre_16_letters:
            if regional.region is facts.region:
                letters = tuple(
                    add_calendar_months(facts.date_of_birth, 12 * 15 + months)
                    for months in regional.months_after_15th_birthday
                )
        if letters:
            reasons.append(
                f"In {facts.region.value}, letters go before 16: "
                + ", ".join(_day(day) for day in letters)
                + "."
            )
    return Evaluation(
        InvitationPlan(
            invite_on=invite_on, basis=basis, sixteenth_birthday=sixteen, pre_16_letters=letters
        ),
        tuple(reasons),
    )


DLA_PIP_INVITATION_DATE: Rule[InvitationTimingFacts, InvitationTiming, InvitationPlan] = Rule(
    rule_id="dla_pip.invitation_date",
    title="When a child DLA recipient is invited to claim PIP",
    sources=(GOV_UK_DLA, NI_REGULATION),
    inputs_type=InvitationTimingFacts,
    outcome_type=InvitationPlan,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=InvitationTiming(
                days_after_16th_birthday=0,
                special_rules_weeks_before_award_end=20,
                pre_16_letters=(
                    RegionLetters(
                        region=Region.NORTHERN_IRELAND, months_after_15th_birthday=(7, 10)
                    ),
                ),
            ),
            summary="Invite at 16 ('as soon as reasonably practicable': 0 days after the "
            "birthday, a parameter); Special Rules DLA: 20 weeks before the award ends, not "
            "before 16. Northern Ireland sends letters at 15y7m and 15y10m (optional, by region).",
        ),
    ),
    evaluate=_invitation_date,
)


# -- sending the invitation ----------------------------------------------------------------------


class InvitationFacts(ValueObject):
    """What is known about the young person on the day the invitation is due."""

    invite_on: date
    checked_on: date
    basis: InvitationBasis
    sixteenth_birthday: date
    hospital_admitted_on: date | None
    hospital_discharged_on: date | None


class InvitationDecision(ValueObject):
    """Whether the invitation goes now or waits for the young person to leave hospital."""

    send: bool
    deferred_until_discharge: bool


def _invitation(facts: InvitationFacts, _: NoParameters) -> Evaluation[InvitationDecision]:
    if facts.checked_on < facts.invite_on:
        return Evaluation(
            InvitationDecision(send=False, deferred_until_discharge=False),
            (f"The invitation is not due until {_day(facts.invite_on)}.",),
        )
    admitted, discharged = facts.hospital_admitted_on, facts.hospital_discharged_on
    birthday_in_hospital = (
        facts.basis is InvitationBasis.SIXTEENTH_BIRTHDAY
        and admitted is not None
        and admitted <= facts.sixteenth_birthday
        and (discharged is None or discharged > facts.sixteenth_birthday)
    )
    if birthday_in_hospital and (discharged is None or discharged > facts.checked_on):
        return Evaluation(
            InvitationDecision(send=False, deferred_until_discharge=True),
            (
                f"In hospital on the 16th birthday ({_day(facts.sixteenth_birthday)}), "
                f"admitted on {_day(admitted or facts.sixteenth_birthday)}: the invitation "
                "waits until discharge.",
            ),
        )
    if birthday_in_hospital and discharged is not None:
        return Evaluation(
            InvitationDecision(send=True, deferred_until_discharge=False),
            (
                f"In hospital on the 16th birthday and discharged on {_day(discharged)}: "
                f"the invitation goes now ({_day(facts.checked_on)}).",
            ),
        )
    return Evaluation(
        InvitationDecision(send=True, deferred_until_discharge=False),
        (
            f"The invitation was due on {_day(facts.invite_on)}: it goes on "
            f"{_day(facts.checked_on)}.",
        ),
    )


DLA_PIP_INVITATION: Rule[InvitationFacts, NoParameters, InvitationDecision] = Rule(
    rule_id="dla_pip.invitation",
    title="Send the PIP invitation, or wait for discharge from hospital",
    sources=(GOV_UK_DLA,),
    inputs_type=InvitationFacts,
    outcome_type=InvitationDecision,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=NoParameters(),
            summary="Invite when due; in hospital on the 16th birthday: invite on discharge.",
        ),
    ),
    evaluate=_invitation,
)


# -- claim windows -------------------------------------------------------------------------------


class Notice(Enum):
    """Which letter opened a claim window."""

    INVITATION = "invitation"
    SECOND_NOTICE = "second_notice"


class ClaimWindowLength(ValueObject):
    """How long the young person has to claim after each letter."""

    days: int = Field(ge=1)


class ClaimWindowFacts(ValueObject):
    """The letter and the day it was sent."""

    notice: Notice
    sent_on: date


class ClaimWindow(ValueObject):
    """The last day a PIP claim counts for this window."""

    claim_by: date


def _claim_window(facts: ClaimWindowFacts, length: ClaimWindowLength) -> Evaluation[ClaimWindow]:
    claim_by = last_day_of_days_beginning_with(facts.sent_on, length.days)
    return Evaluation(
        ClaimWindow(claim_by=claim_by),
        (
            f"The {facts.notice.value.replace('_', ' ')} was sent on {_day(facts.sent_on)}: "
            f"claim within the {length.days} days beginning with that date, by "
            f"{_day(claim_by)}. A phone claim counts on the day of the call, a posted claim "
            "on the day it arrives.",
        ),
    )


DLA_PIP_CLAIM_WINDOW: Rule[ClaimWindowFacts, ClaimWindowLength, ClaimWindow] = Rule(
    rule_id="dla_pip.claim_window",
    title="The time to claim PIP after an invitation or a second notice",
    sources=(GOV_UK_DLA,),
    inputs_type=ClaimWindowFacts,
    outcome_type=ClaimWindow,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=ClaimWindowLength(days=28),
            summary="Claim within the 28 days beginning with the date the letter was sent.",
        ),
    ),
    evaluate=_claim_window,
)


# -- no claim: suspension, restart and termination -----------------------------------------------


class SuspensionDay(Enum):
    """The day DLA is suspended from when no claim came by the deadline."""

    FIRST_PAY_DAY_AFTER_DEADLINE = "first_pay_day_after_deadline"
    DAY_AFTER_DEADLINE = "day_after_deadline"


class SuspensionTiming(ValueObject):
    """The suspension day, a parameter until regs 9-11 of SI 2013/387 are checked."""

    suspend_from: SuspensionDay


class SuspensionFacts(ValueObject):
    """The last day a claim could have come (a deadline, or a withdrawal) and the pay cycle."""

    no_claim_after: date
    pay_cycle: PayCycle


class Suspension(ValueObject):
    """The first day DLA is not paid."""

    suspended_from: date


def _suspension(facts: SuspensionFacts, timing: SuspensionTiming) -> Evaluation[Suspension]:
    if timing.suspend_from is SuspensionDay.DAY_AFTER_DEADLINE:
        day = facts.no_claim_after + timedelta(days=1)
        how = "the day after"
    else:
        day = facts.pay_cycle.first_pay_day_after(facts.no_claim_after)
        how = "the first DLA pay day after that"
    return Evaluation(
        Suspension(suspended_from=day),
        (
            f"No PIP claim stands after {_day(facts.no_claim_after)}: DLA is suspended from "
            f"{how}, {_day(day)}.",
        ),
    )


DLA_PIP_SUSPENSION: Rule[SuspensionFacts, SuspensionTiming, Suspension] = Rule(
    rule_id="dla_pip.suspension",
    title="DLA suspended when no PIP claim is made by the deadline",
    sources=(GOV_UK_DLA, SI_2013_387),
    inputs_type=SuspensionFacts,
    outcome_type=Suspension,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=SuspensionTiming(suspend_from=SuspensionDay.FIRST_PAY_DAY_AFTER_DEADLINE),
            summary="Suspend DLA from the first DLA pay day after the deadline. UNVERIFIED "
            "exact day (regs 9-11 of SI 2013/387): a parameter.",
        ),
    ),
    evaluate=_suspension,
)


class RestartFacts(ValueObject):
    """The suspension and the claim that came within the second window."""

    suspended_from: date
    claim_date: date


class Restart(ValueObject):
    """DLA is paid again from `restart_on`; the days between are not paid."""

    restart_on: date
    unpaid_from: date | None
    unpaid_to: date | None


def _restart(facts: RestartFacts, _: NoParameters) -> Evaluation[Restart]:
    if facts.claim_date <= facts.suspended_from:
        return Evaluation(
            Restart(restart_on=facts.suspended_from, unpaid_from=None, unpaid_to=None),
            (
                f"PIP claimed on {_day(facts.claim_date)}, before the suspension took effect "
                f"({_day(facts.suspended_from)}): DLA carries on with no gap.",
            ),
        )
    unpaid_to = facts.claim_date - timedelta(days=1)
    return Evaluation(
        Restart(restart_on=facts.claim_date, unpaid_from=facts.suspended_from, unpaid_to=unpaid_to),
        (
            f"PIP claimed on {_day(facts.claim_date)} within the second window: DLA restarts "
            "that day and carries on until the PIP decision.",
            f"No back-pay for the suspended days, {_day(facts.suspended_from)} to "
            f"{_day(unpaid_to)}.",
        ),
    )


DLA_PIP_RESTART: Rule[RestartFacts, NoParameters, Restart] = Rule(
    rule_id="dla_pip.restart",
    title="DLA restarts on a PIP claim within the second window, without back-pay",
    sources=(GOV_UK_DLA,),
    inputs_type=RestartFacts,
    outcome_type=Restart,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=NoParameters(),
            summary="Restart DLA from the claim date; the suspended days are not paid.",
        ),
    ),
    evaluate=_restart,
)


class TerminationDay(Enum):
    """Where DLA's end falls when no claim came after the second notice."""

    DAY_BEFORE_SUSPENSION = "day_before_suspension"


class TerminationTiming(ValueObject):
    """DLA's last day after no claim, a parameter until SI 2013/387 is checked."""

    ends: TerminationDay


class TerminationFacts(ValueObject):
    """The suspension and the second deadline that passed without a claim."""

    suspended_from: date
    second_claim_by: date


class Termination(ValueObject):
    """DLA's last day of entitlement."""

    dla_ends_on: date


def _termination(facts: TerminationFacts, timing: TerminationTiming) -> Evaluation[Termination]:
    ends = facts.suspended_from - timedelta(days=1)
    return Evaluation(
        Termination(dla_ends_on=ends),
        (
            f"Still no PIP claim by {_day(facts.second_claim_by)}: DLA ends. It was suspended "
            f"from {_day(facts.suspended_from)}, so its last day is {_day(ends)}.",
        ),
    )


DLA_PIP_TERMINATION: Rule[TerminationFacts, TerminationTiming, Termination] = Rule(
    rule_id="dla_pip.termination",
    title="DLA ends when no PIP claim follows the second notice",
    sources=(GOV_UK_DLA, SI_2013_387),
    inputs_type=TerminationFacts,
    outcome_type=Termination,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=TerminationTiming(ends=TerminationDay.DAY_BEFORE_SUSPENSION),
            summary="DLA ends on the day before it was suspended from. UNVERIFIED exact day "
            "(regs 9-11 of SI 2013/387): a parameter.",
        ),
    ),
    evaluate=_termination,
)


# -- the PIP claim determined: DLA's last day ----------------------------------------------------


class Determination(Enum):
    """How the PIP claim was determined."""

    DECIDED = "decided"
    NEGATIVE_DETERMINATION = "negative_determination"


class DlaEndBasis(Enum):
    """Which limb of the rule set DLA's last day."""

    AFTER_PIP_DECISION = "after_pip_decision"
    TERMINAL_ILLNESS = "terminal_illness"
    NEGATIVE_DETERMINATION = "negative_determination"


class DlaEndTiming(ValueObject):
    """The periods after the first pay day, and the terminal-illness weekday."""

    days_after_decision: int = Field(ge=1)
    days_after_negative_determination: int = Field(ge=1)
    terminal_illness_weekday: Weekday


class DlaEndFacts(ValueObject):
    """The PIP determination and what the exceptions compare."""

    determination: Determination
    decided_on: date
    pay_cycle: PayCycle
    pip_awarded: bool
    terminally_ill: bool
    pip_weekly_pence: int | None
    dla_weekly_pence: int


class DlaEnd(ValueObject):
    """DLA's last day and, when PIP is awarded, the day PIP starts."""

    dla_ends_on: date
    pip_starts_on: date | None
    basis: DlaEndBasis


def _dla_end(facts: DlaEndFacts, timing: DlaEndTiming) -> Evaluation[DlaEnd]:
    pay_day = facts.pay_cycle.first_pay_day_after(facts.decided_on)
    decided = _day(facts.decided_on)
    if facts.determination is Determination.NEGATIVE_DETERMINATION:
        days = timing.days_after_negative_determination
        ends = last_day_of_days_beginning_with(pay_day, days)
        return Evaluation(
            DlaEnd(dla_ends_on=ends, pip_starts_on=None, basis=DlaEndBasis.NEGATIVE_DETERMINATION),
            (
                f"Negative determination on {decided}: DLA ends on the last day of the {days} "
                f"days starting on the first DLA pay day after it ({_day(pay_day)}): "
                f"{_day(ends)}.",
            ),
        )
    reasons: list[str] = []
    if facts.terminally_ill and facts.pip_awarded:
        if facts.pip_weekly_pence is None:
            reasons.append(
                "Terminally ill, but PIP's weekly amount on the decision date is not in the "
                "rate tables: the terminal-illness exception cannot be compared, so the "
                "ordinary rule applies."
            )
        elif facts.pip_weekly_pence > facts.dla_weekly_pence:
            period_end = pay_day - timedelta(days=1)
            tuesday = first_weekday_after(facts.decided_on, timing.terminal_illness_weekday.number)
            ends = min(period_end, tuesday)
            which = (
                "the end of the current payment period"
                if ends == period_end
                else (
                    f"the first {timing.terminal_illness_weekday.value.title()} after the decision"
                )
            )
            return Evaluation(
                DlaEnd(
                    dla_ends_on=ends,
                    pip_starts_on=ends + timedelta(days=1),
                    basis=DlaEndBasis.TERMINAL_ILLNESS,
                ),
                (
                    f"Terminally ill and PIP awarded on {decided} at {facts.pip_weekly_pence}p "
                    f"a week, more than DLA's {facts.dla_weekly_pence}p.",
                    f"DLA ends at the earlier of the end of the current payment period "
                    f"({_day(period_end)}) and the first "
                    f"{timing.terminal_illness_weekday.value.title()} after the decision "
                    f"({_day(tuesday)}): {which}, {_day(ends)}. PIP starts the day after.",
                ),
            )
        else:
            reasons.append(
                f"Terminally ill, but PIP ({facts.pip_weekly_pence}p a week) is not more than "
                f"DLA ({facts.dla_weekly_pence}p): the ordinary rule applies."
            )
    days = timing.days_after_decision
    ends = last_day_of_days_beginning_with(pay_day, days)
    starts = ends + timedelta(days=1) if facts.pip_awarded else None
    reasons.append(
        f"PIP decided on {decided}: DLA ends on the last day of the {days}-day period that "
        f"starts on the first DLA pay day after the decision ({_day(pay_day)}): {_day(ends)}."
    )
    reasons.append(
        f"PIP starts the day after, {_day(ends + timedelta(days=1))}."
        if facts.pip_awarded
        else "PIP was not awarded, so nothing follows DLA."
    )
    return Evaluation(
        DlaEnd(dla_ends_on=ends, pip_starts_on=starts, basis=DlaEndBasis.AFTER_PIP_DECISION),
        tuple(reasons),
    )


DLA_PIP_DLA_END_DATE: Rule[DlaEndFacts, DlaEndTiming, DlaEnd] = Rule(
    rule_id="dla_pip.dla_end_date",
    title="DLA's last day once the PIP claim is determined",
    sources=(GOV_UK_DLA, SI_2013_387),
    inputs_type=DlaEndFacts,
    outcome_type=DlaEnd,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=DlaEndTiming(
                days_after_decision=28,
                days_after_negative_determination=14,
                terminal_illness_weekday=Weekday.TUESDAY,
            ),
            summary="DLA ends on the last day of the 28 days starting on the first DLA pay day "
            "after the PIP decision (PIP starts the day after); terminally ill with PIP more "
            "than DLA: the earlier of the current payment period's end and the first Tuesday "
            "after the decision; negative determination: the last of 14 days from the first "
            "pay day after it.",
        ),
    ),
    evaluate=_dla_end,
)


class ReinstatementFacts(ValueObject):
    """DLA's last day as set by the negative determination, and the good reason's acceptance."""

    dla_ends_on: date
    good_reason_accepted_on: date


class Reinstatement(ValueObject):
    """DLA carries on until the PIP decision; arrears from a date if it had already ended."""

    arrears_from: date | None


def _reinstatement(facts: ReinstatementFacts, _: NoParameters) -> Evaluation[Reinstatement]:
    accepted = _day(facts.good_reason_accepted_on)
    if facts.good_reason_accepted_on > facts.dla_ends_on:
        arrears_from = facts.dla_ends_on + timedelta(days=1)
        return Evaluation(
            Reinstatement(arrears_from=arrears_from),
            (
                f"Good reason accepted on {accepted}, after DLA ended on "
                f"{_day(facts.dla_ends_on)}: DLA is reinstated from {_day(arrears_from)} "
                "and carries on until the PIP claim is decided.",
            ),
        )
    return Evaluation(
        Reinstatement(arrears_from=None),
        (
            f"Good reason accepted on {accepted}, before DLA's last day "
            f"({_day(facts.dla_ends_on)}): DLA does not end; it carries on until the PIP "
            "claim is decided.",
        ),
    )


DLA_PIP_REINSTATEMENT: Rule[ReinstatementFacts, NoParameters, Reinstatement] = Rule(
    rule_id="dla_pip.reinstatement",
    title="DLA reinstated when a good reason for the negative determination is accepted",
    sources=(GOV_UK_DLA,),
    inputs_type=ReinstatementFacts,
    outcome_type=Reinstatement,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=NoParameters(),
            summary="Good reason accepted: DLA is reinstated until the PIP claim is decided.",
        ),
    ),
    evaluate=_reinstatement,
)
