"""Refusals over HTTP: 422 naming the field, 404 for unknown records, 409 for conflicts.

Whatever the refusal, nothing is appended to the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import OperationalError, RecordConflictError
from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys, build
from domain.identity import customer_id_for
from services.clock import SimulatedClock
from tests.api.helpers import (
    Json,
    Tokens,
    accepted,
    assessment_body,
    fields_named,
    ok,
    pip_claim_awaiting_questionnaire,
    problem,
    register,
)
from tests.integration.helpers import log_position, nothing_appended, topics_since

TOMORROW = "2026-01-06"


def test_malformed_commands_are_refused_naming_the_field(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    claim = pip_claim_awaiting_questionnaire(api, tokens, clock)
    customer, claim_path = f"/customers/{claim.customer_id}", f"/claims/{claim.claim_id}"
    registration = {"nino": "AB123456C", "name": "Ada", "date_of_birth": "1985-03-14"}
    cases: list[tuple[str, Json, list[str]]] = [
        ("/customers", {k: v for k, v in registration.items() if k != "name"}, ["name"]),
        ("/customers", {**registration, "date_of_birth": "14/03/1985"}, ["date_of_birth"]),
        ("/customers", {**registration, "nino": ""}, ["nino"]),
        ("/customers", {**registration, "ssn": "123-45-6789"}, ["ssn"]),  # unknown field
        ("/customers", {**registration, "contact_preferences": {"channel": "fax"}}, ["channel"]),
        (f"{customer}/claims", {"benefit": "XYZ", "claim_date": "2026-01-05"}, ["benefit"]),
        (
            f"{customer}/claims",
            {"benefit": "UC", "claim_date": "2026-01-05", "channel": "pigeon"},
            ["channel"],
        ),
        (
            f"{customer}/changes",
            {"effective_date": "2026-01-05", "description": ""},
            ["description"],
        ),
        (
            f"{customer}/support-markers",
            {
                "marker": {"need": "boredom", "duration": "long_term"},
                "effective_date": "2026-01-05",
            },
            ["need"],
        ),
        (f"{claim_path}/questionnaire/return", {}, ["received_on"]),
        (
            f"{claim_path}/assessment",
            {**assessment_body(9, 4, date(2026, 1, 5)), "daily_living": {"preparing_food": "lots"}},
            ["preparing_food"],
        ),
        (
            f"{claim_path}/reconsideration",
            {"requested_on": "2026-01-05", "grounds": "x" * 2001},
            ["grounds"],
        ),
        (
            f"{claim_path}/appeal",
            {"lodged_on": "2026-01-05", "sought_mobility": "maximum"},
            ["sought_mobility"],
        ),
        (
            "/claims/not-a-claim/withdrawal",
            {"withdrawn_on": "2026-01-05", "reason": "x"},
            ["claim_id"],
        ),
    ]

    for path, body, fields in cases:
        with nothing_appended(journeys):
            refused = api.post(path, json=body, headers=tokens.caseworker())
        assert fields_named(refused) == fields, (path, body, refused.text)
        assert all(detail["msg"] for detail in refused.json()["detail"])
    with nothing_appended(journeys):
        not_json = api.post(
            "/customers",
            content=b"{nino: AB123456C",
            headers={**tokens.caseworker(), "Content-Type": "application/json"},
        )
    assert not_json.status_code == 422


def test_a_date_of_something_that_happened_cannot_be_after_today_and_the_field_is_named(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    claim = pip_claim_awaiting_questionnaire(api, tokens, clock)
    customer, claim_path = f"/customers/{claim.customer_id}", f"/claims/{claim.claim_id}"
    award = {"entitled": True, "starts_on": "2026-01-05", "ends_on": "2028-01-04"}
    cases: list[tuple[str, Json, str]] = [
        ("/customers", {"nino": "AB123456C", "name": "Ada", "date_of_birth": TOMORROW}, ""),
        (f"{customer}/claims", {"benefit": "UC", "claim_date": TOMORROW}, ""),
        (f"{customer}/changes", {"effective_date": TOMORROW, "description": "New job"}, ""),
        (
            f"{customer}/support-markers",
            {"marker": {"need": "health", "duration": "one_off"}, "effective_date": TOMORROW},
            "",
        ),
        (f"{claim_path}/questionnaire", {"issued_on": TOMORROW}, ""),
        (f"{claim_path}/questionnaire/return", {"received_on": TOMORROW}, ""),
        (f"{claim_path}/assessment", assessment_body(9, 4, date(2026, 1, 6)), "assessed_on"),
        (
            f"{claim_path}/decision",
            {"decided_on": TOMORROW, "starts_on": "2026-01-05", "ends_on": "2028-01-04"},
            "",
        ),
        (
            f"{claim_path}/entitlement-decision",
            {"decided_on": TOMORROW, "entitled": False, "reason": "x"},
            "",
        ),
        (f"{claim_path}/withdrawal", {"withdrawn_on": TOMORROW, "reason": "x"}, ""),
        (f"{claim_path}/statement-of-reasons", {"requested_on": TOMORROW}, ""),
        (f"{claim_path}/reconsideration", {"requested_on": TOMORROW, "grounds": "x"}, ""),
        (
            f"{claim_path}/reconsideration/outcome",
            {"notice_sent_on": TOMORROW, "reason": "x"},
            "",
        ),
        (f"{claim_path}/appeal", {"lodged_on": TOMORROW}, ""),
        (f"{claim_path}/appeal/revision", {"revised_on": TOMORROW, "award": award}, ""),
        (
            f"{claim_path}/appeal/outcome",
            {"decided_on": TOMORROW, "allowed": False, "judge": "J-1", "reason": "x"},
            "",
        ),
    ]

    for path, body, named in cases:
        field = named or next(key for key, value in body.items() if value == TOMORROW)
        with nothing_appended(journeys):
            refused = api.post(path, json=body, headers=tokens.caseworker())
        [detail] = problem(refused)
        assert detail["loc"] == ["body", field], (path, detail)
        assert detail["msg"] == f"{field} 2026-01-06 is after today (2026-01-05)", (path, detail)


def test_a_refused_command_says_why_in_the_same_shape_as_a_validation_error(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    claim = pip_claim_awaiting_questionnaire(api, tokens, clock)
    cases: list[tuple[str, Json, str, str]] = [
        (
            "/customers",
            {"nino": "QQ123456C", "name": "Ada", "date_of_birth": "1985-03-14"},
            "InvalidNationalInsuranceNumber",
            "National Insurance number 'QQ123456C' is not two letters",
        ),
        (
            "/customers",
            {"nino": "AB123456C", "name": "   ", "date_of_birth": "1985-03-14"},
            "InvalidName",
            "name must not be blank",
        ),
        (
            f"/claims/{claim.claim_id}/questionnaire",
            {"issued_on": "2026-01-05"},
            "QuestionnaireNotOutstanding",
            "already been issued",
        ),
        (
            f"/claims/{claim.claim_id}/reconsideration",
            {"requested_on": "2026-01-05", "grounds": "Too low"},
            "NoDecisionToDispute",
            "the claim has no notified decision",
        ),
        (
            f"/claims/{claim.claim_id}/withdrawal",
            {"withdrawn_on": "2026-01-04", "reason": "x"},
            "InvalidClaimDate",
            "withdrawal date 2026-01-04 is before 2026-01-05",
        ),
    ]

    for path, body, kind, message in cases:
        with nothing_appended(journeys):
            refused = api.post(path, json=body, headers=tokens.caseworker())
        [detail] = problem(refused)
        assert detail["type"] == kind, detail
        assert detail["loc"][0] == "body"
        assert message in detail["msg"], detail


def test_a_refusal_names_the_field_its_error_carries_whatever_its_message_starts_with(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    registration = {"nino": "AB123456C", "name": "Ada", "date_of_birth": "1985-03-14"}
    cases: list[tuple[Json, list[str], str]] = [
        ({**registration, "nino": "QQ123456C"}, ["body", "nino"], "National Insurance number"),
        ({**registration, "name": "   "}, ["body", "name"], "name must not be blank"),
    ]

    for body, location, message in cases:
        with nothing_appended(journeys):
            refused = api.post("/customers", json=body, headers=tokens.caseworker())
        [detail] = problem(refused)
        assert detail["loc"] == location, detail
        assert detail["msg"].startswith(message), detail


def test_assessment_points_outside_the_scale_are_refused_with_the_activity_named(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    claim = pip_claim_awaiting_questionnaire(api, tokens, clock)
    accepted(
        api.post(
            f"/claims/{claim.claim_id}/questionnaire/return",
            json={"received_on": "2026-01-05"},
            headers=tokens.customer(claim.customer_id),
        )
    )
    body = assessment_body(9, 4, date(2026, 1, 5))

    with nothing_appended(journeys):
        refused = api.post(
            f"/claims/{claim.claim_id}/assessment",
            json={**body, "mobility": {"moving_around": 99, "planning_and_following_journeys": 0}},
            headers=tokens.caseworker(),
        )

    [detail] = problem(refused)
    assert detail["type"] == "InvalidAssessmentPoints"
    assert "moving_around scored 99" in detail["msg"]


def test_unknown_customers_and_claims_are_not_found(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    register(api, tokens)  # a non-empty log
    nobody, nothing = uuid4(), uuid4()
    commands: list[tuple[str, Json]] = [
        (f"/customers/{nobody}/claims", {"benefit": "UC", "claim_date": "2026-01-05"}),
        (f"/customers/{nobody}/changes", {"effective_date": "2026-01-05", "description": "x"}),
        (
            f"/customers/{nobody}/support-markers",
            {"marker": {"need": "health", "duration": "one_off"}, "effective_date": "2026-01-05"},
        ),
        (f"/claims/{nothing}/questionnaire", {"issued_on": "2026-01-05"}),
        (f"/claims/{nothing}/questionnaire/return", {"received_on": "2026-01-05"}),
        (f"/claims/{nothing}/negative-determination", {}),
        (f"/claims/{nothing}/withdrawal", {"withdrawn_on": "2026-01-05", "reason": "x"}),
        (f"/claims/{nothing}/statement-of-reasons", {"requested_on": "2026-01-05"}),
    ]

    for path, body in commands:
        with nothing_appended(journeys):
            answer = api.post(path, json=body, headers=tokens.caseworker())
        assert answer.status_code == 404, (path, answer.text)
        assert str(nobody if "customers" in path else nothing) in answer.json()["detail"]
    for path in (f"/customers/{nobody}/self-service", f"/customers/{nobody}/timeline"):
        answer = api.get(path, headers=tokens.caseworker())
        assert answer.status_code == 404, (path, answer.text)
    # A customer asking about a claim that does not exist learns only that.
    customer_id = register(api, tokens)
    answer = api.post(
        f"/claims/{nothing}/statement-of-reasons",
        json={"requested_on": "2026-01-05"},
        headers=tokens.customer(customer_id),
    )
    assert answer.status_code == 404


def test_registering_a_nino_twice_is_a_conflict_that_retrying_will_not_resolve(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    first = {"nino": "AB123456C", "name": "Ada Lovelace", "date_of_birth": "1985-03-14"}
    assert accepted(api.post("/customers", json=first, headers=tokens.caseworker()), 201).id == (
        customer_id_for("AB123456C")
    )

    for nino in ("AB123456C", "ab 12 34 56 c"):
        with nothing_appended(journeys):
            again = api.post(
                "/customers",
                json={**first, "nino": nino, "name": "Someone Else"},
                headers=tokens.caseworker(),
            )
        assert again.status_code == 409
        assert again.json() == {"detail": "AB123456C is already registered", "retryable": False}


# -- concurrent updates ----------------------------------------------------------------------------


def test_a_command_that_keeps_meeting_conflicts_is_a_retryable_409_and_saves_nothing(
    api: TestClient,
    tokens: Tokens,
    journeys: Journeys,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer_id = register(api, tokens)
    saves: list[int] = []

    def always_conflicting(*_: Any, **__: Any) -> Any:
        saves.append(1)
        raise RecordConflictError("someone else saved version 2 first")

    monkeypatch.setattr(journeys.application.events, "put", always_conflicting)

    with nothing_appended(journeys):
        answer = api.post(
            f"/customers/{customer_id}/changes",
            json={"effective_date": "2026-01-05", "description": "Moved"},
            headers=tokens.customer(customer_id),
        )

    assert answer.status_code == 409
    body = answer.json()
    assert body["retryable"] is True
    assert str(customer_id) in body["detail"]
    assert "try again" in body["detail"]
    # The first try runs on the customer's cached events; a conflict there only means the
    # cache was behind, so the command then gets its full three tries on fresh events.
    assert len(saves) == 1 + journeys.application.command_attempts == 4
    assert "X-Journeys-Position" not in answer.headers


@pytest.fixture
def rival(journeys: Journeys, clock: SimulatedClock) -> Iterator[Journeys]:
    """A second instance of the system on the same store (another API process)."""
    system = build(journeys.settings, clock=clock)
    try:
        yield system
    finally:
        system.close()


def test_a_change_made_by_another_process_mid_command_is_a_409_and_a_retry_succeeds(
    api: TestClient,
    tokens: Tokens,
    journeys: Journeys,
    rival: Journeys,
    clock: SimulatedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer_id = register(api, tokens)
    monkeypatch.setattr(journeys.application, "command_attempts", 1)
    original_load: Callable[..., Any] = journeys.application._load

    def load_then_rival_writes(aggregate_id: UUID, kind: type[Any], **options: Any) -> Any:
        aggregate = original_load(aggregate_id, kind, **options)
        rival.application.report_change(customer_id, "rival change", clock.today())
        return aggregate

    monkeypatch.setattr(journeys.application, "_load", load_then_rival_writes)
    before = log_position(journeys)
    change = {"effective_date": "2026-01-05", "description": "our change"}

    conflict = api.post(
        f"/customers/{customer_id}/changes", json=change, headers=tokens.customer(customer_id)
    )

    assert conflict.status_code == 409
    assert conflict.json()["retryable"] is True
    # The rival wrote after each load: once after the try on cached events (which costs no
    # attempt) and once after the one fresh attempt allowed.
    assert topics_since(journeys, before) == ["Customer.CircumstancesChanged"] * 2
    monkeypatch.setattr(journeys.application, "_load", original_load)
    retried = accepted(
        api.post(
            f"/customers/{customer_id}/changes", json=change, headers=tokens.customer(customer_id)
        ),
        201,
    )
    page = ok(
        api.get(
            "/me",
            params={"after_position": retried.position},
            headers=tokens.customer(customer_id),
        )
    )
    assert [c["description"] for c in page["reported_changes"]] == [
        "rival change",
        "rival change",
        "our change",
    ]


@pytest.mark.parametrize(
    "lost",
    [
        OperationalError("terminating connection due to administrator command"),
        psycopg.OperationalError("server closed the connection unexpectedly"),
    ],
)
def test_a_lost_database_connection_is_a_retryable_503_and_appends_nothing(
    api: TestClient,
    tokens: Tokens,
    journeys: Journeys,
    monkeypatch: pytest.MonkeyPatch,
    lost: Exception,
) -> None:
    customer_id = register(api, tokens)

    def connection_lost(*_: Any, **__: Any) -> Any:
        raise lost

    # What the recorder raises when PostgreSQL drops the connection mid-command
    # (tests/reliability/test_database_faults.py kills real backends).
    monkeypatch.setattr(journeys.application.events, "put", connection_lost)

    with nothing_appended(journeys):
        answer = api.post(
            f"/customers/{customer_id}/changes",
            json={"effective_date": "2026-01-05", "description": "Moved"},
            headers=tokens.customer(customer_id),
        )

    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "1"
    assert answer.json()["retryable"] is True
    assert "read the record, then retry" in answer.json()["detail"]


def test_an_offset_past_any_list_is_refused_naming_it(api: TestClient, tokens: Tokens) -> None:
    # Found by tests/reliability/test_hostile_input.py: 2**63 overflowed SQLite's integers (500).
    answer = api.get(
        "/worklists/dla-to-pip/dla_suspended",
        params={"offset": 2**63},
        headers=tokens.caseworker(),
    )

    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["query", "offset"]
