"""The demo's default suggestion model, trained from generated demo tickets on first run (never committed)."""

from __future__ import annotations

import logging
from pathlib import Path

from classifier.model import ModelError, read_meta, verify_files
from classifier.training import LabeledRows, TrainOptions, train_rows
from domain import config

log = logging.getLogger("hotline.classifier")

DEFAULT_TICKETS = config.DEFAULT_MODEL_TICKETS.default
DEFAULT_SEED = 12345


def default_model_dir() -> Path:
    from domain.home import models_dir

    return models_dir() / "default"


def ensure_default_model(tickets: int | None = None) -> Path:
    """Returns HOTLINE_HOME/models/default, training it from the demo data first when it is missing or broken."""
    target = default_model_dir()
    if _intact(target):
        return target
    count = tickets or config.DEFAULT_MODEL_TICKETS.get()
    print(f"Training the default suggestion model from {count} generated tickets (first run only)...", flush=True)
    return build_default_model(target, count)


def build_default_model(target: Path, tickets: int = DEFAULT_TICKETS, seed: int = DEFAULT_SEED,
                        options: TrainOptions | None = None) -> Path:
    from classifier.model import save_model
    from domain.demo_data import generate
    from domain.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    texts, labels, contexts = [], [], []
    for row in generate(tickets, seed=seed):
        texts.append(row["description"])
        labels.append(row["category_code"])
        contexts.append((row.get("request_type") or None, row.get("sub_district_code") or None))
    groups = {}
    for code in set(labels):
        path = taxonomy.path(code)
        groups[code] = path[0].code if path else "other"
    model = train_rows(LabeledRows(texts, labels, contexts), options=options, groups=groups,
                       taxonomy_version=str(taxonomy.version))
    save_model(model, target)
    log.info("default suggestion model %s written to %s", model.version, target)
    return target


def _intact(model_dir: Path) -> bool:
    try:
        verify_files(model_dir, read_meta(model_dir))
        return True
    except ModelError:
        return False
