"""Erasure of a customer's personal data (crypto-shredding), and the legal hold that blocks it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from uuid import UUID

from domain.aggregate import acting_as
from domain.customer import Customer
from domain.errors import DomainError, PersonalDataAlreadyErased
from domain.values import Actor
from services.base import JourneysBase, Recorded
from services.personal_data import CustomerKeys


class PersonalDataNotSealed(DomainError):
    """This event store keeps no per-customer keys, so there is no key to destroy."""

    field = None


class PersonalDataUseCases(JourneysBase):
    """Place and lift legal holds; erase a customer's personal data by destroying their key."""

    def _keys(self) -> CustomerKeys:
        if self.customer_keys is None:
            raise PersonalDataNotSealed(
                "personal data is not sealed in this store (no key store configured)"
            )
        return self.customer_keys

    def place_legal_hold(self, customer_id: UUID, reason: str, by: Actor | None = None) -> Recorded:
        """Keep the customer's personal data from erasure until the hold is lifted."""
        keys = self._keys()
        with _acting(by):
            recorded = self._change_customer(
                customer_id, lambda c: c.place_legal_hold(reason, self.clock.today())
            )
        keys.set_legal_hold(customer_id, True)
        return recorded

    def lift_legal_hold(self, customer_id: UUID, reason: str, by: Actor | None = None) -> Recorded:
        """Lift the customer's legal hold (erasure is allowed again)."""
        keys = self._keys()
        with _acting(by):
            recorded = self._change_customer(
                customer_id, lambda c: c.lift_legal_hold(reason, self.clock.today())
            )
        keys.set_legal_hold(customer_id, False)
        return recorded

    def erase_personal_data(
        self, customer_id: UUID, reason: str, by: Actor | None = None
    ) -> Recorded:
        """Record the erasure on the customer, then destroy their key (refused under a hold).

        The event is stored first, so an erasure is never done without its record; if the key
        could not be destroyed then, asking again finishes the job instead of refusing.
        """
        keys = self._keys()
        customer = self._load(customer_id, Customer)
        self._refuse_if_stored_in_plaintext(customer_id)
        stored = keys.stored(customer_id)
        if customer.personal_data_erased:
            if stored is not None and stored.wrapped is not None:
                keys.erase(customer_id, self.clock.now())
                self._forget_cached(customer)
                return Recorded(customer_id, 0)
            raise PersonalDataAlreadyErased("the customer's personal data is already erased")
        with _acting(by):
            recorded = self._change_customer(
                customer_id, lambda c: c.erase_personal_data(reason, self.clock.today())
            )
        keys.erase(customer_id, self.clock.now())
        self._forget_cached(customer)
        return recorded

    def _refuse_if_stored_in_plaintext(self, customer_id: UUID) -> None:
        """Refuse when the registration was stored before sealing: no key would erase it."""
        if self.mapper.cipher is not None or self.mapper.compressor is not None:
            return  # the stored state is not JSON text to look into
        first = self.recorder.select_events(customer_id, lte=1)
        if first and b'"sealed":' not in first[0].state:
            raise PersonalDataNotSealed(
                f"customer {customer_id} was registered before personal data was sealed: "
                "destroying a key would not erase it (re-seal their events first)"
            )

    def _forget_cached(self, customer: Customer) -> None:
        """Drop the decoded events (plaintext) this process holds about the customer.

        Every journey, not only those the customer's record lists (claims, debts): concerns,
        plans, referrals, lump sums and the Special Rules case name the customer in their first
        event, and were served in plaintext from this cache after an erasure.
        """
        if self.recent is not None:
            self.recent.forget_about(customer.id)


@contextmanager
def _acting(by: Actor | None) -> Iterator[None]:
    with acting_as(by) if by is not None else nullcontext():
        yield
