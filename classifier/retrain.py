"""Retraining on the central service: confirmed tickets (operators' corrections included) -> a new model."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from classifier.model import ModelError, load_model, save_model
from classifier.training import LabeledRows, TrainingError, TrainOptions, taxonomy_groups, train_rows

MIN_ROWS = 20


def retrain_from_rows(rows: Iterable[dict], out: Path, base: Path | None = None,
                      options: TrainOptions | None = None, taxonomy_version: str | None = None,
                      groups: dict[str, str] | None = None) -> Path:
    """Trains from rows {text, label[, request_type, sub_district_code]} and writes the model folder `out`.

    base: the model folder in use, whose taxonomy version is kept unless one is given. Raises TrainingError
    when the rows cannot make a model (too few, one label only); the model in use stays as it was.
    """
    texts, labels, contexts = [], [], []
    for row in rows:
        text = str(row.get("text") or "").strip()
        label = str(row.get("label") or "").strip()
        if not text or not label:
            continue  # a ticket without description or type teaches nothing
        texts.append(text)
        labels.append(label)
        contexts.append((row.get("request_type") or None, row.get("sub_district_code") or None))
    if len(texts) < MIN_ROWS:
        raise TrainingError(
            f"Only {len(texts)} confirmed ticket(s) with text and type; at least {MIN_ROWS} are needed to retrain."
        )
    if taxonomy_version is None:
        taxonomy_version = "none"
        if base is not None:
            try:
                taxonomy_version = load_model(Path(base)).taxonomy_version
            except (ModelError, OSError):  # an unreadable base model does not stop retraining
                pass
        if taxonomy_version == "none":
            from classifier.training import _taxonomy_version_for

            taxonomy_version = _taxonomy_version_for(set(labels))
    with_context = any(rt or sd for rt, sd in contexts)
    model = train_rows(LabeledRows(texts, labels, contexts if with_context else None), options=options,
                       groups=groups or taxonomy_groups(set(labels)), taxonomy_version=taxonomy_version)
    save_model(model, Path(out))
    return Path(out)

