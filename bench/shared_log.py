"""The run's one large log: the rebuild workload times building its views, the reads use them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bench.harness import BenchContext
from bench.seeded import SeededSchema, seeded_schema

EVENTS_PER_CUSTOMER = 6.4
"""About how many events the seeded population writes per customer."""

SEED_MARGIN = 0.03
"""Extra customers, so the log reaches the events asked for (measured: 6.37-6.41 per customer)."""

BUSY_CUSTOMER_EVENTS = 200
"""The reads workload's timeline customer has at least this many events."""


@dataclass
class SharedLog:
    """A seeded schema, and whether its views have been built yet."""

    seeded: SeededSchema
    views_built: bool = False


def shared_log(context: BenchContext) -> SharedLog:
    """The large log for this run, seeded (or loaded from the cache) on first use."""
    if "log" not in context.shared:
        scale = context.scale
        customers = max(
            math.ceil(scale.rebuild_events / EVENTS_PER_CUSTOMER * (1 + SEED_MARGIN)),
            scale.read_customers,
        )
        seeded = context.resources.enter_context(
            seeded_schema(
                context,
                customers=customers,
                label="log",
                busy_customer_events=BUSY_CUSTOMER_EVENTS,
            )
        )
        customers_seeded = len(seeded.customer_ids)
        if seeded.events < scale.rebuild_events or customers_seeded < scale.read_customers:
            raise RuntimeError(
                f"the seeded log has {seeded.events} events and {customers_seeded} customers;"
                f" the {scale.name} scale needs {scale.rebuild_events} and {scale.read_customers}"
            )
        context.shared["log"] = SharedLog(seeded)
    log: SharedLog = context.shared["log"]
    return log
