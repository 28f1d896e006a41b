"""Every aggregate a caseworker can look up declares what it is called and its not-found error.

Both were tables in services/base.py, kept apart from the aggregates they named; now the
aggregate declares its noun and each NotFound error the aggregate it is about.
"""

from __future__ import annotations

from domain.aggregate import JourneyAggregate
from domain.deadlines import WithDeadlines
from domain.disclosure import Disclosure
from domain.events import every_event_class
from services.errors import NotFound, not_found_for

NEVER_LOOKED_UP = {
    WithDeadlines: "a base of the journeys with deadlines, never recorded itself",
    Disclosure: "recorded as staff read, never looked up by id",
}


def journey_aggregates() -> set[type[JourneyAggregate]]:
    """Every aggregate class the domain declares (found through its events)."""
    every_event_class()  # imports every domain module
    found: set[type[JourneyAggregate]] = set()
    pending = list(JourneyAggregate.__subclasses__())
    while pending:
        kind = pending.pop()
        if kind.__module__.startswith("domain."):
            found.add(kind)
        pending.extend(kind.__subclasses__())
    return found


def test_every_aggregate_that_is_looked_up_has_its_own_not_found_error() -> None:
    looked_up = journey_aggregates() - set(NEVER_LOOKED_UP)
    assert len(looked_up) >= 9
    missing = sorted(kind.__name__ for kind in looked_up if not_found_for(kind) is NotFound)
    assert missing == []


def test_no_two_not_found_errors_are_about_the_same_aggregate() -> None:
    # Others (a decision, a case item) are about rows, not aggregates: they name none.
    about = [error.about for error in NotFound.__subclasses__() if error.about is not None]
    assert len(set(about)) == len(about)


def test_an_aggregate_is_called_by_its_declared_noun_or_else_its_name() -> None:
    from domain.claim import Claim
    from domain.transition import DlaToPipTransition

    assert Claim.called() == "claim"
    assert DlaToPipTransition.called() == "DLA to PIP transition"
