"""Read-your-writes: a command says where in the log it landed; a read can wait for it."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from services.clock import SimulatedClock
from tests.api.helpers import (
    Tokens,
    accepted,
    decided_pip_claim,
    fields_named,
    issue_questionnaire,
    ok,
    registered,
    start_claim,
)
from tests.integration.helpers import log_position


def test_every_command_answers_with_the_log_position_it_reached(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer = registered(api, tokens)
    assert customer.position == log_position(journeys)

    claim = start_claim(api, tokens.customer(customer.id), customer.id)
    # Starting a claim stores two events (the claim and the customer's link to it).
    assert claim.position == log_position(journeys) == customer.position + 2

    issued = issue_questionnaire(api, tokens, claim.id, journeys.clock.today())
    assert issued.id == claim.id
    # The questionnaire and its letter, queued on the customer in the same save.
    assert issued.position == log_position(journeys) == claim.position + 2


def test_a_read_after_a_commands_position_includes_that_command(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    claim = decided_pip_claim(api, tokens, clock)
    after = {"after_position": claim.position}

    me = ok(api.get("/me", params=after, headers=tokens.customer(claim.customer_id)))
    assert me["position"] == claim.position
    assert me["claims"][0]["status"] == "awarded"

    timeline = ok(
        api.get(
            f"/customers/{claim.customer_id}/timeline", params=after, headers=tokens.caseworker()
        )
    )
    # The decision letter is stored with the decision, after it: the command's position.
    assert timeline["entries"][-1]["position"] == claim.position
    assert [entry["kind"] for entry in timeline["entries"][-2:]] == [
        "Claim.AwardDecided",
        "Customer.ContactQueued",
    ]

    ledger = ok(api.get("/audit/decisions", params=after, headers=tokens.auditor()))
    assert ledger["decisions"][-1]["position"] == claim.position - 1

    decisions_due = ok(
        api.get("/worklists/decisions_due", params=after, headers=tokens.caseworker())
    )
    assert decisions_due["items"] == []  # the claim left the list when it was decided


def test_a_read_waiting_for_a_position_the_views_do_not_reach_is_a_503_with_retry_after(
    idle_api: TestClient, idle_journeys: Journeys
) -> None:
    tokens = Tokens(idle_journeys)
    customer = registered(idle_api, tokens)  # stored, but nobody applies it to the views
    position = customer.position
    reads = [
        ("/me", tokens.customer(customer.id)),
        (f"/customers/{customer.id}/self-service", tokens.caseworker()),
        (f"/customers/{customer.id}/timeline", tokens.caseworker()),
        ("/worklists/assessments_due", tokens.caseworker()),
        ("/audit/decisions", tokens.auditor()),
    ]

    for path, headers in reads:
        started = time.monotonic()
        answer = idle_api.get(path, params={"after_position": position}, headers=headers)
        waited = time.monotonic() - started
        assert answer.status_code == 503, (path, answer.text)
        assert answer.headers["Retry-After"] == "1"
        assert f"log position {position}" in answer.json()["detail"]
        assert 0.2 <= waited < 3, (path, waited)

    # Without after_position the stale view answers at once: no such customer yet.
    assert idle_api.get("/me", headers=tokens.customer(customer.id)).status_code == 404

    idle_journeys.projections.catch_up()  # the worker catches up

    for path, headers in reads:
        answer = idle_api.get(path, params={"after_position": position}, headers=headers)
        assert answer.status_code == 200, (path, answer.text)
    view = ok(idle_api.get("/me", headers=tokens.customer(customer.id)))
    assert (view["name"], view["position"]) == ("Ada Lovelace", position)


def test_a_position_already_reached_is_answered_without_waiting(
    idle_api: TestClient, idle_journeys: Journeys
) -> None:
    tokens = Tokens(idle_journeys)
    customer = registered(idle_api, tokens)
    idle_journeys.projections.catch_up()
    later = accepted(
        idle_api.post(
            f"/customers/{customer.id}/changes",
            json={"effective_date": "2026-01-05", "description": "Moved"},
            headers=tokens.customer(customer.id),
        ),
        201,
    )

    earlier = ok(
        idle_api.get(
            "/me",
            params={"after_position": customer.position},
            headers=tokens.customer(customer.id),
        )
    )

    # The view reached the registration, not the change made since: a bounded, honest read.
    assert earlier["position"] == customer.position < later.position
    assert earlier["reported_changes"] == []


def test_a_negative_position_is_refused(api: TestClient, tokens: Tokens) -> None:
    customer = registered(api, tokens)

    refused = api.get("/me", params={"after_position": -1}, headers=tokens.customer(customer.id))

    assert fields_named(refused) == ["after_position"]


def test_a_read_waiting_for_a_position_past_the_end_of_the_log_is_refused_at_once(
    idle_api: TestClient, idle_journeys: Journeys
) -> None:
    tokens = Tokens(idle_journeys)
    customer = registered(idle_api, tokens)

    started = time.monotonic()
    answer = idle_api.get(
        "/me",
        params={"after_position": customer.position + 1},
        headers=tokens.customer(customer.id),
    )

    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["query", "after_position"]
    assert f"past the end of the log ({customer.position})" in answer.json()["detail"][0]["msg"]
    assert time.monotonic() - started < 1  # no wait for the views
