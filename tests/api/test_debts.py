"""Debts over HTTP: caseworker commands, the customer's own debts, auditors' reads, the what-if.

The clock stands on Monday 5 January 2026 (the 15% cap is in force). A customer on UC with a
£400 standard allowance has a cap of £60 a month. Bad input is a 4xx with a message and
nothing appended; the customer's view of a debt never shows its cause, a decision's reasons,
a waiver's grounds or why recovery is on hold.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from domain.periods import add_calendar_months
from tests.api.helpers import (
    Accepted,
    Headers,
    Json,
    Tokens,
    accepted,
    fields_named,
    nothing_but_disclosures_appended,
    ok,
    problem,
    register,
    start_claim,
)
from tests.integration.helpers import nothing_appended
from tests.scenarios.special_rules_words import revealing_words

TODAY = date(2026, 1, 5)
ALLOWANCE = 40_000  # £400.00: the 15% cap is £60.00, and 15% of it an overpayment's rate
PERIOD = "2026-01-01"


def on_uc(api: TestClient, tokens: Tokens, name: str = "Ada Lovelace") -> UUID:
    """A customer whose UC award is in payment from 1 December 2025."""
    customer_id = register(api, tokens, name=name)
    claim = start_claim(
        api, tokens.caseworker(), customer_id, benefit="UC", claim_date=date(2025, 12, 1)
    )
    decision = {
        "decided_on": TODAY.isoformat(),
        "entitled": True,
        "reason": "meets the conditions",
        "starts_on": "2025-12-01",
    }
    accepted(
        api.post(
            f"/claims/{claim.id}/entitlement-decision", json=decision, headers=tokens.caseworker()
        )
    )
    return customer_id


def overpayment(**changes: object) -> Json:
    """A UC overpayment of £1,200 in autumn 2025 by the claimant's error, found today."""
    return {
        "benefit": "UC",
        "cause": "claimant_error",
        "period_from": "2025-09-01",
        "period_to": "2025-11-30",
        "amount_pence": 120_000,
        "identified_on": TODAY.isoformat(),
        "standard_allowance_pence": ALLOWANCE,
        **changes,
    }


def overpaid(api: TestClient, tokens: Tokens, customer_id: UUID, **changes: object) -> Accepted:
    """A caseworker records an overpayment (the answer's id is the debt)."""
    return accepted(
        api.post(
            f"/customers/{customer_id}/overpayments",
            json=overpayment(**changes),
            headers=tokens.caseworker(),
        ),
        201,
    )


def advance(**changes: object) -> Json:
    """A £480 new-claim advance taken on 1 December 2025 (repaid from 1 January 2026)."""
    return {
        "benefit": "UC",
        "advance_kind": "new_claim",
        "amount_pence": 48_000,
        "taken_on": "2025-12-01",
        "standard_allowance_pence": ALLOWANCE,
        **changes,
    }


def post(api: TestClient, path: str, body: Json, headers: Headers, status: int = 200) -> Accepted:
    """A command that must be accepted with `status`."""
    return accepted(api.post(path, json=body, headers=headers), status)


def read(api: TestClient, path: str, headers: Headers) -> Json:
    """A read that must succeed."""
    document: Json = ok(api.get(path, headers=headers))
    return document


def refused(
    api: TestClient, journeys: Journeys, path: str, body: Json, headers: Headers, status: int = 422
) -> list[Json]:
    """A command that is refused with `status` and appends nothing; the problem's details."""
    with nothing_appended(journeys):
        answer = api.post(path, json=body, headers=headers)
    return problem(answer, status)


def messages(details: list[Json]) -> str:
    """Every message of a refusal, joined."""
    return " ".join(str(item["msg"]) for item in details)


def payment(amount_pence: int, paid_on: str = TODAY.isoformat()) -> Json:
    """A repayment or voluntary payment body."""
    return {"amount_pence": amount_pence, "paid_on": paid_on}


# -- identifying a debt; what staff and the customer see -----------------------------------------


def test_a_caseworker_records_an_overpayment_and_staff_see_its_cause_plan_and_decisions(
    api: TestClient, tokens: Tokens
) -> None:
    customer_id = on_uc(api, tokens)

    debt_id = overpaid(api, tokens, customer_id).id

    debt = read(api, f"/debts/{debt_id}", tokens.caseworker())
    assert debt["audience"] == "staff"
    assert (debt["kind"], debt["benefit"], debt["cause"]) == ("overpayment", "UC", "claimant_error")
    assert (debt["amount_pence"], debt["balance_pence"]) == (120_000, 120_000)
    assert (debt["method"], debt["per_period_pence"], debt["status"]) == (
        "benefit_deduction",
        6_000,
        "recovering",
    )
    rules = {d["rule_id"]: d for d in debt["decisions"]}
    assert set(rules) == {"debt.recovery_method", "debt.recovery_rate"}
    assert all(d["rule_version"] >= 1 and d["reasons"] for d in rules.values())
    assert rules["debt.recovery_rate"]["outcome"]["per_period_pence"] == 6_000
    assert rules["debt.recovery_method"]["event"] == "Debt.RecoveryPlanned"
    listed = read(api, f"/customers/{customer_id}/debts", tokens.caseworker())
    assert [d["debt_id"] for d in listed["debts"]] == [str(debt_id)]
    assert listed["audience"] == "staff"


def test_the_customer_sees_their_own_debt_without_its_cause_or_any_decision(
    api: TestClient, tokens: Tokens
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id, cause="fraud").id
    own = tokens.customer(customer_id)

    debt = read(api, f"/debts/{debt_id}", own)
    listed = read(api, f"/customers/{customer_id}/debts", own)

    assert debt["audience"] == listed["audience"] == "customer"
    assert listed["debts"] == [debt]
    assert {"cause", "decisions", "suspended", "estate_reference"}.isdisjoint(debt)
    assert "fraud" not in json.dumps(debt)
    assert (debt["balance_pence"], debt["method"], debt["status"]) == (
        120_000,
        "benefit_deduction",
        "recovering",
    )


def test_an_advance_is_repaid_from_a_month_after_it_was_taken(
    api: TestClient, tokens: Tokens
) -> None:
    customer_id = on_uc(api, tokens)

    debt_id = post(
        api, f"/customers/{customer_id}/advances", advance(), tokens.caseworker(), 201
    ).id

    debt = read(api, f"/debts/{debt_id}", tokens.caseworker())
    # £480 over 24 months (a new-claim advance taken after 12 April 2021).
    assert (debt["kind"], debt["advance_kind"], debt["per_period_pence"]) == (
        "advance",
        "new_claim",
        2_000,
    )
    assert debt["first_repayment_on"] == "2026-01-01"


def test_an_unknown_debt_or_customer_is_not_found(api: TestClient, tokens: Tokens) -> None:
    nobody = uuid4()

    assert "no" in ok(api.get(f"/debts/{nobody}", headers=tokens.caseworker()), 404)["detail"]
    ok(api.get(f"/customers/{nobody}/debts", headers=tokens.auditor()), 404)
    ok(api.post(f"/debts/{nobody}/repayments", json=payment(100), headers=tokens.caseworker()), 404)


# -- access ---------------------------------------------------------------------------------------


def test_a_customer_token_for_someone_elses_debt_gets_403_and_nothing_is_appended(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    victim = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, victim).id
    intruder = tokens.customer(register(api, tokens, name="Mallory"))
    hardship = {"kind": "pause", "months": 2, "reason": "Rent", "requested_on": "2026-01-05"}
    proposal = {"debt_id": str(debt_id), "kind": "pause", "months": 2}
    attempts: list[tuple[str, str, Json | None]] = [
        ("GET", f"/debts/{debt_id}", None),
        ("GET", f"/customers/{victim}/debts", None),
        ("POST", f"/debts/{debt_id}/hardship-requests", hardship),
        ("POST", f"/debts/{debt_id}/repayments", payment(100)),
        ("POST", f"/customers/{victim}/debts/what-if", proposal),
    ]

    for method, path, body in attempts:
        with nothing_appended(journeys):
            answer = api.request(method, path, json=body, headers=intruder)
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["detail"] == "this is not your record"


def test_a_customer_may_not_use_the_caseworker_commands_even_on_their_own_debt(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id
    own = tokens.customer(customer_id)
    attempts = {
        f"/customers/{customer_id}/overpayments": overpayment(),
        f"/customers/{customer_id}/advances": advance(),
        f"/customers/{customer_id}/penalties": penalty(),
        f"/customers/{customer_id}/deductions": {
            "period_start": PERIOD,
            "standard_allowance_pence": ALLOWANCE,
        },
        f"/debts/{debt_id}/deductions": {
            "period_start": PERIOD,
            "standard_allowance_pence": ALLOWANCE,
            "amount_pence": 100,
        },
        f"/debts/{debt_id}/earnings-attachment": {
            "pay_date": PERIOD,
            "net_pay_pence": 200_000,
            "frequency": "monthly",
        },
        f"/debts/{debt_id}/voluntary-payments": payment(100),
        f"/debts/{debt_id}/hardship-decision": {
            "agree": True,
            "reason": "I agree with myself",
            "decided_on": TODAY.isoformat(),
        },
        f"/debts/{debt_id}/waiver": {
            "amount_pence": 120_000,
            "grounds": "other",
            "reason": "Please",
            "decided_on": TODAY.isoformat(),
        },
    }

    for path, body in attempts.items():
        with nothing_appended(journeys):
            answer = api.post(path, json=body, headers=own)
        assert answer.status_code == 403, (path, answer.text)
        assert answer.json()["detail"].startswith("the customer role may not do this")


def test_an_auditor_reads_the_staff_view_but_is_refused_every_debt_command(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id

    debt = read(api, f"/debts/{debt_id}", tokens.auditor())
    listed = read(api, f"/customers/{customer_id}/debts", tokens.auditor())

    assert debt["audience"] == listed["audience"] == "staff"
    assert debt["cause"] == "claimant_error"
    for path, body in [
        (f"/debts/{debt_id}/repayments", payment(100)),
        (f"/debts/{debt_id}/voluntary-payments", payment(100)),
        (f"/customers/{customer_id}/overpayments", overpayment()),
        (f"/customers/{customer_id}/debts/what-if", {"debt_id": str(debt_id), "kind": "pause"}),
    ]:
        with nothing_appended(journeys):
            answer = api.post(path, json=body, headers=tokens.auditor())
        assert answer.status_code == 403, (path, answer.text)
        assert answer.json()["detail"].startswith("the auditor role may not do this")


# -- deductions under the cap ----------------------------------------------------------------------


def test_a_periods_deductions_share_the_cap_in_priority_order_and_run_once(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id  # asks £60
    advance_id = post(
        api, f"/customers/{customer_id}/advances", advance(), tokens.caseworker(), 201
    ).id  # asks £20
    body = {"period_start": PERIOD, "standard_allowance_pence": ALLOWANCE}

    taken = post(api, f"/customers/{customer_id}/deductions", body, tokens.caseworker())

    assert taken.id == customer_id
    overpaid_debt = read(api, f"/debts/{debt_id}", tokens.caseworker())
    advanced = read(api, f"/debts/{advance_id}", tokens.caseworker())
    # The cap is £60: the advance comes first (£20), the overpayment gets the £40 left.
    assert advanced["movements"] == [
        {"kind": "benefit_deduction", "on": PERIOD, "amount_pence": 2_000}
    ]
    assert overpaid_debt["movements"] == [
        {"kind": "benefit_deduction", "on": PERIOD, "amount_pence": 4_000}
    ]
    assert overpaid_debt["balance_pence"] == 116_000
    cap = [d for d in overpaid_debt["decisions"] if d["rule_id"] == "debt.deduction_cap"]
    assert [d["outcome"]["cap_pence"] for d in cap] == [6_000]
    again = refused(
        api, journeys, f"/customers/{customer_id}/deductions", body, tokens.caseworker()
    )
    assert "already taken" in messages(again)


def test_a_stated_deduction_above_what_the_cap_grants_is_refused(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id
    body = {"period_start": PERIOD, "standard_allowance_pence": ALLOWANCE, "amount_pence": 6_001}

    above = refused(api, journeys, f"/debts/{debt_id}/deductions", body, tokens.caseworker())

    assert fields_named_in(above) == ["amount_pence"]
    assert "overall deduction cap" in messages(above)
    post(api, f"/debts/{debt_id}/deductions", {**body, "amount_pence": 6_000}, tokens.caseworker())
    assert read(api, f"/debts/{debt_id}", tokens.caseworker())["balance_pence"] == 114_000


def penalty(**changes: object) -> Json:
    """A £350 administrative penalty on UC imposed today (recovered at the fraud rate)."""
    return {
        "benefit": "UC",
        "penalty_kind": "administrative",
        "amount_pence": 35_000,
        "imposed_on": TODAY.isoformat(),
        "standard_allowance_pence": ALLOWANCE,
        **changes,
    }


def test_a_penalty_is_deducted_outside_the_cap_while_the_other_debts_share_it(
    api: TestClient, tokens: Tokens
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id  # asks £60: the whole cap
    penalty_id = post(
        api, f"/customers/{customer_id}/penalties", penalty(), tokens.caseworker(), 201
    ).id
    body = {"period_start": PERIOD, "standard_allowance_pence": ALLOWANCE}

    post(api, f"/customers/{customer_id}/deductions", body, tokens.caseworker())

    penalised = read(api, f"/debts/{penalty_id}", tokens.caseworker())
    overpaid_debt = read(api, f"/debts/{debt_id}", tokens.caseworker())
    assert penalised["kind"] == "penalty"
    # The penalty's rate (40% of £400, as fraud) is taken beside the cap's £60, not inside it.
    assert penalised["movements"] == [
        {"kind": "benefit_deduction", "on": PERIOD, "amount_pence": 16_000}
    ]
    assert overpaid_debt["movements"] == [
        {"kind": "benefit_deduction", "on": PERIOD, "amount_pence": 6_000}
    ]
    cap = [d for d in penalised["decisions"] if d["rule_id"] == "debt.deduction_cap"]
    assert [(d["outcome"]["total_under_cap_pence"], d["outcome"]["total_pence"]) for d in cap] == [
        (6_000, 22_000)
    ]
    own = read(api, f"/customers/{customer_id}/debts", tokens.customer(customer_id))
    assert sorted(debt["kind"] for debt in own["debts"]) == ["overpayment", "penalty"]


def test_a_penalty_of_nothing_or_of_an_unknown_kind_is_refused_naming_the_field(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = on_uc(api, tokens)
    path = f"/customers/{customer_id}/penalties"

    nothing = refused(api, journeys, path, penalty(amount_pence=0), tokens.caseworker())
    unknown = refused(api, journeys, path, penalty(penalty_kind="parking"), tokens.caseworker())

    assert fields_named_in(nothing) == ["amount_pence"]
    assert fields_named_in(unknown) == ["penalty_kind"]


def fields_named_in(details: list[Json]) -> list[str]:
    """The last part of each detail's location."""
    return [str(item["loc"][-1]) for item in details]


# -- off benefit ----------------------------------------------------------------------------------


def test_off_benefit_and_employed_earnings_are_attached_by_the_dea_bands(
    api: TestClient, tokens: Tokens
) -> None:
    customer_id = register(api, tokens)
    debt_id = overpaid(api, tokens, customer_id, employed=True).id
    body = {"pay_date": "2026-01-02", "net_pay_pence": 200_000, "frequency": "monthly"}

    post(api, f"/debts/{debt_id}/earnings-attachment", body, tokens.caseworker())

    debt = read(api, f"/debts/{debt_id}", tokens.caseworker())
    assert debt["method"] == "earnings_attachment"
    # £2,000 a month is in the 15% band: £300, well inside the 60% the employee keeps.
    assert debt["movements"] == [
        {"kind": "earnings_attachment", "on": "2026-01-02", "amount_pence": 30_000}
    ]
    assert [d["rule_id"] for d in debt["decisions"]][-1] == "debt.earnings_attachment"


def test_a_voluntary_payment_brings_the_balance_down_but_never_below_nothing(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = register(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id
    path = f"/debts/{debt_id}/voluntary-payments"

    post(api, path, payment(5_000), tokens.caseworker(), 201)
    too_much = refused(api, journeys, path, payment(115_001), tokens.caseworker())

    assert fields_named_in(too_much) == ["amount_pence"]
    assert "more than the balance of 115000" in messages(too_much)
    debt = read(api, f"/debts/{debt_id}", tokens.customer(customer_id))
    assert (debt["method"], debt["balance_pence"]) == ("voluntary_plan", 115_000)


# -- repayment -------------------------------------------------------------------------------------


def test_the_customer_repays_early_and_the_debt_clears(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id
    own = tokens.customer(customer_id)
    path = f"/debts/{debt_id}/repayments"

    post(api, path, payment(20_000), own, 201)
    above = refused(api, journeys, path, payment(100_001), own)
    post(api, path, payment(100_000), tokens.caseworker(), 201)

    assert "more than the balance of 100000" in messages(above)
    debt = read(api, f"/debts/{debt_id}", own)
    assert (debt["balance_pence"], debt["status"], debt["cleared_on"]) == (
        0,
        "cleared",
        "2026-01-05",
    )
    assert [m["kind"] for m in debt["movements"]] == ["repayment", "repayment"]
    cleared = refused(api, journeys, path, payment(1), own)
    assert "cleared" in messages(cleared)


BAD_AMOUNTS: list[tuple[str, str, Json]] = [
    ("overpayments", "amount_pence", overpayment(amount_pence=0)),
    ("overpayments", "amount_pence", overpayment(amount_pence=-100)),
    ("overpayments", "standard_allowance_pence", overpayment(standard_allowance_pence=0)),
    ("advances", "amount_pence", advance(amount_pence=-1)),
    ("advances", "deferral_months", advance(deferral_months=4)),
    (
        "deductions",
        "standard_allowance_pence",
        {"period_start": PERIOD, "standard_allowance_pence": 0},
    ),
    (
        "deductions",
        "last_resort_pence",
        {"period_start": PERIOD, "standard_allowance_pence": ALLOWANCE, "last_resort_pence": -1},
    ),
    (
        "debt:deductions",
        "amount_pence",
        {"period_start": PERIOD, "standard_allowance_pence": ALLOWANCE, "amount_pence": 0},
    ),
    ("debt:repayments", "amount_pence", payment(0)),
    ("debt:repayments", "amount_pence", payment(-500)),
    ("debt:voluntary-payments", "amount_pence", payment(0)),
    (
        "debt:earnings-attachment",
        "net_pay_pence",
        {"pay_date": PERIOD, "net_pay_pence": 0, "frequency": "weekly"},
    ),
    (
        "debt:waiver",
        "amount_pence",
        {"amount_pence": 0, "grounds": "other", "reason": "x", "decided_on": "2026-01-05"},
    ),
    (
        "debt:hardship-requests",
        "months",
        {"kind": "pause", "months": 0, "reason": "Rent", "requested_on": "2026-01-05"},
    ),
    (
        "debt:hardship-requests",
        "reduced_per_period_pence",
        {
            "kind": "reduce",
            "months": 2,
            "reason": "Rent",
            "requested_on": "2026-01-05",
            "reduced_per_period_pence": -1,
        },
    ),
    ("debt:repayments", "surprise", {**payment(100), "surprise": True}),
]


@pytest.mark.parametrize(("route", "field", "body"), BAD_AMOUNTS)
def test_amounts_not_above_nothing_and_unknown_fields_are_refused_at_the_edge(
    api: TestClient, tokens: Tokens, journeys: Journeys, route: str, field: str, body: Json
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id
    target, _, name = route.partition(":")
    path = f"/debts/{debt_id}/{name}" if target == "debt" else f"/customers/{customer_id}/{route}"

    with nothing_appended(journeys):
        answer = api.post(path, json=body, headers=tokens.caseworker())

    assert fields_named(answer) == [field], answer.text


# -- hardship --------------------------------------------------------------------------------------


def hardship(**changes: object) -> Json:
    """A request to pause recovery for two months."""
    return {
        "kind": "pause",
        "months": 2,
        "reason": "My rent went up and my partner left",
        "requested_on": TODAY.isoformat(),
        **changes,
    }


def test_hardship_is_asked_by_the_customer_and_decided_by_a_caseworker(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id
    own = tokens.customer(customer_id)
    path = f"/debts/{debt_id}/hardship-requests"

    too_long = refused(api, journeys, path, hardship(months=4), own)
    no_rate = refused(api, journeys, path, hardship(kind="reduce"), own)
    post(api, path, hardship(), own, 201)
    twice = refused(api, journeys, path, hardship(), own)

    assert "a pause lasts at most 3 months, not 4" in messages(too_long)
    assert "a reduction needs the reduced rate" in messages(no_rate)
    assert "waiting for a decision" in messages(twice)
    waiting = read(api, f"/debts/{debt_id}", own)
    assert waiting["hardship_request"] == {
        "kind": "pause",
        "months": 2,
        "reduced_per_period_pence": None,
        "requested_on": "2026-01-05",
    }

    decision = {"agree": True, "reason": "Rent arrears shown", "decided_on": "2026-01-05"}
    post(api, f"/debts/{debt_id}/hardship-decision", decision, tokens.caseworker())

    mine = read(api, f"/debts/{debt_id}", own)
    assert (mine["status"], mine["hardship_request"]) == ("paused", None)
    assert mine["hardship"] == {
        "kind": "pause",
        "from_on": "2026-01-05",
        "until": "2026-03-05",
        "per_period_pence": 0,
    }
    # Neither the customer's reason nor the decision maker's is repeated to the customer.
    text = json.dumps(mine)
    assert "Rent arrears shown" not in text
    assert "partner" not in text
    staff = read(api, f"/debts/{debt_id}", tokens.caseworker())
    [decided] = [d for d in staff["decisions"] if d["rule_id"] == "debt.hardship"]
    assert decided["made_by"] == "caseworker:CW-104"
    assert not decided["automated"]
    assert any("Rent arrears shown" in reason for reason in decided["reasons"])
    nothing_waiting = refused(
        api, journeys, f"/debts/{debt_id}/hardship-decision", decision, tokens.caseworker()
    )
    assert "no hardship request" in messages(nothing_waiting)


# -- waiver ----------------------------------------------------------------------------------------


def waiver(**changes: object) -> Json:
    """A write-off of £200 on terminal illness grounds."""
    body: Json = {
        "amount_pence": 20_000,
        "grounds": "terminal_illness",
        "reason": "Prognosis of weeks; recovery would cause distress",
        "decided_on": TODAY.isoformat(),
        **changes,
    }
    return {k: v for k, v in body.items() if v is not None}


def test_a_waiver_needs_a_reason_and_the_customer_never_sees_its_grounds(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id
    path = f"/debts/{debt_id}/waiver"
    caseworker = tokens.caseworker()

    without = refused(api, journeys, path, waiver(reason=None), caseworker)
    blank = refused(api, journeys, path, waiver(reason="   "), caseworker)
    above = refused(api, journeys, path, waiver(amount_pence=120_001), caseworker)
    post(api, path, waiver(), caseworker)

    assert fields_named_in(without) == fields_named_in(blank) == ["reason"]
    assert "more than the balance" in messages(above)
    mine = read(api, f"/debts/{debt_id}", tokens.customer(customer_id))
    assert mine["balance_pence"] == 100_000
    assert mine["movements"][-1] == {"kind": "waiver", "on": "2026-01-05", "amount_pence": 20_000}
    assert revealing_words(mine) == []
    assert "distress" not in json.dumps(mine).lower()
    staff = read(api, f"/debts/{debt_id}", caseworker)
    [waived] = [d for d in staff["decisions"] if d["rule_id"] == "debt.waiver"]
    assert waived["made_by"] == "caseworker:CW-104"


# -- Special Rules and death -----------------------------------------------------------------------

SR1: Json = {
    "received_on": "2026-01-05",
    "signer_role": "consultant",
    "signer_name": "Dr Mensah",
    "signed_on": "2026-01-02",
    "progressive_disease": True,
    "death_expected_within_months": 9,
}


def test_a_debt_suspended_under_the_special_rules_is_just_on_hold_to_the_customer(
    api: TestClient, tokens: Tokens
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id
    claim = start_claim(
        api, tokens.caseworker(), customer_id, benefit="PIP", claimant_role="third_party"
    )
    post(api, f"/claims/{claim.id}/special-rules/sr1", SR1, tokens.caseworker())

    mine = read(api, f"/debts/{debt_id}", tokens.customer(customer_id))
    staff = read(api, f"/debts/{debt_id}", tokens.caseworker())

    assert mine["status"] == "on_hold"
    assert revealing_words(mine) == []
    assert (
        revealing_words(read(api, f"/customers/{customer_id}/debts", tokens.customer(customer_id)))
        == []
    )
    assert (staff["status"], staff["suspended"]) == ("suspended", True)
    assert "special_rules.debt_recovery" in [d["rule_id"] for d in staff["decisions"]]


def test_a_debt_owed_by_the_estate_leaves_the_customers_view(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id
    death = {"date_of_death": "2026-01-03", "reference": "TUO-77"}
    post(api, f"/customers/{customer_id}/death-notification", death, tokens.caseworker())

    staff = read(api, f"/debts/{debt_id}", tokens.caseworker())
    mine = read(api, f"/customers/{customer_id}/debts", tokens.customer(customer_id))

    assert (staff["status"], staff["estate_from"], staff["estate_reference"]) == (
        "with_estate",
        "2026-01-03",
        "TUO-77",
    )
    assert mine["debts"] == []
    ok(api.get(f"/debts/{debt_id}", headers=tokens.customer(customer_id)), 404)
    deduct = {"period_start": PERIOD, "standard_allowance_pence": ALLOWANCE}
    dead = refused(
        api, journeys, f"/customers/{customer_id}/deductions", deduct, tokens.caseworker()
    )
    assert "death notified" in messages(dead)


# -- the what-if -----------------------------------------------------------------------------------


def what_if(api: TestClient, customer_id: UUID, body: Json, headers: Headers) -> Any:
    """The what-if's answer."""
    return ok(api.post(f"/customers/{customer_id}/debts/what-if", json=body, headers=headers))


def test_the_what_if_writes_nothing_and_shows_the_clear_date_moving(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = on_uc(api, tokens)
    debt_id = overpaid(api, tokens, customer_id).id  # £1,200 at £60 a month: 20 payments
    other_id = overpaid(api, tokens, customer_id, amount_pence=30_000).id
    own = tokens.customer(customer_id)

    with nothing_but_disclosures_appended(journeys):  # the caseworker's read is recorded
        paused = what_if(
            api, customer_id, {"debt_id": str(debt_id), "kind": "pause", "months": 3}, own
        )
        written_off = what_if(
            api,
            customer_id,
            {"debt_id": str(debt_id), "kind": "write_off", "amount_pence": 60_000},
            tokens.caseworker(),
        )
        too_long = api.post(
            f"/customers/{customer_id}/debts/what-if",
            json={"debt_id": str(debt_id), "kind": "pause", "months": 4},
            headers=own,
        )

    current_clear = add_calendar_months(TODAY, 19)
    by_debt = {d["debt_id"]: d for d in paused["debts"]}
    assert set(by_debt) == {str(debt_id), str(other_id)}
    mine = by_debt[str(debt_id)]
    assert mine["current_clear_on"] == current_clear.isoformat()
    assert mine["proposed_clear_on"] == add_calendar_months(current_clear, 3).isoformat()
    assert len(mine["current"]["payments"]) == 20
    assert mine["current"]["total_pence"] == 120_000
    # The other debt is shown as it stands.
    other = by_debt[str(other_id)]
    assert other["current_clear_on"] == other["proposed_clear_on"]
    [halved] = [d for d in written_off["debts"] if d["debt_id"] == str(debt_id)]
    assert halved["proposed_clear_on"] == add_calendar_months(TODAY, 9).isoformat()
    assert "a pause lasts at most 3 months, not 4" in messages(problem(too_long))
    # Nothing changed: the debt still owes all of it, with no hardship in force.
    debt = read(api, f"/debts/{debt_id}", own)
    assert (debt["balance_pence"], debt["hardship"]) == (120_000, None)


def test_a_what_if_on_a_debt_that_is_not_the_customers_is_refused(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id = on_uc(api, tokens)
    someone_else = on_uc(api, tokens, name="Grace Hopper")
    theirs = overpaid(api, tokens, someone_else).id

    with nothing_appended(journeys):
        answer = api.post(
            f"/customers/{customer_id}/debts/what-if",
            json={"debt_id": str(theirs), "kind": "pause", "months": 1},
            headers=tokens.customer(customer_id),
        )

    assert fields_named(answer) == ["debt_id"]
