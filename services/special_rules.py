"""Special Rules for End of Life: evidence, fast-track decisions and awards."""

from __future__ import annotations

from services.base import JourneysBase


class SpecialRulesUseCases(JourneysBase):
    """Use cases of this area (one method each: load, command, save once)."""
