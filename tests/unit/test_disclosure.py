"""A disclosure: one staff read, its own aggregate, with a stated purpose."""

from __future__ import annotations

import uuid

import pytest

from domain.disclosure import Disclosure, PurposeNotStated, ReaderRole


def read(purpose: str | None, subject: str = "CW-1") -> Disclosure:
    """A caseworker's read of one customer's timeline."""
    return Disclosure.record(
        customer=uuid.uuid4(),
        subject=subject,
        role=ReaderRole.CASEWORKER,
        purpose=purpose,
        resource="GET /customers/{customer_id}/timeline",
        path="/customers/x/timeline",
    )


def test_each_read_is_a_new_aggregate_of_one_event_with_its_purpose_tidied() -> None:
    first, second = read("  phone call\n from   the customer "), read("phone call")

    assert first.id != second.id
    assert (first.version, second.version) == (1, 1)
    [recorded] = first.collect_events()
    assert isinstance(recorded, Disclosure.Recorded)
    assert recorded.purpose == "phone call from the customer"


@pytest.mark.parametrize("purpose", [None, "", "   ", "ok", "x" * 201])
def test_a_read_without_a_purpose_of_3_to_200_characters_is_refused(purpose: str | None) -> None:
    with pytest.raises(PurposeNotStated, match="purpose"):
        read(purpose)


def test_a_read_must_name_who_read() -> None:
    with pytest.raises(PurposeNotStated, match="subject"):
        read("phone call", subject=" ")


def test_the_customer_is_not_named_customer_id_so_no_timeline_or_owner_row_follows() -> None:
    [recorded] = read("phone call").collect_events()

    assert not hasattr(recorded, "customer_id")
