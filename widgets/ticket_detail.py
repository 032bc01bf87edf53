"""One ticket in full: its fields, its history (values overwritten by sync shown as such) and its notes."""

from __future__ import annotations

import logging
import sqlite3

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.operations import Operations
from console.server_messages import rejection_text
from storage.errors import StorageError, ValidationError
from widgets import sla
from widgets.ticket_format import Words, event_line, field_values, header_text, is_overwrite, note_line
from widgets.ticket_table import (
    action_text,
    call_time_text,
    callback_text,
    field_text,
    request_type_text,
    status_text,
    ticket_reference,
    urgency_text,
)

log = logging.getLogger("hotline.queue")

# Content fields an operator may correct here; each edit goes out as ticket.update with the base version.
EDITABLE = ("caller_name", "incident_address", "description")
# The read-only fields, in the order they are shown.
READONLY = ("status", "operator", "unit_code", "sla", "caller_phone", "call_started_at", "category_code",
            "sub_district_code", "request_type", "urgency", "callback_result")


def _short_time(value) -> str:
    moment = sla.parse_time(value)
    return moment.astimezone().strftime("%m-%d %H:%M") if moment else ""


def _sla_left(ticket: dict) -> str:
    return sla.describe(sla.ticket_sla(ticket)[0])


class _PlainEdit(QPlainTextEdit):
    """A description box where Tab moves on to the next field instead of typing a tab."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)


class TicketDetail(QWidget):
    """Shows a ticket; edits are saved through the cache; sync refreshes never overwrite a field being edited.

    Its texts are made by widgets.ticket_format (no Qt there); keys are bound by the console to add_note,
    save_changes and closed (see set_key_hints).
    """

    saved = Signal(str)  # ticket id after a local commit
    noteAdded = Signal(str)
    closed = Signal()
    changedElsewhere = Signal(str, list)  # ticket id, fields whose edit was kept while another value arrived

    def __init__(self, cache, author: str = "", role: str = "operator", category_name=None, parent=None,
                 operations=None) -> None:
        super().__init__(parent)
        self._cache = cache
        self._author = author
        self._role = role
        # Changes go through the console's one write path (it pokes sync and tells the other views).
        self._operations = operations if operations is not None else _own_operations(cache, author, role, self)
        self._category_name = category_name or (lambda code: code or "")
        self._ticket: dict | None = None
        self._shown: dict[str, str] = {}  # what each editable field showed when last filled from the cache
        self._elsewhere: dict[str, str] = {}  # field -> value that arrived while it was being edited
        self._key_hints = {"save": "Ctrl+S", "note": "Ctrl+Enter"}  # the console says which keys it bound

        self._build_header()
        self._build_fields()
        self._build_actions()
        self._build_history_and_notes()
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.fields_box)
        layout.addWidget(self.actions_box)
        lower = QHBoxLayout()
        lower.addWidget(self.history_box, 1)
        lower.addWidget(self.notes_box, 1)
        layout.addLayout(lower, 1)
        self.retranslate_ui()

    # --- building -------------------------------------------------------------------------------------------
    def _build_header(self) -> None:
        self.header = QLabel(self)
        self.header.setObjectName("detailHeader")
        self.header.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.banner = QLabel(self)
        self.banner.setObjectName("detailBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 4px; border: 1px solid #e0c36a;")
        self.banner.hide()

    def _build_fields(self) -> None:
        self.fields_box = QGroupBox(self)
        form = QFormLayout(self.fields_box)
        self._values: dict[str, QLabel] = {}
        self._labels: dict[str, QLabel] = {}
        for key in READONLY:
            label, value = QLabel(self.fields_box), QLabel(self.fields_box)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._labels[key], self._values[key] = label, value
            form.addRow(label, value)
        self.caller_name_edit = QLineEdit(self.fields_box)
        self.caller_name_edit.setObjectName("detail_caller_name")
        self.incident_address_edit = QLineEdit(self.fields_box)
        self.incident_address_edit.setObjectName("detail_incident_address")
        self.description_edit = _PlainEdit(self.fields_box)
        self.description_edit.setObjectName("detail_description")
        self.description_edit.setMaximumHeight(90)
        self._edits = {"caller_name": self.caller_name_edit, "incident_address": self.incident_address_edit,
                       "description": self.description_edit}
        self._elsewhere_labels: dict[str, QLabel] = {}
        for key, edit in self._edits.items():
            self._labels[key] = QLabel(self.fields_box)
            form.addRow(self._labels[key], self._editable_row(key, edit))
        self.save_button = QPushButton(self.fields_box)
        self.save_button.clicked.connect(self.save_changes)
        form.addRow("", self.save_button)
        self.save_message = QLabel(self.fields_box)
        self.save_message.setWordWrap(True)
        form.addRow("", self.save_message)

    def _editable_row(self, key: str, edit: QWidget) -> QWidget:
        """The edit with its "changed elsewhere" marker under it (hidden until a sync brings another value)."""
        holder = QWidget(self.fields_box)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(edit)
        marker = QLabel(holder)
        marker.setObjectName(f"elsewhere_{key}")
        marker.setStyleSheet("color: #b86e00;")
        marker.setWordWrap(True)
        marker.hide()
        box.addWidget(marker)
        self._elsewhere_labels[key] = marker
        return holder

    def _build_actions(self) -> None:
        # The next step in the lifecycle this role may take (accept, return with a reason, close after callback...).
        self.actions_box = QGroupBox(self)
        self.action_combo = QComboBox(self.actions_box)
        self.action_combo.setObjectName("detailAction")
        self.action_combo.currentIndexChanged.connect(lambda _i: self._update_action_inputs())
        self.action_reason = QLineEdit(self.actions_box)
        self.action_reason.setObjectName("detailActionReason")
        self.callback_combo = QComboBox(self.actions_box)
        self.callback_combo.setObjectName("detailCallbackResult")
        for value in ("satisfied", "basically_satisfied", "unsatisfied", "not_reached"):
            self.callback_combo.addItem("", value)
        self.action_button = QPushButton(self.actions_box)
        self.action_button.setObjectName("detailActionButton")
        self.action_button.clicked.connect(self.apply_action)
        self.action_reason.returnPressed.connect(self.apply_action)
        actions_row = QHBoxLayout(self.actions_box)
        actions_row.addWidget(self.action_combo)
        actions_row.addWidget(self.callback_combo)
        actions_row.addWidget(self.action_reason, 1)
        actions_row.addWidget(self.action_button)
        self.actions_box.hide()

    def _build_history_and_notes(self) -> None:
        self.history_box = QGroupBox(self)
        self.history_list = QListWidget(self.history_box)
        self.history_list.setObjectName("detailHistory")
        self.history_list.setWordWrap(True)
        QVBoxLayout(self.history_box).addWidget(self.history_list)

        self.notes_box = QGroupBox(self)
        self.notes_list = QListWidget(self.notes_box)
        self.notes_list.setObjectName("detailNotes")
        self.notes_list.setWordWrap(True)
        self.note_edit = QPlainTextEdit(self.notes_box)
        self.note_edit.setObjectName("detailNoteEdit")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(60)
        self.add_note_button = QPushButton(self.notes_box)
        self.add_note_button.clicked.connect(self.add_note)
        notes_layout = QVBoxLayout(self.notes_box)
        notes_layout.addWidget(self.notes_list)
        row = QHBoxLayout()
        row.addWidget(self.note_edit, 1)
        row.addWidget(self.add_note_button)
        notes_layout.addLayout(row)

    def set_key_hints(self, save: str, note: str) -> None:
        """The keys bound to save_changes and add_note, as the person reads them (the buttons name them)."""
        if self._key_hints == {"save": save, "note": note}:
            return
        self._key_hints = {"save": save, "note": note}
        self.retranslate_ui()

    def words(self) -> Words:
        """How the formatting speaks here: Qt's translations, the ticket table's names, the UI language."""
        return Words(
            translate=QCoreApplication.translate, status=status_text, action=action_text, field=field_text,
            callback=callback_text, request_type=request_type_text, urgency=urgency_text, reference=ticket_reference,
            call_time=call_time_text, short_time=_short_time, sla_left=_sla_left, category=self._category_name,
            server_message=rejection_text,
            zh=QLocale().language() == QLocale.Language.Chinese,
        )

    # --- showing --------------------------------------------------------------------------------------------
    def ticket_id(self) -> str | None:
        return self._ticket.get("id") if self._ticket else None

    def ticket(self) -> dict | None:
        return dict(self._ticket) if self._ticket else None

    def show_ticket(self, ticket_id: str) -> bool:
        ticket = self._cache.get_ticket(ticket_id)
        if ticket is None:
            return False
        self._ticket = ticket
        self._elsewhere.clear()
        self.banner.hide()
        self.save_message.clear()
        for key in self._edits:
            self._set_edit(key, ticket.get(key) or "")
            self._elsewhere_labels[key].hide()
        self._fill_readonly()
        self._fill_history_and_notes()
        self._fill_actions()
        return True

    def _edit_text(self, key: str) -> str:
        edit = self._edits[key]
        return edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()

    def _set_edit(self, key: str, value: str) -> None:
        edit = self._edits[key]
        if isinstance(edit, QPlainTextEdit):
            edit.setPlainText(value)
        else:
            edit.setText(value)
        self._shown[key] = value

    def is_editing(self, key: str) -> bool:
        """The person is typing here (focus) or has typed something not yet saved."""
        return self._edits[key].hasFocus() or self._edit_text(key) != self._shown.get(key, "")

    def _fill_readonly(self) -> None:
        t = self._ticket or {}
        words = self.words()
        self.header.setText(header_text(t, words))
        for key, text in field_values(t, words).items():
            self._values[key].setText(text)
        # The names are what people read; the codes stay at hand for talking to a unit or the admin.
        self._values["unit_code"].setToolTip(t.get("unit_code") or "")
        self._values["sub_district_code"].setToolTip(t.get("sub_district_code") or "")

    def _fill_history_and_notes(self) -> None:
        ticket_id = self.ticket_id()
        self.history_list.clear()
        self.notes_list.clear()
        if not ticket_id:
            return
        words = self.words()
        try:
            events = self._cache.history(ticket_id)
        except (StorageError, sqlite3.Error):
            log.exception("reading the history of %s failed", ticket_id)
            events = []
        for event in events:
            item = QListWidgetItem(event_line(event, words))
            if is_overwrite(event):
                item.setForeground(Qt.GlobalColor.darkRed)
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.history_list.addItem(item)
        try:
            notes = self._cache.notes(ticket_id)
        except (StorageError, sqlite3.Error):
            log.exception("reading the notes of %s failed", ticket_id)
            notes = []
        for note in notes:
            self.notes_list.addItem(note_line(note, words))
        self.history_list.scrollToBottom()
        self.notes_list.scrollToBottom()

    # --- sync changes ----------------------------------------------------------------------------------------
    def refresh_from_cache(self) -> list[str]:
        """Re-read the ticket after a sync; fields being edited keep the person's text and get a marker instead.

        Returns the fields whose incoming value was held back because they were being edited.
        """
        ticket_id = self.ticket_id()
        if not ticket_id:
            return []
        fresh = self._cache.get_ticket(ticket_id)
        if fresh is None:
            self.banner.setText(self.tr("This ticket is no longer visible to you (reassigned or out of your scope)."))
            self.banner.show()
            return []
        held: list[str] = []
        for key in EDITABLE:
            incoming = fresh.get(key) or ""
            if incoming == self._shown.get(key, ""):
                continue
            if self.is_editing(key):
                if incoming != self._edit_text(key):
                    self._elsewhere[key] = incoming
                    marker = self._elsewhere_labels[key]
                    marker.setText(self.tr("Changed elsewhere to: %1").replace("%1", incoming[:200]))
                    marker.show()
                    held.append(key)
                self._shown[key] = incoming  # saving later overwrites on purpose, and the history keeps the other value
            else:
                self._set_edit(key, incoming)
                self._elsewhere_labels[key].hide()
        self._ticket = fresh
        self._fill_readonly()
        self._fill_history_and_notes()
        if not self.action_reason.hasFocus() and not self.action_reason.text():
            self._fill_actions()
        if held:
            self.banner.setText(self.tr("Changed elsewhere while you were editing: %1. Your text is kept; "
                                        "saving will replace the other value (it stays in the history).")
                                .replace("%1", ", ".join(self._labels[k].text().rstrip(":") for k in held)))
            self.banner.show()
            self.changedElsewhere.emit(ticket_id, held)
        return held

    # --- lifecycle ------------------------------------------------------------------------------------------
    def _fill_actions(self) -> None:
        from domain.lifecycle import allowed_actions

        status = (self._ticket or {}).get("status") or ""
        actions = allowed_actions(status, self._role) if self._ticket else []
        self.action_combo.blockSignals(True)
        self.action_combo.clear()
        for action in actions:
            self.action_combo.addItem(action_text(action), action)
        self.action_combo.blockSignals(False)
        self.actions_box.setVisible(bool(actions))
        self._update_action_inputs()

    def _update_action_inputs(self) -> None:
        from domain.lifecycle import find

        action = self.action_combo.currentData()
        status = (self._ticket or {}).get("status") or ""
        move = find(status, action) if action else None
        self.callback_combo.setVisible(status == "callback" and action == "close")
        needs_reason = bool(move and move.needs_reason)
        self.action_reason.setPlaceholderText(self.tr("Reason (required)") if needs_reason else self.tr("Reason (optional)"))

    def apply_action(self) -> bool:
        """Take the chosen lifecycle step; the cache checks it locally and queues it for the central service."""
        ticket_id = self.ticket_id()
        action = self.action_combo.currentData()
        if not ticket_id or not action:
            return False
        extra = {"reason": self.action_reason.text().strip()}
        if self.callback_combo.isVisibleTo(self):
            extra["callback_result"] = self.callback_combo.currentData()
        try:
            self._operations.transition(ticket_id, action, **extra)
        except StorageError as exc:  # refused (ValidationError says which fields) or the cache in trouble
            problems = exc.problems if isinstance(exc, ValidationError) else None
            text = "; ".join(problems.values()) if problems else str(exc)
            self.save_message.setText(self.tr("Not done: %1").replace("%1", text))
            if problems and "reason" in " ".join(problems.values()).lower():
                self.action_reason.setFocus()
            return False
        self.action_reason.clear()
        self._ticket = self._cache.get_ticket(ticket_id) or self._ticket
        self.save_message.setText(self.tr("Done: %1.").replace("%1", action_text(action)))
        self._fill_readonly()
        self._fill_history_and_notes()
        self._fill_actions()
        self.saved.emit(ticket_id)
        return True

    # --- actions --------------------------------------------------------------------------------------------
    def save_changes(self) -> bool:
        ticket_id = self.ticket_id()
        if not ticket_id:
            return False
        changes = {k: self._edit_text(k) for k in EDITABLE if self._edit_text(k) != (self._ticket.get(k) or "")}
        if not changes:
            self.save_message.setText(self.tr("Nothing to save."))
            return False
        try:
            self._operations.save_edits(ticket_id, changes)
        except StorageError as exc:  # refused (ValidationError says which fields) or the cache in trouble
            problems = exc.problems if isinstance(exc, ValidationError) else None
            text = "; ".join(problems.values()) if problems else str(exc)
            self.save_message.setText(self.tr("Not saved: %1").replace("%1", text))
            log.warning("saving ticket %s failed: %s", ticket_id, exc)
            return False
        self._ticket = self._cache.get_ticket(ticket_id) or self._ticket
        for key in EDITABLE:
            self._shown[key] = self._edit_text(key)
            self._elsewhere_labels[key].hide()
        self._elsewhere.clear()
        self.banner.hide()
        self.save_message.setText(self.tr("Saved."))
        self._fill_readonly()
        self._fill_history_and_notes()
        self.saved.emit(ticket_id)
        return True

    def add_note(self) -> bool:
        ticket_id = self.ticket_id()
        text = self.note_edit.toPlainText().strip()
        if not ticket_id or not text:
            return False
        try:
            self._operations.add_note(ticket_id, text)
        except StorageError as exc:
            self.save_message.setText(self.tr("Note not saved: %1").replace("%1", str(exc)))
            log.warning("adding a note to %s failed: %s", ticket_id, exc)
            return False
        self.note_edit.clear()
        self._fill_history_and_notes()
        self.noteAdded.emit(ticket_id)
        return True

    # --- texts ----------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        names = {
            "status": self.tr("Status:"), "operator": self.tr("Operator:"), "unit_code": self.tr("Unit:"),
            "sla": self.tr("SLA left:"), "caller_phone": self.tr("Caller number:"), "call_started_at": self.tr("Call time:"),
            "category_code": self.tr("Category:"), "sub_district_code": self.tr("Sub-district:"),
            "request_type": self.tr("Request type:"), "urgency": self.tr("Urgency:"),
            "callback_result": self.tr("Callback:"), "caller_name": self.tr("Caller name:"),
            "incident_address": self.tr("Incident address:"), "description": self.tr("Description:"),
        }
        for key, text in names.items():
            self._labels[key].setText(text)
        self.fields_box.setTitle(self.tr("Ticket"))
        self.actions_box.setTitle(self.tr("Next step"))
        self.action_button.setText(self.tr("Do it"))
        for index in range(self.callback_combo.count()):
            self.callback_combo.setItemText(index, callback_text(self.callback_combo.itemData(index)))
        for index in range(self.action_combo.count()):
            self.action_combo.setItemText(index, action_text(self.action_combo.itemData(index)))
        self._update_action_inputs()
        self.history_box.setTitle(self.tr("History"))
        self.notes_box.setTitle(self.tr("Notes"))
        save, note = self._key_hints["save"], self._key_hints["note"]
        self.save_button.setText(self.tr("Save changes (%1)").replace("%1", save) if save else self.tr("Save changes"))
        self.add_note_button.setText(self.tr("Add note (%1)").replace("%1", note) if note else self.tr("Add note"))
        self.note_edit.setPlaceholderText(self.tr("Type a note, %1 adds it").replace("%1", note) if note else self.tr("Type a note"))
        if self._ticket:
            self._fill_readonly()
            self._fill_history_and_notes()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def _own_operations(cache, author: str, role: str, parent):
    """A detail shown on its own (no console around it) still writes through the one write path."""
    return Operations(cache, author=author, role=role, parent=parent)
