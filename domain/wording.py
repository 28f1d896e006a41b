"""Wording shared by the letters and timeline labels that events declare (no aggregate here)."""

from __future__ import annotations

from typing import Any

from domain.obligations import NoLetter
from domain.rules.dla_to_pip import Action
from domain.rules.pip_assessment import Rate


def day(value: Any) -> str:
    """A date as a letter writes it: 2 May 2026."""
    return f"{value.day} {value:%B %Y}"


DISPUTE = (
    "If you disagree, you can ask us to look at the decision again (a mandatory "
    "reconsideration) within one month of the date of this letter."
)
"""How a customer disputes a decision, as a decision letter says it."""

APPEAL = (
    "If you still disagree, you can appeal to an independent tribunal within one month of "
    "the date of this letter."
)
"""How a customer appeals after a reconsideration, as the notice says it."""

RATE_NAMES = {Rate.STANDARD: "the standard rate", Rate.ENHANCED: "the enhanced rate"}
"""A PIP component's rate as a letter names it."""

DEADLINE_ACTIONS = {
    Action.PRE_16_LETTER: "write that DLA ends at 16 and PIP must be claimed",
    Action.INVITE: "invite a PIP claim",
    Action.CLOSE_FIRST_WINDOW: "the PIP claim deadline has passed",
    Action.CLOSE_SECOND_WINDOW: "the second notice's PIP claim deadline has passed",
    Action.END_DLA: "DLA's last day has passed",
    Action.AGE_REVIEW: "the DLA award's age review is due",
}
"""What a fired deadline's action does, as the timeline says it."""

SAFEGUARDING_WORK = NoLetter("safeguarding work among staff: the customer is not written to")
"""Why a safeguarding fact (a concern, a plan, a referral, a held lump sum) sends nothing."""
