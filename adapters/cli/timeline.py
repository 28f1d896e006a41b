"""Renders a customer's journey as a readable timeline in the terminal."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from domain.aggregate import JourneyAggregate
from domain.customer import Customer
from domain.deadlines import Deadline
from domain.decisions import Decision, decisions_in
from domain.personal_data import ERASED

_HIDDEN = {
    "originator_id",
    "originator_version",
    "originator_topic",
    "timestamp",
    "effective_date",
    "decision",
    "age_test",
}


_ACRONYMS = {"dla": "DLA", "pip": "PIP"}


def _words(name: str) -> str:
    """'QuestionnaireIssued' -> 'Questionnaire issued'; 'DlaEndDecided' -> 'DLA end decided'."""
    spaced = re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()
    words = [_ACRONYMS.get(word, word) for word in spaced.split(" ")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _plain(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value).replace("_", " ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        fields = value.model_dump(exclude_defaults=True, mode="json")
        return ", ".join(f"{k}={v}" for k, v in fields.items())
    if isinstance(value, tuple | list):
        return "; ".join(_plain(item) for item in value)
    return str(value)


def _deadline_text(deadline: Deadline) -> str:
    return f"{deadline.action} on {deadline.fires_on.isoformat()} ({deadline.description})"


def _details(event: JourneyAggregate.Event, deadlines: dict[UUID, Deadline]) -> str:
    """The event's fields; decisions have their own column, deadlines are named by action."""
    parts = []
    named = getattr(event, "deadline_id", None) in deadlines
    for key, value in vars(event).items():
        if key in _HIDDEN or isinstance(value, Decision):
            continue
        if named and key in {"action", "fires_on"}:
            continue  # said with the deadline
        if isinstance(value, Deadline):
            deadlines[value.deadline_id] = value
            parts.append(f"deadline: {_deadline_text(value)}")
        elif key == "deadline_id" and value in deadlines:
            parts.append(f"deadline: {_deadline_text(deadlines[value])}")
        else:
            parts.append(f"{key.replace('_', ' ')}: {_plain(value)}")
    return "\n".join(parts)


def _decision_text(decision: Decision) -> Text:
    who = (
        "automated"
        if not decision.made_by.is_person
        else (f"by {decision.made_by.kind.value} {decision.made_by.identifier}")
    )
    text = Text(f"rule {decision.rule_id} v{decision.rule_version} ({who})", style="cyan")
    for reason in decision.reasons:
        text.append(f"\n- {reason}", style="default")
    if decision.override is not None:
        text.append(
            f"\nOVERRIDDEN by {decision.override.by.identifier}: {decision.override.reason}",
            style="yellow",
        )
    return text


def render_timeline(
    console: Console,
    customer: Customer,
    events: Sequence[JourneyAggregate.Event],
    claim_labels: dict[Any, str],
) -> None:
    """Print the customer's header and one row per event, decisions with their reasons."""
    # Escaped: people's names (and "[erased]") are text, not console markup.
    born = customer.date_of_birth.isoformat() if customer.date_of_birth else ERASED
    header = (
        f"[bold]{escape(customer.name)}[/bold]  NINO {escape(customer.nino)}  born "
        f"{escape(born)}  contact by {customer.contact_preferences.channel.value}"
    )
    if customer.appointee is not None:
        header += f"  appointee {escape(customer.appointee.name)}"
    if customer.support_markers:
        needs = ", ".join(m.need.value for m in customer.support_markers.values())
        header += f"  [magenta]needs support: {needs}[/magenta]"
    if customer.date_of_death is not None:
        header += f"  [red]died {customer.date_of_death.isoformat()}[/red]"
    console.print(header)
    table = Table(show_lines=True, expand=True)
    table.add_column("Recorded (UTC)", no_wrap=True)
    table.add_column("Effective", no_wrap=True)
    table.add_column("Record", no_wrap=True)
    table.add_column("What happened")
    table.add_column("Decision")
    deadlines: dict[UUID, Deadline] = {}
    for event in events:
        effective = getattr(event, "effective_date", None)
        decisions = [_decision_text(d) for d in decisions_in(event)]
        table.add_row(
            event.timestamp.strftime("%Y-%m-%d %H:%M"),
            effective.isoformat() if isinstance(effective, date) else "",
            claim_labels.get(event.originator_id, "customer"),
            Text(_words(type(event).__name__), style="bold")
            + Text("\n" + _details(event, deadlines)),
            Group(*decisions) if decisions else Text(""),
        )
    console.print(table)
