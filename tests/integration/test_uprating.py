"""The annual uprating on SQLite and PostgreSQL: one event per award in payment, in bulk."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime, timedelta
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from adapters.bootstrap import Journeys
from domain.aggregate import recording_at
from domain.claim import Claim
from domain.rules.pip_assessment import Rate
from domain.values import BenefitType
from projections.model import LedgerQuery, Page, TimelineQuery
from services.clock import SimulatedClock
from services.uprating import (
    AnnualUprating,
    BulkEventWriter,
    EventTemplate,
    UpratingConflict,
    template_event,
)
from tests.integration.helpers import (
    DECISION_MAKER,
    assess,
    log_position,
    pip_claim_awaiting_assessment,
    register,
    start_claim,
    topics_since,
)

APRIL_2026 = date(2026, 4, 6)


def awarded_claim(
    journeys: Journeys, daily_living: int = 9, mobility: int = 12, months: int = 24
) -> UUID:
    """A PIP claim awarded today (standard daily living, enhanced mobility by default)."""
    customer_id = register(journeys)
    claim_id = pip_claim_awaiting_assessment(journeys, customer_id)
    assess(journeys, claim_id, daily_living, mobility)
    today = journeys.clock.today()
    journeys.application.decide_pip_award(
        claim_id,
        decided_on=today,
        starts_on=today,
        ends_on=today + timedelta(days=30 * months),
    )
    return claim_id


def uprated_events(journeys: Journeys, claim_id: UUID) -> list[Claim.AwardUprated]:
    return [
        event
        for event in journeys.application.events.get(claim_id)
        if isinstance(event, Claim.AwardUprated)
    ]


def test_every_award_in_payment_gets_exactly_one_event_and_nothing_else_does(
    journeys: Journeys,
) -> None:
    app = journeys.application
    in_payment = [awarded_claim(journeys) for _ in range(3)]
    in_payment.append(awarded_claim(journeys, daily_living=12, mobility=0))
    ended = awarded_claim(journeys, months=3)  # ends in early April, before the uprating
    not_awarded = awarded_claim(journeys, daily_living=3, mobility=3)
    undecided = pip_claim_awaiting_assessment(journeys, register(journeys))
    too_old = register(journeys, born=date(1940, 1, 1))
    disallowed = start_claim(journeys, too_old, BenefitType.PIP)  # over State Pension age
    uc_award = start_claim(journeys, register(journeys), BenefitType.UC)
    journeys.application.decide_entitlement(
        uc_award,
        decided_on=journeys.clock.today(),
        entitled=True,
        reason="meets the conditions",
        decision_maker=DECISION_MAKER,
        starts_on=journeys.clock.today(),
    )
    before = log_position(journeys)

    report = journeys.uprating.uprate_all(APRIL_2026)

    assert (report.candidates, report.uprated, report.conflicts) == (4, 4, 0)
    assert topics_since(journeys, before) == ["Claim.AwardUprated"] * 4
    for claim_id in in_payment:
        (event,) = uprated_events(journeys, claim_id)
        assert event.effective_date == APRIL_2026
        claim = app.claim(claim_id)
        assert claim.uprated_on == APRIL_2026
        assert claim.weekly_amounts == event.weekly_amounts
    standard_enhanced = app.claim(in_payment[0]).weekly_amounts
    assert standard_enhanced is not None
    assert (standard_enhanced.daily_living_pence, standard_enhanced.mobility_pence) == (7670, 8000)
    enhanced_only = app.claim(in_payment[3]).weekly_amounts
    assert enhanced_only is not None
    assert (enhanced_only.daily_living_pence, enhanced_only.mobility_pence) == (11460, 0)
    assert app.claim(disallowed).status.value == "disallowed"
    for claim_id in (ended, not_awarded, undecided, disallowed, uc_award):
        assert uprated_events(journeys, claim_id) == []
    assert report.last_position == log_position(journeys)


def test_a_second_run_for_the_same_date_adds_nothing(journeys: Journeys) -> None:
    for _ in range(2):
        awarded_claim(journeys)
    journeys.uprating.uprate_all(APRIL_2026)
    after_first = log_position(journeys)

    report = journeys.uprating.uprate_all(APRIL_2026)

    assert (report.candidates, report.uprated) == (0, 0)
    assert log_position(journeys) == after_first


def test_a_new_award_is_picked_up_by_the_next_run_and_old_ones_are_left(
    journeys: Journeys,
) -> None:
    first = awarded_claim(journeys)
    journeys.uprating.uprate_all(APRIL_2026)
    second = awarded_claim(journeys)

    report = journeys.uprating.uprate_all(APRIL_2026)

    assert report.uprated == 1
    assert len(uprated_events(journeys, first)) == len(uprated_events(journeys, second)) == 1


def test_the_stored_bytes_decode_to_the_event_the_ordinary_path_records(
    journeys: Journeys,
) -> None:
    app = journeys.application
    claim_id = awarded_claim(journeys)
    claim = app.claim(claim_id)
    moment = datetime(2026, 3, 1, 9, 30, tzinfo=journeys.clock.now().tzinfo)
    with recording_at(moment):
        claim.uprate_award(APRIL_2026)
    (ordinary,) = claim.collect_events()
    assert claim.award is not None
    assert claim.award_event is not None

    template = EventTemplate(app.mapper, template_event(claim.award, APRIL_2026, moment))
    stored = template.stored(claim_id, claim.version, claim.award_event.version)

    assert stored == app.mapper.to_stored_event(ordinary)
    decoded = app.mapper.to_domain_event(stored)
    assert type(decoded) is type(ordinary)
    assert vars(decoded) == vars(ordinary)


def test_decisions_rerun_and_the_views_show_the_weekly_amounts(journeys: Journeys) -> None:
    claim_id = awarded_claim(journeys)
    customer_id = journeys.application.claim(claim_id).customer_id
    journeys.uprating.uprate_all(APRIL_2026)

    report = journeys.ledger.replay()
    assert report.all_reproduce
    assert report.by_rule["pip.weekly_rates"] == 1

    journeys.projections.catch_up()
    view = journeys.views.read_self_service(customer_id)
    assert view is not None
    (claim,) = view.claims
    assert claim.award is not None
    assert claim.award.daily_living_weekly_pence == 7670
    assert claim.award.mobility_weekly_pence == 8000
    assert claim.award.weekly_total_pence == 15670
    assert claim.award.weekly_amounts_from == APRIL_2026
    assert "£156.70 a week from 6 April 2026" in (claim.award.amounts_text or "")
    entries, _ = journeys.views.read_timeline(
        TimelineQuery(customer_id=customer_id, kinds=("Claim.AwardUprated",)), Page()
    )
    (entry,) = entries
    assert entry.summary == (
        "Uprated from 2026-04-06: daily living £76.70, mobility £80.00 a week (£156.70)"
    )
    assert entry.decisions[0].rule_id == "pip.weekly_rates"
    ledger, total = journeys.views.read_ledger(LedgerQuery(rule_id="pip.weekly_rates"), Page())
    assert total == 1
    assert ledger[0].outcome == {
        "daily_living_pence": 7670,
        "mobility_pence": 8000,
        "total_pence": 15670,
    }


def test_the_index_agrees_with_each_claim_after_reviews_and_upratings(
    journeys: Journeys,
) -> None:
    app = journeys.application
    claim_id = awarded_claim(journeys)
    app.request_reconsideration(claim_id, requested_on=journeys.clock.today(), grounds="worse")
    journeys.uprating.uprate_all(date(2025, 4, 7))
    app.decide_reconsideration(
        claim_id,
        notice_sent_on=journeys.clock.today(),
        revised_award=None,
        reason="no change",
        decision_maker=DECISION_MAKER,
    )
    journeys.uprating.follow_log()

    (record,) = journeys.uprating.index.records([claim_id]).values()
    claim = app.claim(claim_id)
    assert record.version == claim.version
    assert record.award == claim.award
    assert claim.award_event is not None
    assert record.award_version == claim.award_event.version
    assert record.uprated_on == claim.uprated_on


class RacingWriter(BulkEventWriter):
    """Runs a rival command just before the first write: the change lands between read and write."""

    def __init__(self, inner: BulkEventWriter, rival: Callable[[], None]) -> None:
        self.inner = inner
        self.rival: Callable[[], None] | None = rival
        self.appends = 0

    def append(self, stored_events: Sequence[StoredEvent]) -> int:
        self.appends += 1
        if self.rival is not None:
            rival, self.rival = self.rival, None
            rival()
        return self.inner.append(stored_events)

    def current_versions(self, aggregate_ids: Collection[UUID]) -> dict[UUID, int]:
        return self.inner.current_versions(aggregate_ids)


def test_a_claim_changed_between_reading_and_writing_is_uprated_once_and_none_is_skipped(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    claims = [awarded_claim(journeys) for _ in range(4)]
    asked_for_reasons, uprated_alone, revised = claims[0], claims[1], claims[2]
    app.request_reconsideration(revised, requested_on=clock.today(), grounds="mobility is worse")

    def rival() -> None:
        app.request_statement_of_reasons(asked_for_reasons, clock.today())
        app.uprate_award(uprated_alone, APRIL_2026)
        app.decide_reconsideration(
            revised,
            notice_sent_on=clock.today(),
            revised_award=app.claim(revised).award.model_copy(  # type: ignore[union-attr]
                update={"daily_living": Rate.ENHANCED}
            ),
            reason="new evidence",
            decision_maker=DECISION_MAKER,
        )

    writer = RacingWriter(journeys.uprating.writer, rival)
    uprating = AnnualUprating(app, journeys.uprating.index, writer, chunk_size=10)

    report = uprating.uprate_all(APRIL_2026)

    assert writer.appends == 2  # the clash was caught by the store, and the chunk written again
    assert report.conflicts == 1
    assert (report.uprated, report.skipped) == (3, 1)  # uprated_alone was done by its rival
    for claim_id in claims:
        (event,) = uprated_events(journeys, claim_id)
        claim = app.claim(claim_id)
        assert claim.uprated_on == APRIL_2026
        assert claim.award_event is not None
        assert event.decision.input_sources["award"] == claim.award_event
    revised_amounts = app.claim(revised).weekly_amounts
    assert revised_amounts is not None
    assert revised_amounts.daily_living_pence == 11460  # the revised rate, not the old one
    assert journeys.ledger.replay().all_reproduce


class AlwaysClashing(BulkEventWriter):
    """A store where another command always gets there first."""

    def append(self, stored_events: Sequence[StoredEvent]) -> int:
        raise IntegrityError("another command stored that version first")

    def current_versions(self, aggregate_ids: Collection[UUID]) -> dict[UUID, int]:
        return {}


def test_a_chunk_that_keeps_clashing_is_reported_and_nothing_of_it_is_kept(
    journeys: Journeys,
) -> None:
    claim_id = awarded_claim(journeys)
    uprating = AnnualUprating(
        journeys.application, journeys.uprating.index, AlwaysClashing(), attempts=2
    )
    before = uprated_events(journeys, claim_id)
    with pytest.raises(UpratingConflict):
        uprating.uprate_all(APRIL_2026)
    assert uprated_events(journeys, claim_id) == before == []
