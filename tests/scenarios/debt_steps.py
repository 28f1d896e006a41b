"""Steps of dated debt-recovery journeys: Ayo, on Universal Credit in spring 2025."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from adapters.bootstrap import Journeys
from domain.values import Actor, BenefitType
from tests.integration.helpers import DECISION_MAKER, register, start_claim

ALLOWANCE = 40_014
"""£400.14, the UC standard allowance the scenarios use: 25% is £100.03, 15% £60.02."""
CASEWORKER = Actor.caseworker("DM-412")


def ayo_on_uc(journeys: Journeys) -> UUID:
    """Ayo, awarded UC from 12 March 2025 (decided on 1 April 2025)."""
    customer_id = register(journeys, name="Ayo")
    claim_id = start_claim(journeys, customer_id, BenefitType.UC, date(2025, 3, 12))
    journeys.application.decide_entitlement(
        claim_id,
        decided_on=date(2025, 4, 1),
        entitled=True,
        reason="meets the conditions",
        decision_maker=DECISION_MAKER,
        starts_on=date(2025, 3, 12),
    )
    return customer_id
