"""Every event class the domain declares, found by walking the domain's modules."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import domain
from domain.aggregate import JourneyAggregate

_LIBRARY_BASES = frozenset({"Event", "Created"})
"""The names of the bases the event library gives every aggregate (never recorded themselves)."""


@cache
def every_event_class() -> tuple[type[JourneyAggregate.Event], ...]:
    """Each event class the domain declares (nested in its aggregate), by qualified name.

    The event library redefines each declared class in its aggregate under the same name:
    the one kept is the class the aggregate records (the subclass).
    """
    for module in pkgutil.walk_packages(domain.__path__, prefix="domain."):
        importlib.import_module(module.name)
    found: dict[str, type[JourneyAggregate.Event]] = {}
    pending = list(JourneyAggregate.Event.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("domain.") and "." in cls.__qualname__:
            kept = found.setdefault(cls.__qualname__, cls)
            if issubclass(cls, kept):
                found[cls.__qualname__] = cls
        pending.extend(cls.__subclasses__())
    return tuple(found[name] for name in sorted(found))


def recorded_event_classes() -> tuple[type[JourneyAggregate.Event], ...]:
    """The event classes an aggregate records: all but the library's own bases of each."""
    return tuple(
        cls
        for cls in every_event_class()
        if cls.__qualname__.rsplit(".", 1)[-1] not in _LIBRARY_BASES
    )
