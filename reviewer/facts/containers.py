"""Containers: a Dockerfile (any name containing ``Dockerfile``, or a ``Containerfile``) and a
compose file (``docker-compose*.yml|yaml``, ``compose.yml|yaml``), each non-empty (FACTS.md).

A devcontainer that only names an image (``devcontainer.json``) is not a Dockerfile; a file
holding nothing but blank lines and comments is empty.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from reviewer.facts.base import finder
from reviewer.report import Fact
from reviewer.snapshot import Snapshot

_DOCKERFILE = re.compile(r".*dockerfile.*|containerfile(?:\..+)?", re.IGNORECASE)
_NOT_DOCKERFILE = re.compile(
    r".*\.(?:md|rst|txt|py|ipynb|json|html|pdf|png|jpe?g|sh|ps1|yml|yaml|toml|lock)$"
    r"|\.dockerignore|.*\.dockerignore",
    re.IGNORECASE,
)
_COMPOSE = re.compile(
    r"docker-compose.*\.ya?ml|compose\.ya?ml|compose\.[\w.-]+\.ya?ml", re.IGNORECASE
)


def _has_content(snapshot: Snapshot, path: str) -> bool:
    if snapshot.size(path) <= 0:
        return False
    text = snapshot.text(path)
    if text is None:
        return True  # too large or binary: not empty
    return any(ln.strip() and not ln.strip().startswith("#") for ln in text.splitlines())


def dockerfiles(snapshot: Snapshot) -> list[str]:
    return [
        p
        for p in snapshot.paths
        if _DOCKERFILE.fullmatch(posixpath.basename(p))
        and not _NOT_DOCKERFILE.fullmatch(posixpath.basename(p))
        and _has_content(snapshot, p)
    ]


def compose_files(snapshot: Snapshot) -> list[str]:
    return [
        p
        for p in snapshot.paths
        if _COMPOSE.fullmatch(posixpath.basename(p)) and _has_content(snapshot, p)
    ]


@finder("has_dockerfile", "has_docker_compose")
def find_containers(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    docker = dockerfiles(snapshot)
    compose = compose_files(snapshot)
    return {
        "has_dockerfile": Fact(True, tuple(docker), f"Dockerfile at {docker[0]}")
        if docker
        else Fact(False, (), "no non-empty Dockerfile or Containerfile"),
        "has_docker_compose": Fact(True, tuple(compose), f"compose file at {compose[0]}")
        if compose
        else Fact(False, (), "no docker-compose or compose file"),
    }
