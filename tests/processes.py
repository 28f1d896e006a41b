"""`journeys` processes that tests start, watch, kill and stop, each logging to a file."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from tests.conftest import JOURNEYS

# Generous give-up times: a process that has not started or finished by then fails the test.
START_TIMEOUT = 30.0
FINISH_TIMEOUT = 90.0


@dataclass
class Started:
    """One CLI process, its output going to a log file of its own."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def output(self) -> str:
        """Everything it has printed so far."""
        return self.log_path.read_text()

    def wait_for(self, text: str | re.Pattern[str]) -> None:
        """Wait until it has printed `text` or a match of it (it must not die meanwhile)."""
        give_up = time.monotonic() + START_TIMEOUT

        def printed() -> bool:
            output = self.output()
            return text in output if isinstance(text, str) else text.search(output) is not None

        while not printed():
            assert self.process.poll() is None, f"{self.name} died:\n{self.output()}"
            assert time.monotonic() < give_up, f"{self.name} did not print {text!r}"
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed, closed or committed."""
        assert self.process.poll() is None, f"{self.name} died before the kill:\n{self.output()}"
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, and a clean exit."""
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=30) == 0, self.output()


class Processes:
    """Starts CLI processes in one environment; kills whatever still runs when the block ends."""

    def __init__(self, environment: dict[str, str], directory: Path) -> None:
        # Unbuffered, so that a process killed with SIGKILL has printed all it did up to then.
        self.environment = {**environment, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
        self.directory = directory
        self.started: list[Started] = []

    def start(self, name: str, ready: str, *args: str) -> Started:
        """Run `journeys ARGS` in the background; return once it has printed `ready`.

        So a kill that follows lands on a process that is running, not one still starting.
        """
        log_path = self.directory / f"{name}-{len(self.started)}.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [str(JOURNEYS), *args],
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        started = Started(name, process, log_path)
        self.started.append(started)
        started.wait_for(ready)
        return started

    def run(self, *args: str, group: str | None = None) -> str:
        """Run `journeys ARGS` to its end (in another projection group); its output (exit 0)."""
        environment = dict(self.environment)
        if group is not None:
            environment["JOURNEYS_KAFKA_PROJECTION_GROUP"] = group
        finished = subprocess.run(
            [str(JOURNEYS), *args],
            env=environment,
            capture_output=True,
            text=True,
            timeout=FINISH_TIMEOUT,
        )
        assert finished.returncode == 0, finished.stdout + finished.stderr
        return finished.stdout

    def __enter__(self) -> Processes:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for started in self.started:
            if started.process.poll() is None:
                started.process.kill()
                started.process.wait()
