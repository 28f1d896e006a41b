"""A Kafka worker command that cannot reach its broker says so in one line and exits 1.

How long it waits first is a setting (JOURNEYS_KAFKA_BOOTSTRAP_TIMEOUT_MS, 30 s by default).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.cli.main import app as cli_app
from tests.kafka.conftest import free_port


@pytest.mark.parametrize(
    "command", [["relay"], ["project", "--from-kafka"], ["consume"]], ids=" ".join
)
def test_a_worker_that_cannot_reach_kafka_says_so_in_one_line_and_exits_1(
    command: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    nobody_listens = f"127.0.0.1:{free_port()}"
    monkeypatch.delenv("JOURNEYS_DATABASE_URL", raising=False)
    monkeypatch.setenv("JOURNEYS_SQLITE_PATH", str(tmp_path / "journeys.sqlite3"))
    monkeypatch.setenv("JOURNEYS_PROJECTION_MODE", "kafka")
    monkeypatch.setenv("JOURNEYS_KAFKA_BOOTSTRAP_SERVERS", nobody_listens)
    monkeypatch.setenv("JOURNEYS_KAFKA_BOOTSTRAP_TIMEOUT_MS", "300")  # not the default 30 s

    result = CliRunner().invoke(cli_app, command)

    assert result.exit_code == 1, result.output
    assert f"Cannot reach Kafka at {nobody_listens}" in result.output
    assert "Traceback" not in result.output
