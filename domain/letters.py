"""The one registry of facts that mean writing to the customer, and what each letter says.

A recorded fact (a Claim, Customer or transition event) implies a contact when the
department must tell the customer about it: the write path (services/base.py) looks every
stored event up here and queues the message on the Customer in the same save. Nothing else
causes contact, except a caseworker's own message through the same outbox.

The texts are plain and built from the event's dates and rates only: never from a decision
maker's free-text reasons, and never naming the basis of a decision (a third party may have
claimed without the customer knowing why).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.aggregate import JourneyAggregate
from domain.claim import Award, Claim, DisallowanceGrounds
from domain.contacts import OutboundMessage, channel_for, contact_id_for
from domain.customer import Customer
from domain.debt import Debt, DebtKind
from domain.rules.debt import HardshipKind, RecoveryMethod
from domain.rules.pip_assessment import Rate
from domain.transition import DlaToPipTransition
from domain.values import ContactPreferences, EventRef, pounds


def _day(value: Any) -> str:
    return f"{value.day} {value:%B %Y}"


_DISPUTE = (
    "If you disagree, you can ask us to look at the decision again (a mandatory "
    "reconsideration) within one month of the date of this letter."
)
_APPEAL = (
    "If you still disagree, you can appeal to an independent tribunal within one month of "
    "the date of this letter."
)
_RATE_NAMES = {Rate.STANDARD: "the standard rate", Rate.ENHANCED: "the enhanced rate"}


def _award_lines(award: Award) -> str:
    if not award.entitled:
        return "You are not entitled to the benefit you claimed."
    period = f"from {_day(award.starts_on)}" if award.starts_on else "from a date we will confirm"
    if award.ends_on is not None:
        period += f" to {_day(award.ends_on)}"
    lines = [f"You are entitled {period}."]
    if award.daily_living is not Rate.NONE:
        lines.append(f"Daily living part: {_RATE_NAMES[award.daily_living]}.")
    if award.mobility is not Rate.NONE:
        lines.append(f"Mobility part: {_RATE_NAMES[award.mobility]}.")
    return " ".join(lines)


def _questionnaire(e: Claim.QuestionnaireIssued) -> str:
    return (
        "We have sent you the form 'How your disability affects you' (PIP2). Please fill it in "
        f"and return it by {_day(e.due_on)}. If you cannot return it by then, contact us."
    )


def _disallowed(e: Claim.Disallowed) -> str:
    if e.grounds is DisallowanceGrounds.QUESTIONNAIRE_NOT_RETURNED:
        why = (
            "We did not receive your completed PIP2 form in time, so we could not go on with "
            "your claim. If you had a good reason for not returning it, contact us."
        )
    else:
        why = "You cannot get this benefit because of your age on the date you claimed."
    return f"We have made a decision on your claim on {_day(e.effective_date)}. {why} {_DISPUTE}"


def _good_reason(e: Claim.GoodReasonAccepted) -> str:
    return (
        "We have accepted your reason for not returning your PIP2 form in time, and your claim "
        f"continues. Please return the form by {_day(e.due_on)}."
    )


def _decision(e: Claim.AwardDecided) -> str:
    return f"We have decided your claim. {_award_lines(e.award)} {_DISPUTE}"


def _reconsideration(e: Claim.ReconsiderationDecided) -> str:
    outcome = "We have changed our decision." if e.revised else "We have not changed our decision."
    return (
        f"We have looked at your claim again (mandatory reconsideration notice). {outcome} "
        f"{_award_lines(e.award)} {_APPEAL}"
    )


def _revised(e: Claim.RevisedDuringAppeal) -> str:
    return (
        "We have looked at your claim again while your appeal is waiting and changed our "
        f"decision. {_award_lines(e.award)} The tribunal will tell you what happens to your appeal."
    )


def _appeal(e: Claim.AppealDecided) -> str:
    outcome = "allowed your appeal" if e.allowed else "did not allow your appeal"
    return f"The tribunal {outcome}. {_award_lines(e.award)}"


def _pre_16(e: DlaToPipTransition.Pre16LetterSent) -> str:
    return (
        "Disability Living Allowance (DLA) for children ends at 16. Around your 16th birthday "
        "we will invite you to claim Personal Independence Payment (PIP) instead. You do not "
        "need to do anything yet."
    )


def _invitation(e: DlaToPipTransition.InvitationIssued) -> str:
    return (
        "Please claim Personal Independence Payment (PIP) by "
        f"{_day(e.claim_by)}. Your DLA carries on while we decide your PIP claim."
    )


def _second_notice(e: DlaToPipTransition.SecondNoticeSent) -> str:
    return (
        "We have not received your claim for Personal Independence Payment (PIP), so your DLA "
        f"will stop being paid. If you claim PIP by {_day(e.claim_by)}, your DLA will start "
        "again while we decide it; if you do not, your DLA will end."
    )


def _terminated(e: DlaToPipTransition.DlaTerminated) -> str:
    return (
        f"Your Disability Living Allowance (DLA) ended on {_day(e.effective_date)} because we "
        "did not receive a claim for Personal Independence Payment (PIP). You can still claim "
        "PIP."
    )


def _restarted(e: DlaToPipTransition.DlaRestarted) -> str:
    return (
        "Thank you for your claim for Personal Independence Payment (PIP). Your DLA starts "
        f"again from {_day(e.effective_date)} while we decide it."
    )


def _reinstated(e: DlaToPipTransition.DlaReinstated) -> str:
    return (
        "Your Disability Living Allowance (DLA) carries on until we decide your claim for "
        "Personal Independence Payment (PIP)."
    )


_HOW_TO_ASK = (
    "You can pay back some or all of it early at any time. If paying it back causes you "
    "hardship, contact us: we can reduce or pause the repayments for a while."
)


def _debt_plan(e: Debt.Notified) -> str:
    if e.method is RecoveryMethod.NOT_RECOVERED:
        return "Because the amount is small, we will not ask you to pay it back."
    if e.recovery_on_hold:
        return "We are not asking you to pay it back at the moment. We will write to you first."
    if e.method is RecoveryMethod.BENEFIT_DEDUCTION:
        start = f" from {_day(e.first_repayment_on)}" if e.first_repayment_on else ""
        if e.per_period_pence and e.repay_months:
            return (
                f"We will take {pounds(e.per_period_pence)} a month from your benefit{start}, "
                f"over {e.repay_months} months."
            )
        if e.per_period_pence:
            return (
                f"We will take {pounds(e.per_period_pence)} from each monthly payment of your "
                f"benefit{start}, or less where the limit on deductions means we must."
            )
        return f"We will take an amount from each payment of your benefit{start}."
    if e.method is RecoveryMethod.EARNINGS_ATTACHMENT:
        return (
            "We will ask your employer to take an amount from your pay (a Direct Earnings "
            "Attachment). You will always keep at least 60% of your net pay."
        )
    return "Please contact us to agree an amount you can afford to pay back each month."


def _debt_notified(e: Debt.Notified) -> str:
    if e.debt_kind is DebtKind.ADVANCE:
        opening = f"You have been paid an advance of {pounds(e.amount_pence)}."
        rights = "If you think the amount is wrong, contact us."
    else:
        period = ""
        if e.period_from is not None and e.period_to is not None:
            period = f" between {_day(e.period_from)} and {_day(e.period_to)}"
        opening = (
            f"You were paid {pounds(e.amount_pence)} more {e.benefit.value} than you were "
            f"entitled to{period} (an overpayment)."
        )
        rights = (
            "If you disagree that you were overpaid or with the amount, you can ask us to look "
            "at the decision again (a mandatory reconsideration) within one month of the date of "
            "this letter" + (f", by {_day(e.dispute_by)}." if e.dispute_by is not None else ".")
        )
    return f"{opening} {_debt_plan(e)} {rights} {_HOW_TO_ASK}"


def _hardship_decided(e: Debt.HardshipDecided) -> str:
    if not e.granted:
        rate = pounds(e.per_period_pence)
        stay = f"stay at {rate} a month" if e.per_period_pence else "stay the same"
        return (
            "We have looked at your request to reduce or pause your repayments and we cannot "
            f"agree to it. Your repayments {stay}. If your circumstances change, contact us."
        )
    until = f"until {_day(e.until)}" if e.until is not None else "for a while"
    if e.kind is HardshipKind.PAUSE:
        change = f"We have paused your repayments from {_day(e.from_on)} {until}."
    else:
        change = (
            f"We have reduced your repayments to {pounds(e.per_period_pence)} a month from "
            f"{_day(e.from_on)} {until}."
        )
    return f"{change} After that, they go back to the usual amount. {_HOW_TO_ASK}"


def _waived(e: Debt.Waived) -> str:
    left = (
        "You do not owe us anything more for it."
        if e.balance_after_pence == 0
        else f"You still owe {pounds(e.balance_after_pence)}."
    )
    return f"We have decided not to recover {pounds(e.amount_pence)} of your debt. {left}"


@dataclass(frozen=True)
class LetterTemplate:
    """A letter a fact implies: its template id, subject line and body."""

    template_id: str
    subject: str
    body: Callable[[Any], str]

    def message(
        self, event: JourneyAggregate.Event, preferences: ContactPreferences
    ) -> OutboundMessage:
        """The message this letter gives for one recorded event, by the customer's channel."""
        about = EventRef(aggregate_id=event.originator_id, version=event.originator_version)
        return OutboundMessage(
            contact_id=contact_id_for(about),
            channel=channel_for(preferences),
            template_id=self.template_id,
            subject=self.subject,
            body=self.body(event),
            about=about,
            large_print=preferences.large_print,
            language=preferences.language,
        )


LETTERS: Mapping[type[JourneyAggregate.Event], LetterTemplate] = {
    Claim.QuestionnaireIssued: LetterTemplate("pip2", "Your PIP2 form", _questionnaire),
    Claim.Disallowed: LetterTemplate("claim_disallowed", "A decision on your claim", _disallowed),
    Claim.GoodReasonAccepted: LetterTemplate("claim_continues", "Your claim", _good_reason),
    Claim.AwardDecided: LetterTemplate("award_decision", "A decision on your claim", _decision),
    Claim.ReconsiderationDecided: LetterTemplate(
        "mr_notice", "Mandatory reconsideration notice", _reconsideration
    ),
    Claim.RevisedDuringAppeal: LetterTemplate("revised_decision", "Your claim", _revised),
    Claim.AppealDecided: LetterTemplate("appeal_decision", "Your appeal", _appeal),
    DlaToPipTransition.Pre16LetterSent: LetterTemplate(
        "dla_pip_pre_16", "Your DLA when you turn 16", _pre_16
    ),
    DlaToPipTransition.InvitationIssued: LetterTemplate(
        "dla_pip_invitation", "Claim Personal Independence Payment", _invitation
    ),
    DlaToPipTransition.SecondNoticeSent: LetterTemplate(
        "dla_pip_second_notice", "Your DLA is stopping", _second_notice
    ),
    DlaToPipTransition.DlaTerminated: LetterTemplate(
        "dla_pip_dla_ended", "Your DLA has ended", _terminated
    ),
    DlaToPipTransition.DlaRestarted: LetterTemplate(
        "dla_pip_dla_restarted", "Your DLA starts again", _restarted
    ),
    DlaToPipTransition.DlaReinstated: LetterTemplate(
        "dla_pip_dla_reinstated", "Your DLA carries on", _reinstated
    ),
    Debt.Notified: LetterTemplate("debt_notice", "Money you owe us", _debt_notified),
    Debt.HardshipDecided: LetterTemplate(
        "debt_hardship_decision", "Your request about your repayments", _hardship_decided
    ),
    Debt.Waived: LetterTemplate("debt_waived", "A decision about money you owe us", _waived),
}
"""Every fact that means writing to the customer, and its letter."""

NOT_CONTACTS: Mapping[type[JourneyAggregate.Event], str] = {
    Customer.ContactQueued: "the outbox itself",
    Customer.ContactSent: "the outbox itself",
    Customer.ContactRefused: "the outbox itself",
    Customer.PersonalDataErased: "the contact details are erased with it: nobody to write to",
    DlaToPipTransition.InvitationDeferred: "the invitation waits for discharge; nothing is sent",
    DlaToPipTransition.DlaSuspended: "told in the second notice recorded with it",
    DlaToPipTransition.DlaEndDecided: "told in the PIP claim's decision or disallowance letter",
    DlaToPipTransition.DlaEnded: "the day set in an earlier letter arrived",
    Claim.AwardUprated: "yearly uprating notices are a bulk print run outside this journey",
    Debt.RecoveryPlanned: "told in the debt notice recorded with it",
    Debt.LeftUnrecovered: "told in the debt notice recorded with it",
    Debt.RecoverySuspended: "nothing is sent: a letter could reveal why recovery stopped",
    Debt.TransferredToEstate: "the customer has died: the estate is written to outside Journeys",
}
"""Facts whose names suggest a contact (or that were checked) but that send nothing, and why."""


def letter_for(event: JourneyAggregate.Event) -> LetterTemplate | None:
    """The letter a recorded fact implies, if any."""
    return LETTERS.get(type(event))
