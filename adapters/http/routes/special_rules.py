"""Special Rules for End of Life: SR1 evidence and fast-track awards (caseworkers)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["special-rules"])
