"""`journeys deadlines run` (once, for a day, and as a worker) and `journeys deadlines list`."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from adapters.bootstrap import Journeys, build
from adapters.cli.main import app
from domain.periods import add_calendar_months
from domain.rules.dla_child import DisablingCondition
from domain.transition import DlaToPipTransition, TransitionStage
from domain.values import BenefitType, ClaimantRole, ClaimChannel
from services.clock import SimulatedClock, SystemClock
from services.settings import Settings
from tests.conftest import JOURNEYS, process_environment
from tests.integration.helpers import DECISION_MAKER, log_position, new_nino, nothing_appended

runner = CliRunner()


def young_person(journeys: Journeys, sixteenth_birthday: date) -> tuple[str, UUID]:
    """A child DLA recipient (award from age 6) whose DLA to PIP transition has started."""
    app = journeys.application
    nino = new_nino()
    born = add_calendar_months(sixteenth_birthday, -16 * 12)
    customer_id = app.register_customer(nino=nino, name="Young", date_of_birth=born).id
    claim_date = add_calendar_months(born, 6 * 12)
    dla = app.start_claim(
        customer_id=customer_id,
        benefit=BenefitType.DLA,
        channel=ClaimChannel.POST,
        claimant_role=ClaimantRole.THIRD_PARTY,
        claim_date=claim_date,
    ).id
    app.decide_entitlement(
        dla,
        decided_on=claim_date + timedelta(days=30),
        entitled=True,
        reason="care needs",
        decision_maker=DECISION_MAKER,
        starts_on=claim_date,
    )
    app.start_transition(
        customer_id,
        dla_claim_id=dla,
        dla_weekly_pence=7000,
        special_rules=False,
        condition=DisablingCondition.OTHER,
    )
    return nino, customer_id


def invoke(*args: str) -> tuple[int, str]:
    """Run `journeys ARGS` in-process: its exit code and output."""
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def summary(output: str) -> tuple[int, int, int]:
    """(fired, already done, refused) from the run's summary line."""
    found = re.search(r"(\d+) fired, (\d+) already done, (\d+) refused\.", output)
    assert found is not None, output
    fired, done, refused = (int(group) for group in found.groups())
    return fired, done, refused


def test_run_on_a_day_fires_exactly_what_is_due_and_a_second_run_fires_nothing(
    cli_settings: Settings, journeys: Journeys
) -> None:
    march = date(2026, 3, 12)
    nino_march, march_id = young_person(journeys, march)
    _, june_id = young_person(journeys, date(2026, 6, 20))

    code, before = invoke("deadlines", "run", "--on", "2026-03-11")
    assert code == 0, before
    assert summary(before) == (0, 0, 0)

    code, output = invoke("deadlines", "run", "--on", "2026-03-12")

    assert code == 0, output
    assert "Deadlines due by 2026-03-12" in output
    assert summary(output) == (1, 0, 0)
    assert re.search(rf"2026-03-12\s*│\s*dla_pip.invite\s*│\s*{nino_march}\s*│\s*fired", output)
    app = journeys.application
    invited = app.transition(march_id)
    assert invited.stage is TransitionStage.INVITED
    assert invited.invited_on == march
    issued = [
        e for e in app.history(march_id) if isinstance(e, DlaToPipTransition.InvitationIssued)
    ]
    # A given day runs on a clock set to it: the recorded time does not depend on when.
    assert [e.timestamp for e in issued] == [datetime(2026, 3, 12, 9, tzinfo=UTC)]
    assert app.transition(june_id).stage is TransitionStage.AWAITING_INVITATION

    position = log_position(journeys)
    code, again = invoke("deadlines", "run", "--on", "2026-03-12")
    assert code == 0, again
    assert summary(again) == (0, 0, 0)
    assert log_position(journeys) == position


@pytest.mark.parametrize("bad", ["12 March 2026", "2026-02-30", "tomorrow"])
def test_run_names_the_option_when_the_date_is_bad(
    cli_settings: Settings, journeys: Journeys, bad: str
) -> None:
    young_person(journeys, date(2026, 1, 20))
    with nothing_appended(journeys):
        code, output = invoke("deadlines", "run", "--on", bad)
    assert code == 2
    assert "Invalid value for --on" in output


def test_run_refuses_a_given_day_together_with_the_worker(
    cli_settings: Settings, journeys: Journeys
) -> None:
    young_person(journeys, date(2026, 1, 20))
    with nothing_appended(journeys):
        code, output = invoke("deadlines", "run", "--on", "2026-03-12", "--follow")
        interval_code, interval_output = invoke("deadlines", "run", "--interval", "5")
    assert code == 2
    assert "'--on' / '--follow'" in output
    assert interval_code == 2
    assert "'--interval'" in interval_output


def listed(output: str) -> list[tuple[str, str, str, str]]:
    """(due on, action, NINO, status) of each row the list prints."""
    rows = re.findall(
        r"│\s*(\d{4}-\d\d-\d\d)\s*│\s*([\w.]+)\s*│\s*(\w+)\s*│\s*([\w ()]+?)\s*│", output
    )
    return [(due, action, nino, status) for due, action, nino, status in rows]


def test_list_shows_pending_and_fired_deadlines_with_their_filters(
    cli_settings: Settings, journeys: Journeys
) -> None:
    nino_march, _ = young_person(journeys, date(2026, 3, 12))
    nino_june, _ = young_person(journeys, date(2026, 6, 20))
    assert invoke("deadlines", "run", "--on", "2026-03-12")[0] == 0

    code, output = invoke("deadlines", "list")

    assert code == 0, output
    assert listed(output) == [
        ("2026-03-12", "dla_pip.invite", nino_march, "fired"),
        ("2026-04-09", "dla_pip.close_first_window", nino_march, "pending"),
        ("2026-06-20", "dla_pip.invite", nino_june, "pending"),
    ]
    assert "3 of 3 deadline(s) shown." in output
    assert listed(invoke("deadlines", "list", "--status", "pending")[1]) == [
        ("2026-04-09", "dla_pip.close_first_window", nino_march, "pending"),
        ("2026-06-20", "dla_pip.invite", nino_june, "pending"),
    ]
    assert listed(invoke("deadlines", "list", "--customer", nino_june)[1]) == [
        ("2026-06-20", "dla_pip.invite", nino_june, "pending"),
    ]
    assert [
        row[1] for row in listed(invoke("deadlines", "list", "--due-before", "2026-04-09")[1])
    ] == ["dla_pip.invite"]
    code, limited = invoke("deadlines", "list", "--limit", "1")
    assert len(listed(limited)) == 1
    assert "1 of 3 deadline(s) shown." in limited


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--due-before", "2026-13-01"), "--due-before"),
        (("--customer", "12345"), "--customer"),
        (("--customer", "AB123456C"), "--customer"),
        (("--status", "overdue"), "--status"),
        (("--limit", "0"), "--limit"),
    ],
)
def test_list_names_the_option_when_a_filter_is_bad(
    cli_settings: Settings, args: tuple[str, str], option: str
) -> None:
    code, output = invoke("deadlines", "list", *args)
    assert code == 2
    assert f"Invalid value for {option}" in re.sub(r"[\s│╭╰─╮╯]+", " ", output).replace("'", "")


def test_the_worker_fires_a_due_deadline_and_stops_cleanly_on_sigterm(
    settings: Settings, tmp_path: Path
) -> None:
    # The worker follows the system clock: the invitation must be due by the real today.
    today = SystemClock().today()
    with build(settings, clock=SimulatedClock(SystemClock().now())) as system:
        _, customer_id = young_person(system, today - timedelta(days=10))
    environment = process_environment(settings)
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [str(JOURNEYS), "deadlines", "run", "--follow", "--interval", "0.2"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            with build(settings) as observer:
                stage = _wait_for_invitation(observer, customer_id, worker)
            assert stage is TransitionStage.INVITED
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=15) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    output = log_path.read_text()
    assert "Firing deadlines every 0.2 s" in output
    assert re.search(rf"Deadlines due by {today.isoformat()}: 1 fired", output), output
    assert "Stopped." in output


def _wait_for_invitation(
    observer: Journeys, customer_id: UUID, worker: subprocess.Popen[bytes]
) -> TransitionStage:
    """The transition's stage once the worker has moved it on (or given up waiting)."""
    give_up = time.monotonic() + 60
    stage = observer.application.transition(customer_id).stage
    while stage is TransitionStage.AWAITING_INVITATION and time.monotonic() < give_up:
        assert worker.poll() is None, "the worker stopped by itself"
        time.sleep(0.1)
        stage = observer.application.transition(customer_id).stage
    return stage
