"""The `journeys` workers start without loading the HTTP app, which only serving needs.

The deadline, outbox, relay, consume and projection workers are started (and restarted after a
crash) far more often than the API; FastAPI and every route cost them a second of start-up.
"""

from __future__ import annotations

import subprocess
import sys

WEB_MODULES = ("fastapi", "starlette", "adapters.http.app", "adapters.http.auth", "uvicorn")


def test_the_command_line_loads_no_web_module_until_a_command_serves_http() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, adapters.cli.main; print(' '.join(sorted(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()

    assert "adapters.cli.main" in loaded
    assert [module for module in WEB_MODULES if module in loaded] == []
