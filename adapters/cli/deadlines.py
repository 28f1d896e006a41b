"""`journeys deadlines`: fire the deadlines journeys set (once, or as a worker) and list them.

The scheduler keeps no state of its own: whatever runs it (this command once, for a given
day, or the long-running worker) finds the pending deadlines in the log's deadlines view and
fires each once, so a run repeated for the same day changes nothing.
"""

from __future__ import annotations

import signal
import threading
from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID

import typer
from eventsourcing.application import AggregateNotFoundError
from rich.table import Table

from adapters.bootstrap import Journeys, build
from adapters.cli.terminal import console
from domain.errors import DomainError
from domain.transition import DlaToPipTransition
from projections.deadlines import DeadlineProjection
from projections.model import DeadlineQuery, DeadlineStatus, Page
from services.clock import SimulatedClock
from services.deadlines import DueDeadline, SchedulerRun
from services.errors import NotFound
from services.settings import Settings

deadlines_app = typer.Typer(
    help="Fire the deadlines journeys set (once, for a day, or as a worker) and list them.",
    no_args_is_help=True,
)

# A run over a big caseload fires thousands: the table shows the first ones, the summary all.
SHOWN_ROWS = 200
DEFAULT_INTERVAL = 60.0


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{option} must be a date YYYY-MM-DD, got {value!r}", param_hint=option
        ) from None


class _Ninos:
    """The NINO of the customer a deadline's aggregate concerns, looked up once each."""

    def __init__(self, system: Journeys) -> None:
        self.application = system.application
        self.by_customer: dict[UUID, str] = {}

    def of_customer(self, customer_id: UUID) -> str:
        if customer_id not in self.by_customer:
            try:
                self.by_customer[customer_id] = self.application.customer(customer_id).nino
            except NotFound:
                self.by_customer[customer_id] = str(customer_id)
        return self.by_customer[customer_id]

    def of_aggregate(self, aggregate_id: UUID) -> str:
        try:
            aggregate: object = self.application.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return str(aggregate_id)
        if isinstance(aggregate, DlaToPipTransition):
            return self.of_customer(aggregate.customer_id)
        return str(aggregate_id)


def _summary(run: SchedulerRun) -> str:
    return (
        f"Deadlines due by {run.on.isoformat()}: [bold]{len(run.fired)} fired[/bold], "
        f"{len(run.already_done)} already done, {len(run.refused)} refused."
    )


def _report(system: Journeys, run: SchedulerRun) -> None:
    rows: list[tuple[DueDeadline, str]] = [
        *((deadline, "fired") for deadline in run.fired),
        *((deadline, "already done") for deadline in run.already_done),
        *((deadline, f"[red]refused[/red]: {reason}") for deadline, reason in run.refused),
    ]
    if rows:
        ninos = _Ninos(system)
        table = Table(title=f"Deadlines run on {run.on.isoformat()}")
        for column in ("Due on", "Action", "Customer", "Result"):
            table.add_column(column)
        for deadline, result in rows[:SHOWN_ROWS]:
            table.add_row(
                deadline.fires_on.isoformat(),
                deadline.action,
                ninos.of_aggregate(deadline.aggregate_id),
                result,
            )
        if len(rows) > SHOWN_ROWS:
            table.caption = f"the first {SHOWN_ROWS} of {len(rows)}"
        console().print(table)
    console().print(_summary(run))


@deadlines_app.command("run")
def run(
    on: str | None = typer.Option(
        None,
        "--on",
        help="Fire what is due by this day (YYYY-MM-DD), recorded at 09:00 UTC that day "
        "(default: today, by the system clock).",
    ),
    follow: bool = typer.Option(
        False, "--follow", help="Keep firing as time passes, until SIGINT or SIGTERM (the worker)."
    ),
    interval: float | None = typer.Option(
        None,
        "--interval",
        min=0.01,
        help=f"Seconds between the worker's runs (default {DEFAULT_INTERVAL:g}).",
    ),
) -> None:
    """Fire every deadline due by a day once (exit 1 if any is refused), or as a worker."""
    if follow:
        if on is not None:
            raise typer.BadParameter(
                "the worker follows the system clock; fire a given day once without --follow",
                param_hint="'--on' / '--follow'",
            )
        _follow(interval if interval is not None else DEFAULT_INTERVAL)
        return
    if interval is not None:
        raise typer.BadParameter(
            "only the worker (--follow) runs at an interval", param_hint="'--interval'"
        )
    clock = SimulatedClock.on(_day(on, "--on")) if on is not None else None
    with build(Settings(), clock=clock) as system:
        result = system.deadlines.run_due()
        _report(system, result)
    if result.refused:
        raise typer.Exit(code=1)


def _follow(interval: float) -> None:
    with build(Settings()) as system:
        stop = threading.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signal_number, lambda *_: stop.set())

        def on_run(result: SchedulerRun) -> None:
            stamp = datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M:%S")
            console().print(f"{stamp} {_summary(result)}")
            for deadline, reason in result.refused:
                console().print(
                    f"  [red]refused[/red] {deadline.action} due {deadline.fires_on.isoformat()}"
                    f" ({deadline.aggregate_id}): {reason}"
                )

        console().print(f"Firing deadlines every {interval:g} s; Ctrl-C or SIGTERM to stop.")
        system.deadlines.follow(stop, interval, on_run)
        console().print("Stopped.")


@deadlines_app.command("list")
def list_deadlines(
    due_before: str | None = typer.Option(
        None, "--due-before", help="Only deadlines due before this day (YYYY-MM-DD)."
    ),
    status: Annotated[
        DeadlineStatus | None,
        typer.Option("--status", case_sensitive=False, help="Only deadlines in this state."),
    ] = None,
    customer: str | None = typer.Option(
        None, "--customer", help="Only this customer's deadlines (National Insurance number)."
    ),
    limit: int = typer.Option(50, "--limit", min=1, max=500, help="How many to show."),
) -> None:
    """List the deadlines journeys set, soonest first, with what happens and their state."""
    day = _day(due_before, "--due-before") if due_before is not None else None
    with build(Settings()) as system:
        customer_id: UUID | None = None
        if customer is not None:
            try:
                customer_id = system.application.customer_by_nino(customer).id
            except DomainError as error:  # malformed, or nobody registered with it
                raise typer.BadParameter(str(error), param_hint="--customer") from None
        system.projections.catch_up([DeadlineProjection.name])
        entries, total = system.views.read_deadlines(
            DeadlineQuery(customer_id=customer_id, status=status, due_before=day),
            Page(limit=limit),
        )
        ninos = _Ninos(system)
        table = Table(title="Deadlines")
        for column in ("Due on", "Action", "Customer", "Status", "Closed on", "What happens"):
            table.add_column(column)
        for entry in entries:
            table.add_row(
                entry.fires_on.isoformat(),
                entry.action,
                ninos.of_customer(entry.customer_id),
                _status_text(entry.status, entry.cancel_reason),
                entry.closed_on.isoformat() if entry.closed_on else "",
                entry.description,
            )
        console().print(table)
        console().print(f"{len(entries)} of {total} deadline(s) shown.")


def _status_text(status: DeadlineStatus, cancel_reason: str | None) -> str:
    if status is DeadlineStatus.CANCELLED and cancel_reason:
        return f"cancelled ({cancel_reason})"
    return status.value
