"""Auditable decisions: what rule, which version, on what inputs, with what outcome and why."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import Field

from domain.values import Actor, EventRef, ValueObject


class Override(ValueObject):
    """A person replaced the rule's outcome; the rule's own outcome stays on the record."""

    by: Actor
    reason: str
    outcome: dict[str, Any]


class Decision(ValueObject):
    """One decision as recorded: enough to explain it and to re-run it."""

    rule_id: str
    rule_version: int
    inputs: dict[str, Any]
    input_sources: dict[str, EventRef] = Field(default_factory=dict)
    outcome: dict[str, Any]
    reasons: tuple[str, ...]
    made_by: Actor
    override: Override | None = None

    @property
    def automated(self) -> bool:
        """True when the system made the decision and nobody overrode it."""
        return not self.made_by.is_person and self.override is None

    @property
    def effective_outcome(self) -> dict[str, Any]:
        """The outcome that applies: a person's override, else the rule's outcome."""
        return self.override.outcome if self.override is not None else self.outcome


class Reproduction(ValueObject):
    """The result of re-running a recorded decision from its recorded inputs."""

    rule_id: str
    rule_version: int
    reproduces: bool
    recorded_outcome: dict[str, Any]
    recomputed_outcome: dict[str, Any]
    recomputed_reasons: tuple[str, ...]


def decisions_in(event: object) -> Iterator[Decision]:
    """The decisions an event records (in any of its attributes)."""
    for value in vars(event).values():
        if isinstance(value, Decision):
            yield value
