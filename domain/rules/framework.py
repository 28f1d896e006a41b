"""Versioned rules: pure functions of typed inputs and a parameter table in force on a date."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from domain.decisions import Decision, Reproduction
from domain.errors import UnknownRuleVersion
from domain.values import Actor, EventRef, ValueObject

InputsT = TypeVar("InputsT", bound=BaseModel)
ParamsT = TypeVar("ParamsT", bound=BaseModel)
OutcomeT = TypeVar("OutcomeT", bound=BaseModel)


class RuleVersion(ValueObject, Generic[ParamsT]):
    """One row of a rule table: the parameters in force from a date."""

    version: int
    effective_from: date
    parameters: ParamsT
    summary: str


class NoParameters(ValueObject):
    """The parameter table of a rule whose logic needs no values."""


@dataclass(frozen=True)
class Evaluation(Generic[OutcomeT]):
    """What a rule concluded and the plain-language reasons for it."""

    outcome: OutcomeT
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Decided(Generic[OutcomeT]):
    """A typed outcome for the caller together with the record to store."""

    outcome: OutcomeT
    record: Decision


@dataclass(frozen=True)
class Rule(Generic[InputsT, ParamsT, OutcomeT]):
    """A named rule with its table of versions and the pure function that applies it."""

    rule_id: str
    title: str
    sources: tuple[str, ...]
    inputs_type: type[InputsT]
    outcome_type: type[OutcomeT]
    versions: tuple[RuleVersion[ParamsT], ...]
    evaluate: Callable[[InputsT, ParamsT], Evaluation[OutcomeT]]

    def __post_init__(self) -> None:
        starts = [row.effective_from for row in self.versions]
        if not self.versions or starts != sorted(starts):
            raise ValueError(f"rule {self.rule_id}: versions must be listed oldest first")

    def version_in_force(self, on: date) -> RuleVersion[ParamsT]:
        """The table row in force on a date."""
        in_force = [row for row in self.versions if row.effective_from <= on]
        if not in_force:
            raise UnknownRuleVersion(f"rule {self.rule_id} has no version in force on {on}")
        return in_force[-1]

    def version(self, number: int) -> RuleVersion[ParamsT]:
        """A table row by its version number."""
        for row in self.versions:
            if row.version == number:
                return row
        raise UnknownRuleVersion(f"rule {self.rule_id} has no version {number}")

    def decide(
        self,
        inputs: InputsT,
        *,
        on: date,
        made_by: Actor | None = None,
        sources: Mapping[str, EventRef] | None = None,
    ) -> Decided[OutcomeT]:
        """Apply the version in force on `on` and return the outcome with its record."""
        row = self.version_in_force(on)
        evaluation = self.evaluate(inputs, row.parameters)
        record = Decision(
            rule_id=self.rule_id,
            rule_version=row.version,
            inputs=inputs.model_dump(mode="json"),
            input_sources=dict(sources or {}),
            outcome=evaluation.outcome.model_dump(mode="json"),
            reasons=evaluation.reasons,
            made_by=made_by or Actor.system(),
        )
        return Decided(outcome=evaluation.outcome, record=record)

    def rerun(self, decision: Decision) -> Reproduction:
        """Re-run a recorded decision from its recorded inputs and compare outcomes."""
        row = self.version(decision.rule_version)
        evaluation = self.evaluate(self.inputs_type.model_validate(decision.inputs), row.parameters)
        recomputed = evaluation.outcome.model_dump(mode="json")
        return Reproduction(
            rule_id=self.rule_id,
            rule_version=row.version,
            reproduces=recomputed == decision.outcome,
            recorded_outcome=decision.outcome,
            recomputed_outcome=recomputed,
            recomputed_reasons=evaluation.reasons,
        )

    def outcome_of(self, decision: Decision) -> OutcomeT:
        """The typed outcome that applies to a recorded decision (overrides included)."""
        return self.outcome_type.model_validate(decision.effective_outcome)


AnyRule = Rule[Any, Any, Any]
