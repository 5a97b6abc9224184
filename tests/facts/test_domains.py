"""What the project is about (FACTS.md: domains — the subject, not the tooling)."""

from __future__ import annotations

import pytest
from snapfactory import notebook

from reviewer.facts.domains import find_domains
from reviewer.facts.libraries import find_libraries
from reviewer.facts.practices import find_practices
from reviewer.facts.tools import find_tools
from reviewer.report import Fact

TABULAR = (
    "import pandas as pd\nfrom sklearn.ensemble import RandomForestClassifier\n"
    "df = pd.read_csv('data/churn.csv')\nm = RandomForestClassifier().fit(df, y)\n"
)
RAG = (
    "import streamlit as st\nfrom langchain_community.vectorstores import Chroma\n"
    "from langchain_openai import ChatOpenAI\ndb = Chroma(persist_directory='db')\n"
    "llm = ChatOpenAI(model='gpt-4o-mini')\nst.chat_input('Ask')\n"
)
CNN = (
    "import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Conv2D(32, 3)])\n"
    "d = tf.keras.utils.image_dataset_from_directory('imgs')\n"
)
SENTIMENT = (
    "from transformers import AutoModelForSequenceClassification\n"
    "m = AutoModelForSequenceClassification.from_pretrained('distilbert-base-uncased')\n"
)
TFIDF = (
    "import pandas as pd\nfrom sklearn.feature_extraction.text import TfidfVectorizer\n"
    "from sklearn.linear_model import LogisticRegression\ndf = pd.read_csv('spam.csv')\n"
    "X = TfidfVectorizer().fit_transform(df.text)\nm = LogisticRegression().fit(X, df.y)\n"
)
MLOPS = TABULAR + "import mlflow\nmlflow.sklearn.autolog()\n"
FAIRNESS = TABULAR + "from fairlearn.metrics import MetricFrame\nmf = MetricFrame(metrics=f)\n"


def domains_of(snapshot, **extra: Fact) -> Fact:
    found: dict[str, Fact] = {}
    for finder in (find_libraries, find_tools, find_practices):
        found.update(finder(snapshot, found))
    found.update(extra)
    return find_domains(snapshot, found)["domains"]


CASES = [
    pytest.param({"train.py": TABULAR}, {}, ["tabular-ml"], id="classic-model-on-a-table"),
    pytest.param({"app.py": RAG}, {}, ["genai"], id="rag-app-is-genai-not-nlp"),
    pytest.param({"nb.ipynb": notebook(*CNN.splitlines())}, {}, ["cv"], id="cnn-on-images"),
    pytest.param({"t.py": SENTIMENT}, {}, ["nlp"], id="text-classifier"),
    pytest.param({"t.py": TFIDF}, {}, ["nlp"], id="tfidf-text-model-not-tabular"),
    pytest.param(
        {
            "t.py": "from diffusers import StableDiffusionPipeline\n"
            "p = StableDiffusionPipeline.from_pretrained('runwayml/stable-diffusion-v1-5')\n"
        },
        {},
        ["genai"],
        id="image-generation",
    ),
    pytest.param(
        {
            "t.py": "from transformers import CLIPModel\n"
            "m = CLIPModel.from_pretrained('openai/clip-vit-base-patch32')\n"
        },
        {},
        ["multimodal"],
        id="clip",
    ),
    pytest.param(
        {"train.py": MLOPS, "README.md": "# Churn MLOps pipeline\n"},
        {},
        ["mlops", "tabular-ml"],
        id="tracking-and-readme-make-mlops",
    ),
    pytest.param(
        {"train.py": MLOPS},
        {},
        ["tabular-ml"],
        id="tracking-alone-is-not-the-point",
    ),
    pytest.param(
        {
            "train.py": TABULAR,
            "app.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "pipeline.py": "from prefect import flow\n@flow\ndef f(): pass\n",
        },
        {"has_dockerfile": Fact(True, ("Dockerfile",), "")},
        ["mlops", "tabular-ml"],
        id="orchestration-and-containerised-api",
    ),
    pytest.param({"train.py": FAIRNESS}, {}, ["responsible-ai", "tabular-ml"], id="fairness"),
    pytest.param(
        {"train.py": TABULAR + "import shap\nshap.TreeExplainer(m)\n"},
        {},
        ["tabular-ml"],
        id="shap-plot-in-a-churn-model",
    ),
    pytest.param(
        {
            "train.py": TABULAR + "import shap\nshap.TreeExplainer(m)\n",
            "README.md": "# Explainable credit scoring\nWe study model explainability.\n",
        },
        {},
        ["responsible-ai", "tabular-ml"],
        id="explainability-as-the-subject",
    ),
    pytest.param({"main.py": "print('hello')\n"}, {}, [], id="no-ml"),
    pytest.param({"README.md": "# Image classification with CNNs\n"}, {}, [], id="prose-alone"),
]


@pytest.mark.parametrize(("files", "extra", "expected"), CASES)
def test_domains(snapshot_of, files, extra, expected):
    fact = domains_of(snapshot_of(files), **extra)
    assert fact.value == expected
    assert bool(fact.evidence) is bool(expected)
