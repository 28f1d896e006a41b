"""The role matrix: every operation of the OpenAPI document, called as every kind of caller.

One declared table says who may call what. A generated test walks the app's own OpenAPI
document and calls each operation with no token, a customer token (their own record and
someone else's), a caseworker token and an auditor token: 401 without a token, 403 for a
role the table does not allow, neither for a role it does. A route the table does not
list fails the test, so a new endpoint cannot ship without a decision about who may call it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys, build
from adapters.http.app import ROUTE_MODULES, create_app
from adapters.http.auth import Allow, Role
from services.clock import SimulatedClock
from services.settings import Settings
from tests.api.helpers import Headers, Tokens

C, W, A = Role.CUSTOMER, Role.CASEWORKER, Role.AUDITOR
PUBLIC: frozenset[Role] = frozenset()
"""Open to anyone, no token needed (operational endpoints without customer data)."""

_CW = frozenset({W})
_CUSTOMER_OR_CW = frozenset({C, W})
_STAFF_READ = frozenset({W, A})
_AUDIT = frozenset({A})
_ANYONE_SIGNED_IN = frozenset({C, W, A})

# Who may call each operation. Customers, where allowed, act only on their own record.
ACCESS: dict[tuple[str, str], frozenset[Role]] = {
    # self-service
    ("GET", "/me"): frozenset({C}),
    ("GET", "/me/disclosures"): frozenset({C}),
    ("GET", "/customers/{customer_id}/self-service"): _CUSTOMER_OR_CW,
    ("POST", "/customers/{customer_id}/claims"): _CUSTOMER_OR_CW,
    ("POST", "/customers/{customer_id}/changes"): _CUSTOMER_OR_CW,
    ("POST", "/claims/{claim_id}/questionnaire/return"): _CUSTOMER_OR_CW,
    ("POST", "/claims/{claim_id}/reconsideration"): _CUSTOMER_OR_CW,
    ("POST", "/claims/{claim_id}/statement-of-reasons"): _CUSTOMER_OR_CW,
    # caseworker: customers and claims
    ("POST", "/customers"): _CW,
    ("POST", "/customers/{customer_id}/support-markers"): _CW,
    ("GET", "/customers/{customer_id}/timeline"): _STAFF_READ,
    ("GET", "/worklists/{worklist}"): _CW,
    ("POST", "/claims/{claim_id}/questionnaire"): _CW,
    ("POST", "/claims/{claim_id}/negative-determination"): _CW,
    ("POST", "/claims/{claim_id}/assessment"): _CW,
    ("POST", "/claims/{claim_id}/decision"): _CW,
    ("POST", "/claims/{claim_id}/entitlement-decision"): _CW,
    ("POST", "/claims/{claim_id}/withdrawal"): _CW,
    ("POST", "/claims/{claim_id}/reconsideration/outcome"): _CW,
    ("POST", "/claims/{claim_id}/appeal"): _CW,
    ("POST", "/claims/{claim_id}/appeal/revision"): _CW,
    ("POST", "/claims/{claim_id}/appeal/outcome"): _CW,
    # DLA to PIP
    ("POST", "/customers/{customer_id}/dla-to-pip"): _CW,
    ("GET", "/customers/{customer_id}/dla-to-pip"): _STAFF_READ,
    ("POST", "/customers/{customer_id}/dla-to-pip/hospital-admission"): _CW,
    ("POST", "/customers/{customer_id}/dla-to-pip/hospital-discharge"): _CW,
    ("POST", "/customers/{customer_id}/dla-to-pip/appointee"): _CW,
    ("POST", "/customers/{customer_id}/dla-to-pip/no-appointee-needed"): _CW,
    ("POST", "/customers/{customer_id}/dla-to-pip/age-reviews/{age}"): _CW,
    ("POST", "/claims/{claim_id}/good-reason"): _CW,
    ("GET", "/customers/{customer_id}/deadlines"): _STAFF_READ,
    ("GET", "/worklists/dla-to-pip/{worklist}"): _CW,
    # Special Rules
    ("POST", "/claims/{claim_id}/special-rules/sr1"): _CW,
    ("POST", "/claims/{claim_id}/special-rules/award"): _CW,
    ("GET", "/customers/{customer_id}/special-rules"): _STAFF_READ,
    # safeguarding
    ("POST", "/customers/{customer_id}/death-notification"): _CW,
    ("POST", "/concerns"): _CW,
    ("POST", "/concerns/{concern_id}/owner"): _CW,
    ("POST", "/concerns/{concern_id}/outcome"): _CW,
    ("POST", "/customers/{customer_id}/six-point-plans"): _CW,
    ("POST", "/six-point-plans/{plan_id}/steps"): _CW,
    ("POST", "/claims/{claim_id}/lump-sums"): _CW,
    ("POST", "/lump-sums/{lump_sum_id}/release"): _CW,
    ("POST", "/customers/{customer_id}/serious-case-referrals"): _CW,
    ("POST", "/serious-case-referrals/{referral_id}/recommendations"): _CW,
    ("POST", "/serious-case-referrals/{referral_id}/recommendations/{number}/completion"): _CW,
    ("POST", "/serious-case-referrals/{referral_id}/closure"): _CW,
    # contacts
    ("POST", "/customers/{customer_id}/messages"): _CW,
    ("GET", "/customers/{customer_id}/contacts"): _STAFF_READ,
    # debts
    ("POST", "/customers/{customer_id}/overpayments"): _CW,
    ("POST", "/customers/{customer_id}/penalties"): _CW,
    ("POST", "/customers/{customer_id}/advances"): _CW,
    ("POST", "/customers/{customer_id}/deductions"): _CW,
    ("POST", "/debts/{debt_id}/deductions"): _CW,
    ("POST", "/debts/{debt_id}/earnings-attachment"): _CW,
    ("POST", "/debts/{debt_id}/voluntary-payments"): _CW,
    ("POST", "/debts/{debt_id}/hardship-decision"): _CW,
    ("POST", "/debts/{debt_id}/waiver"): _CW,
    ("POST", "/debts/{debt_id}/hardship-requests"): _CUSTOMER_OR_CW,
    ("POST", "/debts/{debt_id}/repayments"): _CUSTOMER_OR_CW,
    ("POST", "/customers/{customer_id}/debts/what-if"): _CUSTOMER_OR_CW,
    ("GET", "/customers/{customer_id}/debts"): _ANYONE_SIGNED_IN,
    ("GET", "/debts/{debt_id}"): _ANYONE_SIGNED_IN,
    # personal data: legal holds and erasure
    ("POST", "/customers/{customer_id}/legal-hold"): _CW,
    ("POST", "/customers/{customer_id}/legal-hold/lift"): _CW,
    ("POST", "/customers/{customer_id}/erasure"): _CW,
    # case items
    ("GET", "/worklists/safeguarding/{kind}"): _CW,
    ("GET", "/customers/{customer_id}/case-items"): _STAFF_READ,
    ("GET", "/case-items/{item_id}"): _STAFF_READ,
    # audit
    ("GET", "/audit/decisions"): _AUDIT,
    ("GET", "/audit/disclosures"): _AUDIT,
    ("GET", "/audit/decisions/{position}/{index}/reproduction"): _AUDIT,
    ("GET", "/audit/customers/{customer_id}/known-at"): _AUDIT,
    ("GET", "/audit/integrity"): _AUDIT,
    # operations
    ("GET", "/health"): PUBLIC,
    ("GET", "/projections"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,
}

# Path parameters that are not ids: a value of the right type (an unknown name is a 422,
# which is fine: access is decided before the path is parsed).
_PATH_VALUES = {"worklist": "decisions_due", "kind": "concern", "position": "1", "index": "0"}
_PATH_VALUES |= {"number": "1", "age": "14"}


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journeys]:
    """One embedded system for the whole matrix (access does not depend on the store)."""
    path = tmp_path_factory.mktemp("role-matrix") / "events.sqlite3"
    clock = SimulatedClock.on(date(2026, 1, 5))
    with build(Settings(database_url=None, sqlite_path=path), clock=clock) as journeys:
        yield journeys


@pytest.fixture(scope="module")
def matrix_app(system: Journeys) -> FastAPI:
    """The API over that system, without the projection runner."""
    return create_app(system, run_projections=False)


@pytest.fixture(scope="module")
def client(matrix_app: FastAPI) -> Iterator[TestClient]:
    """A client of the matrix app."""
    with TestClient(matrix_app) as test_client:
        yield test_client


def operations(app: FastAPI) -> set[tuple[str, str]]:
    """(method, template) of every operation in the app's OpenAPI document."""
    return {
        (method.upper(), template)
        for template, item in app.openapi()["paths"].items()
        for method in item
    }


def test_the_table_names_every_operation_of_the_openapi_document(matrix_app: FastAPI) -> None:
    served = operations(matrix_app)

    assert served - set(ACCESS) == set(), "new routes: say who may call them in ACCESS"
    assert set(ACCESS) - served == set(), "ACCESS lists routes the app no longer serves"


def test_each_route_declares_its_roles_in_one_allow_dependency_matching_the_table() -> None:
    declared: dict[tuple[str, str], frozenset[Role]] = {}
    for route in (route for module in ROUTE_MODULES for route in module.router.routes):
        if not isinstance(route, APIRoute):
            continue
        allows = []
        pending = list(route.dependant.dependencies)
        while pending:
            dependency = pending.pop()
            if isinstance(dependency.call, Allow):
                allows.append(frozenset(dependency.call.roles))
            pending.extend(dependency.dependencies)
        assert len(allows) <= 1, (route.path, "roles are decided in one place per route")
        for method in route.methods or ():
            declared[(method, route.path)] = allows[0] if allows else PUBLIC

    assert declared == ACCESS


def _path(template: str, customer_id: uuid.UUID) -> str:
    """The template with {customer_id} as given, other ids random, other values valid."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "customer_id":
            return str(customer_id)
        return _PATH_VALUES.get(name, str(uuid.uuid4()))

    return re.sub(r"\{(\w+)\}", value, template)


def _call(client: TestClient, method: str, path: str, headers: Headers) -> httpx.Response:
    """The request with a minimal JSON body for commands (invalid: access is decided first)."""
    body: dict[str, object] | None = {} if method == "POST" else None
    response: httpx.Response = client.request(method, path, json=body, headers=headers)
    return response


@pytest.mark.parametrize(
    ("method", "template"), sorted(ACCESS), ids=[f"{m} {t}" for m, t in sorted(ACCESS)]
)
def test_each_role_gets_exactly_the_access_the_table_declares(
    client: TestClient, system: Journeys, method: str, template: str
) -> None:
    allowed = ACCESS[(method, template)]
    tokens = Tokens(system)
    customer_id = uuid.uuid4()
    own_path = _path(template, customer_id)
    callers: dict[str, tuple[Headers, str, bool]] = {
        "customer, own record": (tokens.customer(customer_id), own_path, C in allowed),
        "caseworker": (tokens.caseworker(), own_path, W in allowed),
        "auditor": (tokens.auditor(), own_path, A in allowed),
    }
    if "{customer_id}" in template:
        other_path = _path(template, uuid.uuid4())
        callers["customer, someone else's record"] = (
            tokens.customer(customer_id),
            other_path,
            False,
        )

    anonymous = _call(client, method, own_path, {})
    if allowed == PUBLIC:
        assert anonymous.status_code == 200, anonymous.text
        return
    assert anonymous.status_code == 401, anonymous.text
    for caller, (headers, path, may) in callers.items():
        answer = _call(client, method, path, headers)
        if may:
            assert answer.status_code not in (401, 403), (caller, answer.text)
            assert answer.status_code < 500, (caller, answer.text)
        else:
            assert answer.status_code == 403, (caller, answer.text)
