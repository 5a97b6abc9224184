"""Datasets loaded by name or URL, and pretrained models loaded (two extra facts).

``dataset_sources``: datasets the code fetches by name — ``load_dataset("imdb")`` ->
``huggingface:imdb``, ``tfds.load("mnist")`` -> ``tfds:mnist``, ``keras.datasets.mnist`` ->
``keras:mnist``, ``torchvision.datasets.CIFAR10`` -> ``torchvision:CIFAR10``,
``sklearn.datasets.load_iris`` -> ``sklearn:iris``, ``fetch_openml("mnist_784")`` ->
``openml:mnist_784``, ``sns.load_dataset("titanic")`` -> ``seaborn:titanic``, Kaggle downloads
(API, kagglehub, ``kaggle datasets download`` in a notebook or script) -> ``kaggle:owner/name``
— and data read from a URL (``pd.read_csv("https://…")``, ``urlretrieve``, ``get_file``) ->
the URL's host and path. Local files are not listed.

``pretrained_models``: model ids the code loads — ``from_pretrained("bert-base-uncased")``,
``pipeline(model=…)``, ``SentenceTransformer("…")``, Hugging Face embeddings/endpoints in
LangChain, LLM API model names (``model="gpt-4o"``) — as written; other sources are prefixed:
``torchvision:resnet50`` (``weights=``/``pretrained=True``), ``timm:…`` (``pretrained=True``),
``keras:ResNet50`` (Keras applications, ImageNet weights unless ``weights=None``),
``ultralytics:yolov8n``, ``torch.hub:owner/repo:model``, ``spacy:en_core_web_sm``,
``whisper:base``, ``gensim:…``, ``clip:…``, ``tfhub:…``. Local paths and models the code saved
itself (a ``save_pretrained`` target) are not listed. Only string literals are read.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from reviewer.facts.usage import CodeIndex, Use, line_of
from reviewer.report import Fact
from reviewer.snapshot import Snapshot

_HF_LOCAL_BUILDERS = frozenset(
    {
        "csv",
        "json",
        "parquet",
        "text",
        "imagefolder",
        "audiofolder",
        "arrow",
        "pandas",
        "webdataset",
        "sql",
        "generator",
        "videofolder",
        "xml",
    }
)
_TORCH_LOCAL = frozenset({"ImageFolder", "DatasetFolder", "VisionDataset", "FakeData"})
_SKLEARN_LOCAL = frozenset(
    {"load_files", "load_svmlight_file", "load_svmlight_files", "fetch_file"}
)
_URL_READERS = (
    "pandas.read_",
    "urllib.request.urlretrieve",
    "urllib.request.urlopen",
    "wget.download",
    "tensorflow.keras.utils.get_file",
    "keras.utils.get_file",
    "gdown.download",
    "torchvision.datasets.utils.download_url",
    "opendatasets.download",
    "polars.read_",
    "datasets.load_dataset",
)
_DATA_EXT = re.compile(r"\.(?:csv|tsv|zip|tgz|gz|tar|json|jsonl|parquet|xlsx?|txt|data|npz)$", re.I)
_KAGGLE_CALLS = frozenset(
    {
        "dataset_download_files",
        "dataset_download_file",
        "competition_download_files",
        "competition_download_file",
    }
)
_KAGGLE_SHELL = re.compile(
    r"\bkaggle\s+(datasets|competitions)\s+download\b[^\n]*?\s-[dc]\s+([\w./-]+)"
    r"|\bkaggle\s+(datasets|competitions)\s+download\s+([\w./-]+)"
)
_URL = re.compile(r"https?://([^/\s?#'\"]+)(/[^\s?#'\"]*)?")

_AI_ROOTS = (
    "openai",
    "anthropic",
    "langchain",
    "llama_index",
    "ollama",
    "groq",
    "google",
    "cohere",
    "mistralai",
    "litellm",
    "together",
    "replicate",
    "vertexai",
    "crewai",
    "dspy",
    "instructor",
    "smolagents",
    "autogen",
    "haystack",
    "transformers",
    "sentence_transformers",
    "huggingface_hub",
    "langgraph",
    "pydantic_ai",
)
_API_METHODS = (
    ".chat.completions.create",
    ".completions.create",
    ".responses.create",
    ".messages.create",
    ".embeddings.create",
    ".generate_content",
    ".images.generate",
    ".transcriptions.create",
    ".chat.complete",
    ".beta.chat.completions.parse",
)
_LOADER_ENDINGS = (*_API_METHODS, ".from_pretrained", ".from_model_id")
_MODEL_ROOTS = frozenset(
    {
        *_AI_ROOTS,
        "sentence_transformers",
        "timm",
        "torchvision",
        "tensorflow",
        "keras",
        "tf_keras",
        "ultralytics",
        "torch",
        "spacy",
        "whisper",
        "gensim",
        "clip",
        "open_clip",
        "tensorflow_hub",
        "ollama",
    }
)
_DATASET_ROOTS = frozenset(
    {
        "datasets",
        "tensorflow_datasets",
        "tensorflow",
        "keras",
        "torchvision",
        "torchtext",
        "torchaudio",
        "sklearn",
        "seaborn",
        "kagglehub",
        "pandas",
        "urllib",
        "wget",
        "gdown",
        "opendatasets",
        "polars",
        "requests",
    }
)
_SAVERS = frozenset({"save_pretrained", "save_model", "push_to_hub"})
_SAVE_KEYWORDS = frozenset({"save_directory", "output_dir", "repo_id", "hub_model_id"})
_MODEL_KEYWORDS = ("model", "model_name", "model_id", "repo_id", "embedding_model", "llm_model")
_MODEL_ID = re.compile(r"[A-Za-z0-9][\w.:@+-]*(?:/[\w.:@+-]+)?")
_YOLO_WEIGHTS = re.compile(r"((?:yolo|rtdetr|sam|fastsam|mobile_sam)[\w.-]*)\.pt", re.I)
_SPACY_MODEL = re.compile(r"[a-z]{2,3}_(?:core|dep|ent|trf|sci|ner)\w*|xx_\w+")


# -- datasets ---------------------------------------------------------------------------------


def datasets_fact(snapshot: Snapshot, index: CodeIndex) -> Fact:
    hits = list(_dataset_hits(index)) + list(_kaggle_shell_hits(snapshot, index))
    return _list_fact(hits, "loads", "no dataset is loaded by name or URL in the code")


def _dataset_hits(index: CodeIndex) -> Iterator[tuple[str, str]]:
    for use in index.live:
        assert use.call is not None
        source = _dataset_of(use)
        if source is not None:
            yield source, use.evidence


def _dataset_of(use: Use) -> str | None:
    assert use.call is not None
    if use.root not in _DATASET_ROOTS and use.last not in _KAGGLE_CALLS:
        return None
    name, last, args = use.name, use.last, use.call.args
    kwargs = dict(use.call.keywords)
    first = _first_string(args, kwargs, "path", "name", "dataset_name")
    if name == "datasets.load_dataset":
        if first is None or first.lower() in _HF_LOCAL_BUILDERS or _is_local(first):
            return _url_source(first)
        return f"huggingface:{first}"
    if name in ("tensorflow_datasets.load", "tensorflow_datasets.builder"):
        return f"tfds:{first.split(':')[0]}" if first else None
    if name.startswith(("tensorflow.keras.datasets.", "keras.datasets.")) and last == "load_data":
        return "keras:" + name.split(".datasets.")[1].split(".")[0]
    for lib in ("torchvision", "torchtext", "torchaudio"):
        prefix = lib + ".datasets."
        if name.startswith(prefix) and last[:1].isupper() and last not in _TORCH_LOCAL:
            return f"{lib}:{last}"
    if name.startswith("sklearn.datasets.") and last not in _SKLEARN_LOCAL:
        if last == "fetch_openml":
            ident = first or _unquote(kwargs.get("data_id"))
            return f"openml:{ident}" if ident else None
        for prefix in ("load_", "fetch_"):
            if last.startswith(prefix):
                return "sklearn:" + last.removeprefix(prefix)
        return None
    if name == "seaborn.load_dataset" and first:
        return f"seaborn:{first}"
    if last in _KAGGLE_CALLS or name in (
        "kagglehub.dataset_download",
        "kagglehub.competition_download",
    ):
        ident = first or _unquote(kwargs.get("dataset")) or _unquote(kwargs.get("competition"))
        return f"kaggle:{ident}" if ident else None
    if name.startswith(_URL_READERS) or (name == "requests.get" and _data_url(first)):
        url = first or _unquote(kwargs.get("origin")) or _second_string(args)
        return _url_source(url)
    return None


def _kaggle_shell_hits(snapshot: Snapshot, index: CodeIndex) -> Iterator[tuple[str, str]]:
    """``!kaggle datasets download -d owner/name`` in a notebook cell or a script."""
    for path in snapshot.notebooks:
        if index.is_third_party(path):
            continue
        for cell in snapshot.notebook_cells(path) or ():
            if cell.cell_type == "code" and "kaggle" in cell.source:
                for m in _KAGGLE_SHELL.finditer(cell.source):
                    ident = m.group(2) or m.group(4)
                    line = line_of(cell.source, m.start())
                    yield f"kaggle:{ident}", f"{path}#cell={cell.number}:{line}"
    for path in snapshot.paths:
        if path.endswith(".sh") and 0 < snapshot.size(path) < 200_000:
            text = snapshot.text(path) or ""
            for m in _KAGGLE_SHELL.finditer(text):
                yield f"kaggle:{m.group(2) or m.group(4)}", f"{path}:{line_of(text, m.start())}"


def _url_source(url: str | None) -> str | None:
    if not url:
        return None
    m = _URL.match(url.strip())
    if m is None:
        return None
    host = m.group(1).lower().removeprefix("www.")
    return host + (m.group(2) or "").rstrip("/")


def _data_url(url: str | None) -> bool:
    if not url or _URL.match(url) is None:
        return False
    return bool(_DATA_EXT.search(url.split("?", 1)[0]))


# -- pretrained models ------------------------------------------------------------------------


def models_fact(snapshot: Snapshot, index: CodeIndex) -> Fact:
    saved = _saved_targets(index)
    local = _local_prefixes(snapshot)
    hits = []
    for use in index.live:
        model = _model_of(use)
        if model is None or model in saved:
            continue
        bare = model.split(":", 1)[-1] if model.startswith(("timm:", "clip:")) else model
        if ":" not in model and (_is_local(model) or model.rstrip("/") in local):
            continue
        if bare in saved:
            continue
        hits.append((model, use.evidence))
    return _list_fact(hits, "loads", "no pretrained model is loaded by name in the code")


def _model_of(use: Use) -> str | None:
    assert use.call is not None
    root = use.root
    if root not in _MODEL_ROOTS and root.split("_", 1)[0] not in _MODEL_ROOTS:
        if not use.name.endswith(_LOADER_ENDINGS):
            return None
    name, last, args = use.name, use.last, use.call.args
    kwargs = dict(use.call.keywords)
    if last in ("from_pretrained", "from_model_id"):
        return _model_id(
            _first_string(
                args, kwargs, "pretrained_model_name_or_path", "model_id", "repo_id", "model_name"
            )
        )
    if name.startswith("sentence_transformers.") and last in (
        "SentenceTransformer",
        "CrossEncoder",
    ):
        return _model_id(_first_string(args, kwargs, "model_name_or_path", "model_name"))
    if name == "timm.create_model":
        if kwargs.get("pretrained") == "True":
            model = _first_string(args, kwargs, "model_name")
            return f"timm:{model}" if model else None
        return None
    if name.startswith("torchvision.models.") and last[:1].islower() and last != "get_weight":
        weights = kwargs.get("weights")
        pretrained = kwargs.get("pretrained") == "True" or weights not in (None, "None")
        if not pretrained:
            return None
        if last == "get_model":
            model = _first_string(args, kwargs, "name")
            return f"torchvision:{model}" if model else None
        return f"torchvision:{last}"
    if root in ("tensorflow", "keras", "tf_keras") and ".applications." in name:
        if last[:1].isupper() and not last.endswith("Weights") and kwargs.get("weights") != "None":
            return f"keras:{last}"
        return None
    if root == "ultralytics" and last in ("YOLO", "RTDETR", "SAM", "FastSAM", "YOLOWorld", "NAS"):
        weights = _first_string(args, kwargs, "model")
        m = _YOLO_WEIGHTS.fullmatch(weights or "")
        return f"ultralytics:{m.group(1)}" if m else None
    if name == "torch.hub.load":
        repo = _first_string(args, kwargs, "repo_or_dir")
        model = _second_string(args) or _unquote(kwargs.get("model"))
        if repo and model and kwargs.get("source") != "'local'" and not _is_local(repo):
            return f"torch.hub:{repo}:{model}"
        return None
    if name == "spacy.load":
        model = _first_string(args, kwargs, "name")
        return f"spacy:{model}" if model and _SPACY_MODEL.fullmatch(model) else None
    if name == "whisper.load_model":
        model = _first_string(args, kwargs, "name")
        return f"whisper:{model}" if model else None
    if name == "gensim.downloader.load":
        model = _first_string(args, kwargs, "name")
        return f"gensim:{model}" if model else None
    if name == "clip.load" or name == "open_clip.create_model_and_transforms":
        model = _first_string(args, kwargs, "name", "model_name")
        return f"clip:{model}" if model else None
    if name in ("tensorflow_hub.KerasLayer", "tensorflow_hub.load"):
        url = _url_source(_first_string(args, kwargs, "handle"))
        return f"tfhub:{url}" if url else None
    if name.startswith(("google.generativeai.GenerativeModel", "google.genai")) and args[:1]:
        return _model_id(args[0])
    is_ai = root.split("_")[0] in _AI_ROOTS or root in _AI_ROOTS
    if is_ai or name.endswith(_API_METHODS) or name.startswith("ollama."):
        for key in _MODEL_KEYWORDS:
            model = _model_id(_unquote(kwargs.get(key)))
            if model is not None:
                return model
    return None


def _model_id(value: str | None) -> str | None:
    if not value or not _MODEL_ID.fullmatch(value) or len(value) > 120:
        return None
    if not re.search(r"[A-Za-z]", value):
        return None
    return value


def _saved_targets(index: CodeIndex) -> frozenset[str]:
    """String targets of ``save_pretrained``/``save_model``/``push_to_hub`` and trainer
    ``output_dir``s: models the code made itself."""
    out: set[str] = set()
    for use in index.uses:
        if use.call is None:
            continue
        if use.last in _SAVERS:
            out.update(a for a in use.call.args if a)
        for key, value in use.call.keywords:
            if key in _SAVE_KEYWORDS:
                unquoted = _unquote(value)
                if unquoted:
                    out.add(unquoted)
    return frozenset(out)


def _local_prefixes(snapshot: Snapshot) -> frozenset[str]:
    out: set[str] = set()
    for path in snapshot.paths:
        parent = posixpath.dirname(path)
        while parent:
            out.add(parent)
            parent = posixpath.dirname(parent)
    return frozenset(out)


# -- shared -----------------------------------------------------------------------------------


def _first_string(args: tuple[str | None, ...], kwargs: dict[str, str], *keys: str) -> str | None:
    if args and args[0]:
        return args[0]
    for key in keys:
        value = _unquote(kwargs.get(key))
        if value:
            return value
    return None


def _second_string(args: tuple[str | None, ...]) -> str | None:
    return args[1] if len(args) > 1 and args[1] else None


def _unquote(value: str | None) -> str | None:
    """The string of a keyword's value text when it was a string literal (``"'x'"`` -> x)."""
    if value and len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return None


def _is_local(value: str) -> bool:
    return (
        value.startswith((".", "/", "~"))
        or "\\" in value
        or value.endswith("/")
        or value.count("/") > 1
        or bool(re.search(r"\.(?:csv|json|txt|pt|pth|bin|h5|pkl|parquet|safetensors)$", value))
    )


def _list_fact(hits: list[tuple[str, str]], verb: str, none: str) -> Fact:
    first: dict[str, str] = {}
    for value, where in hits:
        first.setdefault(value, where)
    values = sorted(first)
    if not values:
        return Fact([], (), none)
    evidence = tuple(first[v] for v in values)  # one per value, in the same order
    shown = ", ".join(values[:5]) + (f" and {len(values) - 5} more" if len(values) > 5 else "")
    return Fact(values, evidence, f"{verb} {shown}")
