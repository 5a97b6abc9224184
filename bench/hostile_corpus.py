"""Build a corpus of hostile git repositories of real hostile size, to attack ``reviewer inspect``.

    python bench/hostile_corpus.py ROOT [--only NAME ...] [--scale 1.0] [--list]

Layout under ROOT (the bench ``bench_hostile.py`` uses the same):

    ROOT/repos/<case>.git   bare repositories, one per case
    ROOT/sentinel/          files outside every repository that symlinks and payloads aim at;
                            nothing may read, change or add anything here
    ROOT/markers/           where payloads would ``touch`` a file if they ever ran
    ROOT/corpus.json        the cases: name, what it attacks, the outcome expected

The objects are written directly (zlib-compressed loose objects, then ``git repack``), not by
``git add``: that way the corpus holds exactly the trees a hostile server could send — names with
newlines or invalid UTF-8, 20 000-deep directories, symlinks anywhere, gitlinks with any URL in
``.gitmodules`` — without a work tree ever existing. Every git call here runs with no user or
system configuration. Sizes are real (a 200 MB blob, 1.2 GB of 9.9 MB files, 50 000 commits);
``--scale 0.01`` shrinks them for a quick run. Check free disk first: a full corpus takes about
1.3 GB (most of it the random blobs of ``blob-200mb`` and ``pack-over-cap``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MiB = 1024 * 1024
FILE = "100644"
EXEC = "100755"
LINK = "120000"
GITLINK = "160000"
TREE = "40000"
SENTINEL_SECRET = "SENTINEL-SECRET-7f3a9c"  # must never appear in any report


# -- writing objects ----------------------------------------------------------------------------


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0")
    return env


def run_git(git_dir: Path, *args: str) -> None:
    subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], env=git_env(), check=True, capture_output=True
    )


class Repo:
    """A bare repository whose objects are written by hand (any tree git's format can hold)."""

    def __init__(self, git_dir: Path) -> None:
        self.git_dir = git_dir
        if git_dir.exists():
            shutil.rmtree(git_dir)
        subprocess.run(
            ["git", "init", "-q", "--bare", "--template=", str(git_dir)],
            env=git_env(),
            check=True,
        )
        self.objects = git_dir / "objects"
        self.clock = 1_700_000_000

    # objects
    def _store(self, sha: str, compressed: Iterable[bytes]) -> str:
        path = self.objects / sha[:2] / sha[2:]
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                for part in compressed:
                    fh.write(part)
            os.replace(tmp, path)
        return sha

    def raw(self, kind: str, body: bytes, level: int = 1) -> str:
        data = f"{kind} {len(body)}\0".encode() + body
        sha = hashlib.sha1(data).hexdigest()
        path = self.objects / sha[:2] / sha[2:]
        if path.exists():
            return sha
        return self._store(sha, [zlib.compress(data, level)])

    def blob(self, data: bytes | str) -> str:
        return self.raw("blob", data.encode() if isinstance(data, str) else data)

    def blob_stream(self, size: int, chunks: Iterable[bytes], level: int = 1) -> str:
        """A blob of exactly ``size`` bytes from ``chunks``, compressed as it streams."""
        header = f"blob {size}\0".encode()
        digest = hashlib.sha1(header)
        comp = zlib.compressobj(level)
        fd, tmp = tempfile.mkstemp(dir=self.objects)
        written = 0
        with os.fdopen(fd, "wb") as fh:
            fh.write(comp.compress(header))
            for chunk in chunks:
                digest.update(chunk)
                written += len(chunk)
                fh.write(comp.compress(chunk))
            fh.write(comp.flush())
        if written != size:
            raise AssertionError(f"blob_stream: {written} bytes written, {size} announced")
        sha = digest.hexdigest()
        path = self.objects / sha[:2] / sha[2:]
        path.parent.mkdir(exist_ok=True)
        os.replace(tmp, path)
        return sha

    def tree(self, entries: Iterable[tuple[str, bytes, str]], *, sort: bool = True) -> str:
        items = list(entries)
        if sort:  # git's order: a directory sorts as if its name ended with "/"
            items.sort(key=lambda e: e[1] + (b"/" if e[0] == TREE else b""))
        body = b"".join(
            mode.encode() + b" " + name + b"\0" + bytes.fromhex(oid) for mode, name, oid in items
        )
        return self.raw("tree", body)

    def files_tree(self, files: dict[bytes, tuple[str, str]]) -> str:
        """A root tree from ``{b"dir/name": (mode, oid)}`` (iterative: any depth)."""
        dirs: dict[bytes, list[tuple[str, bytes, str]]] = {b"": []}
        subdirs: dict[bytes, set[bytes]] = {}
        for path, (mode, oid) in files.items():
            parent, _, name = path.rpartition(b"/")
            dirs.setdefault(parent, []).append((mode, name, oid))
            while parent:
                up = parent.rpartition(b"/")[0]
                kids = subdirs.setdefault(up, set())
                if parent in kids:
                    break
                kids.add(parent)
                dirs.setdefault(up, [])
                parent = up
        built: dict[bytes, str] = {}
        for d in sorted(dirs, key=lambda p: -(p.count(b"/") + (1 if p else 0))):
            entries = dirs[d] + [
                (TREE, child.rpartition(b"/")[2], built[child]) for child in subdirs.get(d, ())
            ]
            built[d] = self.tree(entries)
        return built[b""]

    def commit(
        self,
        tree: str,
        parents: Iterable[str] = (),
        message: bytes | str = b"Initial commit\n",
        author: bytes | str = b"Alice Example <alice@example.org>",
        when: int | None = None,
    ) -> str:
        if when is None:
            self.clock += 3600
            when = self.clock
        ident = author.encode() if isinstance(author, str) else author
        msg = message.encode() if isinstance(message, str) else message
        lines = [b"tree " + tree.encode()]
        lines += [b"parent " + p.encode() for p in parents]
        lines += [
            b"author " + ident + f" {when} +0000".encode(),
            b"committer " + ident + f" {when} +0000".encode(),
        ]
        return self.raw("commit", b"\n".join(lines) + b"\n\n" + msg)

    def set_head(self, commit: str, branch: str = "main") -> None:
        ref = self.git_dir / "refs" / "heads" / branch
        ref.parent.mkdir(parents=True, exist_ok=True)
        ref.write_text(commit + "\n")
        (self.git_dir / "HEAD").write_text(f"ref: refs/heads/{branch}\n")

    def snapshot(self, files: dict[bytes, tuple[str, str]], message: str = "Add files\n") -> str:
        commit = self.commit(self.files_tree(files), message=message)
        self.set_head(commit)
        return commit

    def repack(self, *extra: str) -> None:
        run_git(self.git_dir, "-c", "pack.threads=2", "repack", "-a", "-d", "-q", *extra)
        run_git(self.git_dir, "prune-packed")


# -- content helpers ----------------------------------------------------------------------------


def zeros(size: int, head: bytes = b"") -> Iterator[bytes]:
    """``size`` bytes: ``head`` then zeros (compresses about 1000:1: a zip-bomb-like blob)."""
    yield head[:size]
    left = size - min(len(head), size)
    block = b"\0" * MiB
    while left > 0:
        n = min(left, MiB)
        yield block[:n]
        left -= n


def repeated(size: int, unit: bytes, head: bytes = b"") -> Iterator[bytes]:
    """``size`` bytes: ``head`` then ``unit`` repeated (cut to size)."""
    yield head[:size]
    left = size - min(len(head), size)
    block = unit * max(1, MiB // len(unit))
    while left > 0:
        n = min(left, len(block))
        yield block[:n]
        left -= n


def random_bytes(size: int, seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    left = size
    while left > 0:
        n = min(left, 4 * MiB)
        yield rng.randbytes(n)
        left -= n


def notebook_json(cells: list[dict[str, object]]) -> bytes:
    nb = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb).encode()


def code_cell(source: str, outputs: list[dict[str, object]] | None = None) -> dict[str, object]:
    return {
        "cell_type": "code",
        "execution_count": 1,
        "id": hashlib.md5(source.encode()).hexdigest()[:8],
        "metadata": {},
        "outputs": outputs or [],
        "source": source,
    }


YAML_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
j: &j [*i,*i,*i,*i,*i,*i,*i,*i,*i]
k: &k [*j,*j,*j,*j,*j,*j,*j,*j,*j]
"""

PLAIN = {
    b"README.md": "# Churn model\n\nTrain with `python train.py`.\n",
    b"train.py": "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\n\n"
    "def main():\n    df = pd.read_csv('data.csv')\n    LogisticRegression().fit(df, df)\n\n"
    "if __name__ == '__main__':\n    main()\n",
    b"requirements.txt": "pandas==2.2.0\nscikit-learn==1.4.0\n",
    b"tests/test_train.py": "from train import main\n\ndef test_main():\n    assert main\n",
}


# -- the cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ctx:
    root: Path
    scale: float

    @property
    def sentinel(self) -> Path:
        return self.root / "sentinel"

    @property
    def markers(self) -> Path:
        return self.root / "markers"

    def n(self, full: int, minimum: int = 1) -> int:
        return max(minimum, int(full * self.scale))

    def touch(self, case: str) -> str:
        return f"touch {self.markers / case}"


@dataclass(frozen=True)
class Case:
    name: str
    attack: str
    expect: str  # "report" or "error"
    build: Callable[[Repo, Ctx], None]
    expect_scaled: str | None = None  # the outcome when --scale shrinks it, if different


CASES: list[Case] = []


def case(
    name: str, attack: str, expect: str = "report", expect_scaled: str | None = None
) -> Callable[[Callable[..., None]], None]:
    def wrap(fn: Callable[[Repo, Ctx], None]) -> None:
        CASES.append(Case(name, attack, expect, fn, expect_scaled))

    return wrap


def plain(repo: Repo, extra: dict[bytes, tuple[str, str]] | None = None) -> dict:
    files = {p: (FILE, repo.blob(t)) for p, t in PLAIN.items()}
    files.update(extra or {})
    return files


@case("control-plain", "an ordinary small ML project (the control: must be fast and complete)")
def _control(repo: Repo, ctx: Ctx) -> None:
    repo.snapshot(plain(repo))
    repo.repack()


@case("blob-200mb", "one 200 MB incompressible blob (model weights) beside ordinary files")
def _blob_200mb(repo: Repo, ctx: Ctx) -> None:
    size = ctx.n(200 * MiB, 1024)
    big = repo.blob_stream(size, random_bytes(size, 1), level=0)
    repo.snapshot(plain(repo, {b"models/weights.bin": (FILE, big)}))
    repo.repack("--window=0")


@case("blob-1gb-zeros", "zip-bomb-like blobs: 1 GB of zeros, and a 900 MB 'notebook' and '.py'")
def _blob_zeros(repo: Repo, ctx: Ctx) -> None:
    big = repo.blob_stream(ctx.n(1024 * MiB, 1024), zeros(ctx.n(1024 * MiB, 1024), b"id,x\n"))
    nb = ctx.n(900 * MiB, 1024)
    nb_blob = repo.blob_stream(nb, zeros(nb, b'{"cells": [{"cell_type": "code", "source": "'))
    py_blob = repo.blob_stream(nb, repeated(nb, b"x = 1\n", b"import torch\n"))
    repo.snapshot(
        plain(
            repo,
            {
                b"data/train.csv": (FILE, big),
                b"notebooks/eda.ipynb": (FILE, nb_blob),
                b"src/huge.py": (FILE, py_blob),
            },
        )
    )
    repo.repack("--window=0")


@case("blob-4gb-zeros", "a zip bomb: 4 GB of zeros in one blob (a 4 MB pack)")
def _blob_4gb(repo: Repo, ctx: Ctx) -> None:
    size = ctx.n(4096 * MiB, 1024)
    big = repo.blob_stream(size, zeros(size, b"id,x\n"))
    repo.snapshot(plain(repo, {b"data/zeros.csv": (FILE, big)}))
    repo.repack("--window=0")


@case("tree-100k", "100 000 files (half of them small .py modules) in 100 directories")
def _tree_100k(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    count = ctx.n(100_000, 100)
    for i in range(count):
        if i % 2:
            oid = repo.blob(f"import numpy as np\n\ndef f{i}(x):\n    return np.sum(x) + {i}\n")
            files[f"pkg{i % 100:03d}/mod_{i}.py".encode()] = (FILE, oid)
        else:
            files[f"data{i % 100:03d}/row_{i}.txt".encode()] = (FILE, repo.blob(f"{i}\n"))
    repo.snapshot(files)
    repo.repack()


@case("tree-over-cap", "250 000 entries, above the 200 000-file cap", "error")
def _tree_over_cap(repo: Repo, ctx: Ctx) -> None:
    one = repo.blob("x\n")
    files = plain(repo)
    count = ctx.n(250_000, 300) if ctx.scale >= 1 else 250_000
    for i in range(count):
        files[f"d{i % 500:03d}/f{i}.txt".encode()] = (FILE, one)
    repo.snapshot(files)
    repo.repack()


@case("deep-20k", "directories nested 20 000 deep (a 40 KB path), and a wide flat directory")
def _deep(repo: Repo, ctx: Ctx) -> None:
    depth = ctx.n(20_000, 50)
    leaf = repo.tree([(FILE, b"deep.py", repo.blob("import torch\nassert True\n"))])
    tree = leaf
    for _ in range(depth):
        tree = repo.tree([(TREE, b"d", tree)])
    files = plain(repo)
    root = repo.files_tree(files)
    root_entries = _read_tree(repo, root) + [(TREE, b"d", tree)]
    commit = repo.commit(repo.tree(root_entries))
    repo.set_head(commit)
    repo.repack()


def _read_tree(repo: Repo, oid: str) -> list[tuple[str, bytes, str]]:
    raw = zlib.decompress((repo.objects / oid[:2] / oid[2:]).read_bytes())
    body = raw.split(b"\0", 1)[1]
    out = []
    while body:
        meta, body = body.split(b"\0", 1)
        mode, name = meta.split(b" ", 1)
        out.append((mode.decode(), name, body[:20].hex()))
        body = body[20:]
    return out


@case("notebook-60mb", "a 60 MB notebook of huge outputs (images and text streams)")
def _notebook_60mb(repo: Repo, ctx: Ctx) -> None:
    cells = []
    png = "iVBORw0KGgo" + "A" * ctx.n(2 * MiB, 1000)
    for i in range(20):
        cells.append(code_cell(f"import matplotlib.pyplot as plt\nplt.plot([{i}])\n", [
            {"output_type": "display_data", "metadata": {},
             "data": {"image/png": png, "text/plain": ["<Figure>"]}},
            {"output_type": "stream", "name": "stdout",
             "text": [f"epoch {j} loss 0.{j}\n" for j in range(ctx.n(40_000, 10))]},
        ]))  # fmt: skip
    repo.snapshot(plain(repo, {b"notebooks/train.ipynb": (FILE, repo.blob(notebook_json(cells)))}))
    repo.repack()


@case("notebook-19mb-strings", "a notebook just under the 20 MB cap: 1.7 million tiny output lines")
def _notebook_19mb(repo: Repo, ctx: Ctx) -> None:
    def build(lines: int) -> bytes:
        per_cell = max(1, lines // 10)
        out = [{"output_type": "stream", "name": "stdout",
                "text": [f"{j}\n" for j in range(per_cell)]}]  # fmt: skip
        code = f"import torch\nfor i in range({per_cell}):\n    print(i)\n"
        return notebook_json([code_cell(code, out) for _ in range(10)])

    data = fit_under(build, ctx.n(1_700_000, 100), ctx.n(19_500_000, 1000))
    repo.snapshot(plain(repo, {b"notebooks/loop.ipynb": (FILE, repo.blob(data))}))
    repo.repack()


def fit_under(build: Callable[[int], bytes], n: int, limit: int) -> bytes:
    """``build(n)``, with ``n`` shrunk until the result is at most ``limit`` bytes."""
    data = build(n)
    while len(data) > limit and n > 1:
        n = max(1, int(n * limit / len(data) * 0.995))
        data = build(n)
    return data


@case("notebook-deep-json", "notebooks whose JSON nests 500 000 deep (in a cell, and bare)")
def _notebook_deep(repo: Repo, ctx: Ctx) -> None:
    depth = ctx.n(500_000, 1000)
    inner = "[" * depth + "]" * depth
    in_cell = (
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": ['
        '{"cell_type": "code", "metadata": {}, "outputs": [], "source": ' + inner + "}]}"
    )
    in_outputs = (
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": ['
        '{"cell_type": "code", "metadata": {}, "source": "import os", "outputs": ['
        + '{"a":' * depth
        + "1"
        + "}" * depth
        + "]}]}"
    )
    repo.snapshot(
        plain(
            repo,
            {
                b"nb/deep_cell.ipynb": (FILE, repo.blob(in_cell)),
                b"nb/deep_outputs.ipynb": (FILE, repo.blob(in_outputs)),
                b"nb/bare.ipynb": (FILE, repo.blob(inner)),
                b"nb/not_json.ipynb": (FILE, repo.blob(b"\x89PNG\r\n\x1a\n" + b"\0" * 1000)),
                b"nb/truncated.ipynb": (FILE, repo.blob('{"cells": [{"cell_type": "code", "so')),
            },
        )
    )
    repo.repack()


@case("notebook-150k-cells", "one notebook of 150 000 small code cells, just under the 20 MB cap")
def _notebook_cells(repo: Repo, ctx: Ctx) -> None:
    def build(n: int) -> bytes:
        return notebook_json([
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
             "source": f"import os\nx{i} = os.getcwd()\n"}
            for i in range(n)
        ])  # fmt: skip

    data = fit_under(build, ctx.n(150_000, 100), ctx.n(19_500_000, 1000))
    repo.snapshot(plain(repo, {b"many.ipynb": (FILE, repo.blob(data))}))
    repo.repack()


@case("notebook-dense-cells", "code cells of 15 MB and 990 KB of dense literals and '+' chains")
def _notebook_dense(repo: Repo, ctx: Ctx) -> None:
    big = ctx.n(7_500_000, 1000)
    one = notebook_json([code_cell("import torch\nx = [" + "1," * big + "]\n")])
    parts = [code_cell("y = " + "+".join(["1"] * ctx.n(490_000, 100)) + "\n") for _ in range(3)]
    parts += [code_cell("z = {" + ",".join(f"{i}: {i}" for i in range(ctx.n(90_000, 100))) + "}\n")]
    repo.snapshot(
        plain(
            repo,
            {
                b"notebooks/one_cell.ipynb": (FILE, repo.blob(one)),
                b"notebooks/chains.ipynb": (FILE, repo.blob(notebook_json(parts))),
            },
        )
    )
    repo.repack()


@case("notebooks-40x19mb", "40 notebooks of 19.5 MB each (780 MB of notebooks, compressible)")
def _notebooks_many(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    for k in range(40):

        def build(lines: int, k: int = k) -> bytes:
            out = [
                {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": [f"loss: 0.123456789 accuracy: 0.9876 {j:6d}\n" for j in range(lines)],
                }
            ]
            return notebook_json([code_cell(f"import tensorflow as tf\nprint({k})\n", out)])

        data = fit_under(build, ctx.n(400_000, 10), ctx.n(19_500_000, 1000))
        files[f"notebooks/run_{k:02d}.ipynb".encode()] = (FILE, repo.blob(data))
    repo.snapshot(files)
    repo.repack()


@case("py-bombs", "Python that attacks parsers: 5 MB one-liner, 2M '+' chain, deep nesting...")
def _py_bombs(repo: Repo, ctx: Ctx) -> None:
    def sized(full: int) -> int:
        return ctx.n(full, 1000)

    terms = sized(2_000_000)
    under = sized(490_000)  # just under the 1 MB parse cap
    bombs: dict[str, str] = {
        "one_line_5mb.py": "x = [" + "1," * (sized(5 * MiB) // 2) + "]\n",
        "one_line_990k.py": "x = [" + "1," * (sized(990_000) // 2) + "]\n",
        "plus_2m.py": "x = " + "+".join(["1"] * terms) + "\n",
        "plus_under_cap.py": "x = " + "+".join(["1"] * under) + "\n",
        "minus_unary.py": "x = " + "-" * sized(990_000) + "1\n",
        "not_chain.py": "x = " + "not " * sized(240_000) + "y\n",
        "parens.py": "x = " + "(" * sized(400_000) + ")" * sized(400_000) + "\n",
        "attr_chain.py": "import os\nx = os" + ".a" * sized(450_000) + "\n",
        "call_chain.py": "import os\nx = os.f" + "()" * sized(450_000) + "\n",
        "method_chain.py": "import pandas as pd\nx = pd.df" + ".a()" * sized(240_000) + "\n",
        "subscript_chain.py": "x = y" + "[0]" * sized(300_000) + "\n",
        "lambda_chain.py": "f = " + "lambda: " * sized(110_000) + "0\n",
        "nested_if.py": "".join("    " * i + "if x:\n" for i in range(99)) + "    " * 99 + "y\n",
        "many_defs.py": "".join(
            f"@dec.a.b\ndef f{i}(a, b=1, *c, **d): pass\n" for i in range(sized(30_000))
        ),
        "fstring_nest.py": 'x = f"{' * 150 + "1" + '}"' * 150 + "\n",
        "strings_concat.py": "x = (" + " ".join(['"a"'] * sized(300_000)) + ")\n",
        "dict_huge.py": "d = {" + ",".join(f"{i}: {i}" for i in range(sized(90_000))) + "}\n",
        "syntax_errors.py": "def f(:\n" * sized(100_000),
        "null_bytes.py": "import os\x00\nx = 1\n",
        "bad_utf8.py": "import os\n# \udcff\n",
        "tabs_mixed.py": "if x:\n\tif y:\n        pass\n",
        "setup.py": "from setuptools import setup\nsetup(install_requires=["
        + "[" * 90
        + "]" * 90
        + "], extras="
        + "+".join(["['a']"] * sized(200_000))
        + ")\n",
    }
    files = plain(repo)
    for name, text in bombs.items():
        files[f"bombs/{name}".encode() if name != "setup.py" else b"setup.py"] = (
            FILE,
            repo.blob(text.encode("utf-8", "surrogateescape")),
        )
    repo.snapshot(files)
    repo.repack()


YAML_PLACES = (
    b".github/workflows/ci.yml", b".github/workflows/bomb.yaml", b"environment.yml",
    b"conda.yaml", b"dvc.yaml", b"dvc.lock", b"params.yaml", b"MLproject", b"docker-compose.yml",
    b"compose.yaml", b".gitlab-ci.yml", b".circleci/config.yml", b".travis.yml",
    b"azure-pipelines.yml", b"bitbucket-pipelines.yml", b".pre-commit-config.yaml",
    b"mkdocs.yml", b"model-card.yaml", b"config/train.yaml", b"conf/config.yaml",
    b".dvc/config", b"Chart.yaml",
)  # fmt: skip


@case("yaml-bombs", "billion-laughs YAML everywhere YAML is read, deep YAML, Python tags")
def _yaml_bombs(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    deep = "x: " + "[" * ctx.n(200_000, 100) + "]" * ctx.n(200_000, 100) + "\n"
    tags = f"test: !!python/object/apply:os.system ['{ctx.touch('yaml-bombs')}']\n"
    many_aliases = "base: &b {k: v}\n" + "".join(f"a{i}: *b\n" for i in range(ctx.n(40_000)))
    merge_bomb = "x0: &x0 {a: 1}\n" + "".join(
        f"x{i}: &x{i} {{<<: [*x{i - 1}, *x{i - 1}], k{i}: {i}}}\n" for i in range(1, 40)
    )
    for i, path in enumerate(YAML_PLACES):
        body = YAML_BOMB + "jobs:\n  test:\n    steps:\n      - run: pytest\n"
        if i % 4 == 1:
            body = deep
        elif i % 4 == 2:
            body = tags + YAML_BOMB + many_aliases
        elif i % 4 == 3:
            body = merge_bomb + YAML_BOMB
        files[path] = (FILE, repo.blob(body))
    files[b"environment.yaml"] = (FILE, repo.blob(YAML_BOMB + "dependencies:\n  - *k\n"))
    repo.snapshot(files)
    repo.repack()


@case("deps-huge", "a 50 MB requirements.txt, 150 000-line requirement files, -r loops, deep TOML")
def _deps_huge(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    size = ctx.n(50 * MiB, 1000)
    files[b"requirements.txt"] = (
        FILE, repo.blob_stream(size, repeated(size, b"numpy==1.26.0\n", b"-r requirements.txt\n")),
    )  # fmt: skip
    lines = ctx.n(150_000, 100)
    files[b"requirements-dev.txt"] = (
        FILE,
        repo.blob(
            "-r requirements-dev.txt\n-r /etc/passwd\n-r ../../../../../etc/passwd\n"
            f"-r {ctx.sentinel}/requirements.txt\n-c requirements-test.txt\n"
            + "".join(f"pkg{i}[a,b]>=1.{i},<2; python_version<'3.{i % 12}'\n" for i in range(lines))
        ),
    )
    files[b"requirements-test.txt"] = (
        FILE,
        repo.blob("-r requirements-dev.txt\n-r requirements-test.txt\n"),
    )
    files[b"requirements/a.txt"] = (FILE, repo.blob("-r b.txt\ntorch\n"))
    files[b"requirements/b.txt"] = (FILE, repo.blob("-r a.txt\n" + "x" * ctx.n(900_000) + "\n"))
    depth = ctx.n(300_000, 100)
    files[b"pyproject.toml"] = (
        FILE,
        repo.blob("[project]\nname = 'x'\ndependencies = " + "[" * depth + "]" * depth + "\n"),
    )
    files[b"Pipfile"] = (
        FILE,
        repo.blob("[packages]\n" + "".join(f'p{i} = "*"\n' for i in range(lines))),
    )
    files[b"setup.cfg"] = (
        FILE,
        repo.blob("[options]\ninstall_requires =\n" + "".join(f"    p{i}\n" for i in range(lines))),
    )
    env_deps = "".join(f"  - pkg{i}=1.{i}\n" for i in range(lines // 3))
    files[b"environment.yml"] = (
        FILE,
        repo.blob("name: x\ndependencies:\n" + env_deps + "  - pip:\n    - torch\n"),
    )
    files[b"poetry.lock"] = (
        FILE,
        repo.blob_stream(size // 2, repeated(size // 2, b'[[package]]\nname = "a"\n')),
    )
    repo.snapshot(files)
    repo.repack()


@case("readme-30mb", "a 30 MB README, and 1.9 MB texts built to make regular expressions backtrack")
def _readme(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    size = ctx.n(30 * MiB, 1000)
    files[b"README.md"] = (
        FILE,
        repo.blob_stream(
            size, repeated(size, b"# Title\n![img](a.png) [link](http://x) `code` **bold**\n")
        ),
    )
    near = ctx.n(1_900_000, 1000)
    patterns = {
        b"docs/brackets.md": b"[" * near,
        b"docs/links.md": b"[a](" * (near // 4),
        b"docs/images.md": b"![" * (near // 2),
        b"docs/stars.md": b"*" * near,
        b"docs/backticks.md": b"`" * near,
        b"docs/spaces.md": b" " * near + b"x",
        b"docs/urls.md": b"http://" * (near // 7),
        b"docs/hashes.md": b"#" * near,
        b"docs/pipes.md": b"|" * near,
        b"docs/dashes.md": b"-" * near,
        b"docs/html.md": b"<a " * (near // 3),
        b"docs/keys.md": b"api_key = '" * (near // 11),
        b"docs/sk.md": b"sk-" * (near // 3),
        b"docs/eq.md": b"a=" * (near // 2),
        b"docs/words.md": b"pytest unittest mlflow wandb dvc " * (near // 32),
        b"LICENSE": b"Permission is hereby granted, " * (near // 30),
        b"docs/README.rst": b"=" * near,
        b"CITATION.cff": b"a: " * (near // 3),
        b"Makefile": b"test:" + b"\t" * near,
        b"Dockerfile": b"FROM python:3.11\nRUN " + b"pip install x && " * (near // 17),
        b"src/comment.py": b"# " + b"a" * ctx.n(990_000) + b"\nimport torch\n",
        b"src/docstring.py": b'"""' + b"'" * ctx.n(990_000) + b'"""\n',
        b"src/keys.py": b"API_KEY = '" + b"A1b2" * ctx.n(240_000) + b"'\n",
        b".env": b"PASSWORD=" + b"x" * near + b"\n",
        b"config.json": b'{"a":' * (near // 5),
    }
    for path, data in patterns.items():
        files[path] = (FILE, repo.blob(data))
    repo.snapshot(files)
    repo.repack()


@case("ci-long-line", "a 1 MB line in CI files, a Makefile and a Dockerfile")
def _ci_long(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    line = "x" * ctx.n(MiB, 1000)
    files[b".github/workflows/ci.yml"] = (
        FILE,
        repo.blob(
            "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            f"      - run: pytest {line}\n      - run: echo {line}\n"
        ),
    )
    files[b".gitlab-ci.yml"] = (FILE, repo.blob(f"test:\n  script:\n    - pytest -k '{line}'\n"))
    files[b".github/workflows/long-key.yml"] = (FILE, repo.blob(f"{line}: 1\n"))
    files[b"Makefile"] = (FILE, repo.blob(f"test:\n\tpytest {line}\n"))
    files[b"Dockerfile"] = (FILE, repo.blob(f"FROM python:3.11\nRUN pip install {line}\n"))
    files[b"tox.ini"] = (FILE, repo.blob(f"[testenv]\ncommands = pytest {line}\n"))
    repo.snapshot(files)
    repo.repack()


@case("history-50k", "50 000 commits of history")
def _history(repo: Repo, ctx: Ctx) -> None:
    tree = repo.files_tree(plain(repo))
    parent: list[str] = []
    for i in range(ctx.n(50_000, 100)):
        parent = [repo.commit(tree, parent, message=f"Commit {i}\n")]
    repo.set_head(parent[0])
    repo.repack()


@case("authors-10k", "10 000 authors, odd identities and dates, 1 MB commit subjects")
def _authors(repo: Repo, ctx: Ctx) -> None:
    tree = repo.files_tree(plain(repo))
    parent: list[str] = []
    odd = [
        b"\xff\xfe bad utf8 <bad@\xff.org>",
        b"\xe2\x80\xaeevil bidi <bidi@example.org>",
        b"<no-name@example.org>",
        b"No Email <>",
        b"Tab\tName <tab@example.org>",
        b"Esc \x1b[31mred <esc@example.org>",
    ]
    for i in range(ctx.n(10_000, 100)):
        who = odd[i] if i < len(odd) else f"Author {i} <author{i}@example.org>".encode()
        when = (-1_000_000_000, 253_402_300_799, 0, 1)[i] if i < 4 else None
        parent = [repo.commit(tree, parent, message=f"Change {i}\n", author=who, when=when)]
    subject = ctx.n(MiB, 1000)
    for i in range(20):
        msg = (f"Big {i} " + "word " * (subject // 5)).encode() + b"\n"
        parent = [repo.commit(tree, parent, message=msg)]
    repo.set_head(parent[0])
    repo.repack()


@case("history-fat-subjects", "800 commits with 1 MB one-paragraph subjects (800 MB of log)")
def _fat_subjects(repo: Repo, ctx: Ctx) -> None:
    tree = repo.files_tree(plain(repo))
    parent: list[str] = []
    size = ctx.n(MiB, 1000)
    for i in range(800):
        msg = (f"Subject {i} " + "lorem ipsum " * (size // 12)).encode() + b"\n"
        parent = [repo.commit(tree, parent, message=msg)]
    repo.set_head(parent[0])
    repo.repack()


ODD_NAMES: tuple[bytes, ...] = (
    b"new\nline.py", b"tab\there.py", b"cr\rreturn.py", b"esc\x1b[31mred.py", b"bell\x07.py",
    b"bad\xff\xfeutf8.py", b"lone\xc3.py", b"\xed\xa0\x80surrogate.py", b"n" * 251 + b".py",
    b"-rf", b"--upload-pack=touch x", b"-", b"--", b"\xe2\x80\xaecod.exe.py", b"\xe2\x80\x8bzw.py",
    b"A.py", b"a.py", b"README.md\xe2\x80\x8b", b"readme.MD", b"Readme.md", b"LICENSE ",
    b" requirements.txt", b"..git", b".gitx", b".git.bak", b"git~2", b".GITIGNORE",
    b"\xef\xbb\xbfbom.py", b"*", b"?", b"back\\slash.py", b"colon:name.py", b"CON", b"nul.txt",
    b"%2e%2e", b"$(touch x).py", b"`touch x`.py", b"'; touch x; '.py", b"<script>.md",
    b"{{7*7}}.py", b"${HOME}.py", b"~", b".", b"dir with spaces/a b.py",
)  # fmt: skip


@case("odd-names", "names with newlines, tabs, escapes, invalid UTF-8, bidi, 255 bytes, '-'...")
def _odd_names(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    code = repo.blob("import numpy\n")
    for name in ODD_NAMES:
        if name == b".":
            continue
        files[b"odd/" + name] = (FILE, code)
        if b"/" not in name:
            files[name] = (FILE, code)
    files[b"x" * 255] = (FILE, code)
    files[b"y" * 65_000 + b".py"] = (FILE, code)  # git trees hold names no file system allows
    files[b"\xe2\x80\xae/gnp.py"] = (FILE, code)
    files[b".github/workflows/\nci.yml"] = (
        FILE,
        repo.blob("jobs: {t: {steps: [{run: pytest}]}}\n"),
    )
    files[b"notebooks/\xff.ipynb"] = (FILE, repo.blob(notebook_json([code_cell("import torch\n")])))
    repo.snapshot(files)
    repo.repack()


@case("dotgit-allowed", "'.git'-like names that git's fsck lets through (.git.bak/config, ..git)")
def _dotgit_allowed(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    hook = repo.blob(f"#!/bin/sh\n{ctx.touch('dotgit-allowed')}\n")
    config = repo.blob(f"[core]\n\tfsmonitor = {ctx.touch('dotgit-allowed')}\n")
    for base in (b".git.bak", b"..git", b".gitx", b"git", b"sub/.git~", b"x.git", b".git_"):
        files[base + b"/config"] = (FILE, config)
        files[base + b"/hooks/post-checkout"] = (EXEC, hook)
        files[base + b"/HEAD"] = (FILE, repo.blob("ref: refs/heads/main\n"))
    files[b".gitconfig"] = (FILE, config)
    files[b".lfsconfig"] = (
        FILE,
        repo.blob(f"[lfs]\n\turl = ext::sh -c {ctx.touch('dotgit-allowed')}\n"),
    )
    repo.snapshot(files)
    repo.repack()


@case(
    "dotgit-rejected", "a '.GIT' directory and an 'git~1' entry (git's fsck refuses them)", "error"
)
def _dotgit_rejected(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    hook = repo.blob(f"#!/bin/sh\n{ctx.touch('dotgit-rejected')}\n")
    files[b".GIT/hooks/post-checkout"] = (EXEC, hook)
    files[b"GIT~1/config"] = (FILE, hook)
    files[b"x/.git\xe2\x80\x8c/hooks/post-checkout"] = (EXEC, hook)
    repo.snapshot(files)
    repo.repack()


@case("symlinks", "symlinks to /etc/passwd, ../../.., the sentinel, loops; symlinked README etc.")
def _symlinks(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    for path in (b"README.md", b"requirements.txt"):
        del files[path]
    s = str(ctx.sentinel).encode()
    links = {
        b"README.md": s + b"/README.md",
        b"LICENSE": b"/etc/os-release",
        b"LICENSE.txt": b"../../../../../../../../etc/passwd",
        b"requirements.txt": s + b"/requirements.txt",
        b"environment.yml": b"../../sentinel/environment.yml",
        b"escape": b"/etc/passwd",
        b"up": b"../../..",
        b"root": b"/",
        b"loop_a": b"loop_b",
        b"loop_b": b"loop_a",
        b"self": b"self",
        b"src": s,
        b".github": s + b"/github",
        b".github_real/workflows/ci.yml": s + b"/ci.yml",
        b"Dockerfile": s + b"/Dockerfile",
        b"notebooks/eda.ipynb": s + b"/eda.ipynb",
        b"pkg/module.py": s + b"/module.py",
        b".env": s + b"/.env",
        b"proc": b"/proc/self/environ",
        b"dev": b"/dev/zero",
        b"long": b"a/" * 20_000,
        b"data/big.bin": b"/dev/urandom",
        b".gitattributes": s + b"/gitattributes",
        b".gitignore": b"/etc/passwd",
        b".mailmap": b"/etc/passwd",
    }
    for path, target in links.items():
        files[path] = (LINK, repo.blob(target))
    repo.snapshot(files)
    repo.repack()


@case("submodules", "submodules with ext::, file:// and ../ URLs, gitlinks with no .gitmodules")
def _submodules(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    marker = ctx.touch("submodules").replace(" ", "% ")
    modules = {
        b"ext": f"ext::sh -c {marker}",
        b"file": f"file://{ctx.sentinel}",
        b"etc": "file:///etc",
        b"up": "../../../sentinel",
        b"abs": str(ctx.sentinel),
        b"ssh": f"ssh://-oProxyCommand={marker}/x",
        b"helper": f"fd::{marker}",
    }
    text = ""
    for i, (path, url) in enumerate(modules.items()):
        text += f'[submodule "{path.decode()}"]\n\tpath = {path.decode()}\n\turl = {url}\n'
        files[path] = (GITLINK, f"{i + 1:040x}")
    files[b"orphan"] = (GITLINK, "f" * 40)
    files[b".gitmodules"] = (FILE, repo.blob(text))
    repo.snapshot(files)
    repo.repack()


@case(
    "submodule-option-url", "a submodule URL shaped like an option ('-u...'): fsck refuses", "error"
)
def _submodule_option(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    t = ctx.touch("submodule-option-url")
    text = f'[submodule "x"]\n\tpath = x\n\turl = --upload-pack={t}\n\tupdate = !{t}\n'
    files[b".gitmodules"] = (FILE, repo.blob(text))
    files[b"x"] = (GITLINK, "1" * 40)
    repo.snapshot(files)
    repo.repack()


@case("filters", ".gitattributes filter/diff/merge drivers, LFS pointers, ident, eol, encodings")
def _filters(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    t = ctx.touch("filters")
    files[b".gitattributes"] = (
        FILE,
        repo.blob(
            "* filter=evil diff=evil merge=evil ident export-subst\n"
            "*.py text eol=crlf working-tree-encoding=UTF-16\n"
            "*.bin filter=lfs diff=lfs merge=lfs -text\n"
            "*.ipynb filter=nbstripout\n"
        ),
    )
    files[b"src/.gitattributes"] = (FILE, repo.blob("* filter=evil2\n"))
    files[b".gitconfig"] = (
        FILE,
        repo.blob(
            f'[filter "evil"]\n\tclean = {t}\n\tsmudge = {t}\n\tprocess = {t}\n\trequired = true\n'
            f'[diff "evil"]\n\ttextconv = {t}\n[merge "evil"]\n\tdriver = {t}\n'
        ),
    )
    files[b"model.bin"] = (
        FILE,
        repo.blob(
            "version https://git-lfs.github.com/spec/v1\noid sha256:"
            + "a" * 64
            + "\nsize 99999999999\n"
        ),
    )
    files[b"notebooks/eda.ipynb"] = (FILE, repo.blob(notebook_json([code_cell("import torch\n")])))
    repo.snapshot(files)
    repo.repack()


@case("many-9.9mb", "120 files of 9.9 MB each (1.2 GB of text-like names, compressible)")
def _many_99(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    size = ctx.n(int(9.9 * 1000 * 1000), 1000)
    exts = ("csv", "py", "ipynb", "md", "txt", "yaml", "json", "cfg", "toml", "sql")
    for i in range(120):
        ext = exts[i % len(exts)]
        head = f"# file {i}\n".encode()
        oid = repo.blob_stream(size, repeated(size, b"import os\nx = 1\n", head))
        files[f"data/part_{i:03d}.{ext}".encode()] = (FILE, oid)
    repo.snapshot(files)
    repo.repack("--window=0")


@case("pack-over-cap", "110 incompressible 9.9 MB files: the pack passes the 1 GB cap", "error",
      expect_scaled="report")  # fmt: skip
def _pack_over_cap(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    size = ctx.n(int(9.9 * 1000 * 1000), 1000)
    for i in range(110):
        files[f"weights/shard_{i:03d}.bin".encode()] = (
            FILE, repo.blob_stream(size, random_bytes(size, 100 + i), level=0))  # fmt: skip
    repo.snapshot(files)
    repo.repack("--window=0")


@case("many-near-caps", "300 text files of 1.95 MB and 300 .py files of 0.99 MB (880 MB to read)")
def _near_caps(repo: Repo, ctx: Ctx) -> None:
    files = plain(repo)
    text_size = ctx.n(1_950_000, 1000)
    py_size = ctx.n(990_000, 1000)
    exts = ("md", "txt", "yaml", "cfg", "ini", "toml", "json", "sh", "rst", "env")
    for i in range(300):
        ext = exts[i % len(exts)]
        head = f"# doc {i}\n".encode()
        oid = repo.blob_stream(
            text_size, repeated(text_size, b"pytest mlflow token = abc123\n", head)
        )
        files[f"docs/d{i:03d}.{ext}".encode()] = (FILE, oid)
        body = b"import torch\nimport numpy as np\nx = np.mean([1, 2, 3]) + torch.tensor(1)\n"
        oid = repo.blob_stream(py_size, repeated(py_size, body, f"# module {i}\n".encode()))
        files[f"src/m{i:03d}.py".encode()] = (FILE, oid)
    repo.snapshot(files)
    repo.repack("--window=0")


@case("utf16-nobom", "UTF-16/UTF-32 files without a BOM, odd-length UTF-16, mixed encodings")
def _utf16(repo: Repo, ctx: Ctx) -> None:
    files: dict[bytes, tuple[str, str]] = {}
    for path, text in PLAIN.items():
        files[path] = (FILE, repo.blob(text.encode("utf-16-le")))
    files[b"environment.yml"] = (FILE, repo.blob("dependencies:\n  - numpy\n".encode("utf-16-be")))
    files[b".github/workflows/ci.yml"] = (
        FILE,
        repo.blob("jobs: {t: {steps: [{run: pytest}]}}\n".encode("utf-32")),
    )
    files[b"odd.py"] = (
        FILE,
        repo.blob(b"\xff\xfe" + "import torch\n".encode("utf-16-le") + b"\x00"),
    )
    files[b"bom_only.py"] = (FILE, repo.blob(b"\xfe\xff"))
    files[b"latin1.py"] = (FILE, repo.blob("# caf\xe9\nimport sklearn\n".encode("latin-1")))
    files[b"nb.ipynb"] = (
        FILE,
        repo.blob(notebook_json([code_cell("import torch\n")]).decode().encode("utf-16-le")),
    )
    files[b"LICENSE"] = (
        FILE,
        repo.blob("MIT License\n\nPermission is hereby granted".encode("utf-16")),
    )
    repo.snapshot(files)
    repo.repack()


@case("source-config", "the source repository's own config and hooks try to run commands")
def _source_config(repo: Repo, ctx: Ctx) -> None:
    repo.snapshot(plain(repo))
    repo.repack()
    t = ctx.touch("source-config")
    with open(repo.git_dir / "config", "a", encoding="utf-8") as fh:
        fh.write(
            f"[core]\n\tfsmonitor = {t}\n\tsshCommand = {t}\n\tpager = {t}\n\teditor = {t}\n"
            f"\thooksPath = hooks\n\tgitProxy = {t}\n\talternateRefsCommand = {t}\n"
            "\tpackedGitLimit = 8g\n\tbigFileThreshold = 4g\n"
            f"[uploadpack]\n\tpackObjectsHook = {t}\n[protocol]\n\tallow = always\n"
            f'[remote "origin"]\n\turl = ext::sh -c {t.replace(" ", "% ")}\n'
            f'\tuploadpack = {t}\n[filter "lfs"]\n\tprocess = {t}\n'
            f"[pack]\n\tthreads = 64\n\twindowMemory = 8g\n"
        )
    hooks = repo.git_dir / "hooks"
    hooks.mkdir(exist_ok=True)
    for name in ("pre-upload-pack", "post-upload-pack", "pre-receive", "post-checkout",
                 "reference-transaction", "fsmonitor-watchman", "update"):  # fmt: skip
        hook = hooks / name
        hook.write_text(f"#!/bin/sh\n{t}\n")
        hook.chmod(0o755)


@case("source-outside", "the source repository's config includes, and its alternates point at,"
      " files outside it", "error")  # fmt: skip
def _source_outside(repo: Repo, ctx: Ctx) -> None:
    repo.snapshot(plain(repo))
    repo.repack()
    with open(repo.git_dir / "config", "a", encoding="utf-8") as fh:
        fh.write(f"[include]\n\tpath = {ctx.sentinel}/gitconfig\n")
    (repo.objects / "info").mkdir(exist_ok=True)
    (repo.objects / "info" / "alternates").write_text(f"{ctx.sentinel}\n")


@case("empty-repo", "a repository with no commit at all", "error")
def _empty(repo: Repo, ctx: Ctx) -> None:
    pass


@case("head-odd-branch", "the default branch is named like an option, with unicode and quotes")
def _odd_branch(repo: Repo, ctx: Ctx) -> None:
    commit = repo.commit(repo.files_tree(plain(repo)))
    repo.set_head(commit, f"--upload-pack={ctx.markers}/head-odd-branch")
    (repo.git_dir / "refs" / "heads" / "ünï'\"$(x)").write_text(commit + "\n")
    repo.repack()


# -- driver -------------------------------------------------------------------------------------


def write_sentinel(ctx: Ctx) -> None:
    """Files the symlinks and payloads aim at; nothing may read, change or add to them."""
    s = ctx.sentinel
    s.mkdir(parents=True, exist_ok=True)
    (s / "github" / "workflows").mkdir(parents=True, exist_ok=True)
    contents = {
        "README.md": f"# {SENTINEL_SECRET}\n",
        "requirements.txt": f"{SENTINEL_SECRET.lower()}==1.0\n",
        "environment.yml": f"dependencies:\n  - {SENTINEL_SECRET.lower()}\n",
        "ci.yml": f"jobs: {{t: {{steps: [{{run: {SENTINEL_SECRET}}}]}}}}\n",
        "github/workflows/ci.yml": f"jobs: {{t: {{steps: [{{run: {SENTINEL_SECRET}}}]}}}}\n",
        "Dockerfile": f"FROM {SENTINEL_SECRET.lower()}\n",
        "eda.ipynb": json.dumps({"cells": [{"cell_type": "code", "source": SENTINEL_SECRET}]}),
        "module.py": f"import {SENTINEL_SECRET.replace('-', '_')}\n",
        ".env": f"OPENAI_API_KEY=sk-proj-{SENTINEL_SECRET}Ab12Cd34Ef56Gh78Ij90Kl\n",
        "gitattributes": f"* filter={SENTINEL_SECRET}\n",
        "gitconfig": f"[core]\n\tfsmonitor = {ctx.touch('sentinel-include')}\n",
    }  # fmt: skip
    for rel, text in contents.items():
        (s / rel).write_text(text, encoding="utf-8")
    ctx.markers.mkdir(parents=True, exist_ok=True)


def build(root: Path, names: list[str] | None, scale: float) -> list[dict[str, object]]:
    ctx = Ctx(root.resolve(), scale)
    write_sentinel(ctx)
    (ctx.root / "repos").mkdir(parents=True, exist_ok=True)
    selected = [c for c in CASES if not names or c.name in names]
    unknown = set(names or ()) - {c.name for c in CASES}
    if unknown:
        raise SystemExit(f"unknown case(s): {', '.join(sorted(unknown))}")
    rows = []
    for c in selected:
        started = time.monotonic()
        git_dir = ctx.root / "repos" / f"{c.name}.git"
        c.build(Repo(git_dir), ctx)
        size = sum(p.stat().st_size for p in git_dir.rglob("*") if p.is_file())
        print(
            f"{c.name:24s} {size / MiB:9.1f} MiB  {time.monotonic() - started:6.1f} s", flush=True
        )
        expect = c.expect_scaled if scale < 1 and c.expect_scaled else c.expect
        rows.append({"name": c.name, "attack": c.attack, "expect": expect,
                     "git_dir": str(git_dir)})  # fmt: skip
    index = ctx.root / "corpus.json"
    old = json.loads(index.read_text()) if index.exists() else []
    merged = {r["name"]: r for r in old}
    merged.update({r["name"]: r for r in rows})
    order = [c.name for c in CASES]
    index.write_text(json.dumps([merged[n] for n in order if n in merged], indent=1) + "\n")
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, nargs="?", help="directory to build the corpus in")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="build only these cases")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink sizes (e.g. 0.01)")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)
    if args.list or args.root is None:
        for c in CASES:
            print(f"{c.name:24s} {c.expect:7s} {c.attack}")
        return
    free = shutil.disk_usage(args.root if args.root.exists() else args.root.parent).free
    if args.scale >= 1 and free < 8 * 1024 * MiB and not args.only:
        sys.exit(f"only {free / 1024 / MiB:.1f} GiB free: keep 8 GiB free for the ~1.5 GB corpus")
    build(args.root, args.only, args.scale)


if __name__ == "__main__":
    main()
