"""Languages: Chinese and English switchable at run time through Qt translation files (.qm)."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator, Signal

from console.log import I18N

log = logging.getLogger(I18N)

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
CATALOGUE = "hotline"  # resources/translations/hotline_<lang>.qm


class LanguageNotifier(QObject):
    """Tells widgets the language changed; installing a translator also sends QEvent.LanguageChange to each."""

    languageChanged = Signal(str)


_notifier: LanguageNotifier | None = None
_translators: list[QTranslator] = []
_current = "en"


def language_notifier() -> LanguageNotifier:
    global _notifier
    if _notifier is None:
        _notifier = LanguageNotifier()
    return _notifier


def translations_dir() -> Path:
    return Path(str(resources.files("resources") / "translations"))


def current_language() -> str:
    return _current


def normalise_language(lang: str | None) -> str:
    """'zh', 'zh_CN', 'zh-CN' -> 'zh_CN'; anything English -> 'en'; unknown -> the default."""
    value = (lang or "").replace("-", "_")
    if value.lower().startswith("zh"):
        return "zh_CN"
    if value.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def install_language(app, lang: str) -> bool:
    """Switch the whole UI to `lang` ("zh_CN" or "en"); returns False if its catalogue is missing (English shows)."""
    global _current
    lang = normalise_language(lang)
    for translator in _translators:
        app.removeTranslator(translator)
    _translators.clear()
    ok = True
    if lang != "en":
        ours = QTranslator(app)
        if ours.load(f"{CATALOGUE}_{lang}", str(translations_dir())):
            app.installTranslator(ours)
            _translators.append(ours)
        else:
            ok = False
            log.warning("no translation catalogue for %s in %s; the console stays in English", lang, translations_dir())
        # Qt's own dialogs (Cancel/OK in message boxes) in the same language, when Qt ships them.
        base = QTranslator(app)
        if base.load(QLocale(lang), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(base)
            _translators.append(base)
    _current = lang if ok else "en"
    QLocale.setDefault(QLocale(_current if _current != "en" else "en_US"))
    log.info("language set to %s", _current)
    language_notifier().languageChanged.emit(_current)
    return ok
