"""Outbound contact: messages to customers, and what was sent or refused (caseworkers)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["contacts"])
