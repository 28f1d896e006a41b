"""Safeguarding: early-warning concerns, six-point plans, lump-sum holds and serious case referrals."""

from __future__ import annotations

from services.base import JourneysBase


class SafeguardingUseCases(JourneysBase):
    """Use cases of this area (one method each: load, command, save once)."""
