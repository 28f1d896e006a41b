"""A pytest plugin that records the processor time each test takes (`make test-cpu`).

The suite is bound by the processor (two cores, four workers), so wall times (--durations)
inflate whatever runs beside a slow test; processor time says where the time really goes.
Each worker appends one JSON line per test to $JOURNEYS_CPU_USAGE_DIR/cpu-<pid>.jsonl: the
test's own processor seconds and those of the processes it started and waited for.
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

import pytest

OUTPUT_DIR = "JOURNEYS_CPU_USAGE_DIR"

_started: dict[str, tuple[float, float, float]] = {}


def _processor_seconds() -> tuple[float, float]:
    """This process's and its waited-for children's user plus system seconds so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def pytest_runtest_protocol(item: pytest.Item) -> None:
    """Note the clocks as a test (setup, call and teardown) begins."""
    _started[item.nodeid] = (time.monotonic(), *_processor_seconds())


def pytest_runtest_logfinish(nodeid: str) -> None:
    """Write what the test took once its teardown has finished."""
    started = _started.pop(nodeid, None)
    if started is None:
        return
    wall, own, children = started
    own_now, children_now = _processor_seconds()
    record = {
        "test": nodeid,
        "wall": round(time.monotonic() - wall, 3),
        "own": round(own_now - own, 3),
        "children": round(children_now - children, 3),
    }
    directory = Path(os.environ.get(OUTPUT_DIR, ".cpu-usage"))
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / f"cpu-{os.getpid()}.jsonl").open("a") as output:
        output.write(json.dumps(record) + "\n")
