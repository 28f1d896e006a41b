"""Outbound contact: every letter, text and email goes through one outbox, guarded against a death."""

from __future__ import annotations

from services.base import JourneysBase


class ContactUseCases(JourneysBase):
    """Use cases of this area (one method each: load, command, save once)."""
