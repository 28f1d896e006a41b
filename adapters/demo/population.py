"""A synthetic population whose customers move through every claim state, in simulated time."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from adapters.demo.debts import DEBT_WEIGHTS, DebtJourneys
from adapters.demo.safeguarding import SAFEGUARDING_WEIGHTS, SafeguardingJourneys
from domain.claim import Award, RatesOverride
from domain.errors import DomainError
from domain.periods import add_calendar_months, birthday
from domain.rules.dla_child import DisablingCondition
from domain.rules.pip_assessment import DAILY_LIVING_ACTIVITIES, MOBILITY_ACTIVITIES, Rate
from domain.transition import TransitionStage
from domain.values import (
    Actor,
    Appointee,
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    ContactChannel,
    ContactPreferences,
    Region,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from services.clock import SimulatedClock
from services.deadlines import DeadlineScheduler
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

ASSESSOR_ID = "hp-assessor-17"
DECISION_MAKER = Actor.caseworker("dm-0423")
TRIBUNAL_JUDGE_ID = "tribunal-judge-5"

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

# Young people moving from child DLA to PIP at 16 (only with a deadline scheduler, see
# `Population.scheduler`): a small share of the population, most claiming in time.
TRANSITION_WEIGHTS: dict[str, float] = {
    "dla_pip_on_time": 3,
    "dla_pip_late_claim": 1,
    "dla_pip_no_claim": 1,
    "dla_pip_hospital": 1,
    "dla_pip_special_rules": 1,
    "dla_pip_good_reason": 1,
    "dla_pip_new_appointee": 1,
    "dla_pip_deceased": 0.5,
}

# The overnight deadline run: before the day's first command (commands run 08:00-18:00).
DEADLINE_RUN = time(6, 0)

# What child DLA pays a week (2025/26), in pence: care component, mobility component.
DLA_CARE_PENCE = (2920, 7390, 11040)
DLA_MOBILITY_PENCE = (0, 2920, 7705)


@dataclass
class DemoStats:
    """What the demo did."""

    customers: int = 0
    commands: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    journeys: dict[str, int] = field(default_factory=dict)
    sample_ninos: dict[str, str] = field(default_factory=dict)
    deadline_runs: int = 0
    deadlines_fired: int = 0
    deadlines_refused: int = 0


@dataclass
class Population:
    """Drives many customer journeys through one application in simulated time, up to `until`.

    With a deadline `scheduler` (built on the same application and clock), young people
    moving from child DLA to PIP join the population, and the scheduler runs at 06:00 on
    every simulated day a deadline is due, before that day's commands. Without one (the
    benchmark seeder), the population draws exactly the journeys it always drew. With
    `safeguarding`, people on the Special Rules fast-track and in safeguarding cases join too;
    with `debts`, people with overpayments and advances being recovered.
    """

    application: JourneysApplication
    clock: SimulatedClock
    rng: random.Random
    start: date
    until: date
    stats: DemoStats = field(default_factory=DemoStats)
    scheduler: DeadlineScheduler | None = None
    safeguarding: bool = False
    """Also draw Special Rules and safeguarding journeys (the demo does; the bench seed not)."""
    debts: bool = False
    """Also draw debt recovery journeys (the demo does; the bench seed not)."""
    only_kinds: frozenset[str] | None = None
    """Draw only these journey kinds (tests that need each kind of a few)."""
    _refused_deadlines: set[UUID] = field(default_factory=set, init=False, repr=False)
    _decided_transition_sample: bool = field(default=False, init=False, repr=False)
    # When each transition's earliest pending deadline falls (by customer), so the scheduler
    # runs only on days something is due; every day if the store held deadlines already.
    _next_due: dict[UUID, date] = field(default_factory=dict, init=False, repr=False)
    _transition_customers: dict[UUID, UUID] = field(default_factory=dict, init=False, repr=False)
    _run_every_day: bool = field(default=False, init=False, repr=False)

    def run(self, customers: int, on_command: Callable[[], None]) -> DemoStats:
        """Play every journey, earliest step first, moving the clock as it goes."""
        queue: list[tuple[datetime, int, Iterator[datetime]]] = []
        journey_weights: dict[str, float] = dict(JOURNEY_WEIGHTS)
        if self.scheduler is not None:
            journey_weights.update(TRANSITION_WEIGHTS)
        if self.safeguarding:
            journey_weights.update(SAFEGUARDING_WEIGHTS)
        if self.debts:
            journey_weights.update(DEBT_WEIGHTS)
        if self.only_kinds is not None:
            journey_weights = {k: w for k, w in journey_weights.items() if k in self.only_kinds}
        kinds, weights = zip(*journey_weights.items(), strict=True)
        if self.scheduler is not None:
            self._run_every_day = bool(self.scheduler.index.due(self.until, 1))
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
            self._run_deadlines_through(when)
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
        # The caseload on the last day: every deadline due by then has run.
        self._run_deadlines_through(datetime.combine(self.until, time(23, 59), tzinfo=UTC))
        return self.stats

    def _run_deadlines_through(self, moment: datetime) -> None:
        """Run the scheduler for each simulated day after today, up to the moment's day.

        Only days on which a deadline is due need a run; what fired (and what the journeys
        did since) says when the next one is due.
        """
        if self.scheduler is None:
            return
        day = self.clock.today() + timedelta(days=1)
        # Registrations may fall after the last day (a short run); deadlines never do.
        while day <= min(moment.date(), self.until):
            if self._run_every_day or min(self._next_due.values(), default=date.max) <= day:
                run_at = min(datetime.combine(day, DEADLINE_RUN, tzinfo=UTC), moment)
                self.clock.set(max(run_at, self.clock.now()))
                self._run_deadlines(self.scheduler)
            day += timedelta(days=1)

    def _run_deadlines(self, scheduler: DeadlineScheduler) -> None:
        run = scheduler.run_due()
        self.stats.deadline_runs += 1
        self.stats.deadlines_fired += len(run.fired)
        # A refused deadline stays pending and is tried again each day: count it once.
        for deadline, _reason in run.refused:
            if deadline.deadline_id not in self._refused_deadlines:
                self._refused_deadlines.add(deadline.deadline_id)
                self.stats.deadlines_refused += 1
        for deadline in (*run.fired, *run.already_done):
            customer_id = self._transition_customers.get(deadline.aggregate_id)
            if customer_id is not None:
                self._watch(customer_id)

    def _watch(self, customer_id: UUID) -> None:
        """Note when the customer's transition has its next deadline (none: forget it)."""
        transition = self.application.transition(customer_id)
        self._transition_customers[transition.id] = customer_id
        pending = transition.pending_deadlines.values()
        if pending:
            self._next_due[customer_id] = min(deadline.fires_on for deadline in pending)
        else:
            self._next_due.pop(customer_id, None)

    def _watching(self, customer_id: UUID, steps: Iterator[datetime]) -> Iterator[datetime]:
        """The journey's steps, noting the transition's next deadline after each command."""
        # Each step runs the command after the moment before it (a refused one changes nothing).
        for moment in steps:
            self._watch(customer_id)
            yield moment
        self._watch(customer_id)

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

    def _register(
        self, kind: str, age_low: int, age_high: int, date_of_birth: date | None = None
    ) -> UUID:
        today = self._today()
        if date_of_birth is None:
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
        if kind in TRANSITION_WEIGHTS:
            # Young people come up to 16 all through the simulation (some turn 16 after its
            # last day), so at the end there are transitions at every stage.
            latest = max(0, (self.until - begins.date()).days - 30)
            yield begins + timedelta(days=self.rng.randint(0, latest))
            yield from self._dla_to_pip(kind)
            return
        yield begins
        if kind in SAFEGUARDING_WEIGHTS:
            customer_id = self._register(kind, 25, 64)
            journeys = SafeguardingJourneys(self, lambda p: self.rng.random() < p)
            yield from journeys.steps(kind, customer_id)
            return
        if kind in DEBT_WEIGHTS:
            customer_id = self._register(kind, 25, 64)
            yield from DebtJourneys(self, self.rng).steps(kind, customer_id)
            return
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
        return self._claim_pip(customer_id, self.rng.choices(list(ClaimantRole), (85, 10, 5))[0])

    def _claim_pip(self, customer_id: UUID, role: ClaimantRole = ClaimantRole.CUSTOMER) -> UUID:
        """A PIP claim made today by a channel drawn at random."""
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
            assessor_id=ASSESSOR_ID,
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
            judge=TRIBUNAL_JUDGE_ID,
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

    # -- DLA to PIP at 16 ---------------------------------------------------------------------
    #
    # The young person is registered a month or three before their 16th birthday, with a child
    # DLA award claimed years ago; the scheduler does the rest of the department's part
    # (invitation, suspension, second notice, DLA's end). The journey waits until just after
    # the step the scheduler should have taken and checks the stage before acting, as a
    # caseworker would; when the stage is not what it expects, the journey stops there.

    def _dla_to_pip(self, kind: str) -> Iterator[datetime]:
        turns_16_around = self._today() + timedelta(days=self.rng.randint(25, 85))
        date_of_birth = add_calendar_months(turns_16_around, -16 * 12)
        customer_id = self._register(kind, 15, 16, date_of_birth=date_of_birth)
        self.stats.sample_ninos.setdefault(
            "dla_to_pip", self.application.customer(customer_id).nino
        )
        sixteenth = birthday(date_of_birth, 16)
        special_rules = kind == "dla_pip_special_rules"
        appointee = kind == "dla_pip_new_appointee"
        ends_on: date | None = None
        if special_rules:
            # A Special Rules award runs three years; this one ends some months after 16.
            award_ends = sixteenth + timedelta(weeks=self.rng.randint(22, 30))
            ends_on, claim_date = award_ends, add_calendar_months(award_ends, -36) + timedelta(1)
        else:
            claim_date = birthday(date_of_birth, self.rng.randint(5, 12)) + timedelta(
                days=self.rng.randint(0, 300)
            )
        if appointee:
            yield self._later(0, 3)
            self.application.appoint(
                customer_id, Appointee(name="A. Parent", relationship="parent"), claim_date
            )
        yield self._later(0, 3)
        dla_claim = self.application.start_claim(
            customer_id=customer_id,
            benefit=BenefitType.DLA,
            channel=self.rng.choice(list(ClaimChannel)),
            claimant_role=ClaimantRole.APPOINTEE if appointee else ClaimantRole.THIRD_PARTY,
            claim_date=claim_date,
        ).id
        yield self._later(1, 5)
        # The award was decided years ago; the department records it now.
        self.application.decide_entitlement(
            dla_claim,
            decided_on=claim_date + timedelta(days=self.rng.randint(20, 70)),
            entitled=True,
            reason="the child needs substantially more care than children of the same age",
            decision_maker=DECISION_MAKER,
            starts_on=claim_date,
            ends_on=ends_on,
        )
        yield self._later(0, 3)
        care = DLA_CARE_PENCE[-1] if special_rules else self.rng.choice(DLA_CARE_PENCE)
        self.application.start_transition(
            customer_id,
            dla_claim_id=dla_claim,
            dla_weekly_pence=care + self.rng.choice(DLA_MOBILITY_PENCE),
            special_rules=special_rules,
            condition=self.rng.choices(list(DisablingCondition), (10, 15, 75))[0],
            region=Region.NORTHERN_IRELAND if self.rng.random() < 0.05 else Region.GREAT_BRITAIN,
        )
        steps = {
            "dla_pip_on_time": self._dla_pip_claim_in_time,
            "dla_pip_late_claim": self._dla_pip_late_claim,
            "dla_pip_no_claim": self._dla_pip_no_claim,
            "dla_pip_hospital": self._dla_pip_hospital,
            "dla_pip_special_rules": self._dla_pip_claim_in_time,
            "dla_pip_good_reason": self._dla_pip_good_reason,
            "dla_pip_new_appointee": self._dla_pip_new_appointee,
            "dla_pip_deceased": self._dla_pip_deceased,
        }[kind]
        yield from self._watching(customer_id, steps(customer_id))

    def _stage(self, customer_id: UUID) -> TransitionStage:
        return self.application.transition(customer_id).stage

    def _after(self, day: date, low: int, high: int) -> datetime:
        """A moment some days after `day` (the scheduler runs before the day's commands)."""
        return self._moment(day + timedelta(days=self.rng.randint(low, high)))

    def _invited(self, customer_id: UUID) -> Iterator[datetime]:
        """Wait until some days after the invitation should have gone (within its window)."""
        invite_on = self.application.transition(customer_id).plan.invite_on
        yield self._after(max(invite_on, self._today()), 1, 20)

    def _transition_pip_decided(
        self, customer_id: UUID, claim_id: UUID, *, issued: bool = False
    ) -> Iterator[datetime]:
        """The rest of the PIP claim; PIP's start date is left to the DLA end date rule."""
        # Special Rules: the terminally ill young person's assessment scores high.
        high = self.application.transition(customer_id).dla.special_rules
        if not issued:
            yield self._later(2, 6)
            self.application.issue_questionnaire(claim_id, self._today())
        yield self._later(7, 25)
        self.application.return_questionnaire(claim_id, self._today())
        yield self._later(20, 60)
        daily_living_points = (2, 4) if high else (0, 0, 1, 2, 2, 4)
        mobility_points = (8, 10, 12) if high else (0, 0, 4, 8, 10, 12)
        self.application.record_assessment(
            claim_id,
            assessed_on=self._today(),
            daily_living={a: self.rng.choice(daily_living_points) for a in DAILY_LIVING_ACTIVITIES},
            mobility={a: self.rng.choice(mobility_points) for a in MOBILITY_ACTIVITIES},
            assessor_id=ASSESSOR_ID,
        )
        yield self._later(3, 20)
        today = self._today()
        self.application.decide_pip_award(
            claim_id,
            decided_on=today,
            starts_on=None,
            ends_on=add_calendar_months(today, 12 * self.rng.choice((2, 3, 5, 10))),
        )
        if not self._decided_transition_sample:
            # A better example for the summary: a young person whose PIP claim was decided.
            self._decided_transition_sample = True
            self.stats.sample_ninos["dla_to_pip"] = self.application.customer(customer_id).nino

    def _dla_pip_claim_in_time(self, customer_id: UUID) -> Iterator[datetime]:
        yield from self._invited(customer_id)
        transition = self.application.transition(customer_id)
        if transition.stage is not TransitionStage.INVITED:
            return
        claim_id = self._claim_pip(customer_id)
        yield from self._transition_pip_decided(customer_id, claim_id)

    def _dla_pip_late_claim(self, customer_id: UUID) -> Iterator[datetime]:
        # The first window is 28 days from the invitation; the scheduler closes it after.
        invite_on = self.application.transition(customer_id).plan.invite_on
        yield self._after(max(invite_on, self._today()), 29, 45)
        transition = self.application.transition(customer_id)
        second_claim_by = transition.second_claim_by
        if (
            transition.stage is not TransitionStage.DLA_SUSPENDED
            or second_claim_by is None
            or second_claim_by < self._today()
        ):
            return
        claim_id = self._claim_pip(customer_id)
        yield from self._transition_pip_decided(customer_id, claim_id)

    def _dla_pip_no_claim(self, customer_id: UUID) -> Iterator[datetime]:
        # Nothing comes back: the scheduler invites, suspends DLA, sends a second notice and
        # ends DLA, each on the day the rules give.
        return
        yield  # a generator with no steps of its own

    def _dla_pip_hospital(self, customer_id: UUID) -> Iterator[datetime]:
        sixteenth = self.application.transition(customer_id).sixteenth_birthday
        admitted = max(sixteenth - timedelta(days=self.rng.randint(1, 10)), self._today())
        yield self._moment(admitted)
        if self._stage(customer_id) is not TransitionStage.AWAITING_INVITATION:
            return
        self.application.record_hospital_admission(customer_id, self._today())
        yield self._after(max(sixteenth, self._today()), 3, 30)
        if self._stage(customer_id) is not TransitionStage.INVITATION_DEFERRED:
            return
        # The invitation goes at the next deadline run, the day after the discharge is known.
        self.application.record_hospital_discharge(customer_id, self._today())
        yield self._later(2, 20)
        if self._stage(customer_id) is not TransitionStage.INVITED:
            return
        claim_id = self._claim_pip(customer_id)
        yield from self._transition_pip_decided(customer_id, claim_id)

    def _dla_pip_good_reason(self, customer_id: UUID) -> Iterator[datetime]:
        yield from self._invited(customer_id)
        if self._stage(customer_id) is not TransitionStage.INVITED:
            return
        claim_id = self._claim_pip(customer_id)
        yield self._later(2, 6)
        self.application.issue_questionnaire(claim_id, self._today())
        due_on = self.application.claim(claim_id).questionnaire_due_on
        if due_on is None:
            return
        # The PIP2 does not come back: the claim is disallowed and DLA's end follows from it.
        yield self._after(due_on, 1, 5)
        self.application.make_negative_determination(claim_id)
        yield self._later(2, 10)
        if self._stage(customer_id) not in {TransitionStage.DLA_ENDING, TransitionStage.COMPLETED}:
            return
        self.application.accept_good_reason(
            claim_id,
            accepted_on=self._today(),
            reason="in hospital when the PIP2 questionnaire was due",
            decision_maker=DECISION_MAKER,
        )
        yield from self._transition_pip_decided(customer_id, claim_id, issued=True)

    def _dla_pip_new_appointee(self, customer_id: UUID) -> Iterator[datetime]:
        yield from self._invited(customer_id)
        if self._stage(customer_id) is not TransitionStage.INVITED:
            return
        # The parent acted for DLA; for PIP they must be appointed again, from 16.
        self.application.appoint_pip_appointee(
            customer_id,
            appointee=Appointee(name="A. Parent", relationship="parent"),
            effective_date=self._today(),
        )
        yield self._later(0, 5)
        if self._stage(customer_id) is not TransitionStage.INVITED:
            return
        claim_id = self._claim_pip(customer_id, ClaimantRole.APPOINTEE)
        yield from self._transition_pip_decided(customer_id, claim_id)

    def _dla_pip_deceased(self, customer_id: UUID) -> Iterator[datetime]:
        sixteenth = self.application.transition(customer_id).sixteenth_birthday
        yield self._after(max(sixteenth, self._today()), -20, 60)
        died = self._today() - timedelta(days=self.rng.randint(1, 5))
        self.application.notify_death(customer_id, died, f"TUO-{self.rng.randint(0, 10**8):08d}")
