"""The rule tables: every rule Journeys automates, by id, with its versions."""

from __future__ import annotations

from domain.decisions import Decision, Reproduction
from domain.errors import DecisionInputsErased, UnknownRuleVersion
from domain.personal_data import ERASED
from domain.rules.debt import (
    DEBT_DEDUCTION_CAP,
    DEBT_EARNINGS_ATTACHMENT,
    DEBT_HARDSHIP,
    DEBT_RECOVERY_METHOD,
    DEBT_RECOVERY_RATE,
    DEBT_WAIVER,
)
from domain.rules.determination import DECISION_MAKER_JUDGEMENT
from domain.rules.disputes import (
    APPEAL_LAPSE,
    APPEAL_TIME_LIMIT,
    MANDATORY_RECONSIDERATION_TIME_LIMIT,
)
from domain.rules.dla_child import DLA_CHILD_AGE_REVIEWS, DLA_PAY_SCHEDULE
from domain.rules.dla_to_pip import (
    DLA_PIP_CLAIM_WINDOW,
    DLA_PIP_DLA_END_DATE,
    DLA_PIP_INVITATION,
    DLA_PIP_INVITATION_DATE,
    DLA_PIP_REINSTATEMENT,
    DLA_PIP_RESTART,
    DLA_PIP_SUSPENSION,
    DLA_PIP_TERMINATION,
)
from domain.rules.eligibility import PIP_AGE_TEST
from domain.rules.framework import AnyRule
from domain.rules.pip_assessment import PIP_COMPONENT_RATES
from domain.rules.pip_rates import PIP_WEEKLY_RATES
from domain.rules.questionnaire import PIP2_NEGATIVE_DETERMINATION, PIP2_RETURN_DATE
from domain.rules.safeguarding import SAFEGUARDING_LUMP_SUM_HOLD
from domain.rules.special_rules import (
    SPECIAL_RULES_BENEFIT_AWARD,
    SPECIAL_RULES_CLEARANCE_TARGET,
    SPECIAL_RULES_DEBT_RECOVERY,
    SPECIAL_RULES_DEFINITION,
    SPECIAL_RULES_PIP_AWARD,
)

RULES: dict[str, AnyRule] = {
    rule.rule_id: rule
    for rule in (
        PIP_AGE_TEST,
        PIP2_RETURN_DATE,
        PIP2_NEGATIVE_DETERMINATION,
        PIP_COMPONENT_RATES,
        PIP_WEEKLY_RATES,
        MANDATORY_RECONSIDERATION_TIME_LIMIT,
        APPEAL_TIME_LIMIT,
        APPEAL_LAPSE,
        DECISION_MAKER_JUDGEMENT,
        DLA_PAY_SCHEDULE,
        DLA_CHILD_AGE_REVIEWS,
        DLA_PIP_INVITATION_DATE,
        DLA_PIP_INVITATION,
        DLA_PIP_CLAIM_WINDOW,
        DLA_PIP_SUSPENSION,
        DLA_PIP_RESTART,
        DLA_PIP_TERMINATION,
        DLA_PIP_DLA_END_DATE,
        DLA_PIP_REINSTATEMENT,
        SAFEGUARDING_LUMP_SUM_HOLD,
        SPECIAL_RULES_DEFINITION,
        SPECIAL_RULES_CLEARANCE_TARGET,
        SPECIAL_RULES_PIP_AWARD,
        SPECIAL_RULES_BENEFIT_AWARD,
        SPECIAL_RULES_DEBT_RECOVERY,
        DEBT_DEDUCTION_CAP,
        DEBT_RECOVERY_RATE,
        DEBT_RECOVERY_METHOD,
        DEBT_EARNINGS_ATTACHMENT,
        DEBT_HARDSHIP,
        DEBT_WAIVER,
    )
}


def rerun(decision: Decision) -> Reproduction:
    """Re-run a recorded decision with the rule version it names."""
    try:
        rule = RULES[decision.rule_id]
    except KeyError:
        raise UnknownRuleVersion(f"no rule with id {decision.rule_id!r}") from None
    erased = sorted(k for k, v in decision.inputs.items() if v == ERASED)
    if erased:
        # Not a mismatch: the customer's personal data was erased, and the rule needs it.
        raise DecisionInputsErased(
            f"inputs erased: {', '.join(erased)} of this decision were erased with the "
            "customer's personal data, so it cannot be re-run; its recorded outcome stands"
        )
    return rule.rerun(decision)
