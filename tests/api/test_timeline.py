"""The caseworker timeline over HTTP: who caused what, filters by kind and period, and paging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from services.clock import SimulatedClock
from tests.api.helpers import (
    Json,
    Tokens,
    accepted,
    issue_questionnaire,
    move_to,
    ok,
    problem,
    register,
    return_questionnaire,
    start_claim,
)

KINDS = [
    "Customer.Registered",
    "Customer.ClaimOpened",
    "Claim.Started",
    "Claim.QuestionnaireIssued",
    "Customer.ContactQueued",  # the PIP2 letter, stored with the questionnaire
    "Customer.CircumstancesChanged",
    "Claim.QuestionnaireReturned",
]


@dataclass(frozen=True)
class History:
    """A customer whose events were recorded on 5, 12 and 26 January."""

    customer_id: UUID
    claim_id: UUID
    position: int


@pytest.fixture
def history(api: TestClient, tokens: Tokens, clock: SimulatedClock) -> History:
    """Claimed on the 5th, a change reported on the 12th, the PIP2 back on the 26th."""
    customer_id = register(api, tokens)
    me = tokens.customer(customer_id)
    claim_id = start_claim(api, me, customer_id).id
    issue_questionnaire(api, tokens, claim_id, clock.today())
    move_to(clock, date(2026, 1, 12))
    accepted(
        api.post(
            f"/customers/{customer_id}/changes",
            json={"effective_date": "2026-01-01", "description": "Moved to Leeds"},
            headers=me,
        ),
        201,
    )
    move_to(clock, date(2026, 1, 26))
    returned = return_questionnaire(api, me, claim_id, date(2026, 1, 23))
    return History(customer_id, claim_id, returned.position)


def timeline(api: TestClient, tokens: Tokens, history: History, **params: Any) -> Json:
    """A page of the history's timeline as a caseworker reads it."""
    page: Json = ok(
        api.get(
            f"/customers/{history.customer_id}/timeline",
            params={"after_position": history.position, **params},
            headers=tokens.caseworker(),
        )
    )
    return page


def kinds(page: Json) -> list[str]:
    """The kinds of a page's entries, in order."""
    return [entry["kind"] for entry in page["entries"]]


def test_the_timeline_lists_every_event_in_log_order_with_who_caused_it(
    api: TestClient, tokens: Tokens, history: History
) -> None:
    page = timeline(api, tokens, history)

    assert (page["total"], page["limit"], page["offset"]) == (7, 50, 0)
    assert kinds(page) == KINDS
    positions = [entry["position"] for entry in page["entries"]]
    assert positions == sorted(positions)
    assert positions[-1] == history.position
    customer = f"customer:{history.customer_id}"
    assert [entry["caused_by"] for entry in page["entries"]] == [
        "caseworker:CW-104",
        customer,
        customer,
        "caseworker:CW-104",
        "caseworker:CW-104",
        customer,
        customer,
    ]
    assert [entry["recorded_at"][:10] for entry in page["entries"]] == [
        "2026-01-05",
        "2026-01-05",
        "2026-01-05",
        "2026-01-05",
        "2026-01-05",
        "2026-01-12",
        "2026-01-26",
    ]
    returned = page["entries"][-1]
    assert returned["aggregate_id"] == str(history.claim_id)
    assert returned["effective_date"] == "2026-01-23"
    assert returned["summary"] == "PIP2 returned"


def test_each_decision_on_the_timeline_names_its_rule_version_and_reasons(
    api: TestClient, tokens: Tokens, history: History
) -> None:
    page = timeline(api, tokens, history)

    decisions = {
        entry["kind"]: entry["decisions"] for entry in page["entries"] if entry["decisions"]
    }
    assert set(decisions) == {"Claim.Started", "Claim.QuestionnaireIssued"}
    [age_test] = decisions["Claim.Started"]
    assert (age_test["rule_id"], age_test["rule_version"]) == ("pip.age_test", 1)
    assert age_test["outcome"]["eligible"] is True
    assert age_test["automated"] is True
    [due_date] = decisions["Claim.QuestionnaireIssued"]
    assert (due_date["rule_id"], due_date["rule_version"]) == ("pip.questionnaire_due_date", 1)
    assert due_date["outcome"] == {"due_on": "2026-02-05"}
    assert due_date["reasons"] == [
        "The PIP2 questionnaire sent on 2026-01-05 must be returned within 1 month(s): "
        "by 2026-02-05."
    ]


def test_the_timeline_can_be_filtered_by_event_kind(
    api: TestClient, tokens: Tokens, history: History
) -> None:
    page = timeline(api, tokens, history, kind=["Claim.QuestionnaireReturned", "Claim.Started"])

    assert kinds(page) == ["Claim.Started", "Claim.QuestionnaireReturned"]
    assert page["total"] == 2
    assert timeline(api, tokens, history, kind="Claim.AwardDecided")["entries"] == []


def test_the_timeline_can_be_filtered_by_the_period_the_facts_took_effect(
    api: TestClient, tokens: Tokens, history: History
) -> None:
    page = timeline(api, tokens, history, effective_from="2026-01-02", effective_to="2026-01-20")

    # The change took effect on 1 January though it was reported on the 12th; the PIP2
    # came back on the 23rd; registration has no effective date.
    assert kinds(page) == [
        "Customer.ClaimOpened",
        "Claim.Started",
        "Claim.QuestionnaireIssued",
        "Customer.ContactQueued",
    ]
    early = timeline(api, tokens, history, effective_to="2026-01-01")
    assert kinds(early) == ["Customer.CircumstancesChanged"]


def test_the_timeline_can_be_filtered_by_the_period_the_facts_were_recorded(
    api: TestClient, tokens: Tokens, history: History
) -> None:
    page = timeline(
        api,
        tokens,
        history,
        recorded_from="2026-01-06T00:00:00Z",
        recorded_to="2026-01-20T00:00:00Z",
    )
    assert kinds(page) == ["Customer.CircumstancesChanged"]

    # Bounds are inclusive and compared in UTC whatever offset the caller uses.
    to_the_second = timeline(api, tokens, history, recorded_to="2026-01-12T10:00:00+01:00")
    assert kinds(to_the_second) == KINDS[:6]
    since = timeline(api, tokens, history, recorded_from="2026-01-12T09:00:00Z")
    assert kinds(since) == KINDS[5:]


def test_the_timeline_is_paged_with_limit_and_offset_and_tells_the_total(
    api: TestClient, tokens: Tokens, history: History
) -> None:
    first = timeline(api, tokens, history, limit=4)
    second = timeline(api, tokens, history, limit=4, offset=4)
    beyond = timeline(api, tokens, history, limit=4, offset=10)

    assert (kinds(first), first["total"]) == (KINDS[:4], 7)
    assert (kinds(second), second["total"], second["offset"]) == (KINDS[4:], 7, 4)
    assert (beyond["entries"], beyond["total"]) == ([], 7)
    filtered = timeline(api, tokens, history, kind=KINDS[:3], limit=1, offset=1)
    assert (kinds(filtered), filtered["total"]) == (["Customer.ClaimOpened"], 3)


def test_a_timeline_holds_only_its_own_customers_events(
    api: TestClient, tokens: Tokens, history: History
) -> None:
    other = register(api, tokens, name="Grace Hopper")
    accepted(
        api.post(
            f"/customers/{other}/changes",
            json={"effective_date": "2026-01-26", "description": "Someone else's change"},
            headers=tokens.caseworker(),
        ),
        201,
    )

    page = timeline(api, tokens, history)

    assert kinds(page) == KINDS
    assert {entry["customer_id"] for entry in page["entries"]} == {str(history.customer_id)}


def test_an_auditor_reads_the_same_timeline(
    api: TestClient, tokens: Tokens, history: History
) -> None:
    page = ok(
        api.get(
            f"/customers/{history.customer_id}/timeline",
            params={"after_position": history.position},
            headers=tokens.auditor(),
        )
    )

    assert page == timeline(api, tokens, history)


def test_a_bad_timeline_query_is_refused_naming_the_parameter(
    api: TestClient, tokens: Tokens
) -> None:
    customer_id = register(api, tokens)
    cases: list[tuple[Json, str]] = [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"offset": -1}, "offset"),
        ({"effective_from": "5 January"}, "effective_from"),
        ({"recorded_to": "yesterday"}, "recorded_to"),
        ({"recorded_from": "2026-01-12T09:00:00"}, "recorded_from"),
        ({"after_position": -1}, "after_position"),
    ]

    for params, field in cases:
        refused = api.get(
            f"/customers/{customer_id}/timeline", params=params, headers=tokens.caseworker()
        )

        [detail] = problem(refused)
        assert detail["loc"] == ["query", field], params


def test_the_timeline_of_an_unknown_customer_is_not_found(api: TestClient, tokens: Tokens) -> None:
    nobody = uuid4()

    answer = api.get(f"/customers/{nobody}/timeline", headers=tokens.caseworker())

    assert answer.status_code == 404
    assert str(nobody) in answer.json()["detail"]
