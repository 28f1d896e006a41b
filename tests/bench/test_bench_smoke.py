"""`python -m bench --quick` runs every workload and reports every figure (a smoke check only)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

EXPECTED = {
    ("commands", "1_clients"),
    ("commands", "8_clients"),
    ("commands", "32_clients"),
    ("freshness", "self_service_after_command"),
    ("rebuild", "every_view_from_zero"),
    ("memory", "rebuild"),
    ("reads", "timeline"),
    ("reads", "self_service"),
    ("memory", "api"),
    ("bulk", "annual_uprating"),
}


def numbers(section: dict[str, Any]) -> bool:
    """Every value is a finite number."""
    return all(
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        for value in section.values()
    )


def test_the_quick_benchmarks_run_and_report_every_figure(
    postgres_url: str, tmp_path: Path
) -> None:
    output = tmp_path / "results.jsonl"

    finished = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(output)],
        env={**os.environ, "JOURNEYS_BENCH_DATABASE_URL": postgres_url},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr[-4000:]
    printed = [json.loads(line) for line in finished.stdout.splitlines() if line.startswith("{")]
    written = [json.loads(line) for line in output.read_text().splitlines()]
    assert printed == written
    assert {(result["workload"], result["name"]) for result in written} == EXPECTED
    for result in written:
        assert result["figures"], result
        assert numbers(result["figures"]), result
        assert numbers(result["baselines"]), result
        assert numbers(result["ratios"]), result
        for target in result["targets"]:
            assert isinstance(target["met"], bool), result
    measured_against = {
        (result["workload"], key)
        for result in written
        for key in result["ratios"]
        if result["workload"] in {"commands", "rebuild", "reads", "bulk"}
    }
    assert {workload for workload, _ in measured_against} == {
        "commands",
        "rebuild",
        "reads",
        "bulk",
    }
