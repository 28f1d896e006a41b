"""Case items of kind special_rules: how this area's events open, change and close them."""

from __future__ import annotations

from uuid import UUID

from projections.projection import LoggedEvent
from projections.store import ViewBatch


def update_special_rules(logged: LoggedEvent, customer_id: UUID | None, batch: ViewBatch) -> None:
    """Open, change or close this area's case items for one event (others are ignored)."""
