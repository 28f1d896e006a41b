"""The `journeys` command line, run in-process against the real stores."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from adapters.cli.main import app
from domain.transition import TransitionStage
from projections.model import TransitionWorklist
from services.settings import Settings

runner = CliRunner()


def test_demo_creates_a_population_and_prints_the_summary(cli_settings: Settings) -> None:
    result = runner.invoke(app, ["demo", "--customers", "60", "--seed", "11"])
    assert result.exit_code == 0, result.output
    assert "Claims by state" in result.output
    assert re.search(r"Customers in the store: 60 ", result.output)
    checked = re.search(r"all\s*│\s*(\d+) \((\d+) reproduce\)", result.output)
    assert checked is not None
    assert checked.group(1) == checked.group(2)
    assert int(checked.group(1)) > 60
    assert re.search(r"Events written: \d+ in [\d.]+ s = \d+ events/second", result.output)
    released = re.search(r"Outbox released to [\s\S]*?: (\d+) sent,\s+(\d+) refused", result.output)
    assert released is not None, result.output
    assert int(released.group(1)) > 0
    assert "Case items on" in result.output
    for kind in ("special rules", "contact", "concern", "lump sum"):
        assert re.search(rf"│ {kind}\s*│\s*\d+ │\s*\d+ │\s*\d+ │\s*\d+ │", result.output), kind
    debts = result.output.split("Debts on 2026-03-02", 1)[1].split("Decisions recorded", 1)[0]
    for state in ("recovering", "on hold", "cleared", "waived", "left unrecovered"):
        assert re.search(rf"│ {state}\s*│\s*\d+ │\s*[\d,]+\.\d\d │", debts), state
    with_the_estate = re.search(r"│ with the estate\s*│\s*\d+ │\s*[\d,]+\.\d\d │", debts)
    assert with_the_estate is not None, debts
    all_debts = re.search(r"│ all\s*│\s*(\d+) │\s*([\d,]+\.\d\d) │", debts)
    assert all_debts is not None, debts
    assert int(all_debts.group(1)) > 0
    assert all_debts.group(2) != "0.00"


def transition_stages(output: str) -> dict[str, int]:
    """Stage -> young people, from the demo's table of DLA to PIP transitions."""
    table = output.split("DLA to PIP transitions by stage", 1)[1].split("Deadlines fired", 1)[0]
    stages = {stage.value.replace("_", " "): 0 for stage in TransitionStage}
    for stage in stages:
        found = re.search(rf"│ {stage}\s*│\s*(\d+) │", table)
        assert found is not None, table
        stages[stage] = int(found.group(1))
    return stages


def test_demo_includes_young_people_moving_from_dla_to_pip_as_deadlines_fire(
    cli_settings: Settings,
) -> None:
    # Seed 13 takes young people through to a completed transition (debts drawn too).
    result = runner.invoke(app, ["demo", "--customers", "60", "--seed", "13"])

    assert result.exit_code == 0, result.output
    output = result.output
    stages = transition_stages(output)
    assert sum(stages.values()) > 0, stages
    assert stages["completed"] > 0, stages
    fired = re.search(
        r"Deadlines fired as simulated time passed: (\d+) .*\(refused: (\d+)\)", output
    )
    assert fired is not None, output
    assert int(fired.group(1)) > 0
    assert fired.group(2) == "0"
    for rule in ("dla_pip.invitation_date", "dla_pip.invitation", "dla_pip.dla_end_date"):
        assert re.search(rf"│ {re.escape(rule)}\s*│\s*[1-9]\d* │", output), rule
    checked = re.search(r"all\s*│\s*(\d+) \((\d+) reproduce\)", output)
    assert checked is not None
    assert checked.group(1) == checked.group(2)
    assert "DLA to PIP worklists on 2026-03-02" in output
    for worklist in TransitionWorklist:
        assert re.search(rf"│ {worklist.value.replace('_', ' ')}\s*│\s*\d+ │\s*\d+ │", output)


def test_customer_show_puts_the_dla_to_pip_transition_on_the_timeline(
    cli_settings: Settings,
) -> None:
    demo = runner.invoke(app, ["demo", "--customers", "60", "--seed", "13"])
    assert demo.exit_code == 0, demo.output
    nino = re.search(r"customer show (\w+)\s+\(dla to pip\)", demo.output)
    assert nino is not None, demo.output

    shown = runner.invoke(app, ["customer", "show", nino.group(1)])

    assert shown.exit_code == 0, shown.output
    for expected in (
        "DLA claim",
        "DLA to PIP",
        "rule dla_pip.invitation_date v1",
        "Deadline set",
        "dla_pip.invite on",
        "Deadline fired",
        "Invitation issued",
        "rule dla_pip.claim_window v1",
        "PIP claimed",
        "DLA end decided",
        "rule dla_pip.dla_end_date v1",
    ):
        assert expected in shown.output, expected


def test_customer_show_prints_the_journey_with_decisions_and_dates(cli_settings: Settings) -> None:
    demo = runner.invoke(app, ["demo", "--customers", "40", "--seed", "5"])
    assert demo.exit_code == 0, demo.output
    nino = re.search(r"customer show (\w+)\s+\(pip disputed\)", demo.output)
    assert nino is not None, demo.output
    shown = runner.invoke(app, ["customer", "show", nino.group(1)])
    assert shown.exit_code == 0, shown.output
    assert nino.group(1) in shown.output
    for expected in (
        "Registered",
        "Started",
        "Questionnaire issued",
        "Award decided",
        "Reconsideration requested",
        "rule pip.component_rates v1",
    ):
        assert expected in shown.output


def test_customer_show_names_the_field_when_the_nino_is_malformed(cli_settings: Settings) -> None:
    result = runner.invoke(app, ["customer", "show", "12345"])
    assert result.exit_code == 2
    assert "NINO" in result.output
    assert "not two letters" in result.output


def test_customer_show_says_when_no_customer_has_that_nino(cli_settings: Settings) -> None:
    result = runner.invoke(app, ["customer", "show", "AB123456C"])
    assert result.exit_code == 2
    assert "no customer is registered" in result.output


def test_audit_replay_reports_every_decision_reproduced(cli_settings: Settings) -> None:
    assert runner.invoke(app, ["demo", "--customers", "30", "--seed", "2"]).exit_code == 0
    result = runner.invoke(app, ["audit", "replay"])
    assert result.exit_code == 0, result.output
    found = re.search(r"Decisions checked: (\d+); reproduced: (\d+)", result.output)
    assert found is not None
    assert found.group(1) == found.group(2)
    assert int(found.group(1)) > 0


def test_uprate_uprates_every_award_in_payment_and_prints_the_rate(
    cli_settings: Settings,
) -> None:
    assert runner.invoke(app, ["demo", "--customers", "40", "--seed", "3"]).exit_code == 0
    result = runner.invoke(app, ["uprate", "--on", "2026-04-06"])
    assert result.exit_code == 0, result.output
    found = re.search(r"Awards uprated on 2026-04-06: (\d+) \(of (\d+) in payment", result.output)
    assert found is not None, result.output
    assert found.group(1) == found.group(2)
    assert int(found.group(1)) > 0
    assert re.search(r"= \d+ events/second", result.output)
    again = runner.invoke(app, ["uprate", "--on", "2026-04-06"])
    assert "Awards uprated on 2026-04-06: 0 (of 0 in payment" in again.output
    assert runner.invoke(app, ["audit", "replay"]).exit_code == 0


@pytest.mark.parametrize("bad", ["6 April 2026", "2026-13-01", "2024-04-08"])
def test_uprate_names_the_option_when_the_date_is_bad(cli_settings: Settings, bad: str) -> None:
    result = runner.invoke(app, ["uprate", "--on", bad])
    assert result.exit_code == 2
    assert "--on" in result.output
