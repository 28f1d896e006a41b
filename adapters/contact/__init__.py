"""Adapters of outbound contact: the spool the print and notify house reads, the outbox index."""
