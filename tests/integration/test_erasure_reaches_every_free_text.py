"""Every free text a customer's record takes is gone after erasure, on SQLite and PostgreSQL.

A unique string is planted in each free-text field of the commands a customer's record can
receive (their own, their claims', safeguarding's and their debts'); once the customer is
erased, none of them is found in the events table, any view, any read path, any Kafka
envelope or the print house's spool, and a rebuild after the erasure gives the same views.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from uuid import UUID

from adapters.bootstrap import Journeys
from domain.rules.debt import DebtCause, HardshipKind
from domain.six_point_plan import PlanStep, StatementDetails
from domain.values import (
    Appointee,
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from tests.integration.helpers import DECISION_MAKER
from tests.integration.test_erasure import BORN, NINO, _every_read, _raw_event_states
from tests.projections.helpers import dump_views, fresh_view_store, rebuild_everything


class Plants:
    """Unique strings, one per free-text field, named by the field they went into."""

    def __init__(self) -> None:
        self.by_field: dict[str, str] = {}

    def __call__(self, field: str) -> str:
        planted = f"plant-{len(self.by_field):02d}-{field.replace('.', '-')}"
        self.by_field[field] = planted
        return planted

    def found_in(self, text: str | bytes) -> list[str]:
        """The fields whose plant appears in the text."""
        haystack = text.decode(errors="replace") if isinstance(text, bytes) else text
        return [field for field, planted in self.by_field.items() if planted in haystack]


def _spool_text(spool: Path) -> str:
    return "".join(path.read_text() for path in sorted(spool.glob("*.json")))


def _a_customer_given_every_free_text(journeys: Journeys, plant: Plants) -> UUID:
    app, today = journeys.application, journeys.clock.today()
    customer_id = app.register_customer(
        nino=NINO, name=plant("register.name"), date_of_birth=BORN
    ).id
    app.appoint(
        customer_id,
        Appointee(name=plant("appointee.name"), relationship=plant("appointee.relationship")),
        today,
    )
    app.end_appointee(customer_id, plant("end_appointee.reason"), today)
    app.add_support_marker(
        customer_id,
        SupportMarker(
            need=SupportNeed.HEALTH,
            duration=SupportDuration.SHORT_TERM,
            details=plant("support_marker.details"),
        ),
        today,
    )
    app.report_change(customer_id, plant("report_change.description"), today)
    app.send_message(customer_id, subject=plant("message.subject"), body=plant("message.body"))
    app.place_legal_hold(customer_id, plant("legal_hold.placed_reason"))
    app.lift_legal_hold(customer_id, plant("legal_hold.lifted_reason"))

    claim_id = app.start_claim(
        customer_id=customer_id,
        benefit=BenefitType.PIP,
        channel=ClaimChannel.PHONE,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=today,
    ).id
    app.withdraw_claim(claim_id, today, plant("withdraw_claim.reason"))
    decided_id = app.start_claim(
        customer_id=customer_id,
        benefit=BenefitType.UC,
        channel=ClaimChannel.PHONE,
        claimant_role=ClaimantRole.CUSTOMER,
        claim_date=today,
    ).id
    app.decide_entitlement(
        decided_id,
        decided_on=today,
        entitled=False,
        reason=plant("decide_entitlement.reason"),
        decision_maker=DECISION_MAKER,
    )
    app.request_reconsideration(
        decided_id,
        requested_on=today,
        grounds=plant("reconsideration.grounds"),
        good_reason_for_lateness=plant("reconsideration.good_reason_for_lateness"),
    )

    concern_id = app.raise_concern(
        customer_id=customer_id,
        policy=None,
        description=plant("concern.description"),
        owner="CW-101",
        due_on=today + timedelta(days=5),
        raised_on=today,
    ).id
    app.reassign_concern(
        concern_id, owner="CW-102", reason=plant("concern.reassign_reason"), reassigned_on=today
    )
    app.record_concern_outcome(concern_id, outcome=plant("concern.outcome"), recorded_on=today)

    plan_id = app.open_six_point_plan(
        customer_id, statement=plant("plan.statement"), made_on=today
    ).id
    app.record_plan_step(
        plan_id,
        PlanStep.TAKEN_SERIOUSLY,
        done_by="CW-101",
        done_on=today,
        note=plant("plan.step_note"),
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
            what=plant("plan.details.what"),
            when=plant("plan.details.when"),
            means=plant("plan.details.means"),
            urgent=False,
        ),
    )

    referral_id = app.refer_serious_case(
        customer_id, reason=plant("serious_case.reason"), referred_on=today
    ).id
    app.record_panel_recommendation(
        referral_id,
        text=plant("serious_case.recommendation"),
        owner="CW-103",
        due_on=today + timedelta(days=30),
        made_on=today,
    )
    app.complete_panel_recommendation(
        referral_id, 1, outcome=plant("serious_case.recommendation_outcome"), completed_on=today
    )
    app.close_serious_case(referral_id, summary=plant("serious_case.summary"), closed_on=today)

    debt_id = app.identify_overpayment(
        customer_id,
        benefit=BenefitType.PIP,
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
        reason=plant("hardship.reason"),
        requested_on=today,
    )
    return customer_id


def test_no_planted_free_text_survives_an_erasure_anywhere(journeys: Journeys) -> None:
    plant = Plants()
    customer_id = _a_customer_given_every_free_text(journeys, plant)
    journeys.outbox.run()  # the letters go to the print house's spool
    spool = journeys.settings.contact_spool_path
    assert plant.found_in(_spool_text(spool)) == ["message.subject", "message.body"]
    before = _every_read(journeys, customer_id)
    # Each plant was stored (so that its absence afterwards means something), and sealed.
    assert plant.found_in(before) == list(plant.by_field)
    assert plant.found_in(_raw_event_states(journeys)) == []

    journeys.erase_personal_data(customer_id, "the customer asked")

    after = _every_read(journeys, customer_id)
    assert plant.found_in(_spool_text(spool)) == []  # the letters not yet collected: withdrawn
    assert plant.found_in(after) == []
    assert plant.found_in(_raw_event_states(journeys)) == []
    incremental = dump_views(journeys.views)
    with fresh_view_store(journeys.settings) as fresh:
        rebuild_everything(journeys, fresh)
        assert dump_views(fresh) == incremental
