"""Inbound messages from other department systems, version 1, and how each becomes a command.

Two topics carry them (UTF-8 JSON values; the key is free, e.g. the customer's or claim's id):

- ``journeys.inbound.death-notifications``: a ``DeathNotificationV1`` from Tell Us Once,
  applied as ``notify_death``::

    {"version": 1, "message_id": "tuo-msg-000123", "tuo_reference": "TUO-2026-000123",
     "nino": "QQ123456C", "date_of_death": "2026-01-02"}

  (``customer_id``, the customer's opaque id, may stand instead of ``nino``: exactly one.)

- ``journeys.inbound.sr1-submissions``: an ``Sr1SubmissionV1`` from a clinician's system,
  applied as ``record_sr1``::

    {"version": 1, "message_id": "sr1-msg-77", "claim_id": "6f0c...", "received_on":
     "2026-01-05", "clinician": {"name": "Dr A Example", "role": "gp"},
     "diagnosed_on": "2025-11-20", "signed_on": "2026-01-04", "progressive_disease": true,
     "death_expected_within_months": 6, "customer_aware": false}

A message with an unknown ``version``, an unknown field, a missing or invalid field, or that
the domain refuses (an unknown customer or claim, a date of death in the future, a signer
the definition does not accept...) cannot be applied: it is a dead letter, with the reason.

Exactly once in effect. Kafka delivers at least once: a consumer that stored a command's
events and then died before committing its offset receives the same message again, and a
sender may send one twice. Each message is therefore checked against the facts the command
records before it runs, and again when the domain refuses it; those facts are stored in the
command's own save, so the check and the effect can never disagree, whatever crashes when:

- a death notification is done when the customer's death is recorded with the same Tell Us
  Once reference and date of death. The domain records a death once only (optimistic
  concurrency on the customer), so two deliveries racing each other store it once; the
  loser's refusal ("death already notified") is recognised as done, not dead-lettered.
  A death already recorded under another reference or date is a real conflict: dead letter.
- an SR1 submission is done when the customer's Special Rules case already holds an
  ``EvidenceRecorded`` for the same claim with the same evidence and day of receipt (the
  same form received twice adds nothing).

A message id names one notification, and every delivery of it carries the same facts, so
recognising the facts recognises the message id (and also a sender's resend under a new id).
We chose this over a separate "message seen" record because the facts are what must not be
doubled: a receipt kept outside the event store's transaction could disagree with the log
after a crash, and one inside it would add a technical aggregate and event type to the log
(and to the events topic) for no fact about a customer. The message id is logged with every
outcome and kept on a dead letter. The one gap: a group gives a partition to one member at a
time, but a member that lost it without noticing (a long pause) could race its successor on
the same SR1 and record it twice; a death cannot be recorded twice. Key SR1 submissions by
claim id so that one claim's forms share a partition and are applied in order.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from adapters.bootstrap import Journeys
from domain.errors import DomainError
from domain.rules.special_rules import ClinicianRole
from domain.special_rules import SpecialRulesCase, Sr1Evidence, special_rules_case_id_for
from services.journeys import JourneysApplication

log = logging.getLogger(__name__)

MessageId = str
_MESSAGE_ID = Field(min_length=1, max_length=200, pattern=r"^\S+$")


class DeathNotificationV1(BaseModel):
    """A Tell Us Once death notification (version 1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Literal[1]
    message_id: MessageId = _MESSAGE_ID
    tuo_reference: str = Field(min_length=1, max_length=100)
    nino: str | None = Field(default=None, min_length=1, max_length=20)
    customer_id: UUID | None = None
    date_of_death: date

    @model_validator(mode="after")
    def _one_customer_reference(self) -> DeathNotificationV1:
        if (self.nino is None) == (self.customer_id is None):
            raise ValueError("exactly one of nino and customer_id names the customer")
        return self


class Clinician(BaseModel):
    """Who signed the SR1."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    role: ClinicianRole


class Sr1SubmissionV1(BaseModel):
    """An SR1 form submitted for a claim (version 1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Literal[1]
    message_id: MessageId = _MESSAGE_ID
    claim_id: UUID
    received_on: date
    clinician: Clinician
    diagnosed_on: date | None = None
    signed_on: date
    progressive_disease: bool
    death_expected_within_months: int = Field(ge=1, le=120)
    customer_aware: bool = False

    @model_validator(mode="after")
    def _diagnosed_before_signed(self) -> Sr1SubmissionV1:
        if self.diagnosed_on is not None and self.diagnosed_on > self.signed_on:
            raise ValueError("diagnosed_on is after signed_on")
        return self

    def evidence(self) -> Sr1Evidence:
        """The form as the domain records it (the diagnosis date is checked, not kept)."""
        return Sr1Evidence(
            signer_role=self.clinician.role,
            signer_name=self.clinician.name,
            signed_on=self.signed_on,
            progressive_disease=self.progressive_disease,
            death_expected_within_months=self.death_expected_within_months,
        )


class Verdict(enum.Enum):
    """What became of one message."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    DEAD_LETTER = "dead_letter"


@dataclass(frozen=True)
class Outcome:
    """One message's verdict: its id when it parsed, the log position or the reason."""

    verdict: Verdict
    message_id: str | None = None
    position: int | None = None
    reason: str | None = None
    error: str | None = None


def _dead(message_id: str | None, error: Exception | str, kind: str | None = None) -> Outcome:
    reason = str(error)
    if isinstance(error, ValidationError):
        reason = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or 'message'}: {item['msg']}"
            for item in error.errors(include_url=False)
        )
    name = kind or (type(error).__name__ if isinstance(error, Exception) else "Invalid")
    return Outcome(Verdict.DEAD_LETTER, message_id, reason=reason, error=name)


class InboundHandler:
    """Turns one topic's raw messages into commands: applied, duplicate or dead letter.

    Anything other than a malformed message or a domain refusal (the database away, a
    conflict that outlasted the retries) propagates: the consumer must not commit past it.
    """

    def __init__(self, application: JourneysApplication) -> None:
        self.application = application

    def death_notification(self, raw: bytes) -> Outcome:
        """Apply a death notification (once: see the module's notes)."""
        try:
            message = DeathNotificationV1.model_validate_json(raw)
        except ValidationError as error:
            return _dead(None, error)
        try:
            customer = (
                self.application.customer(message.customer_id)
                if message.customer_id is not None
                else self.application.customer_by_nino(message.nino or "")
            )
        except DomainError as error:
            return _dead(message.message_id, error)
        if customer.deceased:
            return self._death_already_recorded(message, customer.id)
        try:
            recorded = self.application.notify_death(
                customer.id, message.date_of_death, message.tuo_reference
            )
        except DomainError as error:
            # Perhaps another delivery of this very notification got there first.
            done = self._death_already_recorded(message, customer.id)
            return done if done.verdict is Verdict.DUPLICATE else _dead(message.message_id, error)
        return Outcome(Verdict.APPLIED, message.message_id, position=recorded.position)

    def _death_already_recorded(self, message: DeathNotificationV1, customer_id: UUID) -> Outcome:
        customer = self.application.customer(customer_id)
        if (
            customer.death_reference == message.tuo_reference
            and customer.date_of_death == message.date_of_death
        ):
            return Outcome(Verdict.DUPLICATE, message.message_id)
        died = customer.date_of_death.isoformat() if customer.date_of_death else "unknown"
        return _dead(
            message.message_id,
            f"the customer's death is already recorded under another notification "
            f"(date of death {died})",
            "DeathAlreadyNotified",
        )

    def sr1_submission(self, raw: bytes) -> Outcome:
        """Record an SR1 submission (once: see the module's notes)."""
        try:
            message = Sr1SubmissionV1.model_validate_json(raw)
            evidence = message.evidence()
        except ValidationError as error:
            return _dead(None, error)
        try:
            claim = self.application.claim(message.claim_id)
        except DomainError as error:
            return _dead(message.message_id, error)
        case_id = special_rules_case_id_for(claim.customer_id)
        if self._sr1_recorded(case_id, message, evidence):
            return Outcome(Verdict.DUPLICATE, message.message_id)
        try:
            recorded = self.application.record_sr1(
                message.claim_id,
                received_on=message.received_on,
                evidence=evidence,
                customer_aware=message.customer_aware,
            )
        except DomainError as error:
            if self._sr1_recorded(case_id, message, evidence):
                return Outcome(Verdict.DUPLICATE, message.message_id)
            return _dead(message.message_id, error)
        return Outcome(Verdict.APPLIED, message.message_id, position=recorded.position)

    def _sr1_recorded(self, case_id: UUID, message: Sr1SubmissionV1, evidence: Sr1Evidence) -> bool:
        for event in self.application.events.get(case_id):
            if (
                isinstance(event, SpecialRulesCase.EvidenceRecorded)
                and event.claim_id == message.claim_id
                and event.evidence == evidence
                and event.effective_date == message.received_on
            ):
                return True
        return False


Handle = Callable[[bytes], Outcome]


def handlers_for(system: Journeys) -> dict[str, Handle]:
    """Each inbound topic of the system's settings, with the handler of its messages."""
    handler = InboundHandler(system.application)
    settings = system.settings
    return {
        settings.kafka_death_notifications_topic: handler.death_notification,
        settings.kafka_sr1_submissions_topic: handler.sr1_submission,
    }
