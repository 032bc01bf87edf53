"""The ticket: its fields, request types, urgencies, statuses and input checks."""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from enum import StrEnum


class RequestType(StrEnum):
    INQUIRY = "inquiry"
    HELP = "help"
    COMPLAINT = "complaint"
    REPORT = "report"
    SUGGESTION = "suggestion"


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"
    VERY_URGENT = "very_urgent"


class Status(StrEnum):
    DRAFT = "draft"
    REGISTERED = "registered"
    ANSWERED = "answered"  # answered directly on the call
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    ARBITRATION = "arbitration"
    EXTENSION_REQUESTED = "extension_requested"
    REPLIED = "replied"
    CALLBACK = "callback"
    CLOSED = "closed"
    REOPENED = "reopened"


class CallbackResult(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    UNSATISFIED = "unsatisfied"
    NOT_REACHED = "not_reached"


class Role(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    HANDLER = "handler"
    ADMIN = "admin"


# Fields a person edits; last writer per field wins on the server.
CONTENT_FIELDS: tuple[str, ...] = (
    "caller_phone",
    "caller_name",
    "caller_address",
    "incident_address",
    "sub_district_code",
    "request_type",
    "category_code",
    "taxonomy_version",
    "suggestions",
    "suggestion_rank",
    "description",
    "urgency",
    "call_started_at",
)

# Fields only the server decides (through transitions, reassignment, numbering).
SERVER_FIELDS: tuple[str, ...] = (
    "number",
    "status",
    "operator",
    "unit_code",
    "dispatched_at",
    "due_at",
    "callback_result",
    "duplicate_of",
    "version",
    "created_at",
    "updated_at",
)

# ASCII only: Python's \d also takes full-width (１３８…) and other scripts' digits, which no phone system dials
# and which would not match the same number typed with 0-9 in a search.
_PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{5,8}|\+?\d{6,15})$", re.ASCII)
FULL_WIDTH_PHONE = "Type the number with the digits 0-9 (half-width), not full-width digits."


def new_ticket_id() -> str:
    return str(uuid.uuid4())


def normalise_phone(raw: str) -> str:
    """Strip spaces and separators a caller ID or an operator may add."""
    return re.sub(r"[\s()]", "", raw or "").replace("－", "-")


def is_valid_phone(raw: str) -> bool:
    """A mainland mobile, a landline with area code, a short local or an international number."""
    return bool(_PHONE.match(normalise_phone(raw)))


def has_non_ascii_digits(raw: str) -> bool:
    """Digits other than 0-9 (full-width from an input method, or another script's), which a number may not use."""
    return any(ch.isdigit() and not ch.isascii() for ch in raw or "")


def mask_phone(raw: str | None) -> str:
    """138****5678: what lists show; the full number needs an audited reveal."""
    phone = normalise_phone(raw or "")
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


class TimeError(ValueError):
    """A date and time that is not one, or that lies outside what can be stored; the message is for a person."""


def parse_time(text: str) -> datetime:
    """An ISO 8601 date and time (2026-11-27T09:30:00+08:00; without an offset it is UTC) as an aware UTC
    datetime; TimeError otherwise. Times that exist only in another zone's years 1 or 9999
    (9999-12-31T23:59:59-14:00 is in year 10000 in UTC) are refused too: they cannot be stored."""
    if not isinstance(text, str) or not text.isascii():
        raise TimeError("write the date and time like 2026-11-27T09:30:00+08:00")
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise TimeError("write the date and time like 2026-11-27T09:30:00+08:00") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        raise TimeError("that date and time is out of range") from None


@dataclass
class Ticket:
    """One citizen request. Never hard-deleted; `version` is the server's."""

    id: str = field(default_factory=new_ticket_id)
    number: str | None = None
    caller_phone: str = ""
    caller_name: str = ""
    caller_address: str = ""
    incident_address: str = ""
    sub_district_code: str = ""
    request_type: str = RequestType.COMPLAINT.value
    category_code: str = ""
    taxonomy_version: str = ""
    suggestions: list[str] = field(default_factory=list)
    suggestion_rank: int | None = None
    description: str = ""
    urgency: str = Urgency.NORMAL.value
    status: str = Status.DRAFT.value
    operator: str = ""
    unit_code: str = ""
    call_started_at: str | None = None
    dispatched_at: str | None = None
    due_at: str | None = None
    callback_result: str | None = None
    duplicate_of: str | None = None
    version: int = 0
    created_at: str | None = None
    updated_at: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Ticket":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def minimal_save_problems(values: dict) -> dict[str, str]:
    """What stops a ticket being registered at all: it needs a description or a caller number.

    Returns {field: message in the operator's words}; empty means it can be saved.
    """
    problems: dict[str, str] = {}
    phone = (values.get("caller_phone") or "").strip()
    if phone and has_non_ascii_digits(phone):
        problems["caller_phone"] = FULL_WIDTH_PHONE
    elif phone and not is_valid_phone(phone):
        problems["caller_phone"] = "This is not a phone number: use 11 digits for a mobile or area code and number for a landline."
    if not phone and not (values.get("description") or "").strip():
        problems["description"] = "Type what the caller needs, or their number, before saving."
    if values.get("request_type") and values["request_type"] not in {t.value for t in RequestType}:
        problems["request_type"] = "Choose one of: inquiry, help, complaint, report, suggestion."
    if values.get("urgency") and values["urgency"] not in {u.value for u in Urgency}:
        problems["urgency"] = "Choose normal, urgent or very urgent."
    return problems


def dispatch_problems(values: dict) -> dict[str, str]:
    """What stops a ticket being dispatched: it also needs a category and a location."""
    problems = minimal_save_problems(values)
    if not (values.get("category_code") or "").strip():
        problems["category_code"] = "Pick a category before dispatching (Alt+1 takes the first suggestion)."
    if not (values.get("sub_district_code") or "").strip() and not (values.get("incident_address") or "").strip():
        problems["incident_address"] = "Say where it happens: an address or a sub-district."
    return problems
