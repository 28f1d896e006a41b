"""Access rules: who may call what, walked over every route the app serves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import httpx
import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from adapters.http.auth import ALGORITHM, ISSUER, Role
from adapters.http.disclosure import PURPOSE_HEADER
from domain.claim import Claim
from services.clock import SimulatedClock
from tests.api.helpers import (
    PURPOSE,
    Claimed,
    Headers,
    Json,
    Tokens,
    bearer,
    decided_pip_claim,
    ok,
    register,
    registered,
    self_service,
    start_claim,
)
from tests.integration.helpers import nothing_appended

OPEN_TO_ANYONE = {"/health", "/projections", "/metrics"}


def routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path template) for every operation the app serves (its OpenAPI document)."""
    for template, operations in app.openapi()["paths"].items():
        for method in operations:
            yield method.upper(), template


def calls(app: FastAPI, ids: dict[str, object]) -> Iterator[tuple[str, str]]:
    """(method, path) for every route needing a token, path parameters filled in from ids."""
    for method, template in routes(app):
        if template not in OPEN_TO_ANYONE:
            yield method, template.format(**ids)


def send(api: TestClient, method: str, path: str, headers: Headers | None = None) -> httpx.Response:
    """A request with an empty JSON body for commands (an invalid one: access comes first)."""
    body: Json | None = {} if method == "POST" else None
    response: httpx.Response = api.request(method, path, json=body, headers=headers)
    return response


@pytest.fixture
def claim(api: TestClient, tokens: Tokens, clock: SimulatedClock, journeys: Journeys) -> Claimed:
    """A decided PIP claim, so that every command has something to act on.

    Its position is the decision's own (the decision letter is stored after it, in one save).
    """
    decided = decided_pip_claim(api, tokens, clock)
    log = journeys.projections.log.read(after=0, limit=1000)
    position = max(
        logged.position
        for logged in log
        if isinstance(logged.event, Claim.AwardDecided)
        and logged.event.originator_id == decided.claim_id
    )
    return replace(decided, position=position)


def ids_of(claim: Claimed) -> dict[str, object]:
    """Path parameters pointing at a real customer, claim, decision and worklist.

    Access is decided before the path is parsed, so one worklist name serves both the
    claim and the DLA to PIP worklists.
    """
    return {
        "customer_id": claim.customer_id,
        "claim_id": claim.claim_id,
        "worklist": "decisions_due",
        "position": claim.position,
        "index": 0,
        "age": 14,
        # Safeguarding records: access is refused before anyone looks them up.
        "kind": "concern",
        "item_id": claim.claim_id,
        "concern_id": claim.claim_id,
        "plan_id": claim.claim_id,
        "lump_sum_id": claim.claim_id,
        "referral_id": claim.claim_id,
        "number": 1,
        # Debts: access by role comes first, and a customer's ownership is checked before
        # anything else is read.
        "debt_id": claim.claim_id,
    }


# -- signing in ---------------------------------------------------------------------------------


def test_every_route_but_the_operational_ones_needs_a_token(
    api: TestClient, app: FastAPI, journeys: Journeys, claim: Claimed
) -> None:
    walked = list(calls(app, ids_of(claim)))

    assert len(walked) == 74  # 54 commands and 20 reads
    for method, path in walked:
        with nothing_appended(journeys):
            answer = send(api, method, path)
        assert answer.status_code == 401, (method, path, answer.text)
        assert answer.headers["WWW-Authenticate"] == "Bearer"
    for path in sorted(OPEN_TO_ANYONE):
        assert api.get(path).status_code == 200, path


def forged(claims: Json, secret: str) -> str:
    """A token with the given claims, signed with the given secret."""
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def test_a_bad_token_is_refused_as_unauthorised(
    api: TestClient, journeys: Journeys, clock: SimulatedClock
) -> None:
    secret = journeys.settings.token_secret
    now = int(clock.now().timestamp())
    valid = {"iss": ISSUER, "sub": "CW-1", "role": "caseworker", "iat": now, "exp": now + 60}
    bad_tokens = {
        "not a token": "not-a-jwt",
        "another key": forged(valid, "some-other-secret-of-at-least-32-bytes!"),
        "another issuer": forged({**valid, "iss": "elsewhere"}, secret),
        "an unknown role": forged({**valid, "role": "admin"}, secret),
        "no expiry": forged({k: v for k, v in valid.items() if k != "exp"}, secret),
        "a customer without a record": forged({**valid, "role": "customer"}, secret),
        "a caseworker naming a record": forged(
            {**valid, "customer_id": "6f1c9a4e-3c1e-4b5e-9a43-2f8f0e0d5a11"}, secret
        ),
        "a customer record that is not an id": forged(
            {**valid, "role": "customer", "customer_id": "me"}, secret
        ),
    }
    purpose = {PURPOSE_HEADER: PURPOSE}
    signed = {**bearer(forged(valid, secret)), **purpose}
    assert api.get("/worklists/decisions_due", headers=signed).is_success

    for what, token in bad_tokens.items():
        answer = api.get("/worklists/decisions_due", headers={**bearer(token), **purpose})
        assert answer.status_code == 401, what
        assert answer.json()["detail"].startswith("invalid token"), (what, answer.text)
    basic = api.get("/worklists/decisions_due", headers={"Authorization": "Basic YTpi"})
    assert basic.status_code == 401


def test_a_token_expires_after_its_time_to_live_on_the_systems_clock(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    customer = registered(api, tokens)
    customer_id = customer.id
    token = bearer(tokens.issuer.mint(Role.CUSTOMER, str(customer_id), customer_id))
    ttl = timedelta(seconds=journeys.settings.token_ttl_seconds)
    change = {"effective_date": "2026-01-05", "description": "Moved"}

    clock.advance(ttl - timedelta(seconds=1))
    ok(api.get("/me", params={"after_position": customer.position}, headers=token))

    clock.advance(timedelta(seconds=1))
    with nothing_appended(journeys):
        read = api.get("/me", headers=token)
        command = api.post(f"/customers/{customer_id}/changes", json=change, headers=token)

    for answer in (read, command):
        assert answer.status_code == 401
        assert answer.json()["detail"] == "the token has expired"
    # A fresh token works again.
    assert api.post(
        f"/customers/{customer_id}/changes", json=change, headers=tokens.customer(customer_id)
    ).is_success


# -- customers and other people's records ---------------------------------------------------------


def test_a_customer_token_cannot_read_or_change_another_customers_record_or_claim(
    api: TestClient, tokens: Tokens, journeys: Journeys, claim: Claimed
) -> None:
    someone_else = register(api, tokens, name="Mallory")
    intruder = tokens.customer(someone_else)
    attempts = [
        ("GET", f"/customers/{claim.customer_id}/self-service", None),
        ("GET", f"/customers/{claim.customer_id}/self-service?after_position=1", None),
        (
            "POST",
            f"/customers/{claim.customer_id}/claims",
            {"benefit": "UC", "claim_date": "2026-02-23"},
        ),
        (
            "POST",
            f"/customers/{claim.customer_id}/changes",
            {"effective_date": "2026-02-23", "description": "Moved to Spain"},
        ),
        ("POST", f"/claims/{claim.claim_id}/statement-of-reasons", {"requested_on": "2026-02-23"}),
        (
            "POST",
            f"/claims/{claim.claim_id}/reconsideration",
            {"requested_on": "2026-02-23", "grounds": "I want more"},
        ),
        ("POST", f"/claims/{claim.claim_id}/questionnaire/return", {"received_on": "2026-02-23"}),
    ]

    for method, path, body in attempts:
        with nothing_appended(journeys):
            answer = api.request(method, path, json=body, headers=intruder)
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["detail"] == "this is not your record"
    # Their own record is theirs to use, and the victim's page is unchanged.
    assert start_claim(api, intruder, someone_else, benefit="UC").id
    victim = self_service(api, tokens.customer(claim.customer_id), claim.customer_id)
    assert victim["reported_changes"] == []
    assert [c["dispute"] for c in victim["claims"]] == ["none"]


def test_a_customer_token_cannot_use_caseworker_or_auditor_endpoints_even_on_their_own_claim(
    api: TestClient, app: FastAPI, tokens: Tokens, journeys: Journeys, claim: Claimed
) -> None:
    own = tokens.customer(claim.customer_id)
    customers_may = {
        "/me",
        "/me/disclosures",
        "/customers/{customer_id}/self-service",
        "/customers/{customer_id}/claims",
        "/customers/{customer_id}/changes",
        "/claims/{claim_id}/questionnaire/return",
        "/claims/{claim_id}/reconsideration",
        "/claims/{claim_id}/statement-of-reasons",
        "/customers/{customer_id}/debts",
        "/customers/{customer_id}/debts/what-if",
        "/debts/{debt_id}",
        "/debts/{debt_id}/hardship-requests",
        "/debts/{debt_id}/repayments",
    }
    staff_only = [
        (method, template.format(**ids_of(claim)))
        for method, template in routes(app)
        if template not in customers_may | OPEN_TO_ANYONE
    ]

    # 45 caseworker commands (3: legal hold and erasure); timeline, 3 worklists, transition
    # case, deadlines, Special Rules case, contacts, a customer's case items, one case item;
    # 5 audit reads (with disclosures and integrity)
    assert len(staff_only) == 61
    for method, path in staff_only:
        with nothing_appended(journeys):
            answer = send(api, method, path, own)
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["detail"].startswith("the customer role may not do this")


# -- auditors read, never write --------------------------------------------------------------------


def test_an_auditor_token_is_refused_every_command(
    api: TestClient, app: FastAPI, tokens: Tokens, journeys: Journeys, claim: Claimed
) -> None:
    commands = [(m, p) for m, p in calls(app, ids_of(claim)) if m == "POST"]

    assert len(commands) == 54
    for method, path in commands:
        with nothing_appended(journeys):
            answer = send(api, method, path, tokens.auditor())
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["detail"].startswith("the auditor role may not do this")


def test_an_auditor_token_is_refused_even_a_valid_command(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    with nothing_appended(journeys):
        answer = api.post(
            "/customers",
            json={"nino": "AB123456C", "name": "Eve", "date_of_birth": "1990-01-01"},
            headers=tokens.auditor(),
        )

    assert answer.status_code == 403


def test_a_caseworker_token_cannot_use_the_auditor_endpoints(
    api: TestClient, app: FastAPI, tokens: Tokens, claim: Claimed
) -> None:
    audit = [(m, p) for m, p in calls(app, ids_of(claim)) if p.startswith("/audit/")]

    assert len(audit) == 5
    for method, path in audit:
        answer = send(api, method, path + "?as_of=2026-02-23T00:00:00Z", tokens.caseworker())
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["detail"].startswith("the caseworker role may not do this")
    # The same requests are the auditor's to make.
    for method, path in audit:
        answer = send(api, method, path + "?as_of=2026-02-23T12:00:00Z", tokens.auditor())
        assert answer.status_code == 200, (method, path, answer.text)


def test_a_caseworker_may_act_for_any_customer(
    api: TestClient, tokens: Tokens, claim: Claimed
) -> None:
    answer = api.post(
        f"/customers/{claim.customer_id}/changes",
        json={"effective_date": "2026-02-23", "description": "Told us by phone"},
        headers=tokens.caseworker(),
    )

    ok(answer, 201)
    page = self_service(
        api,
        tokens.customer(claim.customer_id),
        claim.customer_id,
        int(answer.headers["X-Journeys-Position"]),
    )
    assert page["reported_changes"][0]["description"] == "Told us by phone"


def test_the_subject_of_a_customer_token_is_not_whom_it_acts_for(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    # Only the signed record id counts: a customer token for one record with another
    # record's id as subject still acts for (and as) its own record.
    mine = register(api, tokens)
    theirs = register(api, tokens, name="Grace Hopper")
    token = bearer(tokens.issuer.mint(Role.CUSTOMER, str(theirs), mine))

    denied = api.get(f"/customers/{theirs}/self-service", headers=token)
    made = api.post(
        f"/customers/{mine}/changes",
        json={"effective_date": "2026-01-05", "description": "Mine"},
        headers=token,
    )

    assert denied.status_code == 403
    position = int(ok(made, 201)["position"])
    entries = ok(
        api.get(
            f"/customers/{mine}/timeline",
            params={"kind": "Customer.CircumstancesChanged", "after_position": position},
            headers=tokens.caseworker(),
        )
    )["entries"]
    assert [entry["caused_by"] for entry in entries] == [f"customer:{mine}"]
