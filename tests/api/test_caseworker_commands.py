"""Caseworker commands over HTTP: registration, the PIP2, decisions, withdrawal and disputes."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from domain.identity import customer_id_for
from services.clock import SimulatedClock
from tests.api.helpers import (
    CLAIM_DAY,
    DECIDED,
    QUESTIONNAIRE_DUE,
    Json,
    Tokens,
    accepted,
    decided_pip_claim,
    move_to,
    ok,
    only_claim,
    pip_claim_awaiting_decision,
    pip_claim_awaiting_questionnaire,
    problem,
    register,
    self_service,
    start_claim,
)
from tests.integration.helpers import nothing_appended


def timeline_of(api: TestClient, tokens: Tokens, customer_id: UUID, after: int, kind: str) -> Json:
    """The newest timeline entry of one kind."""
    page = ok(
        api.get(
            f"/customers/{customer_id}/timeline",
            params={"kind": kind, "after_position": after},
            headers=tokens.caseworker(),
        )
    )
    assert page["entries"], f"no {kind} on the timeline"
    entry: Json = page["entries"][-1]
    return entry


def post(api: TestClient, tokens: Tokens, path: str, body: Json, status: int = 200) -> int:
    """A caseworker command that must be accepted; the position it reached."""
    return accepted(api.post(path, json=body, headers=tokens.caseworker()), status).position


def test_a_caseworker_registers_a_customer_whose_id_derives_from_the_nino(
    api: TestClient, tokens: Tokens
) -> None:
    answer = accepted(
        api.post(
            "/customers",
            json={
                "nino": "ab 12 34 56 c",
                "name": "Ada Lovelace",
                "date_of_birth": "1985-03-14",
                "contact_preferences": {"channel": "email", "large_print": True},
            },
            headers=tokens.caseworker(),
        ),
        201,
    )

    assert answer.id == customer_id_for("AB123456C")
    registered = timeline_of(api, tokens, answer.id, answer.position, "Customer.Registered")
    assert registered["summary"] == "Registered (date of birth 1985-03-14)"
    assert registered["caused_by"] == "caseworker:CW-104"


def test_a_caseworker_marks_a_support_need_and_the_timeline_shows_it(
    api: TestClient, tokens: Tokens
) -> None:
    customer_id = register(api, tokens)

    position = post(
        api,
        tokens,
        f"/customers/{customer_id}/support-markers",
        {
            "marker": {"need": "language", "duration": "long_term", "details": "Welsh"},
            "effective_date": "2026-01-05",
        },
        201,
    )

    marked = timeline_of(api, tokens, customer_id, position, "Customer.SupportMarkerAdded")
    assert marked["summary"] == "Support marker added: language (long_term): Welsh"
    assert marked["effective_date"] == "2026-01-05"
    page = self_service(api, tokens.customer(customer_id), customer_id, position)
    assert page["support"] == [{"need": "language", "duration": "long_term", "since": "2026-01-05"}]


def test_an_overdue_questionnaire_is_disallowed_by_negative_determination_only_after_its_due_date(
    api: TestClient, tokens: Tokens, clock: SimulatedClock, journeys: Journeys
) -> None:
    claim = pip_claim_awaiting_questionnaire(api, tokens, clock)
    path = f"/claims/{claim.claim_id}/negative-determination"
    move_to(clock, QUESTIONNAIRE_DUE)

    with nothing_appended(journeys):
        on_the_due_day = api.post(path, json={}, headers=tokens.caseworker())
    assert problem(on_the_due_day)[0]["type"] == "QuestionnaireNotOverdue"
    assert "not due until 2026-02-05" in on_the_due_day.json()["detail"][0]["msg"]

    move_to(clock, date(2026, 2, 6))
    with nothing_appended(journeys):
        with_good_reason = api.post(
            path, json={"good_reason": "in hospital"}, headers=tokens.caseworker()
        )
    assert "good reason was accepted" in problem(with_good_reason)[0]["msg"]

    position = post(api, tokens, path, {})

    mine = only_claim(
        self_service(api, tokens.customer(claim.customer_id), claim.customer_id, position)
    )
    assert (mine["status"], mine["status_text"]) == ("disallowed", "Claim closed")
    assert mine["decided_on"] == "2026-02-06"
    assert mine["decision_reasons"][0] == "We did not get your questionnaire back in time."
    assert [(right["kind"], right["by"]) for right in mine["rights"]] == [
        ("statement_of_reasons", "2026-03-06"),
        ("reconsideration", "2026-03-06"),
    ]
    disallowed = timeline_of(api, tokens, claim.customer_id, position, "Claim.Disallowed")
    assert disallowed["summary"] == "Claim disallowed (questionnaire_not_returned)"
    [decision] = disallowed["decisions"]
    assert (decision["rule_id"], decision["rule_version"]) == ("pip.negative_determination", 1)
    assert decision["outcome"] == {"disallow": True}
    assert "had not been returned on 2026-02-06" in decision["reasons"][0]


def test_a_pip_decision_follows_the_points_and_names_its_rule(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    claim = decided_pip_claim(api, tokens, clock, daily_living=12, mobility=8)

    decided = timeline_of(api, tokens, claim.customer_id, claim.position, "Claim.AwardDecided")

    assert decided["summary"] == "Decided: entitled (daily living enhanced, mobility standard)"
    assert decided["effective_date"] == DECIDED.isoformat()
    [decision] = decided["decisions"]
    assert (decision["rule_id"], decision["rule_version"]) == ("pip.component_rates", 1)
    assert decision["outcome"]["daily_living_rate"] == "enhanced"
    assert decision["outcome"]["mobility_rate"] == "standard"
    assert decision["overridden_by"] is None
    award = only_claim(
        self_service(api, tokens.customer(claim.customer_id), claim.customer_id, claim.position)
    )["award"]
    assert (award["daily_living"], award["mobility"]) == ("enhanced rate", "standard rate")


def test_a_decision_maker_overrides_the_rates_with_a_reason_and_the_override_is_recorded(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    claim = pip_claim_awaiting_decision(api, tokens, clock, daily_living=9, mobility=4)
    move_to(clock, DECIDED)

    position = accepted(
        api.post(
            f"/claims/{claim.claim_id}/decision",
            json={
                "decided_on": DECIDED.isoformat(),
                "starts_on": "2026-01-05",
                "ends_on": "2028-01-04",
                "override": {
                    "daily_living": "enhanced",
                    "mobility": "standard",
                    "reason": "The assessment missed the evidence from the GP",
                },
            },
            headers=tokens.caseworker("DM-9"),
        )
    ).position

    decided = timeline_of(api, tokens, claim.customer_id, position, "Claim.AwardDecided")
    assert decided["caused_by"] == "caseworker:DM-9"
    [decision] = decided["decisions"]
    assert decision["overridden_by"] == "caseworker:DM-9"
    assert decision["automated"] is False
    assert decision["outcome"]["daily_living_rate"] == "enhanced"
    assert decision["outcome"]["mobility_rate"] == "standard"
    assert decision["reasons"][0].startswith("Daily living activities scored 9 points")
    award = only_claim(
        self_service(api, tokens.customer(claim.customer_id), claim.customer_id, position)
    )["award"]
    assert (award["daily_living"], award["mobility"]) == ("enhanced rate", "standard rate")


def test_a_non_pip_claim_is_decided_by_an_entitlement_decision_and_not_from_points(
    api: TestClient, tokens: Tokens, clock: SimulatedClock, journeys: Journeys
) -> None:
    customer_id = register(api, tokens)
    claim_id = start_claim(api, tokens.caseworker(), customer_id, benefit="UC").id
    move_to(clock, date(2026, 1, 20))

    with nothing_appended(journeys):
        from_points = api.post(
            f"/claims/{claim_id}/decision",
            json={"decided_on": "2026-01-20", "starts_on": "2026-01-05", "ends_on": "2028-01-04"},
            headers=tokens.caseworker(),
        )
    assert problem(from_points)[0]["type"] == "WrongBenefitForCommand"

    position = post(
        api,
        tokens,
        f"/claims/{claim_id}/entitlement-decision",
        {
            "decided_on": "2026-01-20",
            "entitled": True,
            "reason": "Income below the work allowance",
            "starts_on": "2026-01-05",
        },
    )

    mine = only_claim(self_service(api, tokens.customer(customer_id), customer_id, position))
    assert mine["status"] == "awarded"
    assert mine["award"]["text"] == "You get UC from 5 January 2026."
    assert [right["by"] for right in mine["rights"]] == ["2026-02-20", "2026-02-20"]
    [decision] = timeline_of(api, tokens, customer_id, position, "Claim.AwardDecided")["decisions"]
    assert (decision["rule_id"], decision["rule_version"]) == ("determination.decision_maker", 1)
    assert decision["outcome"] == {"answer": "entitled"}
    assert "Reason: Income below the work allowance" in decision["reasons"][0]


def test_a_withdrawn_claim_cannot_then_be_decided(
    api: TestClient, tokens: Tokens, clock: SimulatedClock, journeys: Journeys
) -> None:
    customer_id = register(api, tokens)
    claim_id = start_claim(api, tokens.customer(customer_id), customer_id, benefit="ESA").id

    position = post(
        api,
        tokens,
        f"/claims/{claim_id}/withdrawal",
        {"withdrawn_on": CLAIM_DAY.isoformat(), "reason": "Found work"},
    )

    mine = only_claim(self_service(api, tokens.customer(customer_id), customer_id, position))
    assert (mine["status"], mine["status_text"], mine["next_step"]) == (
        "withdrawn",
        "Withdrawn",
        None,
    )
    with nothing_appended(journeys):
        refused = api.post(
            f"/claims/{claim_id}/entitlement-decision",
            json={"decided_on": "2026-01-05", "entitled": False, "reason": "n/a"},
            headers=tokens.caseworker(),
        )
    assert problem(refused)[0]["type"] == "ClaimWithdrawn"


def test_a_dispute_runs_from_reconsideration_through_a_revision_to_the_tribunals_decision(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> None:
    claim = decided_pip_claim(api, tokens, clock, daily_living=9, mobility=4)
    me = tokens.customer(claim.customer_id)
    claim_path = f"/claims/{claim.claim_id}"
    move_to(clock, date(2026, 3, 2))
    accepted(
        api.post(
            f"{claim_path}/statement-of-reasons", json={"requested_on": "2026-03-02"}, headers=me
        ),
        201,
    )
    move_to(clock, date(2026, 3, 30))  # after a month, within the 14 extra days
    accepted(
        api.post(
            f"{claim_path}/reconsideration",
            json={"requested_on": "2026-03-30", "grounds": "Mobility was not considered"},
            headers=me,
        ),
        201,
    )
    move_to(clock, date(2026, 4, 20))
    post(
        api,
        tokens,
        f"{claim_path}/reconsideration/outcome",
        {
            "notice_sent_on": "2026-04-20",
            "reason": "The points stand",
            "revised_award": None,
        },
    )
    move_to(clock, date(2026, 5, 4))
    post(api, tokens, f"{claim_path}/appeal", {"lodged_on": "2026-05-04"}, 201)

    # A revision short of what the appeal seeks: the appeal goes on.
    move_to(clock, date(2026, 6, 1))
    revised_award = {
        "entitled": True,
        "daily_living": "enhanced",
        "mobility": "none",
        "starts_on": "2026-01-05",
        "ends_on": "2028-01-04",
    }
    position = post(
        api,
        tokens,
        f"{claim_path}/appeal/revision",
        {"revised_on": "2026-06-01", "award": revised_award},
    )
    mine = only_claim(self_service(api, me, claim.customer_id, position))
    assert mine["dispute"] == "appeal_lodged"
    assert mine["award"]["daily_living"] == "enhanced rate"
    assert mine["next_step"]["text"] == (
        "We changed our decision; your appeal goes on with the tribunal."
    )
    [lapse] = timeline_of(api, tokens, claim.customer_id, position, "Claim.RevisedDuringAppeal")[
        "decisions"
    ]
    assert (lapse["rule_id"], lapse["outcome"]) == ("dispute.appeal_lapse", {"lapses": False})

    move_to(clock, date(2026, 7, 15))
    position = post(
        api,
        tokens,
        f"{claim_path}/appeal/outcome",
        {
            "decided_on": "2026-07-15",
            "allowed": True,
            "award": {**revised_award, "mobility": "standard"},
            "judge": "JUDGE-3003",
            "reason": "Cannot follow an unfamiliar journey",
        },
    )

    mine = only_claim(self_service(api, me, claim.customer_id, position))
    assert mine["dispute"] == "appeal_decided"
    assert mine["status"] == "awarded"
    assert mine["decision_reasons"] == ["The tribunal allowed your appeal."]
    assert mine["rights"] == []
    assert mine["award"]["text"] == (
        "You get PIP: the daily living part at the enhanced rate and the mobility part at the "
        "standard rate from 5 January 2026 to 4 January 2028."
    )
    decided = timeline_of(api, tokens, claim.customer_id, position, "Claim.AppealDecided")
    assert decided["summary"] == (
        "Tribunal allowed the appeal: now entitled (daily living enhanced, mobility standard)"
    )
    assert decided["decisions"][0]["outcome"] == {"answer": "allowed"}
    kinds = [
        entry["kind"]
        for entry in ok(
            api.get(
                f"/customers/{claim.customer_id}/timeline",
                params={"effective_from": "2026-03-01"},
                headers=tokens.caseworker(),
            )
        )["entries"]
    ]
    assert kinds == [
        "Claim.StatementOfReasonsRequested",
        "Claim.ReconsiderationRequested",
        "Claim.ReconsiderationDecided",
        "Customer.ContactQueued",  # the MR notice
        "Claim.AppealLodged",
        "Claim.RevisedDuringAppeal",
        "Customer.ContactQueued",  # the revised decision
        "Claim.AppealDecided",
        "Customer.ContactQueued",  # the decision after the appeal
    ]


def test_a_fully_favourable_revision_makes_the_appeal_lapse_and_leaves_nothing_to_decide(
    api: TestClient, tokens: Tokens, clock: SimulatedClock, journeys: Journeys
) -> None:
    claim = decided_pip_claim(api, tokens, clock, daily_living=9, mobility=4)
    claim_path = f"/claims/{claim.claim_id}"
    move_to(clock, date(2026, 3, 10))
    accepted(
        api.post(
            f"{claim_path}/reconsideration",
            json={"requested_on": "2026-03-10", "grounds": "Too low"},
            headers=tokens.customer(claim.customer_id),
        ),
        201,
    )
    position = post(
        api,
        tokens,
        f"{claim_path}/reconsideration/outcome",
        {
            "notice_sent_on": "2026-03-10",
            "reason": "The GP letter shows more need",
            "revised_award": {
                "entitled": True,
                "daily_living": "enhanced",
                "mobility": "none",
                "starts_on": "2026-01-05",
                "ends_on": "2028-01-04",
            },
        },
    )
    reconsidered = only_claim(
        self_service(api, tokens.customer(claim.customer_id), claim.customer_id, position)
    )
    assert reconsidered["decision_reasons"] == ["We looked at the decision again: it was changed."]
    post(
        api,
        tokens,
        f"{claim_path}/appeal",
        {
            "lodged_on": "2026-03-10",
            "sought_daily_living": "enhanced",
            "sought_mobility": "standard",
        },
        201,
    )

    position = post(
        api,
        tokens,
        f"{claim_path}/appeal/revision",
        {
            "revised_on": "2026-03-10",
            "award": {
                "entitled": True,
                "daily_living": "enhanced",
                "mobility": "standard",
                "starts_on": "2026-01-05",
                "ends_on": "2028-01-04",
            },
        },
    )

    mine = only_claim(
        self_service(api, tokens.customer(claim.customer_id), claim.customer_id, position)
    )
    assert mine["dispute"] == "appeal_lapsed"
    assert mine["next_step"] is None
    assert mine["decision_reasons"] == [
        "We changed our decision in your favour, so your appeal has ended."
    ]
    with nothing_appended(journeys):
        refused = api.post(
            f"{claim_path}/appeal/outcome",
            json={
                "decided_on": "2026-03-10",
                "allowed": False,
                "judge": "JUDGE-1",
                "reason": "n/a",
            },
            headers=tokens.caseworker(),
        )
    assert problem(refused)[0]["type"] == "AppealNotPending"
