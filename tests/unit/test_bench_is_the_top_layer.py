"""Bench is the top layer: no module of domain, services, projections or adapters imports it.

The Docker image copies those four packages only, so an import of bench below it would stop
`journeys` from starting there (tests/integration/test_image_without_bench.py starts it so).
`lint-imports` checks the same layering from the import graph; this check also reads the
module names handed to importlib, which the graph does not see.
"""

from __future__ import annotations

import ast
import importlib
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BELOW_BENCH = ("domain", "services", "projections", "adapters")
DYNAMIC_IMPORTS = {"import_module", "__import__"}


def _is_bench(module: str) -> bool:
    return module == "bench" or module.startswith("bench.")


def bench_imports(source: str) -> set[str]:
    """The bench modules a source imports, by statement or by a literal name handed to importlib."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if _is_bench(alias.name))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if _is_bench(node.module):
                found.add(node.module)
        elif isinstance(node, ast.Call) and node.args:
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            first = node.args[0]
            if (
                name in DYNAMIC_IMPORTS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and _is_bench(first.value)
            ):
                found.add(first.value)
    return found


def test_no_module_below_bench_imports_bench() -> None:
    offending = {
        f"{path.relative_to(ROOT)}: {module}"
        for top in BELOW_BENCH
        for path in sorted((ROOT / top).rglob("*.py"))
        for module in bench_imports(path.read_text(encoding="utf-8"))
    }
    assert offending == set()


def test_the_check_itself_notices_every_way_of_importing_bench() -> None:
    assert bench_imports("from bench.cli import bench") == {"bench.cli"}
    assert bench_imports("import bench.harness as harness") == {"bench.harness"}
    assert bench_imports("import bench") == {"bench"}
    assert bench_imports("importlib.import_module('bench.cli')") == {"bench.cli"}
    assert bench_imports("__import__('bench')") == {"bench"}
    assert bench_imports("import benchmarks\nfrom .bench import x\nimport_module(name)") == set()


def test_the_benchmarks_have_a_console_script_of_their_own() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    scripts = project["scripts"]
    module, _, function = scripts["journeys-bench"].partition(":")
    assert (module, function) == ("bench.cli", "main")
    assert callable(getattr(importlib.import_module(module), function))
    assert not scripts["journeys"].startswith("bench")
