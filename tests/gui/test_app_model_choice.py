"""Which suggestion model a starting console loads: the newest complete one, never a half-installed folder."""

from __future__ import annotations

import os
import shutil

from console.context import default_model_dir
from tests.gui.test_intake_support import trained_model_dir  # noqa: F401


def test_newest_complete_model_wins_and_hidden_or_partial_folders_never_count(hotline_home, trained_model_dir):
    models = hotline_home / "models"
    older = models / "20261101T000000Z-old"
    newer = models / "20261120T000000Z-new"
    for folder in (older, newer):
        shutil.copytree(trained_model_dir, folder)
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_800_000_000, 1_800_000_000))
    # A crash mid-install leaves a staging folder, and a broken copy lacks its description file: both newest.
    staging = models / ".staging-123"
    shutil.copytree(trained_model_dir, staging)
    partial = models / "20261125T000000Z-partial"
    partial.mkdir()
    for folder in (staging, partial):
        os.utime(folder, (1_900_000_000, 1_900_000_000))

    assert default_model_dir(embedded=False) == newer
