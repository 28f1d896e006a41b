"""Named errors carry their field and a stable code as data; the HTTP edge never reads messages."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import adapters.http
import domain
import services
from adapters.http.errors import install_error_handlers
from domain.errors import (
    ClaimAlreadyDecided,
    DomainError,
    InvalidDebt,
    InvalidName,
    InvalidNationalInsuranceNumber,
    MissingDescription,
)
from domain.safeguarding_checks import due_not_before, named_owner, not_before, required_text
from services.errors import NotFound

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("domain", "services", "adapters")
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
# A message may start with a value rather than a field: '{component} activity ...' names the
# PIP component ('daily living', 'mobility'), which is no field of any command.
STARTS_WITH_A_VALUE = {"InvalidAssessmentPoints"}


def _subclasses(root: type[DomainError]) -> Iterator[type[DomainError]]:
    for subclass in root.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _import_all(package: ModuleType) -> None:
    for module in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
        importlib.import_module(module.name)


def every_domain_error() -> list[type[DomainError]]:
    """Every named error the domain, the services and the HTTP adapter define."""
    for package in (domain, services, adapters.http):
        _import_all(package)
    return sorted(set(_subclasses(DomainError)), key=lambda cls: cls.__qualname__)


def _declares_field(cls: type[DomainError]) -> bool:
    # Said in the class itself or in a named parent (ClaimAlreadyDecided under ClaimNotOpen),
    # never only by DomainError's default.
    below_root = cls.__mro__[: cls.__mro__.index(DomainError)]
    return any("field" in vars(ancestor) for ancestor in below_root)


def test_the_walk_finds_errors_of_the_domain_services_and_http_adapter() -> None:
    names = {cls.__name__ for cls in every_domain_error()}
    assert {"ClaimAlreadyDecided", "PurposeNotStated", "DateInFuture", "CaseItemNotFound"} <= names


def test_every_domain_error_has_a_one_line_docstring() -> None:
    lacking = [
        cls.__qualname__
        for cls in every_domain_error()
        if not cls.__doc__ or "\n" in cls.__doc__.strip()
    ]
    assert lacking == []


def test_every_domain_error_declares_the_field_it_concerns_or_none() -> None:
    undeclared = [cls.__qualname__ for cls in every_domain_error() if not _declares_field(cls)]
    assert undeclared == []
    malformed = {
        cls.__qualname__: cls.field
        for cls in every_domain_error()
        if cls.field is not None and not SNAKE_CASE.fullmatch(cls.field)
    }
    assert malformed == {}


def test_every_domain_error_has_a_stable_unique_snake_case_code_from_its_name() -> None:
    errors = every_domain_error()
    assert InvalidNationalInsuranceNumber.code == "invalid_national_insurance_number"
    assert ClaimAlreadyDecided.code == "claim_already_decided"
    assert all(SNAKE_CASE.fullmatch(cls.code) for cls in errors)
    codes = [cls.code for cls in errors]
    assert sorted(codes) == sorted(set(codes))


def test_a_fixed_field_is_the_classes_and_a_raising_site_may_name_another() -> None:
    assert InvalidNationalInsuranceNumber("bad").field == "nino"
    assert ClaimAlreadyDecided("decided").field is None
    assert MissingDescription("blank", field="outcome").field == "outcome"
    assert MissingDescription("blank").field is None
    assert str(MissingDescription("blank", field="outcome")) == "blank"


def test_the_shared_safeguarding_checks_name_the_field_they_were_given() -> None:
    with pytest.raises(DomainError) as blank:
        required_text("  ", "description")
    with pytest.raises(DomainError) as ownerless:
        named_owner("", "recommendation_owner")
    with pytest.raises(DomainError) as early:
        due_not_before(date(2026, 1, 1), date(2026, 1, 5), "review_on")
    with pytest.raises(DomainError) as before:
        not_before(date(2026, 1, 1), date(2026, 1, 5), "closed_on", "the day it was opened")
    fields = [error.value.field for error in (blank, ownerless, early, before)]
    assert fields == ["description", "recommendation_owner", "review_on", "closed_on"]


# -- every raising site that starts its message with a field also carries the field as data ------


def _leading_text(message: ast.expr) -> tuple[str, ast.expr | None]:
    """The message's literal start, and the expression it starts with when it starts with one."""
    if isinstance(message, ast.Constant) and isinstance(message.value, str):
        return message.value, None
    if isinstance(message, ast.JoinedStr) and message.values:
        first = message.values[0]
        if isinstance(first, ast.FormattedValue):
            return "", first.value
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value, None
    return "", None


def _field_word(text: str) -> str | None:
    """A start the HTTP edge once read as a field: 'claim_date 2027-...' or 'age: no ...'."""
    first = text.split(" ", 1)[0]
    word = first.removesuffix(":")
    if not SNAKE_CASE.fullmatch(word) or not word.replace("_", "").isalpha():
        return None
    return word if first.endswith(":") or "_" in word else None


def _keyword(call: ast.Call, name: str) -> ast.keyword | None:
    return next((keyword for keyword in call.keywords if keyword.arg == name), None)


def _refusals_starting_with_a_field() -> Iterator[tuple[str, type[DomainError], ast.Call]]:
    """(where, error class, call) for each raised or returned named error led by a field."""
    by_name = {cls.__name__: cls for cls in every_domain_error()}
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                call = node.exc if isinstance(node, ast.Raise) else None
                if isinstance(node, ast.Return):
                    call = node.value
                if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
                    continue
                cls = by_name.get(call.func.id)
                if cls is None or issubclass(cls, NotFound) or not call.args:
                    continue  # a 404 names a record, not a field
                text, leading = _leading_text(call.args[0])
                led_by_name = isinstance(leading, ast.Name) and cls.__name__ not in (
                    STARTS_WITH_A_VALUE
                )
                if _field_word(text) or led_by_name:
                    yield f"{path.relative_to(ROOT)}:{call.lineno}", cls, call


def test_the_scan_finds_the_refusals_that_start_with_a_field() -> None:
    found = {
        (where.split(":")[0], cls.__name__) for where, cls, _ in _refusals_starting_with_a_field()
    }
    assert ("domain/transition.py", "NoAgeReviewDue") in found
    assert ("domain/safeguarding_checks.py", "MissingDescription") in found
    assert ("services/base.py", "DateInFuture") in found
    assert len(found) > 30


def test_every_refusal_that_starts_with_a_field_carries_that_field_as_data() -> None:
    missing: list[str] = []
    for where, cls, call in _refusals_starting_with_a_field():
        text, _ = _leading_text(call.args[0])
        given = _keyword(call, "field")
        named = _field_word(text)
        if given is None:
            if cls.field is None or (named and cls.field != named):
                missing.append(f"{where} {cls.__name__}: field {cls.field!r}, message {text!r}")
        elif named and isinstance(given.value, ast.Constant) and given.value.value != named:
            missing.append(f"{where} {cls.__name__}: field={given.value.value!r} vs {text!r}")
    assert missing == []


# -- over HTTP: the 422 names the error's field, whatever the message says -----------------------


@pytest.fixture
def refusing_api() -> Iterator[TestClient]:
    app = FastAPI()
    install_error_handlers(app)
    refusals: dict[str, DomainError] = {
        "site": InvalidDebt("period_to is not what is wrong here", field="amount_pence"),
        "class": InvalidName("a customer needs a name"),
        "none": MissingDescription("claim_date: reads like a field, but is only text"),
    }

    @app.post("/refuse/{kind}")
    def refuse(kind: str) -> None:
        raise refusals[kind]

    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize(
    ("kind", "location", "kind_name"),
    [
        ("site", ["body", "amount_pence"], "InvalidDebt"),
        ("class", ["body", "name"], "InvalidName"),
        ("none", ["body"], "MissingDescription"),
    ],
)
def test_a_refusals_location_is_the_errors_field_never_the_messages_first_word(
    refusing_api: TestClient, kind: str, location: list[str], kind_name: str
) -> None:
    answer = refusing_api.post(f"/refuse/{kind}")
    assert answer.status_code == 422
    [detail] = answer.json()["detail"]
    assert (detail["loc"], detail["type"]) == (location, kind_name)
