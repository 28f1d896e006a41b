"""The move from child DLA to PIP over HTTP: caseworker commands, the case, deadlines, worklists.

The young person sees the move on their own page; caseworkers and auditors see the case.
Refused commands name the field and append nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from domain.transition import transition_id_for
from domain.values import Appointee
from projections.model import SelfServiceTransition
from services.clock import SimulatedClock
from tests.api.helpers import (
    CASEWORKER,
    DLA_CLAIMED,
    SIXTEENTH_BIRTHDAY,
    YOUNG_NINO,
    ChildDla,
    Headers,
    Json,
    Tokens,
    accepted,
    assessment_body,
    child_dla_recipient,
    fields_named,
    in_transition,
    move_to,
    ok,
    pip_claim_awaiting_decision,
    problem,
    register,
    self_service,
    start_claim,
    start_transition,
    transition_body,
)
from tests.integration.helpers import log_position, nothing_appended

# -- reading and running -------------------------------------------------------------------------


def case_of(api: TestClient, headers: Headers, customer_id: UUID, after: int) -> Json:
    """The transition case as staff read it, after a log position."""
    case: Json = ok(
        api.get(
            f"/customers/{customer_id}/dla-to-pip",
            params={"after_position": after},
            headers=headers,
        )
    )
    return case


def deadlines_of(
    api: TestClient, tokens: Tokens, customer_id: UUID, after: int, **params: Any
) -> Json:
    """A page of the customer's deadlines as a caseworker reads it."""
    page: Json = ok(
        api.get(
            f"/customers/{customer_id}/deadlines",
            params={"after_position": after, **params},
            headers=tokens.caseworker(),
        )
    )
    return page


def worklist(api: TestClient, tokens: Tokens, name: str, after: int, **params: Any) -> Json:
    """A page of a DLA to PIP worklist as a caseworker reads it."""
    page: Json = ok(
        api.get(
            f"/worklists/dla-to-pip/{name}",
            params={"after_position": after, **params},
            headers=tokens.caseworker(),
        )
    )
    assert page["worklist"] == name
    return page


def customers_on(page: Json) -> list[str]:
    """The customer ids of a worklist page's items, in order."""
    return [item["customer_id"] for item in page["items"]]


def my_move(api: TestClient, tokens: Tokens, customer_id: UUID, after: int) -> Json:
    """The DLA to PIP section of the young person's own page (GET /me)."""
    page: Json = ok(
        api.get("/me", params={"after_position": after}, headers=tokens.customer(customer_id))
    )
    section: Json = page["dla_to_pip"]
    return section


def command(api: TestClient, tokens: Tokens, path: str, body: Json, status: int = 200) -> int:
    """A caseworker command that must be accepted; the log position it reached."""
    return accepted(api.post(path, json=body, headers=tokens.caseworker()), status).position


def deadlines_run_on(journeys: Journeys, clock: SimulatedClock, day: date) -> int:
    """Move the clock to a day, fire what is due, and say where the log got to."""
    move_to(clock, day)
    journeys.deadlines.run_due()
    return log_position(journeys)


def move(customer_id: UUID, step: str = "") -> str:
    """The path of a young person's transition (or one of its commands)."""
    return f"/customers/{customer_id}/dla-to-pip" + (f"/{step}" if step else "")


def refused(
    api: TestClient, tokens: Tokens, journeys: Journeys, path: str, body: Json | None
) -> Any:
    """A caseworker command sent with nothing appended, whatever the answer."""
    with nothing_appended(journeys):
        return api.post(path, json=body, headers=tokens.caseworker())


# -- starting, and reading your own write ----------------------------------------------------------


def test_a_caseworker_starts_the_move_to_pip_and_reads_the_case_after_the_position_it_returned(
    api: TestClient, tokens: Tokens
) -> None:
    child = child_dla_recipient(api, tokens, nino=YOUNG_NINO)

    started = start_transition(api, tokens, child)

    assert started.id == transition_id_for(child.customer_id)
    case = case_of(api, tokens.caseworker(), child.customer_id, started.position)
    assert case["transition_id"] == str(started.id)
    assert case["dla_claim_id"] == str(child.dla_claim_id)
    assert (case["stage"], case["started_on"]) == ("awaiting_invitation", "2026-01-05")
    assert case["sixteenth_birthday"] == case["invite_on"] == "2026-03-12"
    assert (case["special_rules"], case["region"]) == (False, "GB")
    assert (case["had_dla_appointee"], case["appointee_needed"]) == (False, False)
    assert case_of(api, tokens.auditor(), child.customer_id, started.position) == case
    page = deadlines_of(api, tokens, child.customer_id, started.position)
    assert page["total"] == 1
    [invite] = page["deadlines"]
    assert invite["aggregate_id"] == str(started.id)
    assert (invite["action"], invite["fires_on"], invite["status"]) == (
        "dla_pip.invite",
        "2026-03-12",
        "pending",
    )
    assert (invite["set_on"], invite["closed_on"]) == ("2026-01-05", None)


def test_the_region_and_condition_given_at_the_start_shape_the_deadlines(
    api: TestClient, tokens: Tokens
) -> None:
    # Northern Ireland writes before 16 (at 15 years 10 months: 12 January 2026); a child
    # award for ADHD is not reviewed at 14 (a 13-year-old's award for another condition is).
    ni = child_dla_recipient(api, tokens, name="Niamh")
    ni_started = start_transition(api, tokens, ni, region="NI")
    adhd = child_dla_recipient(api, tokens, name="Alex", born=date(2012, 2, 10))
    adhd_started = start_transition(api, tokens, adhd, condition="adhd")
    other = child_dla_recipient(api, tokens, name="Olly", born=date(2012, 2, 10))
    other_started = start_transition(api, tokens, other, condition="other")

    def actions(child: ChildDla, after: int) -> list[tuple[str, str]]:
        page = deadlines_of(api, tokens, child.customer_id, after)
        return [(entry["action"], entry["fires_on"]) for entry in page["deadlines"]]

    assert case_of(api, tokens.caseworker(), ni.customer_id, ni_started.position)["region"] == "NI"
    assert actions(ni, ni_started.position) == [
        ("dla_pip.pre_16_letter", "2026-01-12"),
        ("dla_pip.invite", "2026-03-12"),
    ]
    assert actions(adhd, adhd_started.position) == [("dla_pip.invite", "2028-02-10")]
    assert actions(other, other_started.position) == [
        ("dla_child.age_review", "2026-02-10"),
        ("dla_pip.invite", "2028-02-10"),
    ]


def test_a_read_waiting_for_a_position_the_case_view_has_not_reached_is_a_503(
    idle_api: TestClient, idle_journeys: Journeys, tokens: Tokens
) -> None:
    child = child_dla_recipient(idle_api, tokens, nino=YOUNG_NINO)
    started = start_transition(idle_api, tokens, child)

    late = idle_api.get(
        move(child.customer_id),
        params={"after_position": started.position},
        headers=tokens.caseworker(),
    )
    unread = idle_api.get(move(child.customer_id), headers=tokens.caseworker())

    assert late.status_code == 503
    assert late.headers["Retry-After"] == "1"
    assert unread.status_code == 404  # nobody has applied the start to the view yet
    idle_journeys.projections.catch_up()
    assert case_of(idle_api, tokens.caseworker(), child.customer_id, started.position)["stage"] == (
        "awaiting_invitation"
    )


# -- the invitation, the claim window and the worklists --------------------------------------------


def test_the_invitation_goes_on_the_16th_birthday_and_the_young_person_sees_what_to_do_by_when(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    child = in_transition(api, tokens)
    due = worklist(api, tokens, "invitations_due", child.position)
    assert customers_on(due) == [str(child.customer_id)]
    assert due["items"][0]["due_on"] == "2026-03-12"
    before = my_move(api, tokens, child.customer_id, child.position)
    assert (before["next_step"]["who"], before["next_step"]["by"]) == ("us", "2026-03-12")
    assert "12 March 2026" in before["next_step"]["text"]

    position = deadlines_run_on(journeys, clock, SIXTEENTH_BIRTHDAY)

    case = case_of(api, tokens.caseworker(), child.customer_id, position)
    assert (case["stage"], case["invited_on"], case["claim_by"]) == (
        "invited",
        "2026-03-12",
        "2026-04-08",
    )
    mine = my_move(api, tokens, child.customer_id, position)
    assert (mine["stage"], mine["claim_by"]) == ("invited", "2026-04-08")
    assert "invited you to claim PIP" in mine["summary"]
    assert (mine["next_step"]["who"], mine["next_step"]["by"]) == ("you", "2026-04-08")
    assert "Claim PIP by 8 April 2026" in mine["next_step"]["text"]
    assert "8 April 2026" in mine["dla"]
    assert worklist(api, tokens, "invitations_due", position)["total"] == 0
    fired = deadlines_of(api, tokens, child.customer_id, position, status="fired")
    assert [(d["action"], d["closed_on"]) for d in fired["deadlines"]] == [
        ("dla_pip.invite", "2026-03-12")
    ]
    pending = deadlines_of(api, tokens, child.customer_id, position, status="pending")
    assert [(d["action"], d["fires_on"]) for d in pending["deadlines"]] == [
        ("dla_pip.close_first_window", "2026-04-09")
    ]
    # due_before is exclusive: a deadline firing on 9 April is not due before it.
    for due_before, total in (("2026-04-09", 0), ("2026-04-10", 1)):
        page = deadlines_of(
            api, tokens, child.customer_id, position, status="pending", due_before=due_before
        )
        assert page["total"] == total, due_before


def test_deadlines_are_paginated_in_the_order_they_fire(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    child = in_transition(api, tokens, born=date(2012, 2, 10), nino=None)
    position = deadlines_run_on(journeys, clock, date(2026, 2, 10))

    first = deadlines_of(api, tokens, child.customer_id, position, limit=1)
    second = deadlines_of(api, tokens, child.customer_id, position, limit=1, offset=1)
    past_the_end = deadlines_of(api, tokens, child.customer_id, position, offset=2)

    assert (first["total"], first["limit"], first["offset"]) == (2, 1, 0)
    assert [(d["action"], d["status"]) for d in first["deadlines"] + second["deadlines"]] == [
        ("dla_child.age_review", "fired"),
        ("dla_pip.invite", "pending"),
    ]
    assert (past_the_end["deadlines"], past_the_end["total"]) == ([], 2)


def test_claim_deadlines_lists_young_people_whose_deadline_passes_in_the_next_seven_days(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    child = in_transition(api, tokens)
    position = deadlines_run_on(journeys, clock, SIXTEENTH_BIRTHDAY)

    move_to(clock, date(2026, 3, 31))  # 8 April is 8 days away
    eight_days_out = worklist(api, tokens, "claim_deadlines", position)
    move_to(clock, date(2026, 4, 1))  # 8 April is 7 days away
    seven_days_out = worklist(api, tokens, "claim_deadlines", position)
    asked_for_earlier = worklist(api, tokens, "claim_deadlines", position, due_before="2026-03-01")

    assert (eight_days_out["total"], eight_days_out["due_before"]) == (0, "2026-04-08")
    assert seven_days_out["due_before"] == "2026-04-09"
    assert customers_on(seven_days_out) == [str(child.customer_id)]
    [item] = seven_days_out["items"]
    assert (item["stage"], item["due_on"]) == ("invited", "2026-04-08")
    assert item["transition_id"] == str(transition_id_for(child.customer_id))
    assert item["detail"] == "No PIP claim yet: DLA is suspended if none comes by 8 April 2026"
    assert (asked_for_earlier["total"], asked_for_earlier["due_before"]) == (0, "2026-03-01")
    # Other worklists have no default cut.
    assert worklist(api, tokens, "dla_suspended", position)["due_before"] is None


def test_no_claim_by_the_deadline_suspends_dla_from_the_next_pay_day_and_the_case_is_listed(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    child = in_transition(api, tokens)
    deadlines_run_on(journeys, clock, SIXTEENTH_BIRTHDAY)

    position = deadlines_run_on(journeys, clock, date(2026, 4, 9))

    case = case_of(api, tokens.caseworker(), child.customer_id, position)
    # Wednesday pay days every 4 weeks from 6 January 2016: 18 March, then 15 April 2026.
    assert (case["stage"], case["suspended_from"]) == ("dla_suspended", "2026-04-15")
    assert (case["second_notice_on"], case["second_claim_by"]) == ("2026-04-09", "2026-05-06")
    suspended = worklist(api, tokens, "dla_suspended", position)
    assert customers_on(suspended) == [str(child.customer_id)]
    assert suspended["items"][0]["due_on"] == "2026-05-06"
    assert worklist(api, tokens, "claim_deadlines", position)["total"] == 0
    mine = my_move(api, tokens, child.customer_id, position)
    assert "stopped" in mine["summary"]
    assert (mine["next_step"]["who"], mine["next_step"]["by"]) == ("you", "2026-05-06")
    assert "Claim PIP by 6 May 2026" in mine["next_step"]["text"]
    assert "15 April 2026" in mine["dla"]
    assert (mine["suspended_from"], mine["second_claim_by"]) == ("2026-04-15", "2026-05-06")


# -- hospital --------------------------------------------------------------------------------------


def test_in_hospital_on_the_birthday_the_invitation_waits_for_the_discharge(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    child = in_transition(api, tokens)
    move_to(clock, date(2026, 3, 10))

    admitted = command(
        api, tokens, move(child.customer_id, "hospital-admission"), {"admitted_on": "2026-03-10"}
    )

    assert case_of(api, tokens.caseworker(), child.customer_id, admitted)[
        "hospital_admitted_on"
    ] == ("2026-03-10")
    position = deadlines_run_on(journeys, clock, SIXTEENTH_BIRTHDAY)
    assert case_of(api, tokens.caseworker(), child.customer_id, position)["stage"] == (
        "invitation_deferred"
    )
    waiting = worklist(api, tokens, "invitations_due", position)
    assert waiting["items"][0]["detail"] == (
        "In hospital on the 16th birthday: invite when discharged"
    )
    mine = my_move(api, tokens, child.customer_id, position)
    assert "when you leave hospital" in mine["summary"]

    move_to(clock, date(2026, 3, 20))
    discharged = command(
        api,
        tokens,
        move(child.customer_id, "hospital-discharge"),
        {"discharged_on": "2026-03-19"},
    )
    assert case_of(api, tokens.caseworker(), child.customer_id, discharged)[
        "hospital_discharged_on"
    ] == ("2026-03-19")
    position = deadlines_run_on(journeys, clock, date(2026, 3, 20))
    case = case_of(api, tokens.caseworker(), child.customer_id, position)
    assert (case["stage"], case["invited_on"], case["claim_by"]) == (
        "invited",
        "2026-03-20",
        "2026-04-16",
    )


# -- appointees ------------------------------------------------------------------------------------


def child_with_dla_appointee(api: TestClient, tokens: Tokens, journeys: Journeys) -> ChildDla:
    """A child whose parent was their DLA appointee, with the move to PIP started."""
    customer_id = register(api, tokens, name="Robin Young", born=date(2010, 3, 12))
    journeys.application.appoint(
        customer_id, Appointee(name="Jo Young", relationship="parent"), DLA_CLAIMED
    )
    claim_id = start_claim(
        api,
        tokens.caseworker(),
        customer_id,
        benefit="DLA",
        claim_date=DLA_CLAIMED,
        claimant_role="appointee",
    ).id
    command(
        api,
        tokens,
        f"/claims/{claim_id}/entitlement-decision",
        {
            "decided_on": "2016-02-01",
            "entitled": True,
            "reason": "Needs supervision",
            "starts_on": DLA_CLAIMED.isoformat(),
        },
    )
    child = ChildDla(customer_id, claim_id, 0)
    return ChildDla(customer_id, claim_id, start_transition(api, tokens, child).position)


def test_a_dla_appointee_does_not_carry_over_and_a_new_one_is_appointed_for_pip(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    child = child_with_dla_appointee(api, tokens, journeys)
    case = case_of(api, tokens.caseworker(), child.customer_id, child.position)
    assert (case["had_dla_appointee"], case["appointee_needed"]) == (True, True)
    needed = worklist(api, tokens, "appointee_needed", child.position)
    assert customers_on(needed) == [str(child.customer_id)]
    assert needed["items"][0]["due_on"] == "2026-03-12"
    assert my_move(api, tokens, child.customer_id, child.position)["appointee"].startswith(
        "The person who dealt with your DLA for you cannot claim PIP for you."
    )
    position = deadlines_run_on(journeys, clock, SIXTEENTH_BIRTHDAY)
    pip_claim = {"benefit": "PIP", "claim_date": "2026-03-12", "claimant_role": "appointee"}
    with nothing_appended(journeys):
        by_the_dla_appointee = api.post(
            f"/customers/{child.customer_id}/claims", json=pip_claim, headers=tokens.caseworker()
        )
    assert fields_named(by_the_dla_appointee) == ["claimant_role"]
    assert problem(by_the_dla_appointee)[0]["type"] == "AppointeeNotCarriedOver"

    appointed = command(
        api,
        tokens,
        move(child.customer_id, "appointee"),
        {
            "appointee": {"name": "Jo Young", "relationship": "parent"},
            "effective_date": "2026-03-12",
        },
    )

    case = case_of(api, tokens.caseworker(), child.customer_id, appointed)
    assert case["appointee_needed"] is False
    assert worklist(api, tokens, "appointee_needed", appointed)["total"] == 0
    page = self_service(api, tokens.customer(child.customer_id), child.customer_id, appointed)
    assert page["dla_to_pip"]["appointee"] is None
    assert page["appointee"] == "Jo Young"
    claimed = accepted(
        api.post(
            f"/customers/{child.customer_id}/claims", json=pip_claim, headers=tokens.caseworker()
        ),
        201,
    )
    case = case_of(api, tokens.caseworker(), child.customer_id, claimed.position)
    assert (case["stage"], case["pip_claim_id"]) == ("pip_claimed", str(claimed.id))
    assert position < appointed < claimed.position


def test_a_young_person_who_needs_no_appointee_comes_off_the_appointee_worklist(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    child = child_with_dla_appointee(api, tokens, journeys)

    recorded = command(
        api,
        tokens,
        move(child.customer_id, "no-appointee-needed"),
        {"reason": "Manages their own affairs", "effective_date": "2026-01-05"},
    )

    assert case_of(api, tokens.caseworker(), child.customer_id, recorded)["appointee_needed"] is (
        False
    )
    assert worklist(api, tokens, "appointee_needed", recorded)["total"] == 0
    assert my_move(api, tokens, child.customer_id, recorded)["appointee"] is None


def test_an_appointment_dated_before_the_16th_birthday_is_refused_naming_the_date(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    child = child_with_dla_appointee(api, tokens, journeys)
    body = {"appointee": {"name": "Jo Young", "relationship": "parent"}}

    early = refused(
        api,
        tokens,
        journeys,
        move(child.customer_id, "appointee"),
        {**body, "effective_date": "2026-01-05"},
    )

    [detail] = problem(early)
    assert (detail["loc"], detail["type"]) == (
        ["body", "effective_date"],
        "AppointeeNotCarriedOver",
    )
    assert "before the 16th birthday (2026-03-12)" in detail["msg"]


# -- age reviews -----------------------------------------------------------------------------------


def test_an_age_review_that_falls_due_is_listed_and_completed(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    child = in_transition(api, tokens, born=date(2012, 2, 10), nino=None)
    position = deadlines_run_on(journeys, clock, date(2026, 2, 10))
    due = worklist(api, tokens, "age_reviews_due", position)
    assert customers_on(due) == [str(child.customer_id)]
    assert (due["items"][0]["due_on"], due["items"][0]["detail"]) == (
        "2026-02-10",
        "DLA award review due (age 14)",
    )
    assert case_of(api, tokens.caseworker(), child.customer_id, position)["reviews_due"] == [
        {"age": 14, "due_on": "2026-02-10"}
    ]
    wrong_age = refused(
        api,
        tokens,
        journeys,
        move(child.customer_id, "age-reviews/7"),
        {"completed_on": "2026-02-10", "outcome": "Award continues"},
    )
    assert fields_named(wrong_age) == ["age"]
    assert problem(wrong_age)[0]["msg"] == "age: no review at age 7 is due (due: 14)"

    completed = command(
        api,
        tokens,
        move(child.customer_id, "age-reviews/14"),
        {"completed_on": "2026-02-10", "outcome": "Award continues at the same rates"},
    )

    assert case_of(api, tokens.caseworker(), child.customer_id, completed)["reviews_due"] == []
    assert worklist(api, tokens, "age_reviews_due", completed)["total"] == 0


# -- the PIP claim and DLA's end -------------------------------------------------------------------


def claimed_in_time(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> tuple[ChildDla, UUID]:
    """Invited on the 16th birthday; PIP claimed online on 20 March 2026, PIP2 sent that day."""
    child = in_transition(api, tokens)
    deadlines_run_on(journeys, clock, SIXTEENTH_BIRTHDAY)
    move_to(clock, date(2026, 3, 20))
    claim_id = start_claim(
        api,
        tokens.customer(child.customer_id),
        child.customer_id,
        claim_date=date(2026, 3, 20),
    ).id
    issued = command(api, tokens, f"/claims/{claim_id}/questionnaire", {"issued_on": "2026-03-20"})
    return ChildDla(child.customer_id, child.dla_claim_id, issued), claim_id


def test_a_pip_decision_in_the_move_takes_its_start_from_the_rule_when_starts_on_is_left_out(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    child, claim_id = claimed_in_time(api, tokens, journeys, clock)
    case = case_of(api, tokens.caseworker(), child.customer_id, child.position)
    assert (case["stage"], case["claimed_in"], case["pip_claim_id"]) == (
        "pip_claimed",
        "first_window",
        str(claim_id),
    )
    command(api, tokens, f"/claims/{claim_id}/questionnaire/return", {"received_on": "2026-03-20"})
    command(api, tokens, f"/claims/{claim_id}/assessment", assessment_body(9, 4, date(2026, 3, 20)))
    decision = {"decided_on": "2026-03-20", "ends_on": "2028-03-20"}
    # DLA's last day is the last of 28 days from the first pay day after the decision
    # (15 April): 12 May; PIP starts the day after. Any other start is refused.
    for wrong in ("2026-03-20", "2026-05-12"):
        answer = refused(
            api, tokens, journeys, f"/claims/{claim_id}/decision", {**decision, "starts_on": wrong}
        )
        [detail] = problem(answer)
        assert (detail["loc"], detail["type"]) == (
            ["body", "starts_on"],
            "PipStartDoesNotFollowDla",
        )
        assert "PIP starts on 2026-05-13" in detail["msg"]

    decided = command(api, tokens, f"/claims/{claim_id}/decision", decision)

    case = case_of(api, tokens.caseworker(), child.customer_id, decided)
    assert (case["stage"], case["dla_ends_on"], case["pip_starts_on"]) == (
        "dla_ending",
        "2026-05-12",
        "2026-05-13",
    )
    page = self_service(api, tokens.customer(child.customer_id), child.customer_id, decided)
    [pip] = [claim for claim in page["claims"] if claim["benefit"] == "PIP"]
    assert (pip["award"]["starts_on"], pip["award"]["ends_on"]) == ("2026-05-13", "2028-03-20")
    assert "12 May 2026" in page["dla_to_pip"]["dla"]
    assert "13 May 2026" in page["dla_to_pip"]["dla"]


def test_the_start_the_rule_gives_may_also_be_given(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    child, claim_id = claimed_in_time(api, tokens, journeys, clock)
    command(api, tokens, f"/claims/{claim_id}/questionnaire/return", {"received_on": "2026-03-20"})
    command(api, tokens, f"/claims/{claim_id}/assessment", assessment_body(9, 4, date(2026, 3, 20)))

    decided = command(
        api,
        tokens,
        f"/claims/{claim_id}/decision",
        {"decided_on": "2026-03-20", "starts_on": "2026-05-13", "ends_on": "2028-03-20"},
    )

    assert case_of(api, tokens.caseworker(), child.customer_id, decided)["pip_starts_on"] == (
        "2026-05-13"
    )


def test_outside_a_move_from_dla_an_award_without_a_start_is_refused_naming_starts_on(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    claim = pip_claim_awaiting_decision(api, tokens, clock, daily_living=9, mobility=4)
    decision: Json = {"decided_on": "2026-02-23", "ends_on": "2028-01-04"}
    move_to(clock, date(2026, 2, 23))

    answer = refused(api, tokens, journeys, f"/claims/{claim.claim_id}/decision", decision)

    [detail] = problem(answer)
    assert (detail["loc"], detail["type"]) == (["body", "starts_on"], "MissingAwardStart")
    assert detail["msg"] == "starts_on: an award needs the day it starts"
    # Nothing awarded, nothing to start.
    nothing = {"daily_living": "none", "mobility": "none", "reason": "The points overstate need"}
    decided = command(
        api, tokens, f"/claims/{claim.claim_id}/decision", {**decision, "override": nothing}
    )
    mine = self_service(api, tokens.customer(claim.customer_id), claim.customer_id, decided)
    assert mine["claims"][0]["award"]["entitled"] is False


def test_a_negative_determination_ends_dla_and_a_good_reason_reinstates_it(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    child, claim_id = claimed_in_time(api, tokens, journeys, clock)
    move_to(clock, date(2026, 4, 21))  # the PIP2 was due back by 20 April
    determined = command(api, tokens, f"/claims/{claim_id}/negative-determination", {})
    case = case_of(api, tokens.caseworker(), child.customer_id, determined)
    # The last of 14 days from the first pay day after the determination (13 May).
    assert (case["stage"], case["dla_ends_on"], case["dla_end_basis"]) == (
        "dla_ending",
        "2026-05-26",
        "negative_determination",
    )
    mine = my_move(api, tokens, child.customer_id, determined)
    assert mine["negative_determination"] is True
    assert (mine["next_step"]["who"], mine["next_step"]["by"]) == ("you", "2026-05-26")
    assert "good reason" in mine["next_step"]["text"]
    move_to(clock, date(2026, 5, 4))
    blank = refused(
        api,
        tokens,
        journeys,
        f"/claims/{claim_id}/good-reason",
        {"accepted_on": "2026-05-04", "reason": "   "},
    )
    assert fields_named(blank) == ["reason"]

    reopened = accepted(
        api.post(
            f"/claims/{claim_id}/good-reason",
            json={"accepted_on": "2026-05-04", "reason": "Was in hospital all April"},
            headers=tokens.caseworker(),
        )
    )

    assert reopened.id == claim_id
    case = case_of(api, tokens.caseworker(), child.customer_id, reopened.position)
    assert (case["stage"], case["dla_ends_on"]) == ("pip_claimed", None)
    page = self_service(
        api, tokens.customer(child.customer_id), child.customer_id, reopened.position
    )
    [pip] = [claim for claim in page["claims"] if claim["benefit"] == "PIP"]
    assert pip["status"] == "awaiting_questionnaire"
    assert page["dla_to_pip"]["stage"] == "pip_claimed"
    assert page["dla_to_pip"]["dla_ends_on"] is None
    assert "26 May 2026" not in page["dla_to_pip"]["dla"]
    # The decision maker is the signed-in caseworker.
    ledger = ok(
        api.get(
            "/audit/decisions",
            params={
                "rule_id": "determination.decision_maker",
                "customer_id": str(child.customer_id),
                "after_position": reopened.position,
            },
            headers=tokens.auditor(),
        )
    )
    judgement = ledger["decisions"][-1]
    assert (judgement["made_by"], judgement["automated"]) == (f"caseworker:{CASEWORKER}", False)
    assert judgement["aggregate_id"] == str(claim_id)
    [reinstated] = ok(
        api.get(
            "/audit/decisions",
            params={"rule_id": "dla_pip.reinstatement", "customer_id": str(child.customer_id)},
            headers=tokens.auditor(),
        )
    )["decisions"]
    assert reinstated["aggregate_id"] == str(transition_id_for(child.customer_id))


def test_a_good_reason_for_a_claim_not_disallowed_for_the_questionnaire_is_refused(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    _, claim_id = claimed_in_time(api, tokens, journeys, clock)

    answer = refused(
        api,
        tokens,
        journeys,
        f"/claims/{claim_id}/good-reason",
        {"accepted_on": "2026-03-20", "reason": "Lost in the post"},
    )

    [detail] = problem(answer)
    assert (detail["loc"], detail["type"]) == (["body"], "GoodReasonNotApplicable")


# -- bad input -------------------------------------------------------------------------------------


def test_malformed_transition_commands_are_refused_naming_the_field(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    child = in_transition(api, tokens)
    customer, claim = child.customer_id, child.dla_claim_id
    start = transition_body(uuid4())
    appointee = {
        "appointee": {"name": "Jo Young", "relationship": "parent"},
        "effective_date": "2026-01-05",
    }
    review = {"completed_on": "2026-01-05", "outcome": "Award continues"}
    cases: list[tuple[str, Json, list[str]]] = [
        (move(customer), {k: v for k, v in start.items() if k != "dla_claim_id"}, ["dla_claim_id"]),
        (move(customer), {**start, "dla_claim_id": "DLA-1"}, ["dla_claim_id"]),
        (move(customer), {**start, "dla_weekly_pence": 0}, ["dla_weekly_pence"]),
        (move(customer), {**start, "dla_weekly_pence": 70.5}, ["dla_weekly_pence"]),
        (
            move(customer),
            {k: v for k, v in start.items() if k != "special_rules"},
            ["special_rules"],
        ),
        (move(customer), {**start, "condition": "flu"}, ["condition"]),
        (move(customer), {**start, "region": "FR"}, ["region"]),
        (move(customer), {**start, "terminally_ill": True}, ["terminally_ill"]),
        (move(customer, "hospital-admission"), {}, ["admitted_on"]),
        (move(customer, "hospital-admission"), {"admitted_on": "10/03/2026"}, ["admitted_on"]),
        (move(customer, "hospital-discharge"), {"discharged_on": None}, ["discharged_on"]),
        (
            move(customer, "appointee"),
            {**appointee, "appointee": {"name": "", "relationship": "parent"}},
            ["name"],
        ),
        (
            move(customer, "appointee"),
            {**appointee, "appointee": {"name": "Jo Young"}},
            ["relationship"],
        ),
        (move(customer, "appointee"), {"appointee": appointee["appointee"]}, ["effective_date"]),
        (
            move(customer, "no-appointee-needed"),
            {"reason": "", "effective_date": "2026-01-05"},
            ["reason"],
        ),
        (move(customer, "age-reviews/fourteen"), review, ["age"]),
        (move(customer, "age-reviews/-1"), review, ["age"]),
        (move(customer, "age-reviews/14"), {**review, "outcome": ""}, ["outcome"]),
        (f"/claims/{claim}/good-reason", {}, ["accepted_on", "reason"]),
        (
            f"/claims/{claim}/good-reason",
            {"accepted_on": "2026-01-05", "reason": "x" * 2001},
            ["reason"],
        ),
    ]

    for path, body, fields in cases:
        answer = refused(api, tokens, journeys, path, body)
        assert fields_named(answer) == fields, (path, body, answer.text)


def test_dates_of_things_that_happened_cannot_be_after_today_and_the_field_is_named(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    child = in_transition(api, tokens)
    customer = child.customer_id
    tomorrow = "2026-01-06"
    cases: list[tuple[str, Json, str]] = [
        (move(customer, "hospital-admission"), {"admitted_on": tomorrow}, "admitted_on"),
        (move(customer, "hospital-discharge"), {"discharged_on": tomorrow}, "discharged_on"),
        (
            move(customer, "appointee"),
            {
                "appointee": {"name": "Jo Young", "relationship": "parent"},
                "effective_date": tomorrow,
            },
            "effective_date",
        ),
        (
            move(customer, "no-appointee-needed"),
            {"reason": "Copes alone", "effective_date": tomorrow},
            "effective_date",
        ),
        (
            move(customer, "age-reviews/14"),
            {"completed_on": tomorrow, "outcome": "Continues"},
            "completed_on",
        ),
        (
            f"/claims/{child.dla_claim_id}/good-reason",
            {"accepted_on": tomorrow, "reason": "Ill"},
            "accepted_on",
        ),
    ]

    for path, body, field in cases:
        [detail] = problem(refused(api, tokens, journeys, path, body))
        assert detail["loc"] == ["body", field], (path, detail)
        assert detail["msg"] == f"{field} 2026-01-06 is after today (2026-01-05)", (path, detail)


def test_a_move_is_refused_to_anyone_who_is_not_a_child_dla_recipient_naming_the_dla_claim(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    child = child_dla_recipient(api, tokens)
    sibling = child_dla_recipient(api, tokens, name="Kim Young")
    adult = child_dla_recipient(api, tokens, name="Lee Older", born=date(2007, 1, 1))
    after_sixteen = child_dla_recipient(
        api, tokens, name="Max Late", born=date(2009, 6, 1), dla_claimed=date(2025, 7, 1)
    )
    ended = child_dla_recipient(api, tokens, name="Ned Ended", dla_ends_on=date(2025, 12, 31))
    refused_dla = start_claim(
        api, tokens.caseworker(), child.customer_id, benefit="DLA", claimant_role="appointee"
    ).id
    command(
        api,
        tokens,
        f"/claims/{refused_dla}/entitlement-decision",
        {"decided_on": "2026-01-05", "entitled": False, "reason": "Needs no more care"},
    )
    universal_credit = start_claim(api, tokens.caseworker(), child.customer_id, benefit="UC").id
    cases: list[tuple[UUID, UUID, str]] = [
        (child.customer_id, sibling.dla_claim_id, "that claim is not this customer's"),
        (child.customer_id, universal_credit, "that is a UC claim, not DLA"),
        (child.customer_id, refused_dla, "the DLA claim has no award of DLA"),
        (adult.customer_id, adult.dla_claim_id, "aged 19 on 2026-01-05"),
        (after_sixteen.customer_id, after_sixteen.dla_claim_id, "not a child award"),
        (ended.customer_id, ended.dla_claim_id, "not in payment on 2026-01-05"),
    ]

    for customer_id, dla_claim_id, message in cases:
        answer = refused(api, tokens, journeys, move(customer_id), transition_body(dla_claim_id))
        [detail] = problem(answer)
        assert (detail["loc"], detail["type"]) == (
            ["body", "dla_claim_id"],
            "NotAChildDlaRecipient",
        ), detail
        assert message in detail["msg"], detail


def test_a_pip_claim_dated_before_the_16th_birthday_or_the_invitation_is_refused(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    child = in_transition(api, tokens)
    claims = f"/customers/{child.customer_id}/claims"

    too_young = refused(
        api, tokens, journeys, claims, {"benefit": "PIP", "claim_date": "2026-01-05"}
    )
    deadlines_run_on(journeys, clock, date(2026, 3, 13))  # the invitation went on the 13th
    # (an invitation fires on the run day: the scheduler ran a day late)
    before_letter = refused(
        api, tokens, journeys, claims, {"benefit": "PIP", "claim_date": "2026-03-12"}
    )

    for answer, message in (
        (too_young, "claim_date 2026-01-05 is before the 16th birthday (2026-03-12)"),
        (before_letter, "claim_date 2026-03-12 is before the PIP invitation was sent (2026-03-13)"),
    ):
        [detail] = problem(answer)
        assert (detail["loc"], detail["type"]) == (["body", "claim_date"], "ClaimBeforeInvitation")
        assert detail["msg"].startswith(message), detail


def test_hospital_dates_that_do_not_fit_the_stay_or_the_stage_are_refused(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    child = in_transition(api, tokens)
    admission, discharge = (
        move(child.customer_id, "hospital-admission"),
        move(child.customer_id, "hospital-discharge"),
    )
    no_stay = refused(api, tokens, journeys, discharge, {"discharged_on": "2026-01-05"})
    move_to(clock, date(2026, 2, 2))
    command(api, tokens, admission, {"admitted_on": "2026-02-02"})
    twice = refused(api, tokens, journeys, admission, {"admitted_on": "2026-02-02"})
    before_admission = refused(api, tokens, journeys, discharge, {"discharged_on": "2026-02-01"})
    command(api, tokens, discharge, {"discharged_on": "2026-02-02"})
    deadlines_run_on(journeys, clock, SIXTEENTH_BIRTHDAY)
    after_invitation = refused(api, tokens, journeys, admission, {"admitted_on": "2026-03-12"})

    assert fields_named(no_stay) == ["discharged_on"]
    assert fields_named(twice) == ["admitted_on"]
    assert fields_named(before_admission) == ["discharged_on"]
    for answer in (no_stay, twice, before_admission):
        assert problem(answer)[0]["type"] == "InvalidHospitalDates"
    [detail] = problem(after_invitation)
    assert (detail["loc"], detail["type"]) == (["body"], "HospitalStayNotRelevant")


def test_unknown_customers_claims_and_transitions_are_not_found(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    child = child_dla_recipient(api, tokens)  # a DLA recipient whose move has not started
    nobody, nothing = uuid4(), uuid4()
    commands: list[tuple[str, Json, UUID]] = [
        (move(nobody), transition_body(child.dla_claim_id), nobody),
        (move(child.customer_id), transition_body(nothing), nothing),
        (f"/claims/{nothing}/good-reason", {"accepted_on": "2026-01-05", "reason": "x"}, nothing),
    ]
    for customer_id in (nobody, child.customer_id):
        commands += [
            (move(customer_id, "hospital-admission"), {"admitted_on": "2026-01-05"}, customer_id),
            (move(customer_id, "hospital-discharge"), {"discharged_on": "2026-01-05"}, customer_id),
            (
                move(customer_id, "appointee"),
                {
                    "appointee": {"name": "Jo", "relationship": "parent"},
                    "effective_date": "2026-01-05",
                },
                customer_id,
            ),
            (
                move(customer_id, "no-appointee-needed"),
                {"reason": "Copes", "effective_date": "2026-01-05"},
                customer_id,
            ),
            (
                move(customer_id, "age-reviews/14"),
                {"completed_on": "2026-01-05", "outcome": "Continues"},
                customer_id,
            ),
        ]

    for path, body, named in commands:
        answer = refused(api, tokens, journeys, path, body)
        assert answer.status_code == 404, (path, answer.text)
        assert str(named) in answer.json()["detail"], (path, answer.text)
    for path in (move(nobody), move(child.customer_id), f"/customers/{nobody}/deadlines"):
        answer = api.get(path, headers=tokens.caseworker())
        assert answer.status_code == 404, (path, answer.text)
    assert api.get(move(child.customer_id), headers=tokens.caseworker()).json() == {
        "detail": f"customer {child.customer_id} has no DLA to PIP transition"
    }
    # A customer without deadlines has an empty list, not a missing one.
    assert deadlines_of(api, tokens, child.customer_id, child.position)["deadlines"] == []
    unknown_list = api.get("/worklists/dla-to-pip/everyone", headers=tokens.caseworker())
    assert fields_named(unknown_list) == ["worklist"]


def test_starting_a_second_move_is_a_conflict_that_retrying_will_not_resolve(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    child = in_transition(api, tokens)

    again = refused(
        api, tokens, journeys, move(child.customer_id), transition_body(child.dla_claim_id)
    )

    assert again.status_code == 409
    assert again.json() == {
        "detail": f"the DLA to PIP transition of customer {child.customer_id} has already started",
        "retryable": False,
    }


# -- who may see what ------------------------------------------------------------------------------


def test_the_young_person_sees_their_move_but_not_the_case_deadlines_or_worklists(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    child = in_transition(api, tokens)
    own = tokens.customer(child.customer_id)
    staff_reads = [
        move(child.customer_id),
        f"/customers/{child.customer_id}/deadlines",
        "/worklists/dla-to-pip/invitations_due",
    ]

    mine = ok(api.get("/me", params={"after_position": child.position}, headers=own))

    assert mine["dla_to_pip"]["stage"] == "awaiting_invitation"
    assert self_service(api, tokens.caseworker(), child.customer_id) == mine
    for path in staff_reads:
        answer = api.get(path, headers=own)
        assert answer.status_code == 403, (path, answer.text)
        assert answer.json()["detail"].startswith("the customer role may not do this")
    # Auditors read the case and the deadlines, not the caseworkers' worklists.
    assert [api.get(path, headers=tokens.auditor()).status_code for path in staff_reads] == [
        200,
        200,
        403,
    ]


def test_the_young_persons_page_never_reveals_a_third_party_claim_or_a_special_rules_award(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    # A terminally ill young person whose DLA was claimed by someone else under the Special
    # Rules: the invitation comes 20 weeks before the award ends, and nothing on their own
    # page may say why.
    child = child_dla_recipient(
        api, tokens, claimant_role="third_party", dla_ends_on=date(2026, 12, 31)
    )
    started = start_transition(api, tokens, child, special_rules=True)
    case = case_of(api, tokens.caseworker(), child.customer_id, started.position)
    assert case["special_rules"] is True
    assert case["invite_on"] == "2026-08-13"

    for position in (started.position, deadlines_run_on(journeys, clock, date(2026, 8, 13))):
        response = api.get(
            "/me", params={"after_position": position}, headers=tokens.customer(child.customer_id)
        )
        page = ok(response)
        section = page["dla_to_pip"]
        assert set(section) == set(SelfServiceTransition.model_fields)
        assert section["summary"]
        assert section["dla"]
        assert section["next_step"]["text"]
        text = response.text.lower()
        for secret in ("special", "terminal", "end of life", "third", "basis", "months to live"):
            assert secret not in text, (secret, response.text)
    assert section["stage"] == "invited"
    assert section["claim_by"] == "2026-09-09"
