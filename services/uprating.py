"""The annual uprating: one AwardUprated event for every PIP award in payment, written in bulk.

Loading 100,000 claims through the repository one by one would replay every claim's events
and save each in its own transaction. Instead an index of PIP awards (fed from the log like
any projection, with its own tracked position) says which claims have an award in payment
and at which version each claim stands. Each claim still gets its own event at the next
version of its own stream, and the store's (originator_id, originator_version) uniqueness
still catches a command that got there first: the chunk it hit is written again with those
claims reloaded through the repository and uprated the ordinary way.

The Decision for a pair of component rates on a date is the same for every claim apart from
the event it cites, so the rule runs once per pair, and the stored bytes of each event are
the application mapper's own encoding of a template event with the claim's references put in
(tests prove they decode to the event the ordinary path records).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime
from uuid import UUID

from eventsourcing.persistence import Mapper, RecordConflictError, StoredEvent
from eventsourcing.utils import get_topic

from domain.aggregate import acting_actor, recording_at
from domain.claim import Award, Claim, uprating_decision, uprating_refusal
from domain.errors import DomainError
from domain.rules.pip_assessment import Rate
from domain.rules.pip_rates import PIP_WEEKLY_RATES
from domain.values import BenefitType, EventRef
from services.journeys import JourneysApplication
from services.log import read_log

Progress = Callable[[int, int], None]
"""Called after each chunk with the awards done so far and the number to do."""


@dataclass(frozen=True)
class AwardRecord:
    """One PIP claim as the index knows it: its award and the claim's latest version."""

    claim_id: UUID
    version: int
    award: Award | None = None
    award_version: int | None = None
    uprated_on: date | None = None


class IndexMoved(Exception):
    """Another process moved the award index first; this batch was not written."""


class AwardIndexStore(ABC):
    """Where the index of PIP awards is kept, with the log position it reflects."""

    @abstractmethod
    def position(self) -> int:
        """The last log position folded into the index (0 when none)."""

    @abstractmethod
    def records(self, claim_ids: Collection[UUID]) -> dict[UUID, AwardRecord]:
        """The records of those claims the index holds."""

    @abstractmethod
    def save(self, records: Sequence[AwardRecord], *, after: int, position: int) -> None:
        """Store records and move from position `after` to `position`, or raise IndexMoved."""

    @abstractmethod
    def in_payment(self, on: date) -> list[AwardRecord]:
        """Entitled awards running on the date and not yet uprated for it, by claim id."""

    @abstractmethod
    def close(self) -> None:
        """Release connections."""


class BulkEventWriter(ABC):
    """Appends many stored events at once, in log order; a version clash raises and writes none."""

    @abstractmethod
    def append(self, stored_events: Sequence[StoredEvent]) -> int:
        """Store every event in one transaction and return the last log position.

        Raises RecordConflictError when any (originator_id, originator_version) exists.
        """

    @abstractmethod
    def current_versions(self, aggregate_ids: Collection[UUID]) -> dict[UUID, int]:
        """The latest stored version of each aggregate."""


class RecorderEventWriter(BulkEventWriter):
    """The plain path: the application's recorder inserts the events (SQLite, or any store)."""

    def __init__(self, application: JourneysApplication) -> None:
        self._recorder = application.recorder

    def append(self, stored_events: Sequence[StoredEvent]) -> int:
        """Insert through the recorder (which takes the store's lock and checks versions)."""
        ids = self._recorder.insert_events(stored_events)
        return max(ids) if ids else self._recorder.max_notification_id() or 0

    def current_versions(self, aggregate_ids: Collection[UUID]) -> dict[UUID, int]:
        """One query per aggregate: only conflicts come here."""
        versions = {}
        for aggregate_id in aggregate_ids:
            latest = self._recorder.select_events(aggregate_id, desc=True, limit=1)
            if latest:
                versions[aggregate_id] = latest[0].originator_version
        return versions


# -- the index, fed from the log -----------------------------------------------------------------

_CLAIM_TOPIC = get_topic(Claim.Started).rsplit(".", 1)[0] + "."
_AWARD_EVENTS: tuple[type[Claim.Event], ...] = (
    Claim.Started,
    Claim.Disallowed,
    Claim.AwardDecided,
    Claim.ReconsiderationDecided,
    Claim.RevisedDuringAppeal,
    Claim.AppealDecided,
    Claim.AwardUprated,
)
_AWARD_TOPICS = frozenset(get_topic(kind) for kind in _AWARD_EVENTS)


def fold(record: AwardRecord | None, event: Claim.Event) -> AwardRecord | None:
    """The record after one claim event: the index's copy of Claim's award bookkeeping."""
    if isinstance(event, Claim.Started):
        if event.benefit is not BenefitType.PIP:
            return None
        return AwardRecord(claim_id=event.originator_id, version=event.originator_version)
    if record is None:
        return None
    record = replace(record, version=event.originator_version)
    award: Award | None = None
    if isinstance(event, Claim.Disallowed):
        award = Award.nil()
    elif isinstance(event, Claim.AwardDecided):
        return _new_award(record, event.award, event.originator_version)
    elif isinstance(
        event, Claim.ReconsiderationDecided | Claim.RevisedDuringAppeal | Claim.AppealDecided
    ):
        award = event.award
    elif isinstance(event, Claim.AwardUprated):
        return replace(record, uprated_on=event.effective_date)
    if award is not None and award != record.award:
        return _new_award(record, award, event.originator_version)
    return record


def _new_award(record: AwardRecord, award: Award, version: int) -> AwardRecord:
    return replace(record, award=award, award_version=version, uprated_on=None)


@dataclass(frozen=True)
class UpratingReport:
    """What one uprating run did."""

    on: date
    candidates: int
    uprated: int
    skipped: int
    conflicts: int
    chunks: int
    last_position: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        """Events written per second of the run."""
        return self.uprated / self.seconds if self.seconds else 0.0


@dataclass
class _Tally:
    """Running counts of one uprating run, reported to the progress callback."""

    total: int
    progress: Progress | None
    uprated: int = 0
    skipped: int = 0
    conflicts: int = 0
    chunks: int = 0
    last_position: int = 0

    def count(self, *, uprated: int = 0, skipped: int = 0, position: int = 0) -> None:
        self.uprated += uprated
        self.skipped += skipped
        self.last_position = max(self.last_position, position)
        if self.progress is not None and (uprated or skipped):
            self.progress(self.uprated + self.skipped, self.total)


@dataclass(frozen=True)
class _InFlight:
    """A chunk being written in the background."""

    future: Future[int]
    stored: list[StoredEvent]


class UpratingConflict(Exception):
    """A chunk kept clashing with concurrent commands after every attempt; nothing of it is kept."""


# A version no claim reaches and an id no claim has: they mark where each claim's own
# references go in the template's stored bytes.
_MARK_ID = UUID("00000000-0000-4000-8000-00000000beef")
_MARK_VERSION = 918_273_645_546_372_819


class EventTemplate:
    """The stored bytes of an AwardUprated for one pair of rates, with a claim's refs put in."""

    def __init__(self, mapper: Mapper[UUID], event: Claim.AwardUprated) -> None:
        stored = mapper.to_stored_event(event)
        self.topic = stored.topic
        state = stored.state
        mark_id, mark_version = str(_MARK_ID).encode(), str(_MARK_VERSION).encode()
        if state.count(mark_id) != 1 or state.count(mark_version) != 1:
            raise ValueError("the template's references are not each stored once")
        head, rest = state.split(mark_id)
        if mark_version in head:
            raise ValueError("the template stores the version before the id")
        middle, tail = rest.split(mark_version)
        self._parts = (head, middle, tail)

    def stored(self, claim_id: UUID, version: int, award_version: int) -> StoredEvent:
        """The claim's event: at `version` of its stream, citing its award's event."""
        head, middle, tail = self._parts
        return StoredEvent(
            originator_id=claim_id,
            originator_version=version,
            topic=self.topic,
            state=b"".join(
                (head, str(claim_id).encode(), middle, str(award_version).encode(), tail)
            ),
        )


def template_event(award: Award, on: date, moment: datetime) -> Claim.AwardUprated:
    """The AwardUprated the rule gives for an award's rates on a date (marked references)."""
    decided = uprating_decision(award, EventRef(aggregate_id=_MARK_ID, version=_MARK_VERSION), on)
    return Claim.AwardUprated(  # type: ignore[call-arg]
        originator_id=_MARK_ID,
        originator_version=1,
        timestamp=moment,
        caused_by=acting_actor(),
        effective_date=on,
        weekly_amounts=decided.outcome,
        decision=decided.record,
    )


def _chunks(records: Sequence[AwardRecord], size: int) -> Iterator[Sequence[AwardRecord]]:
    for start in range(0, len(records), size):
        yield records[start : start + size]


class AnnualUprating:
    """Uprates every PIP award in payment on a date: one event per claim, in big transactions."""

    def __init__(
        self,
        application: JourneysApplication,
        index: AwardIndexStore,
        writer: BulkEventWriter,
        *,
        chunk_size: int = 10_000,
        attempts: int = 5,
        page_size: int = 5_000,
    ) -> None:
        self.application = application
        self.index = index
        self.writer = writer
        self.chunk_size = chunk_size
        self.attempts = attempts
        self.page_size = page_size

    # -- following the log --------------------------------------------------------------------

    def follow_log(self) -> int:
        """Fold every event after the index's position into it; returns how many were read."""
        while True:
            try:
                return self._follow_log_once()
            except IndexMoved:
                continue  # another process folded these events first: go on from where it is

    def _follow_log_once(self) -> int:
        mapper = self.application.mapper
        after = self.index.position()
        read = 0
        page: list[tuple[StoredEvent, bool]] = []
        last = after
        for notification in read_log(self.application, start=after + 1, page_size=self.page_size):
            read += 1
            last = notification.id
            if notification.topic.startswith(_CLAIM_TOPIC):
                page.append((notification, notification.topic in _AWARD_TOPICS))
            if read % self.page_size == 0:
                self._fold_page(mapper, page, after, last)
                page, after = [], last
        if last != after:
            self._fold_page(mapper, page, after, last)
        return read

    def _fold_page(
        self,
        mapper: Mapper[UUID],
        page: Sequence[tuple[StoredEvent, bool]],
        after: int,
        position: int,
    ) -> None:
        touched = {UUID(str(stored.originator_id)) for stored, _ in page}
        records: dict[UUID, AwardRecord | None] = dict(self.index.records(touched))
        changed: dict[UUID, AwardRecord] = {}
        for stored, decode in page:
            claim_id = UUID(str(stored.originator_id))
            record = records.get(claim_id)
            if decode:
                event = mapper.to_domain_event(stored)
                if not isinstance(event, Claim.Event):  # pragma: no cover - topics are Claim's
                    continue
                record = fold(record, event)
            elif record is not None:
                record = replace(record, version=stored.originator_version)
            if record is not None:
                records[claim_id] = changed[claim_id] = record
        self.index.save(list(changed.values()), after=after, position=position)

    # -- uprating ------------------------------------------------------------------------------

    def uprate_all(self, on: date, progress: Progress | None = None) -> UpratingReport:
        """Uprate every award in payment on `on` that is not yet uprated for it."""
        started = time.perf_counter()
        PIP_WEEKLY_RATES.version_in_force(on)  # refuse a date no rate table covers, up front
        self.follow_log()
        candidates = self.index.in_payment(on)
        tally = _Tally(total=len(candidates), progress=progress)
        # The next chunk is built while the store takes the one before: the database
        # ingests on its own core while this one encodes. One chunk in flight at a time.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="uprating") as pool:
            in_flight: _InFlight | None = None
            for chunk in _chunks(candidates, self.chunk_size):
                stored, skipped = self._templated(chunk, on)
                tally.count(skipped=skipped)
                if in_flight is not None:
                    self._settle(in_flight, on, tally)
                in_flight = None
                if stored:
                    in_flight = _InFlight(pool.submit(self.writer.append, stored), stored)
                    tally.chunks += 1
            if in_flight is not None:
                self._settle(in_flight, on, tally)
        return UpratingReport(
            on=on,
            candidates=len(candidates),
            uprated=tally.uprated,
            skipped=tally.skipped,
            conflicts=tally.conflicts,
            chunks=tally.chunks,
            last_position=tally.last_position,
            seconds=time.perf_counter() - started,
        )

    def _settle(self, in_flight: _InFlight, on: date, tally: _Tally) -> None:
        """Wait for a chunk; on a clash reload the claims that moved and write it again."""
        stored = in_flight.stored
        try:
            tally.count(uprated=len(stored), position=in_flight.future.result())
            return
        except RecordConflictError:
            tally.conflicts += 1
        for _ in range(1, self.attempts):
            stored, refused = self._refreshed(stored, on)
            tally.count(skipped=refused)
            if not stored:
                return
            try:
                tally.count(uprated=len(stored), position=self.writer.append(stored))
                return
            except RecordConflictError:
                tally.conflicts += 1
        raise UpratingConflict(
            f"a chunk of {len(stored)} awards clashed with other commands {self.attempts} times;"
            " none of that chunk was written"
        )

    def _templated(self, chunk: Sequence[AwardRecord], on: date) -> tuple[list[StoredEvent], int]:
        """Each claim's event from the template for its rates (the rule runs once per pair)."""
        mapper = self.application.mapper
        if mapper.compressor is not None or mapper.cipher is not None:
            return self._ordinary(chunk, on)
        moment = self.application.clock.now()
        templates: dict[tuple[Rate, Rate], EventTemplate] = {}
        # Records share award values (the index reads each distinct award once), so the
        # domain's test is asked once per award and last uprating date, not once per claim.
        by_award: dict[tuple[int, date | None], EventTemplate | None] = {}
        stored: list[StoredEvent] = []
        append = stored.append
        skipped = 0
        for record in chunk:
            key = (id(record.award), record.uprated_on)
            if key in by_award:
                template = by_award[key]
            else:
                template = by_award[key] = self._template_for(record, on, moment, templates)
            if template is None or record.award_version is None:
                skipped += 1
                continue
            append(template.stored(record.claim_id, record.version + 1, record.award_version))
        return stored, skipped

    def _template_for(
        self,
        record: AwardRecord,
        on: date,
        moment: datetime,
        templates: dict[tuple[Rate, Rate], EventTemplate],
    ) -> EventTemplate | None:
        """The template for a record's award, or None when the domain refuses to uprate it."""
        award = record.award
        if award is None or uprating_refusal(BenefitType.PIP, award, record.uprated_on, on):
            return None
        rates = (award.daily_living, award.mobility)
        if rates not in templates:
            with recording_at(moment):
                event = template_event(award, on, moment)
            templates[rates] = EventTemplate(self.application.mapper, event)
        return templates[rates]

    def _ordinary(self, chunk: Sequence[AwardRecord], on: date) -> tuple[list[StoredEvent], int]:
        """Where stored bytes cannot be templated (compressed or enciphered): claim by claim."""
        stored: list[StoredEvent] = []
        skipped = 0
        for record in chunk:
            event = self._uprated_the_ordinary_way(record.claim_id, on)
            if event is None:
                skipped += 1
            else:
                stored.append(event)
        return stored, skipped

    def _refreshed(self, stored: Sequence[StoredEvent], on: date) -> tuple[list[StoredEvent], int]:
        """The chunk again, with every claim that moved since the index saw it reloaded."""
        expected = {UUID(str(s.originator_id)): s.originator_version - 1 for s in stored}
        current = self.writer.current_versions(list(expected))
        kept: list[StoredEvent] = []
        skipped = 0
        for event in stored:
            claim_id = UUID(str(event.originator_id))
            if current.get(claim_id) == expected[claim_id]:
                kept.append(event)
                continue
            fresh = self._uprated_the_ordinary_way(claim_id, on)
            if fresh is None:
                skipped += 1
            else:
                kept.append(fresh)
        return kept, skipped

    def _uprated_the_ordinary_way(self, claim_id: UUID, on: date) -> StoredEvent | None:
        """Load the claim, uprate it with its own command; None when it refuses."""
        with recording_at(self.application.clock.now()):
            claim = self.application.claim(claim_id)
            try:
                claim.uprate_award(on)
            except DomainError:
                return None
        (event,) = claim.collect_events()
        return self.application.mapper.to_stored_event(event)
