"""The inspection report: frozen dataclasses, and their JSON form (ARCHITECTURE.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

SCHEMA_VERSION = 1

FactValue = bool | int | str | list[str] | None


@dataclass(frozen=True)
class RepoRef:
    """A normalised repository: ``github.com/Owner/Name``. Built only by ``parse_repo_url``."""

    host: str
    owner: str
    name: str

    @property
    def slug(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def web_url(self) -> str:
        return f"https://{self.host}/{self.owner}/{self.name}"

    def key(self) -> str:
        """A filesystem-safe cache key (case-insensitive, as GitHub is)."""
        return f"{self.host}+{self.owner}+{self.name}".lower()


@dataclass(frozen=True)
class Fact:
    """One fact of FACTS.md: a value (None = undecided), its evidence and the reason."""

    value: FactValue
    evidence: tuple[str, ...] = ()
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, (list, tuple)) else self.value
        return {"value": value, "evidence": list(self.evidence), "reason": self.reason}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fact:
        return cls(
            value=data.get("value"),
            evidence=tuple(data.get("evidence") or ()),
            reason=data.get("reason") or "",
        )


@dataclass(frozen=True)
class ReportWarning:
    code: str
    message: str
    path: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.path is not None:
            out["path"] = self.path
        return out


@dataclass(frozen=True)
class Report:
    """What an inspection found at one pinned commit."""

    target_url: str
    target: RepoRef | None  # None for a local path that is not a known host
    commit: str
    inspected_at: str  # ISO 8601, UTC
    tool_version: str
    facts: dict[str, Fact]
    warnings: tuple[ReportWarning, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)  # GitHub metadata, when known

    def value(self, name: str) -> FactValue:
        fact = self.facts.get(name)
        return None if fact is None else fact.value

    def evidence_url(self, evidence: str) -> str | None:
        """A link to the evidence at the pinned commit, when the repository is on GitHub.

        Evidence that is already a URL is returned as is; evidence that is not a path in the
        repository (e.g. "GitHub: fork of X/Y") has no link.
        """
        if evidence.startswith(("https://", "http://")):
            return evidence
        if self.target is None or self.target.host != "github.com":
            return None
        if not evidence or " " in evidence or evidence.startswith("GitHub"):
            return None
        path, _, anchor = evidence.partition(":")
        path, _, cell = path.partition("#")
        url = f"{self.target.web_url}/blob/{self.commit}/{quote(path)}"
        if anchor.isdigit() and not cell:
            url += f"#L{anchor}"
        return url

    def to_json(self) -> dict[str, Any]:
        target: dict[str, Any] = {"url": self.target_url}
        if self.target is not None:
            target.update(host=self.target.host, owner=self.target.owner, name=self.target.name)
        else:
            target.update(host=None, owner=None, name=None)
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "target": target,
            "commit": self.commit,
            "inspected_at": self.inspected_at,
            "tool_version": self.tool_version,
            "facts": {name: fact.to_json() for name, fact in self.facts.items()},
            "warnings": [w.to_json() for w in self.warnings],
        }
        if self.metadata:
            out["metadata"] = self.metadata
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        t = data.get("target") or {}
        ref = RepoRef(t["host"], t["owner"], t["name"]) if t.get("host") else None
        return cls(
            target_url=t.get("url", ""),
            target=ref,
            commit=data["commit"],
            inspected_at=data["inspected_at"],
            tool_version=data["tool_version"],
            facts={k: Fact.from_json(v) for k, v in data.get("facts", {}).items()},
            warnings=tuple(
                ReportWarning(w["code"], w["message"], w.get("path"))
                for w in data.get("warnings", ())
            ),
            metadata=dict(data.get("metadata") or {}),
        )
