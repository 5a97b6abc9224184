"""Settings: every tunable number and path, read from the environment only when asked.

Nothing here runs at import time; ``Settings.from_env()`` is called by the CLI, the web app
factory or a test, and the resulting frozen object is passed down explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from reviewer.errors import ConfigError

DEFAULT_CLONE_URL_TEMPLATE = "https://{host}/{owner}/{name}.git"
DEFAULT_GITHUB_API_URL = "https://api.github.com"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "portfolio-reviewer"


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile repository from exhausting the machine."""

    git_timeout_s: float = 120.0  # any single git call
    max_repo_bytes: int = 1_000_000_000  # fetched pack size cap (1 GB)
    max_files: int = 200_000  # entries in the tree at the pin
    max_read_bytes: int = 2_000_000  # largest file whose text is read
    max_notebook_bytes: int = 20_000_000  # notebooks carry outputs; cells only are used
    large_file_bytes: int = 10_485_760  # FACTS.md: "over 10 MB"
    max_python_parse_bytes: int = 1_000_000  # a .py larger than this is not parsed
    max_python_total_bytes: int = 16_000_000  # .py parsed per review (shallowest first)
    max_notebook_total_bytes: int = 100_000_000  # notebook JSON read per review
    max_path_bytes: int = 4096  # longer paths (PATH_MAX) cannot be checked out: ignored
    max_path_depth: int = 128  # so are paths nested deeper than this
    finder_time_budget_s: float = 30.0


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=_default_data_dir)
    allowed_hosts: tuple[str, ...] = ("github.com",)
    clone_url_template: str = DEFAULT_CLONE_URL_TEMPLATE
    github_token: str | None = None
    github_api_url: str = DEFAULT_GITHUB_API_URL
    github_timeout_s: float = 15.0
    github_max_retries: int = 3
    github_max_rate_limit_wait_s: float = 120.0
    github_cache_ttl_s: float = 3600.0
    use_github_api: bool = True
    rubrics_dir: Path | None = None
    suggestions_dir: Path | None = None
    blog_config: Path | None = None  # REVIEWER_BLOG_CONFIG: YAML file of reviewer.blog.BlogConfig
    blog_bigimg: str | None = None  # REVIEWER_BLOG_BIGIMG: comma-separated header image paths
    limits: Limits = field(default_factory=Limits)

    @property
    def mirror_dir(self) -> Path:
        return self.data_dir / "mirrors"

    @property
    def results_dir(self) -> Path:
        return self.data_dir / "results"

    @property
    def workspace_dir(self) -> Path:
        return self.data_dir / "work"

    @property
    def github_cache_dir(self) -> Path:
        return self.data_dir / "github-cache"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        kwargs: dict[str, object] = {}
        if env.get("REVIEWER_DATA_DIR"):
            kwargs["data_dir"] = Path(env["REVIEWER_DATA_DIR"]).expanduser()
        if env.get("REVIEWER_ALLOWED_HOSTS"):
            hosts = tuple(
                h.strip().lower() for h in env["REVIEWER_ALLOWED_HOSTS"].split(",") if h.strip()
            )
            if not hosts:
                raise ConfigError("REVIEWER_ALLOWED_HOSTS is set but names no host.")
            kwargs["allowed_hosts"] = hosts
        if env.get("REVIEWER_CLONE_URL_TEMPLATE"):
            kwargs["clone_url_template"] = env["REVIEWER_CLONE_URL_TEMPLATE"]
        if env.get("GITHUB_TOKEN"):
            kwargs["github_token"] = env["GITHUB_TOKEN"]
        if env.get("GITHUB_API_URL"):
            kwargs["github_api_url"] = env["GITHUB_API_URL"].rstrip("/")
        for name, key, conv in (
            ("REVIEWER_GITHUB_TIMEOUT", "github_timeout_s", float),
            ("REVIEWER_GITHUB_MAX_RETRIES", "github_max_retries", int),
            ("REVIEWER_GITHUB_MAX_RATE_LIMIT_WAIT", "github_max_rate_limit_wait_s", float),
            ("REVIEWER_GITHUB_CACHE_TTL", "github_cache_ttl_s", float),
        ):
            if env.get(name):
                try:
                    kwargs[key] = conv(env[name])
                except ValueError as err:
                    raise ConfigError(f"{name} must be a number, not {env[name]!r}.") from err
        if env.get("REVIEWER_OFFLINE", "").lower() in {"1", "true", "yes"}:
            kwargs["use_github_api"] = False
        if env.get("REVIEWER_RUBRICS_DIR"):
            kwargs["rubrics_dir"] = Path(env["REVIEWER_RUBRICS_DIR"])
        if env.get("REVIEWER_SUGGESTIONS_DIR"):
            kwargs["suggestions_dir"] = Path(env["REVIEWER_SUGGESTIONS_DIR"])
        if env.get("REVIEWER_BLOG_CONFIG"):
            kwargs["blog_config"] = Path(env["REVIEWER_BLOG_CONFIG"]).expanduser()
        if env.get("REVIEWER_BLOG_BIGIMG"):
            kwargs["blog_bigimg"] = env["REVIEWER_BLOG_BIGIMG"]
        if env.get("REVIEWER_GIT_TIMEOUT"):
            try:
                timeout = float(env["REVIEWER_GIT_TIMEOUT"])
                kwargs["limits"] = replace(Limits(), git_timeout_s=timeout)
            except ValueError as err:
                raise ConfigError("REVIEWER_GIT_TIMEOUT must be a number of seconds.") from err
        return cls(**kwargs)  # type: ignore[arg-type]
