"""`journeys projections rebuild [NAME]` and `journeys projections status`, run in-process."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from adapters.bootstrap import Journeys
from adapters.cli.main import app
from services.clock import SimulatedClock
from services.settings import Settings
from tests.projections.helpers import (
    PROJECTIONS,
    dump_views,
    fresh_view_store,
    populate,
    positions,
    rebuild_everything,
)

runner = CliRunner()


def status_rows(output: str) -> dict[str, tuple[int, int, int]]:
    """Projection -> (position, log position, lag) from the status table."""
    rows = {}
    for name in PROJECTIONS:
        found = re.search(rf"{name}\s*│\s*(\d+)\s*│\s*(\d+)\s*│\s*(\d+)\s*│", output)
        assert found is not None, output
        position, log_position, lag = (int(group) for group in found.groups())
        rows[name] = (position, log_position, lag)
    return rows


def status() -> dict[str, tuple[int, int, int]]:
    """What `journeys projections status` prints, parsed."""
    result = runner.invoke(app, ["projections", "status"])
    assert result.exit_code == 0, result.output
    assert "Lag (events)" in result.output
    return status_rows(result.output)


def rebuilt(output: str) -> dict[str, int]:
    """Projection -> events read, from the lines the rebuild prints."""
    return {
        name: int(read)
        for name, read in re.findall(r"(\w+): (\d+) events in [\d.]+ s = \d+ events/second", output)
    }


def test_status_prints_each_projections_position_and_lag(
    cli_settings: Settings, journeys: Journeys, clock: SimulatedClock
) -> None:
    assert status() == dict.fromkeys(PROJECTIONS, (0, 0, 0))
    last = populate(journeys, clock, customers=6, seed=2)
    assert status() == dict.fromkeys(PROJECTIONS, (0, last, last))
    journeys.projections.catch_up(["timeline", "decision_ledger"])
    assert status() == {
        "self_service": (0, last, last),
        "timeline": (last, last, 0),
        "worklists": (0, last, last),
        "decision_ledger": (last, last, 0),
        "deadlines": (0, last, last),
        "transitions": (0, last, last),
        "case_items": (0, last, last),
        "disclosures": (0, last, last),
    }


def test_rebuild_rebuilds_every_projection_and_prints_events_per_second(
    cli_settings: Settings, journeys: Journeys, clock: SimulatedClock
) -> None:
    last = populate(journeys, clock, customers=8, seed=3)
    journeys.projections.catch_up(["self_service"])

    result = runner.invoke(app, ["projections", "rebuild"])

    assert result.exit_code == 0, result.output
    assert rebuilt(result.output) == dict.fromkeys(PROJECTIONS, last)
    assert status() == dict.fromkeys(PROJECTIONS, (last, last, 0))
    with fresh_view_store(journeys.settings) as fresh:
        rebuild_everything(journeys, fresh)
        assert dump_views(journeys.views) == dump_views(fresh)


def test_rebuild_name_rebuilds_that_projection_only(
    cli_settings: Settings, journeys: Journeys, clock: SimulatedClock
) -> None:
    last = populate(journeys, clock, customers=8, seed=4)

    result = runner.invoke(app, ["projections", "rebuild", "worklists"])

    assert result.exit_code == 0, result.output
    assert rebuilt(result.output) == {"worklists": last}
    assert positions(journeys.views) == {
        name: last if name == "worklists" else 0 for name in PROJECTIONS
    }
    assert status()["worklists"] == (last, last, 0)


def test_rebuild_of_an_unknown_projection_names_it_and_exits_non_zero(
    cli_settings: Settings, journeys: Journeys, clock: SimulatedClock
) -> None:
    last = populate(journeys, clock, customers=3, seed=5)
    journeys.projections.catch_up()
    before = dump_views(journeys.views)

    result = runner.invoke(app, ["projections", "rebuild", "ledger"])

    assert result.exit_code == 2, result.output
    assert "Invalid value for NAME" in result.output
    assert "no projection named 'ledger'" in result.output
    known = "known: self_service, timeline, worklists, decision_ledger, deadlines, transitions"
    assert known in result.output
    assert "events/second" not in result.output
    assert dump_views(journeys.views) == before
    assert positions(journeys.views) == dict.fromkeys(PROJECTIONS, last)
