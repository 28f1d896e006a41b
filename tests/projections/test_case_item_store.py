"""The case-item view store: items upsert by id, list by due date, filter, page, and survive."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from adapters.bootstrap import Journeys
from projections.model import CaseItem, CaseItemKind, CaseItemQuery, Page


def item(
    kind: CaseItemKind, due_on: date | None, *, customer: UUID | None, **more: object
) -> CaseItem:
    """An open item opened on 1 December 2026."""
    fields: dict[str, object] = {
        "item_id": uuid4(),
        "kind": kind,
        "customer_id": customer,
        "status": "open",
        "open": True,
        "opened_on": date(2026, 12, 1),
        "due_on": due_on,
        "title": f"{kind.value} due {due_on}",
        "updated_position": 1,
    }
    fields.update(more)
    return CaseItem.model_validate(fields)


def put(journeys: Journeys, *items: CaseItem) -> None:
    """Write items as one tracked batch of the case_items projection."""
    views = journeys.views
    position = views.position("case_items")
    with views.batch("case_items", position) as batch:
        for each in items:
            batch.put_case_item(each)
        batch.advance_to(position + 1)


def test_case_items_list_soonest_due_first_with_undated_ones_last_and_filter_by_kind(
    journeys: Journeys,
) -> None:
    journeys.projections.catch_up()
    alice, bob = uuid4(), uuid4()
    undated = item(CaseItemKind.CONCERN, None, customer=alice)
    late = item(CaseItemKind.CONCERN, date(2026, 12, 9), customer=bob)
    soon = item(CaseItemKind.CONCERN, date(2026, 12, 3), customer=alice)
    other_kind = item(CaseItemKind.LUMP_SUM, date(2026, 12, 2), customer=alice)
    about_a_policy = item(CaseItemKind.CONCERN, date(2026, 12, 5), customer=None)
    put(journeys, undated, late, soon, other_kind, about_a_policy)

    concerns, total = journeys.views.read_case_items(
        CaseItemQuery(kind=CaseItemKind.CONCERN), Page()
    )
    assert [c.item_id for c in concerns] == [
        soon.item_id,
        about_a_policy.item_id,
        late.item_id,
        undated.item_id,
    ]
    assert total == 4

    alices, total = journeys.views.read_case_items(CaseItemQuery(customer_id=alice), Page())
    assert {c.item_id for c in alices} == {undated.item_id, soon.item_id, other_kind.item_id}
    assert total == 3

    due_soon, total = journeys.views.read_case_items(
        CaseItemQuery(due_before=date(2026, 12, 5)), Page()
    )
    assert [c.item_id for c in due_soon] == [other_kind.item_id, soon.item_id]

    second_page, total = journeys.views.read_case_items(
        CaseItemQuery(kind=CaseItemKind.CONCERN), Page(limit=2, offset=2)
    )
    assert [c.item_id for c in second_page] == [late.item_id, undated.item_id]
    assert total == 4


def test_a_closed_item_replaces_the_open_one_and_leaves_the_open_list(
    journeys: Journeys,
) -> None:
    journeys.projections.catch_up()
    customer = uuid4()
    opened = item(CaseItemKind.SIX_POINT_PLAN, date(2026, 12, 2), customer=customer)
    put(journeys, opened)
    closed = opened.model_copy(
        update={"open": False, "status": "complete", "closed_on": date(2026, 12, 2)}
    )
    put(journeys, closed)

    assert journeys.views.read_case_item(opened.item_id) == closed
    open_items, total = journeys.views.read_case_items(CaseItemQuery(open=True), Page())
    assert open_items == []
    assert total == 0
    everything, total = journeys.views.read_case_items(CaseItemQuery(open=False), Page())
    assert everything == [closed]
    assert total == 1


def test_an_item_is_at_risk_from_its_day_until_it_is_overdue_and_never_once_closed() -> None:
    watched = item(
        CaseItemKind.SPECIAL_RULES,
        date(2026, 12, 4),
        customer=uuid4(),
        at_risk_from=date(2026, 12, 3),
    )
    assert not watched.at_risk(date(2026, 12, 2))
    assert watched.at_risk(date(2026, 12, 3))
    assert watched.at_risk(date(2026, 12, 4))
    assert not watched.overdue(date(2026, 12, 4))
    assert watched.overdue(date(2026, 12, 5))
    assert not watched.at_risk(date(2026, 12, 5))
    done = watched.model_copy(update={"open": False})
    assert not done.at_risk(date(2026, 12, 4))
    assert not done.overdue(date(2026, 12, 9))
