"""What a person typed, turned into a repository the engine may fetch.

``parse_repo_url`` accepts the addresses candidates really paste (``https://github.com/O/N``,
with ``.git``, a trailing slash, ``www.``, ``http://``, ``/tree/<branch>/<path>``, a query or a
fragment, no scheme at all) and returns a normalised ``RepoRef``. Everything else is refused
with a ``BadTargetError`` whose message the candidate can act on.

The candidate's text never reaches git: ``clone_url`` builds the URL from the operator's
template and the three validated parts of the ``RepoRef``. Local paths are an operator feature
of the CLI (``resolve_target``), never accepted from a candidate.
"""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.errors import BadTargetError, ConfigError
from reviewer.report import RepoRef

if TYPE_CHECKING:
    from reviewer.settings import Settings

#: Longest text accepted as a repository address (GitHub's own limits make ~150 the maximum
#: for owner and name; the rest leaves room for a /tree/<branch>/<path> tail).
MAX_URL_LENGTH = 300

EXAMPLE = "https://github.com/OWNER/REPOSITORY"

#: GitHub account names: 1-39 letters, digits or single hyphens, no hyphen at either end.
OWNER_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
#: GitHub repository names: up to 100 letters, digits, ``.``, ``_`` or ``-``.
NAME_RE = re.compile(r"[A-Za-z0-9._-]{1,100}")
#: One DNS label (the host is checked label by label, in lowercase ASCII).
LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")

#: First path segments that are GitHub pages, not accounts (github.com/settings/..., ...).
RESERVED_OWNERS = frozenset(
    {
        "about", "account", "apps", "blog", "business", "codespaces", "collections",
        "contact", "copilot", "customer-stories", "dashboard", "discussions", "enterprise",
        "enterprises", "events", "explore", "features", "gist", "gists", "github-copilot",
        "home", "issues", "join", "login", "logout", "marketplace", "new", "notifications",
        "orgs", "organizations", "pricing", "pulls", "readme", "repositories", "search",
        "security", "session", "sessions", "settings", "signup", "site", "sitemap", "sponsors",
        "stars", "team", "teams", "topics", "trending", "users", "watching",
    }
)  # fmt: skip


def parse_repo_url(text: str, allowed_hosts: Sequence[str] = ("github.com",)) -> RepoRef:
    """Normalise a pasted repository address to ``RepoRef(host, owner, name)``.

    The host is lowercased (``www.`` dropped), the owner and name keep the case typed, a
    trailing ``.git`` is dropped, and anything after ``/OWNER/NAME`` (``/tree/main/src``,
    ``?tab=readme``, ``#readme``) is ignored. Raises ``BadTargetError`` otherwise.
    """
    if not isinstance(text, str):
        raise BadTargetError(f"Give the repository address as text, like {EXAMPLE}.")
    text = text.strip()
    if len(text) > MAX_URL_LENGTH:
        raise BadTargetError(
            f"This address is {len(text)} characters long; a repository address has at most "
            f"{MAX_URL_LENGTH}. Paste just {EXAMPLE}."
        )
    if not text:
        raise BadTargetError(f"No repository address was given. Paste one like {EXAMPLE}.")
    _refuse_invisible_characters(text)
    if "\\" in text:
        raise BadTargetError(f"A repository address has no backslashes. Paste it like {EXAMPLE}.")
    hosts = tuple(h.strip().lower() for h in allowed_hosts if h.strip())
    rest = _strip_scheme(text)
    authority, path = _split_authority(rest)
    host = _check_host(authority, hosts)
    owner, name = _owner_and_name(path, host)
    return RepoRef(host=host, owner=owner, name=name)


def clone_url(ref: RepoRef, template: str) -> str:
    """The URL git fetches: the operator's ``template`` with ``{host}``, ``{owner}`` and
    ``{name}`` filled from an already-validated ``ref`` (validated again here)."""
    _validate_ref(ref)
    fields = {"host": ref.host, "owner": ref.owner, "name": ref.name}
    parts: list[str] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as err:
        raise ConfigError(f"REVIEWER_CLONE_URL_TEMPLATE is not a valid template: {err}.") from err
    for literal, field_name, spec, conversion in parsed:
        parts.append(literal)
        if field_name is None:
            continue
        if field_name not in fields or spec or conversion:
            raise ConfigError(
                "REVIEWER_CLONE_URL_TEMPLATE may only use the placeholders {host}, {owner} and "
                f"{{name}}; it uses {{{field_name}}}."
            )
        parts.append(fields[field_name])
    url = "".join(parts)
    if not url or url.startswith("-") or any(_is_invisible(c) for c in url):
        raise ConfigError("REVIEWER_CLONE_URL_TEMPLATE builds an unusable URL.")
    return url


def resolve_target(text: str, settings: Settings) -> RepoRef | Path:
    """A ``RepoRef`` for an address, or the ``Path`` of a local repository (operators only:
    the CLI accepts a local work tree or bare repository; candidates never reach this)."""
    stripped = text.strip() if isinstance(text, str) else text
    if isinstance(stripped, str) and stripped and not SCHEME_RE.match(stripped):
        candidate = Path(stripped).expanduser()
        if candidate.is_dir():
            if not is_git_repository(candidate):
                raise BadTargetError(
                    f"{candidate} is a directory but not a git repository (no .git inside, "
                    "and not a bare repository)."
                )
            return candidate.resolve()
    return parse_repo_url(text, settings.allowed_hosts)


def is_git_repository(path: Path) -> bool:
    """True for a work tree (``.git`` inside) or a bare repository, judged without running git."""
    if (path / ".git").exists():
        return True
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def local_key(path: Path) -> str:
    """A mirror-cache key for a local repository: its resolved path, hashed."""
    digest = hashlib.sha256(str(Path(path).resolve()).encode("utf-8", "surrogateescape"))
    return f"local+{digest.hexdigest()[:32]}"


# -- the steps of parse_repo_url ---------------------------------------------------------------


def _is_invisible(char: str) -> bool:
    # Cc: control characters, Cf: zero-width and bidirectional marks, Z*: any space.
    return unicodedata.category(char)[0] in "CZ" or char.isspace()


def _refuse_invisible_characters(text: str) -> None:
    if any(_is_invisible(c) for c in text):
        raise BadTargetError(
            "The address contains spaces, line breaks or invisible characters. "
            f"Paste only the address, like {EXAMPLE}."
        )


def _strip_scheme(text: str) -> str:
    """The text after ``http(s)://``, or the text itself when it starts with a host name."""
    match = SCHEME_RE.match(text)
    if match:
        scheme = match.group(1).lower()
        if scheme not in ("https", "http"):
            raise BadTargetError(
                f"Only web addresses (https://) are accepted, not {scheme}:// addresses. "
                f"Paste the address from your browser, like {EXAMPLE}."
            )
        return text[match.end() :]
    head = re.split(r"[/?#]", text, maxsplit=1)[0]
    if "::" in text.split("/", 1)[0]:
        raise BadTargetError(
            f"This is a git transport command, not a repository address. Paste it like {EXAMPLE}."
        )
    if text.startswith(("/", ".", "~")):
        raise BadTargetError(
            f"This looks like a file path. Submit the repository's web address, like {EXAMPLE}."
        )
    if ":" in head:
        if head.lower() in ("http:", "https:"):
            reason = f"The address is missing '//' after '{head}'."
        elif re.fullmatch(r"[^:]*:\d+", head):
            reason = "Addresses with a port number are not accepted."
        elif "@" in head or "." in head.split(":", 1)[0]:
            reason = "This is an SSH address (host:path); SSH addresses are not accepted."
        else:
            reason = f"Only web addresses (https://) are accepted, not {head.split(':')[0]}: ones."
        raise BadTargetError(f"{reason} Paste the address from your browser, like {EXAMPLE}.")
    if head.startswith("-"):
        raise BadTargetError(f"A repository address cannot start with '-'. Use {EXAMPLE}.")
    if "." not in head:
        raise BadTargetError(
            f"Give the full address of the repository, including the host, like {EXAMPLE}."
        )
    return text


def _split_authority(rest: str) -> tuple[str, str]:
    match = re.match(r"([^/?#]*)([^?#]*)", rest)
    assert match is not None  # the pattern matches any string
    return match.group(1), match.group(2)


def _check_host(authority: str, allowed: tuple[str, ...]) -> str:
    if "@" in authority:
        raise BadTargetError(
            "The address contains a user name or password (the part before '@'). "
            f"Remove it and paste the public address, like {EXAMPLE}."
        )
    if authority.startswith("[") or authority.count(":") > 1:
        raise BadTargetError(f"IP addresses are not accepted. Use {EXAMPLE}.")
    if ":" in authority:
        raise BadTargetError(
            f"Addresses with a port number are not accepted. Remove ':' and what follows it "
            f"in the host, as in {EXAMPLE}."
        )
    if "%" in authority:
        raise BadTargetError(f"The host name contains encoded characters ('%'). Use {EXAMPLE}.")
    if not authority.isascii():
        raise BadTargetError(
            "The host name contains non-ASCII characters that can imitate other letters. "
            f"Type it plainly, like {EXAMPLE}."
        )
    host = authority.lower()
    if host.endswith("."):
        host = host[:-1]
    if not host:
        raise BadTargetError(f"The address has no host name. Use {EXAMPLE}.")
    labels = host.split(".")
    if _looks_like_ip(labels):
        raise BadTargetError(f"IP addresses are not accepted. Use {EXAMPLE}.")
    if not all(LABEL_RE.fullmatch(label) for label in labels):
        raise BadTargetError(f"'{_printable(authority)}' is not a valid host name. Use {EXAMPLE}.")
    if host.startswith("www.") and host[4:] in allowed:
        host = host[4:]
    if host not in allowed:
        accepted = ", ".join(allowed) or "no host"
        raise BadTargetError(
            f"Repositories on {host} are not accepted; the program accepts repositories on "
            f"{accepted}."
        )
    return host


def _looks_like_ip(labels: list[str]) -> bool:
    """Dotted, decimal (2130706433), hex (0x7f000001) and octal (0177.0.0.1) IPv4 forms."""
    last = labels[-1]
    return bool(re.fullmatch(r"(0x[0-9a-f]*|[0-9]+)", last))


def _owner_and_name(path: str, host: str) -> tuple[str, str]:
    segments = path.split("/")[1:]  # path starts with '/' or is empty
    while segments and segments[-1] == "":
        segments.pop()
    if len(segments) < 2 or not segments[0] or not segments[1]:
        raise BadTargetError(
            "The address does not name a repository: it needs both the owner and the "
            f"repository name, as in {EXAMPLE}."
        )
    if any(seg in (".", "..") for seg in segments):
        raise BadTargetError(f"The address contains '.' or '..' path parts. Use {EXAMPLE}.")
    owner, name = segments[0], segments[1]
    if name.lower().endswith(".git"):
        name = name[:-4]
    _check_owner(owner, host)
    _check_name(name)
    return owner, name


def _check_owner(owner: str, host: str) -> None:
    if "%" in owner:
        raise BadTargetError(f"The owner name contains encoded characters ('%'). Use {EXAMPLE}.")
    if owner.startswith("-"):
        raise BadTargetError("An owner name cannot start with '-'.")
    if not OWNER_RE.fullmatch(owner):
        raise BadTargetError(
            f"'{_printable(owner)}' is not a GitHub account name: those are 1 to 39 letters, "
            "digits or single hyphens, not starting or ending with a hyphen."
        )
    if owner.lower() in RESERVED_OWNERS:
        raise BadTargetError(
            f"{host}/{owner}/... is a GitHub page, not a repository. Open your repository "
            f"on GitHub and paste its address, like {EXAMPLE}."
        )


def _check_name(name: str) -> None:
    if "%" in name:
        raise BadTargetError(
            f"The repository name contains encoded characters ('%'). Use {EXAMPLE}."
        )
    if not name:
        raise BadTargetError(f"The repository name is missing before '.git'. Use {EXAMPLE}.")
    if name.startswith("-"):
        raise BadTargetError("A repository name cannot start with '-'.")
    if name in (".", "..") or not NAME_RE.fullmatch(name):
        raise BadTargetError(
            f"'{_printable(name)}' is not a GitHub repository name: those are up to 100 "
            "letters, digits, '.', '_' or '-'."
        )


def _validate_ref(ref: RepoRef) -> None:
    labels = ref.host.split(".")
    if not all(LABEL_RE.fullmatch(label) for label in labels) or _looks_like_ip(labels):
        raise BadTargetError(f"The host of {ref.slug!r} is not a valid host name.")
    _check_owner(ref.owner, ref.host)
    _check_name(ref.name)


def _printable(text: str, limit: int = 60) -> str:
    shown = "".join(c if c.isprintable() and c.isascii() else "?" for c in text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
