"""The roles a token may carry: kept apart from the HTTP machinery so the CLI names them cheaply."""

from __future__ import annotations

from enum import Enum


class Role(Enum):
    """What a token holder may do."""

    CUSTOMER = "customer"
    CASEWORKER = "caseworker"
    AUDITOR = "auditor"
