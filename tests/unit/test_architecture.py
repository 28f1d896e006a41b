"""The layering rules hold: the domain is pure and the deployment file parses."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from adapters.cli.main import app as cli_app

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_MAY_IMPORT = {"domain", "pydantic", "eventsourcing.domain", "__future__"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _allowed_in_domain(module: str) -> bool:
    top = module.split(".")[0]
    if top in sys.stdlib_module_names:
        return True
    return any(module == ok or module.startswith(ok + ".") for ok in DOMAIN_MAY_IMPORT)


def test_domain_imports_only_the_standard_library_pydantic_and_eventsourcing_domain() -> None:
    offending = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / "domain").rglob("*.py")
        for module in _imports(path)
        if not _allowed_in_domain(module)
    }
    assert offending == set()


def test_the_check_itself_notices_a_forbidden_import() -> None:
    assert not _allowed_in_domain("psycopg")
    assert not _allowed_in_domain("eventsourcing.postgres")
    assert _allowed_in_domain("eventsourcing.domain")


def test_docker_compose_file_parses_and_names_the_deployment_services() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert {"postgres", "kafka", "demo"} <= set(compose["services"])
    demo_env = compose["services"]["demo"]["environment"]
    assert demo_env["JOURNEYS_DATABASE_URL"].startswith("postgresql://")


def test_every_deployed_service_runs_in_production_mode_with_secrets_from_the_environment() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    deployed = {
        name: service["environment"]
        for name, service in compose["services"].items()
        if service.get("build") == "." and name != "demo"
    }

    assert len(deployed) == 6
    for name, environment in deployed.items():
        assert environment["JOURNEYS_ENVIRONMENT"] == "production", name
        # `${NAME:?message}`: compose refuses to start without the secret, no default.
        for secret in ("JOURNEYS_TOKEN_SECRET", "JOURNEYS_PERSONAL_DATA_MASTER_KEY"):
            assert environment[secret].startswith(f"${{{secret}:?"), (name, secret)


def _parses_as_a_journeys_command(args: list[str]) -> bool:
    """True when the arguments name a `journeys` command (not a group) and its options parse.

    `--help` after them is acted on only once every option before it has parsed.
    """
    result = CliRunner().invoke(cli_app, [*args, "--help"])
    return result.exit_code == 0 and "Commands" not in result.output


def test_every_service_built_from_the_image_runs_a_real_journeys_command() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    built = {
        name: service["command"]
        for name, service in compose["services"].items()
        if service.get("build") == "."
    }

    assert {"demo", "api", "projections", "deadlines", "outbox", "relay", "consume"} <= set(built)
    for name, command in built.items():
        assert _parses_as_a_journeys_command(command), (name, command)
    assert not _parses_as_a_journeys_command(["deadlines", "run", "--no-such-option"])
    assert not _parses_as_a_journeys_command(["deadlines"])
