"""Worklists over HTTP: claims waiting for the department, soonest due first, moving on."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from services.clock import SimulatedClock
from tests.api.helpers import (
    Json,
    Tokens,
    accepted,
    decide_pip,
    fields_named,
    issue_questionnaire,
    move_to,
    ok,
    pip_claim_awaiting_questionnaire,
    record_assessment,
    register,
    return_questionnaire,
    start_claim,
)

WORKLISTS = (
    "questionnaires_outstanding",
    "assessments_due",
    "decisions_due",
    "reconsiderations_due",
    "appeal_responses_due",
)


def worklist(api: TestClient, tokens: Tokens, name: str, after: int, **params: Any) -> Json:
    """A page of a worklist as a caseworker reads it after a position."""
    page: Json = ok(
        api.get(
            f"/worklists/{name}",
            params={"after_position": after, **params},
            headers=tokens.caseworker(),
        )
    )
    assert page["worklist"] == name
    return page


def claims_on(page: Json) -> list[str]:
    """The claim ids of a page's items, in order."""
    return [item["claim_id"] for item in page["items"]]


def where_is(api: TestClient, tokens: Tokens, claim_id: UUID, after: int) -> list[str]:
    """The worklists a claim is on now."""
    return [
        name for name in WORKLISTS if str(claim_id) in claims_on(worklist(api, tokens, name, after))
    ]


def test_outstanding_questionnaires_are_listed_soonest_due_first_and_can_be_cut_by_due_date(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    # Sent (and keyed in) out of due-date order: the list must not follow the log.
    claims: dict[str, UUID] = {}
    position = 0
    for name, issued_on in (("Ada", 5), ("Bea", 2), ("Cy", 3)):
        customer_id = register(api, tokens, name=name)
        claim_date = date(2026, 1, issued_on)
        claims[name] = start_claim(api, tokens.caseworker(), customer_id, claim_date=claim_date).id
        position = issue_questionnaire(api, tokens, claims[name], claim_date).position

    page = worklist(api, tokens, "questionnaires_outstanding", position)

    assert page["total"] == 3
    assert claims_on(page) == [str(claims["Bea"]), str(claims["Cy"]), str(claims["Ada"])]
    assert [item["due_on"] for item in page["items"]] == ["2026-02-02", "2026-02-03", "2026-02-05"]
    first = page["items"][0]
    assert first["benefit"] == "PIP"
    assert first["since"] == "2026-01-02"
    assert first["detail"] == "PIP2 due back by 2 February 2026; overdue after that"

    overdue_by_the_4th = worklist(
        api, tokens, "questionnaires_outstanding", position, due_before="2026-02-04"
    )
    assert claims_on(overdue_by_the_4th) == [str(claims["Bea"]), str(claims["Cy"])]
    assert overdue_by_the_4th["total"] == 2
    paged = worklist(api, tokens, "questionnaires_outstanding", position, limit=1, offset=1)
    assert (claims_on(paged), paged["total"]) == ([str(claims["Cy"])], 3)


def test_a_pip_claim_moves_from_list_to_list_as_it_progresses_and_leaves_when_decided(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    claim = pip_claim_awaiting_questionnaire(api, tokens, clock)
    assert where_is(api, tokens, claim.claim_id, claim.position) == ["questionnaires_outstanding"]

    move_to(clock, date(2026, 1, 26))
    returned = return_questionnaire(
        api, tokens.customer(claim.customer_id), claim.claim_id, date(2026, 1, 23)
    )
    assert where_is(api, tokens, claim.claim_id, returned.position) == ["assessments_due"]
    [item] = worklist(api, tokens, "assessments_due", returned.position)["items"]
    assert (item["due_on"], item["since"]) == ("2026-02-20", "2026-01-23")  # 28 days on

    move_to(clock, date(2026, 2, 16))
    assessed = record_assessment(api, tokens, claim.claim_id, 9, 4, date(2026, 2, 12))
    assert where_is(api, tokens, claim.claim_id, assessed.position) == ["decisions_due"]
    [item] = worklist(api, tokens, "decisions_due", assessed.position)["items"]
    assert item["due_on"] == "2026-02-26"  # 14 days after the assessment

    move_to(clock, date(2026, 2, 23))
    decided = decide_pip(api, tokens, claim.claim_id)
    assert where_is(api, tokens, claim.claim_id, decided.position) == []

    move_to(clock, date(2026, 3, 10))
    asked = accepted(
        api.post(
            f"/claims/{claim.claim_id}/reconsideration",
            json={"requested_on": "2026-03-10", "grounds": "Mobility missed"},
            headers=tokens.customer(claim.customer_id),
        ),
        201,
    )
    assert where_is(api, tokens, claim.claim_id, asked.position) == ["reconsiderations_due"]
    [item] = worklist(api, tokens, "reconsiderations_due", asked.position)["items"]
    assert (item["due_on"], item["detail"]) == (
        "2026-04-07",
        "Mandatory reconsideration asked for: look at the grounds and decide",
    )

    move_to(clock, date(2026, 3, 20))
    reconsidered = accepted(
        api.post(
            f"/claims/{claim.claim_id}/reconsideration/outcome",
            json={"notice_sent_on": "2026-03-20", "reason": "Unchanged"},
            headers=tokens.caseworker(),
        )
    )
    assert where_is(api, tokens, claim.claim_id, reconsidered.position) == []

    appealed = accepted(
        api.post(
            f"/claims/{claim.claim_id}/appeal",
            json={"lodged_on": "2026-03-20"},
            headers=tokens.caseworker(),
        ),
        201,
    )
    assert where_is(api, tokens, claim.claim_id, appealed.position) == ["appeal_responses_due"]
    [item] = worklist(api, tokens, "appeal_responses_due", appealed.position)["items"]
    assert item["due_on"] == "2026-04-17"


def test_a_withdrawn_claim_leaves_its_worklist(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    claim = pip_claim_awaiting_questionnaire(api, tokens, clock)

    withdrawn = accepted(
        api.post(
            f"/claims/{claim.claim_id}/withdrawal",
            json={"withdrawn_on": "2026-01-05", "reason": "Changed my mind"},
            headers=tokens.caseworker(),
        )
    )

    assert where_is(api, tokens, claim.claim_id, withdrawn.position) == []


def test_an_unknown_worklist_or_a_bad_due_date_is_refused_naming_the_parameter(
    api: TestClient, tokens: Tokens
) -> None:
    unknown = api.get("/worklists/everything", headers=tokens.caseworker())
    bad_date = api.get(
        "/worklists/decisions_due", params={"due_before": "soon"}, headers=tokens.caseworker()
    )

    assert fields_named(unknown) == ["worklist"]
    assert fields_named(bad_date) == ["due_before"]
