"""`journeys outbox run`: release queued letters, texts and emails to the spool.

Each queued contact is claimed on the customer's record before it is written to the spool,
so a contact whose customer died or had their personal data erased is refused (and the
refusal recorded),
never sent; a run repeated at once finds nothing left to do.
"""

from __future__ import annotations

import signal
import threading
from datetime import UTC, datetime

import typer

from adapters.bootstrap import build
from adapters.cli.terminal import console
from services.outbox import OutboxDispatcher, OutboxRun
from services.settings import Settings

outbox_app = typer.Typer(
    help="Release queued outbound contacts to the print and notify spool.", no_args_is_help=True
)

DEFAULT_INTERVAL = 10.0


def _summary(run: OutboxRun) -> str:
    return (
        f"Outbox: [bold]{len(run.sent)} sent[/bold], {len(run.refused)} refused (death "
        f"notified or data erased), {len(run.already_done)} already done,"
        f" {len(run.failed)} failed."
    )


def _report(run: OutboxRun) -> None:
    console().print(_summary(run))
    for contact, reason in run.failed:
        console().print(f"  [red]failed[/red] contact {contact.contact_id}: {reason}")


@outbox_app.command("run")
def run(
    follow: bool = typer.Option(
        False, "--follow", help="Keep releasing as contacts are queued, until SIGINT or SIGTERM."
    ),
    interval: float | None = typer.Option(
        None,
        "--interval",
        min=0.01,
        help=f"Seconds between the worker's runs (default {DEFAULT_INTERVAL:g}).",
    ),
) -> None:
    """Release every queued contact once (exit 1 if any failed), or keep going as a worker."""
    if not follow and interval is not None:
        raise typer.BadParameter(
            "only the worker (--follow) runs at an interval", param_hint="'--interval'"
        )
    with build(Settings()) as system:
        console().print(f"Spool: {system.settings.contact_spool_path}")
        if follow:
            _follow(system.outbox, interval if interval is not None else DEFAULT_INTERVAL)
            return
        result = system.outbox.run()
        _report(result)
    if result.failed:
        raise typer.Exit(code=1)


def _follow(outbox: OutboxDispatcher, interval: float) -> None:
    stop = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stop.set())

    def on_run(result: OutboxRun) -> None:
        if result.sent or result.refused or result.failed:
            stamp = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M:%S")
            console().print(f"{stamp} {_summary(result)}")

    console().print(f"Releasing contacts every {interval:g} s; Ctrl-C or SIGTERM to stop.")
    outbox.follow(stop, interval, on_run)
    console().print("Stopped.")
