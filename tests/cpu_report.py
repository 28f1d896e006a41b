"""Sum the records of tests/cpu_usage.py by folder and by file, the costliest first."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

SHOWN_FILES = 25


def main(directory: str) -> None:
    """Print processor seconds (own, children) and wall seconds per folder and per file."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    for path in Path(directory).glob("cpu-*.jsonl"):
        for line in path.read_text().splitlines():
            record = json.loads(line)
            file = record["test"].split("::")[0]
            for key in (file.rsplit("/", 1)[0] + "/", file):
                total = totals[key]
                total[0] += record["own"]
                total[1] += record["children"]
                total[2] += record["wall"]
                total[3] += 1

    def cost(key: str) -> float:
        return totals[key][0] + totals[key][1]

    folders = sorted((key for key in totals if key.endswith("/")), key=cost, reverse=True)
    files = sorted((key for key in totals if not key.endswith("/")), key=cost, reverse=True)
    print(f"{'processor s':>12} {'children s':>11} {'wall s':>8} {'tests':>6}  where")
    for key in [*folders, "", *files[:SHOWN_FILES]]:
        if not key:
            print()
            continue
        own, children, wall, count = totals[key]
        print(f"{own:12.0f} {children:11.0f} {wall:8.0f} {count:6.0f}  {key}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".cpu-usage")
