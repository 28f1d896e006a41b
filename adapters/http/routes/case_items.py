"""Case items: the caseworker worklists of Special Rules cases, contacts and safeguarding.

Items are read against today's date: `at_risk` and `overdue` are worked out on every read,
so a worklist is right on the day it is read, not the day the item last changed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from adapters.http.auth import Principal, Role
from adapters.http.deps import AfterPosition, Limit, Offset, System, wait_for_views
from adapters.http.disclosure import (
    CaseItemNotFound,
    CaseworkerOrAuditorReads,
    CaseworkerReadsList,
    Discloses,
    customer_of_case_item,
)
from projections.model import CaseItem, CaseItemKind, CaseItemQuery, Page

router = APIRouter(tags=["case-items"])


class CaseItemOnDay(BaseModel):
    """A case item as read today: whether it is at risk of missing its date, or past it."""

    item: CaseItem
    at_risk: bool = Field(description="open, on or after at_risk_from, and not yet overdue")
    overdue: bool = Field(description="open and past its due date")


class CaseItemPage(BaseModel):
    """A page of case items, soonest due first, read on a day."""

    today: date
    kind: CaseItemKind | None
    items: list[CaseItemOnDay]
    at_risk: int = Field(description="items on this page at risk")
    overdue: int = Field(description="items on this page overdue")
    total: int
    limit: int
    offset: int


def _page(journeys: System, query: CaseItemQuery, limit: int, offset: int) -> CaseItemPage:
    today = journeys.clock.today()
    found, total = journeys.views.read_case_items(query, Page(limit=limit, offset=offset))
    items = [
        CaseItemOnDay(item=item, at_risk=item.at_risk(today), overdue=item.overdue(today))
        for item in found
    ]
    return CaseItemPage(
        today=today,
        kind=query.kind,
        items=items,
        at_risk=sum(item.at_risk for item in items),
        overdue=sum(item.overdue for item in items),
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/worklists/safeguarding/{kind}")
def case_item_worklist(
    kind: CaseItemKind,
    principal: CaseworkerReadsList,
    journeys: System,
    due_before: Annotated[date | None, Query(description="only items due before this day")] = None,
    include_closed: Annotated[
        bool, Query(description="also list items no longer open (newest state of each)")
    ] = False,
    limit: Limit = 50,
    offset: Offset = 0,
    after_position: AfterPosition = None,
) -> CaseItemPage:
    """Open items of one kind, soonest due first, each marked at risk or overdue today."""
    wait_for_views(journeys, after_position)
    query = CaseItemQuery(kind=kind, open=None if include_closed else True, due_before=due_before)
    return _page(journeys, query, limit, offset)


@router.get("/customers/{customer_id}/case-items")
def customer_case_items(
    customer_id: UUID,
    principal: CaseworkerOrAuditorReads,
    journeys: System,
    kind: Annotated[CaseItemKind | None, Query(description="only items of this kind")] = None,
    open_only: Annotated[bool, Query(description="only items still open")] = False,
    limit: Limit = 50,
    offset: Offset = 0,
    after_position: AfterPosition = None,
) -> CaseItemPage:
    """Every case item about one customer (open and closed), soonest due first."""
    wait_for_views(journeys, after_position)
    query = CaseItemQuery(kind=kind, customer_id=customer_id, open=True if open_only else None)
    page = _page(journeys, query, limit, offset)
    if page.total == 0:
        journeys.application.customer(customer_id)  # 404 for an unknown customer
    return page


@router.get("/case-items/{item_id}")
def case_item(
    item_id: UUID,
    principal: Annotated[
        Principal,
        Depends(Discloses(Role.CASEWORKER, Role.AUDITOR, customer=customer_of_case_item)),
    ],
    journeys: System,
    after_position: AfterPosition = None,
) -> CaseItemOnDay:
    """One case item, read today."""
    wait_for_views(journeys, after_position)
    item = journeys.views.read_case_item(item_id)
    if item is None:
        raise CaseItemNotFound(f"no case item with id {item_id}")
    today = journeys.clock.today()
    return CaseItemOnDay(item=item, at_risk=item.at_risk(today), overdue=item.overdue(today))
