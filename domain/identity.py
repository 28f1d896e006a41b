"""National Insurance numbers: the customer's identity, validated in the HMRC format."""

from __future__ import annotations

import re
import uuid

from domain.errors import InvalidNationalInsuranceNumber

# HMRC NIM39110: the first letter is never D, F, I, Q, U or V; the second never D, F, I, O,
# Q, U or V; a few prefixes are never allocated; the suffix is A, B, C or D.
# [0-9], not \d: \d also matches non-ASCII digits (for example full-width), which would
# let one NINO register twice under different spellings.
_NINO_PATTERN = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$")
_UNALLOCATED_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})

# Customer ids derive from the NINO so one NINO can only ever register once.
_CUSTOMER_NAMESPACE = uuid.UUID("6f1c9a4e-3c1e-4b5e-9a43-2f8f0e0d5a11")


def normalise_nino(raw: str) -> str:
    """Return the NINO in canonical form (upper case, no spaces) or raise a named error."""
    candidate = re.sub(r"\s+", "", raw).upper()
    if not _NINO_PATTERN.fullmatch(candidate):
        raise InvalidNationalInsuranceNumber(
            f"National Insurance number {raw!r} is not two letters, six digits and a "
            "final letter A-D (for example AB123456C)"
        )
    if candidate[:2] in _UNALLOCATED_PREFIXES:
        raise InvalidNationalInsuranceNumber(
            f"National Insurance number {raw!r} uses the prefix {candidate[:2]}, "
            "which is never allocated"
        )
    return candidate


def customer_id_for(nino: str) -> uuid.UUID:
    """The customer's stable id, derived from their canonical NINO."""
    return uuid.uuid5(_CUSTOMER_NAMESPACE, normalise_nino(nino))
