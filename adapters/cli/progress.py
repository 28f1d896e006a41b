"""Building views from the log with a progress bar and an events/second figure."""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from projections.runner import ProjectionRunner


def counted_progress(console: Console, unit: str) -> Progress:
    """A progress bar that counts in `unit` (log positions, awards) and estimates time left."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeRemainingColumn(),
        console=console,
    )


def apply_with_progress(
    console: Console,
    runner: ProjectionRunner,
    description: str,
    work: Callable[[Callable[[int, int], None]], int],
) -> tuple[int, float]:
    """Run projection work under a progress bar; returns events read and seconds taken."""
    last = runner.log.last_position()
    started = time.perf_counter()
    with counted_progress(console, "log position") as progress:
        task = progress.add_task(description, total=last or 1)

        def advance(position: int, target: int) -> None:
            progress.update(task, completed=position, total=max(target, 1))

        read = work(advance)
        progress.update(task, completed=max(last, 1))
    return read, time.perf_counter() - started
