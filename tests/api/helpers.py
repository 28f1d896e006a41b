"""Builders shared by the API tests: tokens, checked responses, and journeys driven over HTTP."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from fastapi.testclient import TestClient

from adapters.bootstrap import Journeys
from adapters.http.app import token_issuer
from adapters.http.auth import Role, TokenIssuer
from adapters.http.deps import POSITION_HEADER
from adapters.http.disclosure import PURPOSE_HEADER
from services.clock import SimulatedClock
from tests.integration.helpers import (
    daily_living_points,
    log_position,
    mobility_points,
    new_nino,
    topics_since,
)

Json = dict[str, Any]
Headers = Mapping[str, str]

CASEWORKER = "CW-104"
AUDITOR = "AU-7"
PURPOSE = "test: checking the case"

# The dates of the standard PIP journey; the clock starts on CLAIM_DAY (tests/conftest.py).
CLAIM_DAY = date(2026, 1, 5)
QUESTIONNAIRE_DUE = date(2026, 2, 5)
RETURN_KEYED_IN = date(2026, 1, 26)
RETURNED = date(2026, 1, 23)
ASSESSMENT_KEYED_IN = date(2026, 2, 16)
ASSESSED = date(2026, 2, 12)
DECIDED = date(2026, 2, 23)
AWARD_STARTS = CLAIM_DAY
AWARD_ENDS = date(2028, 1, 4)


def at(day: date, hour: int = 9) -> datetime:
    """A UTC moment on a day."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def move_to(clock: SimulatedClock, day: date, hour: int = 9) -> None:
    """Set the simulated clock forward to a day (staying put if it is already there)."""
    if clock.now() < at(day, hour):
        clock.set(at(day, hour))


@contextmanager
def nothing_but_disclosures_appended(journeys: Journeys) -> Iterator[None]:
    """Fail unless the block appends nothing but records of staff reads (Disclosure.Recorded)."""
    before = log_position(journeys)
    yield
    appended = topics_since(journeys, before)
    assert set(appended) <= {"Disclosure.Recorded"}, appended


def bearer(token: str) -> Headers:
    """An Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


class SignedIn(Mapping[str, str]):
    """An Authorization header minted when a request is sent, not when the test asked for it.

    Tests move the simulated clock by weeks between requests; a header minted once would
    expire on the way. Tests of expiry use a fixed token (`bearer`). Staff headers state a
    purpose too (X-Access-Purpose), as staff reads of customer data must.
    """

    def __init__(
        self,
        issuer: TokenIssuer,
        role: Role,
        subject: str,
        customer_id: UUID | None,
        purpose: str | None = None,
    ):
        self._issuer, self._role, self._subject = issuer, role, subject
        self._customer_id = customer_id
        self._purpose = purpose

    def __getitem__(self, key: str) -> str:
        if key == PURPOSE_HEADER and self._purpose is not None:
            return self._purpose
        if key != "Authorization":
            raise KeyError(key)
        return f"Bearer {self._issuer.mint(self._role, self._subject, self._customer_id)}"

    def __iter__(self) -> Iterator[str]:
        if self._purpose is None:
            return iter(("Authorization",))
        return iter(("Authorization", PURPOSE_HEADER))

    def __len__(self) -> int:
        return 1 if self._purpose is None else 2


class Tokens:
    """Bearer headers for each role, minted by the app's own issuer (and its clock)."""

    def __init__(self, journeys: Journeys) -> None:
        self.issuer = token_issuer(journeys)

    def customer(self, customer_id: UUID) -> SignedIn:
        """A customer signed in to their own record."""
        return SignedIn(self.issuer, Role.CUSTOMER, str(customer_id), customer_id)

    def caseworker(self, staff_id: str = CASEWORKER, purpose: str | None = PURPOSE) -> SignedIn:
        """A caseworker (stating a purpose for reads unless told None)."""
        return SignedIn(self.issuer, Role.CASEWORKER, staff_id, None, purpose)

    def auditor(self, staff_id: str = AUDITOR, purpose: str | None = PURPOSE) -> SignedIn:
        """An auditor (read-only; stating a purpose unless told None)."""
        return SignedIn(self.issuer, Role.AUDITOR, staff_id, None, purpose)


def ok(response: httpx.Response, status: int = 200) -> Any:
    """The JSON of a response that must have the given status."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return response.json()


@dataclass(frozen=True)
class Accepted:
    """A stored command: the record it concerned and the log position it reached."""

    id: UUID
    position: int


def accepted(response: httpx.Response, status: int = 200) -> Accepted:
    """A command's answer, checking the body and the position header agree."""
    body = ok(response, status)
    assert set(body) == {"id", "position"}
    assert response.headers[POSITION_HEADER] == str(body["position"])
    return Accepted(id=UUID(body["id"]), position=body["position"])


def problem(response: httpx.Response, status: int = 422) -> list[Json]:
    """The detail list of a refused request (FastAPI's own shape: loc, msg, type)."""
    body = ok(response, status)
    detail = body["detail"]
    assert isinstance(detail, list), body
    return list(detail)


def fields_named(response: httpx.Response) -> list[str]:
    """The last part of each detail's location, for a 422 (e.g. ['claim_date'])."""
    return [str(item["loc"][-1]) for item in problem(response)]


# -- journeys over HTTP ----------------------------------------------------------------------


def registered(
    api: TestClient,
    tokens: Tokens,
    *,
    name: str = "Ada Lovelace",
    born: date = date(1985, 3, 14),
    nino: str | None = None,
) -> Accepted:
    """A caseworker registers a new customer."""
    body = {"nino": nino or new_nino(), "name": name, "date_of_birth": born.isoformat()}
    return accepted(api.post("/customers", json=body, headers=tokens.caseworker()), 201)


def register(
    api: TestClient, tokens: Tokens, *, name: str = "Ada Lovelace", born: date = date(1985, 3, 14)
) -> UUID:
    """A caseworker registers a new customer; their id."""
    return registered(api, tokens, name=name, born=born).id


def start_claim(
    api: TestClient,
    headers: Headers,
    customer_id: UUID,
    *,
    benefit: str = "PIP",
    claim_date: date = CLAIM_DAY,
    claimant_role: str = "customer",
) -> Accepted:
    """Start a claim as whoever the headers sign in."""
    body = {
        "benefit": benefit,
        "claim_date": claim_date.isoformat(),
        "claimant_role": claimant_role,
    }
    return accepted(api.post(f"/customers/{customer_id}/claims", json=body, headers=headers), 201)


def issue_questionnaire(api: TestClient, tokens: Tokens, claim_id: UUID, on: date) -> Accepted:
    """A caseworker sends the PIP2."""
    body = {"issued_on": on.isoformat()}
    return accepted(
        api.post(f"/claims/{claim_id}/questionnaire", json=body, headers=tokens.caseworker())
    )


def return_questionnaire(
    api: TestClient, headers: Headers, claim_id: UUID, received_on: date
) -> Accepted:
    """The PIP2 comes back (reported by the customer or a caseworker)."""
    body = {"received_on": received_on.isoformat()}
    return accepted(
        api.post(f"/claims/{claim_id}/questionnaire/return", json=body, headers=headers)
    )


def assessment_body(daily_living: int, mobility: int, on: date) -> Json:
    """An assessment with the given component totals."""
    return {
        "assessed_on": on.isoformat(),
        "daily_living": daily_living_points(daily_living),
        "mobility": mobility_points(mobility),
        "assessor_id": "HP-2002",
    }


def record_assessment(
    api: TestClient, tokens: Tokens, claim_id: UUID, daily_living: int, mobility: int, on: date
) -> Accepted:
    """A caseworker records the assessment's points."""
    body = assessment_body(daily_living, mobility, on)
    return accepted(
        api.post(f"/claims/{claim_id}/assessment", json=body, headers=tokens.caseworker())
    )


def decide_pip(
    api: TestClient,
    tokens: Tokens,
    claim_id: UUID,
    *,
    on: date = DECIDED,
    override: Json | None = None,
    staff_id: str = CASEWORKER,
) -> Accepted:
    """A decision maker decides the PIP award from the points (optionally overriding)."""
    body: Json = {
        "decided_on": on.isoformat(),
        "starts_on": AWARD_STARTS.isoformat(),
        "ends_on": AWARD_ENDS.isoformat(),
    }
    if override is not None:
        body["override"] = override
    return accepted(
        api.post(f"/claims/{claim_id}/decision", json=body, headers=tokens.caseworker(staff_id))
    )


@dataclass(frozen=True)
class Claimed:
    """A customer, their claim and the log position the last step reached."""

    customer_id: UUID
    claim_id: UUID
    position: int


def pip_claim_awaiting_questionnaire(
    api: TestClient, tokens: Tokens, clock: SimulatedClock
) -> Claimed:
    """Registered, claimed online by the customer and sent the PIP2, all on CLAIM_DAY."""
    customer_id = register(api, tokens)
    claim_id = start_claim(api, tokens.customer(customer_id), customer_id).id
    issued = issue_questionnaire(api, tokens, claim_id, clock.today())
    return Claimed(customer_id, claim_id, issued.position)


def pip_claim_awaiting_decision(
    api: TestClient, tokens: Tokens, clock: SimulatedClock, daily_living: int, mobility: int
) -> Claimed:
    """The standard journey up to the assessment (the clock ends on ASSESSMENT_KEYED_IN)."""
    claim = pip_claim_awaiting_questionnaire(api, tokens, clock)
    move_to(clock, RETURN_KEYED_IN)
    return_questionnaire(api, tokens.customer(claim.customer_id), claim.claim_id, RETURNED)
    move_to(clock, ASSESSMENT_KEYED_IN)
    assessed = record_assessment(api, tokens, claim.claim_id, daily_living, mobility, ASSESSED)
    return Claimed(claim.customer_id, claim.claim_id, assessed.position)


def decided_pip_claim(
    api: TestClient,
    tokens: Tokens,
    clock: SimulatedClock,
    *,
    daily_living: int = 9,
    mobility: int = 4,
    override: Json | None = None,
) -> Claimed:
    """The standard journey to a decision notified on DECIDED (the clock ends there)."""
    claim = pip_claim_awaiting_decision(api, tokens, clock, daily_living, mobility)
    move_to(clock, DECIDED)
    decided = decide_pip(api, tokens, claim.claim_id, override=override)
    return Claimed(claim.customer_id, claim.claim_id, decided.position)


def self_service(
    api: TestClient, headers: Headers, customer_id: UUID, after_position: int | None = None
) -> Json:
    """The customer's self-service view, read after a position."""
    params = {} if after_position is None else {"after_position": after_position}
    view: Json = ok(
        api.get(f"/customers/{customer_id}/self-service", params=params, headers=headers)
    )
    return view


def only_claim(view: Json) -> Json:
    """The one claim on a self-service view."""
    claims = view["claims"]
    assert len(claims) == 1, claims
    claim: Json = claims[0]
    return claim


# -- the move from child DLA to PIP ----------------------------------------------------------------

YOUNG_NINO = "AB123456C"
"""Digits 56: DLA is paid on Wednesdays, every 4 weeks from 6 January 2016 (so on 18 March,
15 April and 13 May 2026)."""
YOUNG_BORN = date(2010, 3, 12)
SIXTEENTH_BIRTHDAY = date(2026, 3, 12)  # the invitation goes on the birthday itself
CLAIM_BY = date(2026, 4, 8)  # 28 days beginning with the invitation
DLA_CLAIMED = date(2016, 1, 6)
DLA_DECIDED_AFTER = timedelta(days=26)  # a DLA claim of 6 January 2016 decided on 1 February
DLA_WEEKLY_PENCE = 7_000


@dataclass(frozen=True)
class ChildDla:
    """A young person awarded DLA as a child: their record, the DLA claim, the last position."""

    customer_id: UUID
    dla_claim_id: UUID
    position: int


def child_dla_recipient(
    api: TestClient,
    tokens: Tokens,
    *,
    born: date = YOUNG_BORN,
    nino: str | None = None,
    name: str = "Sam Young",
    claimant_role: str = "appointee",
    dla_claimed: date = DLA_CLAIMED,
    dla_ends_on: date | None = None,
) -> ChildDla:
    """Registered and awarded DLA (claimed by a parent unless told otherwise), over HTTP."""
    customer_id = registered(api, tokens, name=name, born=born, nino=nino).id
    claim_id = start_claim(
        api,
        tokens.caseworker(),
        customer_id,
        benefit="DLA",
        claim_date=dla_claimed,
        claimant_role=claimant_role,
    ).id
    decision: Json = {
        "decided_on": min(dla_claimed + DLA_DECIDED_AFTER, CLAIM_DAY).isoformat(),
        "entitled": True,
        "reason": "Needs far more care than other children of the same age",
        "starts_on": dla_claimed.isoformat(),
    }
    if dla_ends_on is not None:
        decision["ends_on"] = dla_ends_on.isoformat()
    decided = accepted(
        api.post(
            f"/claims/{claim_id}/entitlement-decision", json=decision, headers=tokens.caseworker()
        )
    )
    return ChildDla(customer_id, claim_id, decided.position)


def transition_body(dla_claim_id: UUID, **changes: object) -> Json:
    """A valid start of the move to PIP for a DLA claim (GB, not Special Rules), with changes."""
    return {
        "dla_claim_id": str(dla_claim_id),
        "dla_weekly_pence": DLA_WEEKLY_PENCE,
        "special_rules": False,
        "condition": "other",
        **changes,
    }


def start_transition(
    api: TestClient, tokens: Tokens, child: ChildDla, **changes: object
) -> Accepted:
    """A caseworker starts the young person's move to PIP."""
    return accepted(
        api.post(
            f"/customers/{child.customer_id}/dla-to-pip",
            json=transition_body(child.dla_claim_id, **changes),
            headers=tokens.caseworker(),
        ),
        201,
    )


def in_transition(
    api: TestClient, tokens: Tokens, *, nino: str | None = YOUNG_NINO, **child: Any
) -> ChildDla:
    """A child DLA recipient (born YOUNG_BORN unless told) whose move to PIP has started."""
    recipient = child_dla_recipient(api, tokens, nino=nino, **child)
    started = start_transition(api, tokens, recipient)
    return ChildDla(recipient.customer_id, recipient.dla_claim_id, started.position)
