"""Legal holds and erasure over HTTP: caseworkers hold and erase; refusals are 409s."""

from __future__ import annotations

from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from tests.api.helpers import Tokens, accepted, ok, register
from tests.integration.helpers import nothing_appended

REASON = {"reason": "the customer asked for erasure"}


def test_a_held_customer_cannot_be_erased_until_the_hold_is_lifted_then_reads_erased(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer = register(api, tokens, name="Ada Lovelace")
    held = {"reason": "tribunal case TC/2026/1"}
    accepted(
        api.post(f"/customers/{customer}/legal-hold", json=held, headers=tokens.caseworker()), 201
    )

    with nothing_appended(journeys):
        refused = api.post(
            f"/customers/{customer}/erasure", json=REASON, headers=tokens.caseworker()
        )
    body = ok(refused, 409)
    assert "legal hold is in force" in body["detail"]
    assert body["retryable"] is False

    lifted = {"reason": "the tribunal decided"}
    accepted(
        api.post(
            f"/customers/{customer}/legal-hold/lift", json=lifted, headers=tokens.caseworker()
        ),
        201,
    )
    erased = accepted(
        api.post(f"/customers/{customer}/erasure", json=REASON, headers=tokens.caseworker()), 201
    )
    view = ok(
        api.get(
            f"/customers/{customer}/self-service",
            params={"after_position": erased.position},
            headers=tokens.customer(customer),
        )
    )
    assert view["name"] == "[erased]"
    timeline = ok(
        api.get(
            f"/customers/{customer}/timeline",
            params={"after_position": erased.position},
            headers=tokens.caseworker(),
        )
    )
    summaries = [entry["summary"] for entry in timeline["entries"]]
    assert summaries[0] == "Registered (date of birth [erased])"
    assert "Ada Lovelace" not in str(timeline)
    assert "1985-03-14" not in str(timeline)

    again = api.post(f"/customers/{customer}/erasure", json=REASON, headers=tokens.caseworker())
    assert "already erased" in ok(again, 409)["detail"]


def test_customers_and_auditors_can_neither_hold_nor_erase(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer = register(api, tokens)
    with nothing_appended(journeys):
        for path in ("legal-hold", "legal-hold/lift", "erasure"):
            for headers in (tokens.auditor(), tokens.customer(customer)):
                answer = api.post(f"/customers/{customer}/{path}", json=REASON, headers=headers)
                assert answer.status_code == 403, (path, answer.text)
