"""Safeguarding: concerns, six-point plans, lump-sum holds, serious case referrals (caseworkers)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["safeguarding"])
