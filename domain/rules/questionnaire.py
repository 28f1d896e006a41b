"""The PIP2 questionnaire: when it is due back, and the negative determination when it is not."""

from __future__ import annotations

from datetime import date

from domain.periods import within_months_of
from domain.rules.framework import Evaluation, NoParameters, Rule, RuleVersion
from domain.values import ValueObject

SOURCE = "https://durham.gov.uk/article/21399/Personal-Independence-Payment-the-PIP-2-form-assessment-activities-and-descriptors"


class ReturnWindow(ValueObject):
    """How long a customer has to return the questionnaire."""

    months: int


class QuestionnaireSent(ValueObject):
    """The questionnaire was sent on this date."""

    issued_on: date


class QuestionnaireDue(ValueObject):
    """The last day the questionnaire may arrive."""

    due_on: date


def _due_date(facts: QuestionnaireSent, window: ReturnWindow) -> Evaluation[QuestionnaireDue]:
    due_on = within_months_of(facts.issued_on, window.months)
    return Evaluation(
        outcome=QuestionnaireDue(due_on=due_on),
        reasons=(
            f"The PIP2 questionnaire sent on {facts.issued_on.isoformat()} must be returned "
            f"within {window.months} month(s): by {due_on.isoformat()}.",
        ),
    )


PIP2_RETURN_DATE: Rule[QuestionnaireSent, ReturnWindow, QuestionnaireDue] = Rule(
    rule_id="pip.questionnaire_due_date",
    title="PIP2 questionnaire return date",
    sources=(SOURCE,),
    inputs_type=QuestionnaireSent,
    outcome_type=QuestionnaireDue,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=ReturnWindow(months=1),
            summary="The PIP2 must be returned within 1 calendar month of issue.",
        ),
    ),
    evaluate=_due_date,
)


class QuestionnaireFacts(ValueObject):
    """What is known about an outstanding questionnaire on the day it is checked."""

    due_on: date
    checked_on: date
    returned_on: date | None
    good_reason: str | None


class NegativeDetermination(ValueObject):
    """Whether the claim must be disallowed for the questionnaire not coming back."""

    disallow: bool


def _negative_determination(
    facts: QuestionnaireFacts, _: NoParameters
) -> Evaluation[NegativeDetermination]:
    if facts.returned_on is not None:
        return Evaluation(
            NegativeDetermination(disallow=False),
            (f"The questionnaire was returned on {facts.returned_on.isoformat()}.",),
        )
    if facts.checked_on <= facts.due_on:
        return Evaluation(
            NegativeDetermination(disallow=False),
            (f"The questionnaire is not due until {facts.due_on.isoformat()}.",),
        )
    if (facts.good_reason or "").strip():
        return Evaluation(
            NegativeDetermination(disallow=False),
            (f"The questionnaire is late but a good reason was accepted: {facts.good_reason}.",),
        )
    return Evaluation(
        NegativeDetermination(disallow=True),
        (
            f"The questionnaire was due by {facts.due_on.isoformat()} and had not been returned "
            f"on {facts.checked_on.isoformat()}, with no good reason recorded: negative "
            "determination, the claim is disallowed.",
        ),
    )


PIP2_NEGATIVE_DETERMINATION: Rule[QuestionnaireFacts, NoParameters, NegativeDetermination] = Rule(
    rule_id="pip.negative_determination",
    title="Negative determination when the PIP2 is not returned",
    sources=(SOURCE,),
    inputs_type=QuestionnaireFacts,
    outcome_type=NegativeDetermination,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=NoParameters(),
            summary="Not returned by the due date and no good reason: the claim is disallowed.",
        ),
    ),
    evaluate=_negative_determination,
)
