"""ML libraries imported, and declared but never imported (FACTS.md: ml_libraries)."""

from __future__ import annotations

import pytest
from snapfactory import notebook

from reviewer.facts.libraries import find_libraries, library_of, library_of_requirement

CASES = [
    pytest.param({"train.py": "import torch\nimport torch.nn as nn\n"}, ["torch"], id="torch"),
    pytest.param(
        {"a.py": "from sklearn.model_selection import train_test_split\nimport cv2\n"},
        ["opencv", "sklearn"],
        id="canonical-short-names",
    ),
    pytest.param(
        {"a.py": "from tensorflow.keras import layers\nimport keras\n"},
        ["keras", "tensorflow"],
        id="tensorflow-keras-and-standalone-keras",
    ),
    pytest.param(
        {"rag.py": "from langchain_openai import ChatOpenAI\nfrom langchain.chains import X\n"},
        ["langchain"],
        id="langchain-packages",
    ),
    pytest.param(
        {
            "a.py": "from sentence_transformers import SentenceTransformer\n"
            "import llama_index.core\n"
        },
        ["llama-index", "sentence-transformers"],
        id="pypi-names-with-hyphens",
    ),
    pytest.param(
        {"a.py": "import google.generativeai as genai\nfrom google.colab import drive\n"},
        ["google-generativeai"],
        id="dotted-import-names",
    ),
    pytest.param(
        {
            "a.py": "import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n"
            "from PIL import Image\nimport seaborn, scipy, tqdm\n"
        },
        [],
        id="numeric-data-plotting-excluded",
    ),
    pytest.param(
        {"a.py": "import mlflow\nimport streamlit as st\nimport shap\nimport faiss\n"},
        [],
        id="tools-reported-elsewhere-excluded",
    ),
    pytest.param(
        {"a.py": "import optuna\nimport hyperopt\nfrom datasets import load_dataset\n"},
        ["datasets", "hyperopt", "optuna"],
        id="search-and-data-libraries-count",
    ),
    pytest.param(
        {
            "nb.ipynb": notebook(
                "!pip install xgboost", "import lightgbm as lgb", ("markdown", "import torch")
            )
        },
        ["lightgbm"],
        id="notebook-code-cells-only",
    ),
    pytest.param(
        {
            "src/train.py": "import evaluate\nimport datasets\n",
            "src/evaluate.py": "x = 1\n",
            "src/datasets/__init__.py": "",
        },
        [],
        id="project-modules-are-not-libraries",
    ),
    pytest.param(
        {"train.py": "import evaluate\n", "tools/evaluate.py": "x = 1\n"},
        ["evaluate"],
        id="module-elsewhere-does-not-shadow",
    ),
    pytest.param(
        {"a.py": "# import torch\nx = 'import keras'\n"},
        [],
        id="comments-and-strings-are-not-imports",
    ),
    pytest.param(
        {"venv/lib/site-packages/x.py": "import torch\n", "app.py": "import xgboost\n"},
        ["xgboost"],
        id="vendored-trees-excluded",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_ml_libraries_imported(snapshot_of, files, expected):
    fact = find_libraries(snapshot_of(files), {})["ml_libraries"]
    assert fact.value == expected
    assert len(fact.evidence) == len(expected)


def test_ml_libraries_evidence_points_at_the_import_line(snapshot_of):
    snap = snapshot_of({"nb.ipynb": notebook("x = 1", "import numpy as np\nimport torch")})
    fact = find_libraries(snap, {})["ml_libraries"]
    assert fact.evidence == ("nb.ipynb#cell=2:2",)


UNUSED = [
    pytest.param(
        {
            "requirements.txt": "scikit-learn==1.4\ntorch\nopencv-python-headless\nrequests\n",
            "app.py": "import sklearn\n",
        },
        ["opencv", "torch"],
        id="declared-not-imported",
    ),
    pytest.param(
        {
            "requirements.txt": "langchain-community\nlangchain-openai\nfaiss-cpu\n",
            "app.py": "from langchain_community.vectorstores import FAISS\n",
        },
        [],
        id="langchain-packages-imported-through-one",
    ),
    pytest.param({"app.py": "import torch\n"}, [], id="no-declarations"),
]


@pytest.mark.parametrize(("files", "expected"), UNUSED)
def test_declared_unused_libraries(snapshot_of, files, expected):
    fact = find_libraries(snapshot_of(files), {})["declared_unused_libraries"]
    assert fact.value == expected


@pytest.mark.parametrize(
    ("module", "library"),
    [
        ("sklearn.ensemble.RandomForestClassifier", "sklearn"),
        ("langchain_community.llms", "langchain"),
        ("llama_index.core.VectorStoreIndex", "llama-index"),
        ("tensorflow.keras.layers", "tensorflow"),
        ("cv2", "opencv"),
        ("skimage.io", "scikit-image"),
        ("os.path", None),
        ("mlflow.sklearn", None),
    ],
    ids=lambda v: str(v),
)
def test_library_of_import(module, library):
    assert library_of(module) == library


@pytest.mark.parametrize(
    ("requirement", "library"),
    [
        ("scikit-learn", "sklearn"),
        ("opencv-contrib-python", "opencv"),
        ("tensorflow-gpu", "tensorflow"),
        ("langchain-text-splitters", "langchain"),
        ("sentence-transformers", "sentence-transformers"),
        ("torch", "torch"),
        ("flask", None),
    ],
    ids=lambda v: str(v),
)
def test_library_of_requirement(requirement, library):
    assert library_of_requirement(requirement) == library
