"""An address line with completion from the gazetteer, resolving to the sub-district it lies in."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QWidget


def _is_chinese() -> bool:
    from PySide6.QtCore import QLocale

    return QLocale().language() == QLocale.Language.Chinese


def sub_district_label(gazetteer, sub_district) -> str:
    """'望京街道 · 朝阳区' (or the English names), for showing what an address resolved to."""
    if sub_district is None:
        return ""
    zh = _is_chinese()
    district = next((d for d in gazetteer.districts if d.code == sub_district.district_code), None)
    name = sub_district.name_zh if zh else (sub_district.name_en or sub_district.name_zh)
    if district is None:
        return name
    return f"{name} · {district.name_zh if zh else (district.name_en or district.name_zh)}"


class _PopupKeys(QObject):
    """Lets shortcut keys through a completion popup, which would otherwise swallow Ctrl+Enter and friends."""

    def __init__(self, field: "AddressField") -> None:
        super().__init__(field)
        self._field = field

    def eventFilter(self, watched, event):  # noqa: N802
        handler = self._field.shortcut_handler
        if handler is not None and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            with_modifier = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
            function_key = Qt.Key.Key_F1 <= event.key() <= Qt.Key.Key_F12
            if (with_modifier or function_key) and handler(event):
                self._field.completer.popup().hide()
                return True
        return False


class AddressField(QWidget):
    """Free-text address; completion offers sub-district names; `resolved` carries the sub-district code or ''."""

    resolved = Signal(str)
    edited = Signal()

    def __init__(self, gazetteer=None, *, resolve: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._gazetteer = gazetteer
        self._resolve = resolve
        self.sub_district_code = ""
        self.shortcut_handler = None  # callable(QKeyEvent) -> bool, set by the window owning the action registry
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.line = QLineEdit()
        layout.addWidget(self.line, 5)
        self.setFocusProxy(self.line)
        self._where = QLabel()
        self._where.setObjectName("resolvedSubDistrict")
        self._where.setMinimumWidth(160)
        if resolve:
            layout.addWidget(self._where, 4)
        self.completer = QCompleter(self._completion_words(), self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setMaxVisibleItems(8)
        self.line.setCompleter(self.completer)
        self.completer.popup().installEventFilter(_PopupKeys(self))
        # Resolution is cheap but not free; typing fast should not pay for it on every key.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(60)
        self._timer.timeout.connect(self._resolve_now)
        self.line.textChanged.connect(self._on_text)
        self.retranslate_ui()

    def _completion_words(self) -> QStringListModel:
        words: list[str] = []
        if self._gazetteer is not None:
            for sub in self._gazetteer.sub_districts:
                words.append(sub.name_zh)
                if sub.name_en:
                    words.append(sub.name_en)
            for district in self._gazetteer.districts:
                words.append(district.name_zh)
        return QStringListModel(sorted(set(words)), self)

    def retranslate_ui(self) -> None:
        self._show_where()

    def text(self) -> str:
        return self.line.text()

    def set_text(self, text: str, sub_district_code: str = "") -> None:
        self.line.blockSignals(True)
        self.line.setText(text or "")
        self.line.blockSignals(False)
        self._timer.stop()
        if sub_district_code:
            self.sub_district_code = sub_district_code
            self._show_where()
        else:
            self._resolve_now(emit=False)

    def _on_text(self, _text: str) -> None:
        self.edited.emit()
        if self._resolve:
            self._timer.start()

    def resolve_pending(self) -> None:
        """Finish a resolution the timer has not run yet (before saving)."""
        if self._timer.isActive():
            self._timer.stop()
            self._resolve_now()

    def _resolve_now(self, emit: bool = True) -> None:
        if not self._resolve:
            return
        code = ""
        text = self.line.text().strip()
        if text and self._gazetteer is not None:
            found = self._gazetteer.resolve(text)
            code = found.code if found is not None else ""
        if code != self.sub_district_code:
            self.sub_district_code = code
            self._show_where()
            if emit:
                self.resolved.emit(code)
        elif not code:
            self._show_where()

    def set_hint(self, text: str) -> None:
        """What to show while the line is empty (e.g. a place the description named)."""
        self._hint = text
        self._show_where()

    def _show_where(self) -> None:
        if not self._resolve:
            return
        sub = None
        if self.sub_district_code and self._gazetteer is not None:
            sub = self._gazetteer.get(self.sub_district_code)
        if sub is not None:
            self._where.setText("→ " + sub_district_label(self._gazetteer, sub))
        elif self.line.text().strip():
            self._where.setText(self.tr("sub-district not recognised"))
        else:
            self._where.setText(getattr(self, "_hint", ""))
