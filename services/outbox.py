"""The outbox dispatcher: releases queued contacts to the gateway, never after a death.

Each queued contact is first claimed on the Customer (ContactSent, saved with optimistic
concurrency), and only then handed to the gateway: a death notified at the same moment makes
one of the two saves conflict, so a message either went before the death was recorded or is
refused (ContactRefused) and never reaches the gateway.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from domain.errors import ContactNotQueued, DomainError
from services.contact_gateway import ContactGateway
from services.contacts import ContactUseCases
from services.errors import ConcurrentUpdate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueuedContact:
    """A contact waiting in the outbox."""

    customer_id: UUID
    contact_id: UUID


class QueuedContactIndex(ABC):
    """Finds contacts still queued, oldest first (a view that follows the log)."""

    @abstractmethod
    def queued(self, limit: int) -> Sequence[QueuedContact]:
        """Up to `limit` queued contacts."""


@dataclass
class OutboxRun:
    """What one run of the dispatcher did."""

    sent: list[QueuedContact] = field(default_factory=list)
    refused: list[QueuedContact] = field(default_factory=list)
    already_done: list[QueuedContact] = field(default_factory=list)
    failed: list[tuple[QueuedContact, str]] = field(default_factory=list)


class OutboxDispatcher:
    """Claims each queued contact, then delivers it through the gateway."""

    def __init__(
        self,
        application: ContactUseCases,
        index: QueuedContactIndex,
        gateway: ContactGateway,
        page_size: int = 500,
    ) -> None:
        self.application = application
        self.index = index
        self.gateway = gateway
        self.page_size = page_size

    def run(self) -> OutboxRun:
        """Release every queued contact once; one that fails is reported and tried next run."""
        run = OutboxRun()
        attempted: set[UUID] = set()
        while True:
            page = self.index.queued(self.page_size + len(run.failed))
            due = [c for c in page if c.contact_id not in attempted]
            if not due:
                return run
            for contact in due:
                attempted.add(contact.contact_id)
                self._dispatch(contact, run)

    def _dispatch(self, contact: QueuedContact, run: OutboxRun) -> None:
        try:
            message = self.application.dispatch_contact(contact.customer_id, contact.contact_id)
        except ContactNotQueued:
            run.already_done.append(contact)  # another dispatcher got there first
            return
        except (DomainError, ConcurrentUpdate) as error:
            log.warning("contact %s not dispatched: %s", contact.contact_id, error)
            run.failed.append((contact, str(error)))
            return
        if message is None:
            run.refused.append(contact)
            return
        try:
            self.gateway.deliver(contact.customer_id, message)
        except OSError as error:
            # Claimed but not handed over: at most once, never after a death. The failure is
            # logged for the print house to chase; the contact stays recorded as sent.
            log.error("contact %s claimed but not delivered: %s", contact.contact_id, error)
            run.failed.append((contact, f"not delivered: {error}"))
            return
        run.sent.append(contact)

    def follow(
        self,
        stop: threading.Event,
        interval: float,
        on_run: Callable[[OutboxRun], None] | None = None,
    ) -> None:
        """Run every `interval` seconds until `stop` is set (the outbox worker)."""
        while not stop.is_set():
            try:
                run = self.run()
            except Exception:  # keep the worker alive: a database blip must not stop the outbox
                log.exception("outbox run failed; trying again after the interval")
            else:
                if on_run is not None:
                    on_run(run)
            stop.wait(interval)
