"""Hostile input: generated HTTP requests for every role, junk for every inbound Kafka parser.

No generated request may answer 5xx, and a refused one appends nothing (but the disclosure a
staff read records, by design); every inbound parser turns junk into a dead letter with a
reason, never an exception that would stop the consumer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok

from adapters.bootstrap import Journeys
from adapters.http.app import create_app
from adapters.kafka.inbound import Verdict, handlers_for
from tests.api.helpers import Tokens
from tests.integration.helpers import log_position, topics_since

# Values JSON can carry, and messages that look nearly valid: the right keys, wrong values.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
near_keys = st.sampled_from(
    [
        "message_id",
        "customer_id",
        "nino",
        "date_of_death",
        "tuo_reference",
        "claim_id",
        "received_on",
        "customer_aware",
        "clinician",
        "diagnosis",
        "schema_version",
    ]
)
near_valid = st.dictionaries(near_keys, json_values, max_size=8).map(
    lambda body: json.dumps(body).encode()
)
hostile = st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()) | near_valid

# The journeys fixture is built once per test, not per example: a dead letter appends nothing.
CHECK = settings(
    max_examples=400,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.mark.slow
@CHECK
@given(raw=hostile, topic_index=st.integers(min_value=0, max_value=1))
def test_hostile_inbound_message_is_dead_lettered_with_a_reason(
    journeys: Journeys, raw: bytes, topic_index: int
) -> None:
    handlers: dict[str, Any] = handlers_for(journeys)
    handle = list(handlers.values())[topic_index]
    before = log_position(journeys)
    outcome = handle(raw)
    assert outcome.verdict is Verdict.DEAD_LETTER
    assert outcome.reason
    assert log_position(journeys) == before


REQUESTS_PER_ROLE = 1_000


@pytest.fixture
def following(journeys: Journeys) -> Iterator[Journeys]:
    """The system with its views follower running, as `journeys serve` has it."""
    journeys.projections.start()
    try:
        yield journeys
    finally:
        journeys.projections.stop()


def role_headers(tokens: Tokens, role: str) -> dict[str, str]:
    """A role's bearer token (and the purpose staff must state); none for "none"."""
    if role == "customer":
        return dict(tokens.customer(uuid4()))
    if role == "caseworker":
        return dict(tokens.caseworker())
    if role == "auditor":
        return dict(tokens.auditor())
    return {}


@pytest.mark.slow
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", ["none", "customer", "caseworker", "auditor"])
def test_generated_requests_never_answer_5xx_and_refusals_append_nothing(
    following: Journeys, role: str
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(following))
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results) > 40, "every operation of the OpenAPI must load"
    # One strategy per operation, built once: building one per draw re-validated it every time.
    any_request = st.one_of([operation.as_strategy() for operation in operations])
    headers = role_headers(Tokens(following), role)
    answered: list[int] = []

    @settings(
        max_examples=REQUESTS_PER_ROLE,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=any_request)
    def request(case: Any) -> None:
        case.headers = {**(case.headers or {}), **headers}
        before = log_position(following)
        response = case.call()
        answered.append(response.status_code)
        assert response.status_code < 500, (case.method, case.path, response.text)
        if response.status_code >= 400:
            # A staff read is recorded before the route runs, even when it is then refused.
            appended = set(topics_since(following, before))
            assert appended <= {"Disclosure.Recorded"}, (case.method, case.path, appended)

    request()
    assert len(answered) >= REQUESTS_PER_ROLE * 0.9  # hypothesis may skip a few duplicates
