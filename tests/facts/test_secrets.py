"""Committed credentials (FACTS.md: secrets_committed).

Token-shaped strings are assembled at run time so that no credential-looking literal is ever
committed to this repository (secret scanners would rightly complain).
"""

from __future__ import annotations

import random
import string

import pytest
from snapfactory import notebook

from reviewer.facts.secrets import find_secrets, scan_text

RNG = random.Random(7)


def rand(n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    """A random-looking string; digits and capitals included when the alphabet has them."""
    for _ in range(1000):
        s = "".join(RNG.choice(alphabet) for _ in range(n))
        wants_digit = any(c.isdigit() for c in alphabet)
        wants_upper = any(c.isupper() for c in alphabet)
        if (not wants_digit or any(c.isdigit() for c in s)) and (
            not wants_upper or any(c.isupper() for c in s)
        ):
            return s
    raise AssertionError("no random string found")


OPENAI = "sk-" + "proj-" + rand(48)
ANTHROPIC = "sk-" + "ant-api03-" + rand(90)
HF = "hf" + "_" + rand(34)
GITHUB = "gh" + "p_" + rand(36)
GOOGLE = "AI" + "za" + rand(35)
AWS_ID = "AK" + "IA" + rand(16, string.ascii_uppercase + string.digits)
AWS_SECRET = rand(40, string.ascii_letters + string.digits + "/+")
SLACK = "xo" + "xb-" + rand(12, string.digits) + "-" + rand(24)
AWS_DOC_ID = "AKIAIOSFODNN7" + "EXAMPLE"
AWS_DOC_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"
KEY_BODY = "\n".join(rand(64, string.ascii_letters + string.digits + "+/") for _ in range(4))
PRIVATE_KEY = (
    "-----BEGIN RSA PRIVATE " + "KEY-----\n" + KEY_BODY + "\n-----END RSA PRIVATE KEY-----\n"
)

POSITIVE = [
    ({"app.py": f'import openai\nopenai.api_key = "{OPENAI}"\n'}, "OpenAI API key", "app.py:2"),
    ({"chat.py": f'client = Anthropic(api_key="{ANTHROPIC}")\n'}, "Anthropic API key", "chat.py:1"),
    ({".env": f"HF_TOKEN={HF}\n"}, "Hugging Face token", ".env:1"),
    (
        {"deploy.sh": f"git clone https://x:{GITHUB}@github.com/a/b\n"},
        "GitHub token",
        "deploy.sh:1",
    ),
    ({"web/config.js": f'const key = "{GOOGLE}";\n'}, "Google API key", "web/config.js:1"),
    (
        {
            "aws.cfg": (
                f"[default]\naws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_SECRET}\n"
            )
        },
        "AWS",
        "aws.cfg:",
    ),
    ({"bot.py": f'SLACK = "{SLACK}"\n'}, "Slack token", "bot.py:1"),
    ({"id_rsa": PRIVATE_KEY}, "private key", "id_rsa:1"),
    (
        {"db.py": 'ENGINE = "postgresql://admin:Xk9#pQ2vLm@db.prod.internal:5432/app"\n'},
        "connection string",
        "db.py:1",
    ),
    (
        {"config.yaml": "database:\n  user: ml\n  password: T7v!qL9zR2\n"},
        "password",
        "config.yaml:3",
    ),
    (
        {"nb.ipynb": notebook(f'import os\nos.environ["OPENAI_API_KEY"] = "{OPENAI}"')},
        "OpenAI API key",
        "nb.ipynb#cell=1:2",
    ),
]


@pytest.mark.parametrize(
    ("files", "kind", "where"),
    POSITIVE,
    ids=[
        "openai",
        "anthropic",
        "huggingface-env",
        "github-in-url",
        "google",
        "aws-pair",
        "slack",
        "private-key",
        "connection-string",
        "config-password",
        "notebook-cell",
    ],
)
def test_real_credentials_are_found_without_showing_them(snapshot_of, files, kind, where):
    fact = find_secrets(snapshot_of(files), {})["secrets_committed"]
    assert fact.value is True
    assert kind in fact.reason
    assert fact.evidence[0].startswith(where)
    assert all(secret not in fact.reason for secret in (OPENAI, HF, GITHUB, AWS_SECRET, "Xk9#pQ"))


NEGATIVE = [
    {".env.example": "OPENAI_API_KEY=your_api_key\nHF_TOKEN=hf_xxx\nPASSWORD=changeme\n"},
    {"aws.md": f"aws_access_key_id = {AWS_DOC_ID}\naws_secret_access_key = {AWS_DOC_SECRET}\n"},
    {"app.py": 'import os\nopenai.api_key = os.environ["OPENAI_API_KEY"]\nKEY = "sk-..."\n'},
    {
        "docker-compose.yml": "services:\n  db:\n    environment:\n"
        "      POSTGRES_PASSWORD: postgres\n"
        "      MLFLOW_URI: postgresql://mlflow:mlflow@db:5432/mlflow\n"
        "      PW: ${DB_PASSWORD}\n"
    },
    {"README.md": "Set `password: hunter2secret` and export TOKEN=<your-token>.\n"},
    {"tokenizer_config.json": '{"pad_token": "<pad>", "eos_token": "</s>", "max_tokens": 512}'},
    {"style.css": ".sk-circle-bounce-animation-delay-element-first { color: red }\n"},
    {
        "nb.ipynb": notebook('key = getpass("API key: ")'),
        "docs/jupyter.py": 'c.NotebookApp.password = u"sha1:c6bbcba2d04b:f969e403db876dcfbe26f4"\n',
    },
    {"keys.py": "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"},
    {"test_auth.py": 'valid_token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.valid"\n'},
]


@pytest.mark.parametrize(
    "files",
    NEGATIVE,
    ids=[
        "placeholders",
        "aws-documented-example",
        "env-reference-and-ellipsis",
        "default-dev-passwords-and-variables",
        "readme-prose",
        "tokenizer-special-tokens",
        "css-class-names",
        "prompt-and-password-hash",
        "placeholder-key-block",
        "fake-test-jwt",
    ],
)
def test_placeholders_and_examples_are_not_secrets(snapshot_of, files):
    fact = find_secrets(snapshot_of(files), {})["secrets_committed"]
    assert fact.value is False, fact.reason


def test_vendored_and_binary_files_are_not_scanned(snapshot_of):
    files = {
        "venv/lib/python3.11/site-packages/x/conf.py": f'KEY = "{OPENAI}"\n',
        "model.bin": b"\x00\x01" + OPENAI.encode(),
    }
    assert find_secrets(snapshot_of(files), {})["secrets_committed"].value is False


def test_key_inside_base64_blob_is_not_a_key():
    blob = "data:image/png;base64," + rand(200, string.ascii_letters + string.digits + "+/")
    text = f'<img src="{blob}{GOOGLE[4:]}AIza{rand(35)}">'
    assert scan_text("page.html", text, config=False) == []
