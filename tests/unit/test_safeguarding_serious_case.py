"""Serious case referrals: the panel's recommendations, owners, due dates and outcomes."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from domain.aggregate import acting_as
from domain.errors import (
    DueDateBeforeStart,
    MissingDescription,
    OwnerMissing,
    RecommendationAlreadyCompleted,
    RecommendationNotFound,
    RecommendationsOutstanding,
    SeriousCaseClosed,
)
from domain.serious_case import SeriousCaseReferral
from domain.values import Actor
from tests.unit.builders import event_names, refused, replay

REFERRED_ON = date(2026, 6, 1)
PANEL_MET = date(2026, 6, 15)


def referred() -> SeriousCaseReferral:
    """A case referred on 1 June 2026 by CW-41."""
    with acting_as(Actor.caseworker("CW-41")):
        return SeriousCaseReferral.refer(
            customer_id=uuid4(),
            reason="Payments stopped in error; customer in crisis",
            referred_on=REFERRED_ON,
        )


def with_recommendations() -> SeriousCaseReferral:
    """The panel met on 15 June 2026 and made two recommendations."""
    referral = referred()
    referral.record_recommendation(
        text="Review the suspension procedure",
        owner="OPS-1",
        due_on=date(2026, 7, 31),
        made_on=PANEL_MET,
    )
    referral.record_recommendation(
        text="Apologise and pay arrears",
        owner="CW-41",
        due_on=date(2026, 6, 22),
        made_on=PANEL_MET,
    )
    return referral


def test_a_referral_records_the_reason_and_who_referred_it() -> None:
    referral = referred()

    assert referral.reason == "Payments stopped in error; customer in crisis"
    assert referral.referred_by == Actor.caseworker("CW-41")
    assert referral.closed_on is None
    assert event_names(referral) == ["Referred"]


def test_recommendations_are_numbered_with_their_owner_and_due_date() -> None:
    referral = with_recommendations()

    assert [(r.number, r.owner, r.due_on) for r in referral.open_recommendations()] == [
        (1, "OPS-1", date(2026, 7, 31)),
        (2, "CW-41", date(2026, 6, 22)),
    ]


def test_a_recommendation_needs_text_an_owner_and_a_due_date_not_before_the_panel() -> None:
    referral = referred()

    with refused(referral, MissingDescription, match=r"^text:"):
        referral.record_recommendation(text=" ", owner="A", due_on=PANEL_MET, made_on=PANEL_MET)
    with refused(referral, OwnerMissing):
        referral.record_recommendation(text="t", owner="", due_on=PANEL_MET, made_on=PANEL_MET)
    with refused(referral, DueDateBeforeStart, match=r"^due_on 2026-06-14"):
        referral.record_recommendation(
            text="t", owner="A", due_on=date(2026, 6, 14), made_on=PANEL_MET
        )


def test_the_referral_closes_only_when_every_recommendation_has_its_outcome() -> None:
    referral = with_recommendations()
    referral.complete_recommendation(2, "Apology sent, arrears paid", date(2026, 6, 19))

    with refused(referral, RecommendationsOutstanding, match=r"recommendation\(s\) 1 "):
        referral.close("done", date(2026, 6, 20))
    with refused(referral, RecommendationAlreadyCompleted, match=r"^number:"):
        referral.complete_recommendation(2, "again", date(2026, 6, 20))
    with refused(referral, RecommendationNotFound, match=r"^number:"):
        referral.complete_recommendation(3, "no such", date(2026, 6, 20))
    referral.complete_recommendation(1, "Procedure changed", date(2026, 7, 28))
    referral.close("Both recommendations carried out", date(2026, 7, 29))

    assert referral.closed_on == date(2026, 7, 29)
    assert referral.open_recommendations() == []
    with refused(referral, SeriousCaseClosed):
        referral.record_recommendation(text="t", owner="A", due_on=PANEL_MET, made_on=PANEL_MET)


def test_a_replayed_referral_equals_the_live_one() -> None:
    referral = with_recommendations()
    referral.complete_recommendation(1, "Procedure changed", date(2026, 7, 28))

    copy = replay(referral.collect_events())

    assert isinstance(copy, SeriousCaseReferral)
    assert copy.recommendations == referral.recommendations
    assert copy.recommendations[1].outcome == "Procedure changed"
