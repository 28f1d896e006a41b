"""Production refuses to start with the public development keys; real keys start it."""

from __future__ import annotations

import base64
import secrets
import sys
from pathlib import Path

import pytest

from adapters.bootstrap import build
from adapters.cli.main import run
from adapters.http.app import reader_app
from services.production import (
    TOKEN_TTL_MAX_SECONDS,
    UnsafeProductionSettings,
    production_problems,
)
from services.settings import Settings


def real_master_key() -> str:
    """A fresh 32-byte key, base64, as production would set it."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def production(tmp_path: Path) -> Settings:
    """Production settings over an embedded store, with real keys."""
    return Settings(
        database_url=None,
        sqlite_path=tmp_path / "events.sqlite3",
        environment="production",
        token_secret=secrets.token_urlsafe(48),
        personal_data_master_key=real_master_key(),
    )


def test_production_with_the_development_defaults_refuses_to_start_naming_each_setting(
    tmp_path: Path,
) -> None:
    settings = Settings(
        database_url=None, sqlite_path=tmp_path / "events.sqlite3", environment="production"
    )

    with pytest.raises(UnsafeProductionSettings) as refused:
        build(settings)

    message = str(refused.value)
    assert "JOURNEYS_ENVIRONMENT=production" in message
    assert "token_secret (JOURNEYS_TOKEN_SECRET)" in message
    assert "personal_data_master_key (JOURNEYS_PERSONAL_DATA_MASTER_KEY)" in message
    assert len(refused.value.problems) == 2
    assert not (tmp_path / "events.sqlite3").exists()  # refused before anything was opened


def test_production_with_real_keys_starts(tmp_path: Path) -> None:
    with build(production(tmp_path)) as system:
        assert system.settings.environment == "production"


def test_development_starts_with_the_defaults(tmp_path: Path) -> None:
    with build(Settings(database_url=None, sqlite_path=tmp_path / "events.sqlite3")) as system:
        assert system.settings.environment == "development"


def test_production_refuses_a_short_token_secret_and_a_long_token_life(tmp_path: Path) -> None:
    # model_copy skips validation, as a loader that bypassed the field's bounds might.
    weak = production(tmp_path).model_copy(
        update={"token_secret": "short", "token_ttl_seconds": TOKEN_TTL_MAX_SECONDS + 1}
    )

    problems = production_problems(weak)

    assert [problem.split(" ", 1)[0] for problem in problems] == [
        "token_secret",
        "token_ttl_seconds",
    ]
    assert "shorter than 32" in problems[0]


def test_the_api_worker_factory_refuses_production_with_development_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYS_ENVIRONMENT", "production")
    monkeypatch.setenv("JOURNEYS_SQLITE_PATH", str(tmp_path / "events.sqlite3"))
    monkeypatch.delenv("JOURNEYS_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("JOURNEYS_TOKEN_SECRET", raising=False)

    with pytest.raises(UnsafeProductionSettings, match="token_secret"):
        reader_app()


def test_a_cli_command_in_production_with_development_defaults_exits_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JOURNEYS_ENVIRONMENT", "production")
    monkeypatch.setenv("JOURNEYS_SQLITE_PATH", str(tmp_path / "events.sqlite3"))
    monkeypatch.setenv("JOURNEYS_TOKEN_SECRET", secrets.token_urlsafe(48))
    monkeypatch.delenv("JOURNEYS_PERSONAL_DATA_MASTER_KEY", raising=False)
    monkeypatch.delenv("JOURNEYS_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(sys, "argv", ["journeys", "projections", "status"])

    with pytest.raises(SystemExit) as exited:
        run()

    assert exited.value.code == 2
    error = " ".join(capsys.readouterr().err.split())
    assert "personal_data_master_key" in error
    assert "token_secret" not in error
