"""What the young person and their parent or appointee read about the move from DLA to PIP."""

from __future__ import annotations

from datetime import date

from domain.transition import TransitionStage
from projections.model import NextStep, SelfServiceTransition
from projections.projection import long_date

HOW_TO_CLAIM = (
    "Call us or send the claim form: a phone claim counts on the day you call, a posted claim "
    "on the day we get it."
)


def _on(day: date | None) -> str:
    return long_date(day) if day is not None else "a date we will tell you"


GOOD_REASON = "If you had a good reason for not sending the questionnaire back, tell us"


def render_transition(section: SelfServiceTransition) -> SelfServiceTransition:
    """The section with its plain-language texts written from its stage and dates.

    Only dates and what to do: never why a date is what it is, so a Special Rules award
    (whose invitation and DLA end dates follow other rules) is never revealed.
    """
    stage = TransitionStage(section.stage)
    summary, dla = "", ""
    next_step: NextStep | None = None
    if stage is TransitionStage.AWAITING_INVITATION:
        summary = (
            "You will need to claim Personal Independence Payment (PIP) to replace your "
            "Disability Living Allowance (DLA) for children."
        )
        next_step = NextStep(
            who="us",
            text="We will write to you about claiming PIP on or soon after "
            f"{_on(section.invite_on)}.",
            by=section.invite_on,
        )
        dla = "Your DLA carries on as now."
    elif stage is TransitionStage.INVITATION_DEFERRED and section.hospital_discharged_on:
        summary = (
            f"You left hospital on {_on(section.hospital_discharged_on)}. We will invite you "
            "to claim PIP."
        )
        next_step = NextStep(
            who="us",
            text="We will write to you about claiming PIP on or soon after "
            f"{_on(section.invite_on)}.",
            by=section.invite_on,
        )
        dla = "Your DLA carries on as now."
    elif stage is TransitionStage.INVITATION_DEFERRED:
        summary = "We will invite you to claim PIP when you leave hospital."
        next_step = NextStep(who="you", text="Tell us when you leave hospital.")
        dla = "Your DLA carries on as now."
    elif stage is TransitionStage.INVITED:
        summary = "We have invited you to claim PIP."
        next_step = NextStep(
            who="you",
            text=f"Claim PIP by {_on(section.claim_by)}. {HOW_TO_CLAIM}",
            by=section.claim_by,
        )
        dla = (
            f"If you claim PIP by {_on(section.claim_by)}, your DLA carries on until we decide "
            "your PIP claim. If you do not, your DLA will stop and we will write to you again."
        )
    elif stage is TransitionStage.DLA_SUSPENDED:
        summary = "Your DLA has stopped because we did not get a PIP claim from you."
        next_step = NextStep(
            who="you",
            text=f"Claim PIP by {_on(section.second_claim_by)} to start your DLA again. "
            f"{HOW_TO_CLAIM}",
            by=section.second_claim_by,
        )
        dla = (
            f"Your DLA is stopped from {_on(section.suspended_from)}. If you claim PIP by "
            f"{_on(section.second_claim_by)}, it starts again from the day you claim, but you "
            "will not be paid for the time it was stopped. If you do not claim by then, your "
            "DLA will end."
        )
    elif stage is TransitionStage.PIP_CLAIMED:
        summary = f"We have your PIP claim made on {_on(section.pip_claimed_on)}."
        next_step = NextStep(
            who="us", text="We are dealing with your PIP claim: your claim shows what happens next."
        )
        dla = "Your DLA carries on until we decide your PIP claim."
        if section.unpaid_from is not None and section.unpaid_to is not None:
            dla += (
                f" It started again on {_on(section.restarted_on)}; it was not paid from "
                f"{_on(section.unpaid_from)} to {_on(section.unpaid_to)}."
            )
        if section.dla_reinstated_on is not None:
            dla = (
                "We accepted your reason for not sending the questionnaire back in time: "
                + dla[0].lower()
                + dla[1:]
            )
            if section.dla_arrears_from is not None:
                dla += f" We will pay the DLA you missed from {_on(section.dla_arrears_from)}."
    elif stage is TransitionStage.DLA_ENDING and section.negative_determination:
        summary = "We did not get your PIP questionnaire back in time."
        dla = (
            f"Your last day of DLA is {_on(section.dla_ends_on)}. If we accept that you had a "
            "good reason for not sending the questionnaire back, your DLA carries on until we "
            "decide your PIP claim."
        )
        next_step = NextStep(
            who="you",
            text=f"{GOOD_REASON} by {_on(section.dla_ends_on)} so that your DLA does not stop.",
            by=section.dla_ends_on,
        )
    elif stage is TransitionStage.DLA_ENDING:
        summary = "We have decided your PIP claim."
        dla = f"Your last day of DLA is {_on(section.dla_ends_on)}."
        dla += (
            f" Your PIP starts on {_on(section.pip_starts_on)}."
            if section.pip_starts_on is not None
            else " You have not been awarded PIP: your claim shows how to ask us to look at "
            "the decision again."
        )
    elif stage is TransitionStage.COMPLETED and section.negative_determination:
        summary = "Your DLA has ended because we did not get your PIP questionnaire back in time."
        dla = f"Your last day of DLA was {_on(section.dla_ends_on)}."
        next_step = NextStep(
            who="you",
            text=f"{GOOD_REASON}: if we accept it, we will pay your DLA again from the day it "
            "stopped until we decide your PIP claim.",
        )
    elif stage is TransitionStage.COMPLETED:
        summary = "Your move from DLA to PIP is finished."
        dla = f"Your DLA ended on {_on(section.dla_ends_on)}."
        if section.pip_starts_on is not None:
            dla += f" Your PIP started on {_on(section.pip_starts_on)}."
    elif stage is TransitionStage.DLA_ENDED_NO_CLAIM:
        summary = "Your DLA has ended because we did not get a PIP claim from you."
        dla = f"Your last day of DLA was {_on(section.dla_ends_on)}."
        next_step = NextStep(
            who="you",
            text="You can still claim PIP if your condition affects your daily life. "
            + HOW_TO_CLAIM,
        )
    else:
        summary = "Your move from DLA to PIP has stopped."
        dla = "Your DLA has stopped."
    appointee = None
    if section.appointee_needed:
        appointee = (
            "The person who dealt with your DLA for you cannot claim PIP for you. If you need "
            "someone to act for you, they must ask us to become your appointee for PIP."
        )
    return section.model_copy(
        update={"summary": summary, "next_step": next_step, "dla": dla, "appointee": appointee}
    )
