"""The case-item reads: worklists by kind read on the day, a customer's items, one item."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from projections.model import CaseItemKind
from services.clock import SimulatedClock
from tests.api.helpers import Json, Tokens, move_to, ok, register
from tests.projections.test_case_item_store import item, put


def test_the_worklist_marks_items_at_risk_and_overdue_on_the_day_it_is_read(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    customer = register(api, tokens)
    journeys.projections.catch_up()
    # Target Friday 5 June 2026; at risk from Thursday 4 June.
    watched = item(
        CaseItemKind.SPECIAL_RULES,
        date(2026, 6, 5),
        customer=customer,
        at_risk_from=date(2026, 6, 4),
    )
    put(journeys, watched)

    def read_on(day: date) -> Json:
        move_to(clock, day)
        page: Json = ok(
            api.get("/worklists/safeguarding/special_rules", headers=tokens.caseworker())
        )
        return page

    wednesday = read_on(date(2026, 6, 3))
    assert wednesday["total"] == 1
    assert wednesday["at_risk"] == 0
    assert wednesday["overdue"] == 0
    thursday = read_on(date(2026, 6, 4))
    assert thursday["at_risk"] == 1
    assert thursday["today"] == "2026-06-04"
    saturday = read_on(date(2026, 6, 6))
    assert saturday["at_risk"] == 0
    assert saturday["overdue"] == 1
    (only,) = saturday["items"]
    assert only["item"]["item_id"] == str(watched.item_id)
    assert only["overdue"] is True

    mine = ok(api.get(f"/customers/{customer}/case-items", headers=tokens.auditor()))
    assert [i["item"]["item_id"] for i in mine["items"]] == [str(watched.item_id)]
    one = ok(api.get(f"/case-items/{watched.item_id}", headers=tokens.caseworker()))
    assert one["item"]["title"] == watched.title
    assert one["overdue"] is True


def test_customers_never_read_case_items_and_unknown_ones_are_404(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer = register(api, tokens)
    journeys.projections.catch_up()
    concern = item(CaseItemKind.CONCERN, date(2026, 12, 9), customer=customer)
    put(journeys, concern)
    as_customer = tokens.customer(customer)
    for path in (
        "/worklists/safeguarding/concern",
        f"/customers/{customer}/case-items",
        f"/case-items/{concern.item_id}",
    ):
        assert api.get(path, headers=as_customer).status_code == 403, path
    assert api.get(f"/case-items/{uuid4()}", headers=tokens.caseworker()).status_code == 404
    assert (
        api.get(f"/customers/{uuid4()}/case-items", headers=tokens.caseworker()).status_code == 404
    )
    assert (
        api.get("/worklists/safeguarding/nonsense", headers=tokens.caseworker()).status_code == 422
    )
