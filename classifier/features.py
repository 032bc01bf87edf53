"""Turns ticket text into sparse TF-IDF features: character n-grams for Chinese, words for English."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

# Runs of Han characters, of Latin letters (words) and of digits. Chinese is not segmented: its character
# n-grams carry the words without a segmenter, so half-typed words still share most of their features.
_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z]+")
_HAN_START = "\u3400"

# Context tokens (request type, sub-district) start with a control character, so no text ever produces them.
CONTEXT_MARK = "\x01"


@dataclass(frozen=True)
class FeatureConfig:
    """How text becomes features; stored in the model's metadata so loading rebuilds the same extractor."""

    han_ngrams: tuple[int, ...] = (1, 2, 3)
    word_ngrams: tuple[int, ...] = (1, 2)
    word_char_trigrams: bool = True  # helps with a half-typed last English word
    sublinear_tf: bool = True

    def to_json(self) -> dict:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> "FeatureConfig":
        return cls(
            han_ngrams=tuple(int(n) for n in data.get("han_ngrams", (1, 2, 3))),
            word_ngrams=tuple(int(n) for n in data.get("word_ngrams", (1, 2))),
            word_char_trigrams=bool(data.get("word_char_trigrams", True)),
            sublinear_tf=bool(data.get("sublinear_tf", True)),
        )


def normalize(text: str) -> str:
    # NFKC folds full-width Latin letters and digits that Chinese input methods produce; the check first is
    # twenty times cheaper than normalising text that needs nothing.
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text


def context_tokens(request_type: str | None, sub_district_code: str | None) -> list[str]:
    tokens = []
    # Whitespace folded: the vocabulary file keeps one term a line.
    if request_type:
        tokens.append(f"{CONTEXT_MARK}rt={'_'.join(str(request_type).split())}")
    if sub_district_code:
        tokens.append(f"{CONTEXT_MARK}sd={'_'.join(str(sub_district_code).split())}")
    return tokens


def extract_grams(text: str, config: FeatureConfig = FeatureConfig()) -> list[str]:
    """All n-gram strings of a text (with repeats, in no particular order)."""
    out: list[str] = []
    words: list[str] = []
    han_ns = config.han_ngrams
    for run in _RUNS.findall(normalize(text)):
        if run[0] >= _HAN_START:
            if words:
                _word_grams(words, config, out)
                words = []
            length = len(run)
            for n in han_ns:
                if n == 1:
                    out.extend(run)
                elif length >= n:
                    out.extend([run[i : i + n] for i in range(length - n + 1)])
        else:
            words.append(run.lower())  # only Latin runs: lower() on a whole Chinese text is slow
    if words:
        _word_grams(words, config, out)
    return out


def _word_grams(words: list[str], config: FeatureConfig, out: list[str]) -> None:
    # A space is never inside a word, so "a b" bigrams cannot collide with unigrams; "~" marks a word's
    # character trigrams so "the" (word) and "the" (from "there") stay apart.
    for n in config.word_ngrams:
        if n == 1:
            out.extend(words)
        elif len(words) >= n:
            out.extend([" ".join(words[i : i + n]) for i in range(len(words) - n + 1)])
    if config.word_char_trigrams:
        for word in words:
            padded = f"<{word}>"
            out.extend(["~" + padded[i : i + 3] for i in range(len(padded) - 2)])


class Vectorizer:
    """A fixed vocabulary (term -> column) with idf weights; turns texts into L2-normalised TF-IDF rows."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray, config: FeatureConfig):
        self.terms = list(terms)
        self.index = {term: i for i, term in enumerate(self.terms)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self.config = config

    @property
    def n_features(self) -> int:
        return len(self.terms)

    def ids(self, text: str, context: Iterable[str] = ()) -> list[int]:
        get = self.index.get
        ids = [get(g) for g in extract_grams(text, self.config)]
        ids.extend(get(token) for token in context)
        return [i for i in ids if i is not None]

    def row(self, text: str, context: Iterable[str] = ()) -> tuple[np.ndarray, np.ndarray]:
        """Feature ids and TF-IDF values of one text (the per-keystroke path, kept free of scipy overhead)."""
        ids = self.ids(text, context)
        if not ids:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        unique, counts = np.unique(np.asarray(ids, dtype=np.int64), return_counts=True)
        values = (1.0 + np.log(counts)) if self.config.sublinear_tf else counts.astype(np.float64)
        values = values * self.idf[unique]
        norm = math.sqrt(float(values @ values))
        if norm > 0:
            values = values / norm
        return unique, values.astype(np.float32)

    def transform_ids(self, id_lists: Sequence[Sequence[int]]) -> sp.csr_matrix:
        return ids_to_tfidf(id_lists, self.idf, self.config.sublinear_tf)

    def transform(self, texts: Sequence[str], contexts: Sequence[Iterable[str]] | None = None) -> sp.csr_matrix:
        if contexts is None:
            return self.transform_ids([self.ids(t) for t in texts])
        return self.transform_ids([self.ids(t, c) for t, c in zip(texts, contexts)])


def ids_to_tfidf(id_lists: Sequence[Sequence[int]], idf: np.ndarray, sublinear_tf: bool = True) -> sp.csr_matrix:
    lengths = np.fromiter((len(ids) for ids in id_lists), dtype=np.int64, count=len(id_lists))
    indptr = np.zeros(len(id_lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.fromiter((i for ids in id_lists for i in ids), dtype=np.int32, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sp.csr_matrix((data, indices, indptr), shape=(len(id_lists), len(idf)))
    matrix.sum_duplicates()
    if sublinear_tf:
        np.log(matrix.data, out=matrix.data)
        matrix.data += 1.0
    matrix.data *= idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr)).astype(np.float32)
    return matrix


def build_vocabulary(
    gram_lists: Iterable[list[str]], min_df: int = 2, max_features: int | None = None
) -> tuple[list[str], np.ndarray, list[list[int]]]:
    """One pass over the documents: provisional ids, document frequencies, then pruning by min_df.

    Returns the kept terms, their idf, and each document's term ids mapped to the kept vocabulary.
    """
    provisional: dict[str, int] = {}
    setdefault = provisional.setdefault
    doc_ids: list[np.ndarray] = []
    for grams in gram_lists:
        doc_ids.append(np.fromiter((setdefault(g, len(provisional)) for g in grams), dtype=np.int32, count=len(grams)))
    n_docs = len(doc_ids)
    df = np.zeros(len(provisional), dtype=np.int64)
    for ids in doc_ids:
        df[np.unique(ids)] += 1
    keep = np.flatnonzero(df >= min_df)
    if max_features is not None and len(keep) > max_features:
        order = np.argsort(-df[keep], kind="stable")[:max_features]
        keep = np.sort(keep[order])
    remap = np.full(len(provisional), -1, dtype=np.int64)
    remap[keep] = np.arange(len(keep))
    all_terms = list(provisional)
    terms = [all_terms[i] for i in keep]
    idf = (np.log((1.0 + n_docs) / (1.0 + df[keep])) + 1.0).astype(np.float32)
    mapped = []
    for ids in doc_ids:
        new = remap[ids]
        mapped.append(new[new >= 0])
    return terms, idf, mapped

