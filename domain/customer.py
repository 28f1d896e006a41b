"""The customer: identity, contact preferences, appointee, support markers, death, claims."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import JourneyAggregate
from domain.contacts import ContactStatus, OutboundMessage
from domain.errors import (
    AppointeeAlreadyActive,
    ContactNotQueued,
    CustomerDeceased,
    DateOfBirthInFuture,
    InvalidDateOfDeath,
    InvalidName,
    LegalHoldAlreadyPlaced,
    LegalHoldInForce,
    MissingDescription,
    NoActiveAppointee,
    NoLegalHold,
    PersonalDataAlreadyErased,
    PersonalDataWasErased,
    SupportMarkerNotFound,
)
from domain.identity import customer_id_for, normalise_nino
from domain.obligations import SYSTEM_WORDING, NoLetter, Personal, implies
from domain.personal_data import ERASED
from domain.values import Appointee, BenefitType, ContactPreferences, SupportMarker, SupportNeed


class Customer(JourneyAggregate):
    """A person the department serves, identified by their National Insurance number."""

    @property
    def data_subject(self) -> UUID:
        """The customer themself."""
        return self.id

    @implies(
        timeline=lambda e: (
            "Registered (date of birth "
            f"{e.date_of_birth.isoformat() if e.date_of_birth else ERASED})"
        ),
        letter=NoLetter("registering the customer sends nothing; their journeys' letters do"),
    )
    class Registered(JourneyAggregate.Created):
        """The department first recorded the customer."""

        nino: str
        name: str
        date_of_birth: Annotated[
            date | None, Personal
        ]  # None once the customer's personal data is erased
        contact_preferences: ContactPreferences

    @staticmethod
    def create_id(nino: str, **_: Any) -> UUID:
        """One NINO, one customer: the id derives from the NINO."""
        return customer_id_for(nino)

    @classmethod
    def register(
        cls,
        *,
        nino: str,
        name: str,
        date_of_birth: date,
        contact_preferences: ContactPreferences,
        today: date,
    ) -> Customer:
        """Register a customer, refusing a malformed NINO, a blank name or a future birth."""
        canonical = normalise_nino(nino)
        if not name.strip():
            raise InvalidName("name must not be blank")
        if date_of_birth > today:
            raise DateOfBirthInFuture(
                f"date_of_birth {date_of_birth.isoformat()} is after today ({today.isoformat()})"
            )
        return cls(
            nino=canonical,
            name=name.strip(),
            date_of_birth=date_of_birth,
            contact_preferences=contact_preferences,
        )

    @event(Registered)
    def __init__(
        self,
        nino: str,
        name: str,
        date_of_birth: date | None,
        contact_preferences: ContactPreferences,
    ) -> None:
        self.nino = nino
        self.name = name
        self.date_of_birth = date_of_birth
        self.contact_preferences = contact_preferences
        self.appointee: Appointee | None = None
        self.support_markers: dict[SupportNeed, SupportMarker] = {}
        self.date_of_death: date | None = None
        self.death_reference: str | None = None
        self.claims: dict[UUID, BenefitType] = {}
        self.debts: list[UUID] = []
        self.circumstances: list[tuple[date, str]] = []
        self.contacts: dict[UUID, ContactStatus] = {}
        self.queued_contacts: dict[UUID, OutboundMessage] = {}
        self.legal_hold: str | None = None
        self.personal_data_erased = False

    def known_date_of_birth(self) -> date:
        """The date of birth a rule needs; refused once the personal data was erased."""
        if self.date_of_birth is None:
            raise PersonalDataWasErased(
                "date_of_birth: the customer's personal data was erased", field="date_of_birth"
            )
        return self.date_of_birth

    @property
    def deceased(self) -> bool:
        """True once a death has been notified."""
        return self.date_of_death is not None

    def _refuse_if_deceased(self, action: str) -> None:
        if self.date_of_death is not None:
            raise CustomerDeceased(
                f"cannot {action}: death notified (date of death {self.date_of_death.isoformat()})"
            )

    @implies(
        timeline=lambda e: (
            f"Contact preferences: {e.preferences.channel.value}"
            + (", large print" if e.preferences.large_print else "")
            + f", language {e.preferences.language}"
        ),
        letter=NoLetter("the customer told us; later letters follow the new preferences"),
    )
    class ContactPreferencesChanged(JourneyAggregate.Event):
        """The customer told us how they want to be contacted."""

        effective_date: date
        preferences: ContactPreferences

    def change_contact_preferences(self, preferences: ContactPreferences, effective: date) -> None:
        """Record new contact preferences."""
        self._refuse_if_deceased("change contact preferences")
        self._contact_preferences_changed(effective_date=effective, preferences=preferences)

    @event(ContactPreferencesChanged)
    def _contact_preferences_changed(
        self, effective_date: date, preferences: ContactPreferences
    ) -> None:
        self.contact_preferences = preferences

    @implies(
        timeline=lambda e: f"Appointee appointed: {e.appointee.name} ({e.appointee.relationship})",
        letter=NoLetter("recorded for the customer's file; no letter is sent"),
    )
    class AppointeeAppointed(JourneyAggregate.Event):
        """Someone was appointed to act for the customer."""

        effective_date: date
        appointee: Appointee

    def appoint(self, appointee: Appointee, effective: date) -> None:
        """Appoint someone to act for the customer; only one appointee at a time."""
        self._refuse_if_deceased("appoint an appointee")
        if self.appointee is not None:
            raise AppointeeAlreadyActive(
                f"{self.appointee.name} is already the appointee; end that appointment first"
            )
        self._appointee_appointed(effective_date=effective, appointee=appointee)

    @event(AppointeeAppointed)
    def _appointee_appointed(self, effective_date: date, appointee: Appointee) -> None:
        self.appointee = appointee

    @implies(
        timeline=lambda e: f"Appointee ended: {e.reason}",
        letter=NoLetter("recorded for the customer's file; no letter is sent"),
    )
    class AppointeeEnded(JourneyAggregate.Event):
        """The appointee no longer acts for the customer."""

        effective_date: date
        reason: str

    def end_appointee(self, reason: str, effective: date) -> None:
        """End the current appointment."""
        if self.appointee is None:
            raise NoActiveAppointee("the customer has no appointee to end")
        self._appointee_ended(effective_date=effective, reason=reason)

    @event(AppointeeEnded)
    def _appointee_ended(self, effective_date: date, reason: str) -> None:
        self.appointee = None

    @implies(
        timeline=lambda e: (
            f"Support marker added: {e.marker.need.value} ({e.marker.duration.value})"
            + (f": {e.marker.details}" if e.marker.details else "")
        ),
        letter=NoLetter("a note for staff on how to deal with the customer"),
    )
    class SupportMarkerAdded(JourneyAggregate.Event):
        """The customer needs additional support to deal with the department."""

        effective_date: date
        marker: SupportMarker

    def add_support_marker(self, marker: SupportMarker, effective_date: date) -> None:
        """Mark a support need for every later contact (replacing one for the same need)."""
        self._support_marker_added(effective_date=effective_date, marker=marker)

    @event(SupportMarkerAdded)
    def _support_marker_added(self, effective_date: date, marker: SupportMarker) -> None:
        self.support_markers[marker.need] = marker

    @implies(
        timeline=lambda e: f"Support marker removed: {e.need.value}",
        letter=NoLetter("a note for staff on how to deal with the customer"),
    )
    class SupportMarkerRemoved(JourneyAggregate.Event):
        """A support need no longer applies."""

        effective_date: date
        need: SupportNeed

    def remove_support_marker(self, need: SupportNeed, effective: date) -> None:
        """Remove an active support marker."""
        if need not in self.support_markers:
            raise SupportMarkerNotFound(f"no active support marker for need {need.value!r}")
        self._support_marker_removed(effective_date=effective, need=need)

    @event(SupportMarkerRemoved)
    def _support_marker_removed(self, effective_date: date, need: SupportNeed) -> None:
        del self.support_markers[need]

    @implies(
        timeline=lambda e: f"Change of circumstances: {e.description}",
        letter=NoLetter("the customer told us; any decision it leads to writes its own letter"),
    )
    class CircumstancesChanged(JourneyAggregate.Event):
        """The customer reported a change of circumstances."""

        effective_date: date
        description: str

    def report_change(self, description: str, effective_date: date) -> None:
        """Record a reported change of circumstances from its effective date."""
        self._refuse_if_deceased("report a change of circumstances")
        if not description.strip():
            raise MissingDescription("a change of circumstances needs a description")
        self._circumstances_changed(effective_date=effective_date, description=description.strip())

    @event(CircumstancesChanged)
    def _circumstances_changed(self, effective_date: date, description: str) -> None:
        self.circumstances.append((effective_date, description))

    @implies(
        timeline=lambda e: f"Death notified (reference {e.reference})",
        letter=NoLetter("the customer has died: nobody to write to in this journey"),
    )
    class DeathNotified(JourneyAggregate.Event):
        """The department learned of the customer's death (Tell Us Once or otherwise)."""

        effective_date: date
        reference: str

    def notify_death(self, date_of_death: date, reference: str, today: date) -> None:
        """Record the customer's death; it can be recorded once."""
        self._refuse_if_deceased("notify death again")
        if date_of_death > today:
            raise InvalidDateOfDeath(
                f"date_of_death {date_of_death.isoformat()} is after today ({today.isoformat()})"
            )
        if self.date_of_birth is not None and date_of_death < self.date_of_birth:
            raise InvalidDateOfDeath(
                f"date_of_death {date_of_death.isoformat()} is before the date of birth"
            )
        self._death_notified(effective_date=date_of_death, reference=reference)

    @event(DeathNotified)
    def _death_notified(self, effective_date: date, reference: str) -> None:
        self.date_of_death = effective_date
        self.death_reference = reference

    @implies(
        timeline=lambda e: f"{e.benefit.value} claim opened",
        letter=NoLetter("a link to the claim, whose own events imply its letters"),
    )
    class ClaimOpened(JourneyAggregate.Event):
        """A claim was started for the customer."""

        effective_date: date
        claim_id: UUID
        benefit: BenefitType

    def open_claim(self, claim_id: UUID, benefit: BenefitType, claim_date: date) -> None:
        """Link a new claim to the customer."""
        self._refuse_if_deceased("start a claim")
        self._claim_opened(effective_date=claim_date, claim_id=claim_id, benefit=benefit)

    @event(ClaimOpened)
    def _claim_opened(self, effective_date: date, claim_id: UUID, benefit: BenefitType) -> None:
        self.claims[claim_id] = benefit

    @implies(
        timeline=lambda e: f"Debt recorded ({e.debt_id})",
        letter=NoLetter("a link to the debt, whose own events imply its letters"),
    )
    class DebtOpened(JourneyAggregate.Event):
        """A debt (an overpayment or an advance) was recorded for the customer."""

        effective_date: date
        debt_id: UUID

    def open_debt(self, debt_id: UUID, effective: date) -> None:
        """Link a new debt to the customer (after a death too: it is owed by the estate)."""
        if debt_id not in self.debts:
            self._debt_opened(effective_date=effective, debt_id=debt_id)

    @event(DebtOpened)
    def _debt_opened(self, effective_date: date, debt_id: UUID) -> None:
        self.debts.append(debt_id)

    # -- outbound contact: one outbox, guarded against a notified death ---------------------

    @implies(
        timeline=lambda e: f"{e.message.channel.value.capitalize()} queued: {e.message.subject}",
        letter=NoLetter("the outbox itself"),
    )
    class ContactQueued(JourneyAggregate.Event):
        """A message to the customer was queued for the outbox."""

        effective_date: date
        message: OutboundMessage

    @implies(
        timeline=lambda e: f"Contact {e.contact_id} sent",
        letter=NoLetter("the outbox itself"),
    )
    class ContactSent(JourneyAggregate.Event):
        """A queued message was released to the gateway (the print or notify house)."""

        effective_date: date
        contact_id: UUID

    @implies(
        timeline=lambda e: (
            f"{e.message.channel.value.capitalize()} not sent: {e.message.subject} ({e.reason})"
        ),
        letter=NoLetter("the outbox itself"),
    )
    class ContactRefused(JourneyAggregate.Event):
        """A message was not sent, and why (a death was notified, or the data was erased)."""

        effective_date: date
        message: OutboundMessage
        reason: Annotated[str, SYSTEM_WORDING]  # why the outbox held it back

    def queue_contact(self, message: OutboundMessage, today: date) -> bool:
        """Queue a message; after a death or an erasure it is refused, recorded (False)."""
        if message.contact_id in self.contacts:
            return False  # the same fact already queued its message
        refusal = self._why_no_contact()
        if refusal is not None:
            self._contact_refused(effective_date=today, message=message, reason=refusal)
            return False
        self._contact_queued(effective_date=today, message=message)
        return True

    def dispatch_contact(self, contact_id: UUID, today: date) -> OutboundMessage | None:
        """Release a queued message; a death notified since it was queued refuses it (None)."""
        message = self.queued_contacts.get(contact_id)
        if message is None:
            status = self.contacts.get(contact_id)
            raise ContactNotQueued(
                f"contact {contact_id} is not queued"
                + (f" (it was {status.value})" if status is not None else " (no such contact)")
            )
        refusal = self._why_no_contact()
        if refusal is not None:
            self._contact_refused(
                effective_date=today,
                message=message,
                reason=f"{refusal} after the message was queued",
            )
            return None
        self._contact_sent(effective_date=today, contact_id=contact_id)
        return message

    def _why_no_contact(self) -> str | None:
        """Why nothing may be sent to the customer now (None: a message may go)."""
        if self.date_of_death is not None:
            died = self.date_of_death.isoformat()
            return f"death notified (date of death {died}): no contact is sent"
        if self.personal_data_erased:
            # The address and the key the message was sealed under are gone: nobody to write to.
            return "personal data erased: no contact is sent"
        return None

    @event(ContactQueued)
    def _contact_queued(self, effective_date: date, message: OutboundMessage) -> None:
        self.contacts[message.contact_id] = ContactStatus.QUEUED
        self.queued_contacts[message.contact_id] = message

    @event(ContactSent)
    def _contact_sent(self, effective_date: date, contact_id: UUID) -> None:
        self.contacts[contact_id] = ContactStatus.SENT
        self.queued_contacts.pop(contact_id, None)

    @event(ContactRefused)
    def _contact_refused(self, effective_date: date, message: OutboundMessage, reason: str) -> None:
        self.contacts[message.contact_id] = ContactStatus.REFUSED
        self.queued_contacts.pop(message.contact_id, None)

    # -- erasure (crypto-shredding) and the legal hold that blocks it -----------------------

    @implies(
        timeline=lambda e: f"Legal hold placed: {e.reason}",
        letter=NoLetter("a records-keeping measure inside the department"),
    )
    class LegalHoldPlaced(JourneyAggregate.Event):
        """The customer's records must be kept (litigation, fraud, a tribunal): no erasure."""

        effective_date: date
        reason: str

    @implies(
        timeline=lambda e: f"Legal hold lifted: {e.reason}",
        letter=NoLetter("a records-keeping measure inside the department"),
    )
    class LegalHoldLifted(JourneyAggregate.Event):
        """The legal hold no longer applies."""

        effective_date: date
        reason: str

    @implies(
        timeline=lambda e: f"Personal data erased: {e.reason}",
        letter=NoLetter("the contact details are erased with it: nobody to write to"),
    )
    class PersonalDataErased(JourneyAggregate.Event):
        """The customer's personal data was erased: their key is destroyed, facts remain."""

        effective_date: date
        reason: str

    def place_legal_hold(self, reason: str, today: date) -> None:
        """Keep the customer's records from erasure until the hold is lifted."""
        if not reason.strip():
            raise MissingDescription("reason: a legal hold needs a reason", field="reason")
        if self.legal_hold is not None:
            raise LegalHoldAlreadyPlaced(f"a legal hold is already in force: {self.legal_hold}")
        self._legal_hold_placed(effective_date=today, reason=reason.strip())

    def lift_legal_hold(self, reason: str, today: date) -> None:
        """Lift the legal hold."""
        if not reason.strip():
            raise MissingDescription("reason: lifting a legal hold needs a reason", field="reason")
        if self.legal_hold is None:
            raise NoLegalHold("the customer's records are under no legal hold")
        self._legal_hold_lifted(effective_date=today, reason=reason.strip())

    def erase_personal_data(self, reason: str, today: date) -> None:
        """Record the erasure; refused under a legal hold and when already erased."""
        if not reason.strip():
            raise MissingDescription("reason: an erasure needs a reason", field="reason")
        if self.personal_data_erased:
            raise PersonalDataAlreadyErased("the customer's personal data is already erased")
        if self.legal_hold is not None:
            raise LegalHoldInForce(
                f"cannot erase personal data: a legal hold is in force ({self.legal_hold}); "
                "lift it first"
            )
        self._personal_data_erased(effective_date=today, reason=reason.strip())

    @event(LegalHoldPlaced)
    def _legal_hold_placed(self, effective_date: date, reason: str) -> None:
        self.legal_hold = reason

    @event(LegalHoldLifted)
    def _legal_hold_lifted(self, effective_date: date, reason: str) -> None:
        self.legal_hold = None

    @event(PersonalDataErased)
    def _personal_data_erased(self, effective_date: date, reason: str) -> None:
        # The state the store gives back once the key is gone (domain.personal_data), so
        # an aggregate held in memory reads as one loaded afresh.
        self.personal_data_erased = True
        self.nino = ERASED
        self.name = ERASED
        self.date_of_birth = None
        if self.appointee is not None:
            self.appointee = self.appointee.model_copy(
                update={"name": ERASED, "relationship": ERASED}
            )
        self.support_markers = {
            need: marker.model_copy(update={"details": ERASED})
            for need, marker in self.support_markers.items()
        }
        self.circumstances = [(effective, ERASED) for effective, _ in self.circumstances]
        if self.death_reference is not None:
            self.death_reference = ERASED
        self.queued_contacts = {
            contact_id: message.model_copy(update={"subject": ERASED, "body": ERASED})
            for contact_id, message in self.queued_contacts.items()
        }
