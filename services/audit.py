"""Auditors' replay: find every recorded decision in the log and re-run it from its inputs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from domain.decisions import Decision, Reproduction, decisions_in
from domain.errors import DecisionInputsErased
from domain.rules import rerun
from services.errors import NotFound
from services.log import read_log


class DecisionNotFound(NotFound):
    """No decision is recorded at that log position."""


@dataclass(frozen=True)
class RecordedDecision:
    """A decision as it stands in the log: where it is and what it says."""

    log_position: int
    event_type: str
    aggregate_id: UUID
    aggregate_version: int
    recorded_at: datetime
    decision: Decision


@dataclass
class ReplayReport:
    """How many recorded decisions reproduced, and the ones that did not."""

    checked: int = 0
    reproduced: int = 0
    inputs_erased: int = 0
    """Decisions not re-run: their personal inputs were erased (not counted as checked)."""
    by_rule: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[RecordedDecision, Reproduction]] = field(default_factory=list)

    @property
    def all_reproduce(self) -> bool:
        """True when every decision re-ran to the outcome on record."""
        return self.checked == self.reproduced


class DecisionLedger:
    """Reads the event log of an application for its recorded decisions."""

    def __init__(self, application: Application[UUID], page_size: int = 1000) -> None:
        self._application = application
        self._page_size = page_size

    def recorded_decisions(self, start: int = 1) -> Iterator[RecordedDecision]:
        """Every recorded decision, in log order, from a log position."""
        for notification in read_log(self._application, start=start, page_size=self._page_size):
            yield from self._decisions_of(notification)

    def decision_at(self, position: int, index: int = 0) -> RecordedDecision:
        """The decision recorded at a log position (the index-th of that event's decisions)."""
        page = self._application.recorder.select_notifications(start=position, limit=1)
        found = list(self._decisions_of(page[0])) if page and page[0].id == position else []
        if not 0 <= index < len(found):
            raise DecisionNotFound(f"no decision {index} is recorded at log position {position}")
        return found[index]

    def _decisions_of(self, notification: Notification) -> Iterator[RecordedDecision]:
        event = self._application.mapper.to_domain_event(notification)
        for decision in decisions_in(event):
            yield RecordedDecision(
                log_position=notification.id,
                event_type=type(event).__qualname__,
                aggregate_id=event.originator_id,
                aggregate_version=event.originator_version,
                recorded_at=getattr(event, "timestamp"),  # noqa: B009 (not all types declare it)
                decision=decision,
            )

    def replay(self) -> ReplayReport:
        """Re-run every recorded decision and report which reproduce."""
        report = ReplayReport()
        for recorded in self.recorded_decisions():
            try:
                reproduction = rerun(recorded.decision)
            except DecisionInputsErased:
                report.inputs_erased += 1
                continue
            report.checked += 1
            report.by_rule[recorded.decision.rule_id] = (
                report.by_rule.get(recorded.decision.rule_id, 0) + 1
            )
            if reproduction.reproduces:
                report.reproduced += 1
            else:
                report.failures.append((recorded, reproduction))
        return report
