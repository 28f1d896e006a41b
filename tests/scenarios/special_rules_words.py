"""Words that would tell a customer their claim is under the Special Rules for End of Life."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

REVEALING = (
    "special rules",
    "special_rules",
    "special-rules",
    "terminal",
    "sr1",
    "end of life",
    "end-of-life",
    "life expectancy",
    "prognosis",
    "fast-track",
    "fast_track",
    "fast track",
    "death",
    "dying",
    "months to live",
    "clinician",
    "lcwra",
    "support group",
)


def event_fields(event: object) -> dict[str, Any]:
    """An event's attributes as JSON-able values (value objects dumped, the rest as text)."""
    return {
        name: value.model_dump(mode="json") if isinstance(value, BaseModel) else str(value)
        for name, value in vars(event).items()
    }


def revealing_words(document: Any) -> list[str]:
    """The revealing words a JSON-able document contains (lower-cased search)."""
    text = json.dumps(document).lower()
    return [word for word in REVEALING if word in text]
