"""Obvious copies from the clone alone (FACTS.md: is_fork_or_copy; the GitHub fork relation is
ORed in by the inspection)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from gitrepo import commit, git
from snapfactory import open_snapshot

from reviewer.facts.copies import find_copies, imported_history
from reviewer.git.store import CommitInfo

START = datetime(2023, 5, 1, tzinfo=UTC)


def commits(*spec: tuple[str, str, int, str]) -> list[CommitInfo]:
    """(author name, e-mail, day offset, subject), oldest first."""
    return [
        CommitInfo(f"{i:040x}", name, email, START + timedelta(days=day), subject)
        for i, (name, email, day, subject) in enumerate(spec)
    ]


TUTOR = ("Alejandro", "alejandro@example.com")
ME = ("Scooter Vine", "scooter@example.org")

HISTORIES = [
    pytest.param(
        commits(
            (*TUTOR, 0, "first commit"),
            (*TUTOR, 1, "feat: read pdfs"),
            (*TUTOR, 2, "feat: finish tutorial"),
            (*ME, 3, "Update app.py"),
        ),
        True,
        id="tutorial-commits-then-mine",
    ),
    pytest.param(
        commits(
            (*TUTOR, 0, "init"),
            (*TUTOR, 1, "add model"),
            (*TUTOR, 2, "docs"),
            (*ME, 160, "my changes"),
            (*ME, 161, "more"),
        ),
        True,
        id="long-gap-before-my-work",
    ),
    pytest.param(
        commits(
            (*TUTOR, 0, "Full pipeline: baseline"),
            (*TUTOR, 1, "final notebook"),
            (*TUTOR, 2, "sync config"),
            (*ME, 25, "Phase 2: serving and CI"),
        ),
        False,
        id="team-project-second-phase",
    ),
    pytest.param(
        commits(
            (*TUTOR, 0, "upload app code and trained model"),
            (*TUTOR, 0, "fix paths"),
            (*TUTOR, 1, "add requirements"),
            (*ME, 10, "Update README.md"),
            (*ME, 11, "Update README.md"),
        ),
        True,
        id="later-commits-only-edit-the-readme",
    ),
    pytest.param(
        commits(
            (*TUTOR, 0, "init"), (*TUTOR, 1, "Merge pull request #3 from x/y"), (*ME, 2, "mine")
        ),
        True,
        id="upstream-merged-pull-requests",
    ),
    pytest.param(
        commits(
            ("Course Staff", "staff@uni.edu", 0, "Initial commit"),
            (*ME, 1, "solve part 1"),
            (*ME, 2, "solve part 2"),
        ),
        False,
        id="single-starter-commit-is-not-a-copy",
    ),
    pytest.param(
        commits(
            (*TUTOR, 0, "init"),
            (*TUTOR, 1, "setup"),
            (*ME, 2, "model"),
            (*TUTOR, 3, "fix"),
            (*ME, 4, "tune"),
        ),
        False,
        id="team-project-interleaved",
    ),
    pytest.param(
        commits(
            ("Ali Azizi Deh Sorkh", "out@laptop.local", 0, "init"),
            ("Ali Azizi Deh Sorkh", "out@laptop.local", 1, "lesson 1 notes"),
            ("Ali Azizi Deh Sorkh", "out@laptop.local", 2, "more"),
            ("Ali Azizi", "aliazizidehsorkh@gmail.com", 40, "refactor"),
        ),
        False,
        id="one-person-two-addresses",
    ),
    pytest.param(
        commits((*ME, 0, "init"), (*ME, 1, "tutorial part 2"), (*ME, 30, "final")),
        False,
        id="own-history-only",
    ),
    pytest.param(
        commits(
            (*TUTOR, 0, "init"),
            (*TUTOR, 1, "lesson 1"),
            (
                "dependabot[bot]",
                "49699333+dependabot[bot]@users.noreply.github.com",
                5,
                "Bump torch",
            ),
        ),
        False,
        id="bots-are-not-the-candidate",
    ),
]


@pytest.mark.parametrize(("history", "copied"), HISTORIES)
def test_imported_history(history, copied):
    assert (imported_history(history) is not None) is copied


OWNED = [
    pytest.param(
        commits(
            (*TUTOR, 0, "first commit"), (*TUTOR, 1, "feat: finish tutorial"), (*TUTOR, 2, "x")
        ),
        "someone-else",
        True,
        id="owner-has-no-commit-in-a-tutorial-history",
    ),
    pytest.param(
        commits(
            (*TUTOR, 0, "first commit"), (*TUTOR, 1, "feat: finish tutorial"), (*TUTOR, 2, "x")
        ),
        "alejandro-ao",
        False,
        id="the-tutorial-author-own-repository",
    ),
    pytest.param(
        commits(
            ("Ali Azizi Deh Sorkh", "out@laptop.local", 0, "init"),
            ("Ali Azizi Deh Sorkh", "out@laptop.local", 1, "tutorial notes"),
            ("Someone", "someone@example.com", 2, "fix"),
        ),
        "AliAziziDH",
        False,
        id="first-block-is-the-owner",
    ),
]


@pytest.mark.parametrize(("history", "owner", "copied"), OWNED)
def test_imported_history_with_owner(history, owner, copied):
    assert (imported_history(history, owner) is not None) is copied


README_CASES = [
    pytest.param("# PDF chat\nForked from https://github.com/alejandro-ao/x\n", True, id="forked"),
    pytest.param("# App\nThis repository is a copy of the course demo.\n", True, id="copy-of"),
    pytest.param(
        "# Chat\nBuilt following the YouTube tutorial by Alejandro.\n",
        True,
        id="following-tutorial",
    ),
    pytest.param(
        "# Chat\nInspired by a tutorial, rewritten from scratch.\n", False, id="inspired-by"
    ),
    pytest.param(
        "# Capstone\nMy solution to the course's final project.\n", False, id="course-solution"
    ),
    pytest.param("# Tool\nThis project is not a fork of anything.\n", False, id="negated"),
]


@pytest.mark.parametrize(("readme", "copied"), README_CASES)
def test_is_fork_or_copy_from_readme(snapshot_of, readme, copied):
    fact = find_copies(snapshot_of({"README.md": readme, "app.py": "x = 1\n"}), {})
    assert fact["is_fork_or_copy"].value is copied
    assert bool(fact["is_fork_or_copy"].evidence) is copied


def _repo(path: Path, history: list[tuple[str, str, str, str]]) -> Path:
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    for i, (name, email, date, subject) in enumerate(history):
        commit(
            path,
            {f"f{i}.py": f"x = {i}\n"},
            subject,
            author_name=name,
            author_email=email,
            date=date,
        )
    return path


def test_is_fork_or_copy_from_real_history(tmp_path):
    repo = _repo(
        tmp_path / "r",
        [
            ("Alejandro", "a@example.com", "2023-05-19T10:00:00Z", "first commit && setup gui"),
            ("Alejandro", "a@example.com", "2023-05-29T10:00:00Z", "feat: finish tutorial"),
            ("Scooter", "s@example.org", "2023-12-20T10:00:00Z", "Update app.py"),
        ],
    )
    snap = open_snapshot(repo, tmp_path / "home")
    try:
        fact = find_copies(snap, {})["is_fork_or_copy"]
    finally:
        snap.store.close()
    assert fact.value is True
    assert "finish tutorial" in fact.reason


def test_is_fork_or_copy_false_for_own_work(snapshot_of):
    snap = snapshot_of(
        {"app.py": "x = 1\n"},
        commits=[({"b.py": "y = 2\n"}, "more", "author@example.org", "2024-03-09T12:00:00Z")],
    )
    fact = find_copies(snap, {})["is_fork_or_copy"]
    assert fact.value is False
    assert fact.reason
