"""Tools really used in code (FACTS.md: experiment_tracking, orchestration, serving,
monitoring, responsible_ai; extras: hyperparameter_search, vector_stores, data_validation)."""

from __future__ import annotations

import pytest
from snapfactory import notebook

from reviewer.facts.tools import find_tools

MODEL_CARD = """# Churn model
## Model details
A gradient-boosted classifier.
## Intended use
Ranking customers for retention offers.
## Ethical considerations
Do not use for credit decisions.
"""

CASES = [
    # experiment tracking
    pytest.param(
        {"train.py": "import mlflow\nwith mlflow.start_run():\n    mlflow.log_metric('f1', 1)\n"},
        "experiment_tracking",
        ["mlflow"],
        id="mlflow-run",
    ),
    pytest.param(
        {"train.py": "import mlflow\nimport wandb\n"},
        "experiment_tracking",
        [],
        id="imports-without-use",
    ),
    pytest.param(
        {"nb.ipynb": notebook("import wandb as wb", "wb.init(project='p')")},
        "experiment_tracking",
        ["wandb"],
        id="notebook-alias-from-another-cell",
    ),
    pytest.param(
        {"t.py": "from torch.utils.tensorboard import SummaryWriter\nw = SummaryWriter('runs')\n"},
        "experiment_tracking",
        ["tensorboard"],
        id="summary-writer",
    ),
    pytest.param(
        {"t.py": "import tensorflow as tf\ncb = tf.keras.callbacks.TensorBoard(log_dir='l')\n"},
        "experiment_tracking",
        ["tensorboard"],
        id="keras-tensorboard-callback",
    ),
    pytest.param(
        {
            "t.py": "from transformers import TrainingArguments\n"
            "a = TrainingArguments(output_dir='o', report_to=['wandb'])\n"
        },
        "experiment_tracking",
        [],
        id="hf-report-to-without-wandb-import",
    ),
    pytest.param(
        {
            "README.md": "We track runs with MLflow and W&B.\n",
            "requirements.txt": "mlflow\n",
            "nb.ipynb": notebook(
                "!pip install wandb", "# import mlflow\n# mlflow.log_param('a', 1)"
            ),
        },
        "experiment_tracking",
        [],
        id="mentions-pip-lines-and-comments",
    ),
    pytest.param(
        {"dvc.yaml": "stages:\n  train:\n    cmd: python train.py\n"},
        "experiment_tracking",
        [],
        id="dvc-pipeline-is-not-dvc-exp",
    ),
    pytest.param(
        {"dvc.yaml": "stages: {}\n", "run.sh": "dvc exp run -S train.lr=0.1\n"},
        "experiment_tracking",
        ["dvc-exp"],
        id="dvc-exp-command",
    ),
    pytest.param(
        {"t.py": "from dvclive import Live\nwith Live() as live:\n    live.log_metric('a', 1)\n"},
        "experiment_tracking",
        ["dvc-exp"],
        id="dvclive",
    ),
    # orchestration
    pytest.param(
        {"dags/d.py": "from airflow import DAG\nwith DAG('etl') as dag:\n    pass\n"},
        "orchestration",
        ["airflow"],
        id="airflow-dag",
    ),
    pytest.param(
        {"flow.py": "from prefect import flow, task\n@task\ndef a(): pass\n@flow\ndef f(): a()\n"},
        "orchestration",
        ["prefect"],
        id="prefect-decorators",
    ),
    pytest.param(
        {"p.py": "from kfp import dsl\n@dsl.pipeline(name='p')\ndef p(): pass\n"},
        "orchestration",
        ["kubeflow"],
        id="kfp-pipeline",
    ),
    pytest.param(
        {
            "f.py": "from metaflow import FlowSpec, step\nclass F(FlowSpec):\n    @step\n"
            "    def start(self): pass\n"
        },
        "orchestration",
        ["metaflow"],
        id="metaflow-flowspec",
    ),
    # serving
    pytest.param(
        {"app.py": "from fastapi import FastAPI\napp = FastAPI()\n"},
        "serving",
        ["fastapi"],
        id="fastapi-app",
    ),
    pytest.param(
        {"app.py": "from flask import Flask\napp = Flask(__name__)\n"},
        "serving",
        ["flask"],
        id="flask-app",
    ),
    pytest.param(
        {"util.py": "from flask import jsonify\ndef f(x):\n    return jsonify(x)\n"},
        "serving",
        [],
        id="leftover-flask-import-no-app",
    ),
    pytest.param(
        {"app.py": "import streamlit as st\nst.title('Demo')\n"},
        "serving",
        ["streamlit"],
        id="streamlit-call",
    ),
    pytest.param(
        {"app.py": "import gradio as gr\ngr.Interface(fn=str, inputs='text', outputs='text')\n"},
        "serving",
        ["gradio"],
        id="gradio-interface",
    ),
    pytest.param(
        {
            "h.py": "from ts.torch_handler.base_handler import BaseHandler\n"
            "class H(BaseHandler):\n    pass\n"
        },
        "serving",
        ["torchserve"],
        id="torchserve-handler",
    ),
    pytest.param(
        {"report.html": "<script>import streamlit as st; st.title('x')</script>"},
        "serving",
        [],
        id="html-export-is-not-code",
    ),
    pytest.param(
        {
            "yolov5/LICENSE": "GPL",
            "yolov5/utils/api.py": "from flask import Flask\napp = Flask('y')\n",
            "train.py": "print('mine')\n",
        },
        "serving",
        [],
        id="vendored-project-not-run",
    ),
    pytest.param(
        {
            "yolov5/LICENSE": "GPL",
            "yolov5/api.py": "from flask import Flask\napp = Flask('y')\n",
            "README.md": "```\npython yolov5/api.py\n```\n",
        },
        "serving",
        ["flask"],
        id="vendored-project-run-by-author",
    ),
    # monitoring
    pytest.param(
        {"m.py": "from evidently.report import Report\nr = Report(metrics=[])\n"},
        "monitoring",
        ["evidently"],
        id="evidently-report",
    ),
    pytest.param(
        {"m.py": "from prometheus_client import Counter\nc = Counter('req', 'requests')\n"},
        "monitoring",
        ["prometheus"],
        id="prometheus-metric",
    ),
    # responsible AI
    pytest.param(
        {"nb.ipynb": notebook("m = fit()", "e = shap.TreeExplainer(m)")},
        "responsible_ai",
        ["shap"],
        id="notebook-call-without-import",
    ),
    pytest.param(
        {"x.py": "e = shap.TreeExplainer(m)\n"},
        "responsible_ai",
        [],
        id="script-name-without-import",
    ),
    pytest.param(
        {"x.py": "import shap\ne = shap.TreeExplainer(model)\n"},
        "responsible_ai",
        ["shap"],
        id="shap-explainer",
    ),
    pytest.param(
        {"x.py": "from fairlearn.metrics import MetricFrame\nm = MetricFrame(metrics=f)\n"},
        "responsible_ai",
        ["fairlearn"],
        id="fairlearn-metricframe",
    ),
    pytest.param(
        {"MODEL_CARD.md": MODEL_CARD},
        "responsible_ai",
        ["model-card"],
        id="model-card-file",
    ),
    pytest.param(
        {"README.md": MODEL_CARD},
        "responsible_ai",
        ["model-card"],
        id="model-card-readme-section",
    ),
    pytest.param(
        {
            "README.md": "# Project\nA model card would be nice one day.\n"
            "## Limitations\nSmall data.\n"
        },
        "responsible_ai",
        [],
        id="passing-mention-is-not-a-card",
    ),
    pytest.param(
        {"docs/DATASHEET.md": "# Datasheet\n## Motivation\nWhy the data was collected.\n"},
        "responsible_ai",
        ["datasheet"],
        id="datasheet-file",
    ),
    # extras
    pytest.param(
        {
            "nb.ipynb": notebook(
                "from sklearn.model_selection import GridSearchCV",
                "gs = GridSearchCV(m, grid, cv=5)",
            )
        },
        "hyperparameter_search",
        ["gridsearchcv"],
        id="gridsearch-across-cells",
    ),
    pytest.param(
        {"t.py": "import optuna\nstudy = optuna.create_study()\n"},
        "hyperparameter_search",
        ["optuna"],
        id="optuna-study",
    ),
    pytest.param(
        {
            "rag.py": "from langchain_community.vectorstores import FAISS, Chroma\n"
            "db = FAISS.from_texts(t, e)\n"
        },
        "vector_stores",
        ["faiss"],
        id="langchain-faiss-used-chroma-not",
    ),
    pytest.param(
        {"rag.py": "import chromadb\nclient = chromadb.PersistentClient(path='db')\n"},
        "vector_stores",
        ["chromadb"],
        id="chromadb-client",
    ),
    pytest.param(
        {"v.py": "import pandera as pa\nschema = pa.DataFrameSchema({})\n"},
        "data_validation",
        ["pandera"],
        id="pandera-schema",
    ),
]


@pytest.mark.parametrize(("files", "fact", "expected"), CASES)
def test_tools_used(snapshot_of, files, fact, expected):
    result = find_tools(snapshot_of(files), {})[fact]
    assert result.value == expected
    assert len(result.evidence) == len(expected)


def test_tools_evidence_is_the_use_not_the_import(snapshot_of):
    snap = snapshot_of({"app.py": "import streamlit as st\n\nx = 1\nst.write(x)\n"})
    assert find_tools(snap, {})["serving"].evidence == ("app.py:4",)


def test_tools_local_variable_named_like_a_tool_is_not_the_tool(snapshot_of):
    snap = snapshot_of({"app.py": "def f(mlflow):\n    mlflow.log_metric('a', 1)\n"})
    assert find_tools(snap, {})["experiment_tracking"].value == []
