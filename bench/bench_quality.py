"""Suggestion quality on four kinds of data, the project's model beside two baselines, in one run on the same splits.

    .venv/bin/python bench/bench_quality.py                 # every set (about 20-40 min on 2 cores)
    .venv/bin/python bench/bench_quality.py --sets a,d      # some of them

Sets: (a) generated tickets over the shipped catalogue; (b) real citizen messages labeled by broad area
(bench/data/real_sample_domains.csv; 5-fold cross-validation); (c) a long-tailed set of 2,000 labels built
from real message fragments with a few label-specific words mixed in; (d) a city catalogue with its own codes
(made from a real category tree) installed with `hotline taxonomy import`, and generated tickets for it.
(b) and (c) need the reference data in ../shared/data (beside the repository); without it they are skipped
and the bench says so. Baselines: complement naive Bayes and LinearSVC (one-vs-rest, two processes) on
character 1-2-gram TF-IDF (scikit-learn), trained on full texts. Each set is scored on full texts and on
their first 15 characters (the call still being typed).
"""

from __future__ import annotations

import os

# One core for suggestion timings: the budgets are per core.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import csv  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from classifier.evaluation import model_bytes  # noqa: E402
from classifier.model import save_model  # noqa: E402
from classifier.suggester import Suggester  # noqa: E402
from classifier.training import LabeledRows, TrainOptions, train_rows  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
MESSAGES = SHARED / "citizen_messages_zh.csv"
CATEGORY_TREE = SHARED / "category_tree_zh.csv"
LABELS_B = ROOT / "bench" / "data" / "real_sample_domains.csv"
PREFIX = 15


# ------------------------------------------------------------------------------------------------- data sets

def read_messages() -> list[dict] | None:
    if not MESSAGES.is_file():
        return None
    with open(MESSAGES, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def message_text(row: dict) -> str:
    return f"{row['title']}。{row['detail']}"


def set_a(n_train: int, n_test: int):
    from domain.demo_data import generate

    train = [(r["description"], r["category_code"]) for r in generate(n_train, seed=12345)]
    test = [(r["description"], r["category_code"]) for r in generate(n_test, seed=777)]
    return train, test, "generated tickets (domain.demo_data), shipped catalogue"


def labeled_sample() -> list[tuple[str, str]] | None:
    """(text, domain code) of the hand-labeled real messages; rows whose text changed are refused."""
    messages = read_messages()
    if messages is None:
        return None
    out = []
    with open(LABELS_B, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            message = messages[int(row["row"])]
            digest = hashlib.sha256(f"{message['title']}\n{message['detail']}".encode("utf-8")).hexdigest()[:16]
            if digest != row["text_sha256"]:
                raise SystemExit(f"{LABELS_B}: row {row['row']} does not match the message it labeled")
            out.append((message_text(message), row["domain"]))
    return out


def folds(items: list, k: int, seed: int) -> list[tuple[list, list]]:
    """k train/test splits, each label spread over the folds."""
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    order.sort(key=lambda i: items[i][1])
    fold_of = {i: n % k for n, i in enumerate(order)}
    return [([items[i] for i in range(len(items)) if fold_of[i] != f], [items[i] for i in range(len(items)) if fold_of[i] == f])
            for f in range(k)]


def set_c(n_labels: int = 2000, head: int = 1000, tail: int = 25, seed: int = 7):
    """Real message fragments (20-80 characters) with 1-3 of a label's three words mixed in; Zipf-like sizes.

    Label words are two-character sequences of middling frequency in the real messages, so they also occur in
    other labels' background text. Train and test fragments come from different messages.
    """
    messages = read_messages()
    if messages is None:
        return None
    rng = random.Random(seed)
    texts = [message_text(m) for m in messages]
    rng.shuffle(texts)
    split = int(len(texts) * 0.8)
    pools = (texts[:split], texts[split:])
    counts: Counter = Counter()
    for text in texts:
        counts.update({text[i : i + 2] for i in range(len(text) - 1)
                       if "\u4e00" <= text[i] <= "\u9fff" and "\u4e00" <= text[i + 1] <= "\u9fff"})
    words = sorted(w for w, c in counts.items() if 3 <= c <= 60)
    rng.shuffle(words)
    train, test = [], []
    for label in range(n_labels):
        own = words[label * 3 : label * 3 + 3]
        size = max(tail, int(head / (label + 1)))
        n_test = max(5, size // 5)
        for j in range(size):
            pool = pools[1] if j < n_test else pools[0]
            text = pool[rng.randrange(len(pool))]
            length = rng.randint(20, 80)
            start = rng.randrange(max(1, len(text) - length))
            fragment = list(text[start : start + length])
            for word in rng.sample(own, rng.randint(1, 3)):
                at = rng.randrange(len(fragment) + 1)
                fragment[at:at] = list(word)
            (test if j < n_test else train).append(("".join(fragment), f"L{label:04d}"))
    rng.shuffle(train)
    return train, test, f"{n_labels} labels from real message fragments, {len(train) + len(test)} rows"


def city_catalogue(path: Path) -> int:
    """A catalogue in the import format with codes of its own (K01, K01-02, K01-02-003) from the real tree."""
    from pypinyin import lazy_pinyin

    with open(CATEGORY_TREE, newline="", encoding="utf-8") as handle:
        tree = [(r["level1"].strip(), r["level2"].strip(), r["level3"].strip()) for r in csv.DictReader(handle)]
    codes1: dict[str, str] = {}
    codes2: dict[tuple, str] = {}
    rows = []

    def english(name: str) -> str:
        return " ".join(lazy_pinyin(name)).capitalize() or name

    def keywords(name: str) -> str:
        import re

        parts = [p for p in re.split(r"[和与及、/（）()，,]", name) if len(p) >= 2 and p != name]
        return ";".join(parts)

    n_types = 0
    for level1, level2, level3 in tree:
        if level1 not in codes1:
            codes1[level1] = f"K{len(codes1) + 1:02d}"
            rows.append([codes1[level1], "", level1, english(level1), "", "", "", ""])
        if (level1, level2) not in codes2:
            code = f"{codes1[level1]}-{sum(1 for key in codes2 if key[0] == level1) + 1:02d}"
            codes2[(level1, level2)] = code
            rows.append([code, codes1[level1], level2, english(level2), keywords(level2), "", "", ""])
        parent = codes2[(level1, level2)]
        n_types += 1
        code = f"{parent}-{sum(1 for r in rows if r[1] == parent) + 1:03d}"
        rows.append([code, parent, level3, english(level3), keywords(level3), "district", "24", "5"])
    with open(path, "w", newline="", encoding="utf-8") as handle:
        handle.write("# version: city-bench-1\n")
        writer = csv.writer(handle)
        writer.writerow(["code", "parent", "name_zh", "name_en", "keywords", "unit_kind", "accept_hours",
                         "resolve_days"])
        writer.writerows(rows)
    return n_types


def set_d(home: Path, n_train: int, n_test: int):
    """Installs the city catalogue with `hotline taxonomy import` in a home of its own; tickets for it."""
    if not CATEGORY_TREE.is_file():
        return None
    home.mkdir(parents=True, exist_ok=True)
    catalogue = home / "city_catalogue.csv"
    city_catalogue(catalogue)
    env = dict(os.environ, HOTLINE_HOME=str(home))
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "taxonomy", "import", str(catalogue)],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"hotline taxonomy import failed: {done.stderr}")
    print(f"    {done.stdout.strip()}", flush=True)
    from domain import taxonomy as taxonomy_module
    from domain.demo_data import generate

    saved = os.environ.get("HOTLINE_HOME")
    os.environ["HOTLINE_HOME"] = str(home)
    try:
        taxonomy = taxonomy_module.load_taxonomy()
        train = [(r["description"], r["category_code"]) for r in generate(n_train, seed=12345, taxonomy=taxonomy)]
        test = [(r["description"], r["category_code"]) for r in generate(n_test, seed=777, taxonomy=taxonomy)]
    finally:
        if saved is None:
            os.environ.pop("HOTLINE_HOME", None)
        else:
            os.environ["HOTLINE_HOME"] = saved
    return train, test, f"city catalogue {taxonomy.version} ({len(taxonomy.leaves())} types, codes like " \
                        f"{taxonomy.leaves()[0].code}) installed by hotline taxonomy import; generated tickets"


# ------------------------------------------------------------------------------------------------- models

def topk(scores_rows, classes: np.ndarray, truth: list[str]) -> tuple[float, float]:
    hits1 = hits5 = 0
    for scores, label in zip(scores_rows, truth):
        top = classes[np.argsort(-scores)[:5]]
        hits1 += top[0] == label
        hits5 += label in top
    return hits1 / len(truth), hits5 / len(truth)


def chunked_scores(function, X, chunk: int = 2000):
    for start in range(0, X.shape[0], chunk):
        yield from function(X[start : start + chunk])


class Baselines:
    """ComplementNB and LinearSVC on character 1-2-gram TF-IDF (the settings the issue measured with)."""

    def __init__(self, train: list[tuple[str, str]], svm: bool = True):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.naive_bayes import ComplementNB
        from sklearn.svm import LinearSVC

        texts = [t for t, _ in train]
        labels = np.asarray([y for _, y in train])
        self.classes = np.asarray(sorted(set(labels)))
        started = time.perf_counter()
        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=3 if len(train) > 1000 else 1,
                                          max_features=60000, sublinear_tf=True)
        X = self.vectorizer.fit_transform(texts)
        self.cnb = ComplementNB(alpha=0.1)
        # partial_fit in chunks: fit() builds a dense rows x labels matrix (GBs for 2,000 labels).
        for start in range(0, X.shape[0], 5000):
            self.cnb.partial_fit(X[start : start + 5000], labels[start : start + 5000], classes=self.classes)
        self.cnb_s = time.perf_counter() - started
        self.svm = None
        if svm:
            started = time.perf_counter()
            self.svm = OneVsRestClassifier(LinearSVC(C=0.5), n_jobs=2)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.svm.fit(X, labels)
            self.svm_s = time.perf_counter() - started

    def scores(self, texts: list[str], truth: list[str]) -> dict:
        X = self.vectorizer.transform(texts)
        out = {"ComplementNB": topk(chunked_scores(lambda part: part @ self.cnb.feature_log_prob_.T, X),
                                    self.cnb.classes_, truth)}
        if self.svm is not None:
            out["LinearSVC"] = topk(chunked_scores(self.svm.decision_function, X), self.svm.classes_, truth)
        return out


PROJECT_OPTIONS: dict = {}  # the project's defaults; a variant can be tried with --option NAME=VALUE


def project_model(train: list[tuple[str, str]], out: Path) -> tuple[Suggester, dict]:
    started, cpu = time.perf_counter(), time.process_time()
    model = train_rows(LabeledRows([t for t, _ in train], [y for _, y in train]),
                       options=TrainOptions(**PROJECT_OPTIONS))
    figures = {"train_s": round(time.perf_counter() - started, 1), "train_cpu_s": round(time.process_time() - cpu, 1)}
    model_dir = save_model(model, out)
    figures["model_mb"] = round(model_bytes(model_dir) / 2**20, 2)
    return Suggester.load(model_dir, corrections=False), figures


def project_scores(suggester: Suggester, texts: list[str], truth: list[str]) -> tuple[float, float]:
    hits1 = hits5 = 0
    for text, label in zip(texts, truth):
        codes = [s.code for s in suggester.suggest(text, k=5)]
        hits1 += bool(codes) and codes[0] == label
        hits5 += label in codes
    return hits1 / len(truth), hits5 / len(truth)


def keystrokes(suggester: Suggester, texts: list[str], max_calls: int = 6000) -> dict:
    """Every prefix of the texts as typed; three runs, and each keystroke's best of the three (the machine is
    shared, so the best shows the cost without other people's load)."""
    calls = [text[:i] for text in texts for i in range(1, min(len(text), 120) + 1)][:max_calls]
    for text in calls[:200]:
        suggester.suggest(text)
    times = np.empty((3, len(calls)))
    for run in range(3):
        for i, text in enumerate(calls):
            started = time.perf_counter()
            suggester.suggest(text)
            times[run, i] = time.perf_counter() - started
    single, best = times[0] * 1000, times.min(axis=0) * 1000
    return {"calls": len(calls), "p50_ms": round(float(np.percentile(single, 50)), 3),
            "p99_ms": round(float(np.percentile(single, 99)), 3),
            "best_p50_ms": round(float(np.percentile(best, 50)), 3),
            "best_p99_ms": round(float(np.percentile(best, 99)), 3)}


def compare(name: str, train, test, tmp: Path, svm: bool = True, latency: bool = False) -> dict:
    print(f"== ({name}) {len(train)} train / {len(test)} test, {len(set(y for _, y in train))} labels", flush=True)
    suggester, figures = project_model(train, tmp / f"model-{name}")
    baselines = Baselines(train, svm=svm)
    figures["cnb_train_s"] = round(baselines.cnb_s, 1)
    if baselines.svm is not None:
        figures["svm_train_s"] = round(baselines.svm_s, 1)
    truth = [y for _, y in test]
    for cut in (None, PREFIX):
        texts = [t if cut is None else t[:cut] for t, _ in test]
        key = "full" if cut is None else "first15"
        figures[key] = {"project": project_scores(suggester, texts, truth), **baselines.scores(texts, truth)}
    if latency:
        figures["keystroke"] = keystrokes(suggester, [t for t, _ in test[:200]])
    print(json.dumps(figures, ensure_ascii=False), flush=True)
    return figures


def cross_validated(name: str, items, tmp: Path, k: int = 5) -> dict:
    """The same figures over k folds (each row tested once, by models that never saw it)."""
    print(f"== ({name}) {len(items)} labeled real messages, {k}-fold cross-validation, "
          f"{len(set(y for _, y in items))} labels", flush=True)
    sums: dict = {}
    for f, (train, test) in enumerate(folds(items, k, seed=5)):
        suggester, _ = project_model(train, tmp / f"model-{name}-{f}")
        baselines = Baselines(train)
        truth = [y for _, y in test]
        for cut in (None, PREFIX):
            texts = [t if cut is None else t[:cut] for t, _ in test]
            key = "full" if cut is None else "first15"
            for model, (top1, top5) in {"project": project_scores(suggester, texts, truth),
                                        **baselines.scores(texts, truth)}.items():
                entry = sums.setdefault(key, {}).setdefault(model, [0.0, 0.0])
                entry[0] += top1 * len(test)
                entry[1] += top5 * len(test)
    figures = {key: {model: (v[0] / len(items), v[1] / len(items)) for model, v in models.items()}
               for key, models in sums.items()}
    print(json.dumps(figures, ensure_ascii=False), flush=True)
    return figures


def starter_on_real(items, starter_dir: Path | None) -> dict:
    """The starter model's broad area (the domain with the most probability) on the labeled real messages."""
    from classifier.starter import packaged_starter_dir
    from domain.taxonomy import load_shipped_taxonomy

    taxonomy = load_shipped_taxonomy()
    model_dir = starter_dir or packaged_starter_dir()
    suggester = Suggester.load(model_dir, corrections=False)
    domain_of = np.asarray([taxonomy.path(code)[0].code for code in suggester.labels])
    domains = np.asarray(sorted(set(domain_of)))
    column = {d: i for i, d in enumerate(domains)}
    members = np.asarray([column[d] for d in domain_of])
    out = {}
    for cut in (None, PREFIX):
        hits1 = hits3 = 0
        for text, label in items:
            probs = np.bincount(members, weights=suggester.probabilities(text if cut is None else text[:cut]),
                                minlength=len(domains))
            top = domains[np.argsort(-probs)[:3]]
            hits1 += top[0] == label
            hits3 += label in top
        out["full" if cut is None else "first15"] = (hits1 / len(items), hits3 / len(items))
    out["model"] = str(model_dir)
    return out


# ------------------------------------------------------------------------------------------------- report

def verdict(figures: dict) -> str:
    baselines = {m: v for m, v in figures.items() if m != "project"}
    best1 = max(v[0] for v in baselines.values())
    best5 = max(v[1] for v in baselines.values())
    ours = figures["project"]
    ok = ours[0] >= best1 - 0.01 and ours[1] >= best5 - 0.005
    return "holds" if ok else "BELOW the best baseline"


def table(results: dict) -> None:
    print("\n== summary: top-1 / top-5 (project model vs baselines, same split)")
    print(f"{'set':<34} {'text':<9} {'project':>15} {'ComplementNB':>15} {'LinearSVC':>15}  bar")
    for name, figures in results.items():
        for key, label in (("full", "full"), ("first15", "first 15")):
            row = figures[key]

            def cell(model):
                return f"{row[model][0]:.3f} / {row[model][1]:.3f}" if model in row else "not run"
            print(f"{name:<34} {label:<9} {cell('project'):>15} {cell('ComplementNB'):>15} {cell('LinearSVC'):>15}"
                  f"  {verdict(row)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="a,b,c,d")
    parser.add_argument("--a-train", type=int, default=30000)
    parser.add_argument("--d-train", type=int, default=15000)
    parser.add_argument("--test", type=int, default=3000)
    parser.add_argument("--starter", type=Path, default=None, help="starter model folder (default: the packaged one)")
    parser.add_argument("--option", action="append", default=[], help="a training option to try, NAME=VALUE")
    args = parser.parse_args()
    for item in args.option:
        key, _, value = item.partition("=")
        PROJECT_OPTIONS[key] = json.loads(value)
    if PROJECT_OPTIONS:
        print(f"project model options: {PROJECT_OPTIONS}")
    wanted = set(args.sets.split(","))
    if not SHARED.is_dir():
        print(f"reference data: {SHARED} is not here; sets (b), (c) and (d) and the real-message figures are "
              "skipped (they need ../shared/data beside the repository)")
    else:
        print(f"reference data: {SHARED}")
    results: dict = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if "a" in wanted:
            train, test, source = set_a(args.a_train, args.test)
            print(f"(a) {source}")
            results["(a) generated, 2,055 types"] = compare("a", train, test, tmp, latency=True)
        if "b" in wanted:
            items = labeled_sample()
            if items is None:
                print("(b) skipped: ../shared/data/citizen_messages_zh.csv is not here")
            else:
                print(f"(b) {len(items)} real messages labeled by broad area ({LABELS_B.relative_to(ROOT)})")
                results["(b) real messages, broad area"] = cross_validated("b", items, tmp)
                starter = starter_on_real(items, args.starter)
                cv = results["(b) real messages, broad area"]
                print(f"starter model on (b), broad area, never trained on real messages ({starter['model']}): "
                      f"top-1 {starter['full'][0]:.3f} (top-3 {starter['full'][1]:.3f}) full text, "
                      f"{starter['first15'][0]:.3f} first 15 characters; trained on the rest of (b), 5-fold: "
                      f"project {cv['full']['project'][0]:.3f}, ComplementNB {cv['full']['ComplementNB'][0]:.3f}, "
                      f"LinearSVC {cv['full']['LinearSVC'][0]:.3f}", flush=True)
        if "c" in wanted:
            built = set_c()
            if built is None:
                print("(c) skipped: ../shared/data/citizen_messages_zh.csv is not here")
            else:
                train, test, source = built
                print(f"(c) {source}")
                results["(c) long tail, 2,000 labels"] = compare("c", train, test, tmp, latency=True)
        if "d" in wanted:
            built = set_d(tmp / "city-home", args.d_train, args.test)
            if built is None:
                print("(d) skipped: ../shared/data/category_tree_zh.csv is not here")
            else:
                train, test, source = built
                print(f"(d) {source}")
                results["(d) city catalogue, own codes"] = compare("d", train, test, tmp)
    table(results)
    for name, figures in results.items():
        if "keystroke" in figures:
            k = figures["keystroke"]
            print(f"{name}: keystroke p50 {k['p50_ms']} ms, p99 {k['p99_ms']} ms (best of 3 per keystroke: p50 "
                  f"{k['best_p50_ms']} ms, p99 {k['best_p99_ms']} ms; {k['calls']} keystrokes, one core)")
        if "model_mb" in figures:
            print(f"{name}: model {figures['model_mb']} MB; training {figures['train_s']} s "
                  f"({figures['train_cpu_s']} s CPU); ComplementNB {figures.get('cnb_train_s')} s, "
                  f"LinearSVC {figures.get('svm_train_s', 'not run')} s")
    print(f"bench time {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
