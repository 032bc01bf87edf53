"""The starter suggestion model: built from a catalogue alone, so suggestions work from a deployment's first call.

It learns from the catalogue's names, keywords and synonyms and from generated tickets over every type (evenly:
a starter knows nothing about which types a city hears most), part of them written the way citizens write to a
hotline. It needs nothing outside the repository. The shipped catalogue's starter ships in the package
(classifier/starter_model/); `python -m classifier.starter --out DIR` builds it again.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from classifier.model import save_model
from classifier.training import LabeledRows, TrainOptions, train_rows

log = logging.getLogger("hotline.classifier")

TICKETS_PER_TYPE = 24
MIN_TICKETS = 4000
# Smaller than a model trained on a city's own tickets: a starter ships inside the package and is replaced by
# the first model retrained from confirmed tickets.
STARTER_OPTIONS = dict(max_features=60_000, cnb_max_classes_per_feature=100, rerank_prune=0.1,
                       rerank_candidates=20, prefix_copies=1, holdout_share=0.05, holdout_max=3000)


def packaged_starter_dir() -> Path:
    """The starter model for the shipped catalogue, inside the package."""
    return Path(__file__).resolve().parent / "starter_model"


def catalogue_rows(taxonomy) -> tuple[list[str], list[str]]:
    """Short texts straight from the catalogue: each type's name, its keywords, and its place in the tree."""
    texts: list[str] = []
    labels: list[str] = []
    for leaf in taxonomy.leaves():
        chain = taxonomy.path(leaf.code)
        parents = "".join(c.name_zh for c in chain[:-1])
        words = [w for w in leaf.keywords if w and w != leaf.name_zh]
        own = [leaf.name_zh, f"{parents}{leaf.name_zh}", leaf.name_en, *words]
        subjects = leaf.subjects or [w for w in words if not w.isascii()][:3]
        problems = leaf.problems or []
        own.extend(f"{s}{p}" for s in subjects[:3] for p in problems[:3])
        for text in own:
            if text and text.strip():
                texts.append(text.strip())
                labels.append(leaf.code)
    return texts, labels


def build_starter_model(taxonomy, out_dir: Path, *, seed: int = 12345, tickets_per_type: int = TICKETS_PER_TYPE,
                        progress=None) -> Path:
    """Trains the starter model for `taxonomy` and writes it to out_dir; returns out_dir."""
    from domain.demo_data import generate

    say = progress or (lambda message: log.info("%s", message))
    started = time.perf_counter()
    leaves = taxonomy.leaves()
    if len(leaves) < 2:
        raise ValueError("A starter model needs a catalogue with at least two types.")
    n = max(MIN_TICKETS, tickets_per_type * len(leaves))
    texts, labels = catalogue_rows(taxonomy)
    contexts: list[tuple[str | None, str | None]] = [(None, None)] * len(texts)
    for row in generate(n, seed=seed, taxonomy=taxonomy, uniform_share=1.0):
        texts.append(row["description"])
        labels.append(row["category_code"])
        contexts.append((row.get("request_type") or None, row.get("sub_district_code") or None))
    say(f"starter model: {len(texts)} texts ({n} generated tickets) for {len(leaves)} types")
    model = train_rows(LabeledRows(texts, labels, contexts), options=TrainOptions(seed=seed, **STARTER_OPTIONS),
                       taxonomy_version=str(taxonomy.version), progress=say)
    model.extra["starter"] = {"tickets": n, "catalogue_texts": len(texts) - n, "seed": seed}
    save_model(model, Path(out_dir))
    say(f"starter model {model.version} written to {out_dir} in {time.perf_counter() - started:.0f} s")
    return Path(out_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier.starter", description=__doc__)
    parser.add_argument("--out", required=True, help="folder for the model (the package's: classifier/starter_model)")
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
    from domain.taxonomy import load_shipped_taxonomy

    build_starter_model(load_shipped_taxonomy(), Path(args.out), seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
