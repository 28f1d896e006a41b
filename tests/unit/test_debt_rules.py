"""Debt recovery rules (RULES.md section 5), with amounts and dates worked by hand."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from domain.errors import InvalidHardshipRequest, InvalidWaiver, UnknownRuleVersion
from domain.rules import RULES, rerun
from domain.rules.debt import (
    DEBT_DEDUCTION_CAP,
    DEBT_EARNINGS_ATTACHMENT,
    DEBT_HARDSHIP,
    DEBT_RECOVERY_METHOD,
    DEBT_RECOVERY_RATE,
    DEBT_RULES,
    DEBT_WAIVER,
    AdvanceKind,
    AdvanceTerms,
    CapFacts,
    CapParameters,
    DeaFacts,
    DebtCause,
    DeductionClass,
    DeductionRequest,
    HardshipFacts,
    HardshipKind,
    MethodFacts,
    PayFrequency,
    RateFacts,
    RecoveryMethod,
    WaiverFacts,
    WaiverGround,
    check_hardship_request,
    check_waiver,
    decide_deduction_cap,
    pounds,
)
from domain.values import Actor

# The 2025/26 UC standard allowance of a single claimant aged 25 or over: £400.14 a month.
ALLOWANCE = 40_014
TODAY = date(2026, 1, 7)


def request(item_id: str, kind: DeductionClass, pence: int) -> DeductionRequest:
    return DeductionRequest(item_id=item_id, deduction_class=kind, requested_pence=pence)


def cap_facts(start: date, *requests: DeductionRequest, allowance: int = ALLOWANCE) -> CapFacts:
    return CapFacts(
        assessment_period_start=start, standard_allowance_pence=allowance, requests=requests
    )


def test_pounds_shows_pence_as_pounds_and_pence() -> None:
    assert pounds(40_014) == "£400.14"
    assert pounds(6_500) == "£65.00"
    assert pounds(123_456_789) == "£1,234,567.89"


# -- 1. the overall deduction cap -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "percent", "version"),
    [
        (date(2013, 4, 29), 40, 1),
        (date(2019, 9, 30), 40, 1),
        (date(2019, 10, 1), 30, 2),
        (date(2021, 4, 11), 30, 2),
        (date(2021, 4, 12), 25, 3),
        (date(2025, 4, 29), 25, 3),
        (date(2025, 4, 30), 15, 4),
        (date(2026, 1, 7), 15, 4),
    ],
)
def test_the_cap_is_the_share_in_force_on_the_assessment_periods_start(
    start: date, percent: int, version: int
) -> None:
    decided = decide_deduction_cap(cap_facts(start))
    assert decided.outcome.cap_pence == ALLOWANCE * percent // 100
    assert decided.record.rule_version == version


def test_a_period_starting_the_day_before_the_fair_repayment_rate_keeps_25_percent() -> None:
    asked = request("overpayment", DeductionClass.OVERPAYMENT, 20_000)
    before = decide_deduction_cap(cap_facts(date(2025, 4, 29), asked)).outcome
    from_change = decide_deduction_cap(cap_facts(date(2025, 4, 30), asked)).outcome
    # 25% of £400.14 is £100.03 (rounded down to the penny); 15% is £60.02.
    assert (before.cap_pence, before.granted_to("overpayment")) == (10_003, 10_003)
    assert (from_change.cap_pence, from_change.granted_to("overpayment")) == (6_002, 6_002)


def test_the_cap_is_decided_by_the_period_start_not_the_day_the_decision_is_made() -> None:
    facts = cap_facts(date(2025, 4, 29), request("op", DeductionClass.OVERPAYMENT, 20_000))
    assert DEBT_DEDUCTION_CAP.decide(facts, on=date(2025, 5, 20)).outcome.cap_pence == 6_002
    assert decide_deduction_cap(facts).outcome.cap_pence == 10_003


def test_no_cap_before_universal_credit_began() -> None:
    with pytest.raises(UnknownRuleVersion):
        decide_deduction_cap(cap_facts(date(2013, 4, 28)))


def test_a_fraud_penalty_is_taken_in_full_outside_the_cap() -> None:
    outcome = decide_deduction_cap(
        cap_facts(
            TODAY,
            request("penalty", DeductionClass.FRAUD_PENALTY, 15_000),
            request("op", DeductionClass.OVERPAYMENT, 10_000),
        )
    ).outcome
    assert [(g.item_id, g.granted_pence, g.outside_cap) for g in outcome.granted] == [
        ("penalty", 15_000, True),
        ("op", 6_002, False),
    ]
    assert outcome.total_under_cap_pence == 6_002
    assert outcome.total_pence == 21_002


def test_last_resort_deductions_may_exceed_the_cap_and_leave_no_room_for_debts() -> None:
    decided = decide_deduction_cap(
        cap_facts(
            TODAY,
            request("op", DeductionClass.OVERPAYMENT, 6_002),
            request("rent arrears", DeductionClass.LAST_RESORT, 8_000),
        )
    )
    outcome = decided.outcome
    assert outcome.granted_to("rent arrears") == 8_000
    assert outcome.granted_to("op") == 0
    assert outcome.total_under_cap_pence == 8_000 > outcome.cap_pence
    assert any("above the cap" in reason for reason in decided.record.reasons)


def test_last_resort_uses_up_cap_room_before_the_debts_share_the_rest() -> None:
    outcome = decide_deduction_cap(
        cap_facts(
            TODAY,
            request("op", DeductionClass.OVERPAYMENT, 5_000),
            request("fuel", DeductionClass.LAST_RESORT, 2_000),
        )
    ).outcome
    assert outcome.granted_to("fuel") == 2_000
    assert outcome.granted_to("op") == 4_002


def test_the_room_left_is_filled_in_priority_order_then_request_order() -> None:
    decided = decide_deduction_cap(
        cap_facts(
            TODAY,
            request("op one", DeductionClass.OVERPAYMENT, 1_000),
            request("fraud op", DeductionClass.FRAUD_OVERPAYMENT, 2_000),
            request("op two", DeductionClass.OVERPAYMENT, 3_000),
            request("advance", DeductionClass.ADVANCE, 2_500),
        )
    )
    # Cap £60.02: advance £25.00, fraud overpayment £20.00, then overpayments in the order
    # asked: op one £10.00, op two the £5.02 left.
    assert [g.granted_pence for g in decided.outcome.granted] == [1_000, 2_000, 502, 2_500]
    assert decided.outcome.total_under_cap_pence == decided.outcome.cap_pence
    assert any("op two" in reason and "£5.02" in reason for reason in decided.record.reasons)


def test_the_priority_order_is_a_parameter() -> None:
    table = CapParameters(
        cap_percent=15,
        priority_order=(
            DeductionClass.OVERPAYMENT,
            DeductionClass.ADVANCE,
            DeductionClass.FRAUD_OVERPAYMENT,
            DeductionClass.LAST_RESORT,
            DeductionClass.FRAUD_PENALTY,
        ),
    )
    facts = cap_facts(
        TODAY,
        request("advance", DeductionClass.ADVANCE, 5_000),
        request("op", DeductionClass.OVERPAYMENT, 5_000),
    )
    outcome = DEBT_DEDUCTION_CAP.evaluate(facts, table).outcome
    assert (outcome.granted_to("op"), outcome.granted_to("advance")) == (5_000, 1_002)


def test_a_priority_order_must_name_every_class_once() -> None:
    with pytest.raises(ValidationError, match="every deduction class"):
        CapParameters(cap_percent=15, priority_order=(DeductionClass.OVERPAYMENT,))


def test_two_requests_with_one_item_id_are_refused() -> None:
    with pytest.raises(ValidationError, match="item_id"):
        cap_facts(
            TODAY,
            request("same", DeductionClass.OVERPAYMENT, 1),
            request("same", DeductionClass.ADVANCE, 1),
        )


def test_a_request_for_nothing_is_granted_nothing() -> None:
    outcome = decide_deduction_cap(
        cap_facts(TODAY, request("op", DeductionClass.OVERPAYMENT, 0))
    ).outcome
    assert outcome.granted_to("op") == 0
    assert outcome.total_pence == 0


requests_strategy = st.lists(
    st.builds(
        DeductionRequest,
        item_id=st.text(min_size=1, max_size=6),
        deduction_class=st.sampled_from(DeductionClass),
        requested_pence=st.integers(min_value=0, max_value=200_000),
    ),
    max_size=8,
    unique_by=lambda r: r.item_id,
)


@given(
    requests=requests_strategy,
    allowance=st.integers(min_value=1, max_value=500_000),
    start=st.dates(min_value=date(2013, 4, 29), max_value=date(2030, 12, 31)),
)
def test_the_debts_under_the_cap_never_take_more_than_the_room_the_last_resort_leaves(
    requests: list[DeductionRequest], allowance: int, start: date
) -> None:
    decided = decide_deduction_cap(cap_facts(start, *requests, allowance=allowance))
    outcome = decided.outcome
    by_id = {r.item_id: r for r in requests}
    last_resort = sum(
        r.requested_pence for r in requests if r.deduction_class is DeductionClass.LAST_RESORT
    )
    capped = sum(
        g.granted_pence
        for g in outcome.granted
        if by_id[g.item_id].deduction_class
        not in (DeductionClass.FRAUD_PENALTY, DeductionClass.LAST_RESORT)
    )
    assert capped <= max(0, outcome.cap_pence - last_resort)
    assert [g.item_id for g in outcome.granted] == [r.item_id for r in requests]
    for grant in outcome.granted:
        asked = by_id[grant.item_id]
        assert 0 <= grant.granted_pence <= asked.requested_pence
        assert grant.outside_cap == (asked.deduction_class is DeductionClass.FRAUD_PENALTY)
        if asked.deduction_class in (DeductionClass.FRAUD_PENALTY, DeductionClass.LAST_RESORT):
            assert grant.granted_pence == asked.requested_pence
    assert outcome.total_pence == sum(g.granted_pence for g in outcome.granted)
    # Nothing capped is refused while room is left: the cap is used up or every ask is met.
    asked_capped = sum(
        r.requested_pence
        for r in requests
        if r.deduction_class not in (DeductionClass.FRAUD_PENALTY, DeductionClass.LAST_RESORT)
    )
    assert capped == min(asked_capped, max(0, outcome.cap_pence - last_resort))
    assert rerun(decided.record).reproduces


# -- 2. the recovery rate -------------------------------------------------------------------------


def rate(**facts: object) -> tuple[int, str, int | None]:
    outcome = DEBT_RECOVERY_RATE.decide(
        RateFacts.model_validate({"standard_allowance_pence": ALLOWANCE, **facts}), on=TODAY
    ).outcome
    return outcome.per_period_pence, outcome.basis, outcome.months


def test_an_overpayment_is_recovered_at_15_percent_of_the_standard_allowance() -> None:
    assert rate(cause=DebtCause.CLAIMANT_ERROR) == (6_002, "standard", None)
    assert rate(cause=DebtCause.OFFICIAL_ERROR) == (6_002, "standard", None)


def test_with_earnings_the_rate_is_25_percent() -> None:
    assert rate(cause=DebtCause.CLAIMANT_ERROR, has_earnings=True) == (10_003, "earnings", None)


def test_fraud_is_recovered_at_40_percent_with_or_without_earnings() -> None:
    assert rate(cause=DebtCause.FRAUD) == (16_005, "fraud", None)
    assert rate(cause=DebtCause.FRAUD, has_earnings=True) == (16_005, "fraud", None)


@pytest.mark.parametrize(
    ("kind", "taken_on", "months", "per_month"),
    [
        # £1,000.00 over 12 months is £83.333...: rounded up to £83.34.
        (AdvanceKind.NEW_CLAIM, date(2021, 4, 11), 12, 8_334),
        # Over 24 months £41.666...: £41.67.
        (AdvanceKind.NEW_CLAIM, date(2021, 4, 12), 24, 4_167),
        (AdvanceKind.CHANGE_OF_CIRCUMSTANCES, date(2021, 4, 11), 6, 16_667),
        (AdvanceKind.CHANGE_OF_CIRCUMSTANCES, date(2025, 6, 1), 6, 16_667),
    ],
)
def test_an_advance_is_repaid_over_the_months_for_its_kind_and_date(
    kind: AdvanceKind, taken_on: date, months: int, per_month: int
) -> None:
    advance = AdvanceTerms(kind=kind, amount_pence=100_000, taken_on=taken_on)
    per_period, _, got_months = rate(advance=advance)
    assert (per_period, got_months) == (per_month, months)
    # Rounding up never leaves the advance unpaid at the end of its months.
    assert per_period * months >= advance.amount_pence > per_period * (months - 1)


def test_a_debt_is_either_an_overpayment_with_a_cause_or_an_advance() -> None:
    advance = AdvanceTerms(kind=AdvanceKind.NEW_CLAIM, amount_pence=1, taken_on=TODAY)
    with pytest.raises(ValidationError):
        RateFacts(standard_allowance_pence=ALLOWANCE)
    with pytest.raises(ValidationError):
        RateFacts(standard_allowance_pence=ALLOWANCE, cause=DebtCause.FRAUD, advance=advance)


# -- 3. the recovery method -----------------------------------------------------------------------


def method(**facts: object) -> tuple[RecoveryMethod, bool]:
    values = {"balance_pence": 50_000, "on_benefit": False, "employed": False, **facts}
    outcome = DEBT_RECOVERY_METHOD.decide(MethodFacts.model_validate(values), on=TODAY).outcome
    return outcome.method, outcome.suspended


def test_on_benefit_a_debt_is_recovered_by_deduction_even_when_employed() -> None:
    assert method(on_benefit=True, employed=True, cause=DebtCause.CLAIMANT_ERROR) == (
        RecoveryMethod.BENEFIT_DEDUCTION,
        False,
    )


def test_off_benefit_and_employed_it_is_an_earnings_attachment() -> None:
    assert method(employed=True, cause=DebtCause.FRAUD)[0] is RecoveryMethod.EARNINGS_ATTACHMENT


def test_off_benefit_and_not_employed_it_is_a_voluntary_plan() -> None:
    assert method(cause=DebtCause.OFFICIAL_ERROR)[0] is RecoveryMethod.VOLUNTARY_PLAN


@pytest.mark.parametrize("cause", [DebtCause.OFFICIAL_ERROR, DebtCause.CLAIMANT_ERROR])
def test_an_overpayment_under_65_pounds_not_from_fraud_is_left_unrecovered(
    cause: DebtCause,
) -> None:
    assert method(balance_pence=6_499, on_benefit=True, cause=cause)[0] is (
        RecoveryMethod.NOT_RECOVERED
    )
    assert method(balance_pence=6_500, on_benefit=True, cause=cause)[0] is (
        RecoveryMethod.BENEFIT_DEDUCTION
    )


def test_a_small_fraud_overpayment_or_advance_is_still_recovered() -> None:
    assert method(balance_pence=100, on_benefit=True, cause=DebtCause.FRAUD)[0] is (
        RecoveryMethod.BENEFIT_DEDUCTION
    )
    assert method(balance_pence=100, on_benefit=True, cause=None)[0] is (
        RecoveryMethod.BENEFIT_DEDUCTION
    )


def test_special_rules_policy_keeps_the_method_but_suspends_recovery_without_naming_it() -> None:
    decided = DEBT_RECOVERY_METHOD.decide(
        MethodFacts(
            balance_pence=50_000,
            on_benefit=True,
            employed=False,
            cause=DebtCause.CLAIMANT_ERROR,
            special_rules_suspended=True,
        ),
        on=TODAY,
    )
    assert (decided.outcome.method, decided.outcome.suspended) == (
        RecoveryMethod.BENEFIT_DEDUCTION,
        True,
    )
    assert not any("special rules" in reason.lower() for reason in decided.record.reasons)


# -- 4. direct earnings attachment ----------------------------------------------------------------

WEEKLY_EDGES = [(100, 0, 3), (160, 3, 5), (220, 5, 7), (270, 7, 11), (375, 11, 15), (520, 15, 20)]
MONTHLY_EDGES = [
    (430, 0, 3),
    (690, 3, 5),
    (950, 5, 7),
    (1_160, 7, 11),
    (1_615, 11, 15),
    (2_240, 15, 20),
]


def dea(net: int, frequency: PayFrequency, other: int = 0) -> tuple[int, int, bool]:
    outcome = DEBT_EARNINGS_ATTACHMENT.decide(
        DeaFacts(net_pay_pence=net, frequency=frequency, other_attachments_pence=other), on=TODAY
    ).outcome
    return outcome.band_percent, outcome.deduction_pence, outcome.protected


@pytest.mark.parametrize(
    ("frequency", "edge_pounds", "below", "from_edge"),
    [(PayFrequency.WEEKLY, *edge) for edge in WEEKLY_EDGES]
    + [(PayFrequency.MONTHLY, *edge) for edge in MONTHLY_EDGES],
)
def test_pay_exactly_on_an_edge_is_in_the_lower_band_and_a_penny_more_in_the_next(
    frequency: PayFrequency, edge_pounds: int, below: int, from_edge: int
) -> None:
    # The regulation's table: "exceeding £100 but not exceeding £160", and so on.
    edge = edge_pounds * 100
    assert dea(edge - 1, frequency) == (below, (edge - 1) * below // 100, False)
    assert dea(edge, frequency) == (below, edge * below // 100, False)
    assert dea(edge + 1, frequency) == (from_edge, (edge + 1) * from_edge // 100, False)


def test_no_pay_and_very_high_pay_fall_in_the_end_bands() -> None:
    assert dea(0, PayFrequency.WEEKLY) == (0, 0, False)
    assert dea(10_000_000, PayFrequency.MONTHLY) == (20, 2_000_000, False)


def test_the_employee_keeps_60_percent_when_other_attachments_are_large() -> None:
    # £600.00 a week: 20% is £120.00, and 60% (£360.00) must be kept.
    assert dea(60_000, PayFrequency.WEEKLY) == (20, 12_000, False)
    assert dea(60_000, PayFrequency.WEEKLY, other=12_000) == (20, 12_000, False)
    assert dea(60_000, PayFrequency.WEEKLY, other=15_000) == (20, 9_000, True)
    assert dea(60_000, PayFrequency.WEEKLY, other=24_000) == (20, 0, True)
    assert dea(60_000, PayFrequency.WEEKLY, other=50_000) == (20, 0, True)


def test_the_protected_60_percent_is_rounded_up_to_the_penny() -> None:
    # £100.01 a week: 60% is £60.006, so £60.01 is kept and at most £40.00 can go.
    assert dea(10_001, PayFrequency.WEEKLY, other=3_800) == (3, 200, True)


def test_the_reasons_say_when_the_protection_cut_the_deduction() -> None:
    decided = DEBT_EARNINGS_ATTACHMENT.decide(
        DeaFacts(
            net_pay_pence=300_000, frequency=PayFrequency.MONTHLY, other_attachments_pence=100_000
        ),
        on=TODAY,
    )
    assert decided.outcome.deduction_pence == 20_000
    assert any("keeps at least 60%" in reason for reason in decided.record.reasons)


@given(
    net=st.integers(min_value=0, max_value=2_000_000),
    other=st.integers(min_value=0, max_value=2_000_000),
    frequency=st.sampled_from(PayFrequency),
)
def test_a_dea_never_leaves_less_than_60_percent_nor_takes_more_than_its_band(
    net: int, other: int, frequency: PayFrequency
) -> None:
    percent, deduction, protected = dea(net, frequency, other)
    assert 0 <= deduction <= net * percent // 100
    assert deduction == 0 or net - other - deduction >= -(-net * 60 // 100)
    assert protected == (deduction < net * percent // 100)


# -- 5. hardship ----------------------------------------------------------------------------------


def hardship(
    kind: HardshipKind,
    months: int,
    reduced: int | None = None,
    agrees: bool = True,
    reason: str = "Rent arrears after a change of hours.",
) -> HardshipFacts:
    return HardshipFacts(
        kind=kind,
        months=months,
        current_per_period_pence=6_002,
        reduced_per_period_pence=reduced,
        decision_maker_agrees=agrees,
        reason=reason,
    )


def test_a_pause_that_is_agreed_stops_recovery_for_its_months() -> None:
    outcome = DEBT_HARDSHIP.decide(hardship(HardshipKind.PAUSE, 3), on=TODAY).outcome
    assert (outcome.granted, outcome.kind, outcome.months, outcome.per_period_pence) == (
        True,
        HardshipKind.PAUSE,
        3,
        0,
    )


def test_a_reduction_that_is_agreed_sets_the_lower_rate() -> None:
    outcome = DEBT_HARDSHIP.decide(hardship(HardshipKind.REDUCE, 6, 2_000), on=TODAY).outcome
    assert (outcome.granted, outcome.months, outcome.per_period_pence) == (True, 6, 2_000)


def test_a_refused_request_keeps_the_current_rate() -> None:
    outcome = DEBT_HARDSHIP.decide(
        hardship(HardshipKind.REDUCE, 2, 2_000, agrees=False), on=TODAY
    ).outcome
    assert (outcome.granted, outcome.per_period_pence) == (False, 6_002)


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (hardship(HardshipKind.PAUSE, 4), "at most 3 months"),
        (hardship(HardshipKind.REDUCE, 7, 1_000), "at most 6 months"),
        (hardship(HardshipKind.PAUSE, 0), "at least 1 month"),
        (hardship(HardshipKind.REDUCE, 2, 6_002), "below the current"),
        (hardship(HardshipKind.REDUCE, 2, -1), "below the current"),
        (hardship(HardshipKind.REDUCE, 2), "needs the reduced rate"),
        (hardship(HardshipKind.PAUSE, 2, 1_000), "no reduced rate"),
        (hardship(HardshipKind.PAUSE, 2, reason="  "), "needs a reason"),
    ],
)
def test_a_malformed_hardship_request_is_refused_before_any_decision(
    facts: HardshipFacts, message: str
) -> None:
    with pytest.raises(InvalidHardshipRequest, match=message):
        check_hardship_request(facts, TODAY)
    # Were it decided anyway (a re-run of bad inputs), nothing would be granted.
    assert not DEBT_HARDSHIP.decide(facts, on=TODAY).outcome.granted


def test_a_request_at_the_limits_is_well_formed() -> None:
    check_hardship_request(hardship(HardshipKind.PAUSE, 3), TODAY)
    check_hardship_request(hardship(HardshipKind.PAUSE, 1), TODAY)
    check_hardship_request(hardship(HardshipKind.REDUCE, 6, 0), TODAY)
    check_hardship_request(hardship(HardshipKind.REDUCE, 1, 6_001), TODAY)


def test_the_check_uses_the_version_in_force_on_the_day() -> None:
    with pytest.raises(UnknownRuleVersion):
        check_hardship_request(hardship(HardshipKind.PAUSE, 1), date(2013, 4, 28))


# -- 6. waiver ------------------------------------------------------------------------------------


def waiver(
    amount: int, reason: str = "Terminal illness; recovery would cause distress."
) -> WaiverFacts:
    return WaiverFacts(
        balance_pence=50_000,
        grounds=WaiverGround.TERMINAL_ILLNESS,
        reason=reason,
        amount_pence=amount,
    )


def test_a_waiver_writes_off_the_amount_and_records_who_decided_and_why() -> None:
    decided = DEBT_WAIVER.decide(waiver(50_000), on=TODAY, made_by=Actor.caseworker("cw-7"))
    assert (decided.outcome.written_off_pence, decided.outcome.balance_after_pence) == (50_000, 0)
    assert decided.record.made_by == Actor.caseworker("cw-7")
    assert not decided.record.automated
    assert any("Terminal illness; recovery" in reason for reason in decided.record.reasons)


def test_a_part_waiver_leaves_the_rest() -> None:
    outcome = DEBT_WAIVER.decide(waiver(20_000), on=TODAY).outcome
    assert (outcome.written_off_pence, outcome.balance_after_pence) == (20_000, 30_000)


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (waiver(10_000, reason=" "), "needs a reason"),
        (waiver(0), "more than nothing"),
        (waiver(-5), "more than nothing"),
        (waiver(50_001), "more than the balance"),
    ],
)
def test_a_waiver_without_a_reason_or_with_a_wrong_amount_is_refused(
    facts: WaiverFacts, message: str
) -> None:
    with pytest.raises(InvalidWaiver, match=message):
        check_waiver(facts)
    assert DEBT_WAIVER.decide(facts, on=TODAY).outcome.written_off_pence == 0


# -- audit ----------------------------------------------------------------------------------------


def test_every_debt_rule_is_registered_and_reruns_to_its_outcome() -> None:
    records = [
        decide_deduction_cap(
            cap_facts(
                date(2025, 4, 29),
                request("a", DeductionClass.ADVANCE, 4_167),
                request("b", DeductionClass.OVERPAYMENT, 9_000),
                request("c", DeductionClass.FRAUD_PENALTY, 1_000),
                request("d", DeductionClass.LAST_RESORT, 1_500),
            )
        ).record,
        decide_deduction_cap(cap_facts(date(2025, 4, 30))).record,
        DEBT_RECOVERY_RATE.decide(
            RateFacts(standard_allowance_pence=ALLOWANCE, cause=DebtCause.FRAUD), on=TODAY
        ).record,
        DEBT_RECOVERY_RATE.decide(
            RateFacts(
                standard_allowance_pence=ALLOWANCE,
                advance=AdvanceTerms(
                    kind=AdvanceKind.NEW_CLAIM, amount_pence=80_000, taken_on=date(2021, 4, 12)
                ),
            ),
            on=TODAY,
        ).record,
        DEBT_RECOVERY_METHOD.decide(
            MethodFacts(balance_pence=100, on_benefit=False, employed=True), on=TODAY
        ).record,
        DEBT_EARNINGS_ATTACHMENT.decide(
            DeaFacts(
                net_pay_pence=60_000, frequency=PayFrequency.WEEKLY, other_attachments_pence=15_000
            ),
            on=TODAY,
        ).record,
        DEBT_HARDSHIP.decide(hardship(HardshipKind.REDUCE, 4, 1_000), on=TODAY).record,
        DEBT_WAIVER.decide(waiver(1_000), on=TODAY, made_by=Actor.caseworker("cw-1")).record,
    ]
    assert {record.rule_id for record in records} == {rule.rule_id for rule in DEBT_RULES}
    assert [records[0].rule_version, records[1].rule_version] == [3, 4]
    for record in records:
        assert RULES[record.rule_id] is next(r for r in DEBT_RULES if r.rule_id == record.rule_id)
        assert rerun(record).reproduces, record.rule_id


def test_every_debt_rule_marks_figures_not_in_the_rule_book() -> None:
    for rule in (DEBT_DEDUCTION_CAP, DEBT_EARNINGS_ATTACHMENT, DEBT_HARDSHIP, DEBT_RECOVERY_RATE):
        assert all("UNVERIFIED" in row.summary for row in rule.versions), rule.rule_id
