"""Early-warning concerns: raised about a customer or a policy, owned, due, reassigned, closed."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.aggregate import acting_as
from domain.concern import Concern
from domain.errors import (
    ConcernClosed,
    ConcernSubjectUnclear,
    DateBeforeOpened,
    DueDateBeforeStart,
    MissingDescription,
    OwnerMissing,
)
from domain.values import Actor
from tests.unit.builders import event_names, refused, replay

RAISED_ON = date(2026, 3, 2)
DUE_ON = date(2026, 3, 16)
COLLEAGUE = Actor.caseworker("CW-11")


def raised(customer: bool = True) -> Concern:
    """A concern raised on 2 March 2026 by CW-11, owned by TL-3, due on 16 March 2026."""
    with acting_as(COLLEAGUE):
        return Concern.raise_concern(
            customer_id=uuid4() if customer else None,
            policy=None if customer else "Home visits: lone working",
            description="  Said they had not eaten for days  ",
            owner="TL-3",
            due_on=DUE_ON,
            raised_on=RAISED_ON,
        )


def test_a_concern_about_a_customer_records_who_raised_it_its_owner_and_due_date() -> None:
    concern = raised()

    assert concern.customer_id is not None
    assert concern.policy is None
    assert concern.raised_by == COLLEAGUE
    assert concern.owner == "TL-3"
    assert concern.due_on == DUE_ON
    assert concern.description == "Said they had not eaten for days"
    assert not concern.closed


def test_a_concern_about_a_policy_names_the_policy_and_no_customer() -> None:
    concern = raised(customer=False)

    assert concern.customer_id is None
    assert concern.policy == "Home visits: lone working"


@pytest.mark.parametrize(
    ("customer", "policy"), [(True, "Home visits"), (False, None), (False, "   ")]
)
def test_a_concern_is_about_one_customer_or_one_policy(customer: bool, policy: str | None) -> None:
    with pytest.raises(ConcernSubjectUnclear, match=r"^policy:"):
        Concern.raise_concern(
            customer_id=uuid4() if customer else None,
            policy=policy,
            description="worried",
            owner="TL-3",
            due_on=DUE_ON,
            raised_on=RAISED_ON,
        )


def test_a_concern_needs_a_named_owner_and_a_due_date_not_before_it_was_raised() -> None:
    def attempt(owner: str, due_on: date) -> Concern:
        return Concern.raise_concern(
            customer_id=uuid4(),
            policy=None,
            description="worried",
            owner=owner,
            due_on=due_on,
            raised_on=RAISED_ON,
        )

    with pytest.raises(OwnerMissing, match=r"^owner:"):
        attempt(" ", DUE_ON)
    with pytest.raises(DueDateBeforeStart, match=r"^due_on 2026-03-01"):
        attempt("TL-3", date(2026, 3, 1))
    assert attempt("TL-3", RAISED_ON).due_on == RAISED_ON  # due the same day is allowed


def test_the_owner_can_be_reassigned_with_a_reason() -> None:
    concern = raised()

    concern.reassign("TL-9", "TL-3 on leave", date(2026, 3, 4))

    assert concern.owner == "TL-9"
    assert event_names(concern) == ["Raised", "OwnerReassigned"]
    with refused(concern, OwnerMissing):
        concern.reassign("", "nobody", date(2026, 3, 4))
    with refused(concern, DateBeforeOpened, match=r"^reassigned_on 2026-03-01"):
        concern.reassign("TL-4", "moved", date(2026, 3, 1))


def test_recording_the_outcome_closes_the_concern_and_nothing_changes_after() -> None:
    concern = raised()
    with refused(concern, MissingDescription, match=r"^outcome:"):
        concern.record_outcome("  ", date(2026, 3, 10))

    concern.record_outcome("Referred to local authority adult social care", date(2026, 3, 10))

    assert concern.closed
    assert concern.closed_on == date(2026, 3, 10)
    with refused(concern, ConcernClosed):
        concern.reassign("TL-9", "late", date(2026, 3, 11))
    with refused(concern, ConcernClosed):
        concern.record_outcome("again", date(2026, 3, 11))


def test_a_replayed_concern_equals_the_live_one() -> None:
    concern = raised()
    concern.reassign("TL-9", "TL-3 on leave", date(2026, 3, 4))
    concern.record_outcome("Resolved", date(2026, 3, 10))

    copy = replay(concern.collect_events())

    assert isinstance(copy, Concern)
    assert (copy.owner, copy.outcome, copy.closed_on, copy.raised_by) == (
        "TL-9",
        "Resolved",
        date(2026, 3, 10),
        COLLEAGUE,
    )
