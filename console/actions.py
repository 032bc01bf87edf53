"""The one action registry: stable action ids, their scopes, default shortcuts as data, the operator's overrides."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

CONTEXT = "Actions"  # translation context of the action names below


class Scope(StrEnum):
    """Where a key works. The same key may mean different things in scopes that are never active together."""

    GLOBAL = "global"  # anywhere in the main window
    INTAKE = "intake"  # the intake page: the ticket form and the caller's context beside it
    QUEUE = "queue"  # a ticket list (the queue tab, and the list inside the shift tab)
    DETAIL = "detail"  # the ticket opened beside a list
    SHIFT = "shift"  # the supervisor's shift tab
    DIAGNOSTICS = "diagnostics"  # the diagnostics dialog, a window of its own


# Which scopes can be active at the same moment (the focus is inside both). The main window's keys work on
# every page of it; the shift tab holds a queue, and every queue holds its opened ticket. The diagnostics
# dialog is its own window, so neither the main window's keys nor a page's reach into it.
_OVERLAPS: dict[Scope, frozenset[Scope]] = {
    Scope.GLOBAL: frozenset({Scope.INTAKE, Scope.QUEUE, Scope.DETAIL, Scope.SHIFT}),
    Scope.INTAKE: frozenset({Scope.GLOBAL}),
    Scope.QUEUE: frozenset({Scope.GLOBAL, Scope.DETAIL, Scope.SHIFT}),
    Scope.DETAIL: frozenset({Scope.GLOBAL, Scope.QUEUE, Scope.SHIFT}),
    Scope.SHIFT: frozenset({Scope.GLOBAL, Scope.QUEUE, Scope.DETAIL}),
    Scope.DIAGNOSTICS: frozenset(),
}

SCOPE_NAMES: dict[Scope, str] = {
    Scope.GLOBAL: QT_TRANSLATE_NOOP("Actions", "Everywhere"),
    Scope.INTAKE: QT_TRANSLATE_NOOP("Actions", "Intake"),
    Scope.QUEUE: QT_TRANSLATE_NOOP("Actions", "Ticket list"),
    Scope.DETAIL: QT_TRANSLATE_NOOP("Actions", "Open ticket"),
    Scope.SHIFT: QT_TRANSLATE_NOOP("Actions", "Shift (supervisors)"),
    Scope.DIAGNOSTICS: QT_TRANSLATE_NOOP("Actions", "Diagnostics"),
}


def scopes_overlap(first: Scope, second: Scope) -> bool:
    return first == second or second in _OVERLAPS[first]


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
    CALLER_ATTACH = "caller.attach"
    SHOW_INTAKE = "view.intake"
    SHOW_QUEUE = "view.queue"
    SHOW_SHIFT = "view.shift"
    QUEUE_FIND = "queue.find"
    DETAIL_ADD_NOTE = "detail.add_note"
    DETAIL_SAVE = "detail.save"
    DETAIL_BACK = "detail.back"
    SHIFT_REASSIGN = "shift.reassign"
    DIAGNOSTICS_SYNC = "diagnostics.sync"
    DIAGNOSTICS_LOG = "diagnostics.log"
    DIAGNOSTICS_REJECTED = "diagnostics.rejected"
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
    shortcuts: tuple[str, ...]  # portable text form; the first one is shown in hints
    scope: Scope


_G, _I, _Q, _D, _S, _X = Scope.GLOBAL, Scope.INTAKE, Scope.QUEUE, Scope.DETAIL, Scope.SHIFT, Scope.DIAGNOSTICS

# Default shortcuts are data; settings keep only what the operator changed. The order is the order of F1.
ACTION_SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(ActionId.NEW_TICKET, QT_TRANSLATE_NOOP("Actions", "New ticket (take a call)"), ("F2",), _G),
    ActionSpec(ActionId.DISPATCH, QT_TRANSLATE_NOOP("Actions", "Save and dispatch"), ("Ctrl+Return", "Ctrl+Enter"), _I),
    ActionSpec(ActionId.ANSWER_DIRECTLY, QT_TRANSLATE_NOOP("Actions", "Save as answered directly"), ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"), _I),
    ActionSpec(ActionId.SAVE_ONLY, QT_TRANSLATE_NOOP("Actions", "Save without dispatching"), ("Ctrl+S",), _I),
    ActionSpec(ActionId.BACK_OUT, QT_TRANSLATE_NOOP("Actions", "Back out (the draft is kept)"), ("Esc",), _I),
    # Everywhere, not only on the intake page: the status bar offers it on every tab.
    ActionSpec(ActionId.RESUME_DRAFT, QT_TRANSLATE_NOOP("Actions", "Resume a kept draft"), ("Ctrl+R",), _G),
    ActionSpec(ActionId.CATEGORY_SEARCH, QT_TRANSLATE_NOOP("Actions", "Search categories"), ("F4",), _I),
    ActionSpec(ActionId.TAKE_SUGGESTION_1, QT_TRANSLATE_NOOP("Actions", "Take suggestion 1"), ("Alt+1",), _I),
    ActionSpec(ActionId.TAKE_SUGGESTION_2, QT_TRANSLATE_NOOP("Actions", "Take suggestion 2"), ("Alt+2",), _I),
    ActionSpec(ActionId.TAKE_SUGGESTION_3, QT_TRANSLATE_NOOP("Actions", "Take suggestion 3"), ("Alt+3",), _I),
    ActionSpec(ActionId.TAKE_SUGGESTION_4, QT_TRANSLATE_NOOP("Actions", "Take suggestion 4"), ("Alt+4",), _I),
    ActionSpec(ActionId.TAKE_SUGGESTION_5, QT_TRANSLATE_NOOP("Actions", "Take suggestion 5"), ("Alt+5",), _I),
    ActionSpec(ActionId.FOCUS_PHONE, QT_TRANSLATE_NOOP("Actions", "Go to caller number"), ("Alt+P",), _I),
    ActionSpec(ActionId.FOCUS_NAME, QT_TRANSLATE_NOOP("Actions", "Go to caller name"), ("Alt+N",), _I),
    ActionSpec(ActionId.FOCUS_CALLER_LOCATION, QT_TRANSLATE_NOOP("Actions", "Go to caller location"), ("Alt+L",), _I),
    ActionSpec(ActionId.FOCUS_INCIDENT_ADDRESS, QT_TRANSLATE_NOOP("Actions", "Go to incident address"), ("Alt+A",), _I),
    ActionSpec(ActionId.FOCUS_REQUEST_TYPE, QT_TRANSLATE_NOOP("Actions", "Go to request type"), ("Alt+T",), _I),
    ActionSpec(ActionId.FOCUS_DESCRIPTION, QT_TRANSLATE_NOOP("Actions", "Go to description"), ("Alt+D",), _I),
    ActionSpec(ActionId.FOCUS_URGENCY, QT_TRANSLATE_NOOP("Actions", "Go to urgency"), ("Alt+U",), _I),
    ActionSpec(ActionId.FOCUS_CALLER_CONTEXT, QT_TRANSLATE_NOOP("Actions", "Go to the caller's earlier tickets and likely duplicates (Enter attaches)"), ("Alt+H",), _I),
    ActionSpec(ActionId.CALLER_ATTACH, QT_TRANSLATE_NOOP("Actions", "Add this call to the ticket selected in the caller's list"), ("Ctrl+Shift+A",), _I),
    ActionSpec(ActionId.SHOW_INTAKE, QT_TRANSLATE_NOOP("Actions", "Show the intake form"), ("Ctrl+1",), _G),
    ActionSpec(ActionId.SHOW_QUEUE, QT_TRANSLATE_NOOP("Actions", "Show the queue"), ("Ctrl+2",), _G),
    ActionSpec(ActionId.SHOW_SHIFT, QT_TRANSLATE_NOOP("Actions", "Show the shift: SLA clocks, operator load, reassignment (supervisors)"), ("Ctrl+3",), _G),
    ActionSpec(ActionId.QUEUE_FIND, QT_TRANSLATE_NOOP("Actions", "Search the tickets"), ("Ctrl+F",), _Q),
    ActionSpec(ActionId.DETAIL_ADD_NOTE, QT_TRANSLATE_NOOP("Actions", "Add the note typed in the note box"), ("Ctrl+Return", "Ctrl+Enter"), _D),
    ActionSpec(ActionId.DETAIL_SAVE, QT_TRANSLATE_NOOP("Actions", "Save the changes to the open ticket"), ("Ctrl+S",), _D),
    ActionSpec(ActionId.DETAIL_BACK, QT_TRANSLATE_NOOP("Actions", "Close the ticket, back to the list"), ("Esc",), _D),
    ActionSpec(ActionId.SHIFT_REASSIGN, QT_TRANSLATE_NOOP("Actions", "Reassign the selected tickets (with a reason)"), ("Ctrl+Shift+R",), _S),
    ActionSpec(ActionId.DIAGNOSTICS_SYNC, QT_TRANSLATE_NOOP("Actions", "Diagnostics: the sync tab"), ("Ctrl+1",), _X),
    ActionSpec(ActionId.DIAGNOSTICS_LOG, QT_TRANSLATE_NOOP("Actions", "Diagnostics: the recent log"), ("Ctrl+2",), _X),
    ActionSpec(ActionId.DIAGNOSTICS_REJECTED, QT_TRANSLATE_NOOP("Actions", "Diagnostics: the rejected changes"), ("Ctrl+3",), _X),
    ActionSpec(ActionId.HELP, QT_TRANSLATE_NOOP("Actions", "Show every shortcut"), ("F1",), _G),
    ActionSpec(ActionId.SETTINGS, QT_TRANSLATE_NOOP("Actions", "Settings and shortcuts"), ("Ctrl+,",), _G),
    ActionSpec(ActionId.DIAGNOSTICS, QT_TRANSLATE_NOOP("Actions", "Diagnostics"), ("Ctrl+Shift+D",), _G),
    ActionSpec(ActionId.SWITCH_LANGUAGE, QT_TRANSLATE_NOOP("Actions", "Switch language (中文 / English)"), ("Ctrl+Shift+L",), _G),
    ActionSpec(ActionId.SIGN_OUT, QT_TRANSLATE_NOOP("Actions", "Sign out"), (), _G),
    ActionSpec(ActionId.QUIT, QT_TRANSLATE_NOOP("Actions", "Quit"), ("Ctrl+Q",), _G),
)

SPECS_BY_ID: dict[ActionId, ActionSpec] = {spec.id: spec for spec in ACTION_SPECS}
SUGGESTION_ACTIONS = (
    ActionId.TAKE_SUGGESTION_1,
    ActionId.TAKE_SUGGESTION_2,
    ActionId.TAKE_SUGGESTION_3,
    ActionId.TAKE_SUGGESTION_4,
    ActionId.TAKE_SUGGESTION_5,
)
DIAGNOSTICS_TABS = (ActionId.DIAGNOSTICS_SYNC, ActionId.DIAGNOSTICS_LOG, ActionId.DIAGNOSTICS_REJECTED)

# A dialog's keys work anywhere in it; a page's only while the focus is inside that page.
_WINDOW_SCOPES = (Scope.GLOBAL, Scope.DIAGNOSTICS)


def translated(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def scope_name(scope: Scope) -> str:
    return translated(SCOPE_NAMES[scope])


def portable(key: str) -> str:
    """One spelling per key ("ctrl+return" and "Ctrl+Return" are the same key)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)


def native(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


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
    """Keys claimed by two actions whose scopes can be active together (a key must do one thing where it works).

    Esc may close an open ticket and also back out of a call on the intake page: those two places never
    have the focus at once. Returns {key: the actions that clash over it}.
    """
    claims: dict[str, list[ActionId]] = {}
    for action_id, keys in shortcuts.items():
        for key in dict.fromkeys(portable(k) for k in keys):
            if key:
                claims.setdefault(key, []).append(action_id)
    clashes: dict[str, list[ActionId]] = {}
    for key, ids in claims.items():
        clashing = [
            a for a in ids
            if any(b != a and scopes_overlap(SPECS_BY_ID[a].scope, SPECS_BY_ID[b].scope) for b in ids)
        ]
        if clashing:
            clashes[key] = clashing
    return clashes


def bind(action_id: ActionId, widget: QWidget, slot: Callable[[], object],
         context: Qt.ShortcutContext | None = None, keys: Iterable[str] | None = None) -> QAction:
    """The action's QAction on `widget`, running `slot`: how every view gets its keys (never a QShortcut).

    A view builds its own with the default keys; the registry of the window it lands in adopts it and gives
    it the keys the person chose. `context` narrows where it works (e.g. only in the note box).
    """
    spec = SPECS_BY_ID[action_id]
    action = QAction(widget)
    action.setObjectName(action_id.value)
    if context is None:
        context = Qt.ShortcutContext.WindowShortcut if spec.scope in _WINDOW_SCOPES else Qt.ShortcutContext.WidgetWithChildrenShortcut
    action.setShortcutContext(context)
    action.setShortcuts([QKeySequence(key) for key in (spec.shortcuts if keys is None else keys)])
    action.setText(translated(spec.text))
    action.triggered.connect(lambda _checked=False: slot())
    widget.addAction(action)
    return action


def bind_queue_keys(view) -> list[QAction]:
    """A queue's keys and those of the ticket it opens beside the list (Ctrl+F; note, save, back)."""
    detail = view.detail
    actions = [
        bind(ActionId.QUEUE_FIND, view, view.focus_search),
        bind(ActionId.DETAIL_ADD_NOTE, detail.note_edit, detail.add_note, Qt.ShortcutContext.WidgetShortcut),
        bind(ActionId.DETAIL_SAVE, detail, detail.save_changes),
        bind(ActionId.DETAIL_BACK, detail, detail.closed.emit),
    ]
    note, save = actions[1], actions[2]

    def show_keys() -> None:  # the buttons name the keys, also after the person changed them
        detail.set_key_hints(save.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
                             note.shortcut().toString(QKeySequence.SequenceFormat.NativeText))

    for action in (note, save):
        action.changed.connect(show_keys)
    show_keys()
    return actions


def _address(action: QAction) -> int:
    return shiboken6.getCppPointer(action)[0]


class ActionRegistry(QObject):
    """Every key of the console: binds actions to views, adopts the ones views made, changes keys at run time."""

    shortcutsChanged = Signal()

    def __init__(self, parent: QObject | None = None, overrides: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self._bound: list[QAction] = []
        self._overrides = parse_overrides(overrides or {})

    # --- binding ----------------------------------------------------------------------------------------
    def bind(self, action_id: ActionId, widget: QWidget, slot: Callable[[], object],
             context: Qt.ShortcutContext | None = None) -> QAction:
        action = bind(action_id, widget, slot, context, self.shortcuts(action_id))
        self._bound.append(action)
        return action

    def adopt(self, root: QObject) -> int:
        """Take over the actions views under `root` bound themselves: they get this registry's keys."""
        known = {spec.id.value for spec in ACTION_SPECS}
        mine = {_address(action) for action in self._live()}
        adopted = 0
        for action in root.findChildren(QAction):
            if action.objectName() in known and _address(action) not in mine:
                action.setShortcuts([QKeySequence(k) for k in self.shortcuts(ActionId(action.objectName()))])
                self._bound.append(action)
                adopted += 1
        return adopted

    def _live(self) -> list[QAction]:
        # Actions die with their view (a closed dialog): forget them instead of touching a deleted object.
        self._bound = [action for action in self._bound if shiboken6.isValid(action)]
        return self._bound

    def actions(self, action_id: ActionId) -> list[QAction]:
        return [action for action in self._live() if action.objectName() == action_id.value]

    def action(self, action_id: ActionId) -> QAction:
        """The first QAction bound for this id (the one menus show)."""
        found = self.actions(action_id)
        if not found:
            raise KeyError(f"no view has bound {action_id.value}")
        return found[0]

    # --- keys -------------------------------------------------------------------------------------------
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
        for action in self._live():
            action.setShortcuts([QKeySequence(k) for k in self.shortcuts(ActionId(action.objectName()))])
        self.shortcutsChanged.emit()
        return overrides

    def action_for_key(self, sequence: QKeySequence, scopes: Iterable[Scope] = (Scope.GLOBAL, Scope.INTAKE)) -> ActionId | None:
        """Which action a key press would trigger where the focus is (for popups that swallow window shortcuts)."""
        text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
        wanted = set(scopes)
        for spec in ACTION_SPECS:
            if spec.scope in wanted and any(portable(key) == text for key in self.shortcuts(spec.id)):
                return spec.id
        return None

    def shortcut_text(self, action_id: ActionId) -> str:
        keys = self.shortcuts(action_id)
        return native(keys[0]) if keys else ""

    def retranslate_ui(self) -> None:
        for action in self._live():
            action.setText(translated(SPECS_BY_ID[ActionId(action.objectName())].text))
