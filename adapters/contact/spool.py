"""The real contact gateway: a spool directory the print and notify house collects from."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from uuid import UUID

from domain.contacts import OutboundMessage
from services.contact_gateway import ContactGateway


class SpoolGateway(ContactGateway):
    """Writes one JSON file per message, named by its contact id; a second write is a no-op."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_of(self, contact_id: UUID) -> Path:
        """Where a contact's file lives."""
        return self.directory / f"{contact_id}.json"

    def deliver(self, customer_id: UUID, message: OutboundMessage) -> None:
        """Write the message's file atomically (a reader never sees half a message)."""
        target = self.path_of(message.contact_id)
        if target.exists():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        document = {"customer_id": str(customer_id), **message.model_dump(mode="json")}
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(document, file, indent=2, sort_keys=True)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def withdraw(self, customer_id: UUID) -> int:
        """Delete the customer's files still in the spool: they quote personal data."""
        withdrawn = 0
        for path in sorted(self.directory.glob("*.json")):
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                continue  # collected meanwhile
            if document.get("customer_id") == str(customer_id):
                path.unlink(missing_ok=True)
                withdrawn += 1
        return withdrawn

    def delivered(self) -> list[dict[str, object]]:
        """Every message in the spool (for operators and tests), oldest file name first."""
        return [
            json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(self.directory.glob("*.json"))
        ]
