"""The disclosure audit: every staff read of a customer's data is recorded, with its purpose."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from adapters.http.app import ROUTE_MODULES
from adapters.http.disclosure import PURPOSE_HEADER, Discloses
from domain.decisions import decisions_in
from domain.disclosure import Disclosure
from services.clock import SimulatedClock
from tests.api.helpers import (
    AUDITOR,
    CASEWORKER,
    PURPOSE,
    Headers,
    Json,
    Tokens,
    ok,
    problem,
)
from tests.api.test_debts import on_uc, overpaid
from tests.integration.helpers import log_position, nothing_appended

AS_OF = "2026-02-23T12:00:00Z"

# Every route whose principal comes from Discloses: (method, template), the staff roles that
# may read it, and whether the read names one customer (False: a list of many).
STAFF_READS: dict[tuple[str, str], tuple[tuple[str, ...], bool]] = {
    ("GET", "/customers/{customer_id}/self-service"): (("caseworker",), True),
    ("GET", "/customers/{customer_id}/timeline"): (("caseworker", "auditor"), True),
    ("GET", "/customers/{customer_id}/dla-to-pip"): (("caseworker", "auditor"), True),
    ("GET", "/customers/{customer_id}/deadlines"): (("caseworker", "auditor"), True),
    ("GET", "/customers/{customer_id}/special-rules"): (("caseworker", "auditor"), True),
    ("GET", "/customers/{customer_id}/contacts"): (("caseworker", "auditor"), True),
    ("GET", "/customers/{customer_id}/case-items"): (("caseworker", "auditor"), True),
    ("GET", "/case-items/{item_id}"): (("caseworker", "auditor"), True),
    ("GET", "/customers/{customer_id}/debts"): (("caseworker", "auditor"), True),
    ("GET", "/debts/{debt_id}"): (("caseworker", "auditor"), True),
    ("POST", "/customers/{customer_id}/debts/what-if"): (("caseworker",), True),
    ("GET", "/audit/decisions"): (("auditor",), False),
    ("GET", "/audit/decisions/{position}/{index}/reproduction"): (("auditor",), True),
    ("GET", "/audit/customers/{customer_id}/known-at"): (("auditor",), True),
    ("GET", "/audit/disclosures"): (("auditor",), False),
    ("GET", "/worklists/{worklist}"): (("caseworker",), False),
    ("GET", "/worklists/dla-to-pip/{worklist}"): (("caseworker",), False),
    ("GET", "/worklists/safeguarding/{kind}"): (("caseworker",), False),
}

# Reads that are no disclosure of anyone else's data, and why.
NOT_DISCLOSURES = {
    ("GET", "/me"): "the customer's own record",
    ("GET", "/me/disclosures"): "the customer's own record",
    ("GET", "/audit/integrity"): "hashes of the log, no customer data",
    ("GET", "/health"): "operational, no customer data",
    ("GET", "/projections"): "operational, no customer data",
    ("GET", "/metrics"): "operational, no customer data",
}


def disclosing_routes() -> set[tuple[str, str]]:
    """(method, template) of every route whose dependencies include a Discloses."""
    found: set[tuple[str, str]] = set()
    for route in (route for module in ROUTE_MODULES for route in module.router.routes):
        if not isinstance(route, APIRoute):
            continue
        pending = list(route.dependant.dependencies)
        while pending:
            dependency = pending.pop()
            if isinstance(dependency.call, Discloses):
                found.update((method, route.path) for method in route.methods or ())
            pending.extend(dependency.dependencies)
    return found


def test_every_read_route_records_a_disclosure_or_says_why_it_needs_none(app: FastAPI) -> None:
    reads = {
        (method.upper(), template)
        for template, operations in app.openapi()["paths"].items()
        for method in operations
        if method == "get"
    }

    assert disclosing_routes() == set(STAFF_READS)
    assert reads - set(STAFF_READS) == set(NOT_DISCLOSURES), "a new read: disclose it or say why"


@dataclass(frozen=True)
class Record:
    """A customer with a debt, a contact and a decision: something for every read to find."""

    customer_id: UUID
    debt_id: UUID
    item_id: UUID
    decision_position: int


@pytest.fixture
def record(api: TestClient, tokens: Tokens, journeys: Journeys) -> Record:
    """A UC customer with an overpayment (its letter is a contact case item)."""
    customer_id = on_uc(api, tokens)
    debt = overpaid(api, tokens, customer_id)
    contacts = ok(
        api.get(
            f"/customers/{customer_id}/contacts",
            params={"after_position": debt.position},
            headers=tokens.caseworker(),
        )
    )["contacts"]
    decision_position = next(
        logged.position
        for logged in journeys.projections.log.read(after=0, limit=1000)
        if list(decisions_in(logged.event))
    )
    return Record(customer_id, debt.id, UUID(contacts[0]["item_id"]), decision_position)


def path_of(template: str, record: Record) -> str:
    """The template filled in with the record's ids."""
    return template.format(
        customer_id=record.customer_id,
        debt_id=record.debt_id,
        item_id=record.item_id,
        position=record.decision_position,
        index=0,
        worklist="decisions_due" if template == "/worklists/{worklist}" else "claim_deadlines",
        kind="contact",
    )


def read(api: TestClient, method: str, path: str, headers: Headers) -> httpx.Response:
    """A staff read (the what-if is a POST with a body; known-at needs its moment)."""
    if method == "POST":
        body = {"debt_id": "0" * 32, "kind": "pause"}
        response: httpx.Response = api.post(path, json=body, headers=headers)
        return response
    params = {"as_of": AS_OF} if path.endswith("known-at") else {}
    answer: httpx.Response = api.get(path, params=params, headers=headers)
    return answer


def disclosures_since(journeys: Journeys, position: int) -> list[Disclosure.Recorded]:
    """The disclosures recorded after a log position, in log order."""
    return [
        logged.event
        for logged in journeys.projections.log.read(after=position, limit=1000)
        if isinstance(logged.event, Disclosure.Recorded)
    ]


def test_each_staff_read_records_who_in_which_role_why_and_whose_data_before_it_is_served(
    api: TestClient, tokens: Tokens, journeys: Journeys, record: Record
) -> None:
    for (method, template), (roles, names_customer) in STAFF_READS.items():
        for role in roles:
            staff = AUDITOR if role == "auditor" else CASEWORKER
            signed = getattr(tokens, role)(staff, purpose=f"checking {template}")
            before = log_position(journeys)

            answer = read(api, method, path_of(template, record), signed)

            assert answer.status_code not in (401, 403, 503), (method, template, answer.text)
            [disclosure] = disclosures_since(journeys, before)
            assert (disclosure.subject, disclosure.role.value) == (staff, role)
            assert disclosure.purpose == f"checking {template}"
            assert disclosure.resource == f"{method} {template}"
            assert disclosure.path == path_of(template, record)
            assert disclosure.customer == (record.customer_id if names_customer else None)


def test_a_list_filtered_to_one_customer_is_a_disclosure_of_that_customer(
    api: TestClient, tokens: Tokens, journeys: Journeys, record: Record
) -> None:
    before = log_position(journeys)

    ok(
        api.get(
            "/audit/decisions",
            params={"customer_id": str(record.customer_id)},
            headers=tokens.auditor(),
        )
    )

    [disclosure] = disclosures_since(journeys, before)
    assert disclosure.customer == record.customer_id


def test_a_customer_reading_their_own_record_is_no_disclosure(
    api: TestClient, tokens: Tokens, journeys: Journeys, record: Record
) -> None:
    own = tokens.customer(record.customer_id)
    customer_id = record.customer_id

    with nothing_appended(journeys):
        ok(api.get("/me", headers=own))
        ok(api.get("/me/disclosures", headers=own))
        ok(api.get(f"/customers/{customer_id}/self-service", headers=own))
        ok(api.get(f"/customers/{customer_id}/debts", headers=own))
        ok(api.get(f"/debts/{record.debt_id}", headers=own))
        what_if = {"debt_id": str(record.debt_id), "kind": "pause", "months": 1}
        ok(api.post(f"/customers/{customer_id}/debts/what-if", json=what_if, headers=own))


def test_a_role_refused_the_read_leaves_no_disclosure(
    api: TestClient, tokens: Tokens, journeys: Journeys, record: Record
) -> None:
    with nothing_appended(journeys):
        refused = api.get(
            f"/audit/customers/{record.customer_id}/known-at",
            params={"as_of": AS_OF},
            headers=tokens.caseworker(),
        )
        other = api.get(f"/customers/{record.customer_id}/self-service", headers=tokens.auditor())

    assert (refused.status_code, other.status_code) == (403, 403)


@pytest.mark.parametrize("purpose", [None, "", "  ", "ab", "x" * 201])
def test_a_staff_read_without_a_stated_purpose_is_refused_naming_the_header(
    api: TestClient, tokens: Tokens, journeys: Journeys, record: Record, purpose: str | None
) -> None:
    headers: dict[str, str] = dict(tokens.caseworker(purpose=None))
    if purpose is not None:
        headers[PURPOSE_HEADER] = purpose

    with nothing_appended(journeys):
        answer = api.get(f"/customers/{record.customer_id}/timeline", headers=headers)

    [detail] = problem(answer, 422)
    assert detail["loc"] == ["header", PURPOSE_HEADER]
    assert PURPOSE_HEADER in detail["msg"]
    assert "entries" not in answer.json()


def test_a_read_whose_disclosure_cannot_be_recorded_fails_and_shows_nothing(
    api: TestClient,
    tokens: Tokens,
    journeys: Journeys,
    record: Record,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def store_down(**_: Any) -> Any:
        raise ConnectionError("the event store does not answer")

    monkeypatch.setattr(journeys.application, "record_disclosure", store_down)

    answer = api.get(f"/customers/{record.customer_id}/timeline", headers=tokens.caseworker())
    debt = api.get(f"/debts/{record.debt_id}", headers=tokens.auditor())

    for refused in (answer, debt):
        assert refused.status_code == 503
        assert set(refused.json()) == {"detail"}
        assert "disclosure audit" in refused.json()["detail"]


def disclosures(api: TestClient, tokens: Tokens, **params: Any) -> Json:
    """The auditor's page of disclosures, once the view has every one recorded so far."""
    page: Json = ok(api.get("/audit/disclosures", params=params, headers=tokens.auditor()))
    return page


def test_an_auditor_lists_disclosures_per_customer_and_per_colleague(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    ada = on_uc(api, tokens, name="Ada Lovelace")
    ben = on_uc(api, tokens, name="Ben Evans")
    for staff, customer_id, purpose in [
        ("CW-1", ada, "phone call from Ada"),
        ("CW-2", ada, "letter returned"),
        ("CW-1", ben, "phone call from Ben"),
    ]:
        headers = tokens.caseworker(staff, purpose=purpose)
        ok(api.get(f"/customers/{customer_id}/timeline", headers=headers))
    position = log_position(journeys)

    of_ada = disclosures(api, tokens, customer_id=str(ada), after_position=position)
    by_cw1 = disclosures(api, tokens, subject="CW-1", after_position=position)
    paged = disclosures(api, tokens, subject="CW-1", limit=1, offset=1)
    both = disclosures(api, tokens, subject="CW-1", customer_id=str(ben))

    # (An auditor's read of Ada's disclosures is itself recorded first; it may be listed.)
    assert [(d["subject"], d["purpose"]) for d in of_ada["disclosures"]][:2] == [
        ("CW-1", "phone call from Ada"),
        ("CW-2", "letter returned"),
    ]
    assert of_ada["disclosures"][0] == {
        "position": of_ada["disclosures"][0]["position"],
        "customer_id": str(ada),
        "subject": "CW-1",
        "role": "caseworker",
        "purpose": "phone call from Ada",
        "resource": "GET /customers/{customer_id}/timeline",
        "path": f"/customers/{ada}/timeline",
        "read_at": clock.now().isoformat().replace("+00:00", "Z"),
    }
    assert [d["customer_id"] for d in by_cw1["disclosures"]] == [str(ada), str(ben)]
    assert (paged["total"], [d["customer_id"] for d in paged["disclosures"]]) == (2, [str(ben)])
    assert both["total"] == 1
    # The auditor's own reads of Ada's disclosures are disclosures of Ada too.
    again = disclosures(api, tokens, customer_id=str(ada), after_position=log_position(journeys))
    subjects = [d["subject"] for d in again["disclosures"]]
    assert subjects[:3] == ["CW-1", "CW-2", AUDITOR]
    assert set(subjects[3:]) <= {AUDITOR}


def test_a_customer_sees_which_roles_read_their_record_and_when_but_not_who_or_why(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    customer_id = on_uc(api, tokens)
    ok(api.get(f"/customers/{customer_id}/timeline", headers=tokens.caseworker("CW-9")))
    ok(
        api.get(
            f"/audit/customers/{customer_id}/known-at",
            params={"as_of": AS_OF},
            headers=tokens.auditor("AU-3", purpose="sample check"),
        )
    )

    page = ok(
        api.get(
            "/me/disclosures",
            params={"after_position": log_position(journeys)},
            headers=tokens.customer(customer_id),
        )
    )

    assert page["total"] == 2
    assert [set(r) for r in page["reads"]] == [{"role", "read_at"}] * 2
    assert [r["role"] for r in page["reads"]] == ["caseworker", "auditor"]
    text = str(page)
    for hidden in ("CW-9", "AU-3", PURPOSE, "sample check", "timeline"):
        assert hidden not in text
