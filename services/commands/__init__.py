"""Commands as values: one frozen class per use case, each field described once.

A command's fields are the keyword arguments of the use case that handles it (a reflection
test checks every command route's pair), so the HTTP body, the route table and the use case
share one declaration instead of restating the fields in every layer.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class Command(BaseModel):
    """A request to change something: immutable, and unknown fields are an error, not dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def arguments(self) -> dict[str, Any]:
        """The handling use case's keyword arguments: every field by name, values as they are."""
        # Not model_dump(): nested values stay the domain's own objects, not dicts.
        return {name: getattr(self, name) for name in type(self).model_fields}


NonBlank = Annotated[str, Field(min_length=1, max_length=2000, pattern=r"\S")]
"""Free text that must say something (whitespace alone is refused with the field named)."""

Pence = Annotated[int, Field(gt=0, description="an amount in pence, above nothing")]

Months = Annotated[int, Field(ge=1, le=120, description="a number of calendar months")]

Text = Field(min_length=1, max_length=2000)
"""Free text (bounded); as a field's default it makes the field required."""
