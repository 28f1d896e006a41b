"""A synthetic population whose customers move through every claim state, in simulated time."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from domain.claim import Award, RatesOverride
from domain.errors import DomainError
from domain.periods import add_calendar_months
from domain.rules.pip_assessment import DAILY_LIVING_ACTIVITIES, MOBILITY_ACTIVITIES, Rate
from domain.values import (
    Actor,
    ActorKind,
    Appointee,
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    ContactChannel,
    ContactPreferences,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from services.clock import SimulatedClock
from services.errors import CustomerAlreadyRegistered
from services.journeys import JourneysApplication

FIRST_NAMES = (
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Eilidh",
    "Femi",
    "Gareth",
    "Hana",
    "Ioan",
    "Jas",
    "Kerry",
    "Liam",
    "Maya",
    "Niamh",
    "Olu",
    "Priya",
    "Rhys",
    "Sian",
    "Tom",
    "Uzma",
    "Wes",
    "Yusuf",
    "Zara",
)
LAST_NAMES = (
    "Ahmed",
    "Brown",
    "Campbell",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Owen",
    "Patel",
    "Roberts",
    "Smith",
    "Thomas",
    "Walker",
    "Williams",
    "Young",
)
NINO_FIRST = "ABCEGHJKLMNPRSTWXYZ"
NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
UNALLOCATED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}

ASSESSOR = Actor(kind=ActorKind.CASEWORKER, identifier="hp-assessor-17")
DECISION_MAKER = Actor.caseworker("dm-0423")
TRIBUNAL = Actor(kind=ActorKind.CASEWORKER, identifier="tribunal-judge-5")

# Journeys and their weights: most PIP claims run the ordinary course; some are disputed,
# some lapse for want of a questionnaire, a few are withdrawn or out of the age range.
JOURNEY_WEIGHTS: dict[str, int] = {
    "pip_decided": 30,
    "pip_disputed": 12,
    "pip_late_reconsideration": 3,
    "pip_no_questionnaire": 8,
    "pip_withdrawn": 4,
    "pip_over_pension_age": 2,
    "pip_in_progress": 15,
    "other_benefit": 22,
    "deceased": 4,
}


@dataclass
class DemoStats:
    """What the demo did."""

    customers: int = 0
    commands: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    journeys: dict[str, int] = field(default_factory=dict)
    sample_ninos: dict[str, str] = field(default_factory=dict)


@dataclass
class Population:
    """Drives many customer journeys through one application in simulated time, up to `until`."""

    application: JourneysApplication
    clock: SimulatedClock
    rng: random.Random
    start: date
    until: date
    stats: DemoStats = field(default_factory=DemoStats)

    def run(self, customers: int, on_command: Callable[[], None]) -> DemoStats:
        """Play every journey, earliest step first, moving the clock as it goes."""
        queue: list[tuple[datetime, int, Iterator[datetime]]] = []
        kinds, weights = zip(*JOURNEY_WEIGHTS.items(), strict=True)
        for sequence in range(customers):
            kind = self.rng.choices(kinds, weights)[0]
            self.stats.journeys[kind] = self.stats.journeys.get(kind, 0) + 1
            journey = self._journey(
                kind, self._moment(self.start + timedelta(days=self.rng.randint(0, 180)))
            )
            # The first step only says when the journey begins; every later step runs one command.
            begins = next(journey)
            heapq.heappush(queue, (begins, sequence, journey))
        while queue:
            when, sequence, journey = heapq.heappop(queue)
            if when > self.clock.now():
                self.clock.set(when)
            try:
                following = next(journey)
            except StopIteration:
                continue
            except DomainError as refused:
                # A refusal is part of a realistic run (a late MR, say): count it, move on.
                name = type(refused).__name__
                self.stats.refused[name] = self.stats.refused.get(name, 0) + 1
                continue
            finally:
                self.stats.commands += 1
                on_command()
            if following.date() <= self.until:
                # Steps after the end of the simulation never happen: the journey stays
                # where it is, as a real caseload does on any given day.
                heapq.heappush(queue, (max(following, when), sequence, journey))
        return self.stats

    # -- time ------------------------------------------------------------------------------

    def _moment(self, day: date) -> datetime:
        minutes = self.rng.randint(8 * 60, 18 * 60)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=UTC)

    def _later(self, low: int, high: int) -> datetime:
        return self._moment(self.clock.today() + timedelta(days=self.rng.randint(low, high)))

    def _today(self) -> date:
        return self.clock.today()

    # -- people -----------------------------------------------------------------------------

    def _new_nino(self) -> str:
        while True:
            prefix = self.rng.choice(NINO_FIRST) + self.rng.choice(NINO_SECOND)
            if prefix not in UNALLOCATED:
                return f"{prefix}{self.rng.randint(0, 999_999):06d}{self.rng.choice('ABCD')}"

    def _register(self, kind: str, age_low: int, age_high: int) -> UUID:
        today = self._today()
        date_of_birth = today - timedelta(days=self.rng.randint(age_low * 365, age_high * 365))
        preferences = ContactPreferences(
            channel=self.rng.choice(list(ContactChannel)),
            large_print=self.rng.random() < 0.05,
        )
        name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        while True:
            nino = self._new_nino()
            try:
                customer_id = self.application.register_customer(
                    nino=nino,
                    name=name,
                    date_of_birth=date_of_birth,
                    contact_preferences=preferences,
                ).id
            except CustomerAlreadyRegistered:
                continue  # another run already used this NINO: draw again
            self.stats.customers += 1
            self.stats.sample_ninos.setdefault(kind, nino)
            return customer_id

    def _extras(self, customer_id: UUID) -> Iterator[datetime]:
        roll = self.rng.random()
        if roll < 0.15:
            yield self._later(0, 10)
            marker = SupportMarker(
                need=self.rng.choice(list(SupportNeed)),
                duration=self.rng.choice(list(SupportDuration)),
            )
            self.application.add_support_marker(customer_id, marker, self._today())
        elif roll < 0.22:
            yield self._later(0, 10)
            appointee = Appointee(name="A. Relative", relationship="parent")
            self.application.appoint(customer_id, appointee, self._today())
        elif roll < 0.30:
            yield self._later(5, 60)
            backdated = self._today() - timedelta(days=self.rng.randint(0, 40))
            self.application.report_change(customer_id, "moved house", backdated)

    # -- journeys -----------------------------------------------------------------------------

    def _journey(self, kind: str, begins: datetime) -> Iterator[datetime]:
        yield begins
        if kind == "pip_over_pension_age":
            customer_id = self._register(kind, 68, 80)
        elif kind == "other_benefit":
            customer_id = self._register(kind, 18, 80)
        else:
            customer_id = self._register(kind, 16, 64)
        yield from self._extras(customer_id)
        steps = {
            "pip_decided": self._pip_decided,
            "pip_disputed": self._pip_disputed,
            "pip_late_reconsideration": self._pip_late_reconsideration,
            "pip_no_questionnaire": self._pip_no_questionnaire,
            "pip_withdrawn": self._pip_withdrawn,
            "pip_over_pension_age": self._start_pip,
            "pip_in_progress": self._pip_in_progress,
            "other_benefit": self._other_benefit,
            "deceased": self._deceased,
        }[kind]
        yield from steps(customer_id)

    def _start_pip(self, customer_id: UUID) -> Generator[datetime, None, UUID]:
        yield self._later(0, 3)
        role = self.rng.choices(list(ClaimantRole), (85, 10, 5))[0]
        return self.application.start_claim(
            customer_id=customer_id,
            benefit=BenefitType.PIP,
            channel=self.rng.choice(list(ClaimChannel)),
            claimant_role=role,
            claim_date=self._today(),
        ).id

    def _questionnaire_and_assessment(
        self, claim_id: UUID, stop_after: str = ""
    ) -> Iterator[datetime]:
        yield self._later(2, 6)
        self.application.issue_questionnaire(claim_id, self._today())
        if stop_after == "issued":
            return
        yield self._later(7, 30)
        self.application.return_questionnaire(claim_id, self._today())
        if stop_after == "returned":
            return
        yield self._later(20, 60)
        self.application.record_assessment(
            claim_id,
            assessed_on=self._today(),
            daily_living={a: self.rng.choice((0, 0, 1, 2, 2, 4)) for a in DAILY_LIVING_ACTIVITIES},
            mobility={a: self.rng.choice((0, 0, 4, 8, 10, 12)) for a in MOBILITY_ACTIVITIES},
            assessor=ASSESSOR,
        )

    def _decide(self, claim_id: UUID) -> Iterator[datetime]:
        yield self._later(3, 20)
        today = self._today()
        claim = self.application.claim(claim_id)
        years = self.rng.choice((1, 2, 3, 5, 10))
        override = None
        if self.rng.random() < 0.03:
            # Now and then a decision maker departs from the points, with a recorded reason.
            override = RatesOverride(
                daily_living=Rate.STANDARD,
                mobility=Rate.STANDARD,
                reason="further medical evidence received after the assessment",
            )
        self.application.decide_pip_award(
            claim_id,
            decided_on=today,
            starts_on=claim.claim_date,
            ends_on=add_calendar_months(claim.claim_date, 12 * years) - timedelta(days=1),
            decision_maker=DECISION_MAKER if override else None,
            override=override,
        )

    def _pip_decided(self, customer_id: UUID) -> Generator[datetime, None, UUID]:
        claim_id = yield from self._start_pip(customer_id)
        yield from self._questionnaire_and_assessment(claim_id)
        yield from self._decide(claim_id)
        return claim_id

    def _pip_in_progress(self, customer_id: UUID) -> Iterator[datetime]:
        claim_id = yield from self._start_pip(customer_id)
        stage = self.rng.choice(("started", "issued", "returned", "assessed"))
        if stage == "started":
            return
        yield from self._questionnaire_and_assessment(
            claim_id, stop_after="" if stage == "assessed" else stage
        )

    def _pip_withdrawn(self, customer_id: UUID) -> Iterator[datetime]:
        claim_id = yield from self._start_pip(customer_id)
        yield self._later(3, 25)
        self.application.withdraw_claim(
            claim_id, self._today(), "customer no longer wishes to claim"
        )

    def _pip_no_questionnaire(self, customer_id: UUID) -> Iterator[datetime]:
        claim_id = yield from self._start_pip(customer_id)
        yield from self._questionnaire_and_assessment(claim_id, stop_after="issued")
        due_on = self.application.claim(claim_id).questionnaire_due_on
        if due_on is None:
            return
        yield self._moment(due_on + timedelta(days=self.rng.randint(1, 10)))
        self.application.make_negative_determination(claim_id)

    def _pip_disputed(self, customer_id: UUID) -> Iterator[datetime]:
        claim_id = yield from self._pip_decided(customer_id)
        if self.rng.random() < 0.3:
            yield self._later(1, 10)
            self.application.request_statement_of_reasons(claim_id, self._today())
        yield self._later(5, 25)
        self.application.request_reconsideration(
            claim_id, requested_on=self._today(), grounds="the assessment missed my bad days"
        )
        yield self._later(10, 40)
        claim = self.application.claim(claim_id)
        revise = self.rng.random() < 0.3
        revised = None
        if revise:
            start = claim.claim_date
            revised = Award(
                entitled=True,
                daily_living=Rate.STANDARD,
                mobility=Rate.ENHANCED,
                starts_on=start,
                ends_on=add_calendar_months(start, 36) - timedelta(days=1),
            )
        self.application.decide_reconsideration(
            claim_id,
            notice_sent_on=self._today(),
            revised_award=revised,
            reason="further evidence from the GP considered",
            decision_maker=DECISION_MAKER,
        )
        if self.rng.random() < 0.4:
            return
        yield self._later(5, 28)
        self.application.lodge_appeal(claim_id, lodged_on=self._today())
        yield self._later(30, 120)
        start = self.application.claim(claim_id).claim_date
        enhanced = Award(
            entitled=True,
            daily_living=Rate.ENHANCED if self.rng.random() < 0.5 else Rate.STANDARD,
            mobility=Rate.ENHANCED,
            starts_on=start,
            ends_on=add_calendar_months(start, 60) - timedelta(days=1),
        )
        if self.rng.random() < 0.5:
            self.application.revise_during_appeal(
                claim_id, revised_on=self._today(), award=enhanced
            )
            if self.application.claim(claim_id).dispute.value == "appeal_lapsed":
                return
            yield self._later(20, 90)
        allowed = self.rng.random() < 0.6
        self.application.record_appeal_outcome(
            claim_id,
            decided_on=self._today(),
            allowed=allowed,
            award=enhanced if allowed else None,
            judge=TRIBUNAL,
            reason="the tribunal preferred the claimant's evidence"
            if allowed
            else "the tribunal found the descriptors correctly applied",
        )

    def _pip_late_reconsideration(self, customer_id: UUID) -> Iterator[datetime]:
        claim_id = yield from self._pip_decided(customer_id)
        yield self._later(40, 300)
        self.application.request_reconsideration(
            claim_id,
            requested_on=self._today(),
            grounds="I disagree with the points",
            good_reason_for_lateness="in hospital when the decision arrived"
            if self.rng.random() < 0.7
            else None,
        )

    def _other_benefit(self, customer_id: UUID) -> Iterator[datetime]:
        yield self._later(0, 3)
        benefit = self.rng.choice(
            (BenefitType.UC, BenefitType.ESA, BenefitType.AA, BenefitType.DLA)
        )
        claim_id = self.application.start_claim(
            customer_id=customer_id,
            benefit=benefit,
            channel=self.rng.choice(list(ClaimChannel)),
            claimant_role=ClaimantRole.CUSTOMER,
            claim_date=self._today(),
        ).id
        yield self._later(10, 50)
        entitled = self.rng.random() < 0.7
        self.application.decide_entitlement(
            claim_id,
            decided_on=self._today(),
            entitled=entitled,
            reason="conditions of entitlement met" if entitled else "capital above the limit",
            decision_maker=DECISION_MAKER,
            starts_on=self.application.claim(claim_id).claim_date if entitled else None,
        )

    def _deceased(self, customer_id: UUID) -> Iterator[datetime]:
        yield from self._pip_decided(customer_id)
        yield self._later(10, 90)
        died = self._today() - timedelta(days=self.rng.randint(1, 5))
        self.application.notify_death(customer_id, died, f"TUO-{self.rng.randint(0, 10**8):08d}")
