"""Every free text a customer's record takes is gone after erasure, on SQLite and PostgreSQL.

A unique string is planted in each free-text field of every command a customer's record can
receive (their own, their claims' and their DLA to PIP transition's, Special Rules,
safeguarding's and their debts'), labelled "CommandClass.field"; once the customer is erased,
none of them is found in the events table, any view, any read path, any Kafka envelope or the
print house's spool, and a rebuild after the erasure gives the same views.

The list of fields is not trusted to be complete by hand: a fast test walks every command
route's command class and fails, naming the field, on a free-text field that is neither
planted here nor exempted (with its reason) below, and on a label naming no field any more.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel

from adapters.bootstrap import Journeys
from adapters.http.app import ROUTE_MODULES
from adapters.http.commands import CommandRoute, command_route_of
from domain.aggregate import acting_as
from domain.claim import RatesOverride
from domain.errors import QuestionnaireNotOverdue
from domain.periods import add_calendar_months
from domain.rules.debt import DebtCause, HardshipKind, WaiverGround
from domain.rules.dla_child import DisablingCondition
from domain.rules.pip_assessment import Rate
from domain.rules.special_rules import ClinicianRole
from domain.six_point_plan import PlanStep, StatementDetails
from domain.special_rules import Sr1Evidence
from domain.values import (
    Actor,
    Appointee,
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    Region,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from projections.model import CaseItemQuery, Page
from services.clock import SimulatedClock
from services.journeys import JourneysApplication
from services.log import ApplicationLog
from tests.integration.helpers import (
    DECISION_MAKER,
    TRIBUNAL_JUDGE,
    daily_living_points,
    mobility_points,
    nothing_appended,
)
from tests.integration.test_erasure import NINO, _every_read, _raw_event_states
from tests.projections.helpers import dump_views, fresh_view_store, rebuild_everything
from tests.scenarios.steps import AWARD_STARTS, move_to, run_on

# -- which fields are free text, and which of them this test plants ----------------------------

PLANTED = frozenset(
    {
        # The customer.
        "RegisterCustomer.name",
        "AddSupportMarker.marker.details",
        "ReportChange.description",
        "SendMessage.subject",
        "SendMessage.body",
        "GiveReason.reason",  # a legal hold placed and lifted, and the erasure itself
        # Claims.
        "DecideEntitlement.reason",
        "WithdrawClaim.reason",
        "NegativeDetermination.good_reason",
        "AcceptGoodReason.reason",
        "DecidePipAward.override.reason",
        "RequestReconsideration.grounds",
        "RequestReconsideration.good_reason_for_lateness",
        "ReconsiderationOutcome.reason",
        "AppealOutcome.reason",
        # The DLA to PIP transition.
        "NoAppointeeNeeded.reason",
        "CompleteAgeReview.outcome",
        "AppointPipAppointee.appointee.name",
        "AppointPipAppointee.appointee.relationship",
        # Special Rules.
        "RecordSr1.signer_name",
        # Safeguarding.
        "RaiseConcern.description",
        "ReassignConcern.reason",
        "RecordConcernOutcome.outcome",
        "OpenSixPointPlan.statement",
        "RecordPlanStep.note",
        "RecordPlanStep.details.what",
        "RecordPlanStep.details.when",
        "RecordPlanStep.details.means",
        "ReleaseLumpSum.check_note",
        "ReferSeriousCase.reason",
        "RecordRecommendation.text",
        "CompleteRecommendation.outcome",
        "CloseSeriousCase.summary",
        "NotifyDeath.reference",
        # Debts.
        "RequestHardship.reason",
        "DecideHardship.reason",
        "Waive.reason",
    }
)
"""The free-text fields of command classes planted below, as "CommandClass.field[.subfield]"."""

PLANTED_WITHOUT_A_ROUTE = frozenset(
    {
        "appoint.appointee.name",
        "appoint.appointee.relationship",
        "end_appointee.reason",
    }
)
"""Free-text arguments of use cases no command route sends (the demo population uses them),
planted too, as "use_case.argument[.field]"."""

EXEMPT: dict[str, str] = {
    # Identifiers and codes, not free text about a person.
    "RegisterCustomer.nino": "an identifier (sealed and erased all the same: test_erasure.py "
    "checks it); a planted string would not be a valid NINO",
    "RegisterCustomer.contact_preferences.language": "a language code from a fixed list "
    "(declared CODE in the domain)",
    "RecordAssessment.daily_living": "its keys are the PIP activities' names, checked against "
    "the descriptors; its values are points",
    "RecordAssessment.mobility": "its keys are the PIP activities' names, checked against the "
    "descriptors; its values are points",
    # Staff ids: a colleague's, never the customer's details (kept for accountability).
    "RecordAssessment.assessor_id": "the health professional's staff id",
    "AppealOutcome.judge": "the tribunal judge's id (recorded as the decision's maker)",
    "RaiseConcern.owner": "a colleague's staff id",
    "ReassignConcern.owner": "a colleague's staff id",
    "RecordPlanStep.done_by": "a colleague's staff id",
    "RecordRecommendation.owner": "a colleague's staff id",
    # Never on a customer's record.
    "RaiseConcern.policy": "a concern is about one customer or one policy, never both: a "
    "policy's concern names no customer, so no customer's erasure reaches it",
}
"""Text fields of commands that are not planted, each with the reason."""

NEVER_STORED: dict[str, str] = {
    "NegativeDetermination.good_reason": "with a good reason the rule does not disallow: the "
    "command is refused (QuestionnaireNotOverdue) and nothing is appended",
}
"""Planted labels whose text is never stored (so not read before the erasure either)."""


def _command_routes() -> list[CommandRoute]:
    return [
        command_route
        for module in ROUTE_MODULES
        for route in module.router.routes
        if isinstance(route, APIRoute)
        and (command_route := command_route_of(route.endpoint)) is not None
    ]


def _text_paths(hint: object, path: str) -> Iterator[str]:
    """The paths of `str` in a type: itself, in a union, an Annotated, a container's
    arguments (a dict's keys too) or a pydantic model's fields, at any depth."""
    origin = typing.get_origin(hint)
    if hint is str:  # exactly str: an enum of strings is not free text
        yield path
    elif origin is typing.Annotated:
        yield from _text_paths(typing.get_args(hint)[0], path)
    elif origin is typing.Literal:
        return
    elif origin is not None:  # a union, list, tuple, set, dict, Mapping...
        for argument in typing.get_args(hint):
            yield from _text_paths(argument, path)
    elif isinstance(hint, type) and issubclass(hint, BaseModel):
        for name, field in hint.model_fields.items():
            yield from _text_paths(field.annotation, f"{path}.{name}")


def _free_text_fields() -> set[str]:
    """Every text field of every command route's command class, as "Class.field"."""
    commands = {route.command for route in _command_routes()}
    return {path for command in commands for path in _text_paths(command, command.__name__)}


def test_every_free_text_field_of_every_command_is_planted_or_exempt_with_a_reason() -> None:
    fields = _free_text_fields()
    assert "RegisterCustomer.name" in fields, "the walk over the command classes is broken"

    problems = {
        "free text neither planted nor exempt (plant it)": fields - PLANTED - EXEMPT.keys(),
        "planted or exempt, but no command has it": (PLANTED | EXEMPT.keys()) - fields,
        "both planted and exempt": PLANTED & EXEMPT.keys(),
        "never stored, but not planted": NEVER_STORED.keys() - PLANTED,
    }

    assert {problem: sorted(labels) for problem, labels in problems.items() if labels} == {}
    assert all(reason.strip() for reason in EXEMPT.values())


def test_the_route_less_use_cases_planted_exist_and_still_have_no_route() -> None:
    routed = {route.use_case.__name__ for route in _command_routes()}
    for label in PLANTED_WITHOUT_A_ROUTE:
        use_case, argument, *_ = label.split(".")
        assert use_case not in routed, f"{label}: label it by its command class now"
        assert argument in inspect.signature(getattr(JourneysApplication, use_case)).parameters


def test_the_walk_finds_text_at_any_depth_and_not_in_enums_numbers_or_dates() -> None:
    class Inner(BaseModel):
        note: typing.Annotated[str, "meta"]
        level: Rate

    class Outer(BaseModel):
        plain: str
        optional: str | None
        inner: Inner | None
        items: list[Inner]
        by_name: dict[str, int]
        when: date
        count: int

    assert sorted(set(_text_paths(Outer, "Outer"))) == [
        "Outer.by_name",
        "Outer.inner.note",
        "Outer.items.note",
        "Outer.optional",
        "Outer.plain",
    ]


# -- planting ---------------------------------------------------------------------------------


class Plants:
    """Unique strings, one per planting, each labelled by the field it went into."""

    def __init__(self) -> None:
        self.planted: list[tuple[str, str]] = []

    def __call__(self, label: str) -> str:
        assert label in PLANTED | PLANTED_WITHOUT_A_ROUTE, f"{label}: list it in PLANTED"
        planted = f"plant-{len(self.planted):02d}-{label.replace('.', '-')}"
        self.planted.append((label, planted))
        return planted

    @property
    def labels(self) -> set[str]:
        """The labels planted so far."""
        return {label for label, _ in self.planted}

    def found_in(self, text: str | bytes) -> list[str]:
        """The labels whose plants appear in the text, in planting order."""
        haystack = text.decode(errors="replace") if isinstance(text, bytes) else text
        return [label for label, planted in self.planted if planted in haystack]

    def where(self, reads: dict[str, str]) -> dict[str, list[str]]:
        """The read paths (by name) each plant found in any of them appears in, by label."""
        found: dict[str, list[str]] = {}
        for name, text in reads.items():
            for label in self.found_in(text):
                found.setdefault(label, []).append(name)
        return found

    def missing_from(self, text: str) -> list[str]:
        """The labels of plants (bar those never stored) the text does not hold."""
        return [
            label
            for label, planted in self.planted
            if planted not in text and label not in NEVER_STORED
        ]


# The young person: 14 on Monday 12 January 2026 (the age-14 review of the DLA award falls
# due), 16 on Wednesday 12 January 2028 (invited to claim PIP; a PIP appointee may act).
BORN = date(2012, 1, 12)
AGE_14, SIXTEEN = date(2026, 1, 12), date(2028, 1, 12)
PIP2_OVERDUE = date(2028, 2, 14)  # the PIP2 issued on 12 January 2028 was due by 12 February
CW_A, CW_B = Actor.caseworker("CW-501"), Actor.caseworker("CW-502")


@dataclass(frozen=True)
class Record:
    """The customer planted, and their safeguarding aggregates (not found from the customer)."""

    customer_id: UUID
    concern_id: UUID
    plan_id: UUID
    referral_id: UUID
    lump_sum_id: UUID


def _spool_text(spool: Path) -> str:
    return "".join(path.read_text() for path in sorted(spool.glob("*.json")))


def _all_reads(journeys: Journeys, record: Record) -> dict[str, str]:
    """What each read path gives about the customer, by its name: test_erasure's (every view,
    the self-service page, the timeline, contacts, the ledger, Kafka envelopes), and what
    only staff and the system read: the log's events decoded, the customer's history, the
    aggregates of their claims, journeys, debts and safeguarding, their case items."""
    customer_id = record.customer_id
    reads = {"test_erasure's read paths": _every_read(journeys, customer_id)}  # views caught up
    app, log = journeys.application, ApplicationLog(journeys.application)
    events: list[object] = []
    while batch := log.read(len(events), 500):
        events.extend(logged.event for logged in batch)
    reads["the log's events, decoded"] = "\n".join(map(repr, events))
    reads["the customer's history"] = "\n".join(map(repr, app.history(customer_id)))
    customer = app.customer(customer_id)
    aggregates = [
        *(app.claim(claim_id) for claim_id in customer.claims),
        *app.debts_of(customer_id),
        app.transition(customer_id),
        app.special_rules_case(customer_id),
        app.concern(record.concern_id),
        app.six_point_plan(record.plan_id),
        app.serious_case(record.referral_id),
        app.lump_sum(record.lump_sum_id),
    ]
    for aggregate in aggregates:
        name = f"the {type(aggregate).__name__} aggregate"
        reads[name] = reads.get(name, "") + repr(vars(aggregate))
    case_items, total = journeys.views.read_case_items(
        CaseItemQuery(customer_id=customer_id), Page(limit=500)
    )
    assert total == len(case_items)
    reads["case items"] = "\n".join(item.model_dump_json() for item in case_items)
    return reads


def _the_customer(journeys: Journeys, plant: Plants) -> UUID:
    """Registered, with a DLA appointee (then ended), a marker, a change, a message, a hold."""
    app, today = journeys.application, journeys.clock.today()
    customer_id = app.register_customer(
        nino=NINO, name=plant("RegisterCustomer.name"), date_of_birth=BORN
    ).id
    app.appoint(
        customer_id,
        Appointee(
            name=plant("appoint.appointee.name"),
            relationship=plant("appoint.appointee.relationship"),
        ),
        today,
    )
    app.end_appointee(customer_id, plant("end_appointee.reason"), today)
    app.add_support_marker(
        customer_id,
        SupportMarker(
            need=SupportNeed.HEALTH,
            duration=SupportDuration.LONG_TERM,
            details=plant("AddSupportMarker.marker.details"),
        ),
        today,
    )
    app.report_change(customer_id, plant("ReportChange.description"), today)
    app.send_message(
        customer_id, subject=plant("SendMessage.subject"), body=plant("SendMessage.body")
    )
    app.place_legal_hold(customer_id, plant("GiveReason.reason"))
    app.lift_legal_hold(customer_id, plant("GiveReason.reason"))
    return customer_id


def _safeguarding(journeys: Journeys, plant: Plants, customer_id: UUID) -> tuple[UUID, UUID, UUID]:
    """A concern, a six-point plan and a serious case, each through to its end (their ids)."""
    app, today = journeys.application, journeys.clock.today()
    concern_id = app.raise_concern(
        customer_id=customer_id,
        policy=None,
        description=plant("RaiseConcern.description"),
        owner="CW-101",
        due_on=today + timedelta(days=5),
        raised_on=today,
    ).id
    app.reassign_concern(
        concern_id, owner="CW-102", reason=plant("ReassignConcern.reason"), reassigned_on=today
    )
    app.record_concern_outcome(
        concern_id, outcome=plant("RecordConcernOutcome.outcome"), recorded_on=today
    )

    plan_id = app.open_six_point_plan(
        customer_id, statement=plant("OpenSixPointPlan.statement"), made_on=today
    ).id
    app.record_plan_step(
        plan_id,
        PlanStep.TAKEN_SERIOUSLY,
        done_by="CW-101",
        done_on=today,
        note=plant("RecordPlanStep.note"),
    )
    app.record_plan_step(
        plan_id, PlanStep.COLLEAGUE_SUMMONED, done_by="CW-102", done_on=today, note="summoned"
    )
    app.record_plan_step(
        plan_id,
        PlanStep.INFORMATION_GATHERED,
        done_by="CW-101",
        done_on=today,
        note="gathered",
        details=StatementDetails(
            what=plant("RecordPlanStep.details.what"),
            when=plant("RecordPlanStep.details.when"),
            means=plant("RecordPlanStep.details.means"),
            urgent=False,
        ),
    )

    referral_id = app.refer_serious_case(
        customer_id, reason=plant("ReferSeriousCase.reason"), referred_on=today
    ).id
    app.record_panel_recommendation(
        referral_id,
        text=plant("RecordRecommendation.text"),
        owner="CW-103",
        due_on=today + timedelta(days=30),
        made_on=today,
    )
    app.complete_panel_recommendation(
        referral_id, 1, outcome=plant("CompleteRecommendation.outcome"), completed_on=today
    )
    app.close_serious_case(referral_id, summary=plant("CloseSeriousCase.summary"), closed_on=today)
    return concern_id, plan_id, referral_id


def _debts(journeys: Journeys, plant: Plants, customer_id: UUID) -> None:
    """An overpayment: hardship asked for and decided, then part of it waived."""
    app, today = journeys.application, journeys.clock.today()
    debt_id = app.identify_overpayment(
        customer_id,
        benefit=BenefitType.DLA,
        cause=DebtCause.CLAIMANT_ERROR,
        period_from=today - timedelta(days=60),
        period_to=today - timedelta(days=30),
        amount_pence=50_000,
        identified_on=today,
    ).id
    app.request_hardship(
        debt_id,
        kind=HardshipKind.PAUSE,
        months=3,
        reason=plant("RequestHardship.reason"),
        requested_on=today,
    )
    with acting_as(DECISION_MAKER):
        app.decide_hardship(
            debt_id, agree=True, reason=plant("DecideHardship.reason"), decided_on=today
        )
        app.waive(
            debt_id,
            amount_pence=10_000,
            grounds=WaiverGround.DISTRESS,
            reason=plant("Waive.reason"),
            decided_on=today,
        )


def _child_dla_and_its_transition(journeys: Journeys, plant: Plants, customer_id: UUID) -> None:
    """Child DLA from 5 January 2026, the move to PIP started, the age-14 review done."""
    app, clock = journeys.application, journeys.clock
    assert isinstance(clock, SimulatedClock)
    dla_id = app.start_claim(
        customer_id=customer_id,
        benefit=BenefitType.DLA,
        channel=ClaimChannel.POST,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=AWARD_STARTS,
    ).id
    app.decide_entitlement(
        dla_id,
        decided_on=AWARD_STARTS,
        entitled=True,
        reason=plant("DecideEntitlement.reason"),
        decision_maker=DECISION_MAKER,
        starts_on=AWARD_STARTS,
    )
    app.start_transition(
        customer_id,
        dla_claim_id=dla_id,
        dla_weekly_pence=7_000,
        special_rules=False,
        condition=DisablingCondition.OTHER,
        region=Region.GREAT_BRITAIN,
    )
    app.record_appointee_not_needed(
        customer_id, reason=plant("NoAppointeeNeeded.reason"), effective_date=clock.today()
    )
    run_on(journeys, clock, AGE_14)  # the age-14 review falls due
    app.complete_age_review(
        customer_id, age=14, completed_on=AGE_14, outcome=plant("CompleteAgeReview.outcome")
    )


def _pip_claim_to_the_tribunal(journeys: Journeys, plant: Plants, customer_id: UUID) -> None:
    """At 16: a PIP appointee, a claim withdrawn, another disallowed for want of the PIP2 and
    reopened on a good reason, decided with an override, reconsidered and appealed."""
    app, clock = journeys.application, journeys.clock
    assert isinstance(clock, SimulatedClock)
    run_on(journeys, clock, SIXTEEN)  # letters before 16, then the invitation to claim
    app.appoint_pip_appointee(
        customer_id,
        appointee=Appointee(
            name=plant("AppointPipAppointee.appointee.name"),
            relationship=plant("AppointPipAppointee.appointee.relationship"),
        ),
        effective_date=SIXTEEN,
    )

    def claim_pip() -> UUID:
        return app.start_claim(
            customer_id=customer_id,
            benefit=BenefitType.PIP,
            channel=ClaimChannel.PHONE,
            claimant_role=ClaimantRole.CUSTOMER,
            claim_date=SIXTEEN,
        ).id

    app.withdraw_claim(claim_pip(), SIXTEEN, plant("WithdrawClaim.reason"))
    claim_id = claim_pip()
    app.issue_questionnaire(claim_id, SIXTEEN)

    move_to(clock, PIP2_OVERDUE)
    with nothing_appended(journeys), pytest.raises(QuestionnaireNotOverdue):
        app.make_negative_determination(claim_id, plant("NegativeDetermination.good_reason"))
    app.make_negative_determination(claim_id)
    app.accept_good_reason(
        claim_id,
        accepted_on=PIP2_OVERDUE,
        reason=plant("AcceptGoodReason.reason"),
        decision_maker=DECISION_MAKER,
    )
    app.return_questionnaire(claim_id, PIP2_OVERDUE)
    app.record_assessment(
        claim_id,
        assessed_on=PIP2_OVERDUE,
        daily_living=daily_living_points(9),
        mobility=mobility_points(0),
        assessor_id="HP-2002",
    )
    app.decide_pip_award(
        claim_id,
        decided_on=PIP2_OVERDUE,
        starts_on=None,  # in the transition, the day after DLA ends
        ends_on=add_calendar_months(PIP2_OVERDUE, 36),
        decision_maker=DECISION_MAKER,
        override=RatesOverride(
            daily_living=Rate.STANDARD,
            mobility=Rate.NONE,
            reason=plant("DecidePipAward.override.reason"),
        ),
    )
    app.request_reconsideration(
        claim_id,
        requested_on=PIP2_OVERDUE,
        grounds=plant("RequestReconsideration.grounds"),
        good_reason_for_lateness=plant("RequestReconsideration.good_reason_for_lateness"),
    )
    app.decide_reconsideration(
        claim_id,
        notice_sent_on=PIP2_OVERDUE,
        revised_award=None,
        reason=plant("ReconsiderationOutcome.reason"),
        decision_maker=DECISION_MAKER,
    )
    app.lodge_appeal(claim_id, lodged_on=PIP2_OVERDUE)
    app.record_appeal_outcome(
        claim_id,
        decided_on=PIP2_OVERDUE,
        allowed=False,
        award=None,
        judge=TRIBUNAL_JUDGE.identifier,
        reason=plant("AppealOutcome.reason"),
    )


def _uc_claim_with_a_lump_sum_and_an_sr1(
    journeys: Journeys, plant: Plants, customer_id: UUID
) -> UUID:
    """A UC claim: arrears held for a check (a marker, above £5,000) and released, then an
    SR1 (last of the claims: every open claim of the customer is fast-tracked). The lump
    sum's id."""
    app, today = journeys.application, journeys.clock.today()
    claim_id = app.start_claim(
        customer_id=customer_id,
        benefit=BenefitType.UC,
        channel=ClaimChannel.PHONE,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=today,
    ).id
    with acting_as(CW_A):
        lump_sum_id = app.propose_lump_sum(
            claim_id,
            amount_pence=750_000,
            period_from=today - timedelta(days=90),
            period_to=today - timedelta(days=1),
            proposed_on=today,
        ).id
    with acting_as(CW_B):
        app.release_lump_sum(
            lump_sum_id, check_note=plant("ReleaseLumpSum.check_note"), released_on=today
        )
    app.record_sr1(
        claim_id,
        received_on=today,
        evidence=Sr1Evidence(
            signer_role=ClinicianRole.GP,
            signer_name=plant("RecordSr1.signer_name"),
            signed_on=today,
            progressive_disease=True,
            death_expected_within_months=9,
        ),
    )
    return lump_sum_id


def _a_customer_given_every_free_text(journeys: Journeys, plant: Plants) -> Record:
    """Every planted command on one young person's record, in an order the rules allow.

    The death notification stops the rest, so it comes last (after the letters went out).
    """
    customer_id = _the_customer(journeys, plant)
    concern_id, plan_id, referral_id = _safeguarding(journeys, plant, customer_id)
    _debts(journeys, plant, customer_id)
    _child_dla_and_its_transition(journeys, plant, customer_id)
    _pip_claim_to_the_tribunal(journeys, plant, customer_id)
    lump_sum_id = _uc_claim_with_a_lump_sum_and_an_sr1(journeys, plant, customer_id)
    journeys.outbox.run()  # the letters go to the print house's spool
    journeys.application.notify_death(
        customer_id, journeys.clock.today(), plant("NotifyDeath.reference")
    )
    journeys.outbox.run()
    return Record(customer_id, concern_id, plan_id, referral_id, lump_sum_id)


def test_no_planted_free_text_survives_an_erasure_anywhere(journeys: Journeys) -> None:
    plant = Plants()
    record = _a_customer_given_every_free_text(journeys, plant)
    assert plant.labels == PLANTED | PLANTED_WITHOUT_A_ROUTE
    spool = journeys.settings.contact_spool_path
    assert {"SendMessage.subject", "SendMessage.body"} <= set(plant.found_in(_spool_text(spool)))
    before = "\n".join(_all_reads(journeys, record).values())
    # Each plant was stored (so that its absence afterwards means something), and sealed.
    assert plant.missing_from(before) == []
    assert [label for label in plant.found_in(before) if label in NEVER_STORED] == []
    assert plant.found_in(_raw_event_states(journeys)) == []

    journeys.erase_personal_data(record.customer_id, plant("GiveReason.reason"))

    after = _all_reads(journeys, record)
    assert plant.found_in(_spool_text(spool)) == []  # the letters not yet collected: withdrawn
    assert plant.where(after) == {}
    assert plant.found_in(_raw_event_states(journeys)) == []
    incremental = dump_views(journeys.views)
    with fresh_view_store(journeys.settings) as fresh:
        rebuild_everything(journeys, fresh)
        assert dump_views(fresh) == incremental
