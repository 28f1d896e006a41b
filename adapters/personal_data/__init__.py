"""Where customers' wrapped data keys live: beside the event store (SQLite or PostgreSQL)."""
