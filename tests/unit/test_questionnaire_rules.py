"""The PIP2 questionnaire: its due date and the negative determination when it is not returned."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import UnknownRuleVersion
from domain.rules import rerun
from domain.rules.questionnaire import (
    PIP2_NEGATIVE_DETERMINATION,
    PIP2_RETURN_DATE,
    QuestionnaireFacts,
    QuestionnaireSent,
)

DUE = date(2025, 2, 28)


def due_date(sent: date) -> date:
    return PIP2_RETURN_DATE.decide(QuestionnaireSent(issued_on=sent), on=sent).outcome.due_on


def disallows(
    checked_on: date, *, returned_on: date | None = None, good_reason: str | None = None
) -> bool:
    return PIP2_NEGATIVE_DETERMINATION.decide(
        QuestionnaireFacts(
            due_on=DUE, checked_on=checked_on, returned_on=returned_on, good_reason=good_reason
        ),
        on=checked_on,
    ).outcome.disallow


def test_questionnaire_sent_on_31_january_is_due_on_28_february() -> None:
    assert due_date(date(2025, 1, 31)) == date(2025, 2, 28)


def test_questionnaire_sent_on_31_january_in_a_leap_year_is_due_on_29_february() -> None:
    assert due_date(date(2024, 1, 31)) == date(2024, 2, 29)


def test_questionnaire_sent_on_12_march_is_due_on_12_april() -> None:
    assert due_date(date(2025, 3, 12)) == date(2025, 4, 12)


def test_questionnaire_sent_on_31_december_is_due_on_31_january_next_year() -> None:
    assert due_date(date(2025, 12, 31)) == date(2026, 1, 31)


def test_the_due_date_decision_names_its_rule_and_explains_the_date() -> None:
    record = PIP2_RETURN_DATE.decide(
        QuestionnaireSent(issued_on=date(2025, 1, 31)), on=date(2025, 1, 31)
    ).record
    assert record.rule_id == "pip.questionnaire_due_date"
    assert record.rule_version == 1
    assert record.inputs == {"issued_on": "2025-01-31"}
    assert record.outcome == {"due_on": "2025-02-28"}
    assert "by 2025-02-28" in record.reasons[0]
    assert rerun(record).reproduces


def test_there_is_no_questionnaire_rule_before_pip_began() -> None:
    with pytest.raises(UnknownRuleVersion):
        due_date(date(2013, 1, 1))


def test_no_negative_determination_on_the_due_date_itself() -> None:
    assert not disallows(DUE)


def test_no_negative_determination_before_the_due_date() -> None:
    assert not disallows(date(2025, 2, 1))


def test_negative_determination_the_day_after_the_due_date_with_no_return_and_no_reason() -> None:
    assert disallows(date(2025, 3, 1))


def test_no_negative_determination_when_the_questionnaire_came_back_even_late() -> None:
    assert not disallows(date(2025, 4, 1), returned_on=date(2025, 3, 20))


def test_no_negative_determination_when_a_good_reason_is_recorded() -> None:
    assert not disallows(date(2025, 4, 1), good_reason="in hospital")


@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_good_reason_does_not_prevent_a_negative_determination(blank: str) -> None:
    assert disallows(date(2025, 4, 1), good_reason=blank)


def test_the_negative_determination_explains_itself_and_reproduces() -> None:
    record = PIP2_NEGATIVE_DETERMINATION.decide(
        QuestionnaireFacts(
            due_on=DUE, checked_on=date(2025, 3, 3), returned_on=None, good_reason=None
        ),
        on=date(2025, 3, 3),
    ).record
    assert record.rule_id == "pip.negative_determination"
    assert record.outcome == {"disallow": True}
    assert "due by 2025-02-28" in record.reasons[0]
    assert "claim is disallowed" in record.reasons[0]
    assert rerun(record).reproduces
