"""CLI commands for operators: projections, the API server, tokens and the OpenAPI document."""

from __future__ import annotations

import json
import signal
import tempfile
import threading
from pathlib import Path
from typing import Annotated
from uuid import UUID

import typer
from rich.table import Table

from adapters.bootstrap import build
from adapters.cli.progress import apply_with_progress
from adapters.cli.project import run_worker
from adapters.cli.terminal import console
from adapters.http.roles import Role
from adapters.kafka.fed_views import PartialRebuild
from domain.errors import DomainError
from domain.identity import customer_id_for
from projections.runner import Progress, UnknownProjection
from services.settings import Settings

# The HTTP app (FastAPI and every route) is imported by the commands that serve it, not here:
# it is a second of start-up that the workers, which never serve HTTP, would pay on every start.

projections_app = typer.Typer(help="Rebuild and inspect the views.", no_args_is_help=True)


@projections_app.command("rebuild")
def rebuild(
    name: str | None = typer.Argument(None, help="One projection (default: every projection)."),
) -> None:
    """Rebuild views from log position 0, with a progress bar; prints events/second.

    With JOURNEYS_PROJECTION_MODE=kafka, stop the projection workers first: the rebuild
    hands each partition back to them where it left off.
    """
    with build(Settings()) as system:
        runner = system.projections
        names = [name] if name else list(runner.projections)

        def rebuild_views(progress: Progress) -> int:
            return runner.rebuild_all(names, progress)

        try:
            read, seconds = apply_with_progress(
                console(), runner, f"Rebuilding {', '.join(names)}", rebuild_views
            )
        except UnknownProjection as error:
            raise typer.BadParameter(str(error.args[0]), param_hint="NAME") from None
        except PartialRebuild as error:
            raise typer.BadParameter(str(error), param_hint="NAME") from None
        rate = read / seconds if seconds else 0.0
        # The log is read once and each page applied to every projection named.
        for projection in names:
            console().print(
                f"{projection}: {read} events in {seconds:.2f} s = "
                f"[bold]{rate:.0f} events/second[/bold]"
            )


@projections_app.command("status")
def status() -> None:
    """Each projection's position and how far it lags behind the log."""
    with build(Settings()) as system:
        table = Table(title="Projections")
        for column in ("Projection", "Position", "Log position", "Lag (events)"):
            table.add_column(column, justify="left" if column == "Projection" else "right")
        for row in system.projections.status():
            table.add_row(row.name, str(row.position), str(row.log_position), str(row.lag))
        console().print(table)


@projections_app.command("follow")
def follow() -> None:
    """Keep the views up to date as the log grows, until interrupted (SIGINT or SIGTERM).

    With JOURNEYS_PROJECTION_MODE=kafka this process is a projection worker in the Kafka
    consumer group instead (as `journeys project --from-kafka --follow`): start several.
    """
    settings = Settings()
    if settings.projection_mode == "kafka":
        run_worker(settings, follow=True)
        return
    with build(settings) as system:
        stop = threading.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signal_number, lambda *_: stop.set())
        system.projections.start()
        console().print("Following the log; Ctrl-C to stop.")
        while not stop.wait(10):
            lag = max((row.lag for row in system.projections.status()), default=0)
            console().print(f"lag: {lag} events")
        system.projections.stop()


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    projections: bool = typer.Option(
        True, help="Follow the log and update the views in this process."
    ),
    workers: int = typer.Option(
        1,
        min=1,
        help="Worker processes (more than one needs --no-projections; each has its own pools).",
    ),
    access_log: bool = typer.Option(
        True,
        help="Log every request on stderr (the request metrics at /metrics count them too;"
        " the log line costs about a tenth of a cached read).",
    ),
) -> None:
    """Serve the HTTP API (OpenAPI at /docs and /openapi.json)."""
    import uvicorn

    from adapters.http.app import create_app

    if workers > 1:
        if projections:
            raise typer.BadParameter(
                "run the projections in one process of their own (`journeys projections"
                " follow`) and serve with --no-projections",
                param_hint="--workers",
            )
        # Worker processes import the app themselves; one process is GIL-bound on reads.
        uvicorn.run(
            "adapters.http.app:reader_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=access_log,
            # A worker imports and builds the whole system before it answers; on a busy
            # machine that takes longer than uvicorn's 5 s, which then kills it, again and again.
            timeout_worker_healthcheck=60,
        )
        return
    with build(Settings()) as system:
        uvicorn.run(
            create_app(system, run_projections=projections),
            host=host,
            port=port,
            access_log=access_log,
        )


def token(
    role: Annotated[Role, typer.Option(help="customer, caseworker or auditor.")],
    customer: str | None = typer.Option(
        None, help="The customer's National Insurance number (customer tokens only)."
    ),
    subject: str = typer.Option("local-user", help="Who the token is for (staff id)."),
) -> None:
    """Mint a bearer token for local use, signed with the configured secret."""
    from adapters.http.app import token_issuer

    customer_id: UUID | None = None
    if role is Role.CUSTOMER:
        if customer is None:
            raise typer.BadParameter(
                "a customer token needs --customer NINO", param_hint="--customer"
            )
        try:
            customer_id = customer_id_for(customer)
        except DomainError as error:
            raise typer.BadParameter(str(error), param_hint="--customer") from None
    elif customer is not None:
        raise typer.BadParameter("only customer tokens name a customer", param_hint="--customer")
    with build(Settings()) as system:
        subject_id = str(customer_id) if customer_id else subject
        typer.echo(token_issuer(system).mint(role, subject_id, customer_id))


def openapi(
    output: Annotated[
        Path | None, typer.Option(help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the OpenAPI document of the HTTP API."""
    text = openapi_text()
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text)


def openapi_text() -> str:
    """The OpenAPI document as committed: sorted keys, two-space indent, final newline."""
    from adapters.http.app import create_app

    # The document depends on the code only: build against a throwaway embedded store.
    with (
        tempfile.TemporaryDirectory() as scratch,
        build(Settings(database_url=None, sqlite_path=Path(scratch) / "events.sqlite3")) as system,
    ):
        document = create_app(system, run_projections=False).openapi()
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
