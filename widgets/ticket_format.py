"""A ticket's texts for the detail view (its fields, history lines and notes): plain Python without Qt.

Lives beside the widgets so the translation build (lupdate over widgets/) finds its texts, written as
`words.translate("TicketDetail", ...)` in the detail view's own context. It imports nothing from Qt: a test
imports it with PySide6 blocked. How words are said (translations, status and field names, times) comes
in a `Words`; its defaults are plain English, which is what the tests use.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from domain.ticket import mask_phone

log = logging.getLogger("hotline.queue")

# What a history event's detail may carry that is bookkeeping, not something a person did.
_BOOKKEEPING = ("mutation", "base_version", "version")


def _plain(value) -> str:
    return "" if value is None else str(value)


def _untranslated(_context: str, text: str) -> str:
    return text


def _no_clock(_ticket: dict) -> str:
    return ""


def _number(ticket: dict) -> str:
    return str(ticket.get("number") or ticket.get("local_ref") or "")


@dataclass(frozen=True)
class Words:
    """How the texts are worded. The detail view passes Qt's translations and the table's names."""

    translate: Callable[[str, str], str] = _untranslated  # (context, English source) -> the person's language
    status: Callable[[str | None], str] = _plain
    action: Callable[[str | None], str] = _plain
    field: Callable[[str], str] = _plain
    callback: Callable[[str | None], str] = _plain
    request_type: Callable[[str | None], str] = _plain
    urgency: Callable[[str | None], str] = _plain
    reference: Callable[[dict], str] = _number
    call_time: Callable[[object], str] = _plain  # a moment as "2026-11-27 17:00"
    short_time: Callable[[object], str] = _plain  # a moment as "11-27 17:00"
    sla_left: Callable[[dict], str] = _no_clock
    category: Callable[[str], str] = _plain
    server_message: Callable[[str], str] = _plain  # the central service's words in the person's language
    zh: bool = False  # unit and place names in Chinese (else English, where there is an English name)


# --- values ------------------------------------------------------------------------------------------------
def detail_dict(detail) -> dict:
    """An event's detail as a dict, whether it came as one or as JSON text; anything else is empty."""
    if isinstance(detail, dict):
        return detail
    if isinstance(detail, str) and detail.startswith("{"):
        try:
            value = json.loads(detail)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    return {}


def quoted(value, limit: int = 80) -> str:
    """A value in quotes on one line, shortened with an ellipsis past `limit` characters."""
    text = " ".join(_plain(value).split())
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def is_overwrite(event: dict) -> bool:
    """An event that records a local value replaced by another writer's (last-writer-wins per field)."""
    action = str(event.get("action") or "")
    detail = detail_dict(event.get("detail"))
    return "overwr" in action or bool(event.get("overwritten")) or any(k in detail for k in ("overwritten", "yours"))


def unit_name(code: str | None, zh: bool) -> str:
    """A unit's name (朝阳区望京街道办事处 / Wangjing Subdistrict Office, Chaoyang), or its code when unknown."""
    if not code:
        return ""
    from domain.gazetteer import load_gazetteer
    from domain.units import get_unit

    try:
        unit = get_unit(code)
    except (OSError, ValueError, KeyError):  # a damaged units table must not hide the ticket
        log.exception("looking up unit %s failed", code)
        return code
    if unit is None:
        return code
    name = unit.name_zh if zh else (unit.name_en or unit.name_zh)
    district = None
    if unit.kind == "sub_district" and unit.district_code:
        try:
            district = load_gazetteer().get(unit.district_code)
        except (OSError, ValueError, KeyError):
            log.exception("looking up district %s failed", unit.district_code)
    # Town and street offices share names across districts: the district says which one is meant.
    if district is not None:
        if zh and not name.startswith(district.name_zh):
            name = district.name_zh + name
        elif not zh and district.name_en:
            name = f"{name}, {district.name_en}"
    return name


def place_name(sub_district_code: str | None, zh: bool) -> str:
    """A sub-district's name with its district, or the code when unknown."""
    if not sub_district_code:
        return ""
    from domain.gazetteer import load_gazetteer

    try:
        label = load_gazetteer().label(sub_district_code, "zh" if zh else "en")
    except (OSError, ValueError, KeyError):
        log.exception("looking up sub-district %s failed", sub_district_code)
        label = ""
    return label or sub_district_code


def field_values(ticket: dict, words: Words) -> dict[str, str]:
    """The read-only fields of the detail view, each as the person reads it ("—" for nothing)."""
    t = ticket
    values = {
        "status": words.status(t.get("status")),
        "operator": t.get("operator") or "",
        "unit_code": unit_name(t.get("unit_code"), words.zh),
        "sla": words.sla_left(t),
        "caller_phone": mask_phone(t.get("caller_phone")) if t.get("caller_phone") else "",
        "call_started_at": words.call_time(t.get("call_started_at") or t.get("created_at")),
        "category_code": words.category(t.get("category_code") or ""),
        "sub_district_code": place_name(t.get("sub_district_code"), words.zh),
        "request_type": words.request_type(t.get("request_type")),
        "urgency": words.urgency(t.get("urgency")),
        "callback_result": words.callback(t.get("callback_result")),
    }
    return {key: str(value) if value else "—" for key, value in values.items()}


def header_text(ticket: dict | None, words: Words) -> str:
    if not ticket:
        return ""
    return words.translate("TicketDetail", "Ticket %1").replace("%1", words.reference(ticket))


def note_line(note: dict, words: Words) -> str:
    return f"{words.call_time(note.get('created_at'))}  {note.get('author') or ''}: {note.get('text') or ''}"


# --- history -----------------------------------------------------------------------------------------------
def event_line(event: dict, words: Words) -> str:
    """One history line in the person's words: when, who, what (overwritten values spelled out)."""
    when = words.call_time(event.get("created_at"))
    actor = str(event.get("actor") or event.get("author") or "")
    if actor == "server":
        actor = words.translate("TicketDetail", "central service")
    action = str(event.get("action") or "")
    detail = detail_dict(event.get("detail"))
    if is_overwrite(event):
        name = detail.get("field") or event.get("field") or ""
        # The cache records {"field", "yours", "server"}: the value typed here and the one that replaced it.
        old = detail.get("yours", detail.get("overwritten", ""))
        new = detail.get("server", detail.get("value", ""))
        text = (words.translate("TicketDetail", "OVERWRITTEN by sync: %1 — your value %2 was replaced by %3 (yours is kept here)")
                .replace("%1", words.field(str(name))).replace("%2", quoted(old, 200)).replace("%3", quoted(new, 200)))
        return f"{when}  {actor}  ⚠ {text}"
    if action == "rejected" and detail.get("reason"):
        text = words.translate("TicketDetail", "REJECTED by the central service: %1").replace("%1", words.server_message(str(detail["reason"])))
        return f"{when}  ⚠ {text}"
    what = event_what(action, detail, event.get("detail"), words)
    return "  ".join(part for part in (when, actor, what) if part)


def _pair(detail: dict, key: str) -> tuple:
    """(before, after) of a change: {"changes": {key: [a, b]}} when recorded so, else the detail's from/to."""
    pair = (detail.get("changes") or {}).get(key)
    if isinstance(pair, (list, tuple)) and len(pair) == 2:
        return pair[0], pair[1]
    return detail.get("from"), detail.get("to")


def event_what(action: str, detail: dict, raw, words: Words) -> str:
    """What an event did, without when and who."""
    simple = {
        "created": words.translate("TicketDetail", "ticket registered"),
        "note": words.translate("TicketDetail", "note added"),
        "revoked_kept": words.translate("TicketDetail", "no longer in your scope; kept here until your changes are sent"),
    }
    if action in simple:
        return simple[action]
    if action == "updated":
        return changes_text(detail, words)
    if action in ("reassign", "reassigned"):
        before, after = _pair(detail, "operator")
        text = (words.translate("TicketDetail", "reassigned %1 → %2")
                .replace("%1", str(before or "—")).replace("%2", str(after or "—")))
        return text + (f": {detail['reason']}" if detail.get("reason") else "")
    step = action.split(":", 1)[1] if action.startswith("transition:") else action
    text = _step_text(step, detail, raw, words)
    if detail.get("reason"):
        text += words.translate("TicketDetail", "; reason: %1").replace("%1", str(detail["reason"]))
    if detail.get("callback_result"):
        text += words.translate("TicketDetail", "; callback: %1").replace("%1", words.callback(detail["callback_result"]))
    return text


def _step_text(step: str, detail: dict, raw, words: Words) -> str:
    """A lifecycle step: where it was dispatched and by when, or the status it led to, or its details."""
    before, after = _pair(detail, "status")
    if step in ("dispatch", "redispatch") or (after == "dispatched" and detail.get("unit_code")):
        unit = unit_name(detail.get("unit_code"), words.zh)
        due = words.short_time(detail.get("due_at"))
        if unit and due:
            return words.translate("TicketDetail", "dispatched to %1, due %2").replace("%1", unit).replace("%2", due)
        if unit:
            return words.translate("TicketDetail", "dispatched to %1").replace("%1", unit)
        return words.translate("TicketDetail", "dispatched")
    if after or before:
        return (words.translate("TicketDetail", "%1 (now %2)")
                .replace("%1", words.action(step)).replace("%2", words.status(after or before)))
    if detail or not raw:
        text = words.action(step) if step else ""
        extra = ", ".join(f"{words.field(k)}: {words.short_time(v) or v}" for k, v in detail.items()
                          if k not in _BOOKKEEPING and v not in (None, "", [], {}))
        return f"{text} — {extra}" if extra else text
    return f"{words.action(step)} — {raw}"


def changes_text(detail: dict, words: Words) -> str:
    """Field edits with the value before each one, so nothing another writer typed is lost from sight."""
    parts = []
    for name, change in (detail.get("changes") or {}).items():
        if isinstance(change, dict):
            old, new = change.get("old"), change.get("new")
        elif isinstance(change, (list, tuple)) and len(change) == 2:
            old, new = change
        else:
            old, new = None, change
        if old in (None, ""):
            parts.append(words.translate("TicketDetail", "%1 set to %2")
                         .replace("%1", words.field(name)).replace("%2", quoted(new)))
        else:
            parts.append(words.translate("TicketDetail", "%1 changed from %2 to %3").replace("%1", words.field(name))
                         .replace("%2", quoted(old)).replace("%3", quoted(new)))
    text = "; ".join(parts) or words.translate("TicketDetail", "details changed")
    if detail.get("concurrent"):
        text += words.translate("TicketDetail", " (someone else had changed it meanwhile; the earlier value is shown here)")
    return text
