"""F1's list of every key and the settings dialog that changes them, both read from the action registry."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from console.actions import ACTION_SPECS, SPECS_BY_ID, ActionId, conflicts, native, portable, scope_name, translated

# Every action gets at least this many key fields, so a second key can be added where there is none.
MIN_KEY_FIELDS = 2


class ShortcutHelpDialog(QDialog):
    """F1: every shortcut with where it works, from the registry (so changed keys show as they are)."""

    def __init__(self, registry, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutHelp")
        self._registry = registry
        layout = QVBoxLayout(self)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        layout.addWidget(self._intro)
        self.table = QTableWidget(len(ACTION_SPECS), 3)
        self.table.setObjectName("shortcutTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.resize(720, 680)
        registry.shortcutsChanged.connect(self.retranslate_ui)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self._intro.setText(self.tr("Every key the console knows, and where it works. Change them in Settings (Ctrl+,). "
                                    "Esc closes this."))
        self.table.setHorizontalHeaderLabels([self.tr("Where"), self.tr("What it does"), self.tr("Keys")])
        for row, spec in enumerate(ACTION_SPECS):
            keys = ", ".join(native(key) for key in self._registry.shortcuts(spec.id))
            for column, text in enumerate((scope_name(spec.scope), translated(spec.text), keys or "—")):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() == Qt.Key.Key_F1:
            self.accept()
            return
        super().keyPressEvent(event)


class ShortcutSettingsDialog(QDialog):
    """Change any key of any action; only changes from the defaults are stored; a key does one thing where it works."""

    def __init__(self, registry, settings, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSettings")
        self._registry = registry
        self._settings = settings
        layout = QVBoxLayout(self)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        layout.addWidget(self._intro)
        fields = max([MIN_KEY_FIELDS] + [len(keys) for keys in registry.all_shortcuts().values()]
                     + [len(spec.shortcuts) for spec in ACTION_SPECS])
        self.table = QTableWidget(len(ACTION_SPECS), 2 + fields)
        self.table.setObjectName("shortcutEditor")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.editors: dict[ActionId, list[QKeySequenceEdit]] = {}
        for row, spec in enumerate(ACTION_SPECS):
            self.table.setItem(row, 0, QTableWidgetItem())
            self.table.setItem(row, 1, QTableWidgetItem())
            self.editors[spec.id] = [self._key_editor(spec.id, row, column) for column in range(fields)]
        self._show_keys(registry.all_shortcuts())
        layout.addWidget(self.table)
        self.problem = QLabel()
        self.problem.setObjectName("shortcutProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        layout.addWidget(self.problem)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self._defaults = QPushButton()
        self._buttons.addButton(self._defaults, QDialogButtonBox.ButtonRole.ResetRole)
        self._defaults.clicked.connect(self.reset_defaults)
        self._buttons.accepted.connect(self.save)
        self._buttons.rejected.connect(self.reject)
        layout.addWidget(self._buttons)
        self.resize(820, 700)
        self.retranslate_ui()

    def _key_editor(self, action_id: ActionId, row: int, column: int) -> QKeySequenceEdit:
        editor = QKeySequenceEdit()
        editor.setObjectName(f"keys_{action_id.value}_{column + 1}")
        editor.setMaximumSequenceLength(1)  # one key combination per field; more keys go in the next field
        editor.setClearButtonEnabled(True)
        self.table.setCellWidget(row, 2 + column, editor)
        return editor

    def _show_keys(self, shortcuts: dict[ActionId, tuple[str, ...]]) -> None:
        for action_id, editors in self.editors.items():
            keys = list(shortcuts.get(action_id, ()))
            for index, editor in enumerate(editors):
                editor.setKeySequence(QKeySequence(keys[index]) if index < len(keys) else QKeySequence())

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Settings: shortcuts"))
        self._intro.setText(self.tr("Click a key field and press the new key; an action may have several keys. "
                                    "Only your changes are stored."))
        fields = self.table.columnCount() - 2
        keys = [self.tr("Key")] + [self.tr("Other key")] * (fields - 1)
        self.table.setHorizontalHeaderLabels([self.tr("What it does"), self.tr("Where")] + keys)
        self._defaults.setText(self.tr("Restore defaults"))
        for row, spec in enumerate(ACTION_SPECS):
            self.table.item(row, 0).setText(translated(spec.text))
            self.table.item(row, 1).setText(scope_name(spec.scope))

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def chosen(self) -> dict[ActionId, tuple[str, ...]]:
        """Every field of every action, in order; an emptied field drops that key, the same key twice counts once."""
        result = {}
        for action_id, editors in self.editors.items():
            keys = (portable(editor.keySequence().toString(QKeySequence.SequenceFormat.PortableText)) for editor in editors)
            result[action_id] = tuple(dict.fromkeys(key for key in keys if key))
        # A key spelled as the default spells it is kept as it is, so an untouched action stores no override.
        for action_id, keys in result.items():
            for spelled in (self._registry.shortcuts(action_id), SPECS_BY_ID[action_id].shortcuts):
                if [portable(k) for k in spelled] == list(keys):
                    result[action_id] = spelled
                    break
        return result

    def reset_defaults(self) -> None:
        self._show_keys({spec.id: spec.shortcuts for spec in ACTION_SPECS})

    def save(self) -> None:
        chosen = self.chosen()
        clash = conflicts(chosen)
        if clash:
            key, ids = next(iter(clash.items()))
            names = " / ".join(translated(SPECS_BY_ID[i].text) for i in ids)
            self.problem.setText(self.tr("%1 is given to more than one action (%2): give each its own key.")
                                 .replace("%1", native(key)).replace("%2", names))
            return
        overrides = self._registry.set_shortcuts(chosen)
        self._settings.set_shortcut_overrides(overrides)
        self.accept()
