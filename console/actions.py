"""The one action registry: stable action ids, default shortcuts as data, the operator's overrides from settings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

CONTEXT = "Actions"  # translation context of the action names below


class ActionId(StrEnum):
    """Stable ids: settings store overrides under them, so never rename one."""

    NEW_TICKET = "ticket.new"
    DISPATCH = "ticket.dispatch"
    ANSWER_DIRECTLY = "ticket.answer_directly"
    SAVE_ONLY = "ticket.save"
    BACK_OUT = "ticket.back_out"
    RESUME_DRAFT = "ticket.resume_draft"
    CATEGORY_SEARCH = "category.search"
    TAKE_SUGGESTION_1 = "suggestion.take1"
    TAKE_SUGGESTION_2 = "suggestion.take2"
    TAKE_SUGGESTION_3 = "suggestion.take3"
    TAKE_SUGGESTION_4 = "suggestion.take4"
    TAKE_SUGGESTION_5 = "suggestion.take5"
    FOCUS_PHONE = "focus.phone"
    FOCUS_NAME = "focus.name"
    FOCUS_CALLER_LOCATION = "focus.caller_location"
    FOCUS_INCIDENT_ADDRESS = "focus.incident_address"
    FOCUS_REQUEST_TYPE = "focus.request_type"
    FOCUS_DESCRIPTION = "focus.description"
    FOCUS_URGENCY = "focus.urgency"
    FOCUS_CALLER_CONTEXT = "focus.caller_context"
    SHOW_INTAKE = "view.intake"
    SHOW_QUEUE = "view.queue"
    SHOW_SHIFT = "view.shift"
    HELP = "help.shortcuts"
    SETTINGS = "app.settings"
    DIAGNOSTICS = "app.diagnostics"
    SWITCH_LANGUAGE = "app.language"
    SIGN_OUT = "app.sign_out"
    QUIT = "app.quit"


@dataclass(frozen=True)
class ActionSpec:
    id: ActionId
    text: str  # English source string, translated in context CONTEXT
    shortcuts: tuple[str, ...]  # portable text form, first one is shown in help
    group: str
    scope: str = "window"  # "intake": only while the intake form has focus (Esc means something else elsewhere)


_INTAKE, _FIELDS, _VIEW, _APP = QT_TRANSLATE_NOOP("Actions", "Intake"), QT_TRANSLATE_NOOP("Actions", "Fields"), QT_TRANSLATE_NOOP("Actions", "Views"), QT_TRANSLATE_NOOP("Actions", "Console")

# Default shortcuts are data; settings keep only what the operator changed.
ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(ActionId.NEW_TICKET, QT_TRANSLATE_NOOP("Actions", "New ticket (take a call)"), ("F2",), _INTAKE),
    ActionSpec(ActionId.DISPATCH, QT_TRANSLATE_NOOP("Actions", "Save and dispatch"), ("Ctrl+Return", "Ctrl+Enter"), _INTAKE, "intake"),
    ActionSpec(ActionId.ANSWER_DIRECTLY, QT_TRANSLATE_NOOP("Actions", "Save as answered directly"), ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"), _INTAKE, "intake"),
    ActionSpec(ActionId.SAVE_ONLY, QT_TRANSLATE_NOOP("Actions", "Save without dispatching"), ("Ctrl+S",), _INTAKE, "intake"),
    ActionSpec(ActionId.BACK_OUT, QT_TRANSLATE_NOOP("Actions", "Back out (the draft is kept)"), ("Esc",), _INTAKE, "intake"),
    ActionSpec(ActionId.RESUME_DRAFT, QT_TRANSLATE_NOOP("Actions", "Resume a kept draft"), ("Ctrl+R",), _INTAKE, "intake"),
    ActionSpec(ActionId.CATEGORY_SEARCH, QT_TRANSLATE_NOOP("Actions", "Search categories"), ("F4",), _INTAKE, "intake"),
    ActionSpec(ActionId.TAKE_SUGGESTION_1, QT_TRANSLATE_NOOP("Actions", "Take suggestion 1"), ("Alt+1",), _INTAKE, "intake"),
    ActionSpec(ActionId.TAKE_SUGGESTION_2, QT_TRANSLATE_NOOP("Actions", "Take suggestion 2"), ("Alt+2",), _INTAKE, "intake"),
    ActionSpec(ActionId.TAKE_SUGGESTION_3, QT_TRANSLATE_NOOP("Actions", "Take suggestion 3"), ("Alt+3",), _INTAKE, "intake"),
    ActionSpec(ActionId.TAKE_SUGGESTION_4, QT_TRANSLATE_NOOP("Actions", "Take suggestion 4"), ("Alt+4",), _INTAKE, "intake"),
    ActionSpec(ActionId.TAKE_SUGGESTION_5, QT_TRANSLATE_NOOP("Actions", "Take suggestion 5"), ("Alt+5",), _INTAKE, "intake"),
    ActionSpec(ActionId.FOCUS_PHONE, QT_TRANSLATE_NOOP("Actions", "Go to caller number"), ("Alt+P",), _FIELDS, "intake"),
    ActionSpec(ActionId.FOCUS_NAME, QT_TRANSLATE_NOOP("Actions", "Go to caller name"), ("Alt+N",), _FIELDS, "intake"),
    ActionSpec(ActionId.FOCUS_CALLER_LOCATION, QT_TRANSLATE_NOOP("Actions", "Go to caller location"), ("Alt+L",), _FIELDS, "intake"),
    ActionSpec(ActionId.FOCUS_INCIDENT_ADDRESS, QT_TRANSLATE_NOOP("Actions", "Go to incident address"), ("Alt+A",), _FIELDS, "intake"),
    ActionSpec(ActionId.FOCUS_REQUEST_TYPE, QT_TRANSLATE_NOOP("Actions", "Go to request type"), ("Alt+T",), _FIELDS, "intake"),
    ActionSpec(ActionId.FOCUS_DESCRIPTION, QT_TRANSLATE_NOOP("Actions", "Go to description"), ("Alt+D",), _FIELDS, "intake"),
    ActionSpec(ActionId.FOCUS_URGENCY, QT_TRANSLATE_NOOP("Actions", "Go to urgency"), ("Alt+U",), _FIELDS, "intake"),
    ActionSpec(ActionId.FOCUS_CALLER_CONTEXT, QT_TRANSLATE_NOOP("Actions", "Go to the caller's earlier tickets and likely duplicates (Enter attaches)"), ("Alt+H",), _FIELDS, "intake"),
    ActionSpec(ActionId.SHOW_INTAKE, QT_TRANSLATE_NOOP("Actions", "Show the intake form"), ("Ctrl+1",), _VIEW),
    ActionSpec(ActionId.SHOW_QUEUE, QT_TRANSLATE_NOOP("Actions", "Show the queue"), ("Ctrl+2",), _VIEW),
    ActionSpec(ActionId.SHOW_SHIFT, QT_TRANSLATE_NOOP("Actions", "Show the shift: SLA clocks, operator load, reassignment (supervisors)"), ("Ctrl+3",), _VIEW),
    ActionSpec(ActionId.HELP, QT_TRANSLATE_NOOP("Actions", "Show every shortcut"), ("F1",), _APP),
    ActionSpec(ActionId.SETTINGS, QT_TRANSLATE_NOOP("Actions", "Settings and shortcuts"), ("Ctrl+,",), _APP),
    ActionSpec(ActionId.DIAGNOSTICS, QT_TRANSLATE_NOOP("Actions", "Diagnostics"), ("Ctrl+Shift+D",), _APP),
    ActionSpec(ActionId.SWITCH_LANGUAGE, QT_TRANSLATE_NOOP("Actions", "Switch language (中文 / English)"), ("Ctrl+Shift+L",), _APP),
    ActionSpec(ActionId.SIGN_OUT, QT_TRANSLATE_NOOP("Actions", "Sign out"), (), _APP),
    ActionSpec(ActionId.QUIT, QT_TRANSLATE_NOOP("Actions", "Quit"), ("Ctrl+Q",), _APP),
)

SPECS_BY_ID: dict[ActionId, ActionSpec] = {spec.id: spec for spec in ACTION_SPECS}
SUGGESTION_ACTIONS = (
    ActionId.TAKE_SUGGESTION_1,
    ActionId.TAKE_SUGGESTION_2,
    ActionId.TAKE_SUGGESTION_3,
    ActionId.TAKE_SUGGESTION_4,
    ActionId.TAKE_SUGGESTION_5,
)


def translated(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def parse_overrides(overrides: dict[str, str]) -> dict[ActionId, tuple[str, ...]]:
    """Settings text -> shortcuts per known action; unknown ids (from an older release) are ignored."""
    result: dict[ActionId, tuple[str, ...]] = {}
    for key, value in overrides.items():
        try:
            action_id = ActionId(key)
        except ValueError:
            continue
        result[action_id] = tuple(part.strip() for part in value.split(";") if part.strip())
    return result


def conflicts(shortcuts: dict[ActionId, tuple[str, ...]]) -> dict[str, list[ActionId]]:
    """Key sequences claimed by more than one action (a key must do one thing)."""
    seen: dict[str, list[ActionId]] = {}
    for action_id, keys in shortcuts.items():
        for key in keys:
            norm = QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)
            if norm:
                seen.setdefault(norm, []).append(action_id)
    return {key: ids for key, ids in seen.items() if len(ids) > 1}


class ActionRegistry(QObject):
    """Builds one QAction per id on the main window; handlers connect by id; shortcuts can change at run time."""

    shortcutsChanged = Signal()

    def __init__(self, window: QWidget, overrides: dict[str, str] | None = None,
                 scopes: dict[str, QWidget] | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._actions: dict[ActionId, QAction] = {}
        self._overrides = parse_overrides(overrides or {})
        scopes = scopes or {}
        for spec in ACTION_SPECS:
            owner = scopes.get(spec.scope, window)
            action = QAction(owner)
            action.setObjectName(spec.id.value)
            action.setShortcutContext(
                Qt.ShortcutContext.WindowShortcut if owner is window else Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
            owner.addAction(action)
            self._actions[spec.id] = action
        self._apply_shortcuts()
        self.retranslate_ui()

    def action(self, action_id: ActionId) -> QAction:
        return self._actions[action_id]

    def connect(self, action_id: ActionId, handler) -> None:
        self._actions[action_id].triggered.connect(lambda _checked=False: handler())

    def shortcuts(self, action_id: ActionId) -> tuple[str, ...]:
        if action_id in self._overrides:
            return self._overrides[action_id]
        return SPECS_BY_ID[action_id].shortcuts

    def all_shortcuts(self) -> dict[ActionId, tuple[str, ...]]:
        return {spec.id: self.shortcuts(spec.id) for spec in ACTION_SPECS}

    def overrides_for(self, shortcuts: dict[ActionId, tuple[str, ...]]) -> dict[str, str]:
        """Only what differs from the defaults is worth storing."""
        return {
            action_id.value: ";".join(keys)
            for action_id, keys in shortcuts.items()
            if tuple(keys) != SPECS_BY_ID[action_id].shortcuts
        }

    def set_shortcuts(self, shortcuts: dict[ActionId, tuple[str, ...]]) -> dict[str, str]:
        """Apply new shortcuts; returns the overrides to keep in settings."""
        overrides = self.overrides_for(shortcuts)
        self._overrides = parse_overrides(overrides)
        self._apply_shortcuts()
        self.shortcutsChanged.emit()
        return overrides

    def action_for_key(self, sequence: QKeySequence) -> ActionId | None:
        """Which action a key press would trigger (for popups that swallow window shortcuts)."""
        text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
        for spec in ACTION_SPECS:
            for key in self.shortcuts(spec.id):
                if QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText) == text:
                    return spec.id
        return None

    def shortcut_text(self, action_id: ActionId) -> str:
        keys = self.shortcuts(action_id)
        return QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText) if keys else ""

    def _apply_shortcuts(self) -> None:
        for action_id, action in self._actions.items():
            action.setShortcuts([QKeySequence(key) for key in self.shortcuts(action_id)])

    def retranslate_ui(self) -> None:
        for spec in ACTION_SPECS:
            self._actions[spec.id].setText(translated(spec.text))
