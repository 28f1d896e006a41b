"""Personal data commands: legal holds and erasure, each with the reason in staff's words."""

from __future__ import annotations

from services.commands import Command, Text


class GiveReason(Command):
    """Why a legal hold is placed or lifted, or why personal data is erased (staff's words)."""

    reason: str = Text
