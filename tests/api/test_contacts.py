"""Outbound contact over HTTP: a caseworker's message, and the contacts staff can read."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from services.clock import SimulatedClock
from tests.api.helpers import Tokens, accepted, move_to, ok, problem, register
from tests.integration.helpers import nothing_appended


def test_a_caseworker_message_is_listed_queued_then_sent_and_after_a_death_refused(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    customer = register(api, tokens)
    body = {"subject": "Your appointment", "body": "Please call us on Monday."}
    sent = accepted(
        api.post(f"/customers/{customer}/messages", json=body, headers=tokens.caseworker()), 201
    )
    listed = ok(
        api.get(
            f"/customers/{customer}/contacts",
            params={"after_position": sent.position},
            headers=tokens.auditor(),
        )
    )
    assert [(c["item_id"], c["status"]) for c in listed["contacts"]] == [(str(sent.id), "queued")]
    journeys.outbox.run()

    # Monday 12 January 2026: the death (on 10 January) is notified; a later message is refused.
    move_to(clock, date(2026, 1, 12))
    death = {"date_of_death": "2026-01-10", "reference": "TUO-API"}
    accepted(
        api.post(
            f"/customers/{customer}/death-notification", json=death, headers=tokens.caseworker()
        )
    )
    refused = accepted(
        api.post(f"/customers/{customer}/messages", json=body, headers=tokens.caseworker()), 201
    )
    page = ok(
        api.get(
            f"/customers/{customer}/contacts",
            params={"after_position": refused.position},
            headers=tokens.caseworker(),
        )
    )
    by_id = {c["item_id"]: c for c in page["contacts"]}
    assert page["total"] == 2
    assert by_id[str(sent.id)]["status"] == "sent"
    assert by_id[str(refused.id)]["status"] == "refused"
    assert by_id[str(refused.id)]["details"]["reason"] == (
        "death notified (date of death 2026-01-10): no contact is sent"
    )


def test_customers_cannot_send_or_read_contacts_and_bad_input_appends_nothing(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer = register(api, tokens)
    body = {"subject": "Hi", "body": "Text"}
    own = tokens.customer(customer)
    assert api.post(f"/customers/{customer}/messages", json=body, headers=own).status_code == 403
    assert api.get(f"/customers/{customer}/contacts", headers=own).status_code == 403
    assert (
        api.post(f"/customers/{customer}/messages", json=body, headers=tokens.auditor()).status_code
        == 403
    )
    with nothing_appended(journeys):
        blank = problem(
            api.post(
                f"/customers/{customer}/messages",
                json={"subject": "", "body": "Text"},
                headers=tokens.caseworker(),
            )
        )
        assert blank[0]["loc"] == ["body", "subject"]
        unknown = api.post(f"/customers/{uuid4()}/messages", json=body, headers=tokens.caseworker())
        assert unknown.status_code == 404
    assert api.get(f"/customers/{uuid4()}/contacts", headers=tokens.caseworker()).status_code == 404


def test_a_death_is_notified_once_by_staff_and_a_bad_notification_appends_nothing(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    customer = register(api, tokens)
    move_to(clock, date(2026, 1, 12))
    url = f"/customers/{customer}/death-notification"
    death = {"date_of_death": "2026-01-10", "reference": "TUO-1"}
    with nothing_appended(journeys):
        for who in (tokens.customer(customer), tokens.auditor()):
            assert api.post(url, json=death, headers=who).status_code == 403
        future = api.post(
            url,
            json={**death, "date_of_death": "2026-01-13"},
            headers=tokens.caseworker(),
        )
        assert future.status_code == 422, future.text
        assert "2026-01-13" in future.text
        blank = problem(
            api.post(url, json={**death, "reference": " "}, headers=tokens.caseworker())
        )
        assert blank[0]["loc"] == ["body", "reference"]
        unknown = api.post(
            f"/customers/{uuid4()}/death-notification", json=death, headers=tokens.caseworker()
        )
        assert unknown.status_code == 404

    accepted(api.post(url, json=death, headers=tokens.caseworker()))
    assert journeys.application.customer(customer).deceased

    with nothing_appended(journeys):
        again = api.post(url, json=death, headers=tokens.caseworker())
        assert again.status_code == 422, again.text
        assert again.json()["detail"][0]["type"] == "CustomerDeceased"
