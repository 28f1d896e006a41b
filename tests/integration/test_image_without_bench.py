"""`journeys` starts from the packages the Docker image copies, with no bench to import.

The image (Dockerfile) copies domain, services, projections and adapters and installs them;
bench, the top layer, stays out. This starts the CLI from a copy of exactly those packages
in a fresh process where bench cannot be imported, as in the image.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from services.settings import Settings
from tests.conftest import process_environment

ROOT = Path(__file__).resolve().parents[2]

# Run in the fresh process. The editable install of the repository would find bench (and the
# tests) beside the copy, so a finder put first refuses them, as an image without them would.
STARTER = """
import json, sys
from pathlib import Path


class NotInTheImage:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.partition(".")[0] in {"bench", "tests"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, NotInTheImage)

from typer.testing import CliRunner

from adapters.cli.main import app

copied = set(sys.argv[1:])
runner = CliRunner()
commands = [
    ["--help"],
    ["demo", "--customers", "20", "--seed", "3", "--days", "30"],
]
runs = [runner.invoke(app, command) for command in commands]
here = Path.cwd().resolve()
print(json.dumps({
    "exit_codes": [run.exit_code for run in runs],
    "outputs": [run.output for run in runs],
    "bench_modules": sorted(name for name in sys.modules if name.partition(".")[0] == "bench"),
    "not_from_the_copy": sorted(
        name
        for name, module in sys.modules.items()
        if name.partition(".")[0] in copied
        and not Path(getattr(module, "__file__", None) or "/").resolve().is_relative_to(here)
    ),
}))
"""


def packages_the_image_copies() -> list[str]:
    """The Python packages the Dockerfile's COPY lines take from the repository."""
    packages: list[str] = []
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        words = line.split()
        if words[:1] == ["COPY"]:
            sources = [word for word in words[1:-1] if not word.startswith("--")]
            packages += [source for source in sources if (ROOT / source / "__init__.py").is_file()]
    return packages


def test_the_image_copies_every_package_but_bench() -> None:
    assert packages_the_image_copies() == ["domain", "services", "projections", "adapters"]


def test_journeys_help_and_demo_run_from_the_image_packages_without_bench(tmp_path: Path) -> None:
    copy = tmp_path / "image"
    packages = packages_the_image_copies()
    for package in packages:
        # copytree keeps modification times, so the compiled modules beside them stay valid.
        shutil.copytree(ROOT / package, copy / package)
    starter = tmp_path / "starter.py"
    starter.write_text(STARTER, encoding="utf-8")
    store = Settings(database_url=None, sqlite_path=tmp_path / "store" / "events.sqlite3")
    store.sqlite_path.parent.mkdir()

    finished = subprocess.run(
        [sys.executable, str(starter), *packages],
        cwd=copy,
        env=process_environment(store, PYTHONPATH=str(copy)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    started = json.loads(finished.stdout.strip().splitlines()[-1])
    assert started["exit_codes"] == [0, 0], started["outputs"]
    help_text, demo_output = started["outputs"]
    assert "demo" in help_text
    assert "bench" not in help_text
    assert "Claims by state" in demo_output
    assert started["bench_modules"] == []
    assert started["not_from_the_copy"] == []
