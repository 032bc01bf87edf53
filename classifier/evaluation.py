"""`hotline evaluate`: accuracy, macro F1 and per-suggestion latency of a model on a labeled CSV."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from classifier.model import DATA_FILES, META_FILE, ModelError
from classifier.training import TrainingError, read_labeled_csv


def evaluate_csv(model_dir: Path, data: Path, text_column: str, label_column: str, prefix_chars: int | None = None,
                 max_latency_samples: int = 2000) -> dict:
    """Top-1/3/5 and macro F1 over all rows; p50/p99 of single-text suggest() calls (corrections not used)."""
    from classifier.suggester import Suggester

    rows = read_labeled_csv(Path(data), text_column, label_column)
    try:
        suggester = Suggester.load(Path(model_dir), corrections=False)
    except ModelError as exc:
        raise TrainingError(str(exc)) from None
    texts = rows.texts if prefix_chars is None else [text[:prefix_chars] for text in rows.texts]
    return evaluate_texts(suggester, texts, rows.labels, Path(model_dir), max_latency_samples)


def evaluate_texts(suggester, texts: list[str], labels: list[str], model_dir: Path | None = None,
                   max_latency_samples: int = 2000) -> dict:
    hits = {1: 0, 3: 0, 5: 0}
    predicted: list[str] = []
    latencies: list[float] = []
    for n, (text, label) in enumerate(zip(texts, labels)):
        started = time.perf_counter()
        suggestions = suggester.suggest(text, k=5)
        if n < max_latency_samples:
            latencies.append(time.perf_counter() - started)
        codes = [s.code for s in suggestions]
        for k in hits:
            hits[k] += label in codes[:k]
        predicted.append(codes[0] if codes else "")
    n = len(labels)
    latency_ms = np.asarray(latencies) * 1000.0
    return {
        "n": n,
        "top1": round(hits[1] / n, 4),
        "top3": round(hits[3] / n, 4),
        "top5": round(hits[5] / n, 4),
        "macro_f1": round(macro_f1(labels, predicted), 4),
        "p50_ms": round(float(np.percentile(latency_ms, 50)), 3),
        "p99_ms": round(float(np.percentile(latency_ms, 99)), 3),
        "model_bytes": model_bytes(model_dir) if model_dir else None,
    }


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    """Mean F1 over the labels that occur in the truth (labels never true would only add zeros)."""
    classes = sorted(set(truth))
    index = {label: i for i, label in enumerate(classes)}
    tp = np.zeros(len(classes))
    fp = np.zeros(len(classes))
    fn = np.zeros(len(classes))
    for t, p in zip(truth, predicted):
        if t == p:
            tp[index[t]] += 1
            continue
        fn[index[t]] += 1
        if p in index:
            fp[index[p]] += 1
    denominator = 2 * tp + fp + fn
    f1 = np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator > 0)
    return float(f1.mean())


def model_bytes(model_dir: Path) -> int:
    return sum((Path(model_dir) / name).stat().st_size for name in (META_FILE, *DATA_FILES))
