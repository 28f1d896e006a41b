"""Safeguarding over HTTP: caseworker commands, their case items, and nothing for the customer.

Customers get 403 on every safeguarding command, and their own view (GET /me) never shows a
concern, a six-point plan, a lump sum hold or a serious case referral. Bad input is a 422
naming the field, with nothing appended.
"""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from services.clock import SimulatedClock
from tests.api.helpers import (
    Accepted,
    Headers,
    Json,
    Tokens,
    accepted,
    fields_named,
    move_to,
    ok,
    register,
    start_claim,
)
from tests.integration.helpers import nothing_appended

JAN_5 = date(2026, 1, 5)  # the clock starts here (tests/conftest.py)


def post(api: TestClient, path: str, body: Json, headers: Headers, status: int = 200) -> Accepted:
    """A command that must be accepted with `status`."""
    return accepted(api.post(path, json=body, headers=headers), status)


def case_item(api: TestClient, tokens: Tokens, item_id: UUID, position: int) -> Json:
    """The case item once the views reached a position."""
    page: Json = ok(
        api.get(
            f"/case-items/{item_id}",
            params={"after_position": position},
            headers=tokens.caseworker(),
        )
    )
    return page


def self_service(api: TestClient, tokens: Tokens, customer_id: UUID, position: int) -> str:
    """The customer's own view, as JSON text, once the views reached a position."""
    view = ok(
        api.get("/me", params={"after_position": position}, headers=tokens.customer(customer_id))
    )
    return json.dumps(view)


def worklist(api: TestClient, tokens: Tokens, kind: str) -> list[str]:
    """The ids on a safeguarding worklist (open items)."""
    page = ok(api.get(f"/worklists/safeguarding/{kind}", headers=tokens.caseworker()))
    return [entry["item"]["item_id"] for entry in page["items"]]


def test_a_concern_is_raised_reassigned_and_closed_and_the_customer_never_sees_it(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    customer = register(api, tokens)
    raised = post(
        api,
        "/concerns",
        {
            "customer_id": str(customer),
            "description": "Mentioned being evicted next week",
            "owner": "TL-12",
            "due_on": "2026-01-12",
            "raised_on": "2026-01-05",
        },
        tokens.caseworker("CW-9"),
        201,
    )
    opened = case_item(api, tokens, raised.id, raised.position)
    assert opened["item"]["kind"] == "concern"
    assert opened["item"]["owner"] == "TL-12"
    assert opened["item"]["details"]["raised_by"] == "CW-9"
    assert str(raised.id) in worklist(api, tokens, "concern")

    move_to(clock, date(2026, 1, 13))
    overdue = case_item(api, tokens, raised.id, raised.position)
    assert overdue["overdue"] is True
    post(
        api,
        f"/concerns/{raised.id}/owner",
        {"owner": "TL-14", "reason": "Housing specialist", "reassigned_on": "2026-01-13"},
        tokens.caseworker(),
    )
    closed = post(
        api,
        f"/concerns/{raised.id}/outcome",
        {"outcome": "Referred to the council housing team", "recorded_on": "2026-01-13"},
        tokens.caseworker(),
    )

    done = case_item(api, tokens, raised.id, closed.position)
    assert done["item"]["open"] is False
    assert done["item"]["owner"] == "TL-14"
    assert done["overdue"] is False
    assert str(raised.id) not in worklist(api, tokens, "concern")
    seen = self_service(api, tokens, customer, closed.position)
    for secret in ("evicted", "TL-12", "TL-14", "housing", "oncern", str(raised.id)):
        assert secret not in seen


def test_a_held_lump_sum_needs_a_second_colleague_over_http(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer = register(api, tokens)
    marker = {
        "marker": {"need": "literacy", "duration": "long_term"},
        "effective_date": "2026-01-05",
    }
    post(api, f"/customers/{customer}/support-markers", marker, tokens.caseworker(), 201)
    claim = start_claim(api, tokens.caseworker(), customer, benefit="UC")
    proposal = {
        "amount_pence": 620_000,
        "period_from": "2025-03-01",
        "period_to": "2025-12-31",
        "proposed_on": "2026-01-05",
    }
    held = post(api, f"/claims/{claim.id}/lump-sums", proposal, tokens.caseworker("CW-1"), 201)

    item = case_item(api, tokens, held.id, held.position)["item"]
    assert item["status"] == "held"  # £6,200 to a customer with a marker
    assert str(held.id) in worklist(api, tokens, "lump_sum")

    release = {
        "check_note": "Checked with the customer's support worker",
        "released_on": "2026-01-05",
    }
    with nothing_appended(journeys):
        same = api.post(
            f"/lump-sums/{held.id}/release", json=release, headers=tokens.caseworker("CW-1")
        )
    assert same.status_code == 422
    released = post(api, f"/lump-sums/{held.id}/release", release, tokens.caseworker("CW-2"))

    after = case_item(api, tokens, held.id, released.position)["item"]
    assert (after["open"], after["status"]) == (False, "released")
    assert after["details"]["released_by"] == "CW-2"
    seen = self_service(api, tokens, customer, released.position)
    assert "6,200" not in seen
    assert "support worker" not in seen


def test_a_six_point_plan_and_a_serious_case_over_http_stay_out_of_the_customer_view(
    api: TestClient, tokens: Tokens
) -> None:
    customer = register(api, tokens)
    plan = post(
        api,
        f"/customers/{customer}/six-point-plans",
        {"statement": "Said they had a plan to end their life", "made_on": "2026-01-05"},
        tokens.caseworker(),
        201,
    )
    steps: list[Json] = [
        {"step": "taken_seriously", "note": "stayed calm"},
        {"step": "colleague_summoned", "note": "TL came over"},
        {
            "step": "information_gathered",
            "note": "asked directly",
            "details": {
                "what": "overdose",
                "when": "this week",
                "means": "tablets",
                "urgent": False,
            },
        },
        {"step": "referral_advice_given", "note": "Samaritans and GP"},
    ]
    last = plan
    for step in steps:
        body = {**step, "done_by": "CW-104", "done_on": "2026-01-05"}
        last = post(api, f"/six-point-plans/{plan.id}/steps", body, tokens.caseworker())
    waiting = case_item(api, tokens, plan.id, last.position)["item"]
    assert waiting["status"] == "awaiting_line_manager_review"
    assert str(plan.id) in worklist(api, tokens, "six_point_plan")

    referral = post(
        api,
        f"/customers/{customer}/serious-case-referrals",
        {"reason": "Repeated missed safeguarding flags", "referred_on": "2026-01-05"},
        tokens.caseworker(),
        201,
    )
    recommended = post(
        api,
        f"/serious-case-referrals/{referral.id}/recommendations",
        {
            "text": "Train the team",
            "owner": "OPS-4",
            "due_on": "2026-02-27",
            "made_on": "2026-01-05",
        },
        tokens.caseworker(),
        201,
    )
    item = case_item(api, tokens, referral.id, recommended.position)["item"]
    assert (item["kind"], item["due_on"], item["owner"]) == ("serious_case", "2026-02-27", "OPS-4")
    refused = api.post(
        f"/serious-case-referrals/{referral.id}/closure",
        json={"summary": "early", "closed_on": "2026-01-05"},
        headers=tokens.caseworker(),
    )
    assert refused.status_code == 422
    post(
        api,
        f"/serious-case-referrals/{referral.id}/recommendations/1/completion",
        {"outcome": "Training delivered", "completed_on": "2026-01-05"},
        tokens.caseworker(),
    )
    closed = post(
        api,
        f"/serious-case-referrals/{referral.id}/closure",
        {"summary": "Done", "closed_on": "2026-01-05"},
        tokens.caseworker(),
    )
    assert case_item(api, tokens, referral.id, closed.position)["item"]["open"] is False

    seen = self_service(api, tokens, customer, closed.position).lower()
    for secret in ("end their life", "tablets", "samaritans", "panel", "referral", "train"):
        assert secret not in seen


def _routes(customer: UUID, claim: UUID) -> list[tuple[str, Json]]:
    some = uuid4()
    return [
        (
            "/concerns",
            {
                "customer_id": str(customer),
                "description": "d",
                "owner": "o",
                "due_on": "2026-01-05",
                "raised_on": "2026-01-05",
            },
        ),
        (f"/concerns/{some}/owner", {"owner": "o", "reason": "r", "reassigned_on": "2026-01-05"}),
        (f"/concerns/{some}/outcome", {"outcome": "o", "recorded_on": "2026-01-05"}),
        (f"/customers/{customer}/six-point-plans", {"statement": "s", "made_on": "2026-01-05"}),
        (
            f"/six-point-plans/{some}/steps",
            {"step": "taken_seriously", "done_by": "a", "done_on": "2026-01-05", "note": "n"},
        ),
        (
            f"/claims/{claim}/lump-sums",
            {
                "amount_pence": 1,
                "period_from": "2025-01-01",
                "period_to": "2025-01-31",
                "proposed_on": "2026-01-05",
            },
        ),
        (f"/lump-sums/{some}/release", {"check_note": "c", "released_on": "2026-01-05"}),
        (
            f"/customers/{customer}/serious-case-referrals",
            {"reason": "r", "referred_on": "2026-01-05"},
        ),
        (
            f"/serious-case-referrals/{some}/recommendations",
            {"text": "t", "owner": "o", "due_on": "2026-01-05", "made_on": "2026-01-05"},
        ),
        (
            f"/serious-case-referrals/{some}/recommendations/1/completion",
            {"outcome": "o", "completed_on": "2026-01-05"},
        ),
        (f"/serious-case-referrals/{some}/closure", {"summary": "s", "closed_on": "2026-01-05"}),
    ]


def test_customers_and_auditors_are_refused_every_safeguarding_command(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer = register(api, tokens)
    claim = start_claim(api, tokens.caseworker(), customer).id
    for path, body in _routes(customer, claim):
        with nothing_appended(journeys):
            as_customer = api.post(path, json=body, headers=tokens.customer(customer))
            as_auditor = api.post(path, json=body, headers=tokens.auditor())
        assert as_customer.status_code == 403, path
        assert as_auditor.status_code == 403, path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "   "}, "description"),
        ({"owner": ""}, "owner"),
        ({"due_on": "2026-01-04"}, "due_on"),
        ({"raised_on": "2026-01-06"}, "raised_on"),
        ({"customer_id": None}, "policy"),
        ({"policy": "Home visits"}, "policy"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_concern_is_a_422_naming_the_field_and_appends_nothing(
    api: TestClient, tokens: Tokens, journeys: Journeys, change: Json, field: str
) -> None:
    customer = register(api, tokens)
    body = {
        "customer_id": str(customer),
        "description": "worried",
        "owner": "TL-1",
        "due_on": "2026-01-12",
        "raised_on": "2026-01-05",
        **change,
    }
    with nothing_appended(journeys):
        response = api.post("/concerns", json=body, headers=tokens.caseworker())

    assert response.status_code == 422
    assert field in fields_named(response)


def test_bad_plan_steps_and_lump_sums_are_422s_naming_the_field(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer = register(api, tokens)
    plan = post(
        api,
        f"/customers/{customer}/six-point-plans",
        {"statement": "s", "made_on": "2026-01-05"},
        tokens.caseworker(),
        201,
    ).id
    claim = start_claim(api, tokens.caseworker(), customer).id
    step = {"done_by": "CW-1", "done_on": "2026-01-05", "note": "n"}
    lump = {"period_from": "2025-01-01", "period_to": "2025-01-31", "proposed_on": "2026-01-05"}
    attempts: list[tuple[str, Json, str]] = [
        (f"/six-point-plans/{plan}/steps", {**step, "step": "colleague_summoned"}, "step"),
        (f"/six-point-plans/{plan}/steps", {**step, "step": "jumped"}, "step"),
        (
            f"/six-point-plans/{plan}/steps",
            {**step, "step": "taken_seriously", "note": " "},
            "note",
        ),
        (
            f"/six-point-plans/{plan}/steps",
            {
                **step,
                "step": "taken_seriously",
                "details": {"what": "x", "when": "y", "means": " ", "urgent": True},
            },
            "means",
        ),
        (f"/claims/{claim}/lump-sums", {**lump, "amount_pence": 0}, "amount_pence"),
        (f"/claims/{claim}/lump-sums", {**lump, "amount_pence": 10.5}, "amount_pence"),
        (
            f"/claims/{claim}/lump-sums",
            {**lump, "amount_pence": 100, "period_to": "2024-12-31"},
            "period_to",
        ),
    ]
    for path, body, field in attempts:
        with nothing_appended(journeys):
            response = api.post(path, json=body, headers=tokens.caseworker())
        assert response.status_code == 422, (path, body, response.text)
        assert field in fields_named(response), (body, response.text)


def test_unknown_safeguarding_records_are_404(api: TestClient, tokens: Tokens) -> None:
    nobody = uuid4()
    for path, body in _routes(nobody, nobody):
        response = api.post(path, json=body, headers=tokens.caseworker())
        assert response.status_code == 404, (path, response.text)
