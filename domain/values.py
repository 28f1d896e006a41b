"""Value objects shared by the aggregates: kinds, channels, preferences and references."""

from __future__ import annotations

from enum import Enum
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from domain.obligations import CODE


class ValueObject(BaseModel):
    """An immutable value compared by its fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class BenefitType(Enum):
    """The benefits a claim can be for."""

    PIP = "PIP"
    UC = "UC"
    ESA = "ESA"
    AA = "AA"
    DLA = "DLA"


class ClaimChannel(Enum):
    """How a claim reached the department."""

    PHONE = "phone"
    POST = "post"
    ONLINE = "online"
    FACE_TO_FACE = "face_to_face"


class ClaimantRole(Enum):
    """Who made the claim on the customer's behalf, if anyone."""

    CUSTOMER = "customer"
    APPOINTEE = "appointee"
    THIRD_PARTY = "third_party"


class ContactChannel(Enum):
    """Ways the department may contact a customer."""

    LETTER = "letter"
    EMAIL = "email"
    SMS = "sms"
    PHONE = "phone"


class SupportNeed(Enum):
    """Why a customer needs help to deal with the department."""

    HEALTH = "health"
    LITERACY = "literacy"
    LANGUAGE = "language"
    NO_FIXED_ADDRESS = "no_fixed_address"
    SENSORY = "sensory"
    MENTAL_CAPACITY = "mental_capacity"
    OTHER = "other"


class SupportDuration(Enum):
    """How long an additional-support need is expected to apply."""

    ONE_OFF = "one_off"
    SHORT_TERM = "short_term"
    MEDIUM_TERM = "medium_term"
    LONG_TERM = "long_term"
    RECURRING = "recurring"


class Weekday(Enum):
    """A day of the week (pay days are weekdays)."""

    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @property
    def number(self) -> int:
        """Monday 0 ... Sunday 6, as `date.weekday()` counts."""
        return list(Weekday).index(self)


class Region(Enum):
    """Where the customer lives: some practices differ in Great Britain and Northern Ireland."""

    GREAT_BRITAIN = "GB"
    NORTHERN_IRELAND = "NI"


class ContactPreferences(ValueObject):
    """How the customer wants to hear from the department."""

    channel: ContactChannel = ContactChannel.LETTER
    large_print: bool = False
    language: Annotated[str, CODE] = "en"


class SupportMarker(ValueObject):
    """An additional-support need that applies at every later contact while active."""

    need: SupportNeed
    duration: SupportDuration
    details: str = ""


class Appointee(ValueObject):
    """A person appointed to act for the customer."""

    name: str
    relationship: str


class ActorKind(Enum):
    """Whether a person or the system caused an event."""

    SYSTEM = "system"
    CASEWORKER = "caseworker"
    CUSTOMER = "customer"
    APPOINTEE = "appointee"
    THIRD_PARTY = "third_party"


class Actor(ValueObject):
    """Who or what caused an event or made a decision."""

    kind: ActorKind
    identifier: str = ""

    @classmethod
    def system(cls) -> Actor:
        """The automated decision maker."""
        return cls(kind=ActorKind.SYSTEM, identifier="journeys")

    @classmethod
    def caseworker(cls, staff_id: str) -> Actor:
        """A named member of staff."""
        return cls(kind=ActorKind.CASEWORKER, identifier=staff_id)

    @property
    def is_person(self) -> bool:
        """True for anyone but the automated system."""
        return self.kind is not ActorKind.SYSTEM


class EventRef(ValueObject):
    """Points at one event in the log: the aggregate it belongs to and its version there."""

    aggregate_id: UUID
    version: int


def pounds(pence: int) -> str:
    """Pence as people write money: £76.70 (no float on the way)."""
    return f"£{pence // 100:,}.{pence % 100:02d}"
