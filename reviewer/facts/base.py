"""What a fact finder is, and how the finders are run.

A finder is a small function over the shared ``Snapshot`` (and the facts found before it, for
the few facts that build on others). It declares the fact names it produces; a finder that
crashes yields those facts undecided (``None`` with a reason) and a warning, never a failed
inspection.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from reviewer.report import Fact, ReportWarning
from reviewer.snapshot import Snapshot

log = logging.getLogger(__name__)

FinderFunc = Callable[[Snapshot, Mapping[str, Fact]], dict[str, Fact]]


@dataclass(frozen=True)
class Finder:
    name: str
    produces: tuple[str, ...]
    func: FinderFunc

    def __call__(self, snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
        return self.func(snapshot, found)


def finder(*produces: str) -> Callable[[FinderFunc], Finder]:
    """Declare a finder: ``@finder("has_readme", ...)`` over ``def f(snapshot, found)``."""

    def wrap(func: FinderFunc) -> Finder:
        return Finder(func.__module__.rsplit(".", 1)[-1] + "." + func.__name__, produces, func)

    return wrap


def run_finders(
    finders: tuple[Finder, ...], snapshot: Snapshot
) -> tuple[dict[str, Fact], list[ReportWarning], dict[str, float]]:
    """Run every finder; returns facts, warnings and seconds spent per finder."""
    facts: dict[str, Fact] = {}
    warnings: list[ReportWarning] = []
    timings: dict[str, float] = {}
    for f in finders:
        started = time.perf_counter()
        try:
            produced = f(snapshot, facts)
        except Exception as err:  # noqa: BLE001 - a finder must never fail the inspection
            log.debug("finder %s failed", f.name, exc_info=True)
            reason = f"could not be decided: the {f.name} finder failed ({type(err).__name__})"
            produced = {name: Fact(None, (), reason) for name in f.produces}
            warnings.append(
                ReportWarning("finder-failed", f"{f.name} failed: {type(err).__name__}: {err}")
            )
        timings[f.name] = time.perf_counter() - started
        for name in f.produces:
            facts[name] = produced.get(name) or Fact(None, (), f"{f.name} did not decide it")
    return facts, warnings, timings
