"""Commands as values: one frozen class per use case, each field described once.

A command's fields are the keyword arguments of the use case that handles it (a reflection
test checks every command route's pair), so the HTTP body, the route table and the use case
share one declaration instead of restating the fields in every layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field


class Command(BaseModel):
    """A request to change something: immutable, and unknown fields are an error, not dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_domain: ClassVar[Mapping[str, type[BaseModel]]] = {}
    """Nested bodies the use case takes as the domain's value object (field name: its type)."""

    gathers: ClassVar[Mapping[str, type[BaseModel]]] = {}
    """Domain values the use case takes whole, gathered from this command's flat fields of the
    same names (argument name: its type), e.g. an SR1 form's evidence."""

    @classmethod
    def argument_names(cls) -> tuple[str, ...]:
        """The handling use case's keyword arguments (what `arguments` gives, by name)."""
        gathered = {name for kind in cls.gathers.values() for name in kind.model_fields}
        return (*(name for name in cls.model_fields if name not in gathered), *cls.gathers)

    def arguments(self) -> dict[str, Any]:
        """The handling use case's keyword arguments: every field by name, values as they are."""
        # Not model_dump(): nested values stay objects. Events must only ever hold the domain's
        # own classes, so nested bodies become the domain's values (validated again there).
        arguments = {name: getattr(self, name) for name in type(self).model_fields}
        for name, kind in self.as_domain.items():
            value = arguments[name]
            if value is not None:
                arguments[name] = kind(**{k: getattr(value, k) for k in type(value).model_fields})
        for name, kind in self.gathers.items():
            arguments[name] = kind(**{field: arguments.pop(field) for field in kind.model_fields})
        return arguments


NonBlank = Annotated[str, Field(min_length=1, max_length=2000, pattern=r"\S")]
"""Free text that must say something (whitespace alone is refused with the field named)."""

Pence = Annotated[int, Field(gt=0, description="an amount in pence, above nothing")]

Months = Annotated[int, Field(ge=1, le=120, description="a number of calendar months")]

Text = Field(min_length=1, max_length=2000)
"""Free text (bounded); as a field's default it makes the field required."""
