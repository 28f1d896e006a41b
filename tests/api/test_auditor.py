"""Auditor endpoints: the decision ledger and its filters, decision re-runs, history known then."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from services.clock import SimulatedClock
from tests.api.helpers import (
    DECIDED,
    Json,
    Tokens,
    accepted,
    decided_pip_claim,
    fields_named,
    issue_questionnaire,
    move_to,
    ok,
    problem,
    register,
    return_questionnaire,
    start_claim,
)

OVERRIDE = {"daily_living": "enhanced", "mobility": "none", "reason": "GP evidence"}


@dataclass(frozen=True)
class Decisions:
    """A PIP claim decided with an override, and a UC claim refused, both on DECIDED."""

    pip_customer: UUID
    uc_customer: UUID
    position: int


@pytest.fixture
def decisions(api: TestClient, tokens: Tokens, clock: SimulatedClock) -> Decisions:
    """Four recorded decisions: age test and PIP2 due date (5 Jan), two by people (23 Feb)."""
    pip = decided_pip_claim(api, tokens, clock, daily_living=9, mobility=4, override=OVERRIDE)
    uc_customer = register(api, tokens, name="Grace Hopper")
    uc_claim = start_claim(api, tokens.caseworker(), uc_customer, benefit="UC").id
    refused = accepted(
        api.post(
            f"/claims/{uc_claim}/entitlement-decision",
            json={
                "decided_on": DECIDED.isoformat(),
                "entitled": False,
                "reason": "Capital over the limit",
            },
            headers=tokens.caseworker("DM-2"),
        )
    )
    return Decisions(pip.customer_id, uc_customer, refused.position)


def ledger(api: TestClient, tokens: Tokens, decisions: Decisions, **params: Any) -> Json:
    """A page of the ledger as an auditor reads it."""
    page: Json = ok(
        api.get(
            "/audit/decisions",
            params={"after_position": decisions.position, **params},
            headers=tokens.auditor(),
        )
    )
    return page


def rules(page: Json) -> list[str]:
    """The rule ids of a ledger page, in order."""
    return [entry["rule_id"] for entry in page["decisions"]]


ALL_RULES = [
    "pip.age_test",
    "pip.questionnaire_due_date",
    "pip.component_rates",
    "determination.decision_maker",
]


def test_the_ledger_lists_every_recorded_decision_in_log_order_with_whom_it_concerns(
    api: TestClient, tokens: Tokens, decisions: Decisions
) -> None:
    page = ledger(api, tokens, decisions)

    assert (rules(page), page["total"]) == (ALL_RULES, 4)
    age_test, due_date, rates, judgement = page["decisions"]
    assert age_test["customer_id"] == str(decisions.pip_customer)
    assert (age_test["event_type"], age_test["decided_on"]) == ("Claim.Started", "2026-01-05")
    assert age_test["inputs"] == {"date_of_birth": "1985-03-14", "claim_date": "2026-01-05"}
    assert (age_test["made_by"], age_test["automated"]) == ("system:journeys", True)
    assert due_date["outcome"] == {"due_on": "2026-02-05"}
    assert (rates["made_by"], rates["automated"]) == ("caseworker:CW-104", False)
    assert rates["outcome"]["daily_living_rate"] == "enhanced"  # the override applies
    assert rates["reasons"][0].startswith("Daily living activities scored 9 points")
    assert judgement["customer_id"] == str(decisions.uc_customer)
    assert (judgement["made_by"], judgement["outcome"]) == (
        "caseworker:DM-2",
        {"answer": "not entitled"},
    )


FILTERS: list[tuple[Json, list[str]]] = [
    ({"rule_id": "pip.component_rates"}, ["pip.component_rates"]),
    ({"rule_id": "no.such_rule"}, []),
    ({"rule_version": 1}, ALL_RULES),
    ({"rule_version": 2}, []),
    ({"decided_from": "2026-02-01"}, ALL_RULES[2:]),
    ({"decided_to": "2026-01-31"}, ALL_RULES[:2]),
    ({"decided_from": "2026-01-05", "decided_to": "2026-01-05"}, ALL_RULES[:2]),
    ({"outcome": "daily_living_rate:enhanced"}, ["pip.component_rates"]),
    ({"outcome": "daily_living_rate:standard"}, []),  # what the points gave, overridden
    (
        {"outcome": ["daily_living_rate:enhanced", "mobility_rate:none"]},
        ["pip.component_rates"],
    ),
    ({"outcome": ["daily_living_rate:enhanced", "mobility_rate:standard"]}, []),
    ({"outcome": "eligible:true"}, ["pip.age_test"]),
    ({"outcome": "answer:not entitled"}, ["determination.decision_maker"]),
    ({"automated": True}, ALL_RULES[:2]),
    ({"automated": False}, ALL_RULES[2:]),
    ({"rule_id": "pip.age_test", "automated": False}, []),
]


def test_the_ledger_can_be_filtered_by_rule_version_period_outcome_and_automation(
    api: TestClient, tokens: Tokens, decisions: Decisions
) -> None:
    for params, expected in FILTERS:
        page = ledger(api, tokens, decisions, **params)

        assert rules(page) == expected, params
        assert page["total"] == len(expected), params


def test_the_ledger_can_be_filtered_by_customer_and_paged(
    api: TestClient, tokens: Tokens, decisions: Decisions
) -> None:
    theirs = ledger(api, tokens, decisions, customer_id=str(decisions.uc_customer))
    second_page = ledger(api, tokens, decisions, limit=2, offset=2)

    assert rules(theirs) == ["determination.decision_maker"]
    assert (rules(second_page), second_page["total"]) == (ALL_RULES[2:], 4)


def test_an_outcome_filter_that_is_not_field_colon_value_is_refused(
    api: TestClient, tokens: Tokens
) -> None:
    for outcome in ("eligible", ":true", "eligible=true"):
        refused = api.get(
            "/audit/decisions",
            params={"outcome": ["automated:true", outcome]},
            headers=tokens.auditor(),
        )

        [detail] = problem(refused)
        assert detail["loc"] == ["query", "outcome"]
        assert detail["msg"] == f"{outcome!r} is not field:value (e.g. eligible:true)"


def test_a_bad_ledger_query_is_refused_naming_the_parameter(
    api: TestClient, tokens: Tokens
) -> None:
    for params, field in (
        ({"rule_version": 0}, "rule_version"),
        ({"decided_from": "February"}, "decided_from"),
        ({"automated": "perhaps"}, "automated"),
        ({"customer_id": "not-a-uuid"}, "customer_id"),
    ):
        refused = api.get("/audit/decisions", params=params, headers=tokens.auditor())
        assert fields_named(refused) == [field]


def test_every_recorded_decision_reproduces_from_its_recorded_inputs(
    api: TestClient, tokens: Tokens, decisions: Decisions
) -> None:
    entries = ledger(api, tokens, decisions)["decisions"]

    for entry in entries:
        reproduction = ok(
            api.get(
                f"/audit/decisions/{entry['position']}/{entry['index']}/reproduction",
                headers=tokens.auditor(),
            )
        )
        assert reproduction["reproduces"] is True, reproduction
        assert (reproduction["position"], reproduction["index"]) == (
            entry["position"],
            entry["index"],
        )
        assert (reproduction["rule_id"], reproduction["rule_version"]) == (
            entry["rule_id"],
            entry["rule_version"],
        )
        assert reproduction["recomputed_outcome"] == reproduction["recorded_outcome"]
    rates = next(entry for entry in entries if entry["rule_id"] == "pip.component_rates")
    reproduced = ok(
        api.get(f"/audit/decisions/{rates['position']}/0/reproduction", headers=tokens.auditor())
    )
    # The rule's own outcome is what re-runs; the override sits beside it on the record.
    assert reproduced["recorded_outcome"]["daily_living_rate"] == "standard"
    assert reproduced["recomputed_reasons"][0].startswith("Daily living activities scored 9")


def test_reproducing_a_decision_that_is_not_on_record_is_not_found(
    api: TestClient, tokens: Tokens, decisions: Decisions
) -> None:
    registered_at = 1  # Customer.Registered records no decision
    for position, index in ((registered_at, 0), (decisions.position, 1), (10_000, 0)):
        answer = api.get(
            f"/audit/decisions/{position}/{index}/reproduction", headers=tokens.auditor()
        )
        assert answer.status_code == 404, answer.text
        assert f"log position {position}" in answer.json()["detail"]


def test_a_position_or_index_past_what_the_log_can_hold_is_refused_naming_it(
    api: TestClient, tokens: Tokens
) -> None:
    # 2**63 does not fit the stores' 64-bit positions: it was a 500 (found by the hostile
    # request property), before any lookup could say "not found".
    for position, index, field in ((2**63, 0, "position"), (0, 0, "position"), (1, 100, "index")):
        answer = api.get(
            f"/audit/decisions/{position}/{index}/reproduction", headers=tokens.auditor()
        )
        assert fields_named(answer) == [field], answer.text


# -- history as known then ---------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """A customer whose facts were recorded on 5, 12 and 26 January."""

    customer_id: UUID
    claim_id: UUID


@pytest.fixture
def recorded(api: TestClient, tokens: Tokens, clock: SimulatedClock) -> Recorded:
    """Registered, claimed and sent the PIP2 on the 5th; a change and support need on the 12th;
    the PIP2 back on the 26th."""
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
    accepted(
        api.post(
            f"/customers/{customer_id}/support-markers",
            json={
                "marker": {"need": "literacy", "duration": "long_term"},
                "effective_date": "2026-01-12",
            },
            headers=tokens.caseworker(),
        ),
        201,
    )
    move_to(clock, date(2026, 1, 26))
    return_questionnaire(api, me, claim_id, date(2026, 1, 23))
    return Recorded(customer_id, claim_id)


def known_at(api: TestClient, tokens: Tokens, customer_id: UUID, as_of: str) -> Json:
    """What the department knew about a customer at a recorded time."""
    known: Json = ok(
        api.get(
            f"/audit/customers/{customer_id}/known-at",
            params={"as_of": as_of},
            headers=tokens.auditor(),
        )
    )
    return known


def test_known_at_gives_the_state_and_only_the_events_recorded_by_then(
    api: TestClient, tokens: Tokens, recorded: Recorded
) -> None:
    before_the_change = known_at(api, tokens, recorded.customer_id, "2026-01-10T00:00:00Z")

    customer = before_the_change["customer"]
    assert (customer["customer_id"], customer["name"]) == (
        str(recorded.customer_id),
        "Ada Lovelace",
    )
    assert (customer["circumstances"], customer["support_markers"]) == ([], [])
    [claim] = before_the_change["claims"]
    assert claim["claim_id"] == str(recorded.claim_id)
    assert (claim["status"], claim["questionnaire_due_on"]) == (
        "awaiting_questionnaire",
        "2026-02-05",
    )
    assert [event["kind"] for event in before_the_change["events"]] == [
        "Customer.Registered",
        "Customer.ClaimOpened",
        "Claim.Started",
        "Claim.QuestionnaireIssued",
        "Customer.ContactQueued",  # the PIP2 letter, stored with the questionnaire
    ]

    after_the_change = known_at(api, tokens, recorded.customer_id, "2026-01-20T00:00:00Z")

    assert after_the_change["customer"]["circumstances"] == [
        {"effective_date": "2026-01-01", "description": "Moved to Leeds"}
    ]
    assert [m["need"] for m in after_the_change["customer"]["support_markers"]] == ["literacy"]
    assert after_the_change["claims"][0]["status"] == "awaiting_questionnaire"
    assert [event["kind"] for event in after_the_change["events"]][5:] == [
        "Customer.CircumstancesChanged",
        "Customer.SupportMarkerAdded",
    ]

    now = known_at(api, tokens, recorded.customer_id, "2026-02-01T00:00:00+00:00")

    assert now["claims"][0]["status"] == "awaiting_assessment"
    assert now["events"][-1]["kind"] == "Claim.QuestionnaireReturned"
    assert all(event["recorded_at"] <= "2026-02-01" for event in now["events"])
    assert now["as_of"] == "2026-02-01T00:00:00Z"


def test_known_at_a_moment_in_another_time_zone_means_the_same_instant(
    api: TestClient, tokens: Tokens, recorded: Recorded
) -> None:
    # 09:00 UTC on the 12th, when the change was recorded, is 10:00 in Paris.
    paris = known_at(api, tokens, recorded.customer_id, "2026-01-12T10:00:00+01:00")
    utc = known_at(api, tokens, recorded.customer_id, "2026-01-12T09:00:00Z")

    assert paris["events"] == utc["events"]
    assert paris["customer"] == utc["customer"]
    assert len(utc["events"]) == 7  # with the PIP2 letter queued on the customer


def test_known_at_before_the_customer_was_registered_is_not_found(
    api: TestClient, tokens: Tokens, recorded: Recorded
) -> None:
    answer = api.get(
        f"/audit/customers/{recorded.customer_id}/known-at",
        params={"as_of": "2026-01-05T08:59:59Z"},
        headers=tokens.auditor(),
    )
    unknown = api.get(
        f"/audit/customers/{uuid4()}/known-at",
        params={"as_of": "2026-01-20T00:00:00Z"},
        headers=tokens.auditor(),
    )

    assert answer.status_code == 404
    assert "was not registered at 2026-01-05T08:59:59" in answer.json()["detail"]
    assert unknown.status_code == 404


def test_known_at_needs_a_time_with_a_time_zone(
    api: TestClient, tokens: Tokens, recorded: Recorded
) -> None:
    path = f"/audit/customers/{recorded.customer_id}/known-at"

    naive = api.get(path, params={"as_of": "2026-01-20T00:00:00"}, headers=tokens.auditor())
    missing = api.get(path, headers=tokens.auditor())
    garbled = api.get(path, params={"as_of": "last week"}, headers=tokens.auditor())

    assert fields_named(naive) == ["as_of"]
    assert "timezone" in naive.json()["detail"][0]["msg"]
    assert fields_named(missing) == ["as_of"]
    assert fields_named(garbled) == ["as_of"]
