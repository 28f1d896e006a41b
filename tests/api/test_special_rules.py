"""Special Rules over HTTP: SR1, fast-track award, the case; who may do what; what stays unsaid.

The clock starts on Monday 5 January 2026; an SR1 arriving that day has the target
Thursday 8 January (Tue 6, Wed 7, Thu 8), at risk from Wednesday 7 January.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from services.clock import SimulatedClock
from tests.api.helpers import (
    CLAIM_DAY,
    Json,
    Tokens,
    accepted,
    move_to,
    ok,
    problem,
    register,
    self_service,
    start_claim,
)
from tests.integration.helpers import nothing_appended
from tests.scenarios.special_rules_words import revealing_words

SR1: Json = {
    "received_on": "2026-01-05",
    "signer_role": "consultant",
    "signer_name": "Dr Mensah",
    "signed_on": "2026-01-02",
    "progressive_disease": True,
    "death_expected_within_months": 9,
}


def third_party_claim(api: TestClient, tokens: Tokens, benefit: str = "PIP") -> tuple[UUID, UUID]:
    """A customer and a claim a third party made for them on 5 January 2026."""
    customer_id = register(api, tokens)
    claim = start_claim(
        api, tokens.caseworker(), customer_id, benefit=benefit, claimant_role="third_party"
    )
    return customer_id, claim.id


def test_a_caseworker_fast_tracks_and_decides_and_the_customer_learns_nothing_of_why(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id, claim_id = third_party_claim(api, tokens)
    recorded = accepted(
        api.post(f"/claims/{claim_id}/special-rules/sr1", json=SR1, headers=tokens.caseworker())
    )
    case: Json = ok(api.get(f"/customers/{customer_id}/special-rules", headers=tokens.caseworker()))
    assert case["case_id"] == str(recorded.id)
    assert (case["status"], case["basis_withheld"]) == ("fast_tracked", True)
    assert case["fast_tracked"][0]["target_on"] == "2026-01-08"
    assert case["debt_policy"]["outcome"] == {"suspend_recovery": True, "consider_waiver": True}
    assert ok(api.get(f"/customers/{customer_id}/special-rules", headers=tokens.auditor()))

    decided = accepted(
        api.post(
            f"/claims/{claim_id}/special-rules/award",
            json={"decided_on": "2026-01-05", "mobility": "standard"},
            headers=tokens.caseworker(),
        )
    )
    items: Json = ok(
        api.get(
            f"/customers/{customer_id}/case-items",
            params={"after_position": decided.position, "kind": "special_rules"},
            headers=tokens.caseworker(),
        )
    )
    assert [(i["item"]["status"], i["item"]["open"]) for i in items["items"]] == [
        ("cleared", False)
    ]
    timeline: Json = ok(api.get(f"/customers/{customer_id}/timeline", headers=tokens.caseworker()))
    summaries = [entry["summary"] for entry in timeline["entries"]]
    assert {
        "Special Rules case opened",
        "SR1 received on 2026-01-05, signed by a consultant: third-party claim, do not tell "
        "the customer",
        "Special Rules definition for the PIP claim: met, fast-tracked",
        "Fast-tracked under the Special Rules: no PIP2, no assessment",
        "Debt recovery policy for Special Rules applied",
        "Special Rules claim decided on 2026-01-05; award ends 2029-01-04",
    } <= set(summaries)

    view = self_service(api, tokens.customer(customer_id), customer_id, decided.position)
    assert revealing_words(view) == []
    (claim,) = view["claims"]
    assert claim["award"]["starts_on"] == CLAIM_DAY.isoformat()
    assert claim["award"]["ends_on"] == date(2029, 1, 4).isoformat()
    assert claim["decision_reasons"] == ["We decided that you are entitled to PIP."]


def test_customers_and_auditors_may_not_record_sr1s_or_decide_and_customers_cannot_read_the_case(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    customer_id, claim_id = third_party_claim(api, tokens)
    with nothing_appended(journeys):
        for headers in (tokens.customer(customer_id), tokens.auditor()):
            ok(api.post(f"/claims/{claim_id}/special-rules/sr1", json=SR1, headers=headers), 403)
            ok(
                api.post(
                    f"/claims/{claim_id}/special-rules/award",
                    json={"decided_on": "2026-01-05"},
                    headers=headers,
                ),
                403,
            )
    ok(
        api.get(f"/customers/{customer_id}/special-rules", headers=tokens.customer(customer_id)),
        403,
    )
    missing = ok(
        api.get(f"/customers/{customer_id}/special-rules", headers=tokens.caseworker()), 404
    )
    assert str(customer_id) in missing["detail"]


def test_refused_sr1s_and_pip2s_name_the_problem_and_store_nothing(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    _, claim_id = third_party_claim(api, tokens)
    caseworker = tokens.caseworker()
    with nothing_appended(journeys):
        refused = problem(
            api.post(
                f"/claims/{claim_id}/special-rules/sr1",
                json={**SR1, "signer_role": "other_nurse"},
                headers=caseworker,
            )
        )
        assert (refused[0]["type"], refused[0]["loc"]) == (
            "Sr1SignerNotAccepted",
            ["body", "signer_role"],
        )
        unknown = problem(
            api.post(
                f"/claims/{claim_id}/special-rules/sr1",
                json={**SR1, "prognosis_text": "weeks"},
                headers=caseworker,
            )
        )
        assert unknown[0]["loc"][-1] == "prognosis_text"
        not_fast_tracked = problem(
            api.post(
                f"/claims/{claim_id}/special-rules/award",
                json={"decided_on": "2026-01-05"},
                headers=caseworker,
            )
        )
        assert not_fast_tracked[0]["type"] == "NotFastTracked"

    accepted(api.post(f"/claims/{claim_id}/special-rules/sr1", json=SR1, headers=caseworker))
    with nothing_appended(journeys):
        pip2 = problem(
            api.post(
                f"/claims/{claim_id}/questionnaire",
                json={"issued_on": "2026-01-05"},
                headers=caseworker,
            )
        )
        assert pip2[0]["type"] == "QuestionnaireNotNeeded"


def test_the_special_rules_worklist_shows_the_case_at_risk_then_overdue(
    api: TestClient, tokens: Tokens, journeys: Journeys, clock: SimulatedClock
) -> None:
    # SR1 on Monday 5 January 2026: target Thursday 8 January, at risk from Wednesday 7.
    customer_id, claim_id = third_party_claim(api, tokens, benefit="UC")
    recorded = accepted(
        api.post(f"/claims/{claim_id}/special-rules/sr1", json=SR1, headers=tokens.caseworker())
    )

    def read_on(day: date) -> Json:
        move_to(clock, day)
        page: Json = ok(
            api.get(
                "/worklists/safeguarding/special_rules",
                params={"after_position": recorded.position},
                headers=tokens.caseworker(),
            )
        )
        mine: list[Json] = [
            i for i in page["items"] if i["item"]["customer_id"] == str(customer_id)
        ]
        assert len(mine) == 1
        return mine[0]

    tuesday = read_on(date(2026, 1, 6))
    assert (tuesday["at_risk"], tuesday["overdue"]) == (False, False)
    assert tuesday["item"]["due_on"] == "2026-01-08"
    assert "UC" in tuesday["item"]["title"]
    wednesday = read_on(date(2026, 1, 7))
    assert (wednesday["at_risk"], wednesday["overdue"]) == (True, False)
    friday = read_on(date(2026, 1, 9))
    assert (friday["at_risk"], friday["overdue"]) == (False, True)
