"""Rebuilding one projection, and the status every projection reports, on both stores."""

from __future__ import annotations

import pytest

from adapters.bootstrap import Journeys
from projections.runner import UnknownProjection
from services.clock import SimulatedClock
from tests.integration.helpers import log_position, pip_claim_awaiting_assessment, register
from tests.projections.helpers import (
    PROJECTIONS,
    VIEW_TABLES,
    dump_views,
    execute,
    fresh_view_store,
    populate,
    positions,
    rebuild_everything,
)


def lags(journeys: Journeys) -> dict[str, int]:
    """Each projection's lag as status() reports it."""
    status = journeys.projections.status()
    assert {row.log_position for row in status} == {log_position(journeys)}
    return {row.name: row.lag for row in status}


def test_status_shows_the_lag_before_catching_up_and_none_after(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    assert lags(journeys) == dict.fromkeys(PROJECTIONS, 0)  # an empty log
    last = populate(journeys, clock, customers=5, seed=1)
    assert [
        (row.name, row.position, row.log_position) for row in journeys.projections.status()
    ] == [(name, 0, last) for name in PROJECTIONS]
    assert lags(journeys) == dict.fromkeys(PROJECTIONS, last)

    assert journeys.projections.catch_up() == last
    assert lags(journeys) == dict.fromkeys(PROJECTIONS, 0)
    assert journeys.projections.reached(last)

    customer = register(journeys)
    # Registered, started (2), PIP2 out (with its letter queued on the customer) and back.
    pip_claim_awaiting_assessment(journeys, customer)
    assert lags(journeys) == dict.fromkeys(PROJECTIONS, 6)
    assert not journeys.projections.reached(log_position(journeys))

    journeys.projections.catch_up(["timeline"])
    assert lags(journeys) == {
        "self_service": 6,
        "timeline": 0,
        "worklists": 6,
        "decision_ledger": 6,
        "deadlines": 6,
        "transitions": 6,
        "case_items": 6,
        "disclosures": 6,
    }
    journeys.projections.catch_up()
    assert lags(journeys) == dict.fromkeys(PROJECTIONS, 0)


@pytest.mark.parametrize("rebuilt", PROJECTIONS)
def test_rebuilding_one_projection_leaves_the_others_untouched(
    journeys: Journeys, clock: SimulatedClock, rebuilt: str
) -> None:
    populate(journeys, clock, customers=8, seed=5)
    journeys.projections.catch_up()
    caught_up = log_position(journeys)
    populate(journeys, clock, customers=4, seed=6)  # the others stay behind at `caught_up`
    last = log_position(journeys)
    runner = journeys.projections
    owned = runner.projections[rebuilt].tables
    for table in owned:  # lose the rebuilt projection's rows: the rebuild brings them back
        execute(journeys.views, f"DELETE FROM {{p}}{table}")
    # The claim-owner table is shared: any projection may add the claims it meets first.
    others = tuple(t for t in VIEW_TABLES if t not in owned and t != "view_claim_owner")
    before = dump_views(journeys.views, others)
    owners = set(dump_views(journeys.views, ("view_claim_owner",))["view_claim_owner"])

    assert runner.rebuild(rebuilt) == last

    assert dump_views(journeys.views, others) == before
    assert owners <= set(dump_views(journeys.views, ("view_claim_owner",))["view_claim_owner"])
    assert positions(journeys.views) == {
        name: last if name == rebuilt else caught_up for name in PROJECTIONS
    }
    with fresh_view_store(journeys.settings) as fresh:
        rebuild_everything(journeys, fresh)
        assert dump_views(journeys.views, owned) == dump_views(fresh, owned)


def test_rebuilding_an_unknown_projection_names_it_and_changes_nothing(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    pip_claim_awaiting_assessment(journeys, register(journeys))
    journeys.projections.catch_up()
    before = dump_views(journeys.views)
    with pytest.raises(UnknownProjection, match="no projection named 'ledger'") as raised:
        journeys.projections.rebuild("ledger")
    known = "known: self_service, timeline, worklists, decision_ledger, deadlines, transitions"
    assert known in str(raised.value)
    assert dump_views(journeys.views) == before
