"""Suggestion model figures: latency per keystroke, size, memory, load and training time, accuracy, options.

    .venv/bin/python bench/bench_classifier.py            # 200,000 generated tickets, default options
    .venv/bin/python bench/bench_classifier.py --compare cnb-only,no-prefixes,previous-nb,svm-groups --full

Accuracy here is on generated tickets only; bench/bench_quality.py puts it beside baselines on real,
long-tailed and city-catalogue data as well.
"""

from __future__ import annotations

import argparse
import os

# One core for the figures: the budgets are per core and the console scores on the UI's worker thread.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from classifier.evaluation import macro_f1, model_bytes  # noqa: E402
from classifier.model import save_model  # noqa: E402
from classifier.suggester import Suggester  # noqa: E402
from classifier.training import LabeledRows, TrainOptions, train_rows  # noqa: E402

REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "citizen_messages_zh.csv"


def load_tickets(n: int, seed: int):
    """Demo tickets over the shipped taxonomy (2,000+ types), with each type's first-level group."""
    from domain.demo_data import generate
    from domain.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    keep = ("description", "category_code", "request_type", "sub_district_code")
    # Only the fields training reads: a million full rows would take gigabytes.
    rows = [{key: row[key] for key in keep} for row in generate(n, seed=seed)]
    groups = {}
    for row in rows:
        code = row["category_code"]
        if code not in groups:
            path = taxonomy.path(code)
            groups[code] = path[0].code if path else "other"
    return rows, groups, f"domain.demo_data over taxonomy {taxonomy.version}"


def to_labeled(rows) -> LabeledRows:
    return LabeledRows(
        [r["description"] for r in rows],
        [r["category_code"] for r in rows],
        [(r.get("request_type"), r.get("sub_district_code")) for r in rows],
    )


def accuracy(suggester: Suggester, rows, cut: int | None) -> dict:
    hits = {1: 0, 3: 0, 5: 0}
    predicted, truth = [], []
    for row in rows:
        text = row["description"] if cut is None else row["description"][:cut]
        codes = [s.code for s in suggester.suggest(text)]
        for k in hits:
            hits[k] += row["category_code"] in codes[:k]
        predicted.append(codes[0])
        truth.append(row["category_code"])
    n = len(rows)
    return {f"top{k}": round(v / n, 4) for k, v in hits.items()} | {"macro_f1": round(macro_f1(truth, predicted), 4)}


def keystroke_latency(suggester: Suggester, texts: list[str], max_calls: int = 20000) -> dict:
    """Every prefix of every text, as typed one character at a time."""
    calls = [text[:i] for text in texts for i in range(1, len(text) + 1)][:max_calls]
    for text in calls[:200]:
        suggester.suggest(text)  # warm up
    times = np.empty((3, len(calls)))
    for run in range(3):
        for i, text in enumerate(calls):
            started = time.perf_counter()
            suggester.suggest(text)
            times[run, i] = time.perf_counter() - started
    ms = times[0] * 1000.0
    # The machine is shared: a keystroke's best of three runs shows the cost without other people's load.
    best = times.min(axis=0) * 1000.0
    return {"calls": len(calls), "p50_ms": round(float(np.percentile(ms, 50)), 3),
            "p99_ms": round(float(np.percentile(ms, 99)), 3), "max_ms": round(float(ms.max()), 3),
            "best_of_3_p50_ms": round(float(np.percentile(best, 50)), 3),
            "best_of_3_p99_ms": round(float(np.percentile(best, 99)), 3)}


LOAD_PROBE = """
import os, sys, time, resource
sys.path.insert(0, {root!r})
import numpy, scipy.sparse
from classifier.suggester import Suggester
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
before = rss()
started = time.perf_counter()
s = Suggester.load({model!r}, corrections=False)
s.suggest("小区楼下广场舞噪音扰民")
loaded = time.perf_counter() - started
print(loaded, before, rss(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def load_figures(model_dir: Path) -> dict:
    """Load time and resident memory in a fresh process (so nothing else is counted)."""
    code = LOAD_PROBE.format(root=str(Path(__file__).resolve().parents[1]), model=str(model_dir))
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        runs.append([float(x) for x in out])
    best = min(runs, key=lambda r: r[0])
    return {"load_s": round(best[0], 3), "rss_mb_process": round(best[2] / 2**20, 1),
            "rss_mb_model": round((best[2] - best[1]) / 2**20, 1)}


def real_messages(limit: int = 300) -> list[str] | None:
    if not REAL_DATA.is_file():
        return None
    import csv

    with open(REAL_DATA, newline="", encoding="utf-8") as handle:
        return [row["detail"] for row, _ in zip(csv.DictReader(handle), range(limit))]


def run_option(name: str, train, groups, test, options: TrainOptions, out_root: Path, detail: bool) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    model = train_rows(train, options=options, groups=groups, progress=lambda m: print(f"    {m}", flush=True))
    train_s = time.perf_counter() - started
    train_cpu_s = time.process_time() - cpu
    model_dir = save_model(model, out_root / name)
    suggester = Suggester.load(model_dir, corrections=False)
    figures = {"option": name, "train_s": round(train_s, 1), "train_cpu_s": round(train_cpu_s, 1), "model_mb": round(model_bytes(model_dir) / 2**20, 2),
               "weights": model.extra["training"]["weights"], "features": model.extra["training"]["features"]}
    figures["full"] = accuracy(suggester, test, None)
    figures["first15"] = accuracy(suggester, test, 15)
    figures["keystroke"] = keystroke_latency(suggester, [r["description"] for r in test[:300]])
    if detail:
        figures.update(load_figures(model_dir))
        real = real_messages()
        figures["keystroke_real_messages"] = (
            keystroke_latency(suggester, real, max_calls=20000) if real else "not measured: ../shared/data absent"
        )
        figures["temperatures"] = [model.group_temperature, model.type_temperature]
        figures["holdout"] = model.extra["training"]["holdout"]
    return figures


VARIANTS = {
    # name: (options, use the taxonomy's domains as groups (the earlier recipes only))
    "default": (TrainOptions(), False),
    "cnb-only": (TrainOptions(algorithm="cnb"), False),
    "no-prefixes": (TrainOptions(prefix_copies=0), False),
    "ngrams-1-3": (TrainOptions(han_ngrams=(1, 2, 3), max_features=400_000), False),
    "candidates-10": (TrainOptions(rerank_candidates=10), False),
    # The earlier default: multinomial naive Bayes within the taxonomy's domains, 200 types kept per feature.
    "previous-nb": (TrainOptions(algorithm="nb", han_ngrams=(1, 2, 3), min_df=2, max_features=400_000,
                                 prefix_copies=2), True),
    # Linear SVMs within each domain: training grows with rows x types of a domain.
    "svm-groups": (TrainOptions(algorithm="svm", han_ngrams=(1, 2, 3), min_df=2, max_features=400_000), True),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--test", type=int, default=3000)
    parser.add_argument("--compare", default="", help=f"other options to train and compare: {','.join(VARIANTS)}")
    parser.add_argument("--compare-tickets", type=int, default=100_000)
    parser.add_argument("--full", action="store_true", help="also train on 1,000,000 tickets (slow)")
    args = parser.parse_args()

    started = time.perf_counter()
    rows, groups, source = load_tickets(args.tickets, seed=12345)
    test, _, _ = load_tickets(args.test, seed=777)
    print(f"data: {len(rows)} training tickets, {len(set(r['category_code'] for r in rows))} types ({source}), "
          f"{len(test)} test tickets; generated in {time.perf_counter() - started:.1f} s", flush=True)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        print(f"== default options, {len(rows)} tickets", flush=True)
        result = run_option("default", to_labeled(rows), None, test, TrainOptions(), Path(tmp), detail=True)
        result["tickets"] = len(rows)
        print(json.dumps(result, ensure_ascii=False), flush=True)
        results.append(result)
        del rows
        compare = [name for name in args.compare.split(",") if name]
        if compare:
            small, small_groups, _ = load_tickets(args.compare_tickets, seed=12345)
            for name in compare:
                options, use_groups = VARIANTS[name]
                print(f"== option {name}, {len(small)} tickets", flush=True)
                result = run_option(name, to_labeled(small), small_groups if use_groups else None, test, options,
                                    Path(tmp), detail=False)
                result["tickets"] = len(small)
                print(json.dumps(result, ensure_ascii=False), flush=True)
                results.append(result)
        if args.full:
            print("== 1,000,000 tickets", flush=True)
            big, big_groups, _ = load_tickets(1_000_000, seed=4242)
            started, cpu = time.perf_counter(), time.process_time()
            model = train_rows(to_labeled(big), options=TrainOptions(),
                               progress=lambda m: print(f"    {m}", flush=True))
            # CPU time too: on a shared machine the wall clock also counts other people's work.
            print(json.dumps({"train_1m_s": round(time.perf_counter() - started, 1),
                              "train_1m_cpu_s": round(time.process_time() - cpu, 1),
                              "weights": model.extra["training"]["weights"]}), flush=True)

    first = results[0]
    print("\n== summary (suggestions on one thread; OMP/OPENBLAS threads = 1)")
    print(f"keystroke latency (every prefix of {first['keystroke']['calls']} generated keystrokes): "
          f"p50 {first['keystroke']['p50_ms']} ms, p99 {first['keystroke']['p99_ms']} ms; best of 3 runs per "
          f"keystroke: p50 {first['keystroke']['best_of_3_p50_ms']} ms, p99 {first['keystroke']['best_of_3_p99_ms']} ms")
    real = first["keystroke_real_messages"]
    if isinstance(real, dict):
        print(f"keystroke latency on real citizen messages (../shared/data, {real['calls']} keystrokes): "
              f"p50 {real['p50_ms']} ms, p99 {real['p99_ms']} ms; best of 3: p50 {real['best_of_3_p50_ms']} ms, "
              f"p99 {real['best_of_3_p99_ms']} ms")
    else:
        print(f"keystroke latency on real citizen messages: {real}")
    print(f"model on disk {first['model_mb']} MB; loaded model RSS {first['rss_mb_model']} MB "
          f"(whole process {first['rss_mb_process']} MB); load {first['load_s']} s")
    rate = first["train_s"] / first["tickets"]
    print(f"training {first['tickets']} tickets: {first['train_s']} s ({first['train_cpu_s']} s CPU); 1,000,000 "
          f"extrapolated linearly: {rate * 1_000_000 / 60:.1f} min (measured with --full)")
    print(f"calibration (held-out, full and half-typed): {first['holdout']}")
    for r in results:
        print(f"{r['option']:>12} ({r['tickets']} tickets): train {r['train_s']} s, model {r['model_mb']} MB, "
              f"{r['weights']} weights, keystroke p50 {r['keystroke']['p50_ms']} ms p99 {r['keystroke']['p99_ms']} ms, "
              f"full text top1/3/5 {r['full']['top1']}/{r['full']['top3']}/{r['full']['top5']}, "
              f"first 15 chars {r['first15']['top1']}/{r['first15']['top3']}/{r['first15']['top5']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
