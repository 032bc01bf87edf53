"""The console's main window: the intake form with caller context, the queue, sync status, and every key."""

from __future__ import annotations

import logging

import httpx2
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.actions import SPECS_BY_ID, SUGGESTION_ACTIONS, ActionId, ActionRegistry, Scope
from console.diagnostics import DiagnosticsDialog
from console.i18n import current_language, install_language, language_notifier
from console.intake import IntakeController
from console.log import ring_buffer
from console.queue import QueueView
from console.queue_supervisor import SupervisorView
from console.settings import HOTKEY_NOTICE_SHOWN, LANGUAGE
from console.shortcut_dialogs import ShortcutHelpDialog, ShortcutSettingsDialog
from storage.errors import StorageError
from widgets.caller_context import CallerContextPanel
from widgets.category_search import CategorySearchDialog, category_name
from widgets.sync_status import SyncStatusWidget
from widgets.ticket_form import TicketForm

log = logging.getLogger("hotline.console")

FIELD_ACTIONS = {
    "caller_phone": ActionId.FOCUS_PHONE,
    "caller_name": ActionId.FOCUS_NAME,
    "caller_address": ActionId.FOCUS_CALLER_LOCATION,
    "incident_address": ActionId.FOCUS_INCIDENT_ADDRESS,
    "request_type": ActionId.FOCUS_REQUEST_TYPE,
    "description": ActionId.FOCUS_DESCRIPTION,
    "category_code": ActionId.CATEGORY_SEARCH,
    "urgency": ActionId.FOCUS_URGENCY,
}


class MainWindow(QMainWindow):
    """Places the parts; the AppContext it gets is the only way it reaches the cache, model and settings."""

    hotkeyNoticeShown = Signal(str)

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.resize(1280, 800)
        # First, so every view built below gets its keys from it (views bind defaults; the registry adopts them).
        self.registry = ActionRegistry(self, ctx.settings.shortcut_overrides())
        self.tabs = QTabWidget()
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # Calm, one-time notices (e.g. the global hotkey is off); gone after the next saved ticket.
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff8e1; color: #5d4037; padding: 6px; border-bottom: 1px solid #ffe082;")
        self.notice.hide()
        column.addWidget(self.notice)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        # Intake page: the form, and the caller's context beside it.
        self.intake_page = QWidget()
        self.intake_page.setObjectName("intakePage")
        row = QHBoxLayout(self.intake_page)
        row.setContentsMargins(0, 0, 0, 0)
        self.form = TicketForm(ctx.taxonomy, ctx.gazetteer, ctx.suggester)
        row.addWidget(self.form, 3)
        self.caller_context = self._make_caller_context()
        row.addWidget(self.caller_context, 2)
        self.tabs.addTab(self.intake_page, "")
        self.queue = self._make_queue()
        self.tabs.addTab(self.queue, "")
        self.shift: SupervisorView | None = None
        self._sync_connected = False
        self._ensure_shift_view()

        self.intake = IntakeController(self.form, ctx, self)
        self._connect_actions()
        self._build_menus()
        self._build_status_bar()
        for address in (self.form.incident_address, self.form.caller_location):
            address.shortcut_handler = self._trigger_for_key
        self.registry.shortcutsChanged.connect(self._show_key_hints)
        self._show_key_hints()

        self.intake.message.connect(self.show_message)
        self.intake.draftsChanged.connect(self._show_drafts)
        self.intake.callPopped.connect(self._on_call_popped)
        self.intake.saved.connect(self._on_saved)
        self.form.searchRequested.connect(self.search_category)
        self.form.categoryChanged.connect(lambda _c: self._update_duplicates())
        self.form.routingChanged.connect(lambda _r: self._update_duplicates())
        self.form.phone.editingFinished.connect(self._on_phone_entered)
        ctx.suggesterChanged.connect(self._on_suggester)
        if ctx.suggester is None:
            self.form.suggestions.set_loading()
        ctx.sessionChanged.connect(self._show_user)
        ctx.sessionChanged.connect(self._ensure_shift_view)
        self.connect_sync()
        self._language_hook()
        self.retranslate_ui()
        self.intake.restore_on_start()
        self.tabs.setCurrentWidget(self.intake_page)

    # ---------------------------------------------------------------- parts from the queue/status side
    def _category_name(self, code: str) -> str:
        category = self.ctx.taxonomy.get(code) if code and self.ctx.taxonomy is not None else None
        return category_name(category) if category is not None else (code or "")

    def _make_caller_context(self) -> QWidget:
        panel = CallerContextPanel(self.ctx.cache, self._category_name)
        panel.attachRequested.connect(self._attach_to)
        return panel

    def _make_queue(self) -> QueueView:
        session = self.ctx.session
        # Its changes go through the console's write path, which pokes sync and tells the other views.
        return QueueView(self.ctx.cache, self.ctx.username(), self.ctx.role(),
                         session.unit_code if session else None, self._category_name, operations=self.ctx.operations)

    def _ensure_shift_view(self) -> None:
        """Supervisors (and admins) get the shift tab: SLA clocks, operator load, bulk reassignment."""
        if self.shift is not None or self.ctx.role() not in ("supervisor", "admin"):
            return
        session = self.ctx.session
        self.shift = SupervisorView(self.ctx.cache, self.ctx.username(),
                                    session.unit_code if session else None, self._category_name,
                                    operations=self.ctx.operations)
        self.tabs.addTab(self.shift, "")
        self.registry.adopt(self.shift)
        if self._sync_connected:
            self.ctx.sync.changesArrived.connect(self.shift.apply_sync_changes)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.drafts_label = QLabel()
        self.drafts_label.setObjectName("draftsLabel")
        self.sync_status = SyncStatusWidget(self.ctx.cache)
        self.sync_status.diagnosticsRequested.connect(self.show_diagnostics)
        self.sync_status.setObjectName("syncStatus")
        bar.addPermanentWidget(self.drafts_label)
        bar.addPermanentWidget(self.sync_status)
        bar.addPermanentWidget(self.user_label)

    def connect_sync(self) -> None:
        """Wire the sync thread's news into the status bar and the queue (once it exists)."""
        sync = self.ctx.sync
        if sync is None or self._sync_connected:
            return
        self._sync_connected = True
        sync.stateChanged.connect(self.sync_status.set_state)
        sync.stateChanged.connect(self._on_sync_state)
        sync.changesArrived.connect(self.queue.apply_sync_changes)
        if self.shift is not None:
            sync.changesArrived.connect(self.shift.apply_sync_changes)
        if sync.state is not None:
            self.sync_status.set_state(sync.state)

    # ---------------------------------------------------------------- actions
    def _connect_actions(self) -> None:
        """Every key of the window through the registry; the views' own keys (queue, shift) are adopted."""
        handlers = {
            ActionId.NEW_TICKET: lambda: self.take_call(""),
            ActionId.DISPATCH: lambda: self.intake.dispatch(),
            ActionId.ANSWER_DIRECTLY: lambda: self.intake.answer_directly(),
            ActionId.SAVE_ONLY: lambda: self.intake.save_only(),
            ActionId.BACK_OUT: lambda: self.intake.back_out(),
            ActionId.RESUME_DRAFT: self.resume_draft,
            ActionId.CATEGORY_SEARCH: lambda: self.search_category(""),
            ActionId.FOCUS_CALLER_CONTEXT: self.focus_caller_context,
            ActionId.CALLER_ATTACH: self.caller_context.attach_current,
            ActionId.SHOW_INTAKE: self.show_intake,
            ActionId.SHOW_QUEUE: self.show_queue,
            ActionId.SHOW_SHIFT: self.show_shift,
            ActionId.HELP: self.show_help,
            ActionId.SETTINGS: self.show_settings,
            ActionId.DIAGNOSTICS: self.show_diagnostics,
            ActionId.SWITCH_LANGUAGE: self.switch_language,
            ActionId.SIGN_OUT: self.sign_out,
            ActionId.QUIT: self.close,
        }
        for rank, action_id in enumerate(SUGGESTION_ACTIONS, start=1):
            handlers[action_id] = lambda rank=rank: self._take_suggestion(rank)
        for field, action_id in FIELD_ACTIONS.items():
            if action_id != ActionId.CATEGORY_SEARCH:
                handlers[action_id] = lambda field=field: self.form.focus_field(field)
        owners = {Scope.GLOBAL: self, Scope.INTAKE: self.intake_page}
        for action_id, handler in handlers.items():
            # Attaching works only inside the caller's lists: from the form it would pick a ticket unseen.
            owner = self.caller_context if action_id == ActionId.CALLER_ATTACH else owners[SPECS_BY_ID[action_id].scope]
            self.registry.bind(action_id, owner, handler)
        self.registry.adopt(self)

    def _trigger_for_key(self, event) -> bool:
        """A completion popup swallows window keys: find the action the key means and run it."""
        sequence = QKeySequence(event.keyCombination())
        action_id = self.registry.action_for_key(sequence)
        if action_id is None:
            return False
        QTimer.singleShot(0, self.registry.action(action_id).trigger)
        return True

    def _build_menus(self) -> None:
        # No &-mnemonics on the menus: Alt+letters belong to the form's fields.
        bar = self.menuBar()
        self._menus = {}
        for key, ids in (
            ("ticket", (ActionId.NEW_TICKET, ActionId.DISPATCH, ActionId.ANSWER_DIRECTLY, ActionId.SAVE_ONLY,
                        ActionId.BACK_OUT, ActionId.RESUME_DRAFT, ActionId.CATEGORY_SEARCH)),
            ("view", (ActionId.SHOW_INTAKE, ActionId.SHOW_QUEUE, ActionId.DIAGNOSTICS, ActionId.SWITCH_LANGUAGE)),
            ("console", (ActionId.SETTINGS, ActionId.SIGN_OUT, ActionId.QUIT)),
            ("help", (ActionId.HELP,)),
        ):
            menu = bar.addMenu("")
            for action_id in ids:
                menu.addAction(self.registry.action(action_id))
            self._menus[key] = menu

    def _show_key_hints(self) -> None:
        self.form.set_key_hints({field: self.registry.shortcut_text(a) for field, a in FIELD_ACTIONS.items()})
        self.caller_context.set_attach_key(self.registry.shortcut_text(ActionId.CALLER_ATTACH))

    # ---------------------------------------------------------------- intake
    def take_call(self, ani: str) -> None:
        """A screen-pop or F2: bring the console forward with a fresh ticket."""
        self.bring_forward()
        self.show_intake()
        self.intake.new_call(ani)

    def bring_forward(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def show_intake(self) -> None:
        self.tabs.setCurrentWidget(self.intake_page)
        self.form.focus_first_needed()

    def show_queue(self) -> None:
        self.tabs.setCurrentWidget(self.queue)
        self.queue.reload()
        self.queue.focus_search()

    def show_shift(self) -> None:
        if self.shift is None:
            self.show_message(self.tr("The shift view is for supervisors."))
            return
        self.tabs.setCurrentWidget(self.shift)
        self.shift.refresh_load()
        self.shift.queue.reload()
        self.shift.queue.focus_search()

    def resume_draft(self) -> None:
        """Ctrl+R from any tab: the kept draft comes back on the intake page (whatever was there is kept)."""
        self.tabs.setCurrentWidget(self.intake_page)
        self.intake.resume_draft()

    def _take_suggestion(self, rank: int) -> None:
        if not self.form.take_suggestion(rank):
            self.show_message(self.tr("There is no suggestion %1 yet: type more of the description, or F4.").replace("%1", str(rank)))

    def search_category(self, initial: str) -> None:
        dialog = CategorySearchDialog(self.ctx.taxonomy, initial, self)
        self._category_dialog = dialog
        dialog.finished.connect(lambda result: self._category_chosen(dialog, result))
        dialog.open()
        dialog.activateWindow()

    def _category_chosen(self, dialog, result) -> None:
        if result == QDialog.DialogCode.Accepted and dialog.chosen_code:
            self.form.choose_category(dialog.chosen_code)
        self._category_dialog = None
        self.activateWindow()
        self.form.focus_first_needed() if not dialog.chosen_code else self.form.focus_field("description")

    def _on_call_popped(self, ani: str) -> None:
        if ani:
            self.caller_context.show_for_phone(ani, exclude_id=self.form.ticket_id)
        else:
            self.caller_context.clear()

    def _on_phone_entered(self) -> None:
        phone = self.form.phone.text().strip()
        if phone:
            v = self.form.values()
            self.caller_context.show_for_phone(phone, v["category_code"] or None, v["sub_district_code"] or None,
                                               v["incident_address"] or None, exclude_id=self.form.ticket_id)

    def _update_duplicates(self) -> None:
        v = self.form.values()
        self.caller_context.update_duplicates(v["category_code"] or None, v["sub_district_code"] or None,
                                              v["incident_address"] or None, exclude_id=self.form.ticket_id)

    def focus_caller_context(self) -> None:
        """Alt+H: into the likely duplicates (or the caller's history); Enter there attaches this call."""
        panel = self.caller_context
        for view_name, model_name in (("duplicates_view", "duplicates_model"), ("history_view", "history_model")):
            view, model = getattr(panel, view_name, None), getattr(panel, model_name, None)
            if view is not None and model is not None and model.rowCount():
                view.setFocus(Qt.FocusReason.ShortcutFocusReason)
                if not view.currentIndex().isValid():
                    view.setCurrentIndex(model.index(0, 0))
                return
        self.show_message(self.tr("No earlier tickets or likely duplicates for this call."))

    def _attach_to(self, ticket_id: str) -> None:
        """This call is about a ticket already open: note it there instead of opening another."""
        values = self.form.values()
        text = values["description"] or self.tr("The caller called again about this.")
        try:
            self.ctx.operations.attach_call(ticket_id, text, draft_id=values["id"])
        except StorageError as exc:  # refused or the cache in trouble: the form keeps the call
            self.show_message(self.tr("Could not add the call to that ticket: %1").replace("%1", str(exc)))
            return
        self.form.start_ticket()
        self.show_message(self.tr("Call added to the existing ticket as a note."))

    def _on_saved(self, _ticket: dict) -> None:
        # The queue and the shift refresh from the write path's broadcast.
        self.notice.hide()
        self.caller_context.clear()

    def _on_suggester(self, suggester) -> None:
        if suggester is None and self.form.suggester is not None and self.ctx.suggester is self.form.suggester:
            return  # a newer model failed to load: keep working with the one we have (it fits the catalogue)
        self.form.suggester = suggester
        self.form.suggestions.set_unavailable(suggester is None)
        self.form.flush_suggestions()

    # ---------------------------------------------------------------- status
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

    def _show_drafts(self, count: int) -> None:
        self.drafts_label.setText(self.tr("%1 kept draft(s): Ctrl+R").replace("%1", str(count)) if count else "")

    def _show_user(self) -> None:
        session = self.ctx.session
        if session is None:
            self.user_label.setText(self.tr("not signed in"))
            return
        state = self.ctx.sync.state if self.ctx.sync is not None else None
        online = bool(state and state.online) and bool(session.token)
        where = self.tr("online") if online else self.tr("offline")
        roles = {"operator": self.tr("call-taker"), "supervisor": self.tr("supervisor"), "handler": self.tr("unit staff"),
                 "admin": self.tr("administrator")}
        self.user_label.setText(f"{session.username} ({roles.get(session.role, session.role)}) · {where}")

    def notify_hotkey_unavailable(self, reason: str) -> bool:
        """Say once (ever, on this workstation) that the global hotkey is off and why; True if said now."""
        if self.ctx.settings.get(HOTKEY_NOTICE_SHOWN):
            return False
        self.ctx.settings.set(HOTKEY_NOTICE_SHOWN, True)
        # Kept in its English source form, so a language switch can say it again in the new language.
        self._hotkey_reason = reason
        text = self._hotkey_notice_text()
        self.notice.setText(text)
        self.notice.show()
        self.hotkeyNoticeShown.emit(text)
        log.info("told the operator the global hotkey is off")
        return True

    def _hotkey_notice_text(self) -> str:
        return self.tr("The global answer key is off: %1 The console's own keys all work (F2 takes a call, F1 lists every key).").replace(
            "%1", QCoreApplication.translate("Hotkey", self._hotkey_reason or ""))

    # ---------------------------------------------------------------- dialogs
    def show_help(self) -> None:
        dialog = ShortcutHelpDialog(self.registry, self)
        self._help_dialog = dialog
        dialog.open()
        dialog.activateWindow()

    def show_settings(self) -> None:
        dialog = ShortcutSettingsDialog(self.registry, self.ctx.settings, self)
        self._settings_dialog = dialog
        dialog.open()
        dialog.activateWindow()

    def show_diagnostics(self) -> None:
        state = self.ctx.sync.state if self.ctx.sync is not None else None
        dialog = DiagnosticsDialog(self.ctx.cache, ring_buffer(), state, self.ctx.server_url, self)
        self.registry.adopt(dialog)
        if self.ctx.sync is not None:
            self.ctx.sync.stateChanged.connect(dialog.set_state)
        self._diagnostics_dialog = dialog
        dialog.open()
        dialog.activateWindow()

    def switch_language(self) -> None:
        lang = "en" if current_language() == "zh_CN" else "zh_CN"
        install_language(QApplication.instance(), lang)
        self.ctx.settings.set(LANGUAGE, lang)

    def sign_out(self) -> None:
        answer = QMessageBox.question(self, self.tr("Sign out"), self.tr("Sign out? Tickets waiting to sync stay on this computer."))
        if answer == QMessageBox.StandardButton.Yes:
            token = self.ctx.token()
            if token:
                from storage.http_client import ServiceError, logout

                try:
                    logout(self.ctx.server_url, token)
                except (ServiceError, httpx2.HTTPError, OSError):  # offline: the token expires on its own
                    log.info("sign-out not confirmed by the service")
            self.ctx.sign_out()
            self.close()

    # ---------------------------------------------------------------- language
    def _language_hook(self) -> None:
        # A bound method (not a lambda): Qt drops the connection when this window is deleted.
        language_notifier().languageChanged.connect(self._on_language_changed)

    def _on_sync_state(self, _state) -> None:
        self._show_user()

    def _on_language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Hotline console"))
        self.tabs.setTabText(0, self.tr("Intake (Ctrl+1)"))
        self.tabs.setTabText(1, self.tr("Queue (Ctrl+2)"))
        if self.shift is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.shift), self.tr("Shift (Ctrl+3)"))
        titles = {"ticket": self.tr("Ticket"), "view": self.tr("View"), "console": self.tr("Console"), "help": self.tr("Help")}
        for key, menu in self._menus.items():
            menu.setTitle(titles[key])
        self.registry.retranslate_ui()
        self._show_user()
        self._show_drafts(self.intake.kept_draft_count())
        if getattr(self, "_hotkey_reason", None):
            self.notice.setText(self._hotkey_notice_text())

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        if not getattr(self, "_shown_once", False):
            self._shown_once = True
            # Focus set before the window existed on screen is lost: place the cursor now.
            QTimer.singleShot(0, self.form.focus_first_needed)

    def closeEvent(self, event):  # noqa: N802
        # Whatever is on screen is kept: the next start restores it.
        self.intake.save_draft_now()
        for name in ("_help_dialog", "_settings_dialog", "_category_dialog", "_diagnostics_dialog"):
            dialog = getattr(self, name, None)
            if dialog is not None and dialog.isVisible():
                dialog.reject()
        super().closeEvent(event)
