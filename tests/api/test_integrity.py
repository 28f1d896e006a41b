"""GET /audit/integrity: the event log's hash chains, checked for auditors only."""

from __future__ import annotations

import sqlite3

import psycopg
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from fastapi.testclient import TestClient
from psycopg import sql

from adapters.bootstrap import Journeys
from tests.api.helpers import Tokens, fields_named, ok, register


def change_a_stored_state(journeys: Journeys, position: int) -> None:
    """What someone with database access might do: edit an event in place."""
    recorder = journeys.application.recorder
    settings = journeys.settings
    if isinstance(recorder, PostgresApplicationRecorder):
        assert settings.database_url
        with psycopg.connect(settings.database_url, autocommit=True) as connection:
            connection.execute(
                sql.SQL(
                    "UPDATE {} SET state = state || '\\x20'::bytea WHERE notification_id = %s"
                ).format(sql.Identifier(recorder.datastore.schema, recorder.events_table_name)),
                (position,),
            )
    else:
        assert isinstance(recorder, SQLiteApplicationRecorder)
        with sqlite3.connect(settings.sqlite_path) as connection:
            connection.execute(
                f"UPDATE {recorder.events_table_name} SET state = state || x'20' WHERE rowid = ?",
                (position,),
            )


def test_an_auditor_sees_an_intact_log_and_its_head_to_keep_as_an_anchor(
    api: TestClient, tokens: Tokens
) -> None:
    register(api, tokens)
    register(api, tokens, name="Grace Hopper")

    report = ok(api.get("/audit/integrity", headers=tokens.auditor()))

    assert report["intact"] is True
    assert report["first_break"] is None
    assert report["checked_events"] >= 2
    assert report["head_position"] >= report["checked_events"]
    assert len(report["head_hash"]) == 64
    anchored = ok(
        api.get(
            "/audit/integrity",
            params={"anchor_position": report["head_position"], "anchor_hash": report["head_hash"]},
            headers=tokens.auditor(),
        )
    )
    assert anchored["intact"] is True


def test_a_changed_event_is_reported_as_the_first_break(
    api: TestClient, tokens: Tokens, journeys: Journeys
) -> None:
    first = register(api, tokens)
    register(api, tokens, name="Grace Hopper")
    change_a_stored_state(journeys, 1)

    report = ok(api.get("/audit/integrity", headers=tokens.auditor()))

    assert report["intact"] is False
    assert report["checked_events"] == 0
    assert report["first_break"]["kind"] == "content_changed"
    assert report["first_break"]["position"] == 1
    assert report["first_break"]["aggregate_id"] == str(first)
    assert report["first_break"]["aggregate_version"] == 1


def test_only_auditors_may_verify_the_log(api: TestClient, tokens: Tokens) -> None:
    customer_id = register(api, tokens)

    assert api.get("/audit/integrity").status_code == 401
    for headers in (tokens.caseworker(), tokens.customer(customer_id)):
        assert api.get("/audit/integrity", headers=headers).status_code == 403


def test_an_anchor_needs_both_its_position_and_a_hash_in_hex(
    api: TestClient, tokens: Tokens
) -> None:
    half = api.get("/audit/integrity", params={"anchor_position": 3}, headers=tokens.auditor())
    not_hex = api.get(
        "/audit/integrity",
        params={"anchor_position": 3, "anchor_hash": "zz" * 32},
        headers=tokens.auditor(),
    )

    assert fields_named(half) == ["anchor_hash"]
    assert fields_named(not_hex) == ["anchor_hash"]
