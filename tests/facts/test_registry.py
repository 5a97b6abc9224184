"""The explicit tuple of finders produces exactly the catalogue, which covers FACTS.md."""

from __future__ import annotations

import re

from conftest import SHARED_DIR

from reviewer.facts.catalog import FACT_NAMES, FACTS
from reviewer.facts.registry import FINDERS


def facts_md_names() -> set[str]:
    text = (SHARED_DIR / "FACTS.md").read_text(encoding="utf-8")
    table = text.split("| fact |", 1)[1].split("\n\n", 1)[0]
    names: set[str] = set()
    for line in table.splitlines()[2:]:
        first_cell = line.split("|")[1]
        names.update(re.findall(r"`([a-z_]+)`", first_cell))
    return names


def test_catalogue_covers_every_fact_of_facts_md() -> None:
    names = facts_md_names()
    assert len(names) >= 30  # the table was really parsed
    assert names - FACT_NAMES == set()


def test_finders_produce_exactly_the_catalogue_facts_from_the_clone() -> None:
    produced = [name for f in FINDERS for name in f.produces]
    assert len(produced) == len(set(produced)), "two finders produce the same fact"
    from_clone = {f.name for f in FACTS if f.source == "clone"}
    assert set(produced) == from_clone


def test_finder_names_are_unique() -> None:
    assert len({f.name for f in FINDERS}) == len(FINDERS)
