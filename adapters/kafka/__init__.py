"""Kafka: the log published to a topic for other systems (and, later, for scaled-out workers)."""
