"""`journeys consume`: apply other systems' messages (death notifications, SR1s) from Kafka.

Each message is applied once in effect; one that cannot be applied goes to the dead-letter
topic with its reason; an offset is committed only after its command is stored or its dead
letter acknowledged. Without --follow it applies what is on the topics now and stops.
"""

from __future__ import annotations

import signal
import threading
import time

import typer

from adapters.bootstrap import build
from adapters.cli.kafka_workers import reaching_kafka, stamped
from adapters.cli.terminal import console
from adapters.kafka.inbound import handlers_for
from services.settings import Settings


def consume(
    follow: bool = typer.Option(
        False, "--follow", help="Keep consuming as messages arrive, until SIGINT or SIGTERM."
    ),
) -> None:
    """Apply inbound death notifications and SR1 submissions; dead-letter what cannot be."""
    # Only this command needs the Kafka client.
    from adapters.kafka.consumer import InboundConsumer, Tally, build_consumer

    settings = Settings()

    def progress(tally: Tally) -> None:
        console().print(
            stamped(
                f"applied {tally.applied}, duplicates {tally.duplicates}, "
                f"dead-lettered {tally.dead_lettered}; lag {tally.lag}."
            )
        )

    with build(settings) as system:
        with reaching_kafka(settings):
            consumer: InboundConsumer = build_consumer(
                settings.kafka_bootstrap_servers,
                settings.kafka_inbound_group,
                handlers_for(system),
                settings.kafka_dead_letters_topic,
                session_timeout_ms=settings.kafka_session_timeout_ms,
                bootstrap_timeout_ms=settings.kafka_bootstrap_timeout_ms,
            )
        console().print(
            f"Consuming {settings.kafka_death_notifications_topic} and "
            f"{settings.kafka_sr1_submissions_topic} as group "
            f"[bold]{settings.kafka_inbound_group}[/bold]; dead letters to "
            f"{settings.kafka_dead_letters_topic}."
        )
        started = time.perf_counter()
        try:
            if follow:
                stop = threading.Event()
                for signal_number in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(signal_number, lambda *_: stop.set())

                def on_error(error: Exception) -> None:
                    console().print(
                        stamped(f"[red]Not applied, not committed[/red]: {error!r}; trying again.")
                    )

                console().print("Following; Ctrl-C or SIGTERM to stop.")
                consumer.follow(stop, progress, on_error)
            else:
                try:
                    consumer.drain(on_batch=progress)
                except Exception as error:
                    console().print(f"[red]Stopped, not committed past it[/red]: {error!r}")
                    raise typer.Exit(code=1) from None
        finally:
            consumer.close()
        tally = consumer.tally
        console().print(
            f"Stopped after {time.perf_counter() - started:.1f} s: applied "
            f"[bold]{tally.applied}[/bold], duplicates {tally.duplicates}, dead-lettered "
            f"{tally.dead_lettered}; lag {tally.lag}."
        )
