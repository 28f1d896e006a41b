"""`journeys audit verify`: re-compute the event log's hash chains and report the first break.

Exit 0 when both chains hold (and the anchor, if given); exit 1 with the first break
otherwise. The last line names the head to keep as an anchor for the next check: without
one, removing the newest events (or rewriting every hash) cannot be told from a shorter log.
"""

from __future__ import annotations

import typer

from adapters.bootstrap import build
from adapters.cli.progress import counted_progress
from adapters.cli.terminal import console
from adapters.event_store.integrity import chained_log
from services.integrity import Anchor, IntegrityReport, verify_log
from services.settings import Settings


def parse_anchor(text: str) -> Anchor:
    """POSITION:HASH (the hash in hex, as a check prints it) as an Anchor."""
    position, separator, hashed = text.partition(":")
    try:
        if not separator:
            raise ValueError
        anchor = Anchor(int(position), bytes.fromhex(hashed))
    except ValueError:
        raise typer.BadParameter(
            f"expected POSITION:HASH (64 hex digits), got {text!r}", param_hint="--anchor"
        ) from None
    if anchor.position < 1 or len(anchor.log_hash) != 32:
        raise typer.BadParameter(
            f"expected POSITION:HASH (64 hex digits), got {text!r}", param_hint="--anchor"
        )
    return anchor


def print_report(report: IntegrityReport) -> None:
    """The outcome, the first break if any, and the head to keep as an anchor."""
    found = report.first_break
    if found is None:
        console().print(
            f"[green]Intact[/green]: {report.checked_events} events checked; both hash chains hold."
        )
    else:
        where = f"log position {found.position}"
        if found.originator_id is not None:
            where += f" (aggregate {found.originator_id} version {found.originator_version})"
        console().print(
            f"[red]BROKEN[/red] at {where}: {found.kind.value}: {found.detail}. "
            f"{report.checked_events} events verified before it."
        )
    if report.head_hash is None:
        console().print("Head: the log is empty." if found is None else "No event verified.")
    elif found is not None:
        console().print(
            f"Last verified event: position {report.head_position},"
            f" log hash {report.head_hash.hex()}",
            soft_wrap=True,
        )
    else:
        # Kept elsewhere, this lets the next check find removed newest events or a rewrite.
        console().print(
            f"Head: position {report.head_position}, log hash {report.head_hash.hex()}\n"
            f"Anchor: {report.head_position}:{report.head_hash.hex()}",
            soft_wrap=True,
        )


def verify(
    anchor: str | None = typer.Option(
        None,
        "--anchor",
        help="POSITION:HASH printed by an earlier check: the log must still hold that event.",
    ),
    page_size: int = typer.Option(
        1000, "--page-size", min=1, max=100_000, help="Events read per query."
    ),
) -> None:
    """Re-compute the event log's hash chains; exit 1 at the first break (tampering)."""
    expected = parse_anchor(anchor) if anchor is not None else None
    with (
        build(Settings()) as system,
        counted_progress(console(), "log position") as progress,
    ):
        task = progress.add_task("Verifying the event log", total=None)

        def advance(position: int, last: int) -> None:
            progress.update(task, completed=position, total=max(last, 1))

        report = verify_log(
            chained_log(system.application.recorder),
            anchor=expected,
            page_size=page_size,
            progress=advance,
        )
        progress.update(task, completed=report.head_position, total=max(report.head_position, 1))
    print_report(report)
    if not report.intact:
        raise typer.Exit(code=1)
