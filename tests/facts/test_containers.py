"""Container facts (FACTS.md: has_dockerfile, has_docker_compose)."""

from __future__ import annotations

import pytest

from reviewer.facts.containers import find_containers

FROM = "FROM python:3.11-slim\nCOPY . /app\n"

CASES = [
    ({"Dockerfile": FROM}, True, False),
    ({"docker/Dockerfile.app": FROM}, True, False),
    ({"api.dockerfile": FROM}, True, False),
    ({"Containerfile": FROM}, True, False),
    ({"Dockerfile": ""}, False, False),
    ({"Dockerfile": "# FROM python\n\n"}, False, False),
    ({".devcontainer/devcontainer.json": '{"image": "python:3.11"}'}, False, False),
    ({".dockerignore": "data/\n", "docs/Dockerfile.md": "# how to build\n"}, False, False),
    ({"docker-compose.yml": "services:\n  app:\n    build: .\n"}, False, True),
    ({"deploy/docker-compose.prod.yaml": "services: {}\n"}, False, True),
    ({"compose.yaml": "services: {}\n", "Dockerfile": FROM}, True, True),
    ({"docker-compose.yml": ""}, False, False),
]


@pytest.mark.parametrize(
    ("files", "dockerfile", "compose"),
    CASES,
    ids=[
        "dockerfile",
        "suffixed-name",
        "lowercase-suffix-name",
        "containerfile",
        "zero-byte",
        "comments-only",
        "devcontainer-image-only",
        "dockerignore-and-docs",
        "compose",
        "compose-variant-in-subdir",
        "compose-yaml-and-dockerfile",
        "empty-compose",
    ],
)
def test_container_files(snapshot_of, files, dockerfile, compose):
    facts = find_containers(snapshot_of(files), {})
    assert facts["has_dockerfile"].value is dockerfile
    assert facts["has_docker_compose"].value is compose
