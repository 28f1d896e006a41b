"""`journeys relay`: publish the event log to the Kafka events topic (once, or as a worker).

Every event goes out once at least, in log order per customer, and the relay's position
moves on only after the broker has acknowledged a whole batch (acks=all); a relay stopped
at any moment (even by SIGKILL) resumes from its position with nothing missed.
"""

from __future__ import annotations

import signal
import threading
import time

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from adapters.bootstrap import build
from adapters.cli.kafka_workers import reaching_kafka, stamped
from adapters.cli.terminal import console
from adapters.kafka.publisher import PublishFailed
from adapters.kafka.relay import DEFAULT_BATCH_SIZE, EventRelay, RelayedBatch, build_relay
from services.settings import Settings

DEFAULT_INTERVAL = 1.0


def _progress(batch: RelayedBatch) -> None:
    console().print(
        stamped(
            f"Relayed {batch.events} events (positions {batch.first_position}"
            f"-{batch.position}); lag {batch.lag}."
        )
    )


def relay(
    follow: bool = typer.Option(
        False, "--follow", help="Keep relaying as events are stored, until SIGINT or SIGTERM."
    ),
    interval: float | None = typer.Option(
        None,
        "--interval",
        min=0.01,
        help=f"Seconds between the worker's looks at the log (default {DEFAULT_INTERVAL:g}).",
    ),
    batch_size: int = typer.Option(
        DEFAULT_BATCH_SIZE,
        "--batch-size",
        min=1,
        max=10_000,
        help="Events per batch: acknowledged by the broker, then recorded as relayed.",
    ),
) -> None:
    """Publish every event not yet relayed to the Kafka events topic (or keep going as a worker)."""
    if not follow and interval is not None:
        raise typer.BadParameter(
            "only the worker (--follow) runs at an interval", param_hint="'--interval'"
        )
    settings = Settings()
    with build(settings) as system:
        with reaching_kafka(settings):
            event_relay = build_relay(system, batch_size=batch_size)
        try:
            status = event_relay.status()
            console().print(
                f"Relaying to [bold]{settings.kafka_events_topic}[/bold] at "
                f"{settings.kafka_bootstrap_servers}: position {status.position}, "
                f"log at {status.log_position}, lag {status.lag}."
            )
            if follow:
                _follow(event_relay, interval if interval is not None else DEFAULT_INTERVAL)
            else:
                _catch_up(event_relay, status.position, status.log_position)
        finally:
            event_relay.close()


def _catch_up(event_relay: EventRelay, position: int, log_position: int) -> None:
    started = time.perf_counter()
    with Progress(
        TextColumn("Relaying"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("log position"),
        TimeRemainingColumn(),
        console=console(),
    ) as progress:
        task = progress.add_task("relay", completed=position, total=max(log_position, 1))

        def advance(batch: RelayedBatch) -> None:
            progress.update(task, completed=batch.position, total=max(batch.log_position, 1))

        try:
            relayed = event_relay.catch_up(advance)
        except PublishFailed as error:
            console().print(f"[red]Stopped[/red]: {error}")
            raise typer.Exit(code=1) from None
    seconds = time.perf_counter() - started
    status = event_relay.status()
    console().print(
        f"Relayed [bold]{relayed} events[/bold] in {seconds:.1f} s "
        f"({relayed / max(seconds, 1e-9):,.0f} events/second); position {status.position}, "
        f"lag {status.lag}."
    )


def _follow(event_relay: EventRelay, interval: float) -> None:
    stop = threading.Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stop.set())

    def on_error(error: Exception) -> None:
        console().print(stamped(f"[red]Not acknowledged[/red]: {error}; trying again."))

    console().print(f"Following the log every {interval:g} s; Ctrl-C or SIGTERM to stop.")
    event_relay.follow(stop, interval, _progress, on_error)
    status = event_relay.status()
    console().print(f"Stopped at position {status.position} (lag {status.lag}).")
