"""Views served as stored JSON say exactly what their declared response models would have said."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import httpx
from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from adapters.http.schemas import TimelinePage
from projections.model import Page, SelfServiceView, TimelineQuery
from services.clock import SimulatedClock
from tests.api.helpers import Tokens, decided_pip_claim, ok


def as_the_model_sends_it(model: type[Any], response: httpx.Response) -> Any:
    """The body validated by the response model and encoded again, as FastAPI would send it."""
    return model.model_validate_json(response.content).model_dump(mode="json")


def test_the_self_service_view_is_the_documents_json_with_every_field_of_the_model(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    claim = decided_pip_claim(api, tokens, clock)
    params = {"after_position": claim.position}
    path = f"/customers/{claim.customer_id}/self-service"

    for headers in (tokens.customer(claim.customer_id), tokens.caseworker()):
        answer = api.get(path, params=params, headers=headers)
        assert answer.headers["content-type"] == "application/json"
        assert ok(answer) == as_the_model_sends_it(SelfServiceView, answer)
    mine = api.get("/me", params=params, headers=tokens.customer(claim.customer_id))
    assert ok(mine) == as_the_model_sends_it(SelfServiceView, mine)
    stored = journeys.views.read_self_service(claim.customer_id)
    assert stored is not None
    assert ok(mine) == stored.model_dump(mode="json")


def test_a_timeline_page_is_the_stored_entries_with_the_totals_the_model_declares(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    claim = decided_pip_claim(api, tokens, clock)
    path = f"/customers/{claim.customer_id}/timeline"
    query = TimelineQuery(customer_id=claim.customer_id)
    assert journeys.projections.wait_for(claim.position, 5)
    _, total = journeys.views.read_timeline(query, Page(limit=500))
    assert total > 3

    for limit, offset in ((500, 0), (2, 1), (2, total - 1), (5, total + 10)):
        answer = api.get(
            path,
            params={"after_position": claim.position, "limit": limit, "offset": offset},
            headers=tokens.caseworker(),
        )
        page = ok(answer)
        assert answer.headers["content-type"] == "application/json"
        assert page == as_the_model_sends_it(TimelinePage, answer)
        entries, _ = journeys.views.read_timeline(query, Page(limit=limit, offset=offset))
        assert page == {
            "entries": [entry.model_dump(mode="json") for entry in entries],
            "total": total,
            "limit": limit,
            "offset": offset,
        }


def test_an_empty_timeline_page_is_still_a_404_for_an_unknown_customer_or_a_claim_id(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    claim = decided_pip_claim(api, tokens, clock)
    for unknown in (uuid4(), claim.claim_id):
        answer = api.get(
            f"/customers/{unknown}/timeline",
            params={"after_position": claim.position},
            headers=tokens.caseworker(),
        )
        assert answer.status_code == 404, answer.text
    # A known customer whose filters match nothing gets an empty page, not a 404.
    empty = ok(
        api.get(
            f"/customers/{claim.customer_id}/timeline",
            params={"after_position": claim.position, "kind": "No.SuchEvent"},
            headers=tokens.caseworker(),
        )
    )
    assert empty == {"entries": [], "total": 0, "limit": 50, "offset": 0}


def test_the_stored_json_reads_equal_the_model_reads_of_the_view_store(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    claim = decided_pip_claim(api, tokens, clock)
    assert journeys.projections.wait_for(claim.position, 5)
    views = journeys.views

    document = views.read_self_service_json(claim.customer_id)
    assert document is not None
    assert SelfServiceView.model_validate_json(document) == views.read_self_service(
        claim.customer_id
    )
    assert views.read_self_service_json(uuid4()) is None
    query = TimelineQuery(customer_id=claim.customer_id)
    for page in (Page(limit=500), Page(limit=1, offset=2), Page(limit=3, offset=400)):
        texts, total = views.read_timeline_json(query, page)
        entries, model_total = views.read_timeline(query, page)
        assert total == model_total
        assert texts == [entry.model_dump_json() for entry in entries]
