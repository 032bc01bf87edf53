"""The suggestion model on disk: plain arrays (.npz without pickle), a vocabulary text file and JSON metadata."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from classifier.features import FeatureConfig, Vectorizer

FORMAT_NAME = "hotline-suggestion-model"
FORMAT_VERSION = 2
# Version 1 had no candidate re-ranking; such models still load and score as before.
READABLE_VERSIONS = (1, 2)
META_FILE = "model.json"
VOCAB_FILE = "vocab.txt"
WEIGHTS_FILE = "weights.npz"
DATA_FILES = (VOCAB_FILE, WEIGHTS_FILE)
WEIGHT_ARRAYS = ("idf", "indptr", "indices", "data", "bias", "length_weight", "group_sizes")


class ModelError(Exception):
    """A model folder that is missing, damaged, tampered with or of an unknown format."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class ModelData:
    """Everything a Suggester needs. Weights are one CSR matrix, features x columns, so scoring one text is a
    gather of the rows of its features; columns are the types (ordered by group) followed by the groups."""

    labels: list[str]
    group_names: list[str]
    group_sizes: np.ndarray  # types per group, in column order
    terms: list[str]
    idf: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    bias: np.ndarray  # one per column
    length_weight: np.ndarray  # one per column, times the text's L1 feature mass (naive Bayes' unseen-term cost)
    feature_config: FeatureConfig
    group_temperature: float = 1.0
    type_temperature: float = 1.0
    # Candidate re-ranking (format 2): the first n_types columns shortlist `candidates` types, the next n_types
    # columns re-score the shortlist; the rest of the types share `tail` of the probability by the first scores.
    rerank: dict = field(default_factory=dict)  # {"candidates": K, "blend": float, "tail": float} or empty
    version: str = ""
    taxonomy_version: str = "none"
    extra: dict = field(default_factory=dict)  # training figures and options, for people

    @property
    def n_types(self) -> int:
        return len(self.labels)

    @property
    def n_groups(self) -> int:
        return len(self.group_names)

    @property
    def n_columns(self) -> int:
        return self.n_types + (self.n_groups if self.n_groups > 1 else 0) + (self.n_types if self.rerank else 0)

    def vectorizer(self) -> Vectorizer:
        return Vectorizer(self.terms, self.idf, self.feature_config)


def save_model(model: ModelData, out: Path) -> Path:
    """Writes the model folder atomically (a temporary folder renamed into place)."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not _is_model_folder(out))):
        # Replacing a model swaps the whole folder: never do that to a folder that holds something else.
        raise ModelError(f"{out} exists and is not a model folder; choose a new or empty folder for the model.")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out.parent))
    for term in model.terms:
        if "\n" in term:
            raise ValueError(f"a feature term contains a line break: {term!r}")
    (staging / VOCAB_FILE).write_text("\n".join(model.terms), encoding="utf-8")
    # Compressed: float16 weights with many repeated small values shrink by about a third, which matters for the
    # starter model shipped in the package and for every download through sync.
    np.savez_compressed(
        staging / WEIGHTS_FILE,
        idf=model.idf.astype(np.float32),
        indptr=model.indptr,
        indices=model.indices,
        data=model.data,
        bias=model.bias.astype(np.float32),
        length_weight=model.length_weight.astype(np.float32),
        group_sizes=model.group_sizes.astype(np.int32),
    )
    meta = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "version": model.version,
        "taxonomy_version": model.taxonomy_version,
        "labels": model.labels,
        "groups": model.group_names,
        "feature_config": model.feature_config.to_json(),
        "group_temperature": model.group_temperature,
        "type_temperature": model.type_temperature,
        "rerank": model.rerank,
        "n_features": len(model.terms),
        "extra": model.extra,
        "files": {name: sha256_file(staging / name) for name in DATA_FILES},
    }
    (staging / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    if out.exists():
        # Swap: the old folder moves aside first so a reader never sees a half-written model.
        old = Path(tempfile.mkdtemp(prefix=".old-", dir=out.parent))
        os.rename(out, old / "model")
        os.rename(staging, out)
        _remove_tree(old)
    else:
        os.rename(staging, out)
    return out


def _is_model_folder(path: Path) -> bool:
    try:
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("format") == FORMAT_NAME


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def read_meta(model_dir: Path) -> dict:
    path = Path(model_dir) / META_FILE
    if not path.is_file():
        raise ModelError(f"No suggestion model in {model_dir} (its {META_FILE} is missing).")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"The model description {path} cannot be read: {exc}.") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise ModelError(f"{path} is not a suggestion model of this program.")
    if meta.get("format_version") not in READABLE_VERSIONS:
        raise ModelError(
            f"The model in {model_dir} has format version {meta.get('format_version')}; this program reads "
            f"versions {' and '.join(str(v) for v in READABLE_VERSIONS)}. Install a model made for this version."
        )
    files = meta.get("files")
    if not isinstance(files, dict) or set(files) != set(DATA_FILES):
        raise ModelError(f"The model description {path} does not list its files as expected.")
    return meta


def verify_files(model_dir: Path, meta: dict) -> None:
    for name, expected in meta["files"].items():
        path = Path(model_dir) / name
        if not path.is_file():
            raise ModelError(f"The model in {model_dir} is incomplete: {name} is missing. Reinstall the model.")
        if sha256_file(path) != expected:
            raise ModelError(
                f"The model file {path} does not match its checksum: it was changed or damaged. "
                "It was not loaded; reinstall or retrain the model."
            )


def load_model(model_dir: Path) -> ModelData:
    """Loads and checks a model folder; raises ModelError with a plain message on any problem."""
    model_dir = Path(model_dir)
    meta = read_meta(model_dir)
    verify_files(model_dir, meta)
    try:
        with np.load(model_dir / WEIGHTS_FILE, allow_pickle=False) as arrays:
            missing = [name for name in WEIGHT_ARRAYS if name not in arrays.files]
            if missing:
                raise ModelError(f"The model weights in {model_dir} lack {', '.join(missing)}.")
            loaded = {name: arrays[name] for name in WEIGHT_ARRAYS}
        terms_text = (model_dir / VOCAB_FILE).read_text(encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"The model in {model_dir} cannot be read: {exc}.") from None
    terms = terms_text.split("\n") if terms_text else []
    labels = [str(label) for label in meta["labels"]]
    groups = [str(group) for group in meta["groups"]]
    model = ModelData(
        labels=labels,
        group_names=groups,
        group_sizes=loaded["group_sizes"],
        terms=terms,
        idf=loaded["idf"],
        indptr=loaded["indptr"],
        indices=loaded["indices"],
        data=loaded["data"],
        bias=loaded["bias"],
        length_weight=loaded["length_weight"],
        feature_config=FeatureConfig.from_json(meta.get("feature_config", {})),
        group_temperature=float(meta.get("group_temperature", 1.0)),
        type_temperature=float(meta.get("type_temperature", 1.0)),
        rerank=_rerank_settings(meta.get("rerank"), model_dir),
        version=str(meta.get("version", "")),
        taxonomy_version=str(meta.get("taxonomy_version", "none")),
        extra=meta.get("extra", {}) or {},
    )
    _check_shapes(model, model_dir)
    return model


def _rerank_settings(value, model_dir: Path) -> dict:
    if not value:
        return {}
    try:
        settings = {"candidates": int(value["candidates"]), "blend": float(value["blend"]),
                    "tail": float(value["tail"])}
    except (TypeError, KeyError, ValueError):
        raise ModelError(f"The model description in {model_dir} has unreadable re-ranking settings; retrain it.") from None
    if settings["candidates"] < 1 or not 0.0 <= settings["tail"] < 1.0:
        raise ModelError(f"The model description in {model_dir} has impossible re-ranking settings; retrain it.")
    return settings


def _check_shapes(model: ModelData, model_dir: Path) -> None:
    n_columns = model.n_columns
    if model.rerank and model.n_groups > 1:
        raise ModelError(f"The model in {model_dir} mixes groups and re-ranking, which this program cannot score.")
    problems = []
    if len(model.terms) != len(model.idf):
        problems.append("vocabulary and idf differ in length")
    if len(model.indptr) != len(model.terms) + 1:
        problems.append("weight rows do not match the vocabulary")
    elif len(model.indptr) and (model.indptr[0] != 0 or model.indptr[-1] != len(model.indices)
                                or np.any(np.diff(model.indptr) < 0)):
        problems.append("weight row pointers are inconsistent")
    if len(model.indices) != len(model.data):
        problems.append("weight columns and values differ in length")
    if len(model.indices) and (int(model.indices.max()) >= n_columns or int(model.indices.min()) < 0):
        problems.append("a weight refers to a type that does not exist")
    if len(model.bias) != n_columns or len(model.length_weight) != n_columns:
        problems.append("intercepts do not match the types")
    if int(np.sum(model.group_sizes)) != model.n_types or len(model.group_sizes) != model.n_groups:
        problems.append("groups do not cover the types")
    if model.n_types < 2:
        problems.append("fewer than two types")
    if problems:
        raise ModelError(f"The model in {model_dir} is inconsistent ({'; '.join(problems)}); retrain it.")
