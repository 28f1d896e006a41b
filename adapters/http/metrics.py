"""Prometheus metrics: request counts and latency per route, and each projection's lag."""

from __future__ import annotations

import time
from collections.abc import Iterator

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
        app.add_middleware(_Measure, metrics=self)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and record how long it took."""
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def exposition(self) -> bytes:
        """The text format Prometheus scrapes."""
        return generate_latest(self.registry)


class _Measure:
    """Plain ASGI middleware: Starlette's BaseHTTPMiddleware (behind @app.middleware) runs
    each request in a task of its own and streams the body through a queue, which cost
    more than many a read it wrapped."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before it starts answering

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            # The router puts the matched route into the scope on the way in.
            template = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.observe(scope["method"], template, status, time.perf_counter() - started)
