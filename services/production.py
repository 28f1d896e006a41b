"""Production refuses to start with development defaults: the keys in the source are public."""

from __future__ import annotations

from services.settings import DEVELOPMENT_MASTER_KEY, DEVELOPMENT_TOKEN_SECRET, Settings

TOKEN_SECRET_MIN_LENGTH = 32
"""An HS256 key should be at least as long as the hash (32 bytes)."""

TOKEN_TTL_MAX_SECONDS = 8 * 3600
"""A token outlives its working day by no more than this: a stolen one stops working."""


class UnsafeProductionSettings(Exception):
    """Production was asked to start with a development default or a weak secret."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            "refusing to start in production (JOURNEYS_ENVIRONMENT=production): "
            + "; ".join(problems)
        )
        self.problems = problems


def production_problems(settings: Settings) -> list[str]:
    """What stops these settings being used in production (empty when nothing does)."""
    problems = []
    if settings.token_secret == DEVELOPMENT_TOKEN_SECRET:
        problems.append(
            "token_secret (JOURNEYS_TOKEN_SECRET) is the public development default: "
            "anyone could sign tokens"
        )
    elif len(settings.token_secret) < TOKEN_SECRET_MIN_LENGTH:
        problems.append(
            f"token_secret (JOURNEYS_TOKEN_SECRET) is shorter than {TOKEN_SECRET_MIN_LENGTH} "
            "characters"
        )
    if settings.personal_data_master_key == DEVELOPMENT_MASTER_KEY:
        problems.append(
            "personal_data_master_key (JOURNEYS_PERSONAL_DATA_MASTER_KEY) is the public "
            "development default: anyone could read sealed personal data"
        )
    if settings.token_ttl_seconds > TOKEN_TTL_MAX_SECONDS:
        problems.append(
            f"token_ttl_seconds (JOURNEYS_TOKEN_TTL_SECONDS) is {settings.token_ttl_seconds}, "
            f"more than {TOKEN_TTL_MAX_SECONDS} (a stolen token would stay good that long)"
        )
    return problems


def refuse_unsafe_production(settings: Settings) -> None:
    """Raise UnsafeProductionSettings, naming each offending setting, in production only."""
    if settings.environment != "production":
        return
    problems = production_problems(settings)
    if problems:
        raise UnsafeProductionSettings(problems)
