"""Request bodies of the personal data routes: legal holds and erasure."""

from __future__ import annotations

from adapters.http.schemas import Body, Text


class GiveReason(Body):
    """Why a legal hold is placed or lifted, or why personal data is erased (staff's words)."""

    reason: str = Text
