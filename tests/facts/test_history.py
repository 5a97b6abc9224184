"""History facts (FACTS.md: commit_count, author_count, first/last_commit_date)."""

from __future__ import annotations

from reviewer.facts.history import find_history
from reviewer.snapshot import Snapshot


def test_history_counts_commits_authors_and_utc_dates(snapshot_of):
    snap = snapshot_of(
        {"a.py": "x = 1\n"},
        commits=[
            ({"b.py": "y = 2\n"}, "second", "Other@Example.org", "2024-03-05T23:30:00-05:00"),
            ({"c.py": "z = 3\n"}, "third", "other@example.org", "2024-02-01T00:10:00+02:00"),
            (
                {"d.py": "w = 4\n"},
                "bot",
                "41898282+github-actions[bot]@users.noreply.github.com",
                "2024-03-02T10:00:00Z",
            ),
        ],
    )
    facts = find_history(snap, {})
    assert facts["commit_count"].value == 4
    assert facts["author_count"].value == 3  # e-mail case folded; bots count
    assert facts["first_commit_date"].value == "2024-01-31"  # 00:10+02:00 is the 31st in UTC
    assert facts["last_commit_date"].value == "2024-03-06"  # 23:30-05:00 is the 6th in UTC


def test_missing_history_is_undecided(snapshot_of):
    snap = snapshot_of({"a.py": "x = 1\n"})
    no_history = Snapshot(snap.store, snap.commit, list(snap.all_entries), None)
    facts = find_history(no_history, {})
    assert {f.value for f in facts.values()} == {None}
    assert "not available" in facts["commit_count"].reason
