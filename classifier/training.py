"""Trains a suggestion model from labeled ticket texts (a CSV or rows), including half-typed prefixes."""

from __future__ import annotations

import csv
import logging
import os
import random
import sys
import time
import uuid
import warnings
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from classifier.features import (
    FeatureConfig,
    Vectorizer,
    build_vocabulary,
    context_tokens,
    extract_grams,
    ids_to_tfidf,
)
from classifier.model import ModelData, ModelError, save_model

log = logging.getLogger("hotline.classifier")

CONTEXT_COLUMNS = ("request_type", "sub_district_code")


class TrainingError(Exception):
    """Training data or options that cannot make a model; the message says what to fix."""


@dataclass
class TrainOptions:
    min_df: int = 3
    max_features: int = 120_000
    # "cnb-rerank" (what "auto" means): complement naive Bayes shortlists candidates, then one linear SVM per type,
    # trained on that type's rows and on the rows that shortlist it, re-ranks them. "cnb": the shortlist scores
    # alone. The earlier recipes stay for comparison: "nb" (multinomial naive Bayes within groups) and "svm"
    # (naive Bayes over groups, linear SVMs within groups).
    algorithm: str = "auto"
    han_ngrams: tuple[int, ...] = (1, 2)
    # Smoothing of complement naive Bayes (features are TF-IDF masses): the best one depends on the amount of
    # data (less smoothing for a few hundred rows), so it is chosen on held-out rows among these.
    cnb_alphas: tuple[float, ...] = (0.1, 0.3, 1.0)
    cnb_max_classes_per_feature: int = 300  # see _cap_per_feature: bounds a keystroke's cost and the model's size
    rerank_candidates: int = 20
    rerank_c: float = 0.5
    rerank_prune: float = 0.03  # re-ranking weights smaller than this (absolute) are dropped
    # A feature keeps its strongest re-ranking weights only: common characters otherwise carry a small weight for
    # every type, which costs a long description's keystroke milliseconds and moves no ranking.
    rerank_max_types_per_feature: int = 300
    rerank_max_rows: int = 200_000  # rows the re-ranking learns from, stratified by type (bounds training time)
    # The shortlist score's share in the re-ranking, chosen on held-out rows (100: the shortlist's own order).
    rerank_blends: tuple[float, ...] = (0.0, 0.3, 1.0, 3.0, 100.0)
    rerank_tail: float = 0.02  # probability left to the types outside the shortlist
    svm_max_types: int = 200
    svm_max_work: int = 12_000_000  # training rows x types (about a minute on one loaded core)
    nb_alpha: float = 0.01  # smoothing of naive Bayes (features are TF-IDF masses, not counts)
    nb_min_mass: float = 0.0  # (feature, type) pairs with less TF-IDF mass are treated as unseen
    nb_max_classes_per_feature: int = 200  # see _cap_per_feature
    svm_c: float = 0.5
    prune: float = 0.02  # SVM weights smaller than this (absolute) are dropped: smaller, faster model
    prefix_copies: int = 1  # truncated copies of each ticket, as if typed halfway
    prefix_min_chars: int = 3
    prefix_max_chars: int = 40
    context_dropout: float = 0.5  # request type / sub-district are often not known yet while typing
    flat_max_types: int = 150  # above this, a group model first and then the types within each group
    holdout_share: float = 0.05
    holdout_max: int = 8000
    max_rows_per_type: int | None = None  # cap for very large training sets (keeps training time bounded)
    n_jobs: int = 2
    seed: int = 12345
    weight_dtype: str = "float16"
    scrub: bool = True  # names, phone numbers, ID numbers and e-mail never reach the model


@dataclass
class LabeledRows:
    texts: list[str]
    labels: list[str]
    contexts: list[tuple[str | None, str | None]] | None = None


# ---------------------------------------------------------------------------------------------- reading CSVs

def read_labeled_csv(data: Path, text_column: str, label_column: str) -> LabeledRows:
    """Reads and checks a labeled CSV; raises TrainingError with a message a person can act on."""
    data = Path(data)
    if not data.exists():
        raise TrainingError(f"The file {data} does not exist.")
    if not data.is_file():
        raise TrainingError(f"{data} is not a file.")
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        with open(data, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            if not columns:
                raise TrainingError(f"{data} is empty: it needs a header line and labeled rows.")
            missing = [name for name in (text_column, label_column) if name not in columns]
            if missing:
                raise TrainingError(
                    f"{data} has no column {', '.join(repr(m) for m in missing)}. "
                    f"Its columns are: {', '.join(columns)}."
                )
            context_columns = [c for c in CONTEXT_COLUMNS if c in columns]
            texts: list[str] = []
            labels: list[str] = []
            contexts: list[tuple[str | None, str | None]] = []
            empty_text: list[int] = []
            empty_label: list[int] = []
            for line, row in enumerate(reader, start=2):
                text = (row.get(text_column) or "").strip()
                label = (row.get(label_column) or "").strip()
                if not text:
                    empty_text.append(line)
                if not label:
                    empty_label.append(line)
                texts.append(text)
                labels.append(label)
                if context_columns:
                    contexts.append((row.get("request_type") or None, row.get("sub_district_code") or None))
    except UnicodeDecodeError:
        raise TrainingError(f"{data} is not UTF-8 text. Save it as UTF-8 CSV and try again.") from None
    except csv.Error as exc:
        raise TrainingError(f"{data} is not a readable CSV file: {exc}.") from None
    except OSError as exc:
        raise TrainingError(f"{data} cannot be read: {exc.strerror or exc}.") from None
    if empty_text:
        raise TrainingError(
            f"{data}: {len(empty_text)} row(s) have no text in column '{text_column}' "
            f"(line {_lines(empty_text)}). Fill them in or remove them."
        )
    if empty_label:
        raise TrainingError(
            f"{data}: {len(empty_label)} row(s) have no label in column '{label_column}' "
            f"(line {_lines(empty_label)}). Fill them in or remove them."
        )
    if not texts:
        raise TrainingError(f"{data} has a header but no rows to learn from.")
    return LabeledRows(texts, labels, contexts if contexts else None)


def _lines(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:10])
    return shown + (", ..." if len(lines) > 10 else "")


def check_rows(rows: LabeledRows) -> None:
    if len(rows.texts) != len(rows.labels):
        raise TrainingError("There must be one label per text.")
    if not rows.texts:
        raise TrainingError("There are no labeled texts to learn from.")
    distinct = set(rows.labels)
    if len(distinct) < 2:
        only = next(iter(distinct))
        raise TrainingError(
            f"All {len(rows.labels)} rows have the same label ('{only}'). A model that chooses between types "
            "needs at least two different labels."
        )


# ---------------------------------------------------------------------------------------------- training

def train_csv(data: Path, text_column: str, label_column: str, out: Path, options: TrainOptions | None = None
              ) -> dict:
    """`hotline train`: reads the CSV, trains, writes the model folder and returns a summary."""
    rows = read_labeled_csv(data, text_column, label_column)
    labels = set(rows.labels)
    model = train_rows(rows, options=options, groups=taxonomy_groups(labels),
                       taxonomy_version=_taxonomy_version_for(labels))
    try:
        save_model(model, Path(out))
    except (ModelError, OSError) as exc:
        raise TrainingError(f"The model could not be written: {exc}") from None
    summary = {"model": str(out), "version": model.version, "taxonomy_version": model.taxonomy_version}
    summary.update(model.extra.get("training", {}))
    return summary


def _taxonomy_version_for(labels: set[str]) -> str:
    """The installed taxonomy's version when every label is one of its types, else "none"."""
    from domain.taxonomy import TaxonomyError, load_taxonomy

    try:
        taxonomy = load_taxonomy()
        if all(taxonomy.get(label) is not None for label in labels):
            return str(taxonomy.version)
    except (TaxonomyError, OSError):  # no readable taxonomy: the model stands on its own
        pass
    return "none"


def taxonomy_groups(labels: set[str]) -> dict[str, str] | None:
    """The taxonomy's domains as groups when every label is a type of the installed taxonomy, else None."""
    from domain.taxonomy import TaxonomyError, load_taxonomy

    try:
        taxonomy = load_taxonomy()
        groups = {}
        for label in labels:
            path = taxonomy.path(label)
            if not path:
                return None
            groups[label] = path[0].code
        return groups
    except (TaxonomyError, OSError):  # no readable taxonomy: training finds its own groups
        return None


def train_rows(
    rows: LabeledRows,
    options: TrainOptions | None = None,
    groups: dict[str, str] | None = None,
    taxonomy_version: str = "none",
    progress: Callable[[str], None] | None = None,
) -> ModelData:
    """Trains the model: vocabulary, TF-IDF, the weights of the chosen recipe, pruning, calibration."""
    options = options or TrainOptions()
    check_rows(rows)
    say = progress or (lambda message: log.info("%s", message))
    started = time.perf_counter()
    rng = random.Random(options.seed)
    config = FeatureConfig(han_ngrams=tuple(options.han_ngrams))
    algorithm = options.algorithm
    if algorithm == "auto":
        algorithm = "cnb-rerank"
    if algorithm not in ("cnb-rerank", "cnb", "nb", "svm"):
        raise TrainingError(f"Unknown training algorithm {options.algorithm!r}; use 'cnb-rerank', 'cnb', 'nb' or 'svm'.")
    flat = algorithm in ("cnb-rerank", "cnb")

    texts = rows.texts
    if options.scrub:
        # A model is copied to every workstation and kept for years: what a caller said about themselves
        # (name, number, e-mail, ID number) must not become a feature of it.
        from domain.scrub import scrub_text

        t0 = time.perf_counter()
        texts = [scrub_text(text) for text in texts]
        say(f"personal data scrubbed from {len(texts)} texts in {time.perf_counter() - t0:.1f} s")

    labels_sorted = sorted(set(rows.labels))
    n = len(texts)
    order = list(range(n))
    rng.shuffle(order)
    if options.max_rows_per_type:
        order = _cap_per_type(order, rows.labels, options.max_rows_per_type)
    n_holdout = 0
    if n >= 500:
        n_holdout = min(options.holdout_max, int(len(order) * options.holdout_share))
    holdout, train = order[:n_holdout], order[n_holdout:]
    if len({rows.labels[i] for i in train}) < 2:
        holdout, train = [], order

    # Context tokens are given to the full texts with dropout, so the model works with and without them.
    def context_for(i: int) -> list[str]:
        if rows.contexts is None:
            return []
        request_type, sub_district = rows.contexts[i]
        return context_tokens(
            request_type if rng.random() >= options.context_dropout else None,
            sub_district if rng.random() >= options.context_dropout else None,
        )

    t0 = time.perf_counter()
    train_contexts = [context_for(i) for i in train]
    gram_lists = (extract_grams(texts[i], config) + ctx for i, ctx in zip(train, train_contexts))
    # A few hundred tickets: a word seen once is still evidence.
    min_df = options.min_df if len(train) >= 1000 else 1
    terms, idf, train_ids = build_vocabulary(gram_lists, min_df=min_df, max_features=options.max_features)
    if not terms:
        raise TrainingError("The texts share no words or characters; there is nothing to learn from.")
    vectorizer = Vectorizer(terms, idf, config)
    say(f"vocabulary: {len(terms)} features from {len(train)} tickets in {time.perf_counter() - t0:.1f} s")

    # Half-typed copies: suggestions show while the call-taker types, so the model learns from prefixes too.
    t0 = time.perf_counter()
    prefix_ids: list[list[int]] = []
    prefix_rows: list[int] = []
    for i in train:
        for text in _prefixes(texts[i], options, rng):
            prefix_ids.append(vectorizer.ids(text, context_for(i)))
            prefix_rows.append(i)
    all_rows = np.asarray(list(train) + prefix_rows, dtype=np.int64)
    X = ids_to_tfidf(list(train_ids) + prefix_ids, idf)
    del train_ids, prefix_ids
    label_index = {label: j for j, label in enumerate(labels_sorted)}
    y_all = np.asarray([label_index[rows.labels[i]] for i in all_rows], dtype=np.int64)
    keep = X.getnnz(axis=1) > 0
    X, y_all = X[keep], y_all[keep]
    say(f"features: {X.shape[0]} rows ({len(prefix_rows)} prefixes) in {time.perf_counter() - t0:.1f} s")

    # Groups: given (e.g. the taxonomy's domains), found by clustering, or one group when there are few types.
    t0 = time.perf_counter()
    if flat:
        group_of_label = {label: "all" for label in labels_sorted}
    else:
        group_of_label = _assign_groups(labels_sorted, X, y_all, groups, options)
    group_names = sorted(set(group_of_label.values()))
    # Column order: types grouped together, so a group's types are one contiguous slice.
    ordered_labels = sorted(labels_sorted, key=lambda label: (group_names.index(group_of_label[label]), label))
    column_of = {label: j for j, label in enumerate(ordered_labels)}
    remap = np.asarray([column_of[label] for label in labels_sorted], dtype=np.int64)
    y = remap[y_all]
    group_index = {g: k for k, g in enumerate(group_names)}
    group_of_column = np.asarray([group_index[group_of_label[label]] for label in ordered_labels], dtype=np.int64)
    group_sizes = np.bincount(group_of_column, minlength=len(group_names))
    n_types = len(ordered_labels)
    if not flat:
        say(f"{len(group_names)} group(s) for {n_types} types in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    n_groups = len(group_names)
    # Re-ranking needs held-out rows to show it helps (and to set its blend): without them (a few hundred
    # tickets), the shortlist scores alone.
    rerank = algorithm == "cnb-rerank" and n_types > 2 and bool(holdout)
    n_columns = n_types + (n_groups if n_groups > 1 else 0) + (n_types if rerank else 0)
    alpha = None
    rows_f, cols_f, vals_f = [], [], []
    bias = np.zeros(n_columns, dtype=np.float64)
    length_weight = np.zeros(n_columns, dtype=np.float64)
    group_starts = np.concatenate([[0], np.cumsum(group_sizes)[:-1]])
    y_group = group_of_column[y]
    if algorithm in ("cnb-rerank", "cnb"):
        alpha = _choose_alpha(X, y, n_types, options, holdout and _holdout_rows(
            holdout, texts, rows.labels, column_of, vectorizer), say)
        f, c, v, lw = _complement_nb(X, y, n_types, options, alpha)
        rows_f.append(f), cols_f.append(c), vals_f.append(v)
        length_weight[:n_types] = lw
        say(f"complement naive Bayes: {len(v)} weights in {time.perf_counter() - t0:.1f} s")
        if rerank:
            t1 = time.perf_counter()
            shortlist_W = sp.csr_matrix((v.astype(np.float32), (f, c)), shape=(len(terms), n_types))
            f, c, v, b = _rerank_weights(X, y, n_types, shortlist_W, lw, options, say)
            rows_f.append(f), cols_f.append(c + n_types), vals_f.append(v)
            bias[n_types:] = b
            say(f"re-ranking: {len(v)} weights in {time.perf_counter() - t1:.1f} s")
    else:
        if n_groups > 1:
            f, c, v, b, lw = _naive_bayes(X, y_group, n_groups, options)
            rows_f.append(f), cols_f.append(c + n_types), vals_f.append(v)
            bias[n_types:], length_weight[n_types:] = b, lw
        if algorithm == "nb":
            f, c, v, b, lw = _naive_bayes(X, y, n_types, options)
            rows_f.append(f), cols_f.append(c), vals_f.append(v)
            bias[:n_types], length_weight[:n_types] = b, lw
        else:
            blocks = []
            for k in range(n_groups):
                mask = y_group == k
                blocks.append((X[mask], y[mask] - group_starts[k], int(group_sizes[k]), int(group_starts[k])))
            for (features, coef, intercept), (_, _, _, offset) in zip(_run_blocks(blocks, options), blocks):
                r, c = np.nonzero(np.abs(coef) >= options.prune)
                rows_f.append(features[c]), cols_f.append(r + offset), vals_f.append(coef[r, c])
                bias[offset : offset + coef.shape[0]] = intercept
    say(f"weights ({algorithm}) in {time.perf_counter() - t0:.1f} s")

    W = sp.csr_matrix(
        (np.concatenate(vals_f), (np.concatenate(rows_f), np.concatenate(cols_f))), shape=(len(terms), n_columns)
    )
    W.sort_indices()
    index_dtype = np.uint16 if n_columns < 65536 else np.int32
    model = ModelData(
        labels=ordered_labels,
        group_names=group_names,
        group_sizes=group_sizes.astype(np.int32),
        terms=terms,
        idf=idf,
        indptr=W.indptr.astype(np.int32 if W.nnz < 2**31 else np.int64),
        indices=W.indices.astype(index_dtype),
        data=W.data.astype(options.weight_dtype),
        bias=bias.astype(np.float32),
        length_weight=length_weight.astype(np.float32),
        feature_config=config,
        rerank={"candidates": int(min(options.rerank_candidates, n_types)), "blend": 1.0,
                "tail": float(options.rerank_tail)} if rerank else {},
        taxonomy_version=taxonomy_version,
    )

    # Calibration on held-out tickets and their prefixes: the blend of the two scores (re-ranking) and the
    # softmax temperatures.
    t0 = time.perf_counter()
    figures: dict = {}
    if holdout:
        calib_texts, calib_labels = [], []
        for i in holdout:
            calib_texts.append(texts[i])
            calib_labels.append(rows.labels[i])
            for text in _prefixes(texts[i], options, rng):
                calib_texts.append(text)
                calib_labels.append(rows.labels[i])
        known = [j for j, label in enumerate(calib_labels) if label in column_of]
        Xc = vectorizer.transform([calib_texts[j] for j in known])
        yc = np.asarray([column_of[calib_labels[j]] for j in known], dtype=np.int64)
    else:
        Xc, yc = X, y
    if rerank and holdout:
        model.rerank["blend"] = choose_blend(model, Xc, yc, options.rerank_blends)
    a, b = fit_temperatures(model, Xc, yc)
    model.group_temperature, model.type_temperature = a, b
    if holdout:
        figures = holdout_figures(model, Xc, yc)
    say(f"calibration in {time.perf_counter() - t0:.1f} s")

    elapsed = time.perf_counter() - started
    model.version = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]
    model.extra = {
        "training": {
            "tickets": n,
            "types": n_types,
            "groups": len(group_names),
            "algorithm": algorithm,
            "cnb_alpha": alpha,
            "blend": model.rerank.get("blend") if model.rerank else None,
            "features": len(terms),
            "weights": int(W.nnz),
            "training_rows": int(X.shape[0]),
            "seconds": round(elapsed, 1),
            "holdout": figures,
        },
        "options": asdict(options),
    }
    return model


def _cap_per_type(order: list[int], labels: Sequence[str], cap: int) -> list[int]:
    seen: dict[str, int] = {}
    kept = []
    for i in order:
        count = seen.get(labels[i], 0)
        if count < cap:
            seen[labels[i]] = count + 1
            kept.append(i)
    return kept


def _prefixes(text: str, options: TrainOptions, rng: random.Random) -> list[str]:
    if options.prefix_copies <= 0 or len(text) <= options.prefix_min_chars + 1:
        return []
    top = min(options.prefix_max_chars, len(text) - 1)
    return [text[: rng.randint(options.prefix_min_chars, top)] for _ in range(options.prefix_copies)]


def _assign_groups(labels: list[str], X: sp.csr_matrix, y: np.ndarray, groups: dict[str, str] | None,
                   options: TrainOptions) -> dict[str, str]:
    if groups:
        return {label: str(groups.get(label, "other")) for label in labels}
    if len(labels) <= options.flat_max_types or options.algorithm != "svm":
        return {label: "all" for label in labels}
    # Cluster the types by their mean feature vector, about sqrt(types) clusters.
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.preprocessing import normalize as l2_normalize

    counts = np.bincount(y, minlength=len(labels)).astype(np.float64)
    indicator = sp.csr_matrix((np.ones(len(y)), (y, np.arange(len(y)))), shape=(len(labels), len(y)))
    centroids = l2_normalize(sp.diags(1.0 / np.maximum(counts, 1)) @ indicator @ X)
    k = max(2, int(round(np.sqrt(len(labels)))))
    clusters = MiniBatchKMeans(n_clusters=k, random_state=options.seed, n_init=3, batch_size=2048).fit_predict(
        centroids
    )
    return {label: f"g{int(c):03d}" for label, c in zip(labels, clusters)}


def _naive_bayes(X: sp.csr_matrix, y: np.ndarray, n_classes: int, options: TrainOptions):
    """Multinomial naive Bayes on TF-IDF masses, stored sparsely.

    log P(f|c) = log(alpha / (T_c + alpha F)) + log(1 + mass(c, f) / alpha): the first part does not depend on
    the feature, so it becomes a per-class weight on the text's total feature mass, and only (feature, class)
    pairs that were seen need storing.
    """
    alpha = options.nb_alpha
    n_rows, n_features = X.shape
    indicator = sp.csr_matrix((np.ones(n_rows, dtype=np.float32), (y, np.arange(n_rows))), shape=(n_classes, n_rows))
    mass = (indicator @ X).tocoo()
    totals = np.bincount(mass.row, weights=mass.data, minlength=n_classes)
    keep = mass.data >= options.nb_min_mass
    features, classes = mass.col[keep], mass.row[keep]
    values = np.log1p(mass.data[keep] / alpha)
    length_weight = np.log(alpha / (totals + alpha * n_features))
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    prior = np.log((counts + 1.0) / (counts.sum() + n_classes))
    if options.nb_max_classes_per_feature and n_classes > options.nb_max_classes_per_feature:
        features, classes, values = _cap_per_feature(features, classes, values, options.nb_max_classes_per_feature)
    return features, classes, values, prior, length_weight


def _holdout_rows(holdout, texts, labels, column_of, vectorizer):
    """Held-out full texts (never prefixes: the smoothing is chosen for whole descriptions) as features."""
    known = [i for i in holdout if labels[i] in column_of]
    X = vectorizer.transform([texts[i] for i in known])
    return X, np.asarray([column_of[labels[i]] for i in known], dtype=np.int64)


def _choose_alpha(X: sp.csr_matrix, y: np.ndarray, n_classes: int, options: TrainOptions, validation,
                  say: Callable[[str], None]) -> float:
    """The smoothing among options.cnb_alphas that ranks validation rows best (top-1 plus top-5).

    Validation rows: the held-out tickets when there are enough, else a fifth of the training rows (the model
    is then trained on all of them with the chosen smoothing)."""
    alphas = tuple(options.cnb_alphas)
    if len(alphas) == 1:
        return float(alphas[0])
    if validation:
        X_fit, y_fit, X_val, y_val = X, y, *validation
    else:
        pick = np.random.default_rng(options.seed).permutation(X.shape[0])
        cut = max(1, X.shape[0] // 5)
        X_fit, y_fit, X_val, y_val = X[pick[cut:]], y[pick[cut:]], X[pick[:cut]], y[pick[:cut]]
    if X_val.shape[0] > 4000:
        X_val, y_val = X_val[:4000], y_val[:4000]
    best = None
    rows = np.arange(len(y_val))
    for alpha in alphas:
        f, c, v, lw = _complement_nb(X_fit, y_fit, n_classes, options, alpha)
        W = sp.csr_matrix((v, (f, c)), shape=(X.shape[1], n_classes))
        scores = (X_val @ W).toarray() + np.asarray(abs(X_val).sum(axis=1)) * lw[None, :]
        ranks = (scores > scores[rows, y_val][:, None]).sum(axis=1)
        quality = float((ranks < 1).mean() + (ranks < 5).mean())
        if best is None or quality > best[0] + 1e-9:
            best = (quality, float(alpha))
    say(f"complement naive Bayes smoothing {best[1]} (of {', '.join(str(a) for a in alphas)}), "
        f"chosen on {len(y_val)} rows")
    return best[1]


def _complement_nb(X: sp.csr_matrix, y: np.ndarray, n_classes: int, options: TrainOptions, alpha: float):
    """Complement naive Bayes (Rennie et al. 2003, as scikit-learn's ComplementNB) on TF-IDF masses, stored sparsely.

    Its weight is -log((N_f + alpha - n_cf) / (T - T_c + alpha F)), with N_f a feature's mass over all types, n_cf
    its mass in type c, T_c the type's total. That is -log(N_f + alpha) (the same for every type: cancels),
    plus -log(1 - n_cf / (N_f + alpha)) (zero unless the feature was seen with the type: stored sparsely), plus
    log(T - T_c + alpha F) times the text's feature mass (a per-type length weight). A type is scored by how
    little its complement (all other types) explains the text, so a type with a few dozen examples competes
    with one with thousands: what makes it hold on long-tailed label sets where naive Bayes does not.
    """
    n_rows, n_features = X.shape
    indicator = sp.csr_matrix((np.ones(n_rows, dtype=np.float32), (y, np.arange(n_rows))), shape=(n_classes, n_rows))
    mass = (indicator @ X).tocoo()
    feature_mass = np.asarray(X.sum(axis=0), dtype=np.float64).ravel()
    totals = np.bincount(mass.row, weights=mass.data, minlength=n_classes)
    values = -np.log1p(-mass.data / (feature_mass[mass.col] + alpha))
    length_weight = np.log(totals.sum() - totals + alpha * n_features)
    features, classes = mass.col, mass.row
    cap = options.cnb_max_classes_per_feature
    if cap and n_classes > cap:
        features, classes, values = _cap_per_feature(features, classes, values, cap)
    return features, classes, values, length_weight


def _stratified_rows(y: np.ndarray, max_rows: int, seed: int) -> np.ndarray:
    """At most max_rows row indices, as many of each type as fit under one cap per type (rare types keep all)."""
    if len(y) <= max_rows:
        return np.arange(len(y))
    counts = np.bincount(y)
    low, high = 1, int(counts.max())
    while low < high:  # the largest cap with sum(min(count, cap)) <= max_rows
        mid = (low + high + 1) // 2
        if np.minimum(counts, mid).sum() <= max_rows:
            low = mid
        else:
            high = mid - 1
    order = np.random.default_rng(seed).permutation(len(y))
    by_type = order[np.argsort(y[order], kind="stable")]
    starts = np.searchsorted(y[by_type], np.arange(len(counts)))
    rank = np.arange(len(by_type)) - starts[y[by_type]]
    return np.sort(by_type[rank < low])


def _shortlists(X: sp.csr_matrix, W: sp.csr_matrix, length_weight: np.ndarray, k: int, chunk: int = 4000) -> np.ndarray:
    """Each row's k best types by the complement naive Bayes scores."""
    out = []
    for start in range(0, X.shape[0], chunk):
        part = X[start : start + chunk]
        scores = (part @ W).toarray()
        scores += np.asarray(abs(part).sum(axis=1), dtype=np.float32) * length_weight.astype(np.float32)[None, :]
        out.append(np.argpartition(-scores, k - 1, axis=1)[:, :k])
    return np.vstack(out)


def _rerank_weights(X: sp.csr_matrix, y: np.ndarray, n_classes: int, shortlist_W: sp.csr_matrix,
                    length_weight: np.ndarray, options: TrainOptions, say: Callable[[str], None]):
    """One linear SVM per type that tells its own rows from the rows that shortlist it but belong elsewhere.

    Learning only from the confusable rows (k per row instead of every type per row) is what makes a
    discriminative model affordable for 2,000 types: a million tickets cost k / types of a one-vs-rest SVM.
    """
    t0 = time.perf_counter()
    picked = _stratified_rows(y, options.rerank_max_rows, options.seed)
    X, y = X[picked], y[picked]
    k = min(options.rerank_candidates, n_classes)
    shortlist = _shortlists(X, shortlist_W, length_weight, k)
    say(f"re-ranking: shortlists of {k} for {X.shape[0]} rows in {time.perf_counter() - t0:.1f} s")
    flat_types = shortlist.ravel()
    flat_rows = np.repeat(np.arange(X.shape[0]), k)
    by_type = np.argsort(flat_types, kind="stable")
    bounds = np.searchsorted(flat_types[by_type], np.arange(n_classes + 1))
    own = np.argsort(y, kind="stable")
    own_bounds = np.searchsorted(y[own], np.arange(n_classes + 1))
    jobs = []
    for c in range(n_classes):
        rows = np.union1d(flat_rows[by_type[bounds[c] : bounds[c + 1]]], own[own_bounds[c] : own_bounds[c + 1]])
        jobs.append(rows)
    n_jobs = min(options.n_jobs, os.cpu_count() or 1)
    # liblinear releases the GIL, so threads share X without copying it to worker processes.
    slices = [range(j, n_classes, n_jobs) for j in range(n_jobs)]
    if n_jobs > 1:
        from joblib import Parallel, delayed

        parts = Parallel(n_jobs=n_jobs, backend="threading")(
            delayed(_rerank_part)(X, y, jobs, part, options) for part in slices)
    else:
        parts = [_rerank_part(X, y, jobs, slices[0], options)]
    bias = np.zeros(n_classes)
    features, classes, values = [], [], []
    for f, c, v, b in parts:
        features.extend(f), classes.extend(c), values.extend(v)
        for cls, intercept in b:
            bias[cls] = intercept
    if not values:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), bias
    features, classes, values = np.concatenate(features), np.concatenate(classes), np.concatenate(values)
    cap = options.rerank_max_types_per_feature
    if cap:
        order = np.lexsort((-np.abs(values), features))
        features, classes, values = features[order], classes[order], values[order]
        rank = np.arange(len(features)) - np.searchsorted(features, features, side="left")
        keep = rank < cap
        features, classes, values = features[keep], classes[keep], values[keep]
    return features, classes, values, bias


def _rerank_part(X: sp.csr_matrix, y: np.ndarray, jobs: list[np.ndarray], classes, options: TrainOptions):
    from sklearn.svm import LinearSVC

    features, owners, values, biases = [], [], [], []
    for c in classes:
        rows = jobs[c]
        if len(rows) == 0:
            biases.append((c, -1.0))
            continue
        target = (y[rows] == c).astype(np.int8)
        if target.min() == target.max():
            # Only its own rows (nothing confuses it) or none of them: a constant vote.
            biases.append((c, 1.0 if target[0] else -1.0))
            continue
        local = X[rows]
        used = np.unique(local.indices)
        svm = LinearSVC(C=options.rerank_c, tol=1e-3, max_iter=1000, random_state=options.seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence warnings: the pruned weights are what we keep
            svm.fit(local[:, used], target)
        coef = svm.coef_[0]
        keep = np.abs(coef) >= options.rerank_prune
        features.append(used[keep])
        owners.append(np.full(int(keep.sum()), c, dtype=np.int64))
        values.append(coef[keep])
        biases.append((c, float(svm.intercept_[0])))
    return features, owners, values, biases


def _cap_per_feature(features: np.ndarray, classes: np.ndarray, values: np.ndarray, cap: int):
    """Keeps each feature's `cap` largest weights, measured from the next largest one (the floor).

    Lifting every other class to the floor adds the same amount to all of them for that feature, which cancels
    in the softmax; what remains is the margin of the types the feature really points to. Common characters
    (seen with every type) then no longer favour the frequent types, which is better for accuracy as well as for
    the size of the model and the time to score a keystroke (at most `cap` weights per feature).
    """
    order = np.lexsort((-values, features))
    features, classes, values = features[order], classes[order], values[order]
    starts = np.searchsorted(features, features, side="left")
    rank = np.arange(len(features)) - starts
    counts = np.bincount(features)
    heavy = counts[features] > cap
    floor = np.zeros(len(counts))
    at_cap = heavy & (rank == cap)
    floor[features[at_cap]] = values[at_cap]
    values = values - floor[features]
    keep = (rank < cap) & (values > 0)
    return features[keep], classes[keep], values[keep]


def _fit_block(X: sp.csr_matrix, y: np.ndarray, n_classes: int, svm_c: float, seed: int):
    """One linear SVM over the block's own features. Returns (feature ids, coef n_classes x features, bias)."""
    features = np.unique(X.indices)
    if n_classes == 1 or len(features) == 0 or len(np.unique(y)) < 2:
        coef = np.zeros((n_classes, 0))
        intercept = np.zeros(n_classes)
        if len(y):
            # A lone seen class gets a head start over unseen ones.
            intercept[np.bincount(y, minlength=n_classes).argmax()] = 1.0
        return features[:0], coef, intercept
    from sklearn.svm import LinearSVC

    local = X[:, features]
    present = np.unique(y)
    svm = LinearSVC(C=svm_c, dual=True, tol=1e-3, max_iter=2000, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings: the pruned weights are what we keep
        svm.fit(local, y)
    raw_coef, raw_intercept = svm.coef_, svm.intercept_
    if len(present) == 2:
        raw_coef = np.vstack([-raw_coef / 2, raw_coef / 2])
        raw_intercept = np.asarray([-raw_intercept[0] / 2, raw_intercept[0] / 2])
    coef = np.zeros((n_classes, len(features)), dtype=np.float32)
    intercept = np.full(n_classes, -10.0)  # classes never seen in this block: far below the others
    coef[present] = raw_coef
    intercept[present] = raw_intercept
    return features, coef, intercept


def _run_blocks(blocks, options: TrainOptions):
    jobs = [(X, y, n_classes, options.svm_c, options.seed) for X, y, n_classes, _ in blocks]
    n_jobs = min(options.n_jobs, os.cpu_count() or 1, len(jobs))
    if n_jobs <= 1 or sum(X.shape[0] for X, *_ in jobs) < 20000:
        return [_fit_block(*job) for job in jobs]
    from joblib import Parallel, delayed

    # Biggest blocks first so the two workers finish together.
    order = sorted(range(len(jobs)), key=lambda j: -jobs[j][0].nnz * jobs[j][2])
    done = Parallel(n_jobs=n_jobs, backend="loky")(delayed(_fit_block)(*jobs[j]) for j in order)
    results = [None] * len(jobs)
    for j, result in zip(order, done):
        results[j] = result
    return results


# ---------------------------------------------------------------------------------------------- calibration

def _batch_scores(model: ModelData, X: sp.csr_matrix) -> np.ndarray:
    n_columns = len(model.bias)
    W = sp.csr_matrix((model.data.astype(np.float32), model.indices.astype(np.int64), model.indptr),
                      shape=(len(model.terms), n_columns))
    l1 = np.asarray(abs(X).sum(axis=1), dtype=np.float64)
    return (np.asarray((X @ W).todense(), dtype=np.float64) + model.bias.astype(np.float64)
            + l1 * model.length_weight.astype(np.float64)[None, :])


def choose_blend(model: ModelData, X: sp.csr_matrix, y: np.ndarray, blends, max_rows: int = 4000) -> float:
    """The share of the shortlist score in the re-ranking that ranks held-out rows best (top-1 plus top-5)."""
    from classifier.suggester import Scorer

    if X.shape[0] > max_rows:
        pick = np.random.default_rng(1).choice(X.shape[0], max_rows, replace=False)
        X, y = X[pick], y[pick]
    scores = _batch_scores(model, X)
    scorer = Scorer(model)
    rows = np.arange(len(y))
    best = None
    for blend in blends:
        probs = scorer._reranked(scores, 1.0, 1.0, float(blend))
        ranks = (probs > probs[rows, y][:, None]).sum(axis=1)
        quality = float((ranks < 1).mean() + (ranks < 5).mean())
        if best is None or quality > best[0] + 1e-9:
            best = (quality, float(blend))
    return best[1]


def fit_temperatures(model: ModelData, X: sp.csr_matrix, y: np.ndarray, max_rows: int = 2500) -> tuple[float, float]:
    """Softmax temperatures minimising the negative log-likelihood of the true type on held-out rows."""
    from classifier.suggester import Scorer

    if X.shape[0] > max_rows:
        pick = np.random.default_rng(0).choice(X.shape[0], max_rows, replace=False)
        X, y = X[pick], y[pick]
    scores = _batch_scores(model, X)
    scorer = Scorer(model)
    rows = np.arange(len(y))

    def nll(a: float, b: float) -> float:
        probs = scorer.batch_probabilities(scores, a, b)
        return float(-np.log(np.maximum(probs[rows, y], 1e-12)).mean())

    grid = np.geomspace(0.25, 64.0, 9)
    if model.n_groups > 1 or model.rerank:
        # The two temperatures barely interact; search one, then the other, then refine the first.
        b = min(grid, key=lambda value: nll(1.0, value))
        a = min(grid, key=lambda value: nll(value, b))
        b = min(grid, key=lambda value: nll(a, value))
        a = _refine(lambda value: nll(value, b), a)
        b = _refine(lambda value: nll(a, value), b)
    else:
        a = 1.0
        b = _refine(lambda value: nll(1.0, value), min(grid, key=lambda value: nll(1.0, value)))
    return float(a), float(b)


def _refine(loss: Callable[[float], float], centre: float) -> float:
    candidates = centre * np.geomspace(0.6, 1.6, 7)
    return float(min(candidates, key=loss))


def holdout_figures(model: ModelData, X: sp.csr_matrix, y: np.ndarray) -> dict:
    from classifier.suggester import Scorer

    scorer = Scorer(model)
    probs = scorer.batch_probabilities(_batch_scores(model, X))
    ranks = (probs > probs[np.arange(len(y)), y][:, None]).sum(axis=1)
    top1_p = probs.max(axis=1)
    correct = ranks < 1
    # Expected calibration error over ten confidence bins: how far "80 % sure" is from being right 80 % of the time.
    bins = np.minimum((top1_p * 10).astype(int), 9)
    ece = sum(abs(correct[bins == b].mean() - top1_p[bins == b].mean()) * (bins == b).mean()
              for b in range(10) if np.any(bins == b))
    return {
        "rows": int(len(y)),
        "top1": round(float(correct.mean()), 4),
        "top5": round(float((ranks < 5).mean()), 4),
        "mean_confidence_top1": round(float(top1_p.mean()), 4),
        "ece": round(float(ece), 4),
    }
