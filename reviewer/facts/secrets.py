"""Credentials literally committed at the pin (FACTS.md: secrets_committed).

Counted: API and access tokens of known shapes (OpenAI, Anthropic, Hugging Face, AWS key pairs,
GitHub, GitLab, Google, Slack, Stripe, Groq, Tavily, LangSmith, Telegram...), private key
blocks, passwords in connection strings, and passwords / keys / tokens assigned in configuration
files or code when the value looks real. Not counted: AWS's documented example keys and
placeholders (``your_api_key``, ``xxx``, ``<token>``, ``${VAR}``, ``sk-...``, low-entropy or
sequential strings, default development passwords such as ``postgres`` or a password equal to
its user name).

Every text file of the candidate is scanned (size-capped, binaries skipped); notebooks are read
as cell sources *and* text outputs (a key printed in an output is committed too), never their
embedded images. The report names the kind and the place, never the secret itself.
"""

from __future__ import annotations

import json
import math
import posixpath
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from reviewer.facts.base import finder
from reviewer.report import Fact
from reviewer.snapshot import Snapshot, decode_text

_MAX_TEXT_BYTES = 1_000_000
_MAX_NOTEBOOK_BYTES = 10_000_000
#: Text scanned per review: a repository of hundreds of 1 MB files would take minutes.
_MAX_TOTAL_BYTES = 32_000_000
_SKIP_EXT = frozenset(
    """png jpg jpeg gif bmp ico tif tiff webp svg pdf zip gz tgz bz2 xz 7z rar tar whl egg so
    dll dylib exe bin pt pth pkl pickle joblib h5 hdf5 keras onnx npy npz parquet feather
    arrow tflite safetensors ckpt model mp3 wav flac ogg mp4 avi mov mkv woff woff2 ttf otf
    eot lock sqlite sqlite3 db csv tsv xlsx xls docx pptx""".split()
)
_SKIP_NAMES = frozenset(
    {
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "poetry.lock",
        "uv.lock",
        "pipfile.lock",
        "pdm.lock",
        "go.sum",
        "cargo.lock",
    }
)
_CONFIG_EXT = frozenset(
    {
        "env",
        "yaml",
        "yml",
        "ini",
        "cfg",
        "conf",
        "json",
        "toml",
        "properties",
        "config",
        "tfvars",
        "sh",
        "bash",
        "ps1",
        "bat",
        "cmd",
        "txt",
        "xml",
        "sql",
    }
)

#: Characters that, right before a token shape, mean it is inside a longer token (base64...).
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-/+")
_E = r"(?![A-Za-z0-9_\-/+=])"  # token boundary after (the one before is checked in code)

#: (kind, literals of which one must occur, pattern with the secret in group 1). Patterns start
#: with their literal so that the regex engine can skip ahead quickly.
_SHAPES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Anthropic API key", ("sk-ant-",), r"(sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_\-]{40,})" + _E),
    (
        "OpenAI API key",
        ("sk-",),
        r"(sk-(?:proj-|svcacct-|admin-|None-)?(?!ant-)[A-Za-z0-9_\-]{32,})" + _E,
    ),
    ("Hugging Face token", ("hf_",), r"(hf_[A-Za-z0-9]{30,})" + _E),
    (
        "GitHub token",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
        r"(gh[pousr]_[A-Za-z0-9]{36,})" + _E,
    ),
    ("GitHub token", ("github_pat_",), r"(github_pat_[A-Za-z0-9_]{50,})" + _E),
    ("GitLab token", ("glpat-",), r"(glpat-[A-Za-z0-9_\-]{20,})" + _E),
    ("Google API key", ("AIza",), r"(AIza[0-9A-Za-z_\-]{35})" + _E),
    ("Google OAuth client secret", ("GOCSPX-",), r"(GOCSPX-[A-Za-z0-9_\-]{20,})" + _E),
    ("Google OAuth access token", ("ya29.",), r"(ya29\.[0-9A-Za-z_\-]{30,})" + _E),
    (
        "Slack token",
        ("xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"),
        r"(xox[baprs]-[0-9A-Za-z\-]{10,})" + _E,
    ),
    (
        "Slack webhook",
        ("hooks.slack.com",),
        r"(https://hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{16,})",
    ),
    ("Stripe live key", ("k_live_",), r"((?:sk|rk)_live_[0-9A-Za-z]{20,})" + _E),
    ("Groq API key", ("gsk_",), r"(gsk_[A-Za-z0-9]{40,})" + _E),
    ("Replicate API token", ("r8_",), r"(r8_[A-Za-z0-9]{30,})" + _E),
    ("Tavily API key", ("tvly-",), r"(tvly-(?:dev-|prod-)?[A-Za-z0-9]{24,})" + _E),
    ("LangSmith API key", ("lsv2_",), r"(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{8,})" + _E),
    ("Pinecone API key", ("pcsk_",), r"(pcsk_[A-Za-z0-9_]{40,})" + _E),
    ("Perplexity API key", ("pplx-",), r"(pplx-[A-Za-z0-9]{40,})" + _E),
    ("xAI API key", ("xai-",), r"(xai-[A-Za-z0-9]{60,})" + _E),
    ("NVIDIA API key", ("nvapi-",), r"(nvapi-[A-Za-z0-9_\-]{40,})" + _E),
    ("npm token", ("npm_",), r"(npm_[A-Za-z0-9]{36})" + _E),
    ("Telegram bot token", (":AA",), r"(?<![\w:/.])(\d{8,10}:AA[A-Za-z0-9_\-]{33})" + _E),
    (
        "Weights & Biases API key",
        ("wandb", "WANDB"),
        r"(?i:wandb\.login\(\s*(?:key\s*=\s*)?|WANDB_API_KEY[\"']?\s*[=:,]\s*)"
        r"[\"']?([a-f0-9]{40})(?![A-Za-z0-9])",
    ),
)


def _gate(literals: tuple[str, ...]) -> tuple[str, ...] | re.Pattern[str]:
    """What must occur for a shape to be searched: one of its literals. Literals sharing a
    prefix (``ghp_``, ``gho_``...) become one pattern, searched in one pass over the text (the
    regex engine looks for their common prefix) instead of one pass per literal."""
    if len(literals) > 1 and len(posixpath.commonprefix(list(literals))) >= 2:
        return re.compile("|".join(re.escape(lit) for lit in literals))
    return literals


_TOKEN_SHAPES = tuple((kind, _gate(literals), re.compile(rx)) for kind, literals, rx in _SHAPES)
_AWS_KEY_ID = re.compile(r"(?<![A-Za-z0-9/+=])((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Za-z0-9/+=])")
_AWS_SECRET = re.compile(
    r"(?i:aws_?secret_?(?:access_?)?key|secret_?access_?key|aws_secret)[\"']?\s*[:=,]\s*"
    r"[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"
)
_BARE_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")
_PRIVATE_KEY = re.compile(
    r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----"
    r"(?:\\n|\\r|\s)*([A-Za-z0-9+/=:,\-\s\\n]{0,400})"
)
_CONNECTION = re.compile(
    r"\b((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|"
    r"sqlserver|oracle|ftp|sftp|smtps?|https?|neo4j(?:\+s)?|bolt|clickhouse|snowflake)"
    r"(?:\+\w+)?)://([^:/\s@'\"<>{}]+):([^@\s'\"<>/]+)@([\w.\-]+)"
)
_ASSIGNMENT = re.compile(
    r"(?i)(?:^|[\s{,(\[])[\"']?((?:[\w.\-]*[_.\-])?(?:password|passwd|pwd|pass|secret|"
    r"secret[_\-]?key|api[_\-]?key|apikey|access[_\-]?key|access[_\-]?token|auth[_\-]?token|"
    r"bearer[_\-]?token|token|client[_\-]?secret|private[_\-]?key|hf[_\-]?token))[\"']?\]?"
    r"\s*(?::=|=|:)\s*(?:[rbfu]?[\"']([^\"'\n]{1,200})[\"']|([^\s\"'#,;}\])]{1,200}))"
)
_DOC_EXT = frozenset({"md", "markdown", "rst", "html", "htm", "adoc", "tex", "org"})
_NOT_SECRET_KEYS = re.compile(
    r"(?i)(?:^|[_.\-])(?:pad|eos|bos|unk|sep|cls|mask|start|end|special|max|num|min|n|"
    r"valid|invalid|fake|test|mock|dummy|expired|example|wrong|bad|old|random|"
    r"total|input|output|new|prompt|completion|context|stop|bypass|by|compass|"
    r"sample|first|last|next|prev|current|id|type|path|file|url|uri|env|name|length|len|"
    r"count|limit|size|header|field|param|var|prefix|suffix|regex|pattern)[_.\-]?"
    r"(?:token|pass|secret|key)$|(?:token|key|secret|password)_(?:id|name|path|file|env|var|"
    r"url|uri|length|len|type|header|field|prefix|limit|count)$|_ids?$"
)
#: Marks of a placeholder anywhere in a value, however long.
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)your|xxx|\*\*\*|\.\.\.|…|example|sample|dummy|placeholder|changeme|change[_\-]me|"
    r"redacted|<|>|\$\{|\{\{|\}\}|\$\(|%\(|^\$[A-Z_]|os\.environ|getenv|env\(|"
    r"replace[_\-\s]?(?:with|me)|insert[_\-\s]?(?:your|here)|enter[_\-\s]?your|fill[_\-\s]?in|"
    r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$"  # an UPPER_SNAKE name: a variable, not a value
)
#: Words that make a *short* value (a password, a config value) a placeholder; in a long random
#: token they occur by chance, so they are not applied there.
_WEAK_PLACEHOLDER_WORDS = re.compile(
    r"(?i)fake|insert|replace|enter|todo|tbd|secret|password|passwd|pass(?:word)?\d*$|^test|"
    r"test$|^none$|^null$|^true$|^false$|^default|demo|mock|abc123|1234|here|token|^key$|"
    r"^api[_\-]?key|^my[_\-]?"
)
_PASSWORD_HASH = re.compile(r"^(?:sha\d*:|argon2|pbkdf2|\$2[aby]?\$|\$argon2|\$6\$|\$5\$|scrypt:)")
_DEFAULT_PASSWORDS = frozenset(
    """postgres postgresql root admin administrator airflow mlflow minio minioadmin minio123
    guest user pass password secret test testing example changeme default dev develop
    development local localhost mysql mongo mongodb redis rabbitmq grafana prometheus
    superset jupyter docker letmein qwerty 123456 12345678 password123 admin123 pass123
    postgrespw mysecretpassword toor""".split()
)
_SEQUENCES = ("0123456", "123456", "abcdef", "ABCDEF", "qwerty")


@dataclass(frozen=True)
class Finding:
    kind: str
    where: str  # "path:line" or "path#cell=N:line"


def _entropy(text: str) -> float:
    if not text:
        return 0.0
    counts = Counter(text)
    total = len(text)
    return -sum(c / total * math.log2(c / total) for c in counts.values())


def _looks_random(value: str, min_entropy: float = 3.0) -> bool:
    if _PLACEHOLDER_WORDS.search(value):
        return False
    if len(value) <= 24 and _WEAK_PLACEHOLDER_WORDS.search(value):
        return False
    if any(seq in value for seq in _SEQUENCES):
        return False
    if re.search(r"(.)\1{5,}", value):
        return False
    return _entropy(value) >= min_entropy


def _real_password(value: str, user: str = "") -> bool:
    v = value.strip()
    if len(v) < 6 or v.lower() in _DEFAULT_PASSWORDS or v.lower() == user.lower():
        return False
    if _PLACEHOLDER_WORDS.search(v) or _WEAK_PLACEHOLDER_WORDS.search(v):
        return False
    if re.fullmatch(r"[*xX#.?_\-]+", v):
        return False
    if re.search(r"(.)\1{3,}", v) or any(seq in v for seq in _SEQUENCES):
        return False
    classes = sum(bool(re.search(rx, v)) for rx in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
    return classes >= 2


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Chunk:
    where: str  # "path" or "path#cell=N"
    text: str


def _file_chunks(snapshot: Snapshot, paths: list[str]) -> Iterator[tuple[str, list[_Chunk]]]:
    """``(path, chunks)`` of each candidate file, in order; the reads are pipelined."""
    # Python files are read (and cached) once for parsing anyway: share that read.
    sources = snapshot.texts(p for p in paths if p.endswith(".py"))
    # every other candidate fits its own cap already (``_candidate_files``)
    others = snapshot.read_many(
        (p for p in paths if not p.endswith(".py")), max(_MAX_NOTEBOOK_BYTES, _MAX_TEXT_BYTES)
    )
    for path in paths:
        if path.endswith(".py"):
            text = next(sources)[1]
            yield path, [_Chunk(path, text)] if text is not None else []
            continue
        data = next(others)[1]
        if data is None:
            yield path, []
        elif path.lower().endswith(".ipynb"):
            yield path, list(_notebook_chunks(path, decode_text(data)))
        elif b"\0" in data[:8000] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            yield path, []
        else:
            yield path, [_Chunk(path, decode_text(data))]


def _notebook_chunks(path: str, text: str) -> Iterator[_Chunk]:
    try:
        nb = json.loads(text)
    except (ValueError, RecursionError):
        yield _Chunk(path, re.sub(r"\"image/[\w+.-]+\":\s*\"[^\"]*\"", "", text))
        return
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if cells is None and isinstance(nb, dict):
        sheets = nb.get("worksheets")
        cells = [
            c
            for ws in (sheets if isinstance(sheets, list) else [])
            if isinstance(ws, dict) and isinstance(ws.get("cells"), list)
            for c in ws["cells"]
        ]
    if not isinstance(cells, list):
        return
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            continue
        parts = [_join(cell.get("source", cell.get("input", "")))]
        for output in cell.get("outputs") or []:
            if not isinstance(output, dict):
                continue
            parts.append(_join(output.get("text", "")))
            data = output.get("data")
            if isinstance(data, dict):
                parts.append(_join(data.get("text/plain", "")))
            parts.append(_join(output.get("traceback", "")))
        yield _Chunk(f"{path}#cell={number}", "\n".join(p for p in parts if p))


def _join(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(v for v in value if isinstance(v, str))
    return ""


def _candidate_files(snapshot: Snapshot) -> Iterator[str]:
    for entry in snapshot.files:
        name = posixpath.basename(entry.path).lower()
        ext = name.rsplit(".", 1)[-1] if "." in name else ""
        if entry.size <= 0 or ext in _SKIP_EXT or name in _SKIP_NAMES:
            continue
        cap = _MAX_NOTEBOOK_BYTES if ext == "ipynb" else _MAX_TEXT_BYTES
        if entry.size > cap or name.endswith((".min.js", ".map")):
            continue
        yield entry.path


# -- scanning --------------------------------------------------------------------------------


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def scan_text(where: str, text: str, *, config: bool, docs: bool = False) -> list[Finding]:
    """Credentials in one file (or notebook cell).

    ``config``: a configuration file, where ``key = value`` assignments are read even unquoted;
    ``docs``: prose (Markdown...), where only token shapes, key blocks and connection strings
    count (examples in documentation are not configurations).
    """
    if "base64," in text:
        text = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+", "", text)
    found: list[Finding] = []

    def add(kind: str, pos: int) -> None:
        found.append(Finding(kind, f"{where}:{_line_at(text, pos)}"))

    for kind, gate, rx in _TOKEN_SHAPES:
        if (
            gate.search(text) is None
            if isinstance(gate, re.Pattern)
            else not any(lit in text for lit in gate)
        ):
            continue
        for m in rx.finditer(text):
            start = m.start(1)
            if start > 0 and text[start - 1] in _TOKEN_CHARS and m.start() == start:
                continue  # inside a longer token (a hash, base64 data...)
            if _token_is_real(m.group(1)):
                add(kind, start)
    if "AKIA" in text or "ASIA" in text:
        for m in _AWS_KEY_ID.finditer(text):
            key_id = m.group(1)
            if "EXAMPLE" in key_id or not _looks_random(key_id[4:], 2.5):
                continue
            window = text[max(0, m.start() - 600) : m.end() + 600]
            if any(_aws_secret_real(s) for s in _BARE_AWS_SECRET.findall(window)):
                add("AWS access key pair", m.start(1))
    lowered = text.lower()
    if "secret" in lowered:
        for m in _AWS_SECRET.finditer(text):
            if _aws_secret_real(m.group(1)):
                add("AWS secret access key", m.start(1))
    if "PRIVATE KEY" in text:
        for m in _PRIVATE_KEY.finditer(text):
            body = re.sub(r"\\n|\\r|\s", "", m.group(2))
            if len(body) >= 40 and not _PLACEHOLDER_WORDS.search(m.group(2)):
                add("private key", m.start())
    if "://" in text:
        for m in _connections(text):
            user, password, host = m.group(2), m.group(3), m.group(4)
            if host.lower() in ("host", "hostname", "server", "example.com", "."):
                continue
            if _real_password(password, user):
                add(f"password in a {m.group(1).split('+')[0]} connection string", m.start())
    if not docs:
        for line_start, line in _keyword_lines(text, lowered, code=not config):
            for m in _ASSIGNMENT.finditer(line):
                what = _assignment_kind(m, config=config)
                if what is not None:
                    add(what, line_start)
    return found


_SPACE = re.compile(r"\s")
#: Longest scheme (with its ``+driver``) looked for before a ``://``.
_MAX_SCHEME = 64


def _connections(text: str) -> Iterator[re.Match[str]]:
    """``_CONNECTION.finditer(text)``, searched only around each ``://`` (from the longest
    scheme before it to the next whitespace, which no match crosses) instead of along the
    whole text: most texts hold URLs, few hold credentials in them."""
    done = 0  # end of the last match: the next starts at or after it
    at = text.find("://")
    while at != -1:
        space = _SPACE.search(text, at)
        end = space.start() if space is not None else len(text)
        m = _CONNECTION.search(text, max(done, at - _MAX_SCHEME), end)
        if m is not None:
            done = m.end()
            yield m
            at = text.find("://", max(done, at + 3))
        else:
            at = text.find("://", at + 3)


#: A secret-ish key name right before an assignment operator (run on lower-cased text).
_KEYWORD_LOWER = re.compile(
    r"(?:pass(?:word|wd)?|pwd|secret(?:_?key)?|api_?key|apikey|access_?key|token)"
    r"[\"']?\]?\s*(?::=|=|:)"
)


#: Every match of ``_KEYWORD_LOWER`` starts with one of these.
_KEYWORD_HEADS = ("pass", "pwd", "secret", "api", "access", "token")


def _matches(rx: re.Pattern[str], text: str, heads: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, when every match starts with one of ``heads``: the heads are found
    with ``str.find`` (far faster than the regex engine's scan for an alternation) and the
    pattern tried only there, leftmost first, never inside the previous match."""
    if not heads:
        yield from rx.finditer(text)
        return
    starts: set[int] = set()
    for head in heads:
        at = text.find(head)
        while at != -1:
            starts.add(at)
            at = text.find(head, at + 1)
    done = 0
    for at in sorted(starts):
        if at < done:
            continue
        m = rx.match(text, at)
        if m is not None:
            done = m.end()
            yield m


def _keyword_lines(text: str, lowered: str, *, code: bool) -> Iterator[tuple[int, str]]:
    """(offset, text) of each line holding a secret-ish assignment (with a quote, in code)."""
    if len(lowered) != len(text):  # lower() changed lengths (rare Unicode): search the original
        lowered, rx = text, re.compile(_KEYWORD_LOWER.pattern, re.IGNORECASE)
    else:
        rx = _KEYWORD_LOWER
    last_start = -1
    for m in _matches(rx, lowered, _KEYWORD_HEADS if rx is _KEYWORD_LOWER else ()):
        start = text.rfind("\n", 0, m.start()) + 1
        if start == last_start:
            continue
        last_start = start
        end = text.find("\n", m.end())
        line = text[start : end if end != -1 else len(text)]
        if len(line) > 2000 or (code and "'" not in line and '"' not in line):
            continue
        yield start, line


def _assignment_kind(m: re.Match[str], *, config: bool) -> str | None:
    """The kind of secret a ``key = value`` match holds, or None."""
    key = m.group(1)
    value = (m.group(2) if m.group(2) is not None else m.group(3) or "").strip()
    if _NOT_SECRET_KEYS.search(key) or not value:
        return None
    if not config and m.group(2) is None:
        return None  # in code only string literals are values
    if _assignment_is_secret(key, value, config=config):
        kind = "password" if re.search(r"(?i)pass|pwd", key) else "API key or token"
        return f"{kind} in {'a configuration file' if config else 'code'}"
    return None


def _token_is_real(body: str) -> bool:
    tail = re.sub(
        r"^[a-z0-9]+[_\-](?:(?:proj|svcacct|admin|None|api\d\d|dev|prod|pt|sk)[_\-])?", "", body
    )
    if "EXAMPLE" in body or "..." in body:
        return False
    classes = sum(bool(re.search(rx, tail)) for rx in (r"[a-z]", r"[A-Z]", r"\d"))
    return classes >= 2 and _looks_random(tail, 3.2)


def _aws_secret_real(value: str) -> bool:
    if "EXAMPLE" in value or value.startswith("wJalrXUtnFEMI"):
        return False
    has_classes = (
        re.search(r"[a-z]", value) and re.search(r"[A-Z]", value) and re.search(r"\d", value)
    )
    return bool(has_classes) and _looks_random(value, 4.0)


def _assignment_is_secret(key: str, value: str, *, config: bool) -> bool:
    value = value.strip().rstrip(",;")
    if _PASSWORD_HASH.match(value):
        return False  # a hash of a password is not the password
    if value.startswith("eyJ") and value.count(".") < 2:
        return False  # not a complete JWT
    if re.search(r"(?i)pass|pwd", key):
        return (config or len(value) >= 8) and _real_password(value)
    if len(value) < (16 if config else 20) or " " in value or value.startswith("django-insecure"):
        return False
    if re.fullmatch(r"[\w.\-]+\.[a-z]{2,4}", value) or "/" in value or "(" in value:
        return False  # a file name, path or call, not a key
    if not (re.search(r"[A-Za-z]", value) and re.search(r"\d", value)):
        return False
    return _looks_random(value, 3.5)


def find_secrets_in(snapshot: Snapshot) -> list[Finding]:
    findings: list[Finding] = []
    scanned = 0
    paths = []
    for path in _candidate_files(snapshot):
        scanned += snapshot.size(path)
        if scanned > _MAX_TOTAL_BYTES:
            snapshot.warn(
                "secrets-budget",
                f"Secrets were looked for in the first {_MAX_TOTAL_BYTES:,} bytes of text only; "
                f"{path} and the files after it were not scanned.",
            )
            break
        paths.append(path)
    for path, chunks in _file_chunks(snapshot, paths):
        name = posixpath.basename(path).lower()
        ext = name.rsplit(".", 1)[-1] if "." in name else ""
        config = (
            ext in _CONFIG_EXT
            or name.startswith(".env")
            or name.endswith(".env")
            or name in ("dockerfile", "credentials", "secrets", ".netrc", ".pypirc", ".npmrc")
        )
        docs = ext in _DOC_EXT
        for chunk in chunks:
            findings.extend(scan_text(chunk.where, chunk.text, config=config, docs=docs))
    return findings


@finder("secrets_committed")
def find_secrets(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    findings = find_secrets_in(snapshot)
    if not findings:
        return {
            "secrets_committed": Fact(
                False,
                (),
                "no API key, token, private key or real-looking password found in text files",
            )
        }
    unique: dict[str, Finding] = {}
    for f in findings:
        unique.setdefault(f.where, f)
    ordered = list(unique.values())
    kinds = sorted({f.kind for f in ordered})
    first = ordered[0]
    more = f" and {len(ordered) - 1} more" if len(ordered) > 1 else ""
    return {
        "secrets_committed": Fact(
            True,
            tuple(f.where for f in ordered[:20]),
            f"{first.kind} committed at {first.where}{more} ({', '.join(kinds)})",
        )
    }
