"""Prints figures for the domain data: demo-data generation speed, taxonomy search, address resolution, routing, SLA."""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.demo_data import generate, write_csv  # noqa: E402
from domain.gazetteer import load_gazetteer  # noqa: E402
from domain.routing import route  # noqa: E402
from domain.sla import sla_clock  # noqa: E402
from domain.taxonomy import load_taxonomy  # noqa: E402


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2] * 1000
    p99 = ordered[int(len(ordered) * 0.99)] * 1000
    return f"p50 {p50:.3f} ms, p99 {p99:.3f} ms"


def timed(fn, args_list) -> list[float]:
    samples = []
    for args in args_list:
        start = time.perf_counter()
        fn(*args)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    rows_n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    start = time.perf_counter()
    taxonomy = load_taxonomy()
    gazetteer = load_gazetteer()
    print(f"load taxonomy ({len(taxonomy.leaves())} types) + gazetteer: {time.perf_counter() - start:.2f} s")

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        written = write_csv(Path(folder) / "demo.csv", rows_n, seed=1)
        elapsed = time.perf_counter() - start
        size = (Path(folder) / "demo.csv").stat().st_size
    print(f"write_csv {written:,} rows: {elapsed:.1f} s ({written / elapsed:,.0f} rows/s, {size / 1e6:.0f} MB)")

    sample = list(generate(2000, seed=2))
    queries = [r["description"][:2] for r in sample[:1000]] + ["zy", "dt", "elev", "01.02", "噪音扰民"] * 40
    print("taxonomy.search:", percentiles(timed(taxonomy.search, [(q,) for q in queries])))
    print("gazetteer.resolve:", percentiles(timed(gazetteer.resolve, [(r["incident_address"],) for r in sample])))
    print("gazetteer.complete:", percentiles(timed(gazetteer.complete, [(r["incident_address"][3:5],) for r in sample])))
    print("route:", percentiles(timed(route, [(r["category_code"], r["sub_district_code"]) for r in sample])))
    dispatched = datetime(2026, 9, 30, 15, 0)
    print("sla_clock:", percentiles(timed(sla_clock, [(dispatched, taxonomy.get(r["category_code"]), r["urgency"])
                                                   for r in sample])))


def learnability(train_n: int = 150_000, test_n: int = 10_000) -> None:
    """A plain baseline (char 1-3-gram TF-IDF + complement naive Bayes) on the demo data: how learnable it is."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import ComplementNB

    train = list(generate(train_n, seed=1))
    test = list(generate(test_n, seed=2))
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
    model = ComplementNB(alpha=0.1).fit(vectorizer.fit_transform([r["description"] for r in train]),
                                        [r["category_code"] for r in train])

    def top(texts, labels):
        order = np.argsort(-model.predict_log_proba(vectorizer.transform(texts)), axis=1)[:, :5]
        classes = model.classes_
        return (np.mean([label == classes[o[0]] for label, o in zip(labels, order)]),
                np.mean([label in classes[o] for label, o in zip(labels, order)]))

    labels = [r["category_code"] for r in test]
    full = top([r["description"] for r in test], labels)
    first = top([r["description"][:15] for r in test], labels)
    print(f"learnability (NB baseline, {train_n:,} train / {test_n:,} test): full text top-1 {full[0]:.3f} "
          f"top-5 {full[1]:.3f}; first 15 characters top-1 {first[0]:.3f} top-5 {first[1]:.3f}")


if __name__ == "__main__":
    main()
    learnability()
