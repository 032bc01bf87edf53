"""Open311 GeoReport v2 for third-party programs, under /open311/v2/, each endpoint as .json and .xml.

- Services are the taxonomy's leaf types (service_code = type code).
- A request is a ticket; its service_request_id is the ticket's human number (20261127-000123).
- Filing (POST requests) needs an API key from `hotline apikey add NAME` and goes through the same
  server path as a console's `ticket.create` push, so the ticket gets its number, status registered,
  history and a change-feed row that wakes the consoles.
- Reading requests (requests, one request, tokens) needs an API key too (`api_key` in the query or an
  `X-API-Key` header), unless the city makes reads public with HOTLINE_OPEN311_PUBLIC_READS=1.
  Discovery and services hold only the catalogue and are always public.
- Tickets are created synchronously, so a token is simply the service_request_id.
- Answers never carry the caller's number, name or address. The description is published scrubbed
  (domain.scrub: phone and ID numbers, e-mail, names it finds), the incident address at street level
  only (no house, building or room numbers, no coordinates).
- Errors are Open311's: [{"code", "description"}] or <errors><error>...</error></errors>.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from domain import config
from domain.scrub import scrub_text, street_level
from domain.ticket import Role, Status, TimeError, parse_time
from domain.wire import create as create_mutation
from server import accounts, schema, sync
from server.accounts import User
from server.api.deps import JsonError, ascii_int, parse_json, read_body
from server.db import iso, utcnow

router = APIRouter(prefix="/open311/v2")

FORMATS = {"json": "application/json", "xml": "text/xml"}
CHANGESET = "2026-11-27T00:00:00Z"  # when this API's shape last changed
DEFAULT_DAYS = 90
MAX_LIMIT = 1000
MAX_BODY = 256 * 1024
SERVICE_PREFIX = "open311:"
PUBLIC_READS_ENV = config.OPEN311_PUBLIC_READS.name
_NUMBER = re.compile(r"^[0-9A-Za-z-]{1,32}$")
_DECIMAL = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{1,15})?")
# Characters XML 1.0 cannot hold at all (escaping does not help): dropped from text values.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class Open311Error(Exception):
    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code = code
        self.description = description


# ---- rendering -----------------------------------------------------------------------------

def _xml_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _xml_add(parent: ET.Element, tag: str, value) -> None:
    """A JSON value as XML: dicts become nested elements, lists repeat their singular tag."""
    el = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, inner in value.items():
            _xml_add(el, key, inner)
    elif isinstance(value, list):
        singular = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}
        for item in value:
            _xml_add(el, singular.get(tag, "item"), item)
    else:
        el.text = _xml_text(value)


def _xml(root_tag: str, item_tag: str | None, data) -> bytes:
    root = ET.Element(root_tag)
    if item_tag is None:
        for key, value in data.items():
            _xml_add(root, key, value)
    else:
        for item in data:
            _xml_add(root, item_tag, item)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _render(fmt: str, data, root_tag: str, item_tag: str | None, status: int = 200) -> Response:
    if fmt == "xml":
        return Response(_xml(root_tag, item_tag, data), status_code=status, media_type="text/xml; charset=utf-8")
    return JSONResponse(data, status_code=status)


def _error(fmt: str, code: int, description: str) -> Response:
    return _render(fmt if fmt in FORMATS else "json", [{"code": code, "description": description}],
                   "errors", "error", status=code)


def error_for_path(path: str, code: int, description: str) -> Response:
    """An Open311 error for a path no endpoint took (404, 405): XML when the path asked for .xml."""
    return _error("xml" if path.endswith(".xml") else "json", code, description)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Open311Error(404, "Ask for .json or .xml; no other format is served.")


async def _answer(fmt: str, work):
    """Run the endpoint's work; every refusal comes back in Open311's error shape and format."""
    try:
        _check_format(fmt)
        return await work()
    except Open311Error as exc:
        return _error(fmt, exc.code, exc.description)


# ---- parameters ----------------------------------------------------------------------------

def _clean(value, name: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        else:
            raise Open311Error(400, f"{name} must be text.")
    if "\x00" in value:
        raise Open311Error(400, f"{name} holds a control character (NUL) that cannot be stored.")
    if len(value) > limit:
        raise Open311Error(400, f"{name} is too long (at most {limit} characters).")
    return value.strip()


def _param(request: Request, name: str, limit: int = 200) -> str:
    return _clean(request.query_params.get(name), name, limit)


def _parse_time(text: str, name: str) -> str:
    """An ISO 8601 time as the stored form (UTC, microseconds) for string comparison."""
    try:
        return iso(parse_time(text))
    except TimeError as exc:
        raise Open311Error(400, f"{name} is not valid: {exc}.") from None


def _lang(request: Request) -> str:
    lang = (request.query_params.get("lang") or "").lower()
    return "en" if lang.startswith("en") else "zh"


def _taxonomy():
    from domain.taxonomy import load_taxonomy

    return load_taxonomy()


# ---- services ------------------------------------------------------------------------------

def _service(taxonomy, category, lang: str) -> dict:
    chain = taxonomy.path(category.code)
    name = (lambda c: (c.name_en or c.name_zh) if lang == "en" else c.name_zh)
    return {
        "service_code": category.code,
        "service_name": name(category),
        "description": " › ".join(name(c) for c in chain[:-1]),
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(k.replace(",", " ") for k in category.keywords),
        "group": name(chain[0]) if chain else "",
    }


_services_cache: dict[tuple, bytes] = {}


@router.get("/discovery.{fmt}")
async def discovery(fmt: str, request: Request):
    async def work():
        base = str(request.base_url).rstrip("/") + "/open311/v2/"
        data = {
            "changeset": CHANGESET,
            "contact": "The hotline's administrator.",
            "key_service": "Ask the hotline's administrator for an API key (they create one with `hotline apikey add NAME`). "
                           "Filing needs it; reading requests needs it too unless the city made reads public.",
            "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                           "changeset": CHANGESET, "type": "production", "formats": list(FORMATS.values())}],
        }
        return _render(fmt, data, "discovery", None)

    return await _answer(fmt, work)


@router.get("/services.{fmt}")
async def services(fmt: str, request: Request):
    async def work():
        taxonomy, lang = _taxonomy(), _lang(request)
        key = (id(taxonomy), taxonomy.version, lang, fmt)
        body = _services_cache.get(key)
        if body is None:
            data = [_service(taxonomy, c, lang) for c in taxonomy.leaves()]
            body = _xml("services", "service", data) if fmt == "xml" else json.dumps(data, ensure_ascii=False).encode()
            if len(_services_cache) > 16:
                _services_cache.clear()
            _services_cache[key] = body
        return Response(body, media_type="text/xml; charset=utf-8" if fmt == "xml" else "application/json")

    return await _answer(fmt, work)


@router.get("/services/{service_code}.{fmt}")
async def service_definition(service_code: str, fmt: str, request: Request):
    async def work():
        category = _taxonomy().get(service_code)
        if category is None or not category.is_leaf:
            raise Open311Error(404, "There is no service with this code.")
        data = {"service_code": category.code, "metadata": False, "attributes": []}
        return _render(fmt, data, "service_definition", None)

    return await _answer(fmt, work)


# ---- requests: reading ---------------------------------------------------------------------

def public_reads() -> bool:
    """Whether the city made reading requests public (HOTLINE_OPEN311_PUBLIC_READS=1); by default it needs a key."""
    return config.OPEN311_PUBLIC_READS.get()


async def _key_name(request: Request, key) -> str | None:
    """The name of the API key `key`, None when it is no key the service gave out."""
    if not (isinstance(key, str) and 0 < len(key) <= 200):  # anything else is simply not a key
        return None
    return await run_in_threadpool(accounts.user_for_api_key, request.app.state.engine, key)


async def _check_reader(request: Request) -> None:
    """Reads need an API key unless the city made them public."""
    if public_reads():
        return
    key = request.query_params.get("api_key") or request.headers.get("x-api-key")
    name = await _key_name(request, key)
    if name is None:
        raise Open311Error(403, "Reading requests needs a valid api_key; ask the hotline's administrator for one.")
    request.scope.setdefault("state", {})["username"] = (SERVICE_PREFIX + name)[:64]


def _public(row, taxonomy, lang: str) -> dict:
    """A ticket as an Open311 request: no caller number, name or address, ever; the description scrubbed, the
    incident address at street level."""
    from domain.units import get_unit

    category = taxonomy.get(row["category_code"]) if row["category_code"] else None
    unit = get_unit(row["unit_code"]) if row["unit_code"] else None
    name = (lambda x: (x.name_en or x.name_zh) if lang == "en" else x.name_zh)
    return {
        "service_request_id": row["number"],
        "status": "closed" if row["status"] == Status.CLOSED else "open",
        "status_notes": None,
        "service_name": name(category) if category else None,
        "service_code": row["category_code"] or None,
        "description": scrub_text(row["description"]) or None,
        "agency_responsible": name(unit) if unit else None,
        "service_notice": None,
        "requested_datetime": row["created_at"],
        "updated_datetime": row["updated_at"],
        "expected_datetime": row["due_at"],
        "address": scrub_text(street_level(row["incident_address"])) or None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
        "extended_attributes": {"status": row["status"]},
    }


_PUBLIC_COLUMNS = ("number", "status", "category_code", "description", "unit_code", "created_at", "updated_at",
                   "due_at", "incident_address")


def _query_requests(engine, numbers: list[str] | None, service_codes: list[str], start: str | None,
                    end: str | None, status: str, limit: int) -> list:
    t = schema.tickets
    query = select(*(t.c[c] for c in _PUBLIC_COLUMNS)).where(t.c.number.is_not(None))
    if numbers is not None:
        query = query.where(t.c.number.in_(numbers))
    else:
        if service_codes:
            query = query.where(t.c.category_code.in_(service_codes))
        if start:
            query = query.where(t.c.created_at >= start)
        if end:
            query = query.where(t.c.created_at <= end)
        if status == "closed":
            query = query.where(t.c.status == Status.CLOSED.value)
        elif status == "open":
            query = query.where(t.c.status != Status.CLOSED.value)
    query = query.order_by(t.c.created_at.desc(), t.c.number.desc()).limit(limit)
    with engine.connect() as conn:
        return conn.execute(query).mappings().all()


def _numbers(text: str, name: str = "service_request_id") -> list[str]:
    items = [p.strip() for p in text.split(",") if p.strip()]
    if len(items) > MAX_LIMIT:
        raise Open311Error(400, f"Ask for at most {MAX_LIMIT} service_request_id values at once.")
    for item in items:
        if not _NUMBER.match(item):
            raise Open311Error(400, f"{name} values are request numbers like 20261127-000123.")
    return items


@router.get("/requests.{fmt}")
async def list_requests(fmt: str, request: Request):
    async def work():
        await _check_reader(request)
        ids = _param(request, "service_request_id", 40 * MAX_LIMIT)
        codes = [c.strip() for c in _param(request, "service_code", 20000).split(",") if c.strip()]
        if any(len(c) > 64 for c in codes) or len(codes) > MAX_LIMIT:
            raise Open311Error(400, "service_code values are codes from services.json.")
        start_text, end_text = _param(request, "start_date", 64), _param(request, "end_date", 64)
        start = _parse_time(start_text, "start_date") if start_text else None
        end = _parse_time(end_text, "end_date") if end_text else None
        if start and end and start > end:
            raise Open311Error(400, "start_date must be before end_date.")
        if start is None and end is None:
            start = iso(utcnow() - timedelta(days=DEFAULT_DAYS))
        elif start is None:
            try:
                start = iso(datetime.fromisoformat(end) - timedelta(days=DEFAULT_DAYS))
            except (OverflowError, ValueError):
                start = None  # an end date in year 1: nothing earlier to leave out
        status = _param(request, "status", 20).lower()
        if status not in ("", "open", "closed"):
            raise Open311Error(400, "status must be open or closed.")
        limit = ascii_int(_param(request, "limit", 10) or str(MAX_LIMIT))
        if limit is None or not 1 <= limit <= MAX_LIMIT:
            raise Open311Error(400, f"limit must be a whole number from 1 to {MAX_LIMIT}, in the digits 0-9.")
        numbers = _numbers(ids) if ids else None
        engine = request.app.state.engine
        rows = await run_in_threadpool(_query_requests, engine, numbers, codes, start, end, status, limit)
        taxonomy, lang = _taxonomy(), _lang(request)
        return _render(fmt, [_public(r, taxonomy, lang) for r in rows], "service_requests", "request")

    return await _answer(fmt, work)


@router.get("/requests/{service_request_id}.{fmt}")
async def one_request(service_request_id: str, fmt: str, request: Request):
    async def work():
        await _check_reader(request)
        if not _NUMBER.match(service_request_id):
            raise Open311Error(404, "There is no request with this id.")
        rows = await run_in_threadpool(_query_requests, request.app.state.engine, [service_request_id], [], None,
                                       None, "", 1)
        if not rows:
            raise Open311Error(404, "There is no request with this id.")
        return _render(fmt, [_public(rows[0], _taxonomy(), _lang(request))], "service_requests", "request")

    return await _answer(fmt, work)


@router.get("/tokens/{token}.{fmt}")
async def token(token: str, fmt: str, request: Request):
    """Requests are filed synchronously: the token handed out is the service_request_id itself."""
    async def work():
        await _check_reader(request)
        if not _NUMBER.match(token):
            raise Open311Error(404, "There is no request with this token.")
        rows = await run_in_threadpool(_query_requests, request.app.state.engine, [token], [], None, None, "", 1)
        if not rows:
            raise Open311Error(404, "There is no request with this token.")
        return _render(fmt, [{"service_request_id": rows[0]["number"], "token": token}], "service_requests", "request")

    return await _answer(fmt, work)


# ---- requests: filing ----------------------------------------------------------------------

async def _body(request: Request) -> dict:
    """Form-encoded (as the spec says) or a JSON object; the query string's values fill gaps."""
    raw = await read_body(request, MAX_BODY, Open311Error(413, "The request is too large."))
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    values: dict = {}
    if kind == "application/json" or (not kind and raw[:1] in (b"{", b"[")):
        try:
            parsed = parse_json(raw) if raw else {}
        except JsonError as exc:
            raise Open311Error(400, str(exc)) from None
        if not isinstance(parsed, dict):
            raise Open311Error(400, "The JSON body must be an object.")
        values = parsed
    elif kind in ("", "application/x-www-form-urlencoded", "text/plain"):
        try:
            values = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise Open311Error(400, "The form must be UTF-8.") from None
    else:
        raise Open311Error(415, "Send the request form-encoded (application/x-www-form-urlencoded) or as JSON.")
    for key, value in request.query_params.items():
        values.setdefault(key, value)
    return values


def _service_user(key_name: str) -> User:
    # Tickets filed through Open311 are registered by a service account named after the API key
    # ("open311:citizen-app"): the history says which third party filed what. It acts as an
    # operator, the least-privileged role that may register tickets (handlers may not), and it does
    # nothing else: it is no row in users, so nobody can sign in as it or be given tickets as it.
    return User(id=0, username=(SERVICE_PREFIX + key_name)[:64], role=Role.OPERATOR, unit_code=None)


def _coordinate(text: str, name: str, bound: float) -> float | None:
    if not text:
        return None
    # float() would also take full-width, Arabic-Indic or underscored digits and "nan": only plain decimals.
    if not _DECIMAL.fullmatch(text):
        raise Open311Error(400, f"{name} must be a number in decimal degrees, in the digits 0-9.")
    value = float(text)
    if not -bound <= value <= bound:
        raise Open311Error(400, f"{name} must be between -{bound:g} and {bound:g}.")
    return value


def _file(engine, settings, user: User, args: dict, ip: str | None) -> tuple[dict, int | None, str | None]:
    client_id = "open311-" + uuid.uuid4().hex  # one mutation per filing: its own client, id 1
    body, top = sync.push(engine, user, client_id, [create_mutation(1, args["id"], **{k: v for k, v in args.items()
                                                                                       if k != "id"})], settings, ip)
    result = body["results"][0]
    if result["status"] != "applied":
        return result, top, None
    with engine.connect() as conn:
        number = conn.execute(select(schema.tickets.c.number).where(schema.tickets.c.id == args["id"])).scalar()
    return result, top, number


@router.post("/requests.{fmt}")
async def file_request(fmt: str, request: Request):
    async def work():
        values = await _body(request)
        engine, settings = request.app.state.engine, request.app.state.settings
        key_name = await _key_name(request, values.get("api_key"))
        if key_name is None:
            raise Open311Error(403, "A valid api_key is required; ask the hotline's administrator for one.")
        user = _service_user(key_name)
        request.scope.setdefault("state", {})["username"] = user.username
        taxonomy = _taxonomy()
        code = _clean(values.get("service_code"), "service_code", 64)
        category = taxonomy.get(code) if code else None
        if category is None or not category.is_leaf:
            raise Open311Error(400, "service_code must be one of the codes in services.json.")
        description = _clean(values.get("description"), "description", 4000)
        address = _clean(values.get("address_string"), "address_string", 900)
        lat = _coordinate(_clean(values.get("lat"), "lat", 40), "lat", 90)
        lon = _coordinate(_clean(values.get("long"), "long", 40), "long", 180)
        if (lat is None) != (lon is None):
            raise Open311Error(400, "Give both lat and long, or neither.")
        if not description and not address and lat is None:
            raise Open311Error(400, "Describe the problem or say where it is (address_string, or lat and long).")
        if lat is not None:
            # Tickets keep one incident address as text; the coordinates go there so nothing is lost.
            address = f"{address} ({lat:.6f}, {lon:.6f})" if address else f"{lat:.6f}, {lon:.6f}"
        first = _clean(values.get("first_name"), "first_name", 90)
        last = _clean(values.get("last_name"), "last_name", 90)
        phone = _clean(values.get("phone"), "phone", 40)
        _clean(values.get("email"), "email", 254)  # accepted and checked, but tickets keep no e-mail
        for extra in ("address_id", "account_id", "device_id", "media_url"):
            _clean(values.get(extra), extra, 1000)
        args = {
            "id": str(uuid.uuid4()),
            "category_code": category.code,
            "taxonomy_version": taxonomy.version,
            "request_type": "report",
            # A ticket needs some description; the service's name says what is reported when none came.
            "description": description or category.name_zh,
            "incident_address": address,
            "caller_name": " ".join(p for p in (last, first) if p),
            "caller_phone": phone,
        }
        result, top, number = await run_in_threadpool(_file, engine, settings, user, args,
                                                      request.client.host if request.client else None)
        request.app.state.notifier.publish(top)
        if number is None:
            raise Open311Error(400, result.get("error") or "The request could not be filed.")
        notice = "已登记，编号 " + number if _lang(request) == "zh" else f"Registered as {number}."
        return _render(fmt, [{"service_request_id": number, "service_notice": notice, "account_id": None}],
                       "service_requests", "request")

    return await _answer(fmt, work)
