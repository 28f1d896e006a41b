"""Determinations a decision maker makes by judgement, recorded in the same auditable shape."""

from __future__ import annotations

from datetime import date

from domain.rules.framework import Evaluation, NoParameters, Rule, RuleVersion
from domain.values import ValueObject


class Judgement(ValueObject):
    """The question a decision maker answered, their answer and their reason."""

    question: str
    answer: str
    reason: str


class Answer(ValueObject):
    """The answer that was given."""

    answer: str


def _record_judgement(judgement: Judgement, _: NoParameters) -> Evaluation[Answer]:
    return Evaluation(
        Answer(answer=judgement.answer),
        (
            f"{judgement.question} Decision maker's answer: {judgement.answer}. "
            f"Reason: {judgement.reason}",
        ),
    )


DECISION_MAKER_JUDGEMENT: Rule[Judgement, NoParameters, Answer] = Rule(
    rule_id="determination.decision_maker",
    title="A decision maker's judgement",
    sources=("https://www.gov.uk/government/collections/decision-makers-guide-staff-guide",),
    inputs_type=Judgement,
    outcome_type=Answer,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 1),
            parameters=NoParameters(),
            summary="Records a person's determination with its reason; no automatic logic.",
        ),
    ),
    evaluate=_record_judgement,
)
