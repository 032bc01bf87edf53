"""Top-1 of the suggestion model against a tuned TF-IDF + linear SVM baseline on generated tickets by level.

Generated tickets labeled by first level (domain) and second level (category), where the SVM baseline is still
quick to train and its C can be tuned on a validation split. The comparison on real, long-tailed and
city-catalogue data, with complement naive Bayes as well, is bench/bench_quality.py.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from classifier.suggester import Suggester  # noqa: E402
from classifier.training import LabeledRows, TrainOptions, train_rows  # noqa: E402


def svm_baseline(train_texts, train_labels, val_texts, val_labels):
    """char 1-3-gram TF-IDF + LinearSVC, C chosen on a validation split (the "tuned" baseline)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
    X = vectorizer.fit_transform(train_texts)
    Xv = vectorizer.transform(val_texts)
    best = None
    for c in (0.3, 1.0):
        svm = LinearSVC(C=c)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            svm.fit(X, train_labels)
        score = float((svm.predict(Xv) == np.asarray(val_labels)).mean())
        if best is None or score > best[0]:
            best = (score, c, svm)
    return vectorizer, best[2], best[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--test", type=int, default=3000)
    args = parser.parse_args()

    from domain.demo_data import generate
    from domain.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    rows = list(generate(args.tickets + 2000, seed=31))
    train, val = rows[: args.tickets], rows[args.tickets :]
    test = list(generate(args.test, seed=777))
    print(f"data: {len(train)} train / {len(val)} validation / {len(test)} test generated tickets")
    print("real, long-tailed and city-catalogue data: see bench/bench_quality.py")

    def level(code: str, n: int) -> str:
        return taxonomy.path(code)[n - 1].code

    for n, name in ((1, "first level (domain)"), (2, "second level (category)")):
        y_train = [level(r["category_code"], n) for r in train]
        y_val = [level(r["category_code"], n) for r in val]
        y_test = [level(r["category_code"], n) for r in test]
        texts = [r["description"] for r in train]
        started = time.perf_counter()
        vectorizer, svm, c = svm_baseline(texts, y_train, [r["description"] for r in val], y_val)
        svm_s = time.perf_counter() - started
        started = time.perf_counter()
        model = train_rows(LabeledRows(texts, y_train), options=TrainOptions())
        ours_s = time.perf_counter() - started
        suggester = Suggester(model)
        for cut, label in ((None, "full text"), (15, "first 15 chars")):
            test_texts = [r["description"] if cut is None else r["description"][:cut] for r in test]
            svm_top1 = float((svm.predict(vectorizer.transform(test_texts)) == np.asarray(y_test)).mean())
            ours_top1 = float(np.mean([suggester.suggest(t, k=1)[0].code == y for t, y in zip(test_texts, y_test)]))
            print(f"{name:>24}, {label:>14}: {len(set(y_train))} labels; top-1 ours {ours_top1:.4f} "
                  f"(trained in {ours_s:.1f} s) vs TF-IDF+LinearSVC C={c} {svm_top1:.4f} (trained in {svm_s:.1f} s)",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
