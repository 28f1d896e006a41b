"""Prometheus metrics: request counts and latency per route, and each projection's lag."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator

from fastapi import FastAPI, Request, Response
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from projections.runner import ProjectionRunner


class ProjectionLag(Collector):
    """Reads positions when scraped, so the figure is never stale."""

    def __init__(self, runner: ProjectionRunner) -> None:
        self._runner = runner

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """journeys_projection_position and journeys_projection_lag_events per projection."""
        position = GaugeMetricFamily(
            "journeys_projection_position", "Last log position applied", labels=["projection"]
        )
        lag = GaugeMetricFamily(
            "journeys_projection_lag_events",
            "Events in the log not yet applied",
            labels=["projection"],
        )
        for status in self._runner.status():
            position.add_metric([status.name], status.position)
            lag.add_metric([status.name], status.lag)
        yield position
        yield lag


class Metrics:
    """One registry per app (tests build many apps in one process)."""

    def __init__(self, runner: ProjectionRunner) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "journeys_http_requests",
            "HTTP requests by route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "journeys_http_request_seconds",
            "HTTP request latency by route",
            ["method", "route"],
            registry=self.registry,
        )
        self.registry.register(ProjectionLag(runner))

    def install(self, app: FastAPI) -> None:
        """Time every request and count it by its route template (not its raw path)."""

        @app.middleware("http")
        async def measure(
            request: Request, call_next: Callable[[Request], Awaitable[Response]]
        ) -> Response:
            started = time.perf_counter()
            response = await call_next(request)
            route = request.scope.get("route")
            template = getattr(route, "path", "unmatched")
            self.requests.labels(request.method, template, str(response.status_code)).inc()
            self.latency.labels(request.method, template).observe(time.perf_counter() - started)
            return response

    def exposition(self) -> bytes:
        """The text format Prometheus scrapes."""
        return generate_latest(self.registry)
