"""Model packages for download through sync: a zip of the model folder, verified before it is installed."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from classifier.model import DATA_FILES, META_FILE, ModelError, load_model, read_meta, verify_files

PACKAGE_FILES = (META_FILE, *DATA_FILES)
MAX_PACKAGE_BYTES = 200 * 1024 * 1024
MAX_MEMBER_BYTES = 200 * 1024 * 1024


class PackageError(ModelError):
    """A downloaded model package that is damaged, tampered with or not a model; it is not installed."""


def build_package(model_dir: Path) -> bytes:
    """The model folder as zip bytes (checks the folder first, so a damaged model is never published)."""
    model_dir = Path(model_dir)
    meta = read_meta(model_dir)
    verify_files(model_dir, meta)
    buffer = io.BytesIO()
    # Stored, not deflated: the weights barely compress and the console unpacks faster.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in PACKAGE_FILES:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # same bytes for the same model
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, (model_dir / name).read_bytes())
    return buffer.getvalue()


def package_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def install_package(data: bytes, expected_sha256: str, dest_root: Path) -> Path:
    """Verifies a downloaded package and installs it as dest_root/<model version>; returns that folder.

    Nothing is unpickled: the package holds JSON, UTF-8 text and a NumPy archive read with allow_pickle=False.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise PackageError("The model package is not a byte string.")
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError("The model package is too large to be a suggestion model; it was not installed.")
    actual = hashlib.sha256(data).hexdigest()
    if not expected_sha256 or actual != expected_sha256.strip().lower():
        raise PackageError(
            "The downloaded model does not match its published checksum (damaged or tampered with); "
            "it was not installed. The console keeps using its current model and will try again."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise PackageError("The downloaded model is not a valid package; it was not installed.") from None
    with archive:
        names = archive.namelist()
        if sorted(names) != sorted(PACKAGE_FILES):
            raise PackageError(
                f"The model package holds unexpected files ({', '.join(sorted(names))}); it was not installed."
            )
        for info in archive.infolist():
            if info.file_size > MAX_MEMBER_BYTES:
                raise PackageError(f"The model package's {info.filename} is too large; it was not installed.")
        try:
            meta = json.loads(archive.read(META_FILE).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise PackageError("The model package's description cannot be read; it was not installed.") from None
        version = str(meta.get("version", "")) if isinstance(meta, dict) else ""
        if not version or not all(ch.isalnum() or ch in "-_." for ch in version) or version.startswith("."):
            raise PackageError("The model package has no usable version name; it was not installed.")
        dest_root = Path(dest_root)
        dest_root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".install-", dir=dest_root))
        try:
            for name in PACKAGE_FILES:
                (staging / name).write_bytes(archive.read(name))
            # Checks each file's checksum against the description, the format, and every array's shape.
            load_model(staging)
        except ModelError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise PackageError(f"The downloaded model failed its checks and was not installed: {exc}") from None
        except Exception:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    target = dest_root / version
    if target.exists():
        try:
            load_model(target)
            shutil.rmtree(staging, ignore_errors=True)
            return target  # the same version is already installed and intact
        except ModelError:
            shutil.rmtree(target, ignore_errors=True)
    os.rename(staging, target)
    return target
