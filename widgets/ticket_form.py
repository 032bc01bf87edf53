"""The intake form a call-taker fills by keyboard alone, with live category suggestions and a routing preview."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from domain.ticket import RequestType, Urgency, new_ticket_id
from widgets.address_field import AddressField, sub_district_label
from widgets.category_search import category_name, category_path_text
from widgets.suggestion_list import ShownSuggestion, SuggestionList

log = logging.getLogger("hotline.console.intake")

SUGGEST_THROTTLE_MS = 40  # one update per ~2 frames at most while typing fast; each keystroke still gets one
FIELD_ORDER = (
    "caller_phone",
    "caller_name",
    "caller_address",
    "incident_address",
    "request_type",
    "description",
    "category_code",
    "urgency",
)

# The domain's problem messages (domain/ticket.py), listed so the translation tools pick them up; a message
# not listed here (or changed there) still shows, in English.
DOMAIN_PROBLEMS = (
    QT_TRANSLATE_NOOP("Problems", "Type the number with the digits 0-9 (half-width), not full-width digits."),
    QT_TRANSLATE_NOOP("Problems", "This is not a phone number: use 11 digits for a mobile or area code and number for a landline."),
    QT_TRANSLATE_NOOP("Problems", "Type what the caller needs, or their number, before saving."),
    QT_TRANSLATE_NOOP("Problems", "Choose one of: inquiry, help, complaint, report, suggestion."),
    QT_TRANSLATE_NOOP("Problems", "Choose normal, urgent or very urgent."),
    QT_TRANSLATE_NOOP("Problems", "Pick a category before dispatching (Alt+1 takes the first suggestion)."),
    QT_TRANSLATE_NOOP("Problems", "Say where it happens: an address or a sub-district."),
)


def problem_text(message: str) -> str:
    return QCoreApplication.translate("Problems", message)


def _zh() -> bool:
    return QLocale().language() == QLocale.Language.Chinese


class CategoryField(QLineEdit):
    """Shows the chosen category (code, name, path); typing here opens the category search with what was typed."""

    searchRequested = Signal(str)
    cleared = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)

    def keyPressEvent(self, event):  # noqa: N802
        key, text = event.key(), event.text()
        plain = not (event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier))
        if plain and key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.cleared.emit()
            return
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.searchRequested.emit("")
            return
        if plain and text and text.isprintable():
            self.searchRequested.emit(text)
            return
        super().keyPressEvent(event)


class TicketForm(QWidget):
    """One ticket being taken. Knows the taxonomy, gazetteer and suggester; saving is the controller's job."""

    edited = Signal()  # any change a person made (drives the continuous draft save)
    suggestionsShown = Signal(list)  # codes now shown, after each suggestion update
    categoryChanged = Signal(str)
    searchRequested = Signal(str)
    routingChanged = Signal(object)

    def __init__(self, taxonomy=None, gazetteer=None, suggester=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketForm")
        self.taxonomy = taxonomy
        self.gazetteer = gazetteer
        self.suggester = suggester
        self.ticket_id = new_ticket_id()
        self.call_started_at: str | None = None
        self.category_code = ""
        self.suggestion_rank: int | None = None
        self.suggestions_at_pick: list[str] = []
        self.routing = None
        self.due = None
        self._loading = False
        self._key_hints: dict[str, str] = {}
        self._place_cache: tuple[str, str] = ("", "")
        self._routing_key: tuple | None = None
        self._request_id = 0  # bumped on every description change; an older answer is dropped
        self.last_suggest_ms = 0.0
        self._build()
        self._suggest_timer = QTimer(self)
        self._suggest_timer.setSingleShot(True)
        self._suggest_timer.setInterval(SUGGEST_THROTTLE_MS)
        self._suggest_timer.timeout.connect(self.flush_suggestions)
        self.suggestions.set_unavailable(suggester is None)
        self.retranslate_ui()

    # ---------------------------------------------------------------- building
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        self._banner = QLabel()
        self._banner.setObjectName("formBanner")
        self._banner.setWordWrap(True)
        outer.addWidget(self._banner)
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self._form)

        self.phone = QLineEdit()
        self.phone.setObjectName("callerPhone")
        self.phone.setMaxLength(32)
        self.name = QLineEdit()
        self.name.setObjectName("callerName")
        self.caller_location = AddressField(self.gazetteer, resolve=False)
        self.caller_location.setObjectName("callerLocation")
        self.incident_address = AddressField(self.gazetteer, resolve=True)
        self.incident_address.setObjectName("incidentAddress")
        self.request_type = QComboBox()
        self.request_type.setObjectName("requestType")
        for value in RequestType:
            self.request_type.addItem(value.value, value.value)
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(110)
        self.description.setMaximumHeight(190)
        self.description.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.suggestions = SuggestionList()
        self.category = CategoryField()
        self.category.setObjectName("category")
        self.urgency = QComboBox()
        self.urgency.setObjectName("urgency")
        for value in Urgency:
            self.urgency.addItem(value.value, value.value)
        self.routing_preview = QLabel()
        self.routing_preview.setObjectName("routingPreview")
        self.routing_preview.setWordWrap(True)
        self.routing_preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.routing_preview.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        self._inputs = {
            "caller_phone": self.phone,
            "caller_name": self.name,
            "caller_address": self.caller_location,
            "incident_address": self.incident_address,
            "request_type": self.request_type,
            "description": self.description,
            "category_code": self.category,
            "urgency": self.urgency,
        }
        self._labels: dict[str, QLabel] = {}
        self._problems: dict[str, QLabel] = {}
        for field in FIELD_ORDER:
            label = QLabel()
            label.setBuddy(self._inputs[field])
            self._labels[field] = label
            problem = QLabel()
            problem.setObjectName(f"problem_{field}")
            problem.setWordWrap(True)
            problem.setStyleSheet("color: #b00020;")
            problem.hide()
            self._problems[field] = problem
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(1)
            if field == "description":
                row = QHBoxLayout()
                row.addWidget(self.description, 3, Qt.AlignmentFlag.AlignTop)
                row.addWidget(self.suggestions, 2)
                lay.addLayout(row)
            else:
                lay.addWidget(self._inputs[field])
            lay.addWidget(problem)
            self._form.addRow(label, box)
        self._routing_label = QLabel()
        self._form.addRow(self._routing_label, self.routing_preview)
        outer.addStretch(1)

        # The order a call-taker tabs through; Alt+letters jump anywhere.
        chain = [self.phone, self.name, self.caller_location.line, self.incident_address.line, self.request_type,
                 self.description, self.category, self.urgency]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

        self.phone.textEdited.connect(lambda _t: self._user_edit("caller_phone"))
        self.name.textEdited.connect(lambda _t: self._user_edit("caller_name"))
        self.caller_location.edited.connect(lambda: self._user_edit("caller_address"))
        self.incident_address.edited.connect(lambda: self._user_edit("incident_address"))
        self.incident_address.resolved.connect(self._on_resolved)
        self.request_type.currentIndexChanged.connect(lambda _i: self._user_edit("request_type"))
        self.urgency.currentIndexChanged.connect(self._on_urgency)
        self.description.textChanged.connect(self._on_description)
        self.category.searchRequested.connect(self.searchRequested.emit)
        self.category.cleared.connect(lambda: self.choose_category("", None))
        self.suggestions.picked.connect(self.take_suggestion)

    def retranslate_ui(self) -> None:
        texts = {
            "caller_phone": self.tr("Caller number"),
            "caller_name": self.tr("Caller name"),
            "caller_address": self.tr("Caller location"),
            "incident_address": self.tr("Incident address"),
            "request_type": self.tr("Request type"),
            "description": self.tr("Description"),
            "category_code": self.tr("Category"),
            "urgency": self.tr("Urgency"),
        }
        for field, text in texts.items():
            hint = self._key_hints.get(field)
            self._labels[field].setText(f"{text} ({hint})" if hint else text)
        self._routing_label.setText(self.tr("Goes to"))
        type_names = {
            "inquiry": self.tr("Inquiry"),
            "help": self.tr("Request for help"),
            "complaint": self.tr("Complaint"),
            "report": self.tr("Report"),
            "suggestion": self.tr("Suggestion"),
        }
        # Numbered, so a digit picks an item by keyboard in any language (a letter cannot match Chinese names).
        for index in range(self.request_type.count()):
            self.request_type.setItemText(index, f"{index + 1} {type_names.get(self.request_type.itemData(index), '')}")
        urgency_names = {"normal": self.tr("Normal"), "urgent": self.tr("Urgent"), "very_urgent": self.tr("Very urgent")}
        for index in range(self.urgency.count()):
            self.urgency.setItemText(index, f"{index + 1} {urgency_names.get(self.urgency.itemData(index), '')}")
        self.phone.setPlaceholderText(self.tr("e.g. 13800138000 or 010-65123456"))
        self.incident_address.line.setPlaceholderText(self.tr("Where it happens: street, building, sub-district"))
        self.caller_location.line.setPlaceholderText(self.tr("Where the caller is (if different)"))
        self.description.setPlaceholderText(self.tr("What the caller needs, in their words"))
        self.category.setPlaceholderText(self.tr("Alt+1..Alt+5 takes a suggestion; type or F4 to search"))
        self.suggestions.retranslate_ui()
        self.incident_address.retranslate_ui()
        self._show_category()
        self._show_routing()
        self._show_banner()

    def set_key_hints(self, hints: dict[str, str]) -> None:
        """The keys that jump to each field, shown beside its label (they can be changed in settings)."""
        self._key_hints = dict(hints)
        self.retranslate_ui()

    # ---------------------------------------------------------------- state
    def start_ticket(self, caller_phone: str = "", values: dict | None = None) -> None:
        """A blank ticket (a new call) or a kept draft; focus goes where the call-taker types next."""
        self._loading = True
        try:
            values = dict(values or {})
            self.ticket_id = values.get("id") or new_ticket_id()
            self.call_started_at = values.get("call_started_at") or datetime.now(timezone.utc).isoformat(timespec="seconds")
            self.phone.setText(values.get("caller_phone") or caller_phone or "")
            self.name.setText(values.get("caller_name") or "")
            self.caller_location.set_text(values.get("caller_address") or "")
            self.incident_address.set_text(values.get("incident_address") or "", values.get("sub_district_code") or "")
            self._set_combo(self.request_type, values.get("request_type") or RequestType.COMPLAINT.value)
            self._set_combo(self.urgency, values.get("urgency") or Urgency.NORMAL.value)
            self.description.setPlainText(values.get("description") or "")
            self.category_code = values.get("category_code") or ""
            self.suggestion_rank = values.get("suggestion_rank")
            self.suggestions_at_pick = list(values.get("suggestions") or [])
            self.clear_problems()
        finally:
            self._loading = False
        self.suggestions.set_chosen(self.category_code)
        self.flush_suggestions()
        self._show_category()
        self._update_routing()
        self._show_banner()
        self.focus_first_needed()

    def _set_combo(self, combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def sub_district_code(self) -> str:
        return self.incident_address.sub_district_code or self._description_sub_district()

    def _description_sub_district(self) -> str:
        """A place named in the description counts when no address was typed (callers often say it that way)."""
        if self.incident_address.text().strip() or self.gazetteer is None:
            return ""
        text = self.description.toPlainText().strip()
        if not text:
            return ""
        # Resolving scans every place name: once per text, however many parts of the form ask.
        if self._place_cache[0] != text:
            found = self.gazetteer.resolve(text)
            self._place_cache = (text, found.code if found is not None else "")
        return self._place_cache[1]

    def values(self) -> dict:
        self.incident_address.resolve_pending()
        shown = self.suggestions.codes()
        return {
            "id": self.ticket_id,
            "caller_phone": self.phone.text().strip(),
            "caller_name": self.name.text().strip(),
            "caller_address": self.caller_location.text().strip(),
            "incident_address": self.incident_address.text().strip(),
            "sub_district_code": self.sub_district_code(),
            "request_type": self.request_type.currentData(),
            "category_code": self.category_code,
            "taxonomy_version": getattr(self.taxonomy, "version", "") or "",
            "suggestions": list(self.suggestions_at_pick or shown),
            "suggestion_rank": self.suggestion_rank,
            "description": self.description.toPlainText().strip(),
            "urgency": self.urgency.currentData(),
            "call_started_at": self.call_started_at,
        }

    def is_blank(self) -> bool:
        v = self.values()
        return not any(v[f] for f in ("caller_phone", "caller_name", "caller_address", "incident_address", "description", "category_code"))

    # ---------------------------------------------------------------- suggestions
    def _on_description(self) -> None:
        self._request_id += 1
        if not self._suggest_timer.isActive():
            # Throttle, not debounce: a fast typist still sees the list follow every few keys.
            self._suggest_timer.start()
        if not self._loading:
            self._user_edit("description")

    def suggestions_pending(self) -> bool:
        """True while a newer description waits for its suggestions (the throttle timer runs)."""
        return self._suggest_timer.isActive()

    def flush_suggestions(self) -> None:
        """Ask the suggester for the text as it is now; an answer for older text is never shown."""
        self._suggest_timer.stop()
        request_id = self._request_id
        text = self.description.toPlainText().strip()
        answer: list = []
        if text and self.suggester is not None:
            started = time.perf_counter()
            try:
                answer = self.suggester.suggest(
                    text, request_type=self.request_type.currentData(), sub_district_code=self.sub_district_code() or None, k=5
                )
            except Exception:  # a broken model must not stop intake: the operator can still search (F4)
                log.exception("suggestion failed")
                answer = []
            self.last_suggest_ms = (time.perf_counter() - started) * 1000
        if request_id != self._request_id:
            return  # the text changed while we were asking
        shown = []
        zh = _zh()
        for suggestion in answer[:5]:
            category = self.taxonomy.get(suggestion.code) if self.taxonomy is not None else None
            name = category_name(category, zh) if category is not None else suggestion.code
            # The name is on the line already: the path shows where it sits (domain › category).
            path = category_path_text(self.taxonomy, suggestion.code, zh, parents_only=True) if category is not None else ""
            shown.append(ShownSuggestion(suggestion.code, name, path, float(suggestion.score)))
        self.suggestions.set_suggestions(shown)
        self.suggestionsShown.emit([s.code for s in shown])
        if not self.incident_address.text().strip():
            self._show_place_hint()
            self._update_routing()  # the description may have named the place

    def take_suggestion(self, rank: int) -> bool:
        """Alt+rank: take the rank-th suggestion shown (1-based); False when there is none."""
        if self._suggest_timer.isActive():
            self.flush_suggestions()  # take what matches the text typed so far, not an older list
        codes = self.suggestions.codes()
        if not 1 <= rank <= len(codes):
            return False
        self.suggestions_at_pick = codes
        self.choose_category(codes[rank - 1], rank)
        return True

    def choose_category(self, code: str, rank: int | None = None) -> None:
        if rank is None and code:
            shown = self.suggestions_at_pick or self.suggestions.codes()
            rank = shown.index(code) + 1 if code in shown else None
            if not self.suggestions_at_pick:
                self.suggestions_at_pick = shown
        self.category_code = code
        self.suggestion_rank = rank if code else None
        self.suggestions.set_chosen(code)
        self._clear_problem("category_code")
        self._show_category()
        self._update_routing()
        self.categoryChanged.emit(code)
        self._user_edit("category_code")

    def _show_category(self) -> None:
        code = self.category_code
        if not code:
            self.category.setText("")
            return
        category = self.taxonomy.get(code) if self.taxonomy is not None else None
        if category is None:
            self.category.setText(code)
            return
        zh = _zh()
        self.category.setText(f"{code}  {category_name(category, zh)}  ({category_path_text(self.taxonomy, code, zh)})")
        self.category.setCursorPosition(0)

    # ---------------------------------------------------------------- routing preview
    def _show_place_hint(self) -> None:
        if self.incident_address.text().strip() or self.gazetteer is None:
            self.incident_address.set_hint("")
            return
        sub = self._description_sub_district()
        place = sub_district_label(self.gazetteer, self.gazetteer.get(sub)) if sub else ""
        self.incident_address.set_hint(self.tr("→ %1 (named in the description)").replace("%1", place) if place else "")

    def _on_resolved(self, _code: str) -> None:
        self._clear_problem("incident_address")
        self._update_routing()

    def _on_urgency(self, _index: int) -> None:
        self._update_routing()
        self._user_edit("urgency")

    def _update_routing(self) -> None:
        code, sub = self.category_code, self.sub_district_code()
        key = (code, sub, self.urgency.currentData(), self.incident_address.text().strip() == "")
        if key == self._routing_key:
            return  # nothing routing depends on changed (the usual case while the description is typed)
        self._routing_key = key
        self.routing, self.due = None, None
        self._routing_problem = ""
        if code and sub and self.taxonomy is not None:
            try:
                from domain.routing import route
                from domain.sla import sla_clock

                self.routing = route(code, sub, taxonomy=self.taxonomy, gazetteer=self.gazetteer)
                category = self.taxonomy.get(code)
                if category is not None:
                    self.due = sla_clock(datetime.now(timezone.utc), category, self.urgency.currentData())
            except ValueError as exc:  # e.g. a category not in this catalogue: say it, the operator can fix it
                log.warning("no routing preview: %s", exc)
                self.routing, self.due = None, None
                self._routing_problem = str(exc)
            except Exception:  # routing data missing or broken: the server decides in the end
                log.exception("routing preview failed")
                self.routing, self.due = None, None
        self._show_routing()
        self.routingChanged.emit(self.routing)

    def _show_routing(self) -> None:
        code, sub = self.category_code, self.sub_district_code()
        if self.routing is not None:
            zh = _zh()
            unit = self.routing.unit_name_zh if zh else (self.routing.unit_name_en or self.routing.unit_name_zh)
            rule = self.routing.rule_text_zh if zh else self.routing.rule_text
            lines = [f"→ {unit}   ({self.routing.unit_code})", self.tr("Rule: %1").replace("%1", rule)]
            if self.due is not None:
                lines.append(
                    self.tr("Accept by %1 · resolve by %2")
                    .replace("%1", _local_time(self.due.accept_due))
                    .replace("%2", _local_time(self.due.resolve_due))
                )
            self.routing_preview.setText("\n".join(lines))
        elif getattr(self, "_routing_problem", ""):
            self.routing_preview.setText(self._routing_problem)
        elif not code:
            self.routing_preview.setText(self.tr("Pick a category to see where the ticket goes."))
        elif not sub:
            self.routing_preview.setText(self.tr("Give the incident address to see where the ticket goes."))
        else:
            self.routing_preview.setText(self.tr("No routing rule matched: the ticket goes to the supervisor to route."))

    # ---------------------------------------------------------------- problems and focus
    def mark_problems(self, problems: dict[str, str]) -> str | None:
        """Show each message at its field and put the cursor in the first one; returns that field's name."""
        self.clear_problems()
        first = None
        for field in FIELD_ORDER:
            if field in problems:
                self._problems[field].setText(problem_text(problems[field]))
                self._problems[field].show()
                self._mark_input(field, True)
                if first is None:
                    first = field
        for field, message in problems.items():
            if field not in self._problems:  # a problem with no field of its own shows at the top
                self.show_banner(problem_text(message))
        if first is not None:
            self.focus_field(first)
        return first

    def problem_text(self, field: str) -> str:
        label = self._problems[field]
        return label.text() if not label.isHidden() else ""

    def clear_problems(self) -> None:
        for field in FIELD_ORDER:
            self._clear_problem(field)

    def _clear_problem(self, field: str) -> None:
        if field in self._problems and not self._problems[field].isHidden():
            self._problems[field].hide()
            self._problems[field].setText("")
            self._mark_input(field, False)

    def _mark_input(self, field: str, bad: bool) -> None:
        # A red frame says "here"; the message below says what. (No dynamic properties: setProperty with
        # Python values tripped a reference-count bug in PySide on the keystroke path.)
        widget = self._inputs[field]
        target = widget.line if isinstance(widget, AddressField) else widget
        target.setStyleSheet("border: 2px solid #b00020;" if bad else "")

    def focus_field(self, field: str) -> None:
        widget = self._inputs[field]
        target = widget.line if isinstance(widget, AddressField) else widget
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if isinstance(target, QLineEdit):
            target.end(False)
        elif isinstance(target, QPlainTextEdit):
            target.moveCursor(target.textCursor().MoveOperation.End)

    def focus_first_needed(self) -> None:
        """The description first (what the caller needs), then a missing place, then a missing category."""
        if not self.description.toPlainText().strip():
            self.focus_field("description")
        elif not self.sub_district_code() and not self.incident_address.text().strip():
            self.focus_field("incident_address")
        elif not self.category_code:
            self.focus_field("category_code")
        else:
            self.focus_field("description")

    def _user_edit(self, field: str) -> None:
        if self._loading:
            return
        self._clear_problem(field)
        if field == "request_type":
            self._request_id += 1
            self._suggest_timer.start()
        self.edited.emit()

    # ---------------------------------------------------------------- banner
    def show_banner(self, text: str) -> None:
        self._banner_text = text
        self._show_banner()

    def _show_banner(self) -> None:
        text = getattr(self, "_banner_text", "")
        self._banner.setText(text)
        self._banner.setVisible(bool(text))

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def _local_time(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone()
    return value.strftime("%m-%d %H:%M")
