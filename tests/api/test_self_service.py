"""Self-service over HTTP: what a signed-in customer sees and the commands they send themselves."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from domain.identity import customer_id_for
from services.clock import SimulatedClock
from tests.api.helpers import (
    CLAIM_DAY,
    QUESTIONNAIRE_DUE,
    RETURN_KEYED_IN,
    RETURNED,
    Tokens,
    accepted,
    decided_pip_claim,
    fields_named,
    issue_questionnaire,
    move_to,
    ok,
    only_claim,
    pip_claim_awaiting_questionnaire,
    register,
    registered,
    return_questionnaire,
    self_service,
    start_claim,
)
from tests.integration.helpers import nothing_appended


def test_a_customer_starts_a_pip_claim_and_is_told_we_will_send_the_questionnaire(
    api: TestClient, tokens: Tokens
) -> None:
    customer_id = register(api, tokens, name="  Ada Lovelace ")
    me = tokens.customer(customer_id)

    started = start_claim(api, me, customer_id)

    view = ok(api.get("/me", params={"after_position": started.position}, headers=me))
    assert view["customer_id"] == str(customer_id)
    assert view["name"] == "Ada Lovelace"
    assert view["position"] >= started.position
    claim = only_claim(view)
    assert claim["claim_id"] == str(started.id)
    assert (claim["benefit"], claim["made_on"]) == ("PIP", CLAIM_DAY.isoformat())
    assert (claim["status"], claim["status_text"]) == ("started", "We have your claim")
    assert claim["next_step"] == {
        "who": "us",
        "text": "We will send you a questionnaire (PIP2) to fill in.",
        "by": None,
    }
    assert claim["award"] is None
    assert claim["rights"] == []


def test_a_customer_is_told_to_return_the_questionnaire_by_its_due_date(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    claim = pip_claim_awaiting_questionnaire(api, tokens, clock)
    me = tokens.customer(claim.customer_id)

    mine = only_claim(ok(api.get("/me", params={"after_position": claim.position}, headers=me)))

    assert mine["status"] == "awaiting_questionnaire"
    assert mine["status_text"] == "Waiting for your questionnaire"
    assert mine["next_step"] == {
        "who": "you",
        "text": "Return your questionnaire (PIP2) by 5 February 2026.",
        "by": QUESTIONNAIRE_DUE.isoformat(),
    }
    # The same page, by the customer's record id.
    same = self_service(api, me, claim.customer_id, claim.position)
    assert only_claim(same) == mine


def test_a_customer_returning_the_questionnaire_is_told_an_assessment_comes_next(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    claim = pip_claim_awaiting_questionnaire(api, tokens, clock)
    me = tokens.customer(claim.customer_id)
    move_to(clock, RETURN_KEYED_IN)

    returned = return_questionnaire(api, me, claim.claim_id, RETURNED)

    assert returned.id == claim.claim_id
    mine = only_claim(self_service(api, me, claim.customer_id, returned.position))
    assert (mine["status"], mine["status_text"]) == (
        "awaiting_assessment",
        "We have your questionnaire",
    )
    assert mine["next_step"]["who"] == "us"
    assert mine["next_step"]["text"].startswith("A health professional will assess")
    assert mine["next_step"]["by"] is None


def test_a_decided_claim_shows_the_award_its_reasons_and_the_rights_with_their_last_days(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    claim = decided_pip_claim(api, tokens, clock, daily_living=9, mobility=4)

    me = tokens.customer(claim.customer_id)
    mine = only_claim(self_service(api, me, claim.customer_id, claim.position))

    assert (mine["status"], mine["status_text"]) == ("awarded", "Awarded")
    assert mine["decided_on"] == "2026-02-23"
    assert mine["next_step"] is None
    assert mine["award"] == {
        "entitled": True,
        "text": "You get PIP: the daily living part at the standard rate "
        "from 5 January 2026 to 4 January 2028.",
        "daily_living": "standard rate",
        "mobility": None,
        "starts_on": "2026-01-05",
        "ends_on": "2028-01-04",
        # The weekly amounts are known once the award is uprated (journeys uprate).
        "daily_living_weekly_pence": None,
        "mobility_weekly_pence": None,
        "weekly_total_pence": None,
        "weekly_amounts_from": None,
        "amounts_text": None,
    }
    assert mine["decision_reasons"][0].startswith("Daily living activities scored 9 points")
    assert mine["decision_reasons"][1].startswith("Mobility activities scored 4 points")
    assert mine["rights"] == [
        {
            "kind": "statement_of_reasons",
            "text": "Ask us to explain our decision in writing by 23 March 2026. This gives "
            "you 14 more days to ask us to look at it again.",
            "by": "2026-03-23",
        },
        {
            "kind": "reconsideration",
            "text": "If you disagree, ask us to look at the decision again (mandatory "
            "reconsideration) by 23 March 2026.",
            "by": "2026-03-23",
        },
    ]


def test_asking_for_a_statement_of_reasons_gives_14_more_days_to_ask_for_reconsideration(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    claim = decided_pip_claim(api, tokens, clock)
    me = tokens.customer(claim.customer_id)
    move_to(clock, date(2026, 3, 2))

    asked = accepted(
        api.post(
            f"/claims/{claim.claim_id}/statement-of-reasons",
            json={"requested_on": "2026-03-02"},
            headers=me,
        ),
        201,
    )

    mine = only_claim(self_service(api, me, claim.customer_id, asked.position))
    assert mine["statement_of_reasons_asked_on"] == "2026-03-02"
    assert [(right["kind"], right["by"]) for right in mine["rights"]] == [
        ("reconsideration", "2026-04-06")
    ]
    assert "by 6 April 2026" in mine["rights"][0]["text"]


def test_after_the_reconsideration_outcome_the_customer_may_appeal_until_a_month_later(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    claim = decided_pip_claim(api, tokens, clock)
    me = tokens.customer(claim.customer_id)
    move_to(clock, date(2026, 3, 10))

    asked = accepted(
        api.post(
            f"/claims/{claim.claim_id}/reconsideration",
            json={"requested_on": "2026-03-10", "grounds": "My mobility needs were missed"},
            headers=me,
        ),
        201,
    )
    waiting = only_claim(self_service(api, me, claim.customer_id, asked.position))
    assert waiting["dispute"] == "reconsideration_requested"
    assert waiting["rights"] == []
    assert waiting["next_step"] == {
        "who": "us",
        "text": "We are looking at your decision again and will write to you.",
        "by": None,
    }

    move_to(clock, date(2026, 4, 1))
    outcome = accepted(
        api.post(
            f"/claims/{claim.claim_id}/reconsideration/outcome",
            json={"notice_sent_on": "2026-04-01", "reason": "The points were right"},
            headers=tokens.caseworker(),
        )
    )

    reconsidered = only_claim(self_service(api, me, claim.customer_id, outcome.position))
    assert reconsidered["dispute"] == "reconsidered"
    assert reconsidered["decision_reasons"] == [
        "We looked at the decision again: it was not changed."
    ]
    assert reconsidered["rights"] == [
        {
            "kind": "appeal",
            "text": "If you still disagree, you can appeal to the tribunal by 1 May 2026.",
            "by": "2026-05-01",
        }
    ]
    assert reconsidered["award"]["daily_living"] == "standard rate"


def test_a_customer_reports_a_change_and_sees_it_with_their_declared_support(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    customer_id = register(api, tokens)
    me = tokens.customer(customer_id)
    accepted(
        api.post(
            f"/customers/{customer_id}/support-markers",
            json={
                "marker": {"need": "sensory", "duration": "long_term", "details": "deaf"},
                "effective_date": "2026-01-02",
            },
            headers=tokens.caseworker(),
        ),
        201,
    )

    changed = accepted(
        api.post(
            f"/customers/{customer_id}/changes",
            json={"effective_date": "2026-01-01", "description": "Moved to Leeds"},
            headers=me,
        ),
        201,
    )

    assert changed.id == customer_id
    view = ok(api.get("/me", params={"after_position": changed.position}, headers=me))
    assert view["reported_changes"] == [
        {"effective_date": "2026-01-01", "description": "Moved to Leeds"}
    ]
    assert view["support"] == [{"need": "sensory", "duration": "long_term", "since": "2026-01-02"}]
    assert "deaf" not in str(view)  # the caseworker's details stay internal


def test_a_third_party_claim_does_not_reveal_who_made_it_anywhere_on_the_customers_page(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    customer_id = register(api, tokens)
    made = accepted(
        api.post(
            f"/customers/{customer_id}/claims",
            json={
                "benefit": "PIP",
                "claim_date": CLAIM_DAY.isoformat(),
                "channel": "phone",
                "claimant_role": "third_party",
            },
            headers=tokens.caseworker("CW-SR1"),
        ),
        201,
    )
    issued = issue_questionnaire(api, tokens, made.id, clock.today())
    me = tokens.customer(customer_id)

    pages = [
        api.get("/me", params={"after_position": issued.position}, headers=me),
        api.get(f"/customers/{customer_id}/self-service", headers=me),
        api.get(f"/customers/{customer_id}/self-service", headers=tokens.caseworker()),
    ]

    for page in pages:
        assert page.status_code == 200
        assert only_claim(page.json())["claim_id"] == str(made.id)
        text = page.text.lower()
        for secret in ("third_party", "third party", "claimant", "phone", "cw-sr1", "caseworker"):
            assert secret not in text, f"{secret!r} revealed to the customer: {page.text}"
    # The department does know: the caseworker's timeline says who made the claim.
    timeline = ok(
        api.get(
            f"/customers/{customer_id}/timeline",
            params={"kind": "Claim.Started"},
            headers=tokens.caseworker(),
        )
    )
    assert timeline["entries"][0]["summary"] == "PIP claim made by third_party via phone"
    assert timeline["entries"][0]["caused_by"] == "caseworker:CW-SR1"


def test_a_customer_can_only_claim_for_themselves(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = register(api, tokens)

    with nothing_appended(journeys):
        refused = api.post(
            f"/customers/{customer_id}/claims",
            json={"benefit": "PIP", "claim_date": "2026-01-05", "claimant_role": "third_party"},
            headers=tokens.customer(customer_id),
        )

    assert fields_named(refused) == ["claimant_role"]
    assert "claim for themselves" in refused.json()["detail"][0]["msg"]


def test_a_signed_in_customer_without_a_record_is_told_there_is_none(
    api: TestClient, tokens: Tokens
) -> None:
    customer_id = register(api, tokens)
    stranger = customer_id_for("AB999999A")
    assert stranger != customer_id

    answer = api.get("/me", headers=tokens.customer(stranger))

    assert answer.status_code == 404
    assert str(stranger) in answer.json()["detail"]


def test_a_caseworker_may_open_a_customers_page_but_has_no_page_of_their_own(
    api: TestClient, tokens: Tokens
) -> None:
    customer = registered(api, tokens, name="Grace Hopper")

    page = self_service(api, tokens.caseworker(), customer.id, customer.position)

    assert page["name"] == "Grace Hopper"
    assert api.get("/me", headers=tokens.caseworker()).status_code == 403
