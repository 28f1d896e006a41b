"""The dispatcher's index of queued contacts: open contact case items, brought up to date first."""

from __future__ import annotations

from collections.abc import Sequence

from projections.case_items import CaseItemProjection
from projections.model import CaseItemKind, CaseItemQuery, Page
from projections.runner import ProjectionRunner
from projections.store import ViewStore
from services.outbox import QueuedContact, QueuedContactIndex


class ViewQueuedContacts(QueuedContactIndex):
    """Reads queued contacts from the case-item view after applying the log to it.

    The view cannot make a message go twice or after a death: dispatching checks the
    Customer, not the view.
    """

    def __init__(self, runner: ProjectionRunner, views: ViewStore) -> None:
        self.runner = runner
        self.views = views

    def queued(self, limit: int) -> Sequence[QueuedContact]:
        """Up to `limit` open contact items, after the case-item view has caught up."""
        self.runner.catch_up([CaseItemProjection.name])
        items, _ = self.views.read_case_items(
            CaseItemQuery(kind=CaseItemKind.CONTACT, open=True), Page(limit=min(limit, 500))
        )
        return [
            QueuedContact(customer_id=item.customer_id, contact_id=item.item_id)
            for item in items
            if item.customer_id is not None
        ]
