"""The event store's PostgreSQL recorder, tuned for Journeys' write path."""
