"""Reliability tests reuse the Kafka fixtures: a Tansu broker and a fresh topic per test."""

from __future__ import annotations

from tests.kafka.conftest import events_topic, kafka_broker

__all__ = ["events_topic", "kafka_broker"]
