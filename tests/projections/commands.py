"""Generated command sequences for the projection properties: every kind of event, any order.

Besides adults' claims, young people on child DLA move to PIP: their transitions start with
birthdays close to the simulated today, deadline runs move the clock on, and their PIP
claims join the claim commands (good reasons accepted included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from hypothesis import strategies as st

from adapters.bootstrap import Journeys
from domain.claim import (
    Award,
    Claim,
    ClaimStatus,
    DisallowanceGrounds,
    DisputeStage,
    RatesOverride,
)
from domain.disclosure import ReaderRole
from domain.errors import DomainError
from domain.periods import add_calendar_months
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
from services.journeys import Recorded

DECISION_MAKER = Actor.caseworker("DM-1001")
ASSESSOR = Actor.caseworker("HP-2002")
JUDGE = Actor.caseworker("JUDGE-3003")

CLAIM_COMMANDS = (
    "issue_questionnaire",
    "return_questionnaire",
    "make_negative_determination",
    "record_assessment",
    "decide_pip_award",
    "decide_entitlement",
    "withdraw_claim",
    "request_statement_of_reasons",
    "request_reconsideration",
    "decide_reconsideration",
    "lodge_appeal",
    "revise_during_appeal",
    "record_appeal_outcome",
    "uprate_award",
    "accept_good_reason",
)
CUSTOMER_COMMANDS = (
    "add_support_marker",
    "remove_support_marker",
    "report_change",
    "appoint",
    "end_appointee",
    "change_contact_preferences",
    "notify_death",
)
TRANSITION_COMMANDS = (
    "record_hospital_admission",
    "record_hospital_discharge",
    "appoint_pip_appointee",
    "record_appointee_not_needed",
    "complete_age_review",
    "claim_pip",
)

rates = st.sampled_from(list(Rate))
reasons = st.sampled_from(["evidence from the GP", "new medical evidence"] * 3 + [" "])


def applicable(claim: Claim) -> list[str]:
    """The claim commands that fit the claim's stage, the one that moves it on first."""
    pip = claim.benefit is BenefitType.PIP
    status, dispute = claim.status, claim.dispute
    options: list[str] = []
    if pip and status is ClaimStatus.STARTED:
        options.append("issue_questionnaire")
    if status.is_open and not pip:
        options += ["decide_entitlement"] * 3
    if status is ClaimStatus.AWAITING_QUESTIONNAIRE:
        options += ["return_questionnaire", "return_questionnaire", "make_negative_determination"]
    if status is ClaimStatus.AWAITING_ASSESSMENT:
        options.append("record_assessment")
    if pip and status is ClaimStatus.AWAITING_DECISION:
        options.append("decide_pip_award")
    decided = status in {ClaimStatus.AWARDED, ClaimStatus.NOT_AWARDED, ClaimStatus.DISALLOWED}
    if decided and dispute is DisputeStage.NONE:
        options += ["request_reconsideration", "request_reconsideration"]
        if claim.statement_of_reasons_requested_on is None:
            options.append("request_statement_of_reasons")
    if (
        status is ClaimStatus.DISALLOWED
        and claim.disallowance_grounds is DisallowanceGrounds.QUESTIONNAIRE_NOT_RETURNED
        and dispute is DisputeStage.NONE
    ):
        options += ["accept_good_reason"] * 3
    if dispute is DisputeStage.RECONSIDERATION_REQUESTED:
        options.append("decide_reconsideration")
    if dispute is DisputeStage.RECONSIDERED:
        options.append("lodge_appeal")
    if dispute is DisputeStage.APPEAL_LODGED:
        options += ["record_appeal_outcome", "revise_during_appeal", "record_appeal_outcome"]
    if pip and status is ClaimStatus.AWARDED:
        options.append("uprate_award")
    if status.is_open:
        options.append("withdraw_claim")
    return options


@dataclass
class Driver:
    """Runs generated commands against a real system; refused commands are simply skipped."""

    system: Journeys
    clock: SimulatedClock
    data: st.DataObject
    customers: list[UUID] = field(default_factory=list)
    claims: list[UUID] = field(default_factory=list)
    young_people: list[UUID] = field(default_factory=list)
    transition_claims: list[UUID] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    _serial: int = 0

    # -- drawing ----------------------------------------------------------------------------

    def draw_int(self, low: int, high: int) -> int:
        return self.data.draw(st.integers(low, high))

    def recent(self, most: int = 2) -> date:
        """Today or a day or two before (commands refuse dates after today)."""
        return self.clock.today() - timedelta(days=self.draw_int(0, most))

    def award(self, claim: Claim, always_entitled: bool = False) -> Award:
        if not always_entitled and not self.draw_int(0, 4):
            return Award.nil()
        starts_on = claim.claim_date + timedelta(days=self.draw_int(0, 20))
        ends_on = add_calendar_months(starts_on, self.draw_int(2, 60))
        return Award(
            entitled=True,
            daily_living=self.data.draw(rates),
            mobility=self.data.draw(rates),
            starts_on=starts_on,
            ends_on=ends_on,
        )

    # -- running ------------------------------------------------------------------------------

    def attempt(self, name: str, command: Callable[[], Recorded]) -> Recorded | None:
        try:
            recorded = command()
        except DomainError:
            self.refused.append(name)
            return None
        self.done.append(name)
        return recorded

    def step(self) -> None:
        """One generated step: a command, or the clock moving on."""
        kinds = ["claim"] * 8 + ["advance", "customer", "deadlines", "disclose"]
        if len(self.customers) < 2:
            kinds += ["register", "start_claim"]
        elif len(self.claims) < 4:
            kinds.append("start_claim")
        if len(self.young_people) < 2:
            kinds += ["young_person"] * 3
        if self.young_people:
            kinds += ["transition", "transition", "deadlines"]
        kind = self.data.draw(st.sampled_from(kinds))
        if not self.customers:
            kind = "register"
        elif kind == "claim" and not self.claims:
            kind = "start_claim"
        if kind == "register":
            self.register()
        elif kind == "young_person":
            self.young_person()
        elif kind == "transition":
            self.transition_command()
        elif kind == "advance":
            self.clock.advance(timedelta(days=self.data.draw(st.sampled_from([1, 3, 7, 10, 40]))))
        elif kind == "deadlines":
            # The overnight run: the clock moves on (or not), every deadline due by then fires.
            self.clock.advance(timedelta(days=self.data.draw(st.sampled_from([0, 1, 7, 14, 29]))))
            self.system.deadlines.run_due()
        elif kind == "start_claim":
            self.start_claim()
        elif kind == "customer":
            self.customer_command()
        elif kind == "disclose":
            self.disclose()
        else:
            self.claim_command()

    def disclose(self) -> None:
        """A colleague reads a customer's record, or a worklist of many (no customer)."""
        customer = self.data.draw(st.sampled_from([None, *self.customers]))
        self.attempt(
            "record_disclosure",
            lambda: self.system.application.record_disclosure(
                customer=customer,
                subject=self.data.draw(st.sampled_from(["CW-1", "AU-2"])),
                role=self.data.draw(st.sampled_from(list(ReaderRole))),
                purpose=self.data.draw(st.sampled_from(["phone call", "x", "audit sample"])),
                resource="GET /customers/{customer_id}/timeline",
                path=f"/customers/{customer}/timeline",
            ),
        )

    def register(self) -> None:
        self._serial += 1
        # Mostly of working age; now and then over State Pension age (PIP is disallowed at once).
        born = self.data.draw(
            st.sampled_from(
                [date(1985, 3, 14), date(1972, 2, 29), date(2001, 7, 1), date(1948, 5, 2)]
            )
        )
        recorded = self.attempt(
            "register_customer",
            lambda: self.system.application.register_customer(
                nino=f"AB{self._serial:06d}C",
                name=self.data.draw(st.sampled_from(["Ada Lovelace", "Ben Evans", "Chloe Owen"])),
                date_of_birth=born,
            ),
        )
        if recorded is not None:
            self.customers.append(recorded.id)

    def start_claim(self) -> None:
        customer_id = self.data.draw(st.sampled_from(self.customers))
        benefit = self.data.draw(
            st.sampled_from(
                [BenefitType.PIP] * 3 + [b for b in BenefitType if b is not BenefitType.PIP]
            )
        )
        role = self.data.draw(
            st.sampled_from(
                [ClaimantRole.CUSTOMER, ClaimantRole.APPOINTEE, ClaimantRole.THIRD_PARTY]
            )
        )
        claim_date = self.recent(5)
        recorded = self.attempt(
            "start_claim",
            lambda: self.system.application.start_claim(
                customer_id=customer_id,
                benefit=benefit,
                channel=self.data.draw(st.sampled_from(list(ClaimChannel))),
                claimant_role=role,
                claim_date=claim_date,
            ),
        )
        if recorded is not None:
            self.claims.append(recorded.id)

    def young_person(self) -> None:
        """A child DLA recipient turning 16 (or 14, for the age review) soon, or just 16."""
        app = self.system.application
        today = self.clock.today()
        age, days = self.data.draw(
            # Mostly 16 already (invited at the next run) or soon; 70 days ahead, Northern
            # Ireland's letter at 15 years and 10 months is still to come.
            st.sampled_from([(16, -20), (16, -3), (16, -3), (16, 3), (16, 12), (16, 70), (14, 5)]),
            label="birthday",
        )
        birthday = today + timedelta(days=days)
        if (birthday.month, birthday.day) == (2, 29):
            birthday -= timedelta(days=1)
        born = birthday.replace(year=birthday.year - age)
        self._serial += 1
        registered = self.attempt(
            "register_customer",
            lambda: app.register_customer(
                nino=f"AB{self._serial:06d}C", name="Jo Young", date_of_birth=born
            ),
        )
        if registered is None:
            return
        customer_id = registered.id
        self.customers.append(customer_id)
        if self.data.draw(st.booleans(), label="DLA appointee"):
            self.attempt(
                "appoint",
                lambda: app.appoint(
                    customer_id, Appointee(name="Pat Young", relationship="mother"), today
                ),
            )
        special_rules = not self.draw_int(0, 3)
        dla_from = born + timedelta(days=self.draw_int(400, 3000))
        ends_on = today + timedelta(days=self.draw_int(150, 400)) if special_rules else None
        dla = self.attempt(
            "start_claim",
            lambda: app.start_claim(
                customer_id=customer_id,
                benefit=BenefitType.DLA,
                channel=ClaimChannel.POST,
                claimant_role=ClaimantRole.APPOINTEE,
                claim_date=dla_from,
            ),
        )
        if dla is None:
            return
        dla_id = dla.id
        self.attempt(
            "decide_entitlement",
            lambda: app.decide_entitlement(
                dla_id,
                decided_on=dla_from + timedelta(days=30),
                entitled=True,
                reason="care needs",
                decision_maker=DECISION_MAKER,
                starts_on=dla_from,
                ends_on=ends_on,
            ),
        )
        condition = self.data.draw(st.sampled_from(list(DisablingCondition)))
        region = self.data.draw(
            st.sampled_from([Region.GREAT_BRITAIN] * 3 + [Region.NORTHERN_IRELAND])
        )
        weekly = self.data.draw(st.sampled_from([2920, 7390, 18435]))
        started = self.attempt(
            "start_transition",
            lambda: app.start_transition(
                customer_id,
                dla_claim_id=dla_id,
                dla_weekly_pence=weekly,
                special_rules=special_rules,
                condition=condition,
                region=region,
            ),
        )
        if started is not None:
            self.young_people.append(customer_id)

    def transition_options(self, customer_id: UUID) -> list[str]:
        """The transition commands that fit the journey's stage."""
        transition = self.system.application.transition(customer_id)
        stage = transition.stage
        options: list[str] = []
        if stage in {TransitionStage.AWAITING_INVITATION, TransitionStage.INVITATION_DEFERRED}:
            in_hospital = (
                transition.hospital_admitted_on is not None
                and transition.hospital_discharged_on is None
            )
            options.append(
                "record_hospital_discharge" if in_hospital else "record_hospital_admission"
            )
        if transition.appointee_needed:
            options += ["appoint_pip_appointee", "record_appointee_not_needed"]
        if transition.reviews_due:
            options.append("complete_age_review")
        if stage in {
            TransitionStage.INVITED,
            TransitionStage.DLA_SUSPENDED,
            TransitionStage.AWAITING_INVITATION,
            TransitionStage.INVITATION_DEFERRED,
        }:
            options += ["claim_pip"] * 2
        if transition.pip_claim_id is not None:
            options += ["pip_claim_step"] * 4  # on to the decision that sets DLA's end
        return options

    def transition_command(self) -> None:
        app = self.system.application
        customer_id = self.data.draw(st.sampled_from(self.young_people))
        options = self.transition_options(customer_id)
        if options and self.draw_int(0, 7):
            name = self.data.draw(st.sampled_from(options))
        else:
            name = self.data.draw(st.sampled_from(TRANSITION_COMMANDS))
        if name == "pip_claim_step":
            self.claim_command(app.transition(customer_id).pip_claim_id)
            return
        when = self.recent()
        command: Callable[[], Recorded]
        if name == "record_hospital_admission":

            def command() -> Recorded:
                return app.record_hospital_admission(customer_id, when)

        elif name == "record_hospital_discharge":

            def command() -> Recorded:
                return app.record_hospital_discharge(customer_id, when)

        elif name == "appoint_pip_appointee":

            def command() -> Recorded:
                return app.appoint_pip_appointee(
                    customer_id,
                    appointee=Appointee(name="Sam Young", relationship="brother"),
                    effective_date=when,
                )

        elif name == "record_appointee_not_needed":
            reason = self.data.draw(st.sampled_from(["will deal with PIP alone", " "]))

            def command() -> Recorded:
                return app.record_appointee_not_needed(
                    customer_id, reason=reason, effective_date=when
                )

        elif name == "complete_age_review":
            age = self.data.draw(st.sampled_from([14, 14, 7]))

            def command() -> Recorded:
                return app.complete_age_review(
                    customer_id, age=age, completed_on=when, outcome="award continues"
                )

        else:
            assert name == "claim_pip"
            role = self.data.draw(
                st.sampled_from([ClaimantRole.CUSTOMER] * 3 + [ClaimantRole.APPOINTEE])
            )

            def command() -> Recorded:
                return app.start_claim(
                    customer_id=customer_id,
                    benefit=BenefitType.PIP,
                    channel=ClaimChannel.PHONE,
                    claimant_role=role,
                    claim_date=when,
                )

        recorded = self.attempt(name, command)
        if name == "claim_pip" and recorded is not None:
            self.claims.append(recorded.id)
            self.transition_claims.append(recorded.id)

    def customer_command(self) -> None:
        app = self.system.application
        customer_id = self.data.draw(st.sampled_from(self.customers))
        name = self.data.draw(
            st.sampled_from(
                list(CUSTOMER_COMMANDS[:-1]) * 4 + [CUSTOMER_COMMANDS[-1], "erase_personal_data"]
            )
        )
        effective = self.recent(20)
        command: Callable[[], Recorded]
        if name == "add_support_marker":
            marker = SupportMarker(
                need=self.data.draw(st.sampled_from(list(SupportNeed))),
                duration=self.data.draw(st.sampled_from(list(SupportDuration))),
                details=self.data.draw(st.sampled_from(["", "reads slowly"])),
            )

            def command() -> Recorded:
                return app.add_support_marker(customer_id, marker, effective)

        elif name == "remove_support_marker":
            need = self.data.draw(st.sampled_from(list(SupportNeed)))

            def command() -> Recorded:
                return app.remove_support_marker(customer_id, need, effective)

        elif name == "report_change":
            description = self.data.draw(st.sampled_from(["moved house", "started work", " "]))

            def command() -> Recorded:
                return app.report_change(customer_id, description, effective)

        elif name == "appoint":

            def command() -> Recorded:
                return app.appoint(
                    customer_id, Appointee(name="Sam", relationship="son"), effective
                )

        elif name == "end_appointee":

            def command() -> Recorded:
                return app.end_appointee(customer_id, "no longer needed", effective)

        elif name == "change_contact_preferences":
            preferences = ContactPreferences(
                channel=self.data.draw(st.sampled_from(list(ContactChannel))),
                large_print=self.data.draw(st.booleans()),
            )

            def command() -> Recorded:
                return app.change_contact_preferences(customer_id, preferences, effective)

        elif name == "erase_personal_data":
            # Rare, like a death: the views must read erased, and a rebuild must agree.

            def command() -> Recorded:
                return app.erase_personal_data(customer_id, "the customer asked")

        else:
            assert name == "notify_death"

            def command() -> Recorded:
                return app.notify_death(customer_id, effective, "TUO-1")

        self.attempt(name, command)

    def claim_command(self, claim_id: UUID | None = None) -> None:
        app = self.system.application
        if claim_id is None:
            # The transitions' PIP claims come up more often: their decisions set DLA's end.
            claim_id = self.data.draw(st.sampled_from(self.claims + self.transition_claims * 2))
        claim = app.claim(claim_id)
        options = applicable(claim)
        if len(options) > 1 and "withdraw_claim" in options and self.draw_int(0, 9):
            options.remove("withdraw_claim")  # withdrawal ends a journey: keep it rare
        if options and self.draw_int(0, 7):
            name = self.data.draw(st.sampled_from(options))
        else:
            name = self.data.draw(st.sampled_from(CLAIM_COMMANDS))
        when = self.recent()
        command: Callable[[], Recorded]
        if name == "issue_questionnaire":

            def command() -> Recorded:
                return app.issue_questionnaire(claim_id, when)

        elif name == "return_questionnaire":

            def command() -> Recorded:
                return app.return_questionnaire(claim_id, when)

        elif name == "make_negative_determination":
            good_reason = self.data.draw(st.sampled_from([None, None, "in hospital"]))
            if self.data.draw(st.booleans()):
                self.clock.advance(timedelta(days=35))  # past the PIP2's due date

            def command() -> Recorded:
                return app.make_negative_determination(claim_id, good_reason)

        elif name == "record_assessment":
            daily_living = {a: self.draw_int(0, 12) for a in DAILY_LIVING_ACTIVITIES}
            mobility = {a: self.draw_int(0, 12) for a in MOBILITY_ACTIVITIES}
            if not self.draw_int(0, 9):
                mobility["moving_around"] = 13  # refused: points run from 0 to 12

            def command() -> Recorded:
                return app.record_assessment(
                    claim_id,
                    assessed_on=when,
                    daily_living=daily_living,
                    mobility=mobility,
                    assessor_id=ASSESSOR.identifier,
                )

        elif name == "decide_pip_award":
            # In a transition PIP starts when the rule says (any other date is refused).
            first_day = claim.claim_date + timedelta(days=self.draw_int(0, 10))
            ends_on = add_calendar_months(first_day, self.data.draw(st.sampled_from([2, 24, 60])))
            starts_on: date | None = first_day
            if claim.transition_id is not None and self.draw_int(0, 5):
                starts_on = None
            override: RatesOverride | None = None
            maker: Actor | None = None
            if not self.draw_int(0, 3):
                override = RatesOverride(
                    daily_living=self.data.draw(rates),
                    mobility=self.data.draw(rates),
                    reason="internal note: GP letter outweighs the report",
                )
                maker = DECISION_MAKER

            def command() -> Recorded:
                return app.decide_pip_award(
                    claim_id,
                    decided_on=when,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    decision_maker=maker,
                    override=override,
                )

        elif name == "decide_entitlement":
            entitled = self.data.draw(st.booleans())
            reason = self.data.draw(reasons)
            entitlement_starts = claim.claim_date + timedelta(days=self.draw_int(0, 10))

            def command() -> Recorded:
                return app.decide_entitlement(
                    claim_id,
                    decided_on=when,
                    entitled=entitled,
                    reason=reason,
                    decision_maker=DECISION_MAKER,
                    starts_on=entitlement_starts if entitled else None,
                )

        elif name == "withdraw_claim":

            def command() -> Recorded:
                return app.withdraw_claim(claim_id, when, "no longer needed")

        elif name == "request_statement_of_reasons":

            def command() -> Recorded:
                return app.request_statement_of_reasons(claim_id, when)

        elif name == "request_reconsideration":
            good_reason = self.data.draw(st.sampled_from([None, "in hospital"]))
            official_error = not self.draw_int(0, 5)
            grounds = self.data.draw(st.sampled_from(["the mobility rate is wrong", " "]))

            def command() -> Recorded:
                return app.request_reconsideration(
                    claim_id,
                    requested_on=when,
                    grounds=grounds,
                    good_reason_for_lateness=good_reason,
                    official_error_alleged=official_error,
                )

        elif name == "decide_reconsideration":
            revised = None if self.data.draw(st.booleans()) else self.award(claim)
            reason = self.data.draw(reasons)

            def command() -> Recorded:
                return app.decide_reconsideration(
                    claim_id,
                    notice_sent_on=when,
                    revised_award=revised,
                    reason=reason,
                    decision_maker=DECISION_MAKER,
                )

        elif name == "lodge_appeal":
            extended = self.data.draw(st.booleans())
            sought = (self.data.draw(rates), self.data.draw(rates))

            def command() -> Recorded:
                return app.lodge_appeal(
                    claim_id,
                    lodged_on=when,
                    tribunal_extended=extended,
                    sought_daily_living=sought[0],
                    sought_mobility=sought[1],
                )

        elif name == "revise_during_appeal":
            revision = self.award(claim, always_entitled=self.data.draw(st.booleans()))

            def command() -> Recorded:
                return app.revise_during_appeal(claim_id, revised_on=when, award=revision)

        elif name == "uprate_award":
            on = self.data.draw(st.sampled_from([date(2025, 4, 7), date(2026, 4, 6)]))
            if self.data.draw(st.booleans()):

                def command() -> Recorded:
                    return app.uprate_award(claim_id, on)

            else:  # the bulk run: every award in payment on the date, written in one go

                def command() -> Recorded:
                    report = self.system.uprating.uprate_all(on)
                    return Recorded(claim_id, report.last_position)

        elif name == "accept_good_reason":
            reason = self.data.draw(st.sampled_from(["was in hospital", "was in hospital", " "]))

            def command() -> Recorded:
                return app.accept_good_reason(
                    claim_id, accepted_on=when, reason=reason, decision_maker=DECISION_MAKER
                )

        else:
            assert name == "record_appeal_outcome"
            allowed = self.data.draw(st.booleans())
            outcome_award = None if self.data.draw(st.booleans()) else self.award(claim)
            reason = self.data.draw(reasons)

            def command() -> Recorded:
                return app.record_appeal_outcome(
                    claim_id,
                    decided_on=when,
                    allowed=allowed,
                    award=outcome_award,
                    judge=JUDGE.identifier,
                    reason=reason,
                )

        self.attempt(name, command)
