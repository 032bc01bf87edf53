"""Building the starter suggestion model for a catalogue, in a process of its own (so the service keeps answering).

`python -m server.starter_build --catalogue FILE --out DIR [--seed N]` prints its progress on stdout, one line
at a time, for the service's log. The recipe is classifier.starter.build_starter_model; where that is not
installed (or HOTLINE_STARTER_RECIPE=demo), the demo model's quicker recipe over generated tickets of the same
catalogue stands in.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from domain import config

log = logging.getLogger("hotline.server.starter")

STARTER_SEED = 12345
FALLBACK_TICKETS = config.STARTER_FALLBACK_TICKETS.default


def _builder():
    """classifier.starter.build_starter_model, or None while this installation has no starter recipe."""
    try:
        from classifier.starter import build_starter_model
    except ImportError:
        return None
    return build_starter_model


def packaged_starter_for(taxonomy_version: str) -> Path | None:
    """The starter model shipped in the package, when there is one and it was made for this catalogue version."""
    try:
        from classifier.starter import packaged_starter_dir

        folder = packaged_starter_dir()
    except ImportError:
        return None
    except Exception:
        log.warning("the packaged starter model cannot be found", exc_info=True)
        return None
    if folder is None:
        return None
    from classifier.model import ModelError, read_meta

    try:
        meta = read_meta(Path(folder))
    except ModelError:
        return None
    return Path(folder) if str(meta.get("taxonomy_version")) == taxonomy_version else None


def build(catalogue_file: Path, out: Path, seed: int = STARTER_SEED) -> Path:
    """The starter model for the catalogue in `catalogue_file` (stored format), written to `out`."""
    from domain.taxonomy import installed_catalogue_path, parse_catalogue_text

    text = Path(catalogue_file).read_text(encoding="utf-8")
    taxonomy = parse_catalogue_text(text)
    # Anything in the recipe that reads "the installed catalogue" reads this one: a home of this process's own.
    home = Path(tempfile.mkdtemp(prefix="hotline-starter-home-"))
    os.environ["HOTLINE_HOME"] = str(home)
    target = installed_catalogue_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    # HOTLINE_STARTER_RECIPE=demo: the demo model's quicker recipe (tests, small trial machines).
    builder = _builder() if config.STARTER_RECIPE.get() != "demo" else None
    if builder is not None:
        log.info("building the starter model for catalogue %s (%d types)", taxonomy.version, len(taxonomy.leaves()))
        return Path(builder(taxonomy, Path(out), seed=seed))
    from classifier.default_model import build_default_model

    tickets = config.STARTER_FALLBACK_TICKETS.get()
    log.info("building a stand-in starter model for catalogue %s from %d generated tickets", taxonomy.version, tickets)
    return Path(build_default_model(Path(out), tickets=tickets, seed=seed))


def _end_with_parent() -> None:
    """A service killed outright (power cut, SIGKILL) cannot stop its build: the build notices it has lost its
    parent and ends, rather than run on for minutes for nobody."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)  # a poll interval of a watchdog, not a wait for a result
        os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server.starter_build")
    parser.add_argument("--catalogue", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=STARTER_SEED)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
    _end_with_parent()
    try:
        os.nice(10)  # the service's requests come first
    except (AttributeError, OSError):
        pass
    started = time.monotonic()
    build(Path(args.catalogue), Path(args.out), args.seed)
    log.info("starter model written in %.1f s", time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
