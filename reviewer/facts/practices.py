"""ML practices visible in the code: random seeds, cross-validation, metrics computed, datasets
loaded by name and pretrained models loaded.

``sets_random_seed`` (FACTS.md): a seed in live training or data-splitting code —
``random_state=``/``seed=`` arguments other than ``None``, seed calls (``random.seed``,
``np.random.seed``, ``torch.manual_seed``, ``tf.random.set_seed``, ``set_seed``,
``seed_everything``, a seeded generator such as ``np.random.default_rng(0)``), a seed key in a
dict literal, or a ``seed:`` key in a configuration file the code reads (named in the code, or a
Hydra configuration directory). Commented-out code never counts (only parsed code is read), and
neither do test files (``tests/``, ``test_*.py``, ``conftest.py``).

``cross_validation``: a k-fold style splitter (``KFold``, ``StratifiedKFold``, ``GroupKFold``,
``TimeSeriesSplit``, ``LeaveOneOut``, a shuffle-splitter with more than one split…),
``cross_val_score``/``cross_validate``/``cross_val_predict``, a scikit-learn search or ``*CV``
estimator (they cross-validate), ``xgboost.cv``/``lightgbm.cv``, or any call given ``cv=``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping

from reviewer.facts import evaluation, sources
from reviewer.facts.base import finder
from reviewer.facts.usage import (
    CodeIndex,
    Use,
    code_index,
    command_texts,
    is_test_file,
    line_of,
)
from reviewer.report import Fact
from reviewer.snapshot import Snapshot

_SEED_CALLS = frozenset(
    {
        "random.seed",
        "numpy.random.seed",
        "torch.manual_seed",
        "torch.cuda.manual_seed",
        "torch.cuda.manual_seed_all",
        "torch.random.manual_seed",
        "tensorflow.random.set_seed",
        "tensorflow.set_random_seed",
        "tensorflow.compat.v1.set_random_seed",
        "tensorflow.compat.v1.random.set_random_seed",
        "keras.utils.set_random_seed",
        "tensorflow.keras.utils.set_random_seed",
        "transformers.set_seed",
        "transformers.trainer_utils.set_seed",
        "accelerate.utils.set_seed",
        "pytorch_lightning.seed_everything",
        "lightning.seed_everything",
        "lightning.pytorch.seed_everything",
        "lightning.fabric.seed_everything",
        "pytorch_lightning.utilities.seed.seed_everything",
        "jax.random.PRNGKey",
        "jax.random.key",
        "mxnet.random.seed",
        "paddle.seed",
        "dgl.seed",
        "torch_geometric.seed_everything",
        "cupy.random.seed",
    }
)
#: Seeded generators: a seed when given an argument.
_SEEDED_GENERATORS = frozenset(
    {
        "numpy.random.default_rng",
        "numpy.random.RandomState",
        "numpy.random.Generator",
        "random.Random",
        "sklearn.utils.check_random_state",
        "numpy.random.PCG64",
    }
)
#: Helper names people give their own seeding functions (and the libraries' ones, unresolved).
_SEED_HELPERS = frozenset(
    {
        "manual_seed",
        "manual_seed_all",
        "set_seed",
        "set_seeds",
        "set_random_seed",
        "set_random_seeds",
        "seed_everything",
        "seed_all",
        "set_global_seed",
        "set_global_seeds",
        "fix_seed",
        "fix_seeds",
        "fix_random_seed",
        "init_seeds",
        "setup_seed",
        "seed_torch",
        "set_all_seeds",
        "random_seed",
        "reset_seeds",
        "set_reproducibility",
    }
)
_SEED_KEYWORDS = frozenset(
    {
        "random_state",
        "seed",
        "random_seed",
        "rng_seed",
        "split_seed",
        "shuffle_seed",
        "data_seed",
        "sampling_seed",
        "manual_seed",
    }
)
_DICT_SEED = re.compile(r"""["'](?:random_state|random_seed|seed)["']\s*:\s*-?\d+""")
_CONFIG_SEED = re.compile(
    r"""^\s*["']?(?:random_state|random_seed|seed|global_seed|manual_seed)["']?\s*[:=]\s*-?\d+""",
    re.MULTILINE,
)
_CONFIG_EXT = (".yaml", ".yml", ".json", ".toml", ".cfg", ".ini", ".conf")
_CONFIG_EXT_USE = re.compile(r"\.(?:ya?ml|json|toml|cfg|ini|conf)\b")
_NAME_TAIL = re.compile(r"[\w.-]{1,100}$")
_DVC_PARAMS = re.compile(r"^\s+params\s*:", re.MULTILINE)
_HYDRA_DIRS = frozenset({"conf", "config", "configs", "hydra"})
_MAX_CONFIG_BYTES = 200_000

_CV_NAMES = frozenset(
    {
        "cross_val_score",
        "cross_validate",
        "cross_val_predict",
        "learning_curve",
        "validation_curve",
        "permutation_test_score",
        "LeaveOneOut",
        "LeavePOut",
        "LeaveOneGroupOut",
        "LeavePGroupsOut",
        "TimeSeriesSplit",
    }
)
_SHUFFLE_SPLITS = frozenset({"ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit"})
_BOOSTER_CV = frozenset({"xgboost.cv", "lightgbm.cv", "catboost.cv"})
_EVIDENCE = 3


@finder(
    "sets_random_seed",
    "cross_validation",
    "metrics_computed",
    "dataset_sources",
    "pretrained_models",
)
def find_practices(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    index = code_index(snapshot)
    return {
        "sets_random_seed": _seed_fact(snapshot, index),
        "cross_validation": _cv_fact(index),
        "metrics_computed": evaluation.metrics_fact(index),
        "dataset_sources": sources.datasets_fact(snapshot, index),
        "pretrained_models": sources.models_fact(snapshot, index),
    }


# -- seeds -------------------------------------------------------------------------------------


def _seed_fact(snapshot: Snapshot, index: CodeIndex) -> Fact:
    hits = list(_seed_hits(index))
    hits.extend(_config_seed_hits(snapshot, index))
    if not hits:
        if not index.units:
            return Fact(False, (), "no Python code or notebooks")
        return Fact(False, (), "no seed call, random_state=/seed= argument or seed setting")
    evidence = tuple(dict.fromkeys(e for e, _ in hits))[:_EVIDENCE]
    what = ", ".join(dict.fromkeys(w for _, w in hits[:_EVIDENCE]))
    return Fact(True, evidence, f"a seed is set ({what}) at {evidence[0]}")


def _seed_hits(index: CodeIndex) -> Iterator[tuple[str, str]]:
    for use in index.live:
        if use.call is None:
            continue
        call = use.call
        last = use.last
        if (use.name in _SEED_CALLS or last in _SEED_HELPERS) and (
            last != "seed" or call.args or call.keywords
        ):
            yield use.evidence, f"{last}()"
            continue
        if use.name in _SEEDED_GENERATORS or (
            use.name.endswith(".manual_seed") or use.name.endswith(".seed")
        ):
            if call.args or call.keywords:
                yield use.evidence, f"{last}(…)"
                continue
        for key, value in call.keywords:
            if key in _SEED_KEYWORDS and value != "None":
                yield use.evidence, f"{key}={value}"
                break
    for unit in index.units:
        if index.is_third_party(unit.path) or is_test_file(unit.path):
            continue
        if "seed" not in unit.source and "random_state" not in unit.source:
            continue
        for m in _DICT_SEED.finditer(unit.source):
            if not _commented(unit.source, m.start()):
                yield unit.evidence(line_of(unit.source, m.start())), m.group(0)
                break


def _config_seed_hits(snapshot: Snapshot, index: CodeIndex) -> Iterator[tuple[str, str]]:
    configs = [
        p
        for p in snapshot.paths
        if p.lower().endswith(_CONFIG_EXT)
        and 0 < snapshot.size(p) <= _MAX_CONFIG_BYTES
        and not is_test_file(p)
        and not index.in_foreign_tree(p)
    ]
    if not configs:
        return
    named = _named_config_files(snapshot, index)
    hydra = any(
        u.name.startswith(("hydra.main", "hydra.initialize", "hydra.compose"))
        for u in index.own_uses()
        if u.name.startswith("hydra")
    )
    for path in configs:
        name = posixpath.basename(path)
        in_hydra_dir = hydra and not _HYDRA_DIRS.isdisjoint(path.split("/")[:-1])
        if name not in named and not in_hydra_dir:
            continue
        text = snapshot.text(path)
        if text is None:
            continue
        m = _CONFIG_SEED.search(text)
        if m is not None:
            yield f"{path}:{line_of(text, m.start())}", f"{m.group(0).strip()} in a config read"


def _named_config_files(snapshot: Snapshot, index: CodeIndex) -> set[str]:
    """Base names of configuration files the code or the author's commands mention
    (``params.yaml`` also when a ``dvc.yaml`` stage declares ``params``)."""
    named: set[str] = set()
    texts = [u.source for u in index.units if not index.is_third_party(u.path)]
    for path, text in command_texts(snapshot):
        texts.append(text)
        if path.endswith("dvc.yaml") and _DVC_PARAMS.search(text):
            named.add("params.yaml")
    for text in texts:
        for m in _CONFIG_EXT_USE.finditer(text):
            stem = _NAME_TAIL.search(text, max(0, m.start() - 100), m.start())
            if stem is not None:
                named.add(stem.group(0) + m.group(0))
    return named


def _commented(source: str, offset: int) -> bool:
    start = source.rfind("\n", 0, offset) + 1
    return "#" in source[start:offset]


# -- cross-validation -------------------------------------------------------------------------


def _cv_fact(index: CodeIndex) -> Fact:
    hits: list[tuple[str, str]] = []
    for use in index.live:
        if use.call is None:
            continue
        what = _cv_kind(use)
        if what is not None:
            hits.append((use.evidence, what))
    if not hits:
        return Fact(False, (), "no k-fold splitter, cross_val_* call, CV search or cv= argument")
    evidence = tuple(dict.fromkeys(e for e, _ in hits))[:_EVIDENCE]
    what = ", ".join(dict.fromkeys(w for _, w in hits))
    return Fact(True, evidence, f"cross-validation: {what}")


def _cv_kind(use: Use) -> str | None:
    assert use.call is not None
    last = use.last
    root = use.root
    sklearn_like = root == "sklearn" or "." not in use.name
    if use.name in _BOOSTER_CV:
        return use.name
    if last.endswith("KFold") or (last in _CV_NAMES and sklearn_like):
        return last
    if last in _SHUFFLE_SPLITS and sklearn_like:
        splits = dict(use.call.keywords).get("n_splits")
        return None if splits == "1" else last
    if sklearn_like and last.endswith("CV") and last[:1].isupper():
        return last
    for key, value in use.call.keywords:
        if key == "cv" and value not in ("None", "1"):
            return f"{last}(cv=…)"
    return None
