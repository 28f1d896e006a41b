"""The deadline scheduler's guarantees, through the real system on SQLite and PostgreSQL.

Firing is idempotent (a second run for the same day appends nothing), two schedulers on one
store fire each deadline once, a restarted system fires what fell due while it was down,
the same commands on the same days give the same log, and the effective dates the rules
give do not depend on the day the scheduler happened to run.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from adapters.bootstrap import Journeys, build
from domain.deadlines import WithDeadlines
from domain.errors import TransitionOver
from domain.transition import Action, DlaToPipTransition
from domain.values import Region
from services.clock import SimulatedClock
from services.deadlines import SchedulerRun
from services.log import read_log
from services.settings import Settings
from tests.conftest import scratch_schema
from tests.integration.conftest import OpenSystem
from tests.integration.helpers import DECISION_MAKER, log_position
from tests.scenarios.steps import (
    AWARD_STARTS,
    Child,
    assess,
    assess_pip,
    child_on_dla,
    claim_pip,
    decide_pip,
    events_of,
    fired_actions,
    log_summary,
    move_to,
    only,
    run_on,
)

T = DlaToPipTransition
FreshSystem = Callable[[SimulatedClock], AbstractContextManager[Journeys]]


@pytest.fixture
def fresh_system(settings: Settings, tmp_path: Path) -> FreshSystem:
    """Build the system on a new, empty store of the same kind as `settings` (per example)."""

    @contextmanager
    def _fresh(clock: SimulatedClock) -> Iterator[Journeys]:
        with _fresh_settings(settings, tmp_path) as chosen, build(chosen, clock=clock) as system:
            yield system

    return _fresh


@contextmanager
def _fresh_settings(settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    if settings.database_url is None:
        yield Settings(database_url=None, sqlite_path=tmp_path / f"{uuid4().hex}.sqlite3")
        return
    with scratch_schema(settings.database_url) as schema:
        yield settings.model_copy(update={"postgres_schema": schema})


def fired_counts(system: Journeys) -> Counter[UUID]:
    """How often each deadline fired, counted from the log."""
    app = system.application
    counts: Counter[UUID] = Counter()
    for notification in read_log(app):
        event = app.mapper.to_domain_event(notification)
        if isinstance(event, WithDeadlines.DeadlineFired):
            counts[event.deadline_id] += 1
    return counts


def due_ids(system: Journeys, on: date) -> set[UUID]:
    """The pending deadlines the view says are due by `on`."""
    system.projections.catch_up()
    return {entry.deadline_id for entry in system.views.read_due_deadlines(on, 1000)}


# -- firing twice for the same day changes nothing ----------------------------------------------


@dataclass(frozen=True)
class Plan:
    """One young person of a random population and what they do."""

    born: date
    special_rules: bool
    region: Region
    in_hospital_from_start: bool
    discharged_after_birthday: int | None
    claims_after_invitation: int | None


plans = st.builds(
    Plan,
    born=st.dates(date(2010, 11, 1), date(2011, 8, 31)),
    special_rules=st.sampled_from([False, False, True]),
    region=st.sampled_from(Region),
    in_hospital_from_start=st.sampled_from([False, False, True]),
    discharged_after_birthday=st.one_of(st.none(), st.integers(0, 40)),
    claims_after_invitation=st.one_of(st.none(), st.integers(0, 70)),
)
run_days = st.lists(
    st.dates(date(2026, 6, 1), date(2027, 12, 31)), min_size=1, max_size=4, unique=True
).map(sorted)


def _act_before_run(
    system: Journeys, clock: SimulatedClock, child: Child, plan: Plan, claimed: set[UUID]
) -> None:
    """What the young person does by today: leave hospital, claim PIP (dated when they did)."""
    app = system.application
    today = clock.today()
    transition = app.transition(child.customer_id)
    if (
        plan.in_hospital_from_start
        and plan.discharged_after_birthday is not None
        and transition.hospital_discharged_on is None
        and transition.stage.value in {"awaiting_invitation", "invitation_deferred"}
    ):
        left = transition.sixteenth_birthday + timedelta(days=plan.discharged_after_birthday)
        if left <= today:
            app.record_hospital_discharge(child.customer_id, left)
    if (
        plan.claims_after_invitation is not None
        and transition.invited_on is not None
        and child.customer_id not in claimed
    ):
        claim_date = transition.invited_on + timedelta(days=plan.claims_after_invitation)
        if claim_date <= today:
            claim_pip(system, clock, child, claim_date)
            claimed.add(child.customer_id)


def _check_second_run_changes_nothing(
    fresh_system: FreshSystem, population: list[Plan], days: list[date]
) -> None:
    clock = SimulatedClock.on(AWARD_STARTS)
    with fresh_system(clock) as system:
        children = []
        for plan in population:
            child = child_on_dla(
                system,
                born=plan.born,
                special_rules=plan.special_rules,
                award_ends=date(2027, 11, 29) if plan.special_rules else None,
                region=plan.region,
            )
            if plan.in_hospital_from_start:
                system.application.record_hospital_admission(child.customer_id, AWARD_STARTS)
            children.append(child)
        claimed: set[UUID] = set()
        for day in days:
            move_to(clock, day)
            for child, plan in zip(children, population, strict=True):
                _act_before_run(system, clock, child, plan, claimed)
            assert system.deadlines.run_due().refused == []
            position = log_position(system)
            again = system.deadlines.run_due()
            assert (again.fired, again.already_done, again.refused) == ([], [], [])
            assert log_position(system) == position
        assert all(count == 1 for count in fired_counts(system).values())


def test_running_the_scheduler_twice_for_the_same_day_appends_nothing(
    settings: Settings, fresh_system: FreshSystem
) -> None:
    @hypothesis_settings(
        max_examples=5 if settings.uses_postgres else 15, deadline=None, derandomize=True
    )
    @given(population=st.lists(plans, min_size=1, max_size=4), days=run_days)
    def check(population: list[Plan], days: list[date]) -> None:
        _check_second_run_changes_nothing(fresh_system, population, days)

    check()


# -- two schedulers, one store -------------------------------------------------------------------


def test_two_schedulers_racing_on_one_store_fire_each_deadline_once(
    journeys: Journeys, open_system: OpenSystem, clock: SimulatedClock
) -> None:
    # Six invitations fall due on 13 March 2027 (16th birthdays), and three first windows
    # close that day (invited on 13 February 2027, claim by 12 March).
    invited = [child_on_dla(journeys, born=date(2011, 3, 13)) for _ in range(6)]
    closing = [child_on_dla(journeys, born=date(2011, 2, 13)) for _ in range(3)]
    run_on(journeys, clock, date(2027, 2, 13))
    move_to(clock, date(2027, 3, 13))
    due = due_ids(journeys, clock.today())
    assert len(due) == 9

    rival = open_system()
    barrier = threading.Barrier(2)

    def race(system: Journeys) -> SchedulerRun:
        barrier.wait()
        return system.deadlines.run_due()

    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [run.result() for run in [pool.submit(race, s) for s in (journeys, rival)]]

    counts = fired_counts(journeys)
    assert all(counts[deadline_id] == 1 for deadline_id in due)
    assert all(count == 1 for count in counts.values())
    fired = [{d.deadline_id for d in run.fired} for run in runs]
    assert fired[0].isdisjoint(fired[1])
    assert fired[0] | fired[1] == due
    for child in invited:
        assert len(events_of(journeys, child, T.InvitationIssued)) == 1
    for child in closing:
        assert len(events_of(journeys, child, T.SecondNoticeSent)) == 1
        assert len(events_of(journeys, child, T.DlaSuspended)) == 1
    assert due_ids(rival, clock.today()) == set()


# -- restarts --------------------------------------------------------------------------------------


def test_a_restarted_system_fires_the_deadlines_that_fell_due_while_it_was_down(
    open_system: OpenSystem, clock: SimulatedClock
) -> None:
    first = open_system()
    child = child_on_dla(first, born=date(2011, 3, 12))
    assert fired_actions(run_on(first, clock, date(2027, 3, 12))) == [Action.INVITE]
    first.close()

    # Down from 12 March to 20 April 2027, over the first deadline (claim by 8 April).
    move_to(clock, date(2027, 4, 20))
    second = open_system()
    assert fired_actions(second.deadlines.run_due()) == [Action.CLOSE_FIRST_WINDOW]
    # Suspended from the rule's day, the first pay day after 8 April (26 April), not from the
    # restart; the second notice goes on the day it is sent, 20 April: 20-30 April are days
    # 1-11, 1-17 May days 12-28.
    assert only(second, child, T.DlaSuspended).effective_date == date(2027, 4, 26)
    notice = only(second, child, T.SecondNoticeSent)
    assert (notice.effective_date, notice.claim_by) == (date(2027, 4, 20), date(2027, 5, 17))
    second.close()

    move_to(clock, date(2027, 6, 1))
    third = open_system()
    assert fired_actions(third.deadlines.run_due()) == [Action.CLOSE_SECOND_WINDOW]
    # DLA's last day is the day before the suspension, Sunday 25 April 2027.
    assert only(third, child, T.DlaTerminated).effective_date == date(2027, 4, 25)
    assert all(count == 1 for count in fired_counts(third).values())
    assert len(fired_counts(third)) == 3


# -- the same commands on the same days give the same journeys ----------------------------------


@dataclass(frozen=True)
class Cast:
    """The young people of the scripted journeys (GB, DLA paid on Mondays)."""

    on_time: Child
    late: Child
    no_claim: Child
    hospital: Child
    special_rules: Child
    negative: Child

    def everyone(self) -> dict[str, Child]:
        """Each young person by role."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


SCRIPT_FROM, SCRIPT_TO = date(2027, 1, 25), date(2027, 7, 31)
EVERY_DAY = frozenset(
    SCRIPT_FROM + timedelta(days=n) for n in range((SCRIPT_TO - SCRIPT_FROM).days + 1)
)
# The letter days (invitations: 31 January, 10 February, 12 and 15 March; the hospital
# invitation on 3 March, the day the discharge is recorded), then twice long after.
LETTER_DAYS_THEN_LATE = frozenset(
    {
        date(2027, 1, 31),
        date(2027, 2, 10),
        date(2027, 3, 3),
        date(2027, 3, 12),
        date(2027, 3, 15),
        date(2027, 6, 30),
        SCRIPT_TO,
    }
)


def scripted_journeys(system: Journeys, clock: SimulatedClock, run_days: frozenset[date]) -> Cast:
    """Fixed commands on fixed days; the scheduler runs on `run_days`, after that day's commands.

    The NINOs are fixed, so two stores given the script hold the same aggregate ids.
    """
    app = system.application

    def young(serial: int, born: date, award_ends: date | None = None) -> Child:
        return child_on_dla(
            system,
            born=born,
            special_rules=award_ends is not None,
            award_ends=award_ends,
            national_insurance_number=f"YP90{serial:02d}07A",
        )

    cast = Cast(
        on_time=young(1, date(2011, 3, 12)),
        late=young(2, date(2011, 2, 10)),
        no_claim=young(3, date(2011, 1, 31)),
        hospital=young(4, date(2011, 2, 20)),
        # A Special Rules award ending 2 August 2027: invited 20 weeks before, 15 March 2027.
        special_rules=young(5, date(2011, 3, 12), award_ends=date(2027, 8, 2)),
        negative=young(6, date(2011, 3, 12)),
    )
    claims: dict[str, UUID] = {}

    def claim_with_pip2(name: str, day: date) -> None:
        claims[name] = claim_pip(system, clock, getattr(cast, name), day)
        app.issue_questionnaire(claims[name], day)

    def act(day: date) -> None:
        if day == date(2027, 2, 15):
            app.record_hospital_admission(cast.hospital.customer_id, day)
        elif day == date(2027, 3, 3):
            app.record_hospital_discharge(cast.hospital.customer_id, date(2027, 3, 1))
        elif day == date(2027, 3, 16):
            claim_with_pip2("negative", day)
            claim_with_pip2("special_rules", day)
        elif day == date(2027, 4, 2):
            claim_with_pip2("on_time", day)
            claim_pip(system, clock, cast.late, day)
        elif day == date(2027, 4, 20):
            app.make_negative_determination(claims["negative"])
            assess_pip(system, clock, claims["on_time"], returned_on=day, assessed_on=day)
            assess_pip(
                system,
                clock,
                claims["special_rules"],
                returned_on=day,
                assessed_on=day,
                daily_living=12,
                mobility=12,
            )
        elif day == date(2027, 5, 12):
            decide_pip(system, clock, claims["on_time"], day)
            decide_pip(system, clock, claims["special_rules"], day)
        elif day == date(2027, 5, 17):
            app.accept_good_reason(
                claims["negative"],
                accepted_on=day,
                reason="in hospital",
                decision_maker=DECISION_MAKER,
            )
        elif day == date(2027, 5, 25):
            app.return_questionnaire(claims["negative"], day)
        elif day == date(2027, 6, 7):
            assess(system, clock, claims["negative"], day)
        elif day == date(2027, 6, 9):
            decide_pip(system, clock, claims["negative"], day)

    day = SCRIPT_FROM
    while day <= SCRIPT_TO:
        move_to(clock, day)
        act(day)
        if day in run_days:
            assert system.deadlines.run_due().refused == []
        day += timedelta(days=1)
    return cast


def test_two_stores_given_the_same_commands_on_the_same_days_record_the_same_journeys(
    fresh_system: FreshSystem,
) -> None:
    summaries = []
    for _ in range(2):
        clock = SimulatedClock.on(AWARD_STARTS)
        with fresh_system(clock) as system:
            scripted_journeys(system, clock, EVERY_DAY)
            summaries.append(log_summary(system))
    assert len(summaries[0]) > 100
    assert summaries[0] == summaries[1]


@dataclass(frozen=True)
class RuleDates:
    """The dates a young person's journey got: from the rules, and the letters' own dates."""

    invitations: list[tuple[date, date]]
    suspensions: list[date]
    second_notices: list[tuple[date, date]]
    restarts: list[tuple[date, date | None, date | None]]
    terminations: list[date]
    dla_ends: list[tuple[date, date | None]]
    ended: list[date]
    arrears: list[date | None]
    stage: str


def rule_dates(system: Journeys, child: Child) -> RuleDates:
    """The dates of the young person's journey, read from the log."""
    return RuleDates(
        invitations=[
            (e.effective_date, e.claim_by) for e in events_of(system, child, T.InvitationIssued)
        ],
        suspensions=[e.effective_date for e in events_of(system, child, T.DlaSuspended)],
        second_notices=[
            (e.effective_date, e.claim_by) for e in events_of(system, child, T.SecondNoticeSent)
        ],
        restarts=[
            (e.effective_date, e.unpaid_from, e.unpaid_to)
            for e in events_of(system, child, T.DlaRestarted)
        ],
        terminations=[e.effective_date for e in events_of(system, child, T.DlaTerminated)],
        dla_ends=[
            (e.dla_ends_on, e.pip_starts_on) for e in events_of(system, child, T.DlaEndDecided)
        ],
        ended=[e.effective_date for e in events_of(system, child, T.DlaEnded)],
        arrears=[e.arrears_from for e in events_of(system, child, T.DlaReinstated)],
        stage=system.application.transition(child.customer_id).stage.value,
    )


def test_the_days_the_scheduler_runs_change_letter_dates_only_never_the_dates_the_rules_give(
    fresh_system: FreshSystem,
) -> None:
    # One store runs the scheduler every day; the other only on the letter days and then
    # twice long after (30 June and 31 July 2027). Suspensions, restarts, DLA's last day,
    # PIP's first day and arrears come from rules and are the same. A letter's date is the
    # day it went, by design: the second notices go whenever the first window is closed.
    dates = {}
    for run_days in (EVERY_DAY, LETTER_DAYS_THEN_LATE):
        clock = SimulatedClock.on(AWARD_STARTS)
        with fresh_system(clock) as system:
            cast = scripted_journeys(system, clock, run_days)
            dates[run_days] = {name: rule_dates(system, c) for name, c in cast.everyone().items()}
    daily, late = dates[EVERY_DAY], dates[LETTER_DAYS_THEN_LATE]

    for name in daily:
        assert replace(daily[name], second_notices=[], ended=[]) == replace(
            late[name], second_notices=[], ended=[]
        )
        # DLA's final last day is the same; only a DLA end that a good reason undid before the
        # late scheduler saw it is missing there (the negative determination, below).
        assert daily[name].ended[-1:] == late[name].ended[-1:]

    # Daily: each second notice goes the day after the first deadline (9 March, 27 February,
    # 30 March); late: on the next run, 12 March, 3 March and 30 June. Each gives 28 days
    # from its own date.
    assert daily["late"].second_notices == [(date(2027, 3, 10), date(2027, 4, 6))]
    assert late["late"].second_notices == [(date(2027, 3, 12), date(2027, 4, 8))]
    assert daily["no_claim"].second_notices == [(date(2027, 2, 28), date(2027, 3, 27))]
    assert late["no_claim"].second_notices == [(date(2027, 3, 3), date(2027, 3, 30))]
    assert daily["hospital"].second_notices == [(date(2027, 3, 31), date(2027, 4, 27))]
    assert late["hospital"].second_notices == [(date(2027, 6, 30), date(2027, 7, 27))]

    # The rules' dates, counted by hand (pay days: 1 Mar, 29 Mar, 26 Apr, 24 May, 21 Jun 2027).
    assert daily["late"].suspensions == [date(2027, 3, 29)]
    assert daily["late"].restarts == [(date(2027, 4, 2), date(2027, 3, 29), date(2027, 4, 1))]
    assert daily["no_claim"].suspensions == [date(2027, 3, 1)]
    assert daily["no_claim"].terminations == [date(2027, 2, 28)]
    # Hospital: invited 3 March (discharge recorded), claim by 30 March; suspended from the
    # first pay day after it, 26 April; DLA's last day 25 April.
    assert daily["hospital"].invitations == [(date(2027, 3, 3), date(2027, 3, 30))]
    assert daily["hospital"].terminations == [date(2027, 4, 25)]
    assert daily["on_time"].dla_ends == [(date(2027, 6, 20), date(2027, 6, 21))]
    # Special Rules, PIP (19460p) more than DLA (7000p), decided Wednesday 12 May: the
    # period ends 23 May, the first Tuesday after is 18 May: DLA ends 18 May.
    assert daily["special_rules"].dla_ends == [(date(2027, 5, 18), date(2027, 5, 19))]
    # Negative determination 20 April: DLA's last day 9 May (26 April + 13 days). The daily
    # scheduler ended DLA on 10 May; the good reason on 17 May reinstated it with arrears
    # from 10 May. The late scheduler never saw DLA end (the good reason came first), and
    # the arrears are the same. Decided 9 June: DLA ends 18 July, PIP from 19 July.
    assert daily["negative"].arrears == late["negative"].arrears == [date(2027, 5, 10)]
    assert daily["negative"].ended == [date(2027, 5, 9), date(2027, 7, 18)]
    assert late["negative"].ended == [date(2027, 7, 18)]
    assert all(daily[name].ended == late[name].ended for name in daily if name != "negative")


# -- a deadline its journey refuses ---------------------------------------------------------------


def test_a_deadline_whose_journey_refuses_it_is_reported_and_the_others_still_fire(
    journeys: Journeys, clock: SimulatedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    children = [child_on_dla(journeys, born=date(2011, 3, 12)) for _ in range(3)]
    refusing = children[1]
    invite = DlaToPipTransition._invite

    def invite_unless_refusing(transition: DlaToPipTransition, today: date) -> None:
        if transition.customer_id == refusing.customer_id:
            raise TransitionOver("cannot invite: refused for this test")
        invite(transition, today)

    monkeypatch.setattr(DlaToPipTransition, "_invite", invite_unless_refusing)
    run = run_on(journeys, clock, date(2027, 3, 12))
    assert [(d.aggregate_id, message) for d, message in run.refused] == [
        (refusing.transition_id, "cannot invite: refused for this test")
    ]
    assert {d.aggregate_id for d in run.fired} == {
        children[0].transition_id,
        children[2].transition_id,
    }
    assert events_of(journeys, refusing, WithDeadlines.DeadlineFired) == []
    assert events_of(journeys, refusing, T.InvitationIssued) == []
    assert refusing.transition_id in {
        d.aggregate_id for d in journeys.deadlines.index.due(clock.today(), 10)
    }

    # Once the journey accepts it, the next run fires it (on the day it runs).
    monkeypatch.undo()
    move_to(clock, date(2027, 3, 13))
    again = journeys.deadlines.run_due()
    assert [(d.aggregate_id, d.action) for d in again.fired] == [
        (refusing.transition_id, Action.INVITE)
    ]
    issued = only(journeys, refusing, T.InvitationIssued)
    # Sent on 13 March: 13-31 March are days 1-19, 1-9 April days 20-28.
    assert (issued.effective_date, issued.claim_by) == (date(2027, 3, 13), date(2027, 4, 9))
