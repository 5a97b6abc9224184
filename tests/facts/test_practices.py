"""Random seeds, cross-validation, metrics, dataset sources and pretrained models in code
(FACTS.md: sets_random_seed; extras: cross_validation, metrics_computed, dataset_sources,
pretrained_models)."""

from __future__ import annotations

import pytest
from snapfactory import notebook

from reviewer.facts.practices import find_practices

SEEDS = [
    pytest.param(
        {
            "t.py": "from sklearn.model_selection import train_test_split\n"
            "a, b = train_test_split(X, test_size=0.2, random_state=42)\n"
        },
        True,
        id="random-state-on-split",
    ),
    pytest.param({"t.py": "import torch\ntorch.manual_seed(0)\n"}, True, id="torch-manual-seed"),
    pytest.param(
        {"nb.ipynb": notebook("import numpy as np", "np.random.seed(7)")},
        True,
        id="numpy-seed-nb",
    ),
    pytest.param(
        {"t.py": "from transformers import set_seed\nset_seed(1)\n"},
        True,
        id="set-seed",
    ),
    pytest.param(
        {"t.py": "ds = load()\nsmall = ds['train'].shuffle(seed=42).select(range(10))\n"},
        True,
        id="seeded-shuffle-on-subscript",
    ),
    pytest.param(
        {"t.py": "import numpy as np\nrng = np.random.default_rng(3)\n"},
        True,
        id="seeded-generator",
    ),
    pytest.param(
        {"t.py": "params = {'n_estimators': 10, 'random_state': 0}\nm = RF(**params)\n"},
        True,
        id="seed-in-a-dict",
    ),
    pytest.param(
        {"params.yaml": "train:\n  seed: 13\n", "train.py": "cfg = load('params.yaml')\n"},
        True,
        id="seed-in-a-config-the-code-reads",
    ),
    pytest.param(
        {"params.yaml": "seed: 13\n", "train.py": "print('no config read')\n"},
        False,
        id="seed-in-an-unread-config",
    ),
    pytest.param(
        {"t.py": "m = RandomForestClassifier(random_state=None)\nimport random\nrandom.seed()\n"},
        False,
        id="none-and-unseeded",
    ),
    pytest.param(
        {"t.py": "# np.random.seed(42)\nm = fit(X)  # random_state=42\n"},
        False,
        id="commented-out",
    ),
    pytest.param(
        {"nb.ipynb": notebook(("markdown", "Set `np.random.seed(42)` first."), "x = 1")},
        False,
        id="markdown-cell",
    ),
    pytest.param(
        {"tests/test_model.py": "import numpy as np\nnp.random.seed(0)\n", "train.py": "fit()\n"},
        False,
        id="test-files-only",
    ),
]


@pytest.mark.parametrize(("files", "expected"), SEEDS)
def test_sets_random_seed(snapshot_of, files, expected):
    fact = find_practices(snapshot_of(files), {})["sets_random_seed"]
    assert fact.value is expected
    assert bool(fact.evidence) is expected


def test_sets_random_seed_survives_newer_fstring_syntax(snapshot_of):
    source = 'x = train_test_split(X, random_state=1)\nprint(f"{d["k"]}")\n'
    assert find_practices(snapshot_of({"t.py": source}), {})["sets_random_seed"].value is True


CV = [
    pytest.param(
        {"t.py": "from sklearn.model_selection import StratifiedKFold\nk = StratifiedKFold(5)\n"},
        True,
        id="kfold",
    ),
    pytest.param(
        {
            "t.py": "from sklearn.model_selection import cross_val_score\n"
            "s = cross_val_score(m, X, y)\n"
        },
        True,
        id="cross-val-score",
    ),
    pytest.param(
        {
            "t.py": "from sklearn.model_selection import StratifiedShuffleSplit\n"
            "s = StratifiedShuffleSplit(n_splits=1, test_size=0.2)\n"
        },
        False,
        id="single-shuffle-split-is-a-split",
    ),
    pytest.param(
        {"t.py": "from sklearn.model_selection import train_test_split\nx = train_test_split(X)\n"},
        False,
        id="train-test-split",
    ),
    pytest.param(
        {
            "t.py": "from sklearn.linear_model import LogisticRegressionCV\n"
            "m = LogisticRegressionCV()\n"
        },
        True,
        id="cv-estimator",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CV)
def test_cross_validation(snapshot_of, files, expected):
    assert find_practices(snapshot_of(files), {})["cross_validation"].value is expected


def test_metrics_computed_canonical_names(snapshot_of):
    files = {
        "eval.py": (
            "from sklearn.metrics import f1_score, mean_squared_error, classification_report\n"
            "import numpy as np\nimport evaluate\n"
            "a = f1_score(y, p)\nr = np.sqrt(mean_squared_error(y, p))\n"
            "print(classification_report(y, p))\nb = evaluate.load('bleu')\n"
        ),
        "nb.ipynb": notebook(
            "import tensorflow as tf",
            "m.compile(loss='bce', metrics=['accuracy', tf.keras.metrics.AUC()])",
        ),
    }
    fact = find_practices(snapshot_of(files), {})["metrics_computed"]
    assert fact.value == ["accuracy", "bleu", "f1", "mse", "precision", "recall", "rmse", "roc-auc"]
    assert len(fact.evidence) == len(fact.value)


def test_metrics_computed_own_metric_function_called(snapshot_of):
    files = {"m.py": "def dice_coef(a, b):\n    return 1\n\nscore = dice_coef(x, y)\n"}
    assert find_practices(snapshot_of(files), {})["metrics_computed"].value == ["dice"]


DATASETS = [
    pytest.param(
        {
            "t.py": "from datasets import load_dataset\nd = load_dataset('imdb')\n"
            "c = load_dataset('csv', data_files='train.csv')\n"
        },
        ["huggingface:imdb"],
        id="huggingface-named-not-local-csv",
    ),
    pytest.param(
        {
            "t.py": "from sklearn.datasets import load_iris, fetch_openml, make_classification\n"
            "a = load_iris()\nb = fetch_openml('mnist_784')\nc = make_classification()\n"
        },
        ["openml:mnist_784", "sklearn:iris"],
        id="sklearn-and-openml",
    ),
    pytest.param(
        {
            "t.py": "import torchvision\nimport tensorflow as tf\n"
            "d = torchvision.datasets.CIFAR10('data', download=True)\n"
            "e = torchvision.datasets.ImageFolder('imgs')\n"
            "(x, y), _ = tf.keras.datasets.mnist.load_data()\n"
        },
        ["keras:mnist", "torchvision:CIFAR10"],
        id="torchvision-and-keras",
    ),
    pytest.param(
        {
            "nb.ipynb": notebook(
                "!kaggle datasets download -d owner/titanic-data",
                "import pandas as pd",
                "df = pd.read_csv('https://raw.githubusercontent.com/u/r/main/d.csv')",
                "local = pd.read_csv('data/train.csv')",
            )
        },
        ["kaggle:owner/titanic-data", "raw.githubusercontent.com/u/r/main/d.csv"],
        id="kaggle-shell-and-url",
    ),
]


@pytest.mark.parametrize(("files", "expected"), DATASETS)
def test_dataset_sources(snapshot_of, files, expected):
    fact = find_practices(snapshot_of(files), {})["dataset_sources"]
    assert fact.value == expected


MODELS = [
    pytest.param(
        {
            "t.py": "from transformers import AutoModel, AutoTokenizer\n"
            "m = AutoModel.from_pretrained('bert-base-uncased')\n"
            "t = AutoTokenizer.from_pretrained('./checkpoints/best')\n"
        },
        ["bert-base-uncased"],
        id="hub-id-not-local-path",
    ),
    pytest.param(
        {
            "t.py": "m.save_pretrained('my_model')\nfrom transformers import AutoModel\n"
            "again = AutoModel.from_pretrained('my_model')\n"
        },
        [],
        id="model-saved-by-the-code",
    ),
    pytest.param(
        {
            "t.py": "import torchvision.models as models\n"
            "a = models.resnet50(weights=models.ResNet50_Weights.DEFAULT)\n"
            "b = models.vgg16()\n"
        },
        ["torchvision:resnet50"],
        id="torchvision-weights-only",
    ),
    pytest.param(
        {
            "t.py": "from ultralytics import YOLO\na = YOLO('yolov8n.pt')\n"
            "b = YOLO('runs/best.pt')\n"
        },
        ["ultralytics:yolov8n"],
        id="yolo-pretrained-not-own-weights",
    ),
    pytest.param(
        {
            "t.py": "from openai import OpenAI\nc = OpenAI()\n"
            "r = c.chat.completions.create(model='gpt-4o-mini', messages=[])\n"
            "from langchain_openai import ChatOpenAI\nllm = ChatOpenAI(model='gpt-4o')\n"
        },
        ["gpt-4o", "gpt-4o-mini"],
        id="llm-api-model-names",
    ),
    pytest.param(
        {
            "t.py": "import tensorflow as tf\n"
            "b = tf.keras.applications.MobileNetV2(include_top=False)\n"
            "c = tf.keras.applications.ResNet50(weights=None)\n"
        },
        ["keras:MobileNetV2"],
        id="keras-applications-imagenet-default",
    ),
]


@pytest.mark.parametrize(("files", "expected"), MODELS)
def test_pretrained_models(snapshot_of, files, expected):
    fact = find_practices(snapshot_of(files), {})["pretrained_models"]
    assert fact.value == expected
