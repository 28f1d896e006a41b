"""The demo's last tables: outbound letters released through the outbox, and case items."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table

from adapters.bootstrap import Journeys
from projections.model import CaseItem, CaseItemKind, CaseItemQuery, Page

PAGE = Page(limit=500)


def release_letters(console: Console, system: Journeys) -> None:
    """Run the outbox once, as its worker would, and bring the views up to date after it."""
    run = system.outbox.run()
    console.print(
        f"Outbox released to {system.settings.contact_spool_path}: [bold]{len(run.sent)} sent"
        f"[/bold], {len(run.refused)} refused (death notified or data erased), "
        f"{len(run.failed)} failed."
    )
    system.projections.catch_up()


def print_case_items(console: Console, system: Journeys, today: date) -> None:
    """Open case items of each kind, with those at risk and overdue on the day."""
    table = Table(title=f"Case items on {today}")
    for column in ("Kind", "Open", "At risk", "Overdue", "Closed"):
        table.add_column(column, justify="left" if column == "Kind" else "right")
    for kind in CaseItemKind:
        open_items = _all(system, CaseItemQuery(kind=kind, open=True))
        _, closed = system.views.read_case_items(
            CaseItemQuery(kind=kind, open=False), Page(limit=1)
        )
        table.add_row(
            kind.value.replace("_", " "),
            str(len(open_items)),
            str(sum(item.at_risk(today) for item in open_items)),
            str(sum(item.overdue(today) for item in open_items)),
            str(closed),
        )
    console.print(table)


def _all(system: Journeys, query: CaseItemQuery) -> list[CaseItem]:
    items, total = system.views.read_case_items(query, PAGE)
    while len(items) < total:
        more, _ = system.views.read_case_items(query, Page(limit=PAGE.limit, offset=len(items)))
        if not more:
            break
        items.extend(more)
    return items
