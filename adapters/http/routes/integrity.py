"""Auditor route: re-compute the event log's hash chains and report the first break."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from adapters.event_store.integrity import chained_log
from adapters.http.auth import Auditor
from adapters.http.deps import System, unprocessable
from services.integrity import Anchor, Break, BreakKind, verify_log

router = APIRouter(prefix="/audit", tags=["auditor"])


class IntegrityBreak(BaseModel):
    """The first place where the stored log is not what was written."""

    model_config = ConfigDict(frozen=True)

    kind: BreakKind
    position: int
    aggregate_id: UUID | None
    aggregate_version: int | None
    detail: str

    @classmethod
    def of(cls, found: Break) -> IntegrityBreak:
        """The API's shape of a break."""
        return cls(
            kind=found.kind,
            position=found.position,
            aggregate_id=found.originator_id,
            aggregate_version=found.originator_version,
            detail=found.detail,
        )


class IntegrityReportOut(BaseModel):
    """Whether both hash chains hold; the first break; the head to keep as an anchor."""

    model_config = ConfigDict(frozen=True)

    intact: bool
    checked_events: int
    head_position: int
    head_hash: str | None
    first_break: IntegrityBreak | None


HEX_HASH = r"^[0-9a-fA-F]{64}$"


@router.get(
    "/integrity",
    description=(
        "Re-computes the per-aggregate and log-wide SHA-256 hash chains over every stored "
        "event and reports the first break (content changed, row missing, row inserted, out "
        "of order, hash missing). This reads the whole event log, page by page: it takes "
        "time in proportion to the log. The head (last verified position and its log hash) "
        "is what to keep as an anchor: removing the newest events, or rewriting every hash, "
        "is found only by passing an anchor kept from an earlier check."
    ),
)
def log_integrity(
    principal: Auditor,
    journeys: System,
    anchor_position: Annotated[
        int | None, Query(ge=1, description="The position of an anchor kept from earlier")
    ] = None,
    anchor_hash: Annotated[
        str | None,
        Query(pattern=HEX_HASH, description="The log hash the anchor's position had (hex)"),
    ] = None,
) -> IntegrityReportOut:
    """Verify the event log's hash chains (and an anchor, if given)."""
    if (anchor_position is None) != (anchor_hash is None):
        raise unprocessable(
            ["query", "anchor_hash" if anchor_hash is None else "anchor_position"],
            "anchor_position and anchor_hash go together",
        )
    anchor = (
        Anchor(anchor_position, bytes.fromhex(anchor_hash))
        if anchor_position is not None and anchor_hash is not None
        else None
    )
    report = verify_log(chained_log(journeys.application.recorder), anchor=anchor)
    return IntegrityReportOut(
        intact=report.intact,
        checked_events=report.checked_events,
        head_position=report.head_position,
        head_hash=report.head_hash.hex() if report.head_hash is not None else None,
        first_break=IntegrityBreak.of(report.first_break) if report.first_break else None,
    )
