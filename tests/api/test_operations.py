"""Operator endpoints: health, projection positions and lag, and Prometheus metrics."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from adapters.bootstrap import Journeys
from services.clock import SimulatedClock
from tests.api.helpers import Tokens, accepted, decided_pip_claim, ok, registered
from tests.integration.helpers import log_position

PROJECTIONS = {
    "self_service",
    "timeline",
    "worklists",
    "decision_ledger",
    "deadlines",
    "transitions",
    "case_items",
    "disclosures",
}


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """The samples of one metric, by their sorted labels."""
    found: dict[tuple[tuple[str, str], ...], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def test_health_says_ok_and_how_far_each_projection_has_got(
    api: TestClient, tokens: Tokens, clock: SimulatedClock, journeys: Journeys
) -> None:
    claim = decided_pip_claim(api, tokens, clock)
    ok(
        api.get(
            "/me",
            params={"after_position": claim.position},
            headers=tokens.customer(claim.customer_id),
        )
    )

    health = ok(api.get("/health"))

    assert health == {
        "status": "ok",
        "log_position": log_position(journeys),
        "projections": dict.fromkeys(PROJECTIONS, claim.position),
    }


def test_health_is_a_503_when_a_store_does_not_answer(
    api: TestClient, journeys: Journeys, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*_: Any) -> Any:
        raise ConnectionError("no route to host")

    monkeypatch.setattr(journeys.projections.log, "last_position", unreachable)

    answer = api.get("/health")

    assert answer.status_code == 503
    assert answer.json()["detail"] == "a store does not answer: ConnectionError"


def test_projections_report_their_lag_behind_the_log_and_catch_up(
    idle_api: TestClient, idle_journeys: Journeys
) -> None:
    tokens = Tokens(idle_journeys)
    customer = registered(idle_api, tokens)
    accepted(
        idle_api.post(
            f"/customers/{customer.id}/changes",
            json={"effective_date": "2026-01-05", "description": "Moved"},
            headers=tokens.customer(customer.id),
        ),
        201,
    )

    behind = ok(idle_api.get("/projections"))

    assert {p["name"] for p in behind} == PROJECTIONS
    for projection in behind:
        assert (projection["position"], projection["log_position"], projection["lag"]) == (0, 2, 2)
    lag = samples(idle_api.get("/metrics").text, "journeys_projection_lag_events")
    assert lag == {(("projection", name),): 2.0 for name in PROJECTIONS}

    idle_journeys.projections.catch_up()

    caught_up = ok(idle_api.get("/projections"))
    assert [(p["position"], p["lag"]) for p in caught_up] == [(2, 0)] * len(PROJECTIONS)
    positions = samples(idle_api.get("/metrics").text, "journeys_projection_position")
    assert set(positions.values()) == {2.0}
    assert ok(idle_api.get("/health"))["projections"] == dict.fromkeys(PROJECTIONS, 2)


def test_metrics_count_requests_by_route_template_and_status(
    api: TestClient, tokens: Tokens
) -> None:
    customer = registered(api, tokens)
    me = tokens.customer(customer.id)
    for _ in range(2):
        ok(
            api.get(
                f"/customers/{customer.id}/self-service",
                params={"after_position": customer.position},
                headers=me,
            )
        )
    api.get(f"/customers/{customer.id}/self-service")  # no token: 401
    api.get("/no/such/route")

    exposition = api.get("/metrics")

    assert exposition.status_code == 200
    assert exposition.headers["content-type"].startswith("text/plain")
    text = exposition.text
    requests = samples(text, "journeys_http_requests_total")
    view = "/customers/{customer_id}/self-service"
    assert requests[(("method", "GET"), ("route", view), ("status", "200"))] == 2.0
    assert requests[(("method", "GET"), ("route", view), ("status", "401"))] == 1.0
    assert requests[(("method", "POST"), ("route", "/customers"), ("status", "201"))] == 1.0
    assert requests[(("method", "GET"), ("route", "unmatched"), ("status", "404"))] == 1.0
    assert str(customer.id) not in text  # routes, never raw paths with record ids
    latency = samples(text, "journeys_http_request_seconds_count")
    assert latency[(("method", "GET"), ("route", view))] == 3.0
    assert re.search(r'^journeys_projection_lag_events\{projection="timeline"\} ', text, re.M)


def test_operational_endpoints_need_no_token_and_reveal_no_personal_data(
    api: TestClient, tokens: Tokens
) -> None:
    customer = registered(api, tokens, name="Ada Lovelace")
    ok(
        api.get(
            "/me",
            params={"after_position": customer.position},
            headers=tokens.customer(customer.id),
        )
    )

    for path in ("/health", "/projections", "/metrics"):
        answer = api.get(path)
        assert answer.status_code == 200, path
        assert "Lovelace" not in answer.text
        assert str(customer.id) not in answer.text
