"""Safeguarding rules: when a lump sum to a vulnerable customer is held for a colleague's check.

RULES.md section 6: a large arrears payment to a customer with an additional-support marker
is held for a colleague's check before release; the threshold is a parameter.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from domain.rules.framework import Evaluation, Rule, RuleVersion
from domain.values import SupportNeed, ValueObject, pounds

# No public figure for the threshold was found: the source is the department's own rule book.
RULE_BOOK = "Journeys RULES.md section 6 (department safeguarding policy)"


class LumpSumHoldPolicy(ValueObject):
    """Above this amount, a lump sum to a customer with a support marker is held."""

    threshold_pence: int = Field(gt=0)


class LumpSumFacts(ValueObject):
    """The payment and the customer's active additional-support markers."""

    amount_pence: int = Field(gt=0)
    support_needs: tuple[SupportNeed, ...]


class LumpSumHold(ValueObject):
    """Whether the payment waits for a colleague's check."""

    hold: bool
    threshold_pence: int


def _lump_sum_hold(facts: LumpSumFacts, policy: LumpSumHoldPolicy) -> Evaluation[LumpSumHold]:
    amount, threshold = pounds(facts.amount_pence), pounds(policy.threshold_pence)
    above = facts.amount_pence > policy.threshold_pence
    marked = bool(facts.support_needs)
    reasons = [
        f"The payment of {amount} is {'above' if above else 'not above'} the {threshold} "
        "threshold.",
        (
            "The customer has additional-support markers: "
            + ", ".join(need.value for need in facts.support_needs)
            + "."
            if marked
            else "The customer has no active additional-support marker."
        ),
    ]
    hold = above and marked
    reasons.append(
        "Held for a colleague's check before release."
        if hold
        else "Released at once: it is held only when above the threshold and the customer "
        "has a marker."
    )
    return Evaluation(
        LumpSumHold(hold=hold, threshold_pence=policy.threshold_pence), tuple(reasons)
    )


SAFEGUARDING_LUMP_SUM_HOLD: Rule[LumpSumFacts, LumpSumHoldPolicy, LumpSumHold] = Rule(
    rule_id="safeguarding.lump_sum_hold",
    title="Lump sums to customers with an additional-support marker held for a check",
    sources=(RULE_BOOK,),
    inputs_type=LumpSumFacts,
    outcome_type=LumpSumHold,
    versions=(
        RuleVersion(
            version=1,
            effective_from=date(2013, 4, 8),
            parameters=LumpSumHoldPolicy(threshold_pence=500_000),
            summary=(
                "A lump sum above £5,000 to a customer with any active additional-support "
                "marker is held for a colleague's check. UNVERIFIED: the £5,000 threshold is "
                "a stated default, not a published figure; check the department's current "
                "safeguarding guidance before relying on it."
            ),
        ),
    ),
    evaluate=_lump_sum_hold,
)
