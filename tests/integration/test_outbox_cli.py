"""`journeys outbox run`: once (in-process) and as a worker (a real process, stopped by SIGTERM)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.bootstrap import build
from adapters.cli.main import app
from services.clock import SimulatedClock
from services.settings import Settings
from tests.conftest import JOURNEYS, process_environment
from tests.integration.helpers import new_nino, nothing_appended

runner = CliRunner()


@pytest.fixture
def spool(tmp_path: Path) -> Path:
    return tmp_path / "spool"


@pytest.fixture
def cli_settings(cli_settings: Settings, spool: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point the CLI's own Settings() at the test's store and, here, its spool too."""
    monkeypatch.setenv("JOURNEYS_CONTACT_SPOOL_DIR", str(spool))
    return cli_settings


def queue_messages(settings: Settings, *, alive: int, deceased: int, erased: int = 0) -> None:
    """Queue a message for each of `alive` customers, `deceased` who then died and `erased`."""
    with build(settings, clock=SimulatedClock.on(date(2026, 1, 5))) as system:
        application = system.application
        for index in range(alive + deceased + erased):
            customer_id = application.register_customer(
                nino=new_nino(), name="Ada", date_of_birth=date(1980, 1, 1)
            ).id
            application.send_message(customer_id, subject="Hello", body="Please call us.")
            if alive <= index < alive + deceased:
                application.notify_death(customer_id, date(2026, 1, 4), "TUO-5")
            elif index >= alive + deceased:
                system.erase_personal_data(customer_id, "the customer asked")


def test_outbox_run_spools_what_is_queued_and_refuses_the_deceased_and_the_erased(
    cli_settings: Settings, spool: Path
) -> None:
    queue_messages(cli_settings, alive=2, deceased=1, erased=1)

    result = runner.invoke(app, ["outbox", "run"])

    assert result.exit_code == 0, result.output
    assert "2 sent, 2 refused (death notified or data erased), 0 already done, 0 failed." in (
        result.output
    )
    written = sorted(spool.glob("*.json"))
    assert len(written) == 2
    assert {json.loads(path.read_text())["subject"] for path in written} == {"Hello"}
    with build(cli_settings) as system, nothing_appended(system):
        again = runner.invoke(app, ["outbox", "run"])
    assert "0 sent, 0 refused" in again.output


def test_outbox_run_takes_an_interval_only_as_a_worker(cli_settings: Settings) -> None:
    result = runner.invoke(app, ["outbox", "run", "--interval", "5"])
    assert result.exit_code == 2
    assert "--interval" in result.output


def test_the_outbox_worker_spools_a_queued_message_and_stops_cleanly_on_sigterm(
    settings: Settings, spool: Path, tmp_path: Path
) -> None:
    queue_messages(settings, alive=1, deceased=0)
    environment = process_environment(settings, JOURNEYS_CONTACT_SPOOL_DIR=str(spool))
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [str(JOURNEYS), "outbox", "run", "--follow", "--interval", "0.2"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            give_up = time.monotonic() + 60
            while not list(spool.glob("*.json")) and time.monotonic() < give_up:
                assert worker.poll() is None, "the worker stopped by itself"
                time.sleep(0.1)
            assert len(list(spool.glob("*.json"))) == 1
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=15) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    output = log_path.read_text()
    assert "Releasing contacts every 0.2 s" in output
    assert "1 sent, 0 refused" in output
    assert "Stopped." in output
