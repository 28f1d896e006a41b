"""How domain values are written into stored events: dates, enums and pydantic value objects."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import Enum
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding
from pydantic import BaseModel

# The domain modules whose enums and value objects appear in events; importing them here
# defines those types before the transcoder is built.
from domain import (
    claim,
    concern,
    contacts,
    customer,
    deadlines,
    debt,
    debt_schedule,
    lump_sum,
    rules,
    serious_case,
    six_point_plan,
    special_rules,
    transition,
)
from domain.values import ValueObject

_DOMAIN_MODULES = (
    claim,
    concern,
    contacts,
    customer,
    deadlines,
    debt,
    debt_schedule,
    lump_sum,
    rules,
    serious_case,
    six_point_plan,
    special_rules,
    transition,
)


class DateAsISO(Transcoding):
    """A calendar date as YYYY-MM-DD."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        """The date as ISO 8601 text."""
        return obj.isoformat()

    def decode(self, data: str) -> date:
        """The date from ISO 8601 text."""
        return date.fromisoformat(data)


class EnumByValue(Transcoding):
    """An enum member stored by its value, tagged with the enum's name."""

    def __init__(self, enum_type: type[Enum]) -> None:
        self.type = enum_type
        self.name = f"enum:{enum_type.__module__}.{enum_type.__qualname__}"
        self._enum_type = enum_type

    def encode(self, obj: Enum) -> Any:
        """The member's value."""
        return obj.value

    def decode(self, data: Any) -> Enum:
        """The member with that value."""
        return self._enum_type(data)


class ValueObjectAsJSON(Transcoding):
    """A pydantic value object stored as its JSON-mode fields and validated on the way back."""

    def __init__(self, model_type: type[BaseModel]) -> None:
        self.type = model_type
        self.name = f"model:{model_type.__module__}.{model_type.__qualname__}"
        self._model_type = model_type

    def encode(self, obj: BaseModel) -> dict[str, Any]:
        """The value's fields in JSON form."""
        return obj.model_dump(mode="json")

    def decode(self, data: dict[str, Any]) -> BaseModel:
        """The value rebuilt and validated from its fields."""
        return self._model_type.model_validate(data)


def _subclasses(root: type[Any]) -> Iterable[type[Any]]:
    for subclass in root.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def register_domain_transcodings(transcoder: JSONTranscoder) -> None:
    """Register every enum and value object the domain defines."""
    transcoder.register(DateAsISO())
    # Only the domain's own classes: a stored event naming a class of an outer layer (say, a
    # command's) could not be read back by a process that never imported that layer.
    for model_type in _subclasses(ValueObject):
        if (
            model_type.__module__.startswith("domain.")
            and model_type.__pydantic_generic_metadata__["origin"] is None
        ):
            transcoder.register(ValueObjectAsJSON(model_type))
    for enum_type in _subclasses(Enum):
        if enum_type.__module__.startswith("domain."):
            transcoder.register(EnumByValue(enum_type))
