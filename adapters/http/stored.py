"""Views served as stored: their JSON text goes out as it is, without parsing and re-encoding.

The projections store each document and row as its read model's JSON, so a response can be
assembled from the text. The routes still declare their response models, which the OpenAPI
document describes; tests check that the text equals what the models would have sent.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Response


class StoredJson(Response):
    """A JSON body that is already encoded."""

    media_type = "application/json"


def json_page(items_field: str, items: Sequence[str], **numbers: int) -> StoredJson:
    """A page object: stored JSON items under one field, then whole-number fields, in order."""
    fields = "".join(f',"{name}":{int(value)}' for name, value in numbers.items())
    return StoredJson(f'{{"{items_field}":[{",".join(items)}]{fields}}}')
