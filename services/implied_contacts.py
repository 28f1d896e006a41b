"""The write path's contact step: facts that mean writing to the customer queue their letters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID

from domain.aggregate import JourneyAggregate
from domain.customer import Customer
from domain.errors import ClaimHistoryInconsistent
from domain.letters import letter_for


def _customer_id_of(aggregate: JourneyAggregate) -> UUID:
    if isinstance(aggregate, Customer):
        return aggregate.id
    customer_id = getattr(aggregate, "customer_id", None)
    if not isinstance(customer_id, UUID):
        raise ClaimHistoryInconsistent(
            f"{type(aggregate).__name__} {aggregate.id} recorded a fact that means writing to "
            "a customer, but it has no customer"
        )
    return customer_id


def with_implied_contacts(
    changed: Sequence[JourneyAggregate],
    load_customer: Callable[[UUID], Customer],
    today: date,
) -> Sequence[JourneyAggregate]:
    """The changed aggregates plus any customer a pending fact's letter was queued on.

    The letter goes on the Customer in the same save as the fact, so a death notified at the
    same time makes one of the two saves conflict and the retry sees the death: the letter is
    then refused and the refusal recorded (Customer.queue_contact).
    """
    result = list(changed)
    customers = {a.id: a for a in result if isinstance(a, Customer)}
    for aggregate in tuple(result):
        for event in tuple(aggregate.pending_events):
            if not isinstance(event, JourneyAggregate.Event):
                continue
            template = letter_for(event)
            if template is None:
                continue
            customer_id = _customer_id_of(aggregate)
            customer = customers.get(customer_id)
            if customer is None:
                customer = customers[customer_id] = load_customer(customer_id)
                result.append(customer)
            customer.queue_contact(template.message(event, customer.contact_preferences), today)
    return result
