"""Special Rules for End of Life commands: an SR1 with a claim, and the fast-tracked award."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from domain.rules.pip_assessment import Rate
from domain.rules.special_rules import ClinicianRole, DlaMobilityRate
from domain.special_rules import Sr1Evidence
from services.commands import Command


class RecordSr1(Command):
    """An SR1 form that arrived with a claim."""

    gathers = {"evidence": Sr1Evidence}

    received_on: date
    signer_role: ClinicianRole
    signer_name: str = Field(min_length=1, max_length=200)
    signed_on: date
    progressive_disease: bool
    death_expected_within_months: int = Field(
        ge=1, le=120, description="the clinician's stated horizon"
    )
    customer_aware: bool = Field(
        default=False,
        description="a third party claimed and the customer knows; otherwise the basis is "
        "withheld from the customer",
    )


class DecideSpecialRulesAward(Command):
    """Decide a fast-tracked claim; mobility is the need the decision maker found."""

    decided_on: date
    mobility: Rate = Field(default=Rate.NONE, description="PIP mobility rate by need")
    dla_mobility: DlaMobilityRate | None = Field(
        default=None, description="DLA mobility rate by need"
    )
