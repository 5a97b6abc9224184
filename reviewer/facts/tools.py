"""MLOps and responsible-AI tools really used: tracking, orchestration, serving, monitoring,
fairness/explainability, hyper-parameter search, vector stores and data validation.

FACTS.md: a tool counts when the code imports it *and* uses it — creates the app, flow or
tracker, or calls its API — in a .py file or a notebook code cell. Mentions in READMEs,
requirements, ``!pip install`` lines or HTML exports do not count, and neither does a leftover
``from flask import …`` in a script that creates no app. Code of a third-party project copied
into the repository counts only when the author's own documented commands run it. A few tools
are run from the command line rather than imported (``dvc exp run``, ``torch-model-archiver``):
those count in the author's scripts, CI and Docker files (and, for ``dvc exp``, README commands).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from reviewer.facts import cards
from reviewer.facts.base import finder
from reviewer.facts.usage import CodeIndex, code_index, command_texts, has_prefix, line_of
from reviewer.report import Fact
from reviewer.snapshot import Snapshot


@dataclass(frozen=True)
class ToolRule:
    """How one tool shows in code.

    A use counts when its resolved name starts with one of ``uses`` (a dotted prefix), or its
    last part is one of ``classes`` and its root is one of ``class_roots``. ``kinds`` limits
    which uses count (calls, decorators, base classes).
    """

    fact: str
    name: str
    uses: tuple[str, ...]
    classes: tuple[str, ...] = ()
    class_roots: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ("call", "decorator", "base")

    def matches(self, name: str, kind: str) -> bool:
        if kind not in self.kinds:
            return False
        if any(has_prefix(name, p) for p in self.uses):
            return True
        if not self.classes:
            return False
        parts = name.split(".")
        root = parts[0]
        in_root = any(root == r or root.startswith(r + "_") for r in self.class_roots)
        return in_root and any(c in parts[1:] for c in self.classes)


_LIGHTNING = ("pytorch_lightning", "lightning")
_HF = ("transformers",)
_LLM_FRAMEWORKS = ("langchain", "llama_index")

RULES: tuple[ToolRule, ...] = (
    # experiment tracking
    ToolRule("experiment_tracking", "mlflow", ("mlflow",)),
    ToolRule(
        "experiment_tracking",
        "wandb",
        ("wandb",),
        ("WandbLogger", "WandbCallback", "WandbMetricsLogger"),
        (*_LIGHTNING, *_HF, "ultralytics"),
    ),
    ToolRule(
        "experiment_tracking",
        "tensorboard",
        (
            "torch.utils.tensorboard.SummaryWriter",
            "torch.utils.tensorboard.writer.SummaryWriter",
            "tensorboardX.SummaryWriter",
            "tensorflow.keras.callbacks.TensorBoard",
            "keras.callbacks.TensorBoard",
            "tensorflow.summary.create_file_writer",
            "tensorflow.compat.v1.summary.FileWriter",
            "tensorflow.summary.FileWriter",
            "tf_keras.callbacks.TensorBoard",
        ),
        ("TensorBoardLogger",),
        _LIGHTNING,
    ),
    ToolRule("experiment_tracking", "neptune", ("neptune",), ("NeptuneLogger",), _LIGHTNING),
    ToolRule(
        "experiment_tracking",
        "comet",
        ("comet_ml",),
        ("CometLogger", "CometCallback"),
        (*_LIGHTNING, *_HF),
    ),
    ToolRule("experiment_tracking", "dvc-exp", ("dvclive",)),
    # orchestration
    ToolRule("orchestration", "airflow", ("airflow",)),
    ToolRule("orchestration", "prefect", ("prefect",)),
    ToolRule("orchestration", "kubeflow", ("kfp",)),
    ToolRule("orchestration", "zenml", ("zenml",)),
    ToolRule("orchestration", "dagster", ("dagster",)),
    ToolRule("orchestration", "metaflow", ("metaflow",)),
    # serving: creating the app
    ToolRule(
        "serving",
        "fastapi",
        (
            "fastapi.FastAPI",
            "fastapi.applications.FastAPI",
            "fastapi.APIRouter",
            "fastapi.routing.APIRouter",
        ),
    ),
    ToolRule("serving", "flask", ("flask.Flask", "flask.app.Flask", "flask.Blueprint")),
    ToolRule("serving", "streamlit", ("streamlit",)),
    ToolRule("serving", "gradio", ("gradio",)),
    ToolRule("serving", "bentoml", ("bentoml",)),
    ToolRule("serving", "torchserve", ("ts.torch_handler", "ts.context", "ts.handler_utils")),
    # monitoring
    ToolRule("monitoring", "evidently", ("evidently",)),
    ToolRule("monitoring", "whylogs", ("whylogs",)),
    ToolRule(
        "monitoring",
        "prometheus",
        (
            "prometheus_client",
            "prometheus_fastapi_instrumentator",
            "prometheus_flask_exporter",
            "starlette_exporter",
            "starlette_prometheus",
        ),
    ),
    # responsible AI (libraries; model cards and datasheets are documents: see cards.py)
    ToolRule("responsible_ai", "fairlearn", ("fairlearn",)),
    ToolRule("responsible_ai", "aif360", ("aif360",)),
    ToolRule("responsible_ai", "shap", ("shap",)),
    ToolRule("responsible_ai", "lime", ("lime",)),
    ToolRule("responsible_ai", "captum", ("captum",)),
    # hyper-parameter search
    ToolRule("hyperparameter_search", "gridsearchcv", (), ("GridSearchCV",), ("sklearn",)),
    ToolRule(
        "hyperparameter_search", "randomizedsearchcv", (), ("RandomizedSearchCV",), ("sklearn",)
    ),
    ToolRule(
        "hyperparameter_search", "halvinggridsearchcv", (), ("HalvingGridSearchCV",), ("sklearn",)
    ),
    ToolRule(
        "hyperparameter_search",
        "halvingrandomsearchcv",
        (),
        ("HalvingRandomSearchCV",),
        ("sklearn",),
    ),
    ToolRule("hyperparameter_search", "optuna", ("optuna",)),
    ToolRule("hyperparameter_search", "hyperopt", ("hyperopt",)),
    ToolRule("hyperparameter_search", "ray-tune", ("ray.tune", "ray.air", "tune_sklearn")),
    ToolRule("hyperparameter_search", "keras-tuner", ("keras_tuner", "kerastuner")),
    ToolRule("hyperparameter_search", "wandb-sweep", ("wandb.sweep", "wandb.agent")),
    ToolRule("hyperparameter_search", "bayes-opt", ("bayes_opt",)),
    ToolRule("hyperparameter_search", "skopt", ("skopt",)),
    # vector stores (directly, or through an LLM framework's wrapper)
    ToolRule(
        "vector_stores",
        "faiss",
        ("faiss", "langchain_community.vectorstores.FAISS"),
        ("FAISS", "FaissVectorStore"),
        _LLM_FRAMEWORKS,
    ),
    ToolRule(
        "vector_stores",
        "chromadb",
        ("chromadb", "langchain_chroma"),
        ("Chroma", "ChromaVectorStore"),
        _LLM_FRAMEWORKS,
    ),
    ToolRule(
        "vector_stores",
        "pinecone",
        ("pinecone", "langchain_pinecone"),
        ("Pinecone", "PineconeVectorStore"),
        _LLM_FRAMEWORKS,
    ),
    ToolRule(
        "vector_stores",
        "weaviate",
        ("weaviate", "langchain_weaviate"),
        ("Weaviate", "WeaviateVectorStore"),
        _LLM_FRAMEWORKS,
    ),
    ToolRule(
        "vector_stores",
        "qdrant",
        ("qdrant_client", "langchain_qdrant"),
        ("Qdrant", "QdrantVectorStore"),
        _LLM_FRAMEWORKS,
    ),
    ToolRule(
        "vector_stores",
        "milvus",
        ("pymilvus", "langchain_milvus"),
        ("Milvus", "MilvusVectorStore"),
        _LLM_FRAMEWORKS,
    ),
    ToolRule(
        "vector_stores",
        "pgvector",
        ("pgvector", "langchain_postgres"),
        ("PGVector", "PGVectorStore"),
        _LLM_FRAMEWORKS,
    ),
    ToolRule(
        "vector_stores",
        "lancedb",
        ("lancedb",),
        ("LanceDB", "LanceDBVectorStore"),
        _LLM_FRAMEWORKS,
    ),
    ToolRule("vector_stores", "annoy", ("annoy",)),
    # data validation
    ToolRule("data_validation", "great-expectations", ("great_expectations",)),
    ToolRule("data_validation", "pandera", ("pandera",)),
    ToolRule("data_validation", "deepchecks", ("deepchecks",)),
    ToolRule("data_validation", "tfdv", ("tensorflow_data_validation",)),
)

TOOL_FACTS: tuple[str, ...] = (
    "experiment_tracking",
    "orchestration",
    "serving",
    "monitoring",
    "responsible_ai",
    "hyperparameter_search",
    "vector_stores",
    "data_validation",
)
_WHAT = {
    "experiment_tracking": "experiment tracker",
    "orchestration": "pipeline orchestrator",
    "serving": "serving or app framework",
    "monitoring": "monitoring tool",
    "responsible_ai": "fairness or explainability tool, model card or datasheet",
    "hyperparameter_search": "hyper-parameter search",
    "vector_stores": "vector store",
    "data_validation": "data validation library",
}

#: Module names that are also common variable names: a notebook call of one of them without
#: an import is not taken for the tool.
_AMBIGUOUS_ROOTS = frozenset({"ts", "ray", "lightning"})
#: Commands that run a tool from a script, Makefile, Dockerfile or CI file.
#: (fact, tool, needles, pattern): the pattern is only searched in a text holding a needle.
_COMMANDS: tuple[tuple[str, str, tuple[str, ...], re.Pattern[str]], ...] = (
    (
        "experiment_tracking",
        "dvc-exp",
        ("dvc exp",),
        re.compile(r"\bdvc\s+exp(?:eriments)?\s+(?:run|show|diff|apply|push)\b"),
    ),
    (
        "serving",
        "torchserve",
        ("torch-model-archiver", "torchserve"),
        re.compile(r"\btorch-model-archiver\b|\btorchserve\s+--start\b"),
    ),
    (
        "hyperparameter_search",
        "wandb-sweep",
        ("wandb sweep", "wandb agent"),
        re.compile(r"\bwandb\s+(?:sweep|agent)\s+\S"),
    ),
)
_README_COMMANDS = frozenset({"dvc-exp", "wandb-sweep"})
#: A W&B sweep configuration: ``method: bayes`` with ``parameters:`` at the top level.
_SWEEP_METHOD = re.compile(r"^method\s*:\s*['\"]?(?:grid|random|bayes)\b", re.MULTILINE)
_SWEEP_PARAMETERS = re.compile(r"^parameters\s*:", re.MULTILINE)
_MAX_SWEEP_BYTES = 64_000


@finder(*TOOL_FACTS)
def find_tools(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    hits = tool_hits(snapshot)
    facts: dict[str, Fact] = {}
    for fact in TOOL_FACTS:
        tools = sorted(name for (f, name) in hits if f == fact)
        if tools:
            evidence = tuple(hits[(fact, tool)][0] for tool in tools)
            parts = [f"{t} ({_where(hits[(fact, t)])})" for t in tools]
            reason = "used: " + "; ".join(parts)
        else:
            evidence = ()
            reason = f"no {_WHAT[fact]} is used in the code (mentions in prose do not count)"
        facts[fact] = Fact(tools, evidence, reason)
    return facts


def tool_hits(snapshot: Snapshot) -> dict[tuple[str, str], list[str]]:
    """(fact, tool) -> evidence of each use, in path order."""
    index = code_index(snapshot)
    hits: dict[tuple[str, str], list[str]] = {}
    for fact, name, evidence in _code_hits(index):
        hits.setdefault((fact, name), []).append(evidence)
    for fact, name, evidence in _command_hits(snapshot, index):
        hits.setdefault((fact, name), []).append(evidence)
    if ("experiment_tracking", "wandb") in hits:
        for evidence in _sweep_configs(snapshot):
            hits.setdefault(("hyperparameter_search", "wandb-sweep"), []).append(evidence)
    for kind, evidence in cards.find_cards(snapshot):
        hits.setdefault(("responsible_ai", kind), []).append(evidence)
    return hits


def _rules_by_root() -> dict[str, tuple[ToolRule, ...]]:
    by_root: dict[str, list[ToolRule]] = {}
    for rule in RULES:
        roots = {u.split(".")[0] for u in rule.uses} | set(rule.class_roots)
        for root in roots:
            by_root.setdefault(root, []).append(rule)
    return {root: tuple(rules) for root, rules in by_root.items()}


_BY_ROOT = _rules_by_root()


def _rules_for(root: str) -> tuple[ToolRule, ...]:
    rules = _BY_ROOT.get(root, ())
    if "_" in root:  # langchain_community -> the langchain wrappers' class rules
        rules = rules + _BY_ROOT.get(root.split("_")[0], ())
    return rules


def _code_hits(index: CodeIndex) -> Iterator[tuple[str, str, str]]:
    imported_roots: dict[str, set[str]] = {}
    for imp in index.imports:
        imported_roots.setdefault(imp.unit.path, set()).add(imp.module.split(".")[0])
    matched: dict[tuple[str, str], list[ToolRule]] = {}
    for use in index.own_uses():
        root = use.root
        rules = _rules_for(root)
        if not rules:
            continue
        if root not in imported_roots.get(use.unit.path, ()):
            # a name the file never imported is a local variable, except in a notebook, where
            # a call of the module by its own name counts (FACTS.md: "or a call in a notebook
            # cell") unless the name is a common word
            if not use.unit.is_notebook or root in _AMBIGUOUS_ROOTS:
                continue
        key = (use.name, use.kind)
        if key not in matched:
            matched[key] = [rule for rule in rules if rule.matches(use.name, use.kind)]
        for rule in matched[key]:
            yield rule.fact, rule.name, use.evidence


def _command_hits(snapshot: Snapshot, index: CodeIndex) -> Iterator[tuple[str, str, str]]:
    """Tool commands in scripts, CI, Docker and compose files, README command blocks (where
    the tool is run from the command line) and strings of the author's own Python code
    (``invoke``/``subprocess`` tasks)."""
    texts = list(command_texts(snapshot, include_readme=True))
    for unit in index.units:
        if not unit.is_notebook and not index.is_third_party(unit.path):
            texts.append((unit.path, unit.source))
    for path, text in texts:
        is_readme = "/" not in path and path.lower().startswith("readme")
        for fact, name, needles, rx in _COMMANDS:
            if is_readme and name not in _README_COMMANDS:
                continue
            if not any(needle in text for needle in needles):
                continue
            for m in rx.finditer(text):
                if path.endswith(".py") and _commented(text, m.start()):
                    continue
                yield fact, name, f"{path}:{line_of(text, m.start())}"
                break


def _sweep_configs(snapshot: Snapshot) -> Iterator[str]:
    for path in snapshot.paths:
        if not path.lower().endswith((".yaml", ".yml")):
            continue
        if not 0 < snapshot.size(path) <= _MAX_SWEEP_BYTES:
            continue
        text = snapshot.text(path) or ""
        m = _SWEEP_METHOD.search(text)
        if m is not None and _SWEEP_PARAMETERS.search(text):
            yield f"{path}:{line_of(text, m.start())}"


def _commented(source: str, offset: int) -> bool:
    start = source.rfind("\n", 0, offset) + 1
    return "#" in source[start:offset]


def _where(evidence: list[str]) -> str:
    files = sorted({e.split("#", 1)[0].rsplit(":", 1)[0] for e in evidence})
    if len(files) == 1:
        return f"in {files[0]}"
    return f"in {files[0]} and {len(files) - 1} more file{'s' if len(files) > 2 else ''}"
