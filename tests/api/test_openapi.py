"""The committed OpenAPI document is the one the code generates, and it documents every route."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI

from adapters.cli.operations import openapi_text
from adapters.http.app import ROUTE_MODULES

COMMITTED = Path(__file__).resolve().parents[2] / "openapi.json"


def test_the_committed_openapi_document_is_the_generated_one() -> None:
    assert openapi_text() == COMMITTED.read_text(), (
        "openapi.json is stale: run `journeys openapi --output openapi.json`"
    )


def test_every_route_of_every_router_is_in_the_document(app: FastAPI) -> None:
    # The access tests walk the document's operations, so nothing may be left out of it.
    documented = {
        (method.upper(), path)
        for path, operations_ in json.loads(COMMITTED.read_text())["paths"].items()
        for method in operations_
    }
    served = {
        (method, route.path)
        for module in ROUTE_MODULES
        for route in module.router.routes
        for method in getattr(route, "methods", ())
        if method != "HEAD"
    }

    assert served == documented
    assert {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops} == served
