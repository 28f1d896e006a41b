"""What the Kafka worker commands (relay, project, consume) share: stamped lines, a clear exit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import typer

from adapters.cli.terminal import console
from services.settings import Settings


def stamped(line: str) -> str:
    """The line after the time now (UTC), as a worker's progress lines read in its log."""
    return f"{datetime.now(tz=UTC):%Y-%m-%d %H:%M:%S} {line}"


@contextmanager
def reaching_kafka(settings: Settings) -> Iterator[None]:
    """A broker that cannot be reached while connecting: one red line and exit code 1."""
    from kafka.errors import KafkaError  # only the workers need the Kafka client

    try:
        yield
    except KafkaError as error:
        console().print(
            f"[red]Cannot reach Kafka at {settings.kafka_bootstrap_servers}[/red]: {error!r}"
        )
        raise typer.Exit(code=1) from None
