"""The views as screens use them, on SQLite and PostgreSQL: texts, deadlines, filters, pages.

Each test drives the real application (the clock moved by hand), catches the projections up
and reads through the view store's query methods, the same ones the HTTP API calls.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from adapters.bootstrap import Journeys
from domain.aggregate import acting_as
from domain.claim import Award, RatesOverride
from domain.rules.pip_assessment import Rate
from domain.values import (
    Actor,
    ActorKind,
    Appointee,
    BenefitType,
    ClaimantRole,
    ClaimChannel,
    SupportDuration,
    SupportMarker,
    SupportNeed,
)
from projections.model import (
    AwardSummary,
    DeclaredSupport,
    LedgerEntry,
    LedgerQuery,
    NextStep,
    Page,
    ReportedChange,
    Right,
    SelfServiceClaim,
    SelfServiceView,
    TimelineEntry,
    TimelineQuery,
    Worklist,
)
from services.clock import SimulatedClock
from tests.integration.helpers import (
    DECISION_MAKER,
    TRIBUNAL_JUDGE,
    assess,
    log_position,
    pip_award,
    register,
    start_claim,
)
from tests.projections.helpers import (
    dump_views,
)

ALL = Page(limit=500)


def on(clock: SimulatedClock, day: date, hour: int = 9) -> date:
    """Move the clock to a day (at 09:00 UTC unless told otherwise); returns the day."""
    clock.set(datetime(day.year, day.month, day.day, hour, tzinfo=UTC))
    return day


def self_service(journeys: Journeys, customer_id: UUID) -> SelfServiceView:
    journeys.projections.catch_up()
    view = journeys.views.read_self_service(customer_id)
    assert view is not None
    return view


def the_claim(journeys: Journeys, customer_id: UUID) -> SelfServiceClaim:
    (claim,) = self_service(journeys, customer_id).claims
    return claim


# -- self-service ---------------------------------------------------------------------------


def test_self_service_follows_a_pip_claim_in_plain_language_with_every_deadline(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer = register(journeys, name="Ada Lovelace")
    claim_id = start_claim(journeys, customer, BenefitType.PIP)  # 5 January 2026

    claim = the_claim(journeys, customer)
    assert (claim.claim_id, claim.benefit, claim.made_on) == (claim_id, "PIP", date(2026, 1, 5))
    assert (claim.status, claim.status_text) == ("started", "We have your claim")
    assert claim.next_step == NextStep(
        who="us", text="We will send you a questionnaire (PIP2) to fill in."
    )
    assert (claim.decided_on, claim.award, claim.rights, claim.dispute) == (None, None, (), "none")

    app.issue_questionnaire(claim_id, on(clock, date(2026, 1, 31)))
    claim = the_claim(journeys, customer)
    assert claim.status_text == "Waiting for your questionnaire"
    assert claim.next_step == NextStep(
        who="you",
        text="Return your questionnaire (PIP2) by 28 February 2026.",
        by=date(2026, 2, 28),  # a month after 31 January: the last day of February
    )

    app.return_questionnaire(claim_id, on(clock, date(2026, 2, 20)))
    claim = the_claim(journeys, customer)
    assert (claim.status, claim.status_text) == (
        "awaiting_assessment",
        "We have your questionnaire",
    )
    assert claim.next_step is not None
    assert claim.next_step.who == "us"
    assert "A health professional will assess" in claim.next_step.text

    on(clock, date(2026, 3, 10))
    assess(journeys, claim_id, daily_living=9, mobility=12)
    claim = the_claim(journeys, customer)
    assert claim.status_text == "Your assessment is done"
    assert claim.next_step == NextStep(who="us", text="We will write to you with our decision.")

    app.decide_pip_award(
        claim_id,
        decided_on=on(clock, date(2026, 3, 31)),
        starts_on=date(2026, 1, 5),
        ends_on=date(2028, 1, 4),
    )
    claim = the_claim(journeys, customer)
    assert (claim.status, claim.status_text, claim.next_step) == ("awarded", "Awarded", None)
    assert claim.decided_on == date(2026, 3, 31)
    assert claim.award == AwardSummary(
        entitled=True,
        text="You get PIP: the daily living part at the standard rate and the mobility part at "
        "the enhanced rate from 5 January 2026 to 4 January 2028.",
        daily_living="standard rate",
        mobility="enhanced rate",
        starts_on=date(2026, 1, 5),
        ends_on=date(2028, 1, 4),
    )
    assert claim.decision_reasons[0].startswith("Daily living activities scored 9 points")
    assert claim.rights == (
        Right(
            kind="statement_of_reasons",
            text="Ask us to explain our decision in writing by 30 April 2026. This gives you "
            "14 more days to ask us to look at it again.",
            by=date(2026, 4, 30),
        ),
        Right(
            kind="reconsideration",
            text="If you disagree, ask us to look at the decision again (mandatory "
            "reconsideration) by 30 April 2026.",
            by=date(2026, 4, 30),
        ),
    )

    app.request_statement_of_reasons(claim_id, on(clock, date(2026, 4, 20)))
    claim = the_claim(journeys, customer)
    assert claim.statement_of_reasons_asked_on == date(2026, 4, 20)
    assert claim.rights == (
        Right(
            kind="reconsideration",
            text="If you disagree, ask us to look at the decision again (mandatory "
            "reconsideration) by 14 May 2026.",
            by=date(2026, 5, 14),  # 30 April + 14 days for the statement of reasons
        ),
    )

    app.request_reconsideration(
        claim_id, requested_on=on(clock, date(2026, 5, 12)), grounds="mobility is worse"
    )
    claim = the_claim(journeys, customer)
    assert (claim.dispute, claim.rights) == ("reconsideration_requested", ())
    assert claim.next_step == NextStep(
        who="us", text="We are looking at your decision again and will write to you."
    )

    app.decide_reconsideration(
        claim_id,
        notice_sent_on=on(clock, date(2026, 5, 31)),
        revised_award=None,
        reason="the evidence supports the decision",
        decision_maker=DECISION_MAKER,
    )
    claim = the_claim(journeys, customer)
    assert (claim.dispute, claim.status, claim.next_step) == ("reconsidered", "awarded", None)
    assert claim.decision_reasons == ("We looked at the decision again: it was not changed.",)
    assert claim.rights == (
        Right(
            kind="appeal",
            text="If you still disagree, you can appeal to the tribunal by 30 June 2026.",
            by=date(2026, 6, 30),
        ),
    )

    app.lodge_appeal(claim_id, lodged_on=on(clock, date(2026, 6, 15)))
    claim = the_claim(journeys, customer)
    assert (claim.dispute, claim.rights) == ("appeal_lodged", ())
    assert claim.next_step == NextStep(
        who="us", text="Your appeal is with the tribunal. We will tell you the outcome."
    )

    app.record_appeal_outcome(
        claim_id,
        decided_on=on(clock, date(2026, 9, 1)),
        allowed=True,
        award=pip_award(Rate.ENHANCED, Rate.ENHANCED, date(2026, 1, 5), months=36),
        judge=TRIBUNAL_JUDGE.identifier,
        reason="the appellant's evidence is accepted",
    )
    view = self_service(journeys, customer)
    (claim,) = view.claims
    assert (claim.dispute, claim.status, claim.rights) == ("appeal_decided", "awarded", ())
    assert claim.decision_reasons == ("The tribunal allowed your appeal.",)
    assert claim.award is not None
    assert claim.award.text == (
        "You get PIP: the daily living part at the enhanced rate and the mobility part at the "
        "enhanced rate from 5 January 2026 to 5 January 2029."
    )
    assert view.name == "Ada Lovelace"
    assert view.position == log_position(journeys)


def test_an_mr_notice_on_31_january_gives_until_28_february_to_appeal(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer = register(journeys)
    claim_id = start_claim(journeys, customer, BenefitType.UC)  # 5 January 2026
    app.decide_entitlement(
        claim_id,
        decided_on=date(2026, 1, 5),
        entitled=False,
        reason="income is above the limit",
        decision_maker=DECISION_MAKER,
    )
    claim = the_claim(journeys, customer)
    assert (claim.status, claim.status_text) == ("not_awarded", "Not awarded")
    assert claim.award == AwardSummary(entitled=False, text="You are not entitled to UC.")
    # The decision maker's own words stay with caseworkers: the customer reads a template.
    assert claim.decision_reasons == ("We decided that you are not entitled to UC.",)
    assert [(right.kind, right.by) for right in claim.rights] == [
        ("statement_of_reasons", date(2026, 2, 5)),
        ("reconsideration", date(2026, 2, 5)),
    ]

    app.request_reconsideration(
        claim_id, requested_on=on(clock, date(2026, 1, 20)), grounds="my income fell"
    )
    app.decide_reconsideration(
        claim_id,
        notice_sent_on=on(clock, date(2026, 1, 31)),
        revised_award=Award(entitled=True, starts_on=date(2026, 1, 5)),
        reason="payslips show the income fell",
        decision_maker=DECISION_MAKER,
    )
    claim = the_claim(journeys, customer)
    assert (claim.status, claim.dispute) == ("awarded", "reconsidered")
    assert claim.award is not None
    assert claim.award.text == "You get UC from 5 January 2026."
    assert claim.decision_reasons == ("We looked at the decision again: it was changed.",)
    assert claim.rights == (
        Right(
            kind="appeal",
            text="If you still disagree, you can appeal to the tribunal by 28 February 2026.",
            by=date(2026, 2, 28),
        ),
    )

    app.lodge_appeal(claim_id, lodged_on=on(clock, date(2026, 2, 27)))
    app.revise_during_appeal(
        claim_id,
        revised_on=on(clock, date(2026, 3, 10)),
        award=Award(entitled=True, starts_on=date(2026, 1, 5)),
    )
    claim = the_claim(journeys, customer)
    assert (claim.dispute, claim.next_step) == ("appeal_lapsed", None)
    assert claim.decision_reasons == (
        "We changed our decision in your favour, so your appeal has ended.",
    )


def test_self_service_says_why_a_claim_closed_when_the_pip2_never_came_back(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer = register(journeys)
    claim_id = start_claim(journeys, customer, BenefitType.PIP)
    app.issue_questionnaire(claim_id, date(2026, 1, 5))  # due back by 5 February
    on(clock, date(2026, 2, 6))
    app.make_negative_determination(claim_id)

    claim = the_claim(journeys, customer)
    assert (claim.status, claim.status_text, claim.next_step) == (
        "disallowed",
        "Claim closed",
        None,
    )
    assert claim.decision_reasons[0] == "We did not get your questionnaire back in time."
    assert claim.award == AwardSummary(entitled=False, text="You are not entitled to PIP.")
    assert [(right.kind, right.by) for right in claim.rights] == [
        ("statement_of_reasons", date(2026, 3, 6)),
        ("reconsideration", date(2026, 3, 6)),
    ]


def test_self_service_shows_declared_support_reported_changes_and_the_appointee(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer = register(journeys)
    view = self_service(journeys, customer)
    assert (view.support, view.reported_changes, view.appointee) == ((), (), None)
    assert view.position == log_position(journeys)  # the registration's own position
    app.add_support_marker(
        customer,
        SupportMarker(need=SupportNeed.HEALTH, duration=SupportDuration.LONG_TERM),
        date(2026, 1, 2),
    )
    app.add_support_marker(
        customer,
        SupportMarker(need=SupportNeed.LITERACY, duration=SupportDuration.ONE_OFF),
        date(2026, 1, 3),
    )
    app.add_support_marker(  # replaces the health marker
        customer,
        SupportMarker(need=SupportNeed.HEALTH, duration=SupportDuration.SHORT_TERM),
        date(2026, 1, 4),
    )
    app.report_change(customer, "moved house", date(2026, 1, 3))
    app.appoint(customer, Appointee(name="Sam Lovelace", relationship="son"), date(2026, 1, 5))

    view = self_service(journeys, customer)
    assert view.support == (
        DeclaredSupport(need="literacy", duration="one_off", since=date(2026, 1, 3)),
        DeclaredSupport(need="health", duration="short_term", since=date(2026, 1, 4)),
    )
    assert view.reported_changes == (
        ReportedChange(effective_date=date(2026, 1, 3), description="moved house"),
    )
    assert view.appointee == "Sam Lovelace"

    app.remove_support_marker(customer, SupportNeed.LITERACY, date(2026, 1, 5))
    app.end_appointee(customer, "no longer needed", date(2026, 1, 5))
    view = self_service(journeys, customer)
    assert [support.need for support in view.support] == ["health"]
    assert view.appointee is None


def test_internal_only_information_never_reaches_the_self_service_document(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    """A third party's Special Rules claim, staff, notes and safeguarding stay internal."""
    app = journeys.application
    customer = register(journeys, name="Ada Lovelace")
    with acting_as(Actor.caseworker("CW-104")):
        app.add_support_marker(
            customer,
            SupportMarker(
                need=SupportNeed.MENTAL_CAPACITY,
                duration=SupportDuration.LONG_TERM,
                details="safeguarding concern: financial abuse by a relative",
            ),
            date(2026, 1, 5),
        )
    with acting_as(Actor(kind=ActorKind.THIRD_PARTY, identifier="hospice-nurse-17")):
        claim_id = app.start_claim(
            customer_id=customer,
            benefit=BenefitType.PIP,
            channel=ClaimChannel.PHONE,
            claimant_role=ClaimantRole.THIRD_PARTY,
            claim_date=date(2026, 1, 5),
        ).id
    with acting_as(Actor.caseworker("CW-104")):
        app.issue_questionnaire(claim_id, date(2026, 1, 5))
        app.return_questionnaire(claim_id, date(2026, 1, 5))
        assess(journeys, claim_id, daily_living=4, mobility=4)
        app.decide_pip_award(
            claim_id,
            decided_on=date(2026, 1, 5),
            starts_on=date(2026, 1, 5),
            ends_on=date(2027, 1, 5),
            decision_maker=DECISION_MAKER,
            override=RatesOverride(
                daily_living=Rate.ENHANCED,
                mobility=Rate.NONE,
                reason="internal note: terminally ill, the assessor's report is outdated",
            ),
        )

    view = self_service(journeys, customer)
    (claim,) = view.claims
    assert claim.status == "awarded"  # the document is there and up to date...
    stored = {str(row[0]): str(row[1]) for row in dump_views(journeys.views)["view_self_service"]}
    for document in (stored[str(customer)], view.model_dump_json()):
        text = document.lower()
        for internal in (
            "third_party",
            "third party",
            "claimant",
            "hospice-nurse-17",
            "cw-104",
            "dm-1001",
            "hp-2002",
            "caseworker",
            "safeguarding",
            "financial abuse",
            "internal note",
            "terminally ill",
            "override",
            "caused_by",
        ):
            assert internal not in text, f"{internal!r} reached the self-service document"

    # ...while the caseworker's timeline keeps all of it.
    entries, _ = journeys.views.read_timeline(TimelineQuery(customer_id=customer), ALL)
    started = next(entry for entry in entries if entry.kind == "Claim.Started")
    assert started.summary == "PIP claim made by third_party via phone"
    assert started.caused_by == "third_party:hospice-nurse-17"
    marker = next(entry for entry in entries if entry.kind == "Customer.SupportMarkerAdded")
    assert "safeguarding concern" in marker.summary
    decided = next(entry for entry in entries if entry.kind == "Claim.AwardDecided")
    assert decided.caused_by == "caseworker:CW-104"
    assert decided.decisions[0].overridden_by == "caseworker:DM-1001"


# -- the caseworker timeline -------------------------------------------------------------------


def test_the_timeline_is_in_log_order_filtered_by_kind_and_periods_and_paginated(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    ada = register(journeys, name="Ada")  # 5 January, 09:00
    on(clock, date(2026, 1, 6))
    ben = register(journeys, name="Ben")
    with acting_as(Actor.caseworker("CW-104")):
        app.add_support_marker(
            ada,
            SupportMarker(need=SupportNeed.SENSORY, duration=SupportDuration.LONG_TERM),
            date(2026, 1, 6),
        )
    on(clock, date(2026, 1, 7))
    claim_id = start_claim(journeys, ada, BenefitType.UC)
    start_claim(journeys, ben, BenefitType.ESA)
    on(clock, date(2026, 1, 8))
    app.decide_entitlement(
        claim_id,
        decided_on=date(2026, 1, 8),
        entitled=True,
        reason="meets the conditions",
        decision_maker=DECISION_MAKER,
        starts_on=date(2026, 1, 7),
    )
    on(clock, date(2026, 1, 9))
    app.report_change(ada, "started part-time work", date(2026, 1, 2))
    journeys.projections.catch_up()

    def timeline(page: Page = ALL, **filters: object) -> tuple[list[TimelineEntry], int]:
        query = TimelineQuery.model_validate({"customer_id": ada, **filters})
        return journeys.views.read_timeline(query, page)

    entries, total = timeline()
    assert total == len(entries) == 7
    assert [entry.kind for entry in entries] == [
        "Customer.Registered",
        "Customer.SupportMarkerAdded",
        "Customer.ClaimOpened",
        "Claim.Started",
        "Claim.AwardDecided",
        "Customer.ContactQueued",  # the decision letter, stored with the decision
        "Customer.CircumstancesChanged",
    ]
    assert [entry.position for entry in entries] == sorted({entry.position for entry in entries})
    assert {entry.customer_id for entry in entries} == {ada}
    assert [entry.aggregate_id for entry in entries] == [
        ada,
        ada,
        ada,
        claim_id,
        claim_id,
        ada,
        ada,
    ]
    assert [entry.effective_date for entry in entries] == [
        None,
        date(2026, 1, 6),
        date(2026, 1, 7),
        date(2026, 1, 7),
        date(2026, 1, 8),
        date(2026, 1, 8),
        date(2026, 1, 2),
    ]
    assert [entry.recorded_at.date() for entry in entries] == [
        date(2026, 1, day) for day in (5, 6, 7, 7, 8, 8, 9)
    ]
    assert entries[5].summary == "Letter queued: A decision on your claim"
    assert [entry.caused_by for entry in entries][:3] == [
        "system:journeys",
        "caseworker:CW-104",
        "system:journeys",
    ]
    assert entries[3].summary == "UC claim made by customer via phone"
    decided = entries[4]
    assert [(d.rule_id, d.rule_version, d.automated) for d in decided.decisions] == [
        ("determination.decision_maker", 1, False)
    ]
    assert decided.decisions[0].outcome == {"answer": "entitled"}

    kinds, total = timeline(kinds=("Claim.Started", "Claim.AwardDecided"))
    assert ([entry.kind for entry in kinds], total) == (
        ["Claim.Started", "Claim.AwardDecided"],
        2,
    )

    effective, total = timeline(effective_from=date(2026, 1, 6), effective_to=date(2026, 1, 7))
    assert [entry.kind for entry in effective] == [
        "Customer.SupportMarkerAdded",
        "Customer.ClaimOpened",
        "Claim.Started",
    ]
    assert total == 3

    recorded, total = timeline(
        recorded_from=datetime(2026, 1, 7, 9, tzinfo=UTC),  # inclusive: the claim's start
        recorded_to=datetime(2026, 1, 8, 23, 59, tzinfo=UTC),
    )
    assert [entry.kind for entry in recorded] == [
        "Customer.ClaimOpened",
        "Claim.Started",
        "Claim.AwardDecided",
        "Customer.ContactQueued",
    ]
    assert total == 4

    both, total = timeline(
        kinds=("Customer.CircumstancesChanged", "Claim.Started"),
        recorded_from=datetime(2026, 1, 8, tzinfo=UTC),
    )
    assert ([entry.kind for entry in both], total) == (["Customer.CircumstancesChanged"], 1)

    pages = [timeline(Page(limit=4, offset=offset)) for offset in (0, 4, 8)]
    assert [len(page) for page, _ in pages] == [4, 3, 0]
    assert {total for _, total in pages} == {7}
    assert [entry for page, _ in pages for entry in page] == entries

    bens, total = journeys.views.read_timeline(TimelineQuery(customer_id=ben), ALL)
    assert total == 3
    assert {entry.customer_id for entry in bens} == {ben}


# -- worklists ---------------------------------------------------------------------------------


def worklists(journeys: Journeys) -> dict[Worklist, list[tuple[UUID, date]]]:
    """Every worklist's claims and due dates, in the order the worklist gives them."""
    journeys.projections.catch_up()
    found = {}
    for worklist in Worklist:
        items, total = journeys.views.read_worklist(worklist, None, ALL)
        assert total == len(items)
        if items:
            found[worklist] = [(item.claim_id, item.due_on) for item in items]
    return found


def test_worklists_follow_each_claim_and_list_it_by_due_date(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    customer = register(journeys)
    first = start_claim(journeys, customer, BenefitType.PIP)
    app.issue_questionnaire(first, date(2026, 1, 5))  # due 5 February
    backdated = start_claim(journeys, customer, BenefitType.PIP, claim_date=date(2026, 1, 2))
    app.issue_questionnaire(backdated, date(2026, 1, 2))  # due 2 February
    on(clock, date(2026, 1, 10))
    last = start_claim(journeys, customer, BenefitType.PIP)
    app.issue_questionnaire(last, date(2026, 1, 10))  # due 10 February

    outstanding = Worklist.QUESTIONNAIRES_OUTSTANDING
    assert worklists(journeys) == {
        outstanding: [
            (backdated, date(2026, 2, 2)),
            (first, date(2026, 2, 5)),
            (last, date(2026, 2, 10)),
        ]
    }
    items, total = journeys.views.read_worklist(outstanding, None, Page(limit=1, offset=1))
    assert ([item.claim_id for item in items], total) == ([first], 3)
    item = items[0]
    assert (item.customer_id, item.benefit, item.since) == (customer, "PIP", date(2026, 1, 5))
    assert item.detail == "PIP2 due back by 5 February 2026; overdue after that"

    def due_before(day: date) -> tuple[list[UUID], int]:
        items, total = journeys.views.read_worklist(outstanding, day, ALL)
        return [item.claim_id for item in items], total

    assert due_before(date(2026, 2, 2)) == ([], 0)  # due on the day is not due before it
    assert due_before(date(2026, 2, 3)) == ([backdated], 1)
    assert due_before(date(2026, 2, 6)) == ([backdated, first], 2)

    app.return_questionnaire(first, on(clock, date(2026, 1, 12)))
    assert worklists(journeys) == {
        outstanding: [(backdated, date(2026, 2, 2)), (last, date(2026, 2, 10))],
        Worklist.ASSESSMENTS_DUE: [(first, date(2026, 2, 9))],  # 28 days on
    }

    on(clock, date(2026, 1, 20))
    assess(journeys, first, daily_living=9, mobility=0)
    app.withdraw_claim(last, date(2026, 1, 20), "moved abroad")
    assert worklists(journeys) == {
        outstanding: [(backdated, date(2026, 2, 2))],
        Worklist.DECISIONS_DUE: [(first, date(2026, 2, 3))],  # 14 days on
    }

    app.decide_pip_award(
        first,
        decided_on=on(clock, date(2026, 1, 25)),
        starts_on=date(2026, 1, 5),
        ends_on=date(2028, 1, 5),
    )
    app.request_reconsideration(
        first, requested_on=on(clock, date(2026, 1, 26)), grounds="mobility ignored"
    )
    assert worklists(journeys) == {
        outstanding: [(backdated, date(2026, 2, 2))],
        Worklist.RECONSIDERATIONS_DUE: [(first, date(2026, 2, 23))],  # 28 days on
    }
    (reconsideration,), _ = journeys.views.read_worklist(Worklist.RECONSIDERATIONS_DUE, None, ALL)
    assert reconsideration.detail == (
        "Mandatory reconsideration asked for: look at the grounds and decide"
    )
    assert "mobility ignored" not in reconsideration.model_dump_json()  # the customer's words

    app.decide_reconsideration(
        first,
        notice_sent_on=on(clock, date(2026, 2, 1)),
        revised_award=None,
        reason="the points stand",
        decision_maker=DECISION_MAKER,
    )
    app.lodge_appeal(first, lodged_on=on(clock, date(2026, 2, 2)))
    on(clock, date(2026, 2, 3))
    app.make_negative_determination(backdated)
    assert worklists(journeys) == {
        Worklist.APPEAL_RESPONSES_DUE: [(first, date(2026, 3, 2))],  # 28 days on
    }

    app.record_appeal_outcome(
        first,
        decided_on=on(clock, date(2026, 4, 1)),
        allowed=False,
        award=None,
        judge=TRIBUNAL_JUDGE.identifier,
        reason="the decision was right",
    )
    assert worklists(journeys) == {}


# -- the decision ledger -----------------------------------------------------------------------


def test_the_ledger_filters_by_rule_version_period_outcome_automation_and_customer(
    journeys: Journeys, clock: SimulatedClock
) -> None:
    app = journeys.application
    ada, ben, cat = register(journeys), register(journeys), register(journeys)
    automated = start_claim(journeys, ada, BenefitType.PIP)  # age test, 5 January
    app.issue_questionnaire(automated, date(2026, 1, 5))
    app.return_questionnaire(automated, on(clock, date(2026, 1, 12)))
    on(clock, date(2026, 1, 20))
    assess(journeys, automated, daily_living=9, mobility=12)
    app.decide_pip_award(
        automated,
        decided_on=on(clock, date(2026, 1, 25)),
        starts_on=date(2026, 1, 5),
        ends_on=date(2028, 1, 5),
    )
    overridden = start_claim(journeys, ben, BenefitType.PIP, claim_date=date(2026, 1, 2))
    app.issue_questionnaire(overridden, date(2026, 1, 2))
    app.return_questionnaire(overridden, date(2026, 1, 25))
    assess(journeys, overridden, daily_living=9, mobility=4)
    app.decide_pip_award(
        overridden,
        decided_on=on(clock, date(2026, 2, 10)),
        starts_on=date(2026, 1, 2),
        ends_on=date(2028, 1, 2),
        decision_maker=DECISION_MAKER,
        override=RatesOverride(
            daily_living=Rate.ENHANCED, mobility=Rate.NONE, reason="GP evidence"
        ),
    )
    judged = start_claim(journeys, cat, BenefitType.UC, claim_date=date(2026, 1, 5))
    app.decide_entitlement(
        judged,
        decided_on=date(2026, 1, 6),
        entitled=False,
        reason="savings above the limit",
        decision_maker=DECISION_MAKER,
    )
    app.request_reconsideration(judged, requested_on=date(2026, 1, 20), grounds="savings spent")
    journeys.projections.catch_up()

    def ledger(page: Page = ALL, **filters: object) -> tuple[list[LedgerEntry], int]:
        return journeys.views.read_ledger(LedgerQuery.model_validate(filters), page)

    everything, total = ledger()
    assert total == len(everything) == 8
    assert [(e.aggregate_id, e.rule_id) for e in everything] == [
        (automated, "pip.age_test"),
        (automated, "pip.questionnaire_due_date"),
        (automated, "pip.component_rates"),
        (overridden, "pip.age_test"),
        (overridden, "pip.questionnaire_due_date"),
        (overridden, "pip.component_rates"),
        (judged, "determination.decision_maker"),
        (judged, "dispute.mr_time_limit"),
    ]
    assert [(e.position, e.index) for e in everything] == sorted(
        (e.position, e.index) for e in everything
    )

    def keys(entries: list[LedgerEntry]) -> list[tuple[UUID, str]]:
        return [(e.aggregate_id, e.rule_id) for e in entries]

    rates, total = ledger(rule_id="pip.component_rates")
    assert (keys(rates), total) == (
        [(automated, "pip.component_rates"), (overridden, "pip.component_rates")],
        2,
    )
    machine, person = rates
    assert (machine.automated, machine.made_by) == (True, "system:journeys")
    assert (person.automated, person.made_by) == (False, "caseworker:DM-1001")
    assert person.outcome["daily_living_rate"] == "enhanced"  # the override applies
    assert (machine.event_type, machine.decided_on) == ("Claim.AwardDecided", date(2026, 1, 25))
    assert machine.customer_id == ada
    assert machine.inputs["daily_living"]

    assert keys(ledger(rule_id="pip.component_rates", automated=True)[0]) == keys([machine])
    assert keys(ledger(rule_id="pip.component_rates", automated=False)[0]) == keys([person])
    people, total = ledger(automated=False)
    assert keys(people) == [
        (overridden, "pip.component_rates"),
        (judged, "determination.decision_maker"),
    ]
    assert total == 2

    assert ledger(rule_version=1) == (everything, 8)
    assert ledger(rule_version=2) == ([], 0)
    assert ledger(rule_id="pip.component_rates", rule_version=2) == ([], 0)

    assert keys(ledger(outcome={"daily_living_rate": "enhanced"})[0]) == keys([person])
    assert keys(ledger(outcome={"daily_living_rate": "standard"})[0]) == keys([machine])
    assert ledger(outcome={"daily_living_rate": "standard", "mobility_rate": "none"}) == ([], 0)
    assert keys(ledger(outcome={"timeliness": "in_time"})[0]) == [(judged, "dispute.mr_time_limit")]
    assert keys(ledger(outcome={"answer": "not entitled"})[0]) == [
        (judged, "determination.decision_maker")
    ]
    eligible, total = ledger(outcome={"eligible": "true"})
    assert (keys(eligible), total) == (
        [(automated, "pip.age_test"), (overridden, "pip.age_test")],
        2,
    )

    period, total = ledger(decided_from=date(2026, 1, 6), decided_to=date(2026, 1, 25))
    assert keys(period) == [
        (automated, "pip.component_rates"),
        (judged, "determination.decision_maker"),
        (judged, "dispute.mr_time_limit"),
    ]
    assert total == 3

    mine, total = ledger(customer_id=ben)
    assert {e.customer_id for e in mine} == {ben}
    assert total == 3

    page, total = ledger(Page(limit=2, offset=1))
    assert (page, total) == (everything[1:3], len(everything))
