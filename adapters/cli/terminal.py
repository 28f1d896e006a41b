"""Where the CLI's output goes: a rich console made when a command runs."""

from __future__ import annotations

from rich.console import Console


def console() -> Console:
    """A console sized by the terminal (or COLUMNS) as it is now.

    Made per use, never at import: rich fixes a console's width from COLUMNS when the console
    is made, so one made at import keeps whatever width the importing process had then.
    """
    return Console()
