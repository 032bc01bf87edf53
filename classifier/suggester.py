"""Live category suggestions: text typed so far -> the top types with calibrated confidences."""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from classifier.features import Vectorizer, context_tokens
from classifier.model import ModelData, load_model

log = logging.getLogger("hotline.classifier")

CORRECTIONS_FILE = "corrections.jsonl"
# How strongly a remembered correction pulls the chosen type up: an identical text puts it first with about
# this share of the confidence; a text sharing half its features gets half of it.
CORRECTION_STRENGTH = 0.9
CORRECTION_MIN_SIMILARITY = 0.3
MAX_REMEMBERED_CORRECTIONS = 5000
# A caller's problem is told at the start; scoring only the first characters bounds the cost of a keystroke in a
# very long description (real messages run to thousands of characters).
MAX_TEXT_CHARS = 400


@dataclass(frozen=True)
class Suggestion:
    code: str
    score: float


def corrections_path() -> Path:
    """Corrections live beside the models, not inside one, so they survive a model update."""
    from domain.home import models_dir

    return models_dir() / CORRECTIONS_FILE


class Scorer:
    """Scores feature rows against the model's sparse weights (features x columns, CSR)."""

    def __init__(self, model: ModelData):
        self.n_types = model.n_types
        self.n_groups = model.n_groups
        self.indptr = model.indptr.astype(np.int64)
        self.indices = model.indices.astype(np.intp)
        self.data = model.data.astype(np.float32)
        self.bias = model.bias.astype(np.float64)
        self.length_weight = model.length_weight.astype(np.float64)
        self.uses_length = bool(np.any(self.length_weight))
        self.group_sizes = model.group_sizes.astype(np.int64)
        self.group_starts = np.concatenate([[0], np.cumsum(self.group_sizes)[:-1]]).astype(np.int64)
        self.group_of_type = np.repeat(np.arange(self.n_groups), self.group_sizes)
        self.a = model.group_temperature
        self.b = model.type_temperature
        self.n_columns = len(self.bias)
        rerank = model.rerank or {}
        self.candidates = min(int(rerank.get("candidates", 0)), self.n_types)
        self.blend = float(rerank.get("blend", 0.0))
        self.tail = float(rerank.get("tail", 0.0))

    def raw_scores(self, ids: np.ndarray, values: np.ndarray) -> np.ndarray:
        starts = self.indptr[ids]
        lengths = self.indptr[ids + 1] - starts
        total = int(lengths.sum())
        base = self.bias + float(values.sum()) * self.length_weight if self.uses_length else self.bias
        if total == 0:
            return base.copy()
        # Positions of every stored weight of the text's features, without a Python loop.
        offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
        weights = self.data[offsets] * np.repeat(values, lengths)
        return np.bincount(self.indices[offsets], weights=weights, minlength=self.n_columns) + base

    def probabilities(self, scores: np.ndarray) -> np.ndarray:
        """P(type) = P(group) * P(type | group), each a softmax with its fitted temperature.

        With re-ranking: the first scores shortlist the candidates, which share 1 - tail of the probability by
        their re-ranking scores; the other types share the tail by their first scores."""
        if self.candidates:
            return self.batch_probabilities(scores[None, :])[0]
        type_scores = self.b * scores[: self.n_types]
        if self.n_groups == 1:
            type_scores = type_scores - type_scores.max()
            exp = np.exp(type_scores)
            return exp / exp.sum()
        group_scores = self.a * scores[self.n_types :]
        group_scores = group_scores - group_scores.max()
        group_p = np.exp(group_scores)
        group_p /= group_p.sum()
        peaks = np.maximum.reduceat(type_scores, self.group_starts)
        exp = np.exp(type_scores - peaks[self.group_of_type])
        sums = np.add.reduceat(exp, self.group_starts)
        return exp * (group_p / sums)[self.group_of_type]

    def batch_probabilities(self, scores: np.ndarray, a: float | None = None, b: float | None = None) -> np.ndarray:
        """The same for a matrix of rows (used to calibrate and evaluate)."""
        a = self.a if a is None else a
        b = self.b if b is None else b
        if self.candidates:
            return self._reranked(scores, a, b, self.blend)
        type_scores = b * scores[:, : self.n_types]
        if self.n_groups == 1:
            type_scores -= type_scores.max(axis=1, keepdims=True)
            exp = np.exp(type_scores)
            return exp / exp.sum(axis=1, keepdims=True)
        group_scores = a * scores[:, self.n_types :]
        group_scores -= group_scores.max(axis=1, keepdims=True)
        group_p = np.exp(group_scores)
        group_p /= group_p.sum(axis=1, keepdims=True)
        peaks = np.maximum.reduceat(type_scores, self.group_starts, axis=1)
        exp = np.exp(type_scores - peaks[:, self.group_of_type])
        sums = np.add.reduceat(exp, self.group_starts, axis=1)
        return exp * (group_p / sums)[:, self.group_of_type]

    def _reranked(self, scores: np.ndarray, a: float, b: float, blend: float) -> np.ndarray:
        n, k = self.n_types, self.candidates
        first = scores[:, :n]
        rows = np.arange(len(scores))[:, None]
        shortlist = np.argpartition(-first, k - 1, axis=1)[:, :k] if k < n else np.tile(np.arange(n), (len(scores), 1))
        first_short = first[rows, shortlist]
        z = b * (scores[:, n:][rows, shortlist] + blend * (first_short - first_short.max(axis=1, keepdims=True)))
        z -= z.max(axis=1, keepdims=True)
        short_p = np.exp(z)
        if k >= n:  # every type is shortlisted: the shortlist takes everything
            probs = np.empty_like(first)
            probs[rows, shortlist] = short_p / short_p.sum(axis=1, keepdims=True)
            return probs
        short_p *= (1.0 - self.tail) / short_p.sum(axis=1, keepdims=True)
        # The other types share the tail; their own maximum is subtracted, so the sum is at least one and never
        # underflows (a sharp temperature would otherwise divide by almost nothing).
        rest = a * first
        rest[rows, shortlist] = -np.inf
        rest -= rest.max(axis=1, keepdims=True)
        probs = np.exp(rest)
        probs *= self.tail / probs.sum(axis=1, keepdims=True)
        probs[rows, shortlist] = short_p
        return probs


class CorrectionMemory:
    """The operators' corrections on this workstation: text features -> the type they chose.

    A small inverted index (feature -> corrections) finds the remembered texts that share features with the
    one being typed, so a correction counts from the next keystroke without retraining.
    """

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: list[dict] = []
        self.vectors: list[tuple[np.ndarray, np.ndarray]] = []
        self.postings: dict[int, list[int]] = {}
        self._lock = threading.Lock()

    def load(self, vectorizer: Vectorizer) -> None:
        if self.path is None or not self.path.is_file():
            return
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("corrections file %s unreadable, starting without it: %s", self.path, exc)
            return
        for line in lines[-MAX_REMEMBERED_CORRECTIONS:]:
            try:
                entry = json.loads(line)
                text, code = str(entry["text"]), str(entry["code"])
            except (ValueError, KeyError, TypeError):
                continue  # a half-written last line after a crash: skip it
            self._add(vectorizer, {"text": text, "code": code, "at": entry.get("at")})

    def _add(self, vectorizer: Vectorizer, entry: dict) -> None:
        ids, values = vectorizer.row(entry["text"][:MAX_TEXT_CHARS])
        if len(ids) == 0:
            return
        index = len(self.entries)
        self.entries.append(entry)
        self.vectors.append((ids, values))
        for feature in ids.tolist():
            self.postings.setdefault(feature, []).append(index)

    def remember(self, vectorizer: Vectorizer, text: str, code: str) -> None:
        entry = {"text": text, "code": code, "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        with self._lock:
            self._add(vectorizer, entry)
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with open(self.path, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
                    handle.flush()
                    os.fsync(handle.fileno())

    def boosts(self, ids: np.ndarray, values: np.ndarray) -> dict[str, float]:
        """Type code -> similarity of the closest remembered correction to this text (cosine, 0..1)."""
        if not self.postings or len(ids) == 0:
            return {}
        candidates: set[int] = set()
        for feature in ids.tolist():
            hits = self.postings.get(feature)
            if hits:
                candidates.update(hits)
        best: dict[str, tuple[float, int]] = {}
        for index in candidates:
            other_ids, other_values = self.vectors[index]
            _, mine, theirs = np.intersect1d(ids, other_ids, assume_unique=True, return_indices=True)
            similarity = float(values[mine] @ other_values[theirs])
            if similarity < CORRECTION_MIN_SIMILARITY:
                continue
            code = self.entries[index]["code"]
            # The latest correction wins a tie: an operator may have changed their mind.
            if code not in best or (similarity, index) > best[code]:
                best[code] = (similarity, index)
        return {code: sim for code, (sim, _) in best.items()}


def read_corrections(path: Path | None = None) -> list[dict]:
    """The corrections remembered on this workstation ({text, code, at}), oldest first, for retraining."""
    path = path or corrections_path()
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("text") and entry.get("code"):
            entries.append(entry)
    return entries


class Suggester:
    """Loaded model plus this workstation's corrections. suggest() is cheap enough for every keystroke."""

    def __init__(self, model: ModelData, model_dir: Path | None = None, corrections: Path | None = None):
        self.model = model
        self.model_dir = model_dir
        self.vectorizer = model.vectorizer()
        self.scorer = Scorer(model)
        self.labels = model.labels
        self.label_index = {label: i for i, label in enumerate(model.labels)}
        self.corrections = CorrectionMemory(corrections)
        self.corrections.load(self.vectorizer)

    @classmethod
    def load(cls, model_dir: Path, corrections: Path | None | bool = True) -> "Suggester":
        """Loads a model folder (checksums verified). corrections=True uses the workstation's file."""
        model = load_model(Path(model_dir))
        if corrections is True:
            corrections = corrections_path()
        elif corrections is False:
            corrections = None
        return cls(model, Path(model_dir), corrections)

    @property
    def version(self) -> str:
        return self.model.version

    @property
    def taxonomy_version(self) -> str:
        return self.model.taxonomy_version

    def probabilities(self, text: str, request_type: str | None = None, sub_district_code: str | None = None
                      ) -> np.ndarray:
        """Calibrated probability of every type (the model's label order), before corrections."""
        text = (text or "")[:MAX_TEXT_CHARS]
        ids, values = self.vectorizer.row(text, context_tokens(request_type, sub_district_code))
        return self.scorer.probabilities(self.scorer.raw_scores(ids, values))

    def suggest(self, text: str, request_type: str | None = None, sub_district_code: str | None = None,
                k: int = 5) -> list[Suggestion]:
        if k <= 0:
            return []
        text = (text or "")[:MAX_TEXT_CHARS]
        ids, values = self.vectorizer.row(text, context_tokens(request_type, sub_district_code))
        probs = self.scorer.probabilities(self.scorer.raw_scores(ids, values))
        boosts = self.corrections.boosts(*self.vectorizer.row(text)) if self.corrections.postings else {}
        if boosts:
            probs = probs.copy()
            for code, similarity in boosts.items():
                column = self.label_index.get(code)
                if column is None:
                    continue  # a correction to a type this model does not know: kept for retraining only
                share = min(1.0, CORRECTION_STRENGTH * similarity)
                probs *= 1.0 - share
                probs[column] += share
        k = min(k, len(probs))
        top = np.argpartition(-probs, k - 1)[:k]
        top = top[np.argsort(-probs[top], kind="stable")]
        return [Suggestion(self.labels[i], float(probs[i])) for i in top]

    def learn_correction(self, text: str, chosen_code: str) -> None:
        """The operator chose another type than the first suggestion: remember it now and for retraining."""
        if not text or not text.strip() or not chosen_code:
            return
        self.corrections.remember(self.vectorizer, text, str(chosen_code))

