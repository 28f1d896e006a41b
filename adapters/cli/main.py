"""The `journeys` command line: demo, timelines, audit replay, views, API server and tokens."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from uuid import UUID

import typer
from eventsourcing.utils import get_topic
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from adapters.bootstrap import Journeys, build
from adapters.cli.case_item_summary import print_case_items, release_letters
from adapters.cli.consume import consume
from adapters.cli.deadlines import deadlines_app
from adapters.cli.debt_summary import print_debts
from adapters.cli.erase import erase
from adapters.cli.integrity import verify
from adapters.cli.operations import openapi, projections_app, serve, token
from adapters.cli.outbox import outbox_app
from adapters.cli.progress import apply_with_progress
from adapters.cli.project import project
from adapters.cli.relay import relay
from adapters.cli.terminal import console
from adapters.cli.uprating import uprate
from adapters.demo.population import DemoStats, Population
from domain.aggregate import acting_as
from domain.claim import ClaimStatus, DisputeStage
from domain.customer import Customer
from domain.errors import DomainError
from domain.personal_data import ERASED
from domain.transition import DlaToPipTransition, TransitionStage, transition_id_for
from domain.values import Actor
from projections.model import DeadlineQuery, DeadlineStatus, Page, TransitionWorklist, Worklist
from services.clock import SimulatedClock
from services.log import read_log
from services.production import UnsafeProductionSettings
from services.settings import Settings

app = typer.Typer(
    help="Journeys: event-sourced customer journeys for a welfare department.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
customer_app = typer.Typer(help="Look at one customer.", no_args_is_help=True)
audit_app = typer.Typer(
    help="Check recorded decisions and the event log's hash chains.", no_args_is_help=True
)
app.add_typer(customer_app, name="customer")
app.add_typer(audit_app, name="audit")
audit_app.command("verify")(verify)
app.add_typer(projections_app, name="projections")
app.add_typer(deadlines_app, name="deadlines")
app.add_typer(outbox_app, name="outbox")
app.command()(serve)
app.command()(token)
app.command()(openapi)
app.command()(uprate)
app.command()(relay)
app.command()(consume)
app.command()(project)
app.command()(erase)


def _system(clock: SimulatedClock | None = None) -> Journeys:
    return build(Settings(), clock=clock)


@app.command()
def demo(
    customers: int = typer.Option(1000, min=1, help="How many synthetic customers to create."),
    seed: int | None = typer.Option(None, help="Random seed, for a repeatable population."),
    start: str = typer.Option("2025-01-06", help="First simulated day (YYYY-MM-DD)."),
    days: int = typer.Option(420, min=1, help="How many days the simulation runs."),
) -> None:
    """Simulate a population through every claim state and DLA to PIP at 16; summarise it."""
    try:
        first_day = date.fromisoformat(start)
    except ValueError:
        raise typer.BadParameter(
            f"start must be YYYY-MM-DD, got {start!r}", param_hint="--start"
        ) from None
    seed = seed if seed is not None else random.SystemRandom().randint(0, 2**31)
    clock = SimulatedClock.on(first_day)
    with _system(clock) as system:
        store = system.settings.database_url or str(system.settings.sqlite_path)
        console().print(f"Event store: [bold]{_redacted(store)}[/bold]  seed {seed}")
        before = system.application.recorder.max_notification_id() or 0
        population = Population(
            system.application,
            clock,
            random.Random(seed),
            first_day,
            until=first_day + timedelta(days=days),
            scheduler=system.deadlines,
            safeguarding=True,
            debts=True,
        )
        started = time.perf_counter()
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[customers]} customers"),
            TimeRemainingColumn(),
            console=console(),
        ) as progress:
            # Each journey has several steps; the total grows as journeys reveal their length.
            task = progress.add_task("Simulating journeys", total=customers * 7, customers=0)

            def advance() -> None:
                stats = population.stats
                progress.update(
                    task,
                    advance=1,
                    customers=stats.customers,
                    total=max(customers * 7, stats.commands + 1),
                )

            stats = population.run(customers, advance)
            progress.update(task, total=stats.commands, completed=stats.commands)
        elapsed = time.perf_counter() - started
        written = (system.application.recorder.max_notification_id() or 0) - before
        _summarise(system, stats, written, elapsed, population.until)


def _redacted(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def _summarise(
    system: Journeys, stats: DemoStats, written: int, elapsed: float, simulated_until: date
) -> None:
    application = system.application
    commands, samples, refused = stats.commands, stats.sample_ninos, stats.refused
    statuses: dict[ClaimStatus, int] = dict.fromkeys(ClaimStatus, 0)
    disputes: dict[DisputeStage, int] = dict.fromkeys(DisputeStage, 0)
    customers = deceased = 0
    overdue = 0
    for customer in _all_customers(system):
        customers += 1
        deceased += customer.deceased
        for claim_id in customer.claims:
            claim = application.claim(claim_id)
            statuses[claim.status] += 1
            disputes[claim.dispute] += 1
            overdue += claim.questionnaire_overdue(simulated_until)
    table = Table(title="Claims by state")
    table.add_column("State")
    table.add_column("Claims", justify="right")
    for status, count in statuses.items():
        table.add_row(status.value.replace("_", " "), str(count))
    table.add_row("[dim]of which PIP2 overdue, no determination yet[/dim]", str(overdue))
    for stage, count in disputes.items():
        if stage is not DisputeStage.NONE:
            table.add_row(f"dispute: {stage.value.replace('_', ' ')}", str(count))
    console().print(table)
    _summarise_transitions(system, stats)
    print_debts(console(), system, simulated_until)
    _show_erasure(system, set(samples.values()))
    report = system.ledger.replay()
    decisions = Table(title="Decisions recorded (re-run from their recorded inputs)")
    decisions.add_column("Rule")
    decisions.add_column("Decisions", justify="right")
    for rule_id, count in sorted(report.by_rule.items()):
        decisions.add_row(rule_id, str(count))
    decisions.add_row("[bold]all[/bold]", f"{report.checked} ({report.reproduced} reproduce)")
    if report.inputs_erased:
        decisions.add_row("[dim]not re-run: inputs erased[/dim]", str(report.inputs_erased))
    console().print(decisions)
    console().print(
        f"Customers in the store: {customers} ({deceased} deceased). Commands run: {commands} "
        f"(refused as invalid: {sum(refused.values())} {dict(sorted(refused.items()))})."
    )
    console().print(
        f"Events written: {written} in {elapsed:.1f} s = "
        f"[bold]{written / elapsed if elapsed else 0:.0f} events/second[/bold] "
        f"({commands / elapsed if elapsed else 0:.0f} commands/second)."
    )
    for kind in ("pip_disputed", "pip_no_questionnaire", "deceased", "dla_to_pip"):
        if kind in samples:
            console().print(
                f"Try: [bold]journeys customer show {samples[kind]}[/bold]  "
                f"({kind.replace('_', ' ')})"
            )
    _build_views(system, simulated_until)
    if not report.all_reproduce:
        raise typer.Exit(code=1)


def _show_erasure(system: Journeys, samples: set[str]) -> None:
    """Erase one customer (not a sample to try) and show how they read afterwards."""
    application = system.application
    chosen = next((c for c in _all_customers(system) if c.nino not in samples and c.claims), None)
    if chosen is None:
        return
    with acting_as(Actor.caseworker("demo-erasure")):
        system.erase_personal_data(chosen.id, "the customer asked for erasure (demo)")
    after = application.customer(chosen.id)
    born = after.date_of_birth.isoformat() if after.date_of_birth else ERASED
    console().print(
        escape(
            f"Erased customer {chosen.id}: now name {after.name}, NINO {after.nino}, born {born};"
            f" their {len(after.claims)} claim(s), decisions, dates and amounts remain."
        )
    )


def _build_views(system: Journeys, simulated_until: date) -> None:
    runner = system.projections
    read, seconds = apply_with_progress(
        console(), runner, "Building the views", lambda progress: runner.catch_up(progress=progress)
    )
    console().print(
        f"Views brought up to date: {read} events in {seconds:.1f} s = "
        f"[bold]{read / seconds if seconds else 0:.0f} events/second[/bold] "
        f"({', '.join(name.replace('_', ' ') for name in runner.projections)})."
    )
    worklists = Table(title=f"Caseworker worklists on {simulated_until.isoformat()}")
    for column in ("Worklist", "Claims", "Overdue"):
        worklists.add_column(column, justify="left" if column == "Worklist" else "right")
    for worklist in Worklist:
        _, waiting = system.views.read_worklist(worklist, None, Page(limit=1))
        _, overdue = system.views.read_worklist(worklist, simulated_until, Page(limit=1))
        worklists.add_row(worklist.value.replace("_", " "), str(waiting), str(overdue))
    console().print(worklists)
    _transition_worklists(system, simulated_until)
    release_letters(console(), system)
    print_case_items(console(), system, simulated_until)
    console().print(
        "Serve them: [bold]journeys serve[/bold] (API at http://127.0.0.1:8000/docs; "
        "mint a token with [bold]journeys token --role caseworker[/bold])."
    )


def _summarise_transitions(system: Journeys, stats: DemoStats) -> None:
    application = system.application
    stages: dict[TransitionStage, int] = dict.fromkeys(TransitionStage, 0)
    started = read_log(application, topics=[get_topic(DlaToPipTransition.Started)])
    for notification in started:
        transition: object = application.repository.get(UUID(str(notification.originator_id)))
        if isinstance(transition, DlaToPipTransition):
            stages[transition.stage] += 1
    table = Table(title="DLA to PIP transitions by stage")
    table.add_column("Stage")
    table.add_column("Young people", justify="right")
    for stage, count in stages.items():
        table.add_row(stage.value.replace("_", " "), str(count))
    table.add_row("[bold]all[/bold]", str(sum(stages.values())))
    console().print(table)
    console().print(
        f"Deadlines fired as simulated time passed: [bold]{stats.deadlines_fired}[/bold] "
        f"in {stats.deadline_runs} overnight run(s) (refused: {stats.deadlines_refused})."
    )


def _transition_worklists(system: Journeys, simulated_until: date) -> None:
    views = system.views
    table = Table(title=f"DLA to PIP worklists on {simulated_until.isoformat()}")
    for column in ("Worklist", "Young people", "Overdue"):
        table.add_column(column, justify="left" if column == "Worklist" else "right")
    for worklist in TransitionWorklist:
        _, waiting = views.read_transition_worklist(worklist, None, Page(limit=1))
        _, overdue = views.read_transition_worklist(worklist, simulated_until, Page(limit=1))
        table.add_row(worklist.value.replace("_", " "), str(waiting), str(overdue))
    console().print(table)
    _, pending = views.read_deadlines(DeadlineQuery(status=DeadlineStatus.PENDING), Page(limit=1))
    console().print(f"Deadlines still pending after the last simulated day: {pending}.")


def _all_customers(system: Journeys) -> list[Customer]:
    application = system.application
    registrations = read_log(application, topics=[get_topic(Customer.Registered)])
    return [application.customer(UUID(str(n.originator_id))) for n in registrations]


@customer_app.command("show")
def customer_show(nino: str = typer.Argument(..., help="National Insurance number")) -> None:
    """Show a customer's journey as a timeline: every event, effective and recorded dates."""
    from adapters.cli.timeline import render_timeline

    with _system() as system:
        application = system.application
        try:
            customer = application.customer_by_nino(nino)
        except DomainError as error:
            console().print(f"[red]Error[/red] (NINO): {error}")
            raise typer.Exit(code=2) from None
        labels = {
            claim_id: f"{benefit.value} claim\n{str(claim_id)[:8]}"
            for claim_id, benefit in customer.claims.items()
        }
        labels[transition_id_for(customer.id)] = "DLA to PIP"
        render_timeline(console(), customer, application.history(customer.id), labels)


@audit_app.command("replay")
def audit_replay() -> None:
    """Re-run every recorded decision from its recorded inputs; non-zero exit if any differ."""
    with _system() as system:
        report = system.ledger.replay()
    console().print(
        f"Decisions checked: {report.checked}; reproduced: {report.reproduced}; "
        f"not re-run, their personal inputs erased: {report.inputs_erased}."
    )
    for recorded, reproduction in report.failures:
        console().print(
            f"[red]DIFFERS[/red] log position {recorded.log_position} {recorded.event_type} "
            f"{reproduction.rule_id} v{reproduction.rule_version}: recorded "
            f"{reproduction.recorded_outcome} recomputed {reproduction.recomputed_outcome}"
        )
    if not report.all_reproduce:
        raise typer.Exit(code=1)


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except UnsafeProductionSettings as error:
        # A clear refusal, not a traceback: the operator must change settings, not code.
        Console(stderr=True).print(f"[red]Error[/red]: {error}")
        raise SystemExit(2) from None
