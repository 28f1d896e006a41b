"""Faults, concurrency and hostile input against the real parts: nothing lost (issue 10)."""
