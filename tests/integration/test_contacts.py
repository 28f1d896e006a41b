"""Outbound contact on both stores: one outbox, and no contact ever goes after a death.

Dates are written out. The clock starts on Monday 5 January 2026.
"""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from adapters.bootstrap import Journeys
from adapters.contact.spool import SpoolGateway
from domain.claim import Award, Claim
from domain.customer import Customer
from domain.letters import LETTERS
from domain.rules.debt import DebtCause, WaiverGround
from domain.values import BenefitType, Region
from projections.model import CaseItem, CaseItemKind, CaseItemQuery, Page
from services.clock import SimulatedClock
from services.deadlines import SchedulerRun
from tests.integration.helpers import DECISION_MAKER, register, start_claim
from tests.scenarios.steps import Child, child_on_dla, move_to, run_on

FORBIDDEN = re.compile(
    r"special rules|terminal|\bSR1\b|end of life|life expectancy|prognosis", re.IGNORECASE
)
JUDGE = DECISION_MAKER.model_copy(update={"identifier": "JUDGE-1"})


def spool_of(journeys: Journeys) -> SpoolGateway:
    gateway = journeys.outbox.gateway
    assert isinstance(gateway, SpoolGateway)
    return gateway


def spooled(journeys: Journeys) -> list[dict[str, object]]:
    spool = spool_of(journeys)
    return spool.delivered() if spool.directory.exists() else []


def contact_items(journeys: Journeys, customer_id: UUID) -> list[CaseItem]:
    journeys.projections.catch_up()
    items, _ = journeys.views.read_case_items(
        CaseItemQuery(kind=CaseItemKind.CONTACT, customer_id=customer_id), Page(limit=500)
    )
    return items


def refusals(journeys: Journeys, customer_id: UUID) -> list[Customer.ContactRefused]:
    return [
        e
        for e in journeys.application.events.get(customer_id)
        if isinstance(e, Customer.ContactRefused)
    ]


def entitled_from(day: date) -> Award:
    return Award(entitled=True, starts_on=day, ends_on=None)


def test_a_caseworker_message_is_spooled_once_and_shown_as_sent(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    ada = register(journeys)
    contact_id = journeys.application.send_message(
        ada, subject="Your appointment", body="Please call us on Monday."
    ).id
    [queued] = contact_items(journeys, ada)
    assert (queued.item_id, queued.status, queued.open) == (contact_id, "queued", True)

    run = journeys.outbox.run()

    assert [c.contact_id for c in run.sent] == [contact_id]
    [document] = spooled(journeys)
    assert document["contact_id"] == str(contact_id)
    assert (document["subject"], document["body"]) == (
        "Your appointment",
        "Please call us on Monday.",
    )
    assert journeys.outbox.run().sent == []
    assert len(spooled(journeys)) == 1
    [sent] = contact_items(journeys, ada)
    assert (sent.status, sent.open, sent.closed_on) == ("sent", False, date(2026, 1, 5))


def test_a_pip2_letter_is_queued_with_the_questionnaire_and_spooled_in_plain_words(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    ada = register(journeys)
    claim_id = start_claim(journeys, ada, BenefitType.PIP)
    journeys.application.issue_questionnaire(claim_id, date(2026, 1, 5))
    journeys.outbox.run()
    [letter] = spooled(journeys)
    assert letter["template_id"] == "pip2"
    assert "return it by 5 February 2026" in str(letter["body"])
    assert letter["about"] == {"aggregate_id": str(claim_id), "version": 2}


def test_death_stops_payments_on_every_award_in_payment(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    ada = register(journeys)
    paid = start_claim(journeys, ada, BenefitType.UC)
    ended = start_claim(journeys, ada, BenefitType.ESA)
    undecided = start_claim(journeys, ada, BenefitType.AA)
    app.decide_entitlement(
        paid,
        decided_on=date(2026, 1, 5),
        entitled=True,
        reason="meets the conditions",
        decision_maker=DECISION_MAKER,
        starts_on=date(2026, 1, 5),
    )
    app.decide_entitlement(
        ended,
        decided_on=date(2026, 1, 5),
        entitled=True,
        reason="meets the conditions",
        decision_maker=DECISION_MAKER,
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 1, 9),
    )
    move_to(clock, date(2026, 1, 14))
    app.notify_death(ada, date(2026, 1, 12), "TUO-77")

    stopped = [e for e in app.events.get(paid) if isinstance(e, Claim.PaymentsStopped)]
    assert [(e.effective_date, e.date_of_death) for e in stopped] == [
        (date(2026, 1, 13), date(2026, 1, 12))
    ]
    assert app.claim(paid).payments_stopped_from == date(2026, 1, 13)
    # An award that ended before the death, and an undecided claim, have nothing to stop.
    assert app.claim(ended).payments_stopped_from is None
    assert app.claim(undecided).payments_stopped_from is None


def _transition_letters_after_a_death_in_the_race_window(
    journeys: Journeys, clock: SimulatedClock, gb: Child, ni: Child
) -> list[SchedulerRun]:
    """The death reaches the customer's record while their transition is still open.

    notify_death closes the transition in the same save, so the scheduler normally has
    nothing left to fire; this records the death on the customer alone (the window a
    concurrent firing could meet) to show the letters the firing implies are refused.
    """
    app = journeys.application
    for child in (gb, ni):
        app._change_customer(
            child.customer_id,
            lambda c: c.notify_death(date(2026, 1, 6), "TUO-RACE", clock.today()),
        )
    return [
        run_on(journeys, clock, date(2027, 1, 15)),  # NI letter at 15 years 7 months
        run_on(journeys, clock, date(2027, 3, 12)),  # GB invitation on the 16th birthday
        run_on(journeys, clock, date(2027, 4, 9)),  # GB: no claim: suspension, second notice
        run_on(journeys, clock, date(2027, 4, 20)),  # the closed journey's invitation day
        run_on(journeys, clock, date(2027, 5, 7)),  # GB: still no claim: DLA ends
    ]


def test_every_contact_path_after_a_death_is_refused_recorded_and_shown_to_caseworkers(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    # Monday 5 January 2026: Ada claims PIP, UC, ESA and AA; three young people are on DLA.
    ada = register(journeys)
    pip = start_claim(journeys, ada, BenefitType.PIP)
    uc = start_claim(journeys, ada, BenefitType.UC)
    esa = start_claim(journeys, ada, BenefitType.ESA)
    aa = start_claim(journeys, ada, BenefitType.AA)
    gb = child_on_dla(journeys, born=date(2011, 3, 12))
    ni = child_on_dla(journeys, born=date(2011, 6, 15), region=Region.NORTHERN_IRELAND)
    closed = child_on_dla(journeys, born=date(2011, 4, 20))

    # Before the death the message goes (with the young people's DLA decision letters); two
    # decision letters of Ada's are then queued, not yet released.
    app.send_message(ada, subject="We have your claims", body="We will write again soon.")
    assert len(journeys.outbox.run().sent) == 4
    for claim_id in (uc, esa):
        app.decide_entitlement(
            claim_id,
            decided_on=date(2026, 1, 5),
            entitled=True,
            reason="meets the conditions",
            decision_maker=DECISION_MAKER,
            starts_on=date(2026, 1, 5),
        )
    before_death = spooled(journeys)

    # Wednesday 14 January 2026: Ada's death (on 12 January) is notified.
    move_to(clock, date(2026, 1, 14))
    app.notify_death(ada, date(2026, 1, 12), "TUO-1")
    app.notify_death(closed.customer_id, date(2026, 1, 12), "TUO-2")

    # 1. A caseworker's message.
    app.send_message(ada, subject="Your claim", body="Please call us.")
    # 2. Every registered letter a claim can still cause, through its real use case.
    app.issue_questionnaire(pip, date(2026, 1, 14))  # PIP2, due 14 February
    for claim_id in (uc, esa):
        app.request_reconsideration(claim_id, requested_on=date(2026, 1, 14), grounds="rate")
        app.decide_reconsideration(
            claim_id,
            notice_sent_on=date(2026, 1, 14),
            revised_award=None,
            reason="the evidence supports the decision",
            decision_maker=DECISION_MAKER,
        )
        app.lodge_appeal(claim_id, lodged_on=date(2026, 1, 14))
    app.revise_during_appeal(
        uc, revised_on=date(2026, 1, 14), award=entitled_from(date(2026, 1, 6))
    )
    app.record_appeal_outcome(
        esa,
        decided_on=date(2026, 1, 14),
        allowed=False,
        award=None,
        judge=JUDGE.identifier,
        reason="the decision was right",
    )
    # A debt: UC paid after the death is owed by the estate (no notice is even tried), and
    # writing part of it off would mean a letter.
    debt = app.identify_overpayment(
        ada,
        benefit=BenefitType.UC,
        cause=DebtCause.OFFICIAL_ERROR,
        period_from=date(2026, 1, 13),
        period_to=date(2026, 1, 14),
        amount_pence=9_000,
        identified_on=date(2026, 1, 14),
    ).id
    app.waive(
        debt,
        amount_pence=1_000,
        grounds=WaiverGround.OTHER,
        reason="rounding",
        decided_on=date(2026, 1, 14),
    )
    # Monday 16 February 2026: the PIP2 is overdue.
    move_to(clock, date(2026, 2, 16))
    app.make_negative_determination(pip)  # disallowed
    app.accept_good_reason(
        pip, accepted_on=date(2026, 2, 16), reason="in hospital", decision_maker=DECISION_MAKER
    )
    app.decide_entitlement(
        aa,
        decided_on=date(2026, 2, 16),
        entitled=True,
        reason="meets the conditions",
        decision_maker=DECISION_MAKER,
        starts_on=date(2026, 1, 5),
    )
    # 3. The scheduler: the transition letters it fires in the race window are refused, and
    # for the young person whose death closed the journey it fires nothing at all.
    runs = _transition_letters_after_a_death_in_the_race_window(journeys, clock, gb, ni)
    assert sum(len(run.fired) for run in runs) > 0
    assert all(d.aggregate_id != closed.transition_id for run in runs for d in run.fired)
    # 4. The contacts queued before the death, now dispatched.
    run = journeys.outbox.run()

    assert run.sent == []
    assert len(run.refused) == 2
    assert spooled(journeys) == before_death  # the gateway got nothing after the death

    refused = refusals(journeys, ada)
    assert sorted(r.message.template_id for r in refused) == sorted(
        [
            "caseworker_message",
            "pip2",
            "claim_disallowed",
            "claim_continues",
            "award_decision",  # AA, decided after the death
            "award_decision",  # UC, queued before, refused at dispatch
            "award_decision",  # ESA, queued before, refused at dispatch
            "mr_notice",
            "mr_notice",
            "revised_decision",
            "appeal_decision",
            "debt_waived",
        ]
    )
    at_dispatch = [r for r in refused if r.reason.endswith("after the message was queued")]
    assert len(at_dispatch) == 2
    children = [r for child in (gb, ni) for r in refusals(journeys, child.customer_id)]
    assert sorted(r.message.template_id for r in children) == [
        "dla_pip_dla_ended",
        "dla_pip_invitation",
        "dla_pip_pre_16",  # NI: 15 January 2027
        "dla_pip_pre_16",  # NI: 15 April 2027 (run on 20 April)
        "dla_pip_second_notice",
    ]
    assert refusals(journeys, closed.customer_id) == []  # closed: nothing even tried
    # Every registered letter that can arise after a death was tried (a new PIP claim, which
    # DlaRestarted and DlaReinstated need, cannot be started for a deceased customer; a debt
    # found after a death goes to the estate unnotified, and a death drops any hardship
    # request, so no hardship decision follows).
    tried = {r.message.template_id for r in (*refused, *children)}
    assert {t.template_id for t in LETTERS.values()} - tried == {
        "dla_pip_dla_restarted",
        "dla_pip_dla_reinstated",
        "debt_notice",
        "debt_hardship_decision",
    }
    for r in (*refused, *children):
        assert r.reason.startswith("death notified (date of death ")
        assert not FORBIDDEN.search(r.message.body)

    items = contact_items(journeys, ada)
    assert sorted(item.status for item in items) == ["refused"] * 12 + ["sent"]
    for item in items:
        if item.status == "refused":
            assert not item.open
            assert item.details["reason"].startswith("death notified (date of death 2026-01-12)")
            assert item.title.startswith("Not sent (letter): ")
