"""Finding a category by code, Chinese or English name, keyword or pinyin initials, by keyboard alone."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

RESULTS_SHOWN = 50


def category_path_text(taxonomy, code: str, zh: bool | None = None, parents_only: bool = False) -> str:
    """'环境保护 › 噪音污染 › 广场舞噪音' in the console's language (without the last part if parents_only)."""
    if zh is None:
        zh = QLocale().language() == QLocale.Language.Chinese
    path = taxonomy.path(code) if taxonomy is not None else []
    if parents_only:
        path = path[:-1]
    return " › ".join((c.name_zh if zh else (c.name_en or c.name_zh)) for c in path)


def category_name(category, zh: bool | None = None) -> str:
    if zh is None:
        zh = QLocale().language() == QLocale.Language.Chinese
    return category.name_zh if zh else (category.name_en or category.name_zh)


class CategorySearchDialog(QDialog):
    """Type to search; Up/Down move through the results without leaving the search line; Enter takes one."""

    def __init__(self, taxonomy, initial: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("categorySearch")
        self._taxonomy = taxonomy
        self.chosen_code: str = ""
        layout = QVBoxLayout(self)
        self._label = QLabel()
        layout.addWidget(self._label)
        self.query = QLineEdit()
        self.query.setObjectName("categoryQuery")
        layout.addWidget(self.query)
        self.results = QListWidget()
        self.results.setObjectName("categoryResults")
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.results, 1)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self._buttons.accepted.connect(self._take)
        self._buttons.rejected.connect(self.reject)
        layout.addWidget(self._buttons)
        self.query.installEventFilter(self)
        self.results.itemActivated.connect(lambda _item: self._take())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self.refresh)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.resize(640, 460)
        self.retranslate_ui()
        self.query.setText(initial)
        self.refresh()
        self.query.setFocus()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Search categories"))
        self._label.setText(self.tr("Code, Chinese or English name, keyword or pinyin initials (e.g. zy for 噪音):"))

    def refresh(self) -> None:
        self._timer.stop()
        text = self.query.text().strip()
        self.results.clear()
        if not text:
            return
        zh = QLocale().language() == QLocale.Language.Chinese
        for category in self._taxonomy.search(text, limit=RESULTS_SHOWN):
            item = QListWidgetItem(
                f"{category.code}  {category_name(category, zh)}    {category_path_text(self._taxonomy, category.code, zh, parents_only=True)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, category.code)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def eventFilter(self, watched, event):  # noqa: N802
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}[key]
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self.refresh()
                self._take()
                return True
        return super().eventFilter(watched, event)

    def _take(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        self.chosen_code = item.data(Qt.ItemDataRole.UserRole)
        self.accept()
