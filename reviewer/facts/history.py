"""The commit history reachable from the pin (FACTS.md): how many commits, how many distinct
author e-mail addresses (bots included), and the UTC dates of the earliest and latest author
timestamps."""

from __future__ import annotations

from collections.abc import Mapping

from reviewer.facts.base import finder
from reviewer.report import Fact
from reviewer.snapshot import Snapshot


@finder("commit_count", "author_count", "first_commit_date", "last_commit_date")
def find_history(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    history = snapshot.history
    if history is None or (history.commit_count > 0 and not history.commits):
        reason = "the commit history was not available"
        return {
            name: Fact(None, (), reason)
            for name in ("commit_count", "author_count", "first_commit_date", "last_commit_date")
        }
    emails = history.author_emails
    first, last = history.first_date, history.last_date
    listed = len(history.commits)
    count_reason = f"{history.commit_count} commits reachable from {snapshot.commit[:12]}"
    if listed < history.commit_count:
        count_reason += f" ({listed} listed)"
    shown = ", ".join(sorted(emails)[:3]) + (" …" if len(emails) > 3 else "")
    facts = {
        "commit_count": Fact(history.commit_count, (), count_reason),
        "author_count": Fact(len(emails), (), f"{len(emails)} distinct author e-mail(s): {shown}"),
    }
    if first is None or last is None:
        facts["first_commit_date"] = Fact(None, (), "no dated commit in the history")
        facts["last_commit_date"] = Fact(None, (), "no dated commit in the history")
    else:
        first_s, last_s = first.date().isoformat(), last.date().isoformat()
        facts["first_commit_date"] = Fact(first_s, (), f"earliest author date {first_s} (UTC)")
        facts["last_commit_date"] = Fact(last_s, (), f"latest author date {last_s} (UTC)")
    return facts
