"""The letter registry: every fact that means writing to the customer is in it, or says why not."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import domain
from domain.aggregate import JourneyAggregate
from domain.claim import Award, Claim
from domain.contacts import contact_id_for
from domain.letters import LETTERS, NOT_CONTACTS, letter_for
from domain.rules.pip_assessment import Rate
from domain.values import Actor, ContactChannel, ContactPreferences, EventRef
from tests.unit.builders import (
    DECISION_MAKER,
    appeal_lodged,
    awaiting_questionnaire,
    awarded,
    disallowed,
    not_awarded,
    reconsidered,
)

# Words that would reveal why a claim was fast-tracked (RULES.md 6; issue 6).
FORBIDDEN = re.compile(
    r"special rules|terminal|\bSR1\b|end of life|life expectancy|prognosis", re.IGNORECASE
)
TRIBUNAL_JUDGE = Actor.caseworker("judge-7")
CONTACT_SOUNDING = re.compile(r"Sent|Issued|Notice|Letter|Invitation")


def _subclasses(root: type[Any]) -> Iterator[type[Any]]:
    for subclass in root.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _name(cls: type[Any]) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def every_event_class_name() -> set[str]:
    """Every event class the domain package defines (the library subclasses each: one name)."""
    for module in pkgutil.walk_packages(domain.__path__, prefix="domain."):
        importlib.import_module(module.name)
    return {
        _name(cls)
        for cls in _subclasses(JourneyAggregate.Event)
        if cls.__module__.startswith("domain.") and "." in cls.__qualname__
    }


def test_every_event_whose_name_says_it_went_out_is_a_letter_or_explicitly_not_a_contact() -> None:
    listed = {_name(cls) for cls in (*LETTERS, *NOT_CONTACTS)}
    unlisted = sorted(
        name
        for name in every_event_class_name()
        if CONTACT_SOUNDING.search(name.rsplit(".", 1)[-1]) and name not in listed
    )
    assert unlisted == []


def test_the_walk_finds_the_domains_events() -> None:
    names = every_event_class_name()
    assert "domain.claim:Claim.QuestionnaireIssued" in names
    assert "domain.customer:Customer.DeathNotified" in names


def test_no_fact_is_both_a_letter_and_not_a_contact_and_every_exclusion_says_why() -> None:
    assert set(LETTERS).isdisjoint(NOT_CONTACTS)
    assert all(reason.strip() for reason in NOT_CONTACTS.values())
    assert len({template.template_id for template in LETTERS.values()}) == len(LETTERS)


def test_the_registry_maps_the_claim_and_transition_letters() -> None:
    names = {cls.__qualname__ for cls in LETTERS}
    assert {
        "Claim.QuestionnaireIssued",
        "Claim.AwardDecided",
        "Claim.Disallowed",
        "Claim.ReconsiderationDecided",
        "Claim.AppealDecided",
        "DlaToPipTransition.Pre16LetterSent",
        "DlaToPipTransition.InvitationIssued",
        "DlaToPipTransition.SecondNoticeSent",
        "DlaToPipTransition.DlaTerminated",
    } <= names


def _letters_of(claim: Claim) -> list[JourneyAggregate.Event]:
    return [
        e
        for e in claim.collect_events()
        if isinstance(e, JourneyAggregate.Event) and letter_for(e) is not None
    ]


def test_claim_letters_are_plain_dated_and_reveal_no_basis() -> None:
    allowed = Award(
        entitled=True,
        daily_living=Rate.ENHANCED,
        mobility=Rate.ENHANCED,
        starts_on=date(2025, 3, 31),
        ends_on=date(2028, 3, 30),
    )
    decided = appeal_lodged()
    decided.record_appeal_outcome(
        decided_on=date(2025, 9, 1),
        allowed=True,
        award=allowed,
        judge=TRIBUNAL_JUDGE,
        reason="Terminal illness: special rules apply (SR1 on file, prognosis 6 months)",
    )
    events = [
        *_letters_of(awaiting_questionnaire()),
        *_letters_of(disallowed()),
        *_letters_of(not_awarded()),
        *_letters_of(reconsidered()),
        *_letters_of(decided),
    ]
    kinds = [type(e).__name__ for e in events]
    assert kinds.count("QuestionnaireIssued") == 5  # each claim passed through the PIP2
    assert {"Disallowed", "AwardDecided", "ReconsiderationDecided", "AppealDecided"} <= set(kinds)
    preferences = ContactPreferences(channel=ContactChannel.EMAIL, large_print=True)
    for event in events:
        template = letter_for(event)
        assert template is not None
        message = template.message(event, preferences)
        assert message.about == EventRef(
            aggregate_id=event.originator_id, version=event.originator_version
        )
        assert message.contact_id == contact_id_for(message.about)
        assert (message.channel, message.large_print) == (ContactChannel.EMAIL, True)
        assert not FORBIDDEN.search(f"{message.subject} {message.body}"), message.body
    pip2 = letter_for(events[0])
    assert pip2 is not None
    assert "by 28 February 2025" in pip2.message(events[0], preferences).body
    appeal = events[-1]
    appeal_letter = letter_for(appeal)
    assert appeal_letter is not None
    assert appeal_letter.message(appeal, preferences).body == (
        "The tribunal allowed your appeal. You are entitled from 31 March 2025 to 30 March "
        "2028. Daily living part: the enhanced rate. Mobility part: the enhanced rate."
    )


def test_a_decision_letter_never_copies_the_decision_makers_reasons() -> None:
    claim = awarded()
    event = [e for e in claim.collect_events() if isinstance(e, Claim.AwardDecided)][-1]
    template = letter_for(event)
    assert template is not None
    body = template.message(event, ContactPreferences()).body
    assert body.startswith("We have decided your claim. You are entitled from 31 January 2025")
    assert "Daily living part: the standard rate. Mobility part: the enhanced rate." in body
    assert DECISION_MAKER.identifier not in body
