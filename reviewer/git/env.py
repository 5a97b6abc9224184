"""The hardened environment every git call runs in.

The repository is hostile until proven otherwise: no system/global configuration, no prompts,
no hooks, no filters or LFS smudge, no protocols but those the caller allows, fsck on transfer.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

#: ``-c`` options prepended to every git command.
HARDENING_OPTIONS: tuple[str, ...] = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "core.symlinks=false",
    "core.protectNTFS=true",
    "core.protectHFS=true",
    "core.askPass=",
    "credential.helper=",
    "protocol.allow=never",
    "protocol.ext.allow=never",
    "submodule.recurse=false",
    "fetch.recurseSubmodules=false",
    "transfer.fsckObjects=true",
    "fetch.fsckObjects=true",
    "receive.fsckObjects=true",
    "filter.lfs.smudge=",
    "filter.lfs.process=",
    "filter.lfs.required=false",
    # memory: index-pack streams larger blobs instead of holding them, and packs are mapped
    # in small windows (by default a 1 GB pack is mapped whole)
    "core.bigFileThreshold=16m",
    "core.packedGitWindowSize=32m",
    "core.packedGitLimit=256m",
    "core.deltaBaseCacheLimit=32m",
    "log.showSignature=false",
    "safe.bareRepository=explicit",
    "gc.auto=0",
    "maintenance.auto=false",
    "advice.detachedHead=false",
    "init.defaultBranch=main",
)


#: Variables taken from the caller's environment; every other one (GIT_DIR, GIT_CONFIG_*,
#: GIT_EXEC_PATH, GIT_SSH_COMMAND, LD_PRELOAD, ...) is dropped.
INHERITED: frozenset[str] = frozenset(
    {
        "PATH", "LANG", "TZ", "SYSTEMROOT", "TMPDIR",
        # certificate stores and proxies an operator may need for https
        "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO", "GIT_SSL_CAPATH",
        "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy",
        "ALL_PROXY", "all_proxy",
    }
)  # fmt: skip


def hardening_args(allowed_protocols: Iterable[str] = ()) -> list[str]:
    """``-c`` arguments for a git command; ``allowed_protocols`` re-enables named protocols."""
    args: list[str] = []
    for opt in HARDENING_OPTIONS:
        args += ["-c", opt]
    for proto in allowed_protocols:
        args += ["-c", f"protocol.{proto}.allow=always"]
    return args


def git_environment(home: Path, allowed_protocols: Iterable[str] = ()) -> dict[str, str]:
    """An environment with no user or system git configuration and no interactive prompts."""
    env = {k: v for k, v in os.environ.items() if k in INHERITED}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ASKPASS": "/bin/false",
            "SSH_ASKPASS": "/bin/false",
            "GCM_INTERACTIVE": "never",
            "GIT_LFS_SKIP_SMUDGE": "1",
            "GIT_NO_REPLACE_OBJECTS": "1",
            "GIT_OPTIONAL_LOCKS": "0",
            "GIT_PROTOCOL_FROM_USER": "0",
            # Only the protocols named; none at all when the list is empty. Unlike -c
            # options, this variable reaches the upload-pack of a local source too.
            "GIT_ALLOW_PROTOCOL": ":".join(allowed_protocols),
            # A source that is a partial clone must not lazily fetch from its promisor remote
            # with its own configuration (CVE-2024-32004).
            "GIT_NO_LAZY_FETCH": "1",
            "GIT_ATTR_NOSYSTEM": "1",
            "GIT_SSH_COMMAND": "/bin/false",
            "GIT_EDITOR": "/bin/false",
            "GIT_PAGER": "cat",
            "LC_ALL": "C",
        }
    )
    return env
