"""Is the repository an obvious copy of a tutorial or of another repository? (from the clone)

FACTS.md: ``is_fork_or_copy`` is true for a GitHub fork (the inspection ORs in GitHub's fork
relation), a history that holds another author's tutorial commits, or content that reproduces a
widely known tutorial's solution; completing a course's starter skeleton with one's own solution
is not a copy. From the clone alone this finder says true only when it is clear:

- **history**: the oldest commits (at least two) are by people who never commit again, the later
  ones by others (the repository owner among them when the address is known), and that first
  block looks imported — tutorial-like subjects ("finish tutorial", "lesson 3"), merged pull
  requests, later commits that only edit the README or docs, a gap of three months or more before
  the later work, or twenty commits or more. A single starter commit (a course skeleton, a
  template) is not enough. People are matched by e-mail, name, GitHub login and name tokens, so
  one person's several addresses stay one person; bots are ignored.
- **owner**: when the repository's owner is known, a short history (100 commits at most) with
  not one commit by the owner and tutorial subjects is someone else's tutorial.
- **README**: it says so — "forked from", "cloned from", "copied from", "this repository is a
  copy/fork of", "following the tutorial/video by …", "based on the tutorial …". "Inspired by"
  and "based on the course" are not copies.

Otherwise false, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta

from reviewer.facts.base import finder
from reviewer.git.store import CommitInfo
from reviewer.report import Fact
from reviewer.snapshot import Snapshot

_README = re.compile(r"readme(?:\.(?:md|markdown|rst|txt))?", re.IGNORECASE)
_COPY_WORDS = re.compile(
    r"\b(?:forked|cloned|copied|taken)\s+from\b"
    r"|\bthis\s+(?:repo(?:sitory)?|project|code(?:base)?)\s+is\s+(?:a|an)\s+"
    r"(?:fork|copy|clone|mirror|re-?upload)\s+of\b"
    r"|\b(?:following|followed|follow(?:s|ing)?\s+along(?:\s+with)?|code[- ]along\s+(?:with|of))"
    r"\s+(?:the|this|a|an)\s+(?:\w+\s+){0,3}?(?:tutorial|youtube\s+video|video\s+tutorial|"
    r"video\s+series|crash\s+course|blog\s+post)\b"
    r"|\bbased\s+on\s+(?:the|this|a|an)\s+(?:\w+\s+){0,2}?(?:tutorial|youtube\s+video|"
    r"video\s+tutorial|blog\s+post)\b"
    r"|\b(?:all|most)\s+(?:of\s+)?(?:the\s+)?(?:code|credit)\s+(?:is|goes)\s+(?:from|to)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(?:not|never|isn't|wasn't)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_TUTORIAL_SUBJECT = re.compile(
    r"\b(?:tutorial|lesson|lecture|chapter|episode|exercise|course|video|part\s*\d+|"
    r"step\s*\d+|day\s*\d+)\b",
    re.IGNORECASE,
)
_STRONG_TUTORIAL = re.compile(r"\b(?:tutorial|lesson|lecture|episode)s?\b", re.IGNORECASE)
_DOCS_SUBJECT = re.compile(
    r"\breadme\b|\.md\b|\bdocs?\b|\bdocumentation\b|\btypos?\b|\blicen[cs]e\b", re.IGNORECASE
)
_MERGED_PR = re.compile(r"^Merge pull request #\d+ from ", re.IGNORECASE)
_BOT = re.compile(r"\[bot\]|^(?:dependabot|renovate|github-actions|pre-commit-ci)\b", re.I)
_NOREPLY = re.compile(r"^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$", re.IGNORECASE)
_COMMON_TOKENS = frozenset(
    {
        "user",
        "users",
        "admin",
        "root",
        "github",
        "gitlab",
        "noreply",
        "team",
        "info",
        "mail",
        "email",
        "contact",
        "developer",
        "student",
        "ubuntu",
        "local",
        "desktop",
        "laptop",
        "macbook",
        "home",
        "your",
        "name",
        "example",
    }
)
_SHORT_HISTORY = 100
_GAP = timedelta(days=90)
_MIN_BLOCK = 2
_LONG_BLOCK = 20
_MAX_README = 300_000


@finder("is_fork_or_copy")
def find_copies(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    readme = _readme_statement(snapshot)
    if readme is not None:
        evidence, quote = readme
        return {"is_fork_or_copy": Fact(True, (evidence,), f"the README says so: “{quote}”")}
    history = snapshot.history
    if history is not None and history.commits:
        owner = snapshot.ref.owner if snapshot.ref is not None else None
        imported = imported_history(list(reversed(history.commits)), owner)
        if imported is not None:
            return {"is_fork_or_copy": Fact(True, (), imported)}
    if history is None or (history.commit_count > 0 and not history.commits):
        reason = "no README statement of a copy; the history was not available"
        return {"is_fork_or_copy": Fact(False, (), reason)}
    return {
        "is_fork_or_copy": Fact(
            False,
            (),
            "the history and README show no copy of another author's work "
            "(the GitHub fork relation is checked separately)",
        )
    }


def _readme_statement(snapshot: Snapshot) -> tuple[str, str] | None:
    for path in snapshot.root_files:
        if not _README.fullmatch(path) or snapshot.size(path) > _MAX_README:
            continue
        text = snapshot.text(path) or ""
        for m in _COPY_WORDS.finditer(text):
            before = text[max(0, m.start() - 40) : m.start()]
            if _NEGATED.search(before):
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line = text[line_start : line_end if line_end >= 0 else None].strip()
            quote = line if len(line) <= 140 else line[:137] + "…"
            return f"{path}:{text.count(chr(10), 0, m.start()) + 1}", quote
    return None


def imported_history(commits: Sequence[CommitInfo], owner: str | None = None) -> str | None:
    """Why the oldest commits look like someone else's imported work, or None.

    ``commits`` are oldest first; ``owner`` is the repository owner's login when known.
    """
    people = _people(commits)
    humans = [c for c in commits if not _is_bot(c)]
    if len(humans) <= _MIN_BLOCK:
        return None
    person = [people[_key(c)] for c in humans]
    owners = {p for c, p in zip(humans, person, strict=True) if owner and _is_owner(c, owner)}
    strong = _first_index(humans, lambda c: bool(_STRONG_TUTORIAL.search(c.subject)))
    if owner and not owners and strong < len(humans) and len(humans) <= _SHORT_HISTORY:
        return (
            f"none of the {len(humans)} commits is by the owner {owner}, and the history reads "
            f"like someone else's tutorial (“{humans[strong].subject[:60]}”)"
        )
    last_seen = {p: i for i, p in enumerate(person)}
    tutorial = _first_index(humans, lambda c: bool(_TUTORIAL_SUBJECT.search(c.subject)))
    merged = _first_index(humans, lambda c: bool(_MERGED_PR.match(c.subject)))
    docs_from = len(humans)  # the first index from which every later subject is a docs edit
    while docs_from > 0 and _DOCS_SUBJECT.search(humans[docs_from - 1].subject):
        docs_from -= 1
    reach = 0  # the last commit of anyone who committed among the first k
    mine = False  # whether the owner is among the first k
    for k in range(1, len(humans)):
        reach = max(reach, last_seen[person[k - 1]])
        mine = mine or person[k - 1] in owners
        if k < _MIN_BLOCK or reach >= k or mine:
            continue  # not a clean split, or the first block is the owner's own work
        gap = humans[k].authored_at - humans[k - 1].authored_at
        if tutorial < k:
            why = f"their commits read like a tutorial (“{humans[tutorial].subject[:60]}”)"
        elif merged < k:
            why = f"their history has merged pull requests (“{humans[merged].subject[:60]}”)"
        elif docs_from <= k:
            why = f"the {len(humans) - k} later commits only edit the README or docs"
        elif gap >= _GAP and k > _MIN_BLOCK:
            why = f"the later work starts {gap.days} days after their last commit"
        elif k >= _LONG_BLOCK:
            why = f"{k} commits of someone else's history come first"
        else:
            continue
        block = humans[:k]
        names = sorted({c.author_name or c.author_email for c in block})
        who = ", ".join(names[:2]) + (" …" if len(names) > 2 else "")
        span = f"{block[0].authored_at.date()} … {block[-1].authored_at.date()}"
        return (
            f"the first {k} commits ({span}) are by {who}, who never commit after "
            f"{humans[k].sha[:12]}; {why}"
        )
    return None


def _is_owner(commit: CommitInfo, owner: str) -> bool:
    """Whether a commit's author looks like the GitHub account ``owner`` (login, name or
    e-mail local part equal, contained, or sharing a distinctive token)."""
    login = _compact(owner)
    if len(login) < 3:
        return False
    owner_tokens = [t for t in re.findall(r"[a-z]{4,}", owner.lower()) if t not in _COMMON_TOKENS]
    for text in _identity_texts(commit):
        compact = _compact(text)
        if not compact:
            continue
        if compact == login or (len(compact) >= 4 and (compact in login or login in compact)):
            return True
        tokens = [t for t in re.findall(r"[a-z]{4,}", text.lower()) if t not in _COMMON_TOKENS]
        if any(t in login for t in tokens) or any(t in compact for t in owner_tokens):
            return True
    return False


def _identity_texts(commit: CommitInfo) -> tuple[str, str]:
    local = commit.author_email.split("@", 1)[0]
    m = _NOREPLY.match(commit.author_email)
    return commit.author_name, (m.group(1) if m is not None else local)


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _first_index(commits: Sequence[CommitInfo], test: Callable[[CommitInfo], bool]) -> int:
    return next((i for i, c in enumerate(commits) if test(c)), len(commits))


def _is_bot(commit: CommitInfo) -> bool:
    return bool(_BOT.search(commit.author_name) or _BOT.search(commit.author_email))


def _key(commit: CommitInfo) -> str:
    return commit.author_email.lower()


def _people(commits: Sequence[CommitInfo]) -> dict[str, int]:
    """E-mail -> person number. Addresses that share an author name, a GitHub noreply login,
    an e-mail local part or a distinctive name token ("azizi") count as one person: telling
    one author apart from another must err towards "the same person"."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for c in commits:
        email = "e:" + c.author_email.lower()
        for text in _identity_texts(c):
            compact = _compact(text)
            if len(compact) >= 4:
                union(email, "k:" + compact)
            for token in re.findall(r"[a-z]{4,}", text.lower()):
                if token not in _COMMON_TOKENS:
                    union(email, "t:" + token)
    roots: dict[str, int] = {}
    out: dict[str, int] = {}
    for c in commits:
        root = find("e:" + c.author_email.lower())
        out[_key(c)] = roots.setdefault(root, len(roots))
    return out
