"""What the central service says (error codes, refusals, sync rejection reasons) in the person's language.

The service answers in English: `{"error": code, "message": words}` for a refused request, and a reason for
each rejected change. Every view that shows such words passes them through `message_text` (or `error_text` for
an exception). A text the service can send is listed in MESSAGES with %1, %2 … where it fills something in; the
Chinese comes from the translation catalogue (resources/translations). In the Chinese UI a text the catalogue
does not know is never shown as it came: the person reads a translated sentence with the code, and the log has
the English for support. tests/unit/test_server_messages.py reads the service's source and fails when it can
send a text or code that is not listed here.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

from console.i18n import current_language

log = logging.getLogger("hotline.console.server_messages")

CONTEXT = "ServerMessages"
CODES_CONTEXT = "ServerCodes"
WORDS_CONTEXT = "ServerWords"

# Every text the service (server/, and the domain errors it passes on) and this console's own HTTP and sync
# layers (storage/) put in front of a person. %1, %2 … stand where the English fills in a name or a number.
MESSAGES: tuple[str, ...] = (
    # Signing in and sessions
    QT_TRANSLATE_NOOP("ServerMessages", "Wrong user name or password."),
    QT_TRANSLATE_NOOP("ServerMessages", "This account is disabled. Ask an administrator."),
    QT_TRANSLATE_NOOP("ServerMessages", "This account also needs the 6-digit code from its authenticator app."),
    QT_TRANSLATE_NOOP("ServerMessages", "The 6-digit code is wrong or has expired. Type the code your authenticator app shows now."),
    QT_TRANSLATE_NOOP("ServerMessages", "Too many failed sign-ins. Wait %1 seconds and try again, or ask a supervisor for help."),
    QT_TRANSLATE_NOOP("ServerMessages", "Type your user name and password."),
    QT_TRANSLATE_NOOP("ServerMessages", "Send your user name and password as {\"username\": ..., \"password\": ...}."),
    QT_TRANSLATE_NOOP("ServerMessages", "Send the 6-digit code from the authenticator app as text, e.g. \"otp\": \"123456\"."),
    QT_TRANSLATE_NOOP("ServerMessages", "A sign-in is a user name, a password and perhaps a code: this request is far larger."),
    QT_TRANSLATE_NOOP("ServerMessages", "Sign in again: your session is missing or has ended."),
    QT_TRANSLATE_NOOP("ServerMessages", "Sign in first: this needs a session token."),
    QT_TRANSLATE_NOOP("ServerMessages", "Your session has ended. Sign in again."),
    QT_TRANSLATE_NOOP("ServerMessages", "A %1 may not do this here."),
    # Requests the service could not take
    QT_TRANSLATE_NOOP("ServerMessages", "The central database cannot be reached right now. Your work is kept on this computer and will be sent when it is back."),
    QT_TRANSLATE_NOOP("ServerMessages", "Something went wrong on the server; it has been logged. Try again in a moment."),
    QT_TRANSLATE_NOOP("ServerMessages", "Something in the request cannot be stored: check for unusual characters or very long text."),
    QT_TRANSLATE_NOOP("ServerMessages", "The request is not valid: %1."),
    QT_TRANSLATE_NOOP("ServerMessages", "The request is too large: send fewer changes at once."),
    QT_TRANSLATE_NOOP("ServerMessages", "The central service is receiving many large changes at once; your work is kept and sent again in a moment."),
    QT_TRANSLATE_NOOP("ServerMessages", "There is nothing at this address."),
    QT_TRANSLATE_NOOP("ServerMessages", "This address does not take that method."),
    QT_TRANSLATE_NOOP("ServerMessages", "The body must be JSON in UTF-8."),
    QT_TRANSLATE_NOOP("ServerMessages", "The body must be JSON."),
    QT_TRANSLATE_NOOP("ServerMessages", "The body holds a number too large to store."),
    QT_TRANSLATE_NOOP("ServerMessages", "The body holds %1, which is not a JSON number."),
    QT_TRANSLATE_NOOP("ServerMessages", "The body is nested too deeply (at most %1 levels)."),
    QT_TRANSLATE_NOOP("ServerMessages", "The body holds a broken character (a lone UTF-16 surrogate such as \\ud800); send the text as it was typed."),
    QT_TRANSLATE_NOOP("ServerMessages", "%1 must be a whole number written with the digits 0-9."),
    QT_TRANSLATE_NOOP("ServerMessages", "%1 must be between %2 and %3."),
    QT_TRANSLATE_NOOP("ServerMessages", "%1 must be at least %2."),
    QT_TRANSLATE_NOOP("ServerMessages", "role must be one of: %1."),
    QT_TRANSLATE_NOOP("ServerMessages", "There is no user called '%1'."),
    QT_TRANSLATE_NOOP("ServerMessages", "There is no such ticket."),
    QT_TRANSLATE_NOOP("ServerMessages", "Give the month as YYYY-MM, e.g. month=2026-11."),
    QT_TRANSLATE_NOOP("ServerMessages", "'%1' is not a month: write it as YYYY-MM, e.g. 2026-11."),
    QT_TRANSLATE_NOOP("ServerMessages", "'%1' is outside the months that can be counted."),
    # Catalogue and models
    QT_TRANSLATE_NOOP("ServerMessages", "The service has no category catalogue yet; it keeps one when it has started once."),
    QT_TRANSLATE_NOOP("ServerMessages", "That is not a catalogue version."),
    QT_TRANSLATE_NOOP("ServerMessages", "There is no catalogue version '%1'."),
    QT_TRANSLATE_NOOP("ServerMessages", "No suggestion model for the catalogue in use yet: the service is building a starter model; consoles use the one they have meanwhile."),
    QT_TRANSLATE_NOOP("ServerMessages", "That is not a model version."),
    QT_TRANSLATE_NOOP("ServerMessages", "There is no model version '%1'."),
    QT_TRANSLATE_NOOP("ServerMessages", "Only %1 confirmed ticket(s) with a description and a category; at least %2 are needed to retrain."),
    QT_TRANSLATE_NOOP("ServerMessages", "A retraining is already running; the new model appears when it is done."),
    # Sync: registration and pushes
    QT_TRANSLATE_NOOP("ServerMessages", "Registration takes a JSON object: {\"first_mutation_id\": n}."),
    QT_TRANSLATE_NOOP("ServerMessages", "first_mutation_id must be a whole number from 1."),
    QT_TRANSLATE_NOOP("ServerMessages", "These changes came under another console's or another user's sync identity and were refused; nothing was applied. The console registers itself again."),
    QT_TRANSLATE_NOOP("ServerMessages", "The central service does not know this console's registration (its database may have been restored); the console registers again."),
    QT_TRANSLATE_NOOP("ServerMessages", "The push must be a JSON object with client_id, schema_version and mutations."),
    QT_TRANSLATE_NOOP("ServerMessages", "client_id must be text of 1 to 100 characters."),
    QT_TRANSLATE_NOOP("ServerMessages", "client_secret must be the text the service gave at registration."),
    QT_TRANSLATE_NOOP("ServerMessages", "This console speaks sync version %1; the central service speaks %2. %3"),
    QT_TRANSLATE_NOOP("ServerMessages", "Ask an administrator to update the central service."),
    QT_TRANSLATE_NOOP("ServerMessages", "Update the console."),
    QT_TRANSLATE_NOOP("ServerMessages", "mutations must be a list."),
    QT_TRANSLATE_NOOP("ServerMessages", "Send at most %1 mutations in one push."),
    QT_TRANSLATE_NOOP("ServerMessages", "A mutation is malformed: %1."),
    QT_TRANSLATE_NOOP("ServerMessages", "Mutation ids in one push must be consecutive: %1 follows %2."),
    QT_TRANSLATE_NOOP("ServerMessages", "The server last saw change %1 from this console; send from %2."),
    QT_TRANSLATE_NOOP("ServerMessages", "Change %1 was never sent under this console's registration (it starts at %2); the console registers again and sends it anew."),
    QT_TRANSLATE_NOOP("ServerMessages", "Change %1 from this console differs from the change %2 the service already has from it: the console's data was copied or restored from a backup. Nothing was applied; the console registers again and sends its changes anew."),
    QT_TRANSLATE_NOOP("ServerMessages", "snapshot must be the token the previous page gave, or empty to begin a full reload."),
    # Rejected changes (server/tickets.py)
    QT_TRANSLATE_NOOP("ServerMessages", "%1 must be text."),
    QT_TRANSLATE_NOOP("ServerMessages", "%1 is too long (at most %2 characters)."),
    QT_TRANSLATE_NOOP("ServerMessages", "suggestions must be a list of category codes."),
    QT_TRANSLATE_NOOP("ServerMessages", "suggestion rank must be a whole number (or empty)."),
    QT_TRANSLATE_NOOP("ServerMessages", "call started at must be a date and time."),
    QT_TRANSLATE_NOOP("ServerMessages", "The time the call started is not valid: %1."),
    QT_TRANSLATE_NOOP("ServerMessages", "write the date and time like 2026-11-27T09:30:00+08:00"),
    QT_TRANSLATE_NOOP("ServerMessages", "that date and time is out of range"),
    QT_TRANSLATE_NOOP("ServerMessages", "There is no category '%1' in the catalogue in use (%2); choose the category again."),
    QT_TRANSLATE_NOOP("ServerMessages", "There is no sub-district '%1' in the gazetteer; choose the place again."),
    QT_TRANSLATE_NOOP("ServerMessages", "Some text holds a control character (NUL) that cannot be stored; retype it."),
    QT_TRANSLATE_NOOP("ServerMessages", "The ticket id is missing."),
    QT_TRANSLATE_NOOP("ServerMessages", "There is no such ticket on the server (it may not have been created)."),
    QT_TRANSLATE_NOOP("ServerMessages", "This ticket is not for your unit."),
    QT_TRANSLATE_NOOP("ServerMessages", "A ticket id must be text of at most 64 characters."),
    QT_TRANSLATE_NOOP("ServerMessages", "Only call-takers and supervisors register tickets."),
    QT_TRANSLATE_NOOP("ServerMessages", "A ticket with this id already exists."),
    QT_TRANSLATE_NOOP("ServerMessages", "Unit staff cannot change what the caller reported; add a note instead."),
    QT_TRANSLATE_NOOP("ServerMessages", "base version must be a whole number."),
    QT_TRANSLATE_NOOP("ServerMessages", "This ticket is closed; a supervisor must reopen it before it can be changed."),
    QT_TRANSLATE_NOOP("ServerMessages", "A note id must be text of at most 64 characters."),
    QT_TRANSLATE_NOOP("ServerMessages", "A note needs some text."),
    QT_TRANSLATE_NOOP("ServerMessages", "A note is at most 10,000 characters."),
    QT_TRANSLATE_NOOP("ServerMessages", "A note with this id already exists."),
    QT_TRANSLATE_NOOP("ServerMessages", "No unit found for this category and place; choose the unit by hand."),
    QT_TRANSLATE_NOOP("ServerMessages", "The reason must be text of at most 2,000 characters."),
    QT_TRANSLATE_NOOP("ServerMessages", "The callback result must be one of satisfied, basically satisfied, unsatisfied, not reached."),
    QT_TRANSLATE_NOOP("ServerMessages", "A callback result is recorded only when closing or reopening a ticket after the callback."),
    QT_TRANSLATE_NOOP("ServerMessages", "There is no unit '%1'. Choose a unit from the list."),
    QT_TRANSLATE_NOOP("ServerMessages", "A unit can only be chosen when dispatching."),
    QT_TRANSLATE_NOOP("ServerMessages", "The ticket it duplicates does not exist."),
    QT_TRANSLATE_NOOP("ServerMessages", "Only a supervisor may reassign a ticket."),
    QT_TRANSLATE_NOOP("ServerMessages", "Give a reason for the reassignment."),
    QT_TRANSLATE_NOOP("ServerMessages", "The reason is at most 2,000 characters."),
    QT_TRANSLATE_NOOP("ServerMessages", "Name the operator who holds the ticket and the one who takes it."),
    QT_TRANSLATE_NOOP("ServerMessages", "This ticket is now held by %1, not %2; look again before reassigning."),
    QT_TRANSLATE_NOOP("ServerMessages", "'%1' is not an active operator or supervisor."),
    # Ticket moves (domain/lifecycle.py) and routing (domain/routing.py), passed on by the service
    QT_TRANSLATE_NOOP("ServerMessages", "'%1' is not something that can be done to a ticket."),
    QT_TRANSLATE_NOOP("ServerMessages", "A ticket that is %1 cannot be given '%2'."),
    QT_TRANSLATE_NOOP("ServerMessages", "Only a %1 may %2 this ticket."),
    QT_TRANSLATE_NOOP("ServerMessages", "Give a reason to %1 this ticket."),
    QT_TRANSLATE_NOOP("ServerMessages", "Record the callback result (satisfied, basically satisfied or not reached) to close; an unsatisfied caller reopens the ticket."),
    QT_TRANSLATE_NOOP("ServerMessages", "Only an unsatisfied callback reopens a ticket."),
    QT_TRANSLATE_NOOP("ServerMessages", "Category %1 is not in the catalogue (%2); pick a category again."),
    QT_TRANSLATE_NOOP("ServerMessages", "%1 is not a sub-district; give the incident address or pick the sub-district."),
    QT_TRANSLATE_NOOP("ServerMessages", "No routing rule covers %1 in %2; ask an admin to add one."),
    QT_TRANSLATE_NOOP("ServerMessages", "routing rule %1 names unknown unit %2"),
    QT_TRANSLATE_NOOP("ServerMessages", "routing rule %1 names unknown bureau kind %2"),
    QT_TRANSLATE_NOOP("ServerMessages", "routing rules send domain %1 to unknown bureau kind %2"),
    # Ticket checks (domain/ticket.py), passed on by the service (the same texts the form shows)
    QT_TRANSLATE_NOOP("ServerMessages", "Type the number with the digits 0-9 (half-width), not full-width digits."),
    QT_TRANSLATE_NOOP("ServerMessages", "This is not a phone number: use 11 digits for a mobile or area code and number for a landline."),
    QT_TRANSLATE_NOOP("ServerMessages", "Type what the caller needs, or their number, before saving."),
    QT_TRANSLATE_NOOP("ServerMessages", "Choose one of: inquiry, help, complaint, report, suggestion."),
    QT_TRANSLATE_NOOP("ServerMessages", "Choose normal, urgent or very urgent."),
    QT_TRANSLATE_NOOP("ServerMessages", "Pick a category before dispatching (Alt+1 takes the first suggestion)."),
    QT_TRANSLATE_NOOP("ServerMessages", "Say where it happens: an address or a sub-district."),
    # This console's own words for what the service answered (storage/http_client.py, storage/sync.py)
    QT_TRANSLATE_NOOP("ServerMessages", "the central service cannot be reached: working offline"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service cannot be reached"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service is busy or restarting: it will be tried again shortly"),
    QT_TRANSLATE_NOOP("ServerMessages", "your sign-in has expired: sign in again to send and receive tickets"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service's certificate is not trusted by this computer, so nothing was sent: ask IT for the hotline's CA file and start the console with --ca FILE"),
    QT_TRANSLATE_NOOP("ServerMessages", "plain http:// to %1 is refused: start the console with an https:// address"),
    QT_TRANSLATE_NOOP("ServerMessages", "your account may not do this: ask a supervisor"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service asked to slow down: it will be tried again shortly"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service reported a conflict"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service refused the request (%1): report this to support"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service had a problem (%1): it will be tried again; if it lasts, call support"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service did not answer in time: it will be tried again"),
    QT_TRANSLATE_NOOP("ServerMessages", "wrong user name or password"),
    QT_TRANSLATE_NOOP("ServerMessages", "this account also needs the 6-digit code from its authenticator app"),
    QT_TRANSLATE_NOOP("ServerMessages", "the 6-digit code is wrong or has expired: type the code the app shows now"),
    QT_TRANSLATE_NOOP("ServerMessages", "too many failed sign-ins: try again in %1 minute(s)"),
    QT_TRANSLATE_NOOP("ServerMessages", "too many failed sign-ins: try again later"),
    QT_TRANSLATE_NOOP("ServerMessages", "this account may not sign in here: ask an administrator"),
    QT_TRANSLATE_NOOP("ServerMessages", "enter a user name and a password"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service gave an answer this console does not understand: call support"),
    QT_TRANSLATE_NOOP("ServerMessages", "not signed in: sign in to send and receive tickets"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service refuses this console's changes: call support"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service did not confirm the changes sent: they stay queued and will be sent again"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service and this console disagree about which changes were sent: call support"),
    QT_TRANSLATE_NOOP("ServerMessages", "the central service keeps asking for a full reload: call support"),
    QT_TRANSLATE_NOOP("ServerMessages", "sync stopped on an unexpected problem: call support"),
)

# What each error code means, for an answer whose words are not in MESSAGES (a newer service's wording).
CODES: dict[str, str] = {
    "unauthorized": QT_TRANSLATE_NOOP("ServerCodes", "The central service did not accept the sign-in."),
    "forbidden": QT_TRANSLATE_NOOP("ServerCodes", "Your account may not do this: ask a supervisor."),
    "not_found": QT_TRANSLATE_NOOP("ServerCodes", "The central service does not have what was asked for."),
    "invalid_request": QT_TRANSLATE_NOOP("ServerCodes", "The central service could not take this request: report this to support."),
    "http_error": QT_TRANSLATE_NOOP("ServerCodes", "The central service could not take this request: report this to support."),
    "too_large": QT_TRANSLATE_NOOP("ServerCodes", "The request is too large for the central service: send less at once."),
    "too_many_attempts": QT_TRANSLATE_NOOP("ServerCodes", "Too many failed sign-ins: wait a little and try again, or ask a supervisor for help."),
    "otp_required": QT_TRANSLATE_NOOP("ServerCodes", "This account also needs the 6-digit code from its authenticator app."),
    "otp_wrong": QT_TRANSLATE_NOOP("ServerCodes", "The 6-digit code is wrong or has expired: type the code the app shows now."),
    "schema_version": QT_TRANSLATE_NOOP("ServerCodes", "This console and the central service speak different sync versions: one of them must be updated."),
    "malformed_mutation": QT_TRANSLATE_NOOP("ServerCodes", "The central service could not read a change from this console: call support."),
    "not_consecutive": QT_TRANSLATE_NOOP("ServerCodes", "The central service could not read a change from this console: call support."),
    "gap": QT_TRANSLATE_NOOP("ServerCodes", "The central service missed some changes from this console; they are sent again."),
    "mutation_conflict": QT_TRANSLATE_NOOP("ServerCodes", "This console's data was copied or restored: it registers again and sends its changes anew."),
    "client_not_yours": QT_TRANSLATE_NOOP("ServerCodes", "Changes came under another console's or user's identity and were refused; the console registers again."),
    "unknown_client": QT_TRANSLATE_NOOP("ServerCodes", "The central service does not know this console; it registers again."),
    "too_few_tickets": QT_TRANSLATE_NOOP("ServerCodes", "Too few confirmed tickets to retrain the suggestion model yet."),
    "busy": QT_TRANSLATE_NOOP("ServerCodes", "The central service is busy with this already; try again later."),
    "unavailable": QT_TRANSLATE_NOOP("ServerCodes", "The central database cannot be reached right now; your work is kept and sent later."),
    "internal": QT_TRANSLATE_NOOP("ServerCodes", "The central service had a problem; try again in a moment."),
    "plain_http": QT_TRANSLATE_NOOP("ServerCodes", "Plain http:// to another computer is refused: start the console with an https:// address."),
    "certificate": QT_TRANSLATE_NOOP("ServerCodes", "The central service's certificate is not trusted by this computer: ask IT for the hotline's CA file."),
}

# Words the service fills into its texts: roles, statuses, actions, field names (underscores as spaces).
WORDS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("ServerWords", "operator"), QT_TRANSLATE_NOOP("ServerWords", "supervisor"),
    QT_TRANSLATE_NOOP("ServerWords", "handler"), QT_TRANSLATE_NOOP("ServerWords", "admin"),
    QT_TRANSLATE_NOOP("ServerWords", "nobody"),
    QT_TRANSLATE_NOOP("ServerWords", "draft"), QT_TRANSLATE_NOOP("ServerWords", "registered"),
    QT_TRANSLATE_NOOP("ServerWords", "answered"), QT_TRANSLATE_NOOP("ServerWords", "dispatched"),
    QT_TRANSLATE_NOOP("ServerWords", "accepted"), QT_TRANSLATE_NOOP("ServerWords", "returned"),
    QT_TRANSLATE_NOOP("ServerWords", "arbitration"), QT_TRANSLATE_NOOP("ServerWords", "extension requested"),
    QT_TRANSLATE_NOOP("ServerWords", "replied"), QT_TRANSLATE_NOOP("ServerWords", "callback"),
    QT_TRANSLATE_NOOP("ServerWords", "closed"), QT_TRANSLATE_NOOP("ServerWords", "reopened"),
    QT_TRANSLATE_NOOP("ServerWords", "register"), QT_TRANSLATE_NOOP("ServerWords", "answer"),
    QT_TRANSLATE_NOOP("ServerWords", "close"), QT_TRANSLATE_NOOP("ServerWords", "dispatch"),
    QT_TRANSLATE_NOOP("ServerWords", "accept"), QT_TRANSLATE_NOOP("ServerWords", "return"),
    QT_TRANSLATE_NOOP("ServerWords", "arbitrate"), QT_TRANSLATE_NOOP("ServerWords", "redispatch"),
    QT_TRANSLATE_NOOP("ServerWords", "request extension"), QT_TRANSLATE_NOOP("ServerWords", "approve extension"),
    QT_TRANSLATE_NOOP("ServerWords", "deny extension"), QT_TRANSLATE_NOOP("ServerWords", "reply"),
    QT_TRANSLATE_NOOP("ServerWords", "start callback"), QT_TRANSLATE_NOOP("ServerWords", "reopen"),
    QT_TRANSLATE_NOOP("ServerWords", "caller phone"), QT_TRANSLATE_NOOP("ServerWords", "caller name"),
    QT_TRANSLATE_NOOP("ServerWords", "caller address"), QT_TRANSLATE_NOOP("ServerWords", "incident address"),
    QT_TRANSLATE_NOOP("ServerWords", "sub district code"), QT_TRANSLATE_NOOP("ServerWords", "request type"),
    QT_TRANSLATE_NOOP("ServerWords", "category code"), QT_TRANSLATE_NOOP("ServerWords", "taxonomy version"),
    QT_TRANSLATE_NOOP("ServerWords", "description"), QT_TRANSLATE_NOOP("ServerWords", "urgency"),
)

GENERIC = QT_TRANSLATE_NOOP("ServerMessages", "The central service refused this (code %1); the details are in the log.")
GENERIC_NO_CODE = QT_TRANSLATE_NOOP("ServerMessages", "The central service refused this; the details are in the log.")

_PLACEHOLDER = re.compile(r"%(\d)")
_MAX_DEPTH = 3  # a text inside a text (a reason inside "not valid: …"); deeper is not something the service sends


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """Each catalogue text as a pattern; the more fixed words a text has, the earlier it is tried."""
    out = []
    for source in MESSAGES:
        regex = "".join(f"(?P<p{piece}>.+?)" if index % 2 else re.escape(piece)
                        for index, piece in enumerate(_PLACEHOLDER.split(source)))
        out.append((re.compile(regex, re.DOTALL), source))
    return tuple(sorted(out, key=lambda item: -len(_PLACEHOLDER.sub("", item[1]))))


def _chinese() -> bool:
    return current_language() != "en"


def dropped_in_chinese(source: str, number: int) -> bool:
    """True for a filled-in part the Chinese leaves out on purpose (English detail a person cannot act on)."""
    return (source, number) in _DROPPED


# English detail inside these texts (a parser's or a validator's words) is not shown in Chinese: the log has it.
_DROPPED = {("The request is not valid: %1.", 1), ("A mutation is malformed: %1.", 1),
            ("The body holds %1, which is not a JSON number.", 1)}


def _word(value: str) -> str | None:
    """A role, status, action or field name the service filled in, translated; None when it is not one."""
    words = value.replace("_", " ").strip()
    if words in WORDS:
        return QCoreApplication.translate(WORDS_CONTEXT, words)
    parts = [p.strip() for p in words.split(",")]
    if len(parts) > 1 and all(p in WORDS for p in parts):
        return "、".join(QCoreApplication.translate(WORDS_CONTEXT, p) for p in parts)
    return None


def _filled(value: str, depth: int) -> str | None:
    """A filled-in part in Chinese: a known word or text translated, a name, code or number as it is; None for
    English words this console cannot translate."""
    word = _word(value)
    if word is not None:
        return word
    if not value.strip():
        return value
    inner = _translate(value.strip(), depth + 1)
    if inner is not None:
        return inner
    if " " not in value.strip():
        return value  # a user name, a unit or category code, a number, a version
    return None


def _translate(text: str, depth: int = 0) -> str | None:
    """`text` in Chinese if the catalogue knows it (or each of its sentences); None otherwise."""
    if depth > _MAX_DEPTH or not text:
        return None
    for pattern, source in _patterns():
        match = pattern.fullmatch(text)
        if match is None:
            continue
        translated = QCoreApplication.translate(CONTEXT, source)
        values: dict[str, str] = {}
        for name, value in match.groupdict().items():
            number = int(name[1:])
            if f"%{number}" not in translated or dropped_in_chinese(source, number):
                values[str(number)] = ""
                continue
            filled = _filled(value, depth)
            if filled is None:
                break
            values[str(number)] = filled
        else:
            return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), translated)
    # Several sentences of the catalogue in a row (the service joins a ticket's problems with spaces).
    parts = _split(text)
    if len(parts) > 1:
        done = [_translate(part, depth + 1) for part in parts]
        if all(done):
            return "".join(done)
    return None


def _split(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text) if part]


def message_text(message: str | None, code: str | None = None) -> str:
    """What the service (or this console about the service) said, for the person: as it is in English, translated
    in Chinese; a translated sentence with the code when the words are not in the catalogue."""
    message = (message or "").strip()
    if not _chinese():
        if message:
            return message
        return QCoreApplication.translate(CODES_CONTEXT, CODES[code]) if code in CODES else \
            QCoreApplication.translate(CONTEXT, GENERIC).replace("%1", code) if code else \
            QCoreApplication.translate(CONTEXT, GENERIC_NO_CODE)
    translated = _translate(message)
    if translated is not None:
        return translated
    if message:
        log.info("no translation for the central service's words (code %s): %s", code or "none", message)
    if code in CODES:
        return QCoreApplication.translate(CODES_CONTEXT, CODES[code])
    if code:
        return QCoreApplication.translate(CONTEXT, GENERIC).replace("%1", code)
    return QCoreApplication.translate(CONTEXT, GENERIC_NO_CODE)


def error_text(exc: BaseException) -> str:
    """An exception from talking to the service (ServiceError, LoginError, SyncError …) for the person."""
    message = getattr(exc, "message", None) or str(exc)
    return message_text(message, getattr(exc, "code", None))


def rejection_text(reason: str | None) -> str:
    """Why the service refused a change (a sync rejection), for the person."""
    return message_text(reason)
