"""Intake controller: pops calls into the form, keeps drafts, saves and dispatches through the console's write path."""

from __future__ import annotations

import logging
import sqlite3

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from domain.ticket import dispatch_problems, minimal_save_problems
from storage.errors import StorageError, ValidationError
from widgets.ticket_form import problem_text

log = logging.getLogger("hotline.console.intake")

DRAFT_SAVE_MS = 400  # a crash loses at most this much typing; saving every key would be wasteful


class IntakeController(QObject):
    """Everything the intake keys do. The form shows; this decides and writes."""

    saved = Signal(dict)  # the ticket as the local cache returned it (after the commit)
    message = Signal(str)  # one line for the status bar, in plain words
    draftsChanged = Signal(int)  # how many kept drafts wait besides the one on screen
    callPopped = Signal(str)  # the caller's number (or '') once the form shows the new ticket

    def __init__(self, form, context, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.ctx = context
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_SAVE_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)
        form.edited.connect(self._draft_soon)

    # ---------------------------------------------------------------- drafts
    def _draft_soon(self) -> None:
        # Throttle, not debounce: restarting the timer on every key would never save during steady typing.
        if not self._draft_timer.isActive():
            self._draft_timer.start()

    def save_draft_now(self) -> None:
        # No draftsChanged here: the count leaves out the draft on screen, so saving it changes nothing shown
        # (and counting reads every kept draft, on each pause in typing).
        self._draft_timer.stop()
        if self.form.is_blank():
            return
        try:
            self.ctx.cache.save_draft(self.form.ticket_id, self.form.values())
        except Exception as exc:  # the call goes on; the person must know the draft is not safe
            log.exception("saving the draft failed")
            self.message.emit(self.tr("The draft could not be kept: %1").replace("%1", _calm(exc)))

    def kept_drafts(self) -> list[dict]:
        drafts = []
        for draft in self.ctx.cache.load_drafts():
            fields = draft.get("fields", draft)
            draft_id = draft.get("draft_id") or draft.get("id") or fields.get("id")
            if draft_id != self.form.ticket_id:
                saved_at = draft.get("updated_at") or draft.get("saved_at") or ""
                drafts.append({**fields, "id": draft_id, "saved_at": saved_at})
        return drafts

    def kept_draft_count(self) -> int:
        try:
            return len(self.kept_drafts())
        except (StorageError, sqlite3.Error):  # the count is for a label; the drafts themselves are untouched
            log.warning("kept drafts not counted", exc_info=True)
            return 0

    def restore_on_start(self) -> bool:
        """After a crash or a restart: the newest kept draft comes back into the form."""
        drafts = self.kept_drafts()
        if not drafts:
            self.form.start_ticket()
            return False
        newest = max(drafts, key=lambda d: d.get("saved_at") or "")
        self.form.start_ticket(values=newest)
        self.form.show_banner(self.tr("A draft kept from before was restored."))
        self.draftsChanged.emit(self.kept_draft_count())
        return True

    def _park_current(self) -> None:
        """Keep what is on screen as a draft before something else takes the form."""
        if not self.form.is_blank():
            self.save_draft_now()

    # ---------------------------------------------------------------- keys
    def new_call(self, ani: str = "") -> None:
        """A call came in (screen-pop) or F2: a fresh ticket, number filled, cursor where typing starts."""
        self._park_current()
        self.form.start_ticket(caller_phone=ani)
        self.form.show_banner(self.tr("Incoming call from %1").replace("%1", ani) if ani else "")
        if ani:
            self.save_draft_now()  # the number alone is worth keeping if the console dies mid-call
        self.draftsChanged.emit(self.kept_draft_count())
        self.callPopped.emit(ani)

    def back_out(self) -> None:
        """Esc: leave this ticket for now; it stays as a draft (Ctrl+R brings it back)."""
        popup = QApplication.activePopupWidget()
        if popup is not None:
            # Esc in an open completion list means "close the list", never "leave the ticket".
            popup.hide()
            return
        if self.form.is_blank():
            self.form.start_ticket()
            return
        self.save_draft_now()
        self.form.start_ticket()
        self.form.show_banner(self.tr("Draft kept: Ctrl+R brings it back."))
        self.message.emit(self.tr("Draft kept."))
        self.draftsChanged.emit(self.kept_draft_count())

    def resume_draft(self) -> bool:
        drafts = self.kept_drafts()
        if not drafts:
            self.message.emit(self.tr("No kept drafts."))
            return False
        self._park_current()
        oldest = min(drafts, key=lambda d: d.get("saved_at") or "")
        self.form.start_ticket(values=oldest)
        self.form.show_banner(self.tr("Draft resumed."))
        self.draftsChanged.emit(self.kept_draft_count())
        return True

    def dispatch(self) -> dict | None:
        return self._save("dispatch")

    def answer_directly(self) -> dict | None:
        return self._save("answer")

    def save_only(self) -> dict | None:
        return self._save(None)

    # ---------------------------------------------------------------- saving
    def _save(self, action: str | None) -> dict | None:
        form, operations = self.form, self.ctx.operations
        values = form.values()
        problems = dispatch_problems(values) if action == "dispatch" else minimal_save_problems(values)
        if problems:
            form.mark_problems(problems)
            self.message.emit(self.tr("Not saved yet: %1").replace("%1", problem_text(next(iter(problems.values())))))
            return None
        try:
            # The ticket and its first lifecycle step commit together: never a dispatched call left registered.
            if action == "dispatch":
                ticket = operations.dispatch_ticket(values, form.routing.unit_code if form.routing is not None else None)
            elif action == "answer":
                ticket = operations.answer_directly(values)
            else:
                ticket = operations.save_ticket(values)
        except ValidationError as exc:  # bad input: nothing stored, the form marks the fields
            return self._refused(exc)
        except Exception as exc:  # boundary of the save action: the draft is kept, and the error logged in full
            return self._refused(exc)
        # From here the ticket is committed locally: whatever follows, "saved" is true.
        if action == "dispatch":
            unit = _unit_name(form.routing)
            done_text = self.tr("Saved and dispatched to %1.").replace("%1", unit) if unit else self.tr("Saved and dispatched.")
        elif action == "answer":
            done_text = self.tr("Saved as answered directly.")
        else:
            done_text = self.tr("Saved (not yet dispatched).")
        self._after_commit(values)
        reference = ticket.get("number") or ticket.get("local_ref") or str(ticket["id"])[:8]
        # The fresh form says what became of the last call, so the operator can tell the caller.
        self.form.show_banner(self.tr("Ticket %1: %2").replace("%1", str(reference)).replace("%2", done_text))
        self.message.emit(done_text)
        self.saved.emit(ticket)
        return ticket

    def _after_commit(self, values: dict) -> None:
        self._learn(values)
        # No discard_draft: create_ticket removed the draft (named by the ticket id) in its own transaction,
        # and the operation has already poked sync and told the open views.
        self.form.start_ticket()
        self.draftsChanged.emit(self.kept_draft_count())

    def _learn(self, values: dict) -> None:
        """A pick other than the first suggestion teaches the model at once."""
        shown, chosen = values.get("suggestions") or [], values.get("category_code")
        suggester = self.form.suggester
        if suggester is None or not shown or not chosen or chosen == shown[0]:
            return
        try:
            suggester.learn_correction(values.get("description") or "", chosen)
        except Exception:
            log.exception("recording the correction failed")

    def _refused(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError) and exc.problems:
            problems = exc.problems
            self.form.mark_problems(problems)
            self.message.emit(self.tr("Not saved yet: %1").replace("%1", problem_text(next(iter(problems.values())))))
        else:
            log.exception("saving the ticket failed", exc_info=exc)
            text = self.tr("Not saved: %1 The draft is kept.").replace("%1", _calm(exc))
            self.form.show_banner(text)
            self.message.emit(text)
            self.save_draft_now()
        return None


def _unit_name(routing) -> str:
    if routing is None:
        return ""
    from PySide6.QtCore import QLocale

    zh = QLocale().language() == QLocale.Language.Chinese
    return routing.unit_name_zh if zh else (routing.unit_name_en or routing.unit_name_zh)


def _calm(exc: Exception) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return text if text.endswith(".") else text + "."
