"""ObjectStore: the tree, blobs and history of a bare repository, read without a checkout."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from gitrepo import bare_clone, commit, git, make_repo

from reviewer.errors import CloneError, RepositoryTooLargeError
from reviewer.git.store import ObjectStore


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repository shared read-only by the module's tests."""
    tmp_path = tmp_path_factory.mktemp("store")
    repo = make_repo(
        tmp_path / "w",
        {
            "README.md": "# Title\n",
            "src/app.py": "print('hi')\n",
            "bin/run.sh": "#!/bin/sh\n",
            "data/blob.bin": bytes(range(256)) * 40,
            "odd name\twith tab.txt": "t",
            "new\nline.txt": "n",
            "-rf": "dash",
            "--upload-pack=x": "option-like name",
            "bad\udcffutf8.py": "x = 1\n",
            "ünïcode/日本.md": "u",
        },
        symlinks={"link": "../../outside"},
        submodules={"vendor/lib": "https://github.com/o/lib.git"},
        author="ada@example.org",
        date="2023-05-01T10:00:00+00:00",
        commits=[
            {"files": {"src/app.py": "print('v2')\n"}, "message": "second",
             "author_email": "Bob@Example.org", "author_name": "Bob",
             "date": "2024-02-03T04:05:06+00:00"},
            {"files": {"README.md": None}, "message": "drop readme",
             "author_email": "ada@example.org", "date": "2024-06-01T00:00:00+00:00"},
        ],
    )  # fmt: skip
    (repo / "bin" / "run.sh").chmod(0o755)
    commit(repo, {}, "executable", author_email="ada@example.org", date="2024-06-02T00:00:00+00:00")
    return bare_clone(repo, tmp_path / "repo.git")


@pytest.fixture
def store(bare: Path, tmp_path: Path) -> ObjectStore:
    with ObjectStore(bare, tmp_path / "home", timeout_s=30) as opened:
        yield opened  # type: ignore[misc]


def test_tree_lists_every_entry_with_modes_and_sizes(store: ObjectStore) -> None:
    entries = {e.path: e for e in store.tree(store.resolve("HEAD"))}
    assert set(entries) == {
        ".gitmodules", "src/app.py", "bin/run.sh", "data/blob.bin", "odd name\twith tab.txt",
        "new\nline.txt", "-rf", "--upload-pack=x", "bad\udcffutf8.py", "ünïcode/日本.md",
        "link", "vendor/lib",
    }  # fmt: skip
    assert entries["data/blob.bin"].size == 256 * 40 and entries["data/blob.bin"].is_file
    assert entries["bin/run.sh"].mode == "100755" and entries["bin/run.sh"].is_file
    assert entries["link"].is_symlink and not entries["link"].is_file
    assert entries["vendor/lib"].is_submodule and entries["vendor/lib"].size == -1


def test_tree_raises_before_reading_when_entries_exceed_cap(store: ObjectStore) -> None:
    head = store.resolve("HEAD")
    assert len(store.tree(head, max_entries=12)) == 12
    with pytest.raises(RepositoryTooLargeError, match="more than 11 files"):
        store.tree(head, max_entries=11)


def test_read_returns_bytes_when_within_cap_and_none_when_over(store: ObjectStore) -> None:
    entries = {e.path: e for e in store.tree("HEAD")}
    blob = entries["data/blob.bin"]
    assert store.read(blob.oid, blob.size) == bytes(range(256)) * 40
    assert store.read(blob.oid, blob.size - 1) is None
    assert store.read(entries["src/app.py"].oid, 1000) == b"print('v2')\n"  # still in step
    assert store.read(entries["link"].oid, 1000) == b"../../outside"
    assert store.size(blob.oid) == blob.size


@pytest.mark.parametrize(
    "oid",
    ["0" * 40, "HEAD", "info HEAD", "abc\ncontents HEAD", "--batch", ""],
    ids=["missing", "rev", "command", "newline", "option", "empty"],
)
def test_read_returns_none_when_oid_is_missing_or_not_hex(store: ObjectStore, oid: str) -> None:
    assert store.read(oid, 1000) is None
    good = next(e for e in store.tree("HEAD") if e.path == "src/app.py")
    assert store.read(good.oid, 1000) == b"print('v2')\n"  # the batch process still answers


def test_history_counts_commits_and_authors(store: ObjectStore) -> None:
    history = store.history(store.resolve("HEAD"))
    assert history.commit_count == 4
    assert [c.subject for c in history.commits] == [
        "executable", "drop readme", "second", "Initial commit",
    ]  # fmt: skip
    assert history.author_emails == {"ada@example.org", "bob@example.org"}
    assert history.first_date == datetime(2023, 5, 1, 10, 0, tzinfo=UTC)
    assert history.last_date == datetime(2024, 6, 2, tzinfo=UTC)
    limited = store.history("HEAD", max_commits=2)
    assert limited.commit_count == 4 and len(limited.commits) == 2


def test_resolve_and_has_commit_when_revision_exists(store: ObjectStore, bare: Path) -> None:
    head = git(bare, "rev-parse", "HEAD").strip()
    assert store.resolve("HEAD") == store.resolve("main") == store.resolve(head) == head
    assert store.has_commit(head)
    assert not store.has_commit("1" * 40)


@pytest.mark.parametrize(
    "rev",
    ["--output=/tmp/x", "-n1", "HEAD extra", "HEAD\n", ""],
    ids=["long-option", "short-option", "space", "newline", "empty"],
)
def test_store_refuses_revision_when_it_looks_like_an_option(store: ObjectStore, rev: str) -> None:
    for call in (store.resolve, store.tree, store.history, store.has_commit):
        with pytest.raises(CloneError, match="Refusing the revision"):
            call(rev)  # type: ignore[operator]
    assert not os.path.exists("/tmp/x")


def test_store_raises_clone_error_when_revision_is_unknown(store: ObjectStore) -> None:
    with pytest.raises(CloneError):
        store.resolve("no-such-branch")
    with pytest.raises(CloneError):
        store.tree("2" * 40)


def test_store_restarts_reader_when_used_after_close(store: ObjectStore) -> None:
    oid = next(e.oid for e in store.tree("HEAD") if e.path == "-rf")
    assert store.read(oid, 10) == b"dash"
    store.close()
    store.close()  # idempotent
    assert store.read(oid, 10) == b"dash"


def test_store_reads_nothing_from_the_work_tree_when_given_a_non_bare_repo(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "w", {"a.txt": "committed"})
    (repo / "a.txt").write_text("edited, not committed")
    with ObjectStore(repo / ".git", tmp_path / "home") as opened:
        entry = opened.tree("HEAD")[0]
        assert opened.read(entry.oid, 100) == b"committed"


def test_read_asks_for_the_content_at_once_when_the_size_is_known(store: ObjectStore) -> None:
    blob = next(e for e in store.tree("HEAD") if e.path == "data/blob.bin")
    assert store.read(blob.oid, blob.size, blob.size) == bytes(range(256)) * 40
    # a wrong hint cannot make it read past the cap: the oversized answer is dropped unread
    assert store.read(blob.oid, 100, 50) is None
    app = next(e for e in store.tree("HEAD") if e.path == "src/app.py")
    assert store.read(app.oid, 1000, app.size) == b"print('v2')\n"  # still in step


def test_read_many_answers_in_order_when_some_oids_are_missing_or_malformed(
    store: ObjectStore,
) -> None:
    entries = {e.path: e for e in store.tree("HEAD")}
    oids = [entries["-rf"].oid, "0" * 40, "HEAD", entries["src/app.py"].oid, entries["-rf"].oid]
    assert list(store.read_many(oids, 1000)) == [
        (oids[0], b"dash"),
        (oids[1], None),
        (oids[2], None),
        (oids[3], b"print('v2')\n"),
        (oids[4], b"dash"),
    ]


def test_read_many_gives_none_from_an_oversized_blob_on(store: ObjectStore) -> None:
    entries = {e.path: e for e in store.tree("HEAD")}
    oids = [entries["-rf"].oid, entries["data/blob.bin"].oid, entries["src/app.py"].oid]
    assert [data for _, data in store.read_many(oids, 1000)] == [b"dash", None, None]


def test_read_many_keeps_reads_in_step_when_interleaved_or_left_early(
    store: ObjectStore,
) -> None:
    entries = {e.path: e for e in store.tree("HEAD")}
    dash, app = entries["-rf"].oid, entries["src/app.py"].oid
    many = store.read_many([dash, app] * 300, 1000)  # more than one pipelined batch
    assert next(many) == (dash, b"dash")
    assert store.read(app, 1000) == b"print('v2')\n"  # another reader between two answers
    other = store.read_many([app, dash], 1000)
    assert next(other) == (app, b"print('v2')\n")
    assert next(many) == (app, b"print('v2')\n")
    many.close()  # left with answers unread
    assert list(other) == [(dash, b"dash")]
    assert store.read(dash, 1000) == b"dash"
