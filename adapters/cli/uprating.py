"""`journeys uprate`: the annual uprating of every PIP award in payment, with a progress bar."""

from __future__ import annotations

from datetime import date

import typer

from adapters.bootstrap import build
from adapters.cli.progress import counted_progress
from adapters.cli.terminal import console
from domain.errors import DomainError
from services.settings import Settings


def uprate(
    on: str = typer.Option(
        ..., "--on", help="The uprating date (YYYY-MM-DD): weekly amounts apply from it."
    ),
) -> None:
    """Uprate every PIP award in payment on a date: one event per award; prints events/second."""
    try:
        uprating_date = date.fromisoformat(on)
    except ValueError:
        raise typer.BadParameter(
            f"--on must be a date YYYY-MM-DD, got {on!r}", param_hint="--on"
        ) from None
    with (
        build(Settings()) as system,
        counted_progress(console(), "awards") as progress,
    ):
        task = progress.add_task(f"Uprating on {uprating_date.isoformat()}", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=max(total, 1))

        try:
            report = system.uprating.uprate_all(uprating_date, advance)
        except DomainError as error:
            raise typer.BadParameter(str(error), param_hint="--on") from None
        progress.update(task, completed=max(report.candidates, 1), total=max(report.candidates, 1))
    console().print(
        f"Awards uprated on {uprating_date.isoformat()}: [bold]{report.uprated}[/bold] "
        f"(of {report.candidates} in payment; {report.skipped} changed and no longer due; "
        f"{report.conflicts} chunk(s) written again after a clash) in {report.seconds:.2f} s = "
        f"[bold]{report.events_per_second:.0f} events/second[/bold]."
    )
