"""`journeys project --from-kafka`: a scale-out projection worker in the Kafka consumer group.

Start as many as the events topic has partitions: the group (``JOURNEYS_KAFKA_PROJECTION_GROUP``)
shares the partitions among them and rebalances as workers come and go. Each applies its
partitions' events to the views with per-partition tracking in the same transaction, and
commits Kafka offsets only afterwards (see adapters/kafka/workers.py).
"""

from __future__ import annotations

import signal
import threading

import typer

from adapters.bootstrap import build
from adapters.cli.kafka_workers import reaching_kafka, stamped
from adapters.cli.terminal import console
from adapters.kafka.workers import WorkerTally, build_worker
from services.settings import Settings


def _progress(tally: WorkerTally) -> None:
    console().print(
        stamped(
            f"Applied {tally.applied} events ({tally.records} records, {tally.skipped} "
            f"duplicates skipped) on partitions {tally.partitions}; lag {tally.lag}."
        )
    )


def project(
    from_kafka: bool = typer.Option(
        False, "--from-kafka", help="Build the views as a worker in the Kafka consumer group."
    ),
    follow: bool = typer.Option(
        False, "--follow", help="Keep applying as records arrive, until SIGINT or SIGTERM."
    ),
) -> None:
    """Apply the events topic to the views as a projection worker (scale out by starting more)."""
    if not from_kafka:
        raise typer.BadParameter(
            "only --from-kafka is supported here; `journeys projections follow` runs in-process",
            param_hint="'--from-kafka'",
        )
    settings = Settings()
    if settings.projection_mode != "kafka":
        console().print(
            "[red]JOURNEYS_PROJECTION_MODE is log[/red]: the in-process runner builds these "
            "views, and a worker beside it would apply every event twice. Set "
            "JOURNEYS_PROJECTION_MODE=kafka for every process of the deployment (and rebuild "
            "the views once with `journeys projections rebuild`)."
        )
        raise typer.Exit(code=2)
    run_worker(settings, follow=follow)


def run_worker(settings: Settings, *, follow: bool) -> None:
    """Join the projection group and apply records: until the topic's end, or until stopped."""
    with build(settings) as system:
        with reaching_kafka(settings):
            worker = build_worker(system)
        console().print(
            f"Projecting [bold]{settings.kafka_events_topic}[/bold] at "
            f"{settings.kafka_bootstrap_servers} in group {settings.kafka_projection_group}."
        )
        try:
            if follow:
                stop = threading.Event()
                for signal_number in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(signal_number, lambda *_: stop.set())

                def on_error(error: Exception) -> None:
                    console().print(stamped(f"[red]Batch failed[/red]: {error!r}; trying again."))

                console().print("Following the events topic; Ctrl-C or SIGTERM to stop.")
                worker.follow(stop, _progress, on_error)
            else:
                worker.drain(on_batch=_progress)
        finally:
            worker.close()
        tally = worker.tally
        console().print(
            f"Stopped: {tally.applied} events applied, {tally.skipped} duplicates skipped, "
            f"lag {tally.lag}."
        )
