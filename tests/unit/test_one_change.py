"""A use case that is one change to one aggregate keeps that change's signature and checks.

`one_change` stands for the many use cases that load an aggregate, call one of its methods and
save: callers and the command routes' reflection test see the method's own arguments, a date
of a past fact after today is refused naming it (given by name or by position), and the
change is saved like any other.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest

from domain.debt import Debt
from domain.rules.debt import DebtCause
from domain.values import BenefitType
from services.base import one_change
from services.clock import SimulatedClock
from services.errors import DateInFuture
from services.journeys import JourneysApplication

TODAY = date(2026, 1, 5)


@pytest.fixture
def app() -> Iterator[JourneysApplication]:
    application = JourneysApplication(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
        clock=SimulatedClock.on(TODAY),
        group_commit=False,
    )
    yield application
    application.close()


def _a_debt(app: JourneysApplication) -> UUID:
    customer_id = app.register_customer(
        nino="AB123456C", name="Ada", date_of_birth=date(1985, 3, 14)
    ).id
    return app.identify_overpayment(
        customer_id,
        benefit=BenefitType.UC,
        cause=DebtCause.CLAIMANT_ERROR,
        period_from=date(2025, 9, 1),
        period_to=date(2025, 11, 30),
        amount_pence=120_000,
        identified_on=TODAY,
    ).id


def test_the_use_case_takes_the_aggregate_id_then_the_methods_own_arguments() -> None:
    repay = one_change(Debt, Debt.repay, happened=("paid_on",))
    parameters = list(inspect.signature(repay).parameters)

    assert parameters == ["self", "debt_id", "amount_pence", "paid_on"]
    assert repay.__name__ == "repay"
    assert repay.__doc__ == Debt.repay.__doc__


def test_the_change_is_saved_and_a_future_date_is_refused_however_it_is_given(
    app: JourneysApplication,
) -> None:
    debt_id = _a_debt(app)

    recorded = app.repay(debt_id, amount_pence=20_000, paid_on=TODAY)

    assert recorded.id == debt_id
    assert app.debt(debt_id).balance_pence == 100_000
    with pytest.raises(DateInFuture) as by_name:
        app.repay(debt_id, amount_pence=100, paid_on=date(2026, 1, 6))
    with pytest.raises(DateInFuture) as by_position:
        app.repay(debt_id, 100, date(2026, 1, 6))
    assert by_name.value.field == by_position.value.field == "paid_on"
    assert app.debt(debt_id).balance_pence == 100_000


def test_a_declared_use_case_is_named_after_its_attribute_not_the_aggregates_method() -> None:
    assert JourneysApplication.reassign_concern.__name__ == "reassign_concern"
    assert JourneysApplication.repay.__qualname__.endswith(".repay")
