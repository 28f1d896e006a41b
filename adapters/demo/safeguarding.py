"""Demo journeys of the Special Rules fast-track and of safeguarding, for the synthetic population.

Only the demo draws these (with a deadline scheduler): the benchmark seed stays as it was.
Each journey is a generator of moments, as in `population.py`: it yields when its next
step happens, then runs that step's command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Protocol
from uuid import UUID

from domain.aggregate import acting_as
from domain.lump_sum import LumpSumStatus
from domain.rules.pip_assessment import Rate
from domain.rules.special_rules import ClinicianRole
from domain.six_point_plan import PlanStep, StatementDetails
from domain.special_rules import Sr1Evidence
from domain.values import (
    Actor,
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from services.journeys import JourneysApplication

# Shares of the demo population (the population's other journeys weigh about 100).
SAFEGUARDING_WEIGHTS: dict[str, float] = {
    "special_rules_pip": 1.5,
    "special_rules_third_party": 1,
    "special_rules_uc": 1,
    "concern": 1,
    "six_point_plan": 0.5,
    "lump_sum": 1,
    "serious_case": 0.3,
}

SPECIAL_RULES_DECISION_MAKER = Actor.caseworker("dm-sr-0311")
UC_DECISION_MAKER = Actor.caseworker("dm-0588")
COLLEAGUES = ("cw-104", "cw-221", "cw-318", "tl-042")
ON_CALL_MANAGER = "lm-007"

CONCERNS = (
    "customer said on the phone they had not eaten for days",
    "letters returned undelivered and no contact for two months",
    "customer sounded confused about who was handling their money",
)
POLICY_CONCERNS = ("the PIP2 reminder script does not offer help to complete the form",)


class PopulationSteps(Protocol):
    """What a journey needs from the population: the application, time and people."""

    application: JourneysApplication

    def _later(self, low: int, high: int) -> datetime: ...

    def _today(self) -> date: ...

    def _register(
        self, kind: str, age_low: int, age_high: int, date_of_birth: date | None = None
    ) -> UUID: ...


class SafeguardingJourneys:
    """Steps of the Special Rules and safeguarding journeys, drawn with the population's dice."""

    def __init__(self, people: PopulationSteps, choice: Callable[[float], bool]) -> None:
        self.people = people
        self.app = people.application
        # choice(p) is True with probability p (the population's own random source).
        self.chance = choice

    def steps(self, kind: str, customer_id: UUID) -> Iterator[datetime]:
        """The journey of one kind for a registered customer."""
        journeys = {
            "special_rules_pip": lambda: self._special_rules(customer_id, BenefitType.PIP),
            "special_rules_third_party": lambda: self._special_rules(
                customer_id, BenefitType.PIP, ClaimantRole.THIRD_PARTY
            ),
            "special_rules_uc": lambda: self._special_rules(customer_id, BenefitType.UC),
            "concern": lambda: self._concern(customer_id),
            "six_point_plan": lambda: self._six_point_plan(customer_id),
            "lump_sum": lambda: self._lump_sum(customer_id),
            "serious_case": lambda: self._serious_case(customer_id),
        }
        return journeys[kind]()

    # -- Special Rules -----------------------------------------------------------------------

    def _special_rules(
        self,
        customer_id: UUID,
        benefit: BenefitType,
        role: ClaimantRole = ClaimantRole.CUSTOMER,
    ) -> Iterator[datetime]:
        yield self.people._later(0, 2)
        claim_id = self.app.start_claim(
            customer_id=customer_id,
            benefit=benefit,
            channel=ClaimChannel.PHONE,
            claimant_role=role,
            claim_date=self.people._today(),
        ).id
        # The SR1 comes with the claim or a few days after it.
        yield self.people._later(0, 4)
        today = self.people._today()
        self.app.record_sr1(
            claim_id,
            received_on=today,
            evidence=Sr1Evidence(
                signer_role=ClinicianRole.CONSULTANT
                if self.chance(0.6)
                else ClinicianRole.SENIOR_SPECIALIST_NURSE,
                signer_name="Dr R. Okafor",
                signed_on=today - timedelta(days=1),
                progressive_disease=True,
                death_expected_within_months=9 if self.chance(0.7) else 4,
            ),
            customer_aware=role is not ClaimantRole.THIRD_PARTY,
        )
        if self.chance(0.15):
            return  # still waiting at the end of the day: on the worklist, maybe at risk
        # Most are cleared within the 3-working-day target; a few take longer.
        yield self.people._later(1, 3) if self.chance(0.85) else self.people._later(4, 9)
        self.app.decide_special_rules_award(
            claim_id,
            decided_on=self.people._today(),
            decision_maker=SPECIAL_RULES_DECISION_MAKER,
            mobility=Rate.ENHANCED if self.chance(0.5) else Rate.STANDARD,
        )

    # -- safeguarding -------------------------------------------------------------------------

    def _concern(self, customer_id: UUID) -> Iterator[datetime]:
        yield self.people._later(0, 30)
        about_policy = self.chance(0.1)
        concern = self.app.raise_concern(
            customer_id=None if about_policy else customer_id,
            policy="PIP2 reminder calls" if about_policy else None,
            description=POLICY_CONCERNS[0] if about_policy else CONCERNS[int(self.chance(0.5))],
            owner=COLLEAGUES[0],
            due_on=self.people._today() + timedelta(days=5),
            raised_on=self.people._today(),
        ).id
        if self.chance(0.3):
            yield self.people._later(1, 3)
            self.app.reassign_concern(
                concern,
                owner=COLLEAGUES[1],
                reason="moved to the complex needs team",
                reassigned_on=self.people._today(),
            )
        if self.chance(0.25):
            return  # still open
        yield self.people._later(2, 8)
        self.app.record_concern_outcome(
            concern,
            outcome="visited by the local office; referred to the council's adult social care",
            recorded_on=self.people._today(),
        )

    def _six_point_plan(self, customer_id: UUID) -> Iterator[datetime]:
        yield self.people._later(0, 30)
        today = self.people._today()
        plan = self.app.open_six_point_plan(
            customer_id, statement="said they could not go on like this", made_on=today
        ).id
        urgent = self.chance(0.3)
        handler = COLLEAGUES[2]
        for step in (
            PlanStep.TAKEN_SERIOUSLY,
            PlanStep.COLLEAGUE_SUMMONED,
            PlanStep.INFORMATION_GATHERED,
            PlanStep.EMERGENCY_HELP_CALLED if urgent else PlanStep.REFERRAL_ADVICE_GIVEN,
        ):
            self.app.record_plan_step(
                plan,
                step,
                done_by=handler,
                done_on=today,
                note="recorded during the call",
                details=StatementDetails(
                    what="thoughts of self-harm",
                    when="tonight" if urgent else "not said",
                    means="medication at home" if urgent else "none described",
                    urgent=urgent,
                )
                if step is PlanStep.INFORMATION_GATHERED
                else None,
            )
        if self.chance(0.3):
            return  # the line manager's review is still to come: on the incomplete-plans list
        yield self.people._later(1, 3)
        self.app.record_plan_step(
            plan,
            PlanStep.LINE_MANAGER_REVIEW,
            done_by=ON_CALL_MANAGER,
            done_on=self.people._today(),
            note="call handled well; wellbeing support offered to the colleague",
        )

    def _lump_sum(self, customer_id: UUID) -> Iterator[datetime]:
        yield self.people._later(0, 5)
        if self.chance(0.6):
            self.app.add_support_marker(
                customer_id,
                SupportMarker(need=SupportNeed.MENTAL_CAPACITY, duration=SupportDuration.LONG_TERM),
                self.people._today(),
            )
        claim_id = self.app.start_claim(
            customer_id=customer_id,
            benefit=BenefitType.UC,
            channel=ClaimChannel.ONLINE,
            claimant_role=ClaimantRole.CUSTOMER,
            claim_date=self.people._today() - timedelta(days=200),
        ).id
        yield self.people._later(5, 20)
        today = self.people._today()
        self.app.decide_entitlement(
            claim_id,
            decided_on=today,
            entitled=True,
            reason="conditions of entitlement met on review",
            decision_maker=UC_DECISION_MAKER,
            starts_on=self.app.claim(claim_id).claim_date,
        )
        yield self.people._later(1, 5)
        # Arrears back to the claim date: a few thousand pounds, sometimes more.
        amount = 350_000 + int(self.chance(0.5)) * 400_000
        with acting_as(Actor.caseworker(COLLEAGUES[0])):
            lump_sum = self.app.propose_lump_sum(
                claim_id,
                amount_pence=amount,
                period_from=self.app.claim(claim_id).claim_date,
                period_to=self.people._today(),
                proposed_on=self.people._today(),
            ).id
        if self.app.lump_sum(lump_sum).status is not LumpSumStatus.HELD or self.chance(0.3):
            return  # released at once, or still held for a colleague's check
        yield self.people._later(1, 4)
        # A colleague other than the one who proposed it checks and releases it.
        with acting_as(Actor.caseworker(COLLEAGUES[3])):
            self.app.release_lump_sum(
                lump_sum,
                check_note="spoke to the customer's advocate; bank account confirmed as theirs",
                released_on=self.people._today(),
            )

    def _serious_case(self, customer_id: UUID) -> Iterator[datetime]:
        yield self.people._later(0, 30)
        referral = self.app.refer_serious_case(
            customer_id,
            reason="customer found in crisis after benefit stopped; review how it happened",
            referred_on=self.people._today(),
        ).id
        yield self.people._later(14, 30)
        for number, (text, owner) in enumerate(
            (
                ("call every customer whose payment stops with a support marker", COLLEAGUES[3]),
                ("brief decision makers on the vulnerability guidance", COLLEAGUES[1]),
            ),
            start=1,
        ):
            self.app.record_panel_recommendation(
                referral,
                text=text,
                owner=owner,
                due_on=self.people._today() + timedelta(days=30 * number),
                made_on=self.people._today(),
            )
        yield self.people._later(10, 40)
        self.app.complete_panel_recommendation(
            referral,
            1,
            outcome="calls added to the stop procedure",
            completed_on=self.people._today(),
        )
