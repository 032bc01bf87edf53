"""The composition root's product: one AppContext holding what the console's parts share, passed down explicitly."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from console.operations import Operations
from console.settings import ConsoleSettings

log = logging.getLogger("hotline.console")

EMBEDDED_SERVICE = "embedded"  # what settings remember instead of the embedded service's changing URL


@dataclass
class SessionInfo:
    """Who is signed in, against which service; kept in settings so a restart (even offline) keeps it."""

    server_url: str
    token: str
    username: str
    role: str
    unit_code: str | None = None


class _SuggesterLoader(QObject):
    """Loads the model off the UI thread (a second or so) and hands it over on the UI thread."""

    loaded = Signal(object)
    _done = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._done.connect(self.loaded.emit, Qt.ConnectionType.QueuedConnection)

    def load(self, model_dir: Path | None, embedded: bool) -> None:
        def work() -> None:
            try:
                from classifier.suggester import Suggester

                where = model_dir or default_model_dir(embedded)
                if where is None:
                    log.info("no suggestion model yet: the operator picks categories with the search")
                    suggester = None
                else:
                    suggester = Suggester.load(Path(where))
            except Exception:  # boundary of the loading thread: intake goes on without suggestions
                log.exception("the suggestion model in %s could not be loaded", model_dir)
                suggester = None
            self._done.emit(suggester)

        threading.Thread(target=work, name="model-load", daemon=True).start()


class AppContext(QObject):
    """Cache, domain data, suggester, settings, session and the sync thread of one running console."""

    suggesterChanged = Signal(object)
    sessionChanged = Signal()
    taxonomyChanged = Signal(object)

    def __init__(self, home: Path, settings: ConsoleSettings, cache, taxonomy, gazetteer, server_url: str,
                 embedded: bool, suggester=None) -> None:
        super().__init__()
        self.home = home
        self.settings = settings
        self.cache = cache
        self.taxonomy = taxonomy
        self.gazetteer = gazetteer
        self.server_url = server_url.rstrip("/") if server_url else ""
        self.embedded = embedded
        self.suggester = suggester
        self.sync = None
        self.session: SessionInfo | None = None
        # The one write path every view uses: it pokes this console's sync and tells all views what changed.
        self.operations = Operations(cache, poke=self.poke_sync, author=self.username, role=self.role, parent=self)
        self._loader = _SuggesterLoader(self)
        self._loader.loaded.connect(self._on_suggester)
        self._catalogue = _CatalogueWatcher(getattr(taxonomy, "version", ""), self)
        self._catalogue.changed.connect(self._on_taxonomy)
        # The embedded service listens on a new port each start but is the same service (same database).
        self.service_key = EMBEDDED_SERVICE if embedded else self.server_url
        saved = settings.session()
        if saved and saved.get("server_url", "").rstrip("/") == self.service_key:
            self.session = SessionInfo(**{k: saved[k] for k in ("token", "username", "role", "unit_code")},
                                       server_url=self.server_url)

    # ---------------------------------------------------------------- session
    def username(self) -> str:
        return self.session.username if self.session else ""

    def role(self) -> str:
        return (self.session.role if self.session else "") or "operator"

    def token(self) -> str | None:
        """Called from the sync thread: reads one attribute, never touches Qt."""
        session = self.session
        return session.token if session and session.token else None

    def sign_in(self, session) -> None:
        self.session = SessionInfo(self.server_url, session.token, session.username, session.role or "operator",
                                   session.unit_code)
        self.settings.save_session(self.service_key, session.token, session.username, self.session.role, session.unit_code)
        self.sessionChanged.emit()
        self.poke_sync()

    def sign_out(self) -> None:
        if self.session:
            self.session.token = ""
        self.settings.forget_token()
        self.sessionChanged.emit()

    # ---------------------------------------------------------------- suggester
    def load_suggester_async(self, model_dir: Path | None = None) -> None:
        """Load `model_dir`, or the newest model available (None); the form gets it through suggesterChanged."""
        self._loader.load(Path(model_dir) if model_dir else None, self.embedded)

    def _on_taxonomy(self, taxonomy) -> None:
        """Another catalogue (the service's, through sync): search, routing and the form use it, and the model made
        for it is loaded when the console has one."""
        log.info("category catalogue %s in use (%d types)", taxonomy.version, len(taxonomy.leaves()))
        self.taxonomy = taxonomy
        self.taxonomyChanged.emit(taxonomy)
        if self.suggester is not None and not suggester_fits(self.suggester, taxonomy):
            # Its suggestions are categories this hotline no longer has: none at all until the right model comes.
            self.suggester = None
            self.suggesterChanged.emit(None)
        if self.suggester is None or getattr(self.suggester, "taxonomy_version", None) != taxonomy.version:
            self.load_suggester_async()

    def _on_suggester(self, suggester) -> None:
        """None means loading failed: whoever has a fitting model keeps it; whoever waits learns there is none.
        A model that finished loading after the catalogue changed is dropped (it would suggest foreign codes)."""
        if suggester is not None and not suggester_fits(suggester, self.taxonomy):
            log.info("a suggestion model for catalogue %s arrived after catalogue %s: not used",
                     getattr(suggester, "taxonomy_version", "?"), getattr(self.taxonomy, "version", "?"))
            suggester = None
        if suggester is not None:
            self.suggester = suggester
        self.suggesterChanged.emit(suggester)

    # ---------------------------------------------------------------- sync
    def start_sync(self, **engine_options) -> None:
        if self.sync is None and self.server_url:
            from console.sync_thread import SyncThread

            self.sync = SyncThread(self.cache, self.server_url, self.token, parent=self, **engine_options)
            self.sync.modelArrived.connect(self._on_model_arrived)
        if self.sync is not None:
            self.sync.start()

    def _on_model_arrived(self, model_dir) -> None:
        # The catalogue is installed before the model made for it (same sync round): look at it first.
        self._catalogue.check()
        self.load_suggester_async(model_dir)

    def poke_sync(self) -> None:
        if self.sync is not None:
            self.sync.poke()

    def close(self) -> None:
        if self.sync is not None:
            self.sync.stop()
        self.cache.close()


def default_model_dir(embedded: bool, taxonomy=None) -> Path | None:
    """The model the console loads: the newest one made for the catalogue in use (sync installs the service's;
    the embedded default is trained on first run), else the starter model shipped in the package. So a console
    with no model of its own yet (first start offline, a service still building) still suggests. A model of
    another catalogue is never used: it would suggest categories this hotline does not have."""
    from domain.home import models_dir

    if taxonomy is None:
        from domain.taxonomy import load_taxonomy

        taxonomy = load_taxonomy()
    root = models_dir()
    from domain.taxonomy import load_shipped_taxonomy

    # The embedded default is trained from the shipped catalogue: for a city's own it would never be used.
    if embedded and getattr(taxonomy, "version", None) == load_shipped_taxonomy().version:
        try:
            from classifier.default_model import ensure_default_model

            ensure_default_model()
        except Exception:
            log.exception("the default suggestion model is not available")
    # Half-installed (hidden) folders and folders without a description never count.
    candidates = [p for p in root.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and (p / "model.json").is_file()] if root.exists() else []
    candidates.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for folder in candidates:
        if _fits(folder, taxonomy):
            return folder
    starter = packaged_starter_dir()
    if starter is not None and _fits(starter, taxonomy):
        return starter
    return None


def suggester_fits(suggester, taxonomy) -> bool:
    """A loaded model suggests only types of `taxonomy`: made for its version, or every label one of its leaves."""
    if str(getattr(suggester, "taxonomy_version", "")) == getattr(taxonomy, "version", None):
        return True
    labels = getattr(suggester, "labels", None) or []
    return bool(labels) and all((c := taxonomy.get(str(label))) is not None and c.is_leaf for label in labels)


def _fits(model_dir: Path, taxonomy) -> bool:
    """Made for this catalogue version, or every label one of its types (read from the description, no weights)."""
    from classifier.model import ModelError, read_meta

    try:
        meta = read_meta(model_dir)
    except ModelError:  # no readable description: not a model for this console
        return False
    if str(meta.get("taxonomy_version")) == getattr(taxonomy, "version", None):
        return True
    labels = meta.get("labels") or []
    return bool(labels) and all((c := taxonomy.get(str(label))) is not None and c.is_leaf for label in labels)


def packaged_starter_dir() -> Path | None:
    """The starter model shipped in the package, or None where this installation has none."""
    try:
        from classifier.starter import packaged_starter_dir as shipped
    except ImportError:
        return None
    try:
        folder = shipped()
    except Exception:
        log.warning("the packaged starter model cannot be found", exc_info=True)
        return None
    return Path(folder) if folder is not None and (Path(folder) / "model.json").is_file() else None


class _CatalogueWatcher(QObject):
    """Notices a catalogue installed under HOTLINE_HOME (by sync, or an import on this machine)."""

    changed = Signal(object)

    def __init__(self, current_version: str, parent=None) -> None:
        super().__init__(parent)
        from PySide6.QtCore import QFileSystemWatcher

        from domain.taxonomy import installed_catalogue_path

        self.version = current_version
        folder = installed_catalogue_path().parent
        folder.mkdir(parents=True, exist_ok=True)
        self._watcher = QFileSystemWatcher([str(folder)], self)
        self._watcher.directoryChanged.connect(self.check)

    def check(self, *_args) -> None:
        from domain.taxonomy import TaxonomyError, load_taxonomy

        try:
            taxonomy = load_taxonomy()
        except (OSError, TaxonomyError, ValueError, KeyError):
            log.warning("the installed catalogue cannot be read; keeping the one in use", exc_info=True)
            return
        if taxonomy.version != self.version:
            self.version = taxonomy.version
            self.changed.emit(taxonomy)


def build_context(server_url: str, embedded: bool, home: Path | None = None, *, suggester=None) -> AppContext:
    """Open the cache, load the domain data and settings; the suggester comes when loaded (see load_suggester_async)."""
    from domain.gazetteer import load_gazetteer
    from domain.home import hotline_home
    from domain.taxonomy import load_taxonomy
    from storage.cache import LocalCache

    home = home or hotline_home()
    settings = ConsoleSettings(home)
    cache = LocalCache.open(home)
    return AppContext(home, settings, cache, load_taxonomy(), load_gazetteer(), server_url, embedded, suggester=suggester)
