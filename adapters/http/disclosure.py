"""The disclosure audit at the edge: a staff read of customer data is recorded before it runs.

Every route that reads customer data takes its principal from `Discloses`, an `Allow` that,
for a caseworker or an auditor, also insists on a stated purpose and records the read in
the log before the route runs. If the record cannot be stored the read fails (503): no
data leaves without its disclosure. A customer reading their own record is no disclosure.

The record is made before the data is fetched, so a read that then finds nothing (a 404)
still leaves a record that someone asked: the audit errs towards recording attempts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, TypeVar
from uuid import UUID

from fastapi import Depends, Header, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from pydantic import TypeAdapter, ValidationError

from adapters.bootstrap import Journeys
from adapters.http.auth import Allow, Principal, Role, signed_in
from adapters.http.deps import (
    AfterPosition,
    DecisionIndex,
    LogPosition,
    unprocessable,
    wait_for_views,
)
from domain.customer import Customer
from domain.disclosure import PurposeNotStated, ReaderRole, stated_purpose
from services.errors import NotFound

log = logging.getLogger(__name__)

PURPOSE_HEADER = "X-Access-Purpose"
"""Why a member of staff reads a customer's data, in a few words (required of staff)."""

CustomerOf = Callable[[Journeys, Request], UUID | None]
"""Whose data a request reads (None: a list of many customers, such as a worklist)."""

_T = TypeVar("_T")

_READER_ROLES = {Role.CASEWORKER: ReaderRole.CASEWORKER, Role.AUDITOR: ReaderRole.AUDITOR}


def _uuid(request: Request, name: str, where: str) -> UUID | None:
    source = request.path_params if where == "path" else request.query_params
    value = source.get(name)
    if value is None:
        return None
    try:
        return UUID(str(value))
    except ValueError:
        raise unprocessable([where, name], f"{name} must be a UUID, got {value!r}") from None


def _declared(request: Request, name: str, where: str, declared: TypeAdapter[_T]) -> _T:
    # Read before the route validates its own parameters: by the route's own declaration
    # (deps.LogPosition, ...), so the bounds are written once and the 422 is the same.
    source = request.path_params if where == "path" else request.query_params
    try:
        return declared.validate_python(source.get(name))
    except ValidationError as error:
        reason = error.errors()[0]["msg"]
        raise unprocessable([where, name], f"{name}: {reason}") from None


_LOG_POSITION = TypeAdapter(LogPosition)
_DECISION_INDEX = TypeAdapter(DecisionIndex)
_AFTER_POSITION = TypeAdapter(AfterPosition)


def customer_in_path(_: Journeys, request: Request) -> UUID | None:
    """The customer named by the route's {customer_id}."""
    return _uuid(request, "customer_id", "path")


def customer_in_query(_: Journeys, request: Request) -> UUID | None:
    """The customer a list is filtered to (?customer_id=), else None: many customers."""
    return _uuid(request, "customer_id", "query")


def many_customers(_: Journeys, __: Request) -> UUID | None:
    """A list of many customers (a worklist): the read is recorded without a customer."""
    return None


def customer_of_debt(journeys: Journeys, request: Request) -> UUID | None:
    """The customer who owes the route's {debt_id} (404 when there is no such debt)."""
    debt_id = _uuid(request, "debt_id", "path")
    return journeys.application.debt(debt_id).customer_id if debt_id else None


class CaseItemNotFound(NotFound):
    """No case item has that id."""


def customer_of_case_item(journeys: Journeys, request: Request) -> UUID | None:
    """The customer the route's {item_id} is about (None for a policy concern)."""
    item_id = _uuid(request, "item_id", "path")
    if "after_position" in request.query_params:
        # The item is looked up in the view, so the view must first reach the asked position.
        after = _declared(request, "after_position", "query", _AFTER_POSITION)
        wait_for_views(journeys, after)
    item = journeys.views.read_case_item(item_id) if item_id else None
    if item is None:
        raise CaseItemNotFound(f"no case item with id {item_id}")
    return item.customer_id


def customer_of_decision(journeys: Journeys, request: Request) -> UUID | None:
    """The customer whose journey recorded the decision at {position}/{index}."""
    recorded = journeys.ledger.decision_at(
        _declared(request, "position", "path", _LOG_POSITION),
        _declared(request, "index", "path", _DECISION_INDEX),
    )
    aggregate: object = journeys.application.repository.get(recorded.aggregate_id)
    if isinstance(aggregate, Customer):
        return aggregate.id
    customer_id = getattr(aggregate, "customer_id", None)
    return customer_id if isinstance(customer_id, UUID) else None


class Discloses(Allow):
    """Allow the roles; record a staff read (who, role, purpose, customer, route) before it runs."""

    def __init__(self, *roles: Role, customer: CustomerOf = customer_in_path) -> None:
        super().__init__(*roles)
        self.customer = customer

    # Async, like Allow, so a customer's read stays on the event loop; only a staff read,
    # which writes to the event store, goes through a worker thread.
    async def __call__(
        self,
        request: Request,
        principal: Annotated[Principal, Depends(signed_in)],
        purpose: Annotated[
            str | None,
            Header(
                alias=PURPOSE_HEADER,
                description="Why you read this customer's data, in 3 to 200 characters "
                "(required of caseworkers and auditors; the read is recorded with it)",
            ),
        ] = None,
    ) -> Principal:
        self.check(principal, request)
        reader = _READER_ROLES.get(principal.role)
        if reader is None:
            return principal  # customers reading their own record: no disclosure
        try:
            stated = stated_purpose(purpose)
        except PurposeNotStated:
            raise unprocessable(
                ["header", PURPOSE_HEADER],
                f"staff reads of customer data must state a purpose: send the {PURPOSE_HEADER} "
                "header (3 to 200 characters, e.g. 'phone call from the customer')",
            ) from None
        await run_in_threadpool(self._record, request, principal, reader, stated)
        return principal

    def _record(
        self, request: Request, principal: Principal, reader: ReaderRole, purpose: str
    ) -> None:
        journeys: Journeys = request.app.state.journeys
        customer = self.customer(journeys, request)
        route = request.scope.get("route")
        template = getattr(route, "path", request.url.path)
        try:
            journeys.application.record_disclosure(
                customer=customer,
                subject=principal.subject,
                role=reader,
                purpose=purpose,
                resource=f"{request.method} {template}",
                path=request.url.path,
            )
        except Exception:
            # No unrecorded disclosure: if the log will not take the record, nothing is read.
            log.exception("a disclosure could not be recorded; the read was refused")
            raise HTTPException(
                status.HTTP_503_SERVICE_UNAVAILABLE,
                "the read could not be recorded in the disclosure audit, so nothing was read; "
                "try again",
                headers={"Retry-After": "1"},
            ) from None


CustomerOrCaseworkerReads = Annotated[Principal, Depends(Discloses(Role.CUSTOMER, Role.CASEWORKER))]
CaseworkerOrAuditorReads = Annotated[Principal, Depends(Discloses(Role.CASEWORKER, Role.AUDITOR))]
AuditorReads = Annotated[Principal, Depends(Discloses(Role.AUDITOR))]
CaseworkerReadsList = Annotated[
    Principal, Depends(Discloses(Role.CASEWORKER, customer=many_customers))
]
