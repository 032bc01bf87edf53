"""The top suggested categories beside the description, each one key (Alt+1..Alt+5) from being taken."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

MAX_SHOWN = 5


@dataclass(frozen=True)
class ShownSuggestion:
    code: str
    name: str  # in the console's language
    path: str  # domain › category, for telling similar names apart
    score: float


class _Row(QLabel):
    clicked = Signal()

    def mousePressEvent(self, event):  # noqa: N802 (Qt naming)
        self.clicked.emit()
        super().mousePressEvent(event)


class SuggestionList(QFrame):
    """Shows up to five suggestions; never takes focus so typing in the description goes on undisturbed."""

    picked = Signal(int)  # rank, 1-based (a mouse click; keys go through the action registry)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionList")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        self._title = QLabel()
        self._title.setObjectName("suggestionTitle")
        layout.addWidget(self._title)
        self._rows: list[_Row] = []
        for rank in range(1, MAX_SHOWN + 1):
            row = _Row()
            row.setObjectName(f"suggestion{rank}")
            row.setTextFormat(Qt.TextFormat.PlainText)
            row.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.setMinimumWidth(330)
            row.clicked.connect(lambda rank=rank: self.picked.emit(rank))
            layout.addWidget(row)
            self._rows.append(row)
        self._hint = QLabel()
        self._hint.setObjectName("suggestionHint")
        self._hint.setWordWrap(True)
        layout.addWidget(self._hint)
        layout.addStretch(1)
        self._shown: list[ShownSuggestion] = []
        self._chosen: str = ""
        self._unavailable = False
        self._loading = False
        self.retranslate_ui()
        self._paint()

    def retranslate_ui(self) -> None:
        self._title.setText(self.tr("Suggested types"))
        if self._loading:
            self._hint.setText(self.tr("The suggestion model is loading; F4 searches all types meanwhile."))
        elif self._unavailable:
            self._hint.setText(self.tr("Suggestions are not available: pick the type with F4."))
        else:
            self._hint.setText(self.tr("Alt+1 to Alt+5 takes one, F4 searches all types."))

    def set_unavailable(self, unavailable: bool) -> None:
        self._unavailable = unavailable
        self._loading = False
        self.retranslate_ui()

    def set_loading(self) -> None:
        """Until the model is loaded (a second or two; the first run may train it)."""
        self._loading = True
        self.retranslate_ui()

    def shown(self) -> list[ShownSuggestion]:
        return list(self._shown)

    def codes(self) -> list[str]:
        return [s.code for s in self._shown]

    def set_suggestions(self, suggestions: list[ShownSuggestion]) -> None:
        self._shown = list(suggestions[:MAX_SHOWN])
        self._paint()

    def set_chosen(self, code: str) -> None:
        self._chosen = code or ""
        self._paint()

    def _paint(self) -> None:
        for index, row in enumerate(self._rows):
            if index < len(self._shown):
                s = self._shown[index]
                mark = "✓" if s.code == self._chosen else " "
                row.setText(f"{mark} Alt+{index + 1}  {s.name}  {s.score:.0%}\n      {s.code} · {s.path}")
                row.setToolTip(s.path)
                row.setEnabled(True)
            else:
                row.setText(f"  Alt+{index + 1}  —")
                row.setEnabled(False)
