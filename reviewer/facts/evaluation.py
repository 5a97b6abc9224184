"""Which evaluation metrics the code computes (the ``metrics_computed`` extra fact).

A metric counts when the code calls something that computes it: a ``sklearn.metrics`` function
(``classification_report`` gives accuracy, precision, recall and f1), a Keras or torchmetrics
metric object or a metric named in Keras' ``compile(metrics=[...])``, ``evaluate.load("…")`` /
``load_metric("…")``, NLP and image metric packages (nltk BLEU/METEOR, rouge, bert-score,
sacrebleu, jiwer, scikit-image PSNR/SSIM), RAG metrics of ragas/deepeval, or a metric function
the author wrote and calls (``def dice_coef`` … ``dice_coef(…)``). Canonical names are lower
case with hyphens: accuracy, precision, recall, f1, roc-auc, pr-auc, log-loss,
confusion-matrix, mse, rmse, mae, r2, mape, bleu, rouge, meteor, bertscore, perplexity, wer,
cer, iou, map, dice, psnr, ssim, fid, silhouette, ndcg, mrr, recall-at-k, faithfulness, …
Test files and copied third-party projects are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reviewer.facts.usage import CodeIndex, is_test_file, line_of
from reviewer.report import Fact

_ACC_PRF = ("accuracy", "precision", "recall", "f1")

#: sklearn.metrics (and scikit-image / same-named functions) by their last name.
SKLEARN: dict[str, tuple[str, ...]] = {
    "accuracy_score": ("accuracy",),
    "balanced_accuracy_score": ("balanced-accuracy",),
    "top_k_accuracy_score": ("top-k-accuracy",),
    "precision_score": ("precision",),
    "recall_score": ("recall",),
    "f1_score": ("f1",),
    "fbeta_score": ("f-beta",),
    "precision_recall_fscore_support": ("precision", "recall", "f1"),
    "classification_report": _ACC_PRF,
    "roc_auc_score": ("roc-auc",),
    "roc_curve": ("roc-auc",),
    "RocCurveDisplay": ("roc-auc",),
    "plot_roc_curve": ("roc-auc",),
    "average_precision_score": ("pr-auc",),
    "precision_recall_curve": ("pr-auc",),
    "PrecisionRecallDisplay": ("pr-auc",),
    "log_loss": ("log-loss",),
    "confusion_matrix": ("confusion-matrix",),
    "ConfusionMatrixDisplay": ("confusion-matrix",),
    "multilabel_confusion_matrix": ("confusion-matrix",),
    "plot_confusion_matrix": ("confusion-matrix",),
    "matthews_corrcoef": ("mcc",),
    "cohen_kappa_score": ("cohen-kappa",),
    "hamming_loss": ("hamming-loss",),
    "jaccard_score": ("jaccard",),
    "brier_score_loss": ("brier-score",),
    "hinge_loss": ("hinge-loss",),
    "zero_one_loss": ("zero-one-loss",),
    "mean_squared_error": ("mse",),
    "root_mean_squared_error": ("rmse",),
    "mean_absolute_error": ("mae",),
    "median_absolute_error": ("median-ae",),
    "mean_absolute_percentage_error": ("mape",),
    "mean_squared_log_error": ("msle",),
    "root_mean_squared_log_error": ("rmsle",),
    "r2_score": ("r2",),
    "explained_variance_score": ("explained-variance",),
    "max_error": ("max-error",),
    "silhouette_score": ("silhouette",),
    "silhouette_samples": ("silhouette",),
    "davies_bouldin_score": ("davies-bouldin",),
    "calinski_harabasz_score": ("calinski-harabasz",),
    "adjusted_rand_score": ("ari",),
    "rand_score": ("rand-index",),
    "normalized_mutual_info_score": ("nmi",),
    "adjusted_mutual_info_score": ("ami",),
    "homogeneity_score": ("homogeneity",),
    "completeness_score": ("completeness",),
    "v_measure_score": ("v-measure",),
    "ndcg_score": ("ndcg",),
    "dcg_score": ("dcg",),
    "peak_signal_noise_ratio": ("psnr",),
    "structural_similarity": ("ssim",),
}
#: Metric objects of Keras and torchmetrics (and torchmetrics.functional), by last name.
METRIC_OBJECTS: dict[str, tuple[str, ...]] = {
    "Accuracy": ("accuracy",),
    "BinaryAccuracy": ("accuracy",),
    "CategoricalAccuracy": ("accuracy",),
    "SparseCategoricalAccuracy": ("accuracy",),
    "TopKCategoricalAccuracy": ("top-k-accuracy",),
    "MulticlassAccuracy": ("accuracy",),
    "BinaryF1Score": ("f1",),
    "MulticlassF1Score": ("f1",),
    "Precision": ("precision",),
    "Recall": ("recall",),
    "F1Score": ("f1",),
    "F1": ("f1",),
    "AUC": ("roc-auc",),
    "AUROC": ("roc-auc",),
    "BinaryAUROC": ("roc-auc",),
    "AveragePrecision": ("pr-auc",),
    "ConfusionMatrix": ("confusion-matrix",),
    "MeanIoU": ("iou",),
    "IoU": ("iou",),
    "BinaryIoU": ("iou",),
    "JaccardIndex": ("iou",),
    "Dice": ("dice",),
    "DiceScore": ("dice",),
    "GeneralizedDiceScore": ("dice",),
    "RootMeanSquaredError": ("rmse",),
    "MeanSquaredError": ("mse",),
    "MeanAbsoluteError": ("mae",),
    "MeanAbsolutePercentageError": ("mape",),
    "R2Score": ("r2",),
    "PeakSignalNoiseRatio": ("psnr",),
    "StructuralSimilarityIndexMeasure": ("ssim",),
    "FrechetInceptionDistance": ("fid",),
    "InceptionScore": ("inception-score",),
    "CLIPScore": ("clip-score",),
    "BLEUScore": ("bleu",),
    "SacreBLEUScore": ("bleu",),
    "ROUGEScore": ("rouge",),
    "BERTScore": ("bertscore",),
    "WordErrorRate": ("wer",),
    "CharErrorRate": ("cer",),
    "Perplexity": ("perplexity",),
    "MeanAveragePrecision": ("map",),
    "LearnedPerceptualImagePatchSimilarity": ("lpips",),
    "MatthewsCorrCoef": ("mcc",),
    "CohenKappa": ("cohen-kappa",),
    "RetrievalNormalizedDCG": ("ndcg",),
    "RetrievalMRR": ("mrr",),
    "RetrievalRecall": ("recall-at-k",),
    "RetrievalPrecision": ("precision-at-k",),
    "RetrievalMAP": ("map",),
    "accuracy": ("accuracy",),
    "precision": ("precision",),
    "recall": ("recall",),
    "f1_score": ("f1",),
    "auroc": ("roc-auc",),
    "jaccard_index": ("iou",),
    "dice": ("dice",),
    "peak_signal_noise_ratio": ("psnr",),
    "structural_similarity_index_measure": ("ssim",),
    "word_error_rate": ("wer",),
    "char_error_rate": ("cer",),
    "bleu_score": ("bleu",),
    "rouge_score": ("rouge",),
    "perplexity": ("perplexity",),
}
_METRIC_OBJECT_ROOTS = ("tensorflow", "keras", "tf_keras", "torchmetrics", "keras_cv")
#: Names given to evaluate.load / load_metric, and metric strings of Keras' compile().
NAMED: dict[str, tuple[str, ...]] = {
    "accuracy": ("accuracy",),
    "acc": ("accuracy",),
    "binary_accuracy": ("accuracy",),
    "categorical_accuracy": ("accuracy",),
    "sparse_categorical_accuracy": ("accuracy",),
    "precision": ("precision",),
    "recall": ("recall",),
    "f1": ("f1",),
    "f1_score": ("f1",),
    "auc": ("roc-auc",),
    "roc_auc": ("roc-auc",),
    "mse": ("mse",),
    "mean_squared_error": ("mse",),
    "mae": ("mae",),
    "mean_absolute_error": ("mae",),
    "mape": ("mape",),
    "mean_absolute_percentage_error": ("mape",),
    "rootmeansquarederror": ("rmse",),
    "rmse": ("rmse",),
    "r2": ("r2",),
    "bleu": ("bleu",),
    "sacrebleu": ("bleu",),
    "google_bleu": ("bleu",),
    "rouge": ("rouge",),
    "meteor": ("meteor",),
    "bertscore": ("bertscore",),
    "perplexity": ("perplexity",),
    "wer": ("wer",),
    "cer": ("cer",),
    "exact_match": ("exact-match",),
    "squad": ("exact-match", "f1"),
    "squad_v2": ("exact-match", "f1"),
    "seqeval": _ACC_PRF,
    "matthews_correlation": ("mcc",),
    "chrf": ("chrf",),
    "ter": ("ter",),
    "mean_iou": ("iou",),
    "confusion_matrix": ("confusion-matrix",),
    "cider": ("cider",),
    "spice": ("spice",),
}
#: Calls of NLP / image metric packages (resolved names).
PACKAGE_CALLS: dict[str, tuple[str, ...]] = {
    "nltk.translate.bleu_score.sentence_bleu": ("bleu",),
    "nltk.translate.bleu_score.corpus_bleu": ("bleu",),
    "nltk.translate.meteor_score.meteor_score": ("meteor",),
    "nltk.translate.meteor_score.single_meteor_score": ("meteor",),
    "rouge_score.rouge_scorer.RougeScorer": ("rouge",),
    "rouge.Rouge": ("rouge",),
    "bert_score.score": ("bertscore",),
    "bert_score.BERTScorer": ("bertscore",),
    "sacrebleu.corpus_bleu": ("bleu",),
    "sacrebleu.sentence_bleu": ("bleu",),
    "sacrebleu.BLEU": ("bleu",),
    "sacrebleu.corpus_chrf": ("chrf",),
    "jiwer.wer": ("wer",),
    "jiwer.cer": ("cer",),
    "pytorch_fid.fid_score.calculate_fid_given_paths": ("fid",),
    "pycocoevalcap.cider.cider.Cider": ("cider",),
    "pycocoevalcap.spice.spice.Spice": ("spice",),
    "pycocoevalcap.bleu.bleu.Bleu": ("bleu",),
    "pycocoevalcap.meteor.meteor.Meteor": ("meteor",),
    "pycocoevalcap.rouge.rouge.Rouge": ("rouge",),
}
_LOADERS = ("evaluate.load", "datasets.load_metric", "evaluate.combine")
_RAG_ROOTS = ("ragas", "deepeval")
#: Metric functions an author writes: ``def dice_coef(…)`` called somewhere.
_OWN_METRIC = re.compile(
    r"(?:compute_|calculate_|calc_|get_|eval_|evaluate_)?"
    r"(dice_coef|dice_coefficient|dice_score|iou|miou|mean_iou|iou_score|psnr|ssim|perplexity|"
    r"rmse|root_mean_squared_error|mape|smape|recall_at_k|precision_at_k|mrr|"
    r"mean_reciprocal_rank|ndcg|ndcg_at_k|map_at_k|hit_rate|hit_rate_at_k|bleu|wer|cer|"
    r"vqa_accuracy|vqa_score)"
)
_OWN_NAMES = {
    "dice_coef": "dice",
    "dice_coefficient": "dice",
    "dice_score": "dice",
    "iou": "iou",
    "miou": "iou",
    "mean_iou": "iou",
    "iou_score": "iou",
    "root_mean_squared_error": "rmse",
    "mean_reciprocal_rank": "mrr",
    "ndcg_at_k": "ndcg",
    "map_at_k": "map",
    "hit_rate_at_k": "hit-rate",
    "recall_at_k": "recall-at-k",
    "precision_at_k": "precision-at-k",
    "hit_rate": "hit-rate",
    "vqa_accuracy": "vqa-accuracy",
    "vqa_score": "vqa-accuracy",
}
_KERAS_METRICS = re.compile(r"\bmetrics\s*=\s*\[([^\]]*)\]")
_QUOTED = re.compile(r"""["']([\w-]+)["']""")
_SQRT_MSE = re.compile(r"sqrt\(\s*(?:[\w.]+\.)?mean_squared_error\(")


def metrics_fact_hits(index: CodeIndex) -> Iterator[tuple[str, str]]:
    """(metric, evidence) for every metric computation found."""
    own_defs: dict[str, set[str]] = {}
    rag_used = False
    for use in index.live:
        assert use.call is not None
        root = use.root
        last = use.last
        bare = "." not in use.name
        if root in _RAG_ROOTS:
            rag_used = True
        if (root in ("sklearn", "skimage") or bare) and last in SKLEARN:
            names = SKLEARN[last]
            if last == "mean_squared_error" and ("squared", "False") in use.call.keywords:
                names = ("rmse",)
            for name in names:
                yield name, use.evidence
        elif root in _METRIC_OBJECT_ROOTS and last in METRIC_OBJECTS and ".metrics" in use.name:
            names = METRIC_OBJECTS[last]
            if last == "AUC" and ("curve", "'PR'") in use.call.keywords:
                names = ("pr-auc",)
            for name in names:
                yield name, use.evidence
        elif use.name in PACKAGE_CALLS:
            for name in PACKAGE_CALLS[use.name]:
                yield name, use.evidence
        elif use.name.startswith(_LOADERS) or (bare and last == "load_metric"):
            for arg in use.call.args[:1]:
                for name in NAMED.get((arg or "").lower(), ()):
                    yield name, use.evidence
        if not (bare or root in ("self", "cls")):
            continue
        own = _OWN_METRIC.fullmatch(last.lower())
        if own is not None:
            key = own.group(1)
            own_defs.setdefault(_OWN_NAMES.get(key, key.replace("_", "-")), set()).add(use.evidence)
    yield from _own_metric_hits(index, own_defs)
    if rag_used:
        yield from _rag_hits(index)
    yield from _source_hits(index)


def metrics_fact_from(hits: list[tuple[str, str]]) -> tuple[list[str], tuple[str, ...]]:
    first: dict[str, str] = {}
    for name, where in hits:
        first.setdefault(name, where)
    names = sorted(first)
    return names, tuple(first[n] for n in names)  # one per metric, in the same order


def metrics_fact(index: CodeIndex) -> Fact:
    names, evidence = metrics_fact_from(list(metrics_fact_hits(index)))
    if not names:
        return Fact([], (), "no evaluation metric is computed in the code")
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    return Fact(names, evidence, f"computes {shown}")


def _own_metric_hits(index: CodeIndex, called: dict[str, set[str]]) -> Iterator[tuple[str, str]]:
    if not called:
        return
    defined: set[str] = set()
    for unit in index.units:
        for fn in unit.module.functions:
            own = _OWN_METRIC.fullmatch(fn.name.lower())
            if own is not None:
                key = own.group(1)
                defined.add(_OWN_NAMES.get(key, key.replace("_", "-")))
    for name, evidence in called.items():
        if name in defined:
            yield name, min(evidence)


def _rag_hits(index: CodeIndex) -> Iterator[tuple[str, str]]:
    for imp in index.own_imports():
        parts = imp.module.split(".")
        if len(parts) == 3 and parts[0] in _RAG_ROOTS and parts[1] == "metrics":
            name = _hyphenate(parts[2].removesuffix("Metric"))
            if name:
                yield name, imp.evidence


def _hyphenate(name: str) -> str:
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name)
    return name.replace("_", "-").lower()


def _source_hits(index: CodeIndex) -> Iterator[tuple[str, str]]:
    for unit in index.units:
        if index.is_third_party(unit.path) or is_test_file(unit.path):
            continue
        source = unit.source
        if "metrics" in source:
            for m in _KERAS_METRICS.finditer(source):
                if _commented(source, m.start()):
                    continue
                for q in _QUOTED.findall(m.group(1)):
                    for name in NAMED.get(q.lower(), ()):
                        yield name, unit.evidence(line_of(source, m.start()))
        if "sqrt" in source:
            for m in _SQRT_MSE.finditer(source):
                if not _commented(source, m.start()):
                    yield "rmse", unit.evidence(line_of(source, m.start()))


def _commented(source: str, offset: int) -> bool:
    start = source.rfind("\n", 0, offset) + 1
    return "#" in source[start:offset]
