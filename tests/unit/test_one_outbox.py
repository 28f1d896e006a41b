"""Nothing bypasses the outbox: only the write path and send_message queue contacts, and only
the dispatcher (after claiming a contact on the customer) hands messages to a gateway."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    path
    for top in ("domain", "services", "projections", "adapters", "bench")
    for path in (ROOT / top).rglob("*.py")
]


def callers_of(pattern: str) -> set[str]:
    """The source files (relative to the root) that contain the pattern."""
    found = re.compile(pattern)
    return {
        str(path.relative_to(ROOT))
        for path in SOURCES
        if found.search(path.read_text(encoding="utf-8"))
    }


def test_only_the_write_path_and_a_caseworker_message_queue_a_contact() -> None:
    assert callers_of(r"\.queue_contact\(") == {
        "services/implied_contacts.py",
        "services/contacts.py",
    }
    # ... and the Customer records ContactQueued in one place only.
    assert callers_of(r"\._contact_queued\(") == {"domain/customer.py"}


def test_only_the_dispatcher_hands_messages_to_a_gateway_and_only_after_claiming_them() -> None:
    assert callers_of(r"\.deliver\(") == {"services/outbox.py"}
    assert callers_of(r"\.dispatch_contact\(") == {"services/contacts.py", "services/outbox.py"}
    dispatcher = (ROOT / "services" / "outbox.py").read_text(encoding="utf-8")
    assert dispatcher.index(".dispatch_contact(") < dispatcher.index(".deliver(")
