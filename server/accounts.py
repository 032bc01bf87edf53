"""Accounts and sign-in: Argon2id passwords, the password rules, TOTP, opaque bearer tokens, throttling, `hotline user`."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import math
import re
import secrets
import sys
from dataclasses import dataclass
from functools import lru_cache

import pyotp

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from domain.ticket import Role
from domain.units import get_unit, similar_unit_codes
from server import audit, schema
from server.db import insert_ignore, iso, utcnow, write_tx
from server.errors import ApiError, unauthorized
from server.settings import Settings

log = logging.getLogger("hotline.server.accounts")

# Argon2id at the OWASP minimum (19 MiB, 2 passes): affordable on a shared 2-core machine.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY_HASH = _HASHER.hash("not a real password")  # verify against it for unknown names: same timing
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
ROLES = tuple(r.value for r in Role)


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    unit_code: str | None

    @property
    def is_staff(self) -> bool:
        """Operators, supervisors and admins see the whole hotline; handlers see their unit."""
        return self.role in (Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def hash_token(token: str) -> str:
    """Tokens are stored only as their SHA-256: a copy of the database signs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


MIN_PASSWORD = 10
MAX_PASSWORD = 1024
# Second factor: supervisors and admins see and change the whole hotline, so they may enrol one.
TOTP_ROLES = (Role.SUPERVISOR.value, Role.ADMIN.value)
TOTP_ISSUER = "Hotline"


class SchemaConflict(RuntimeError):
    """Existing data that a new schema rule refuses (e.g. two names differing only in case); says what to fix."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords attackers try first (resources/passwords/common.csv), lowercased."""
    from resources import loader

    rows = csv.reader(io.StringIO(loader.read_text("passwords", "common.csv")))
    next(rows, None)  # header
    return frozenset(row[0] for row in rows if row)


_TRAILING = re.compile(r"[\d\W_]+$")
_LEADING = re.compile(r"^[\d\W_]+")


def _is_run(text: str) -> bool:
    """One character repeated, or a straight run up or down (aaaaaaaaaa, 3456789012, abcdefghij)."""
    if len(set(text)) <= 2:
        return True
    steps = {(ord(b) - ord(a)) % 10 if a.isdigit() and b.isdigit() else ord(b) - ord(a) for a, b in zip(text, text[1:])}
    return len(steps) == 1 and steps <= {1, -1, 9}


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is refused, in plain words; None when it may be used."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        return (f"The password is too short: use at least {MIN_PASSWORD} characters. A few unrelated words "
                f"make a good one that is easy to type.")
    if len(password) > MAX_PASSWORD:
        return f"The password is too long: use at most {MAX_PASSWORD} characters."
    lowered = password.lower()
    if username and len(username) >= 3 and username.lower() in lowered:
        return "The password must not contain the user name. Choose another."
    common = common_passwords()
    # The listed passwords, and a listed one with digits or signs put before or after it (password2024!).
    core = _LEADING.sub("", _TRAILING.sub("", lowered))
    if lowered in common or (len(core) >= 4 and core in common) or _is_run(lowered) or (len(core) >= 4 and _is_run(core)):
        return ("This password is one of the common ones attackers try first. Choose another: a few unrelated "
                "words make a good one.")
    return None


def unit_problem(unit: str | None) -> str | None:
    """Why a unit code is refused; None for a unit tickets can be dispatched to."""
    if get_unit(unit or "") is not None:
        return None
    close = similar_unit_codes(unit or "")
    hint = f" Did you mean {' or '.join(close)}?" if close else " Unit codes look like SD-110101001 (a sub-district office), DB-110101-housing (a district bureau) or CD-HOUSING (a city department)."
    return f"There is no unit '{unit}'.{hint}"


def account_problems(name: str, role: str, password: str, unit: str | None, *, check_password: bool = True) -> str | None:
    if not _NAME.match(name or ""):
        return "A user name is 1-64 letters, digits or . _ @ - (no spaces)."
    if role not in ROLES:
        return f"The role must be one of: {', '.join(ROLES)}."
    if role == Role.HANDLER and not (unit or "").strip():
        return "A handler works for one unit: give it with --unit CODE."
    if unit and unit_problem(unit):
        return unit_problem(unit)
    return password_problem(password, name) if check_password else None


def create_user(conn: Connection, name: str, role: str, password: str, unit: str | None = None, *,
                password_hash: str | None = None, demo: bool = False) -> int:
    """A new account; `password_hash` lets many accounts share one costly hash (tests, demo seed).

    `demo` skips the password rules: only for the demo seed, whose database no service reachable from
    other machines opens (server.runner refuses it)."""
    problem = account_problems(name, role, password, unit, check_password=not demo)
    if problem:
        raise ValueError(problem)
    if find_user(conn, name) is not None:
        raise ValueError(f"There is already a user called '{name}' (names are the same in upper and lower case).")
    result = conn.execute(
        insert(schema.users).values(
            username=name, role=role, unit_code=unit or None,
            password_hash=password_hash or hash_password(password), disabled=False, created_at=iso(utcnow()),
        )
    )
    return int(result.inserted_primary_key[0])


def find_user(conn: Connection, name: str):
    """The account of this name, whatever its case (OP1 and op1 are one account)."""
    u = schema.users
    return conn.execute(select(u).where(func.lower(u.c.username) == (name or "").lower())).mappings().first()


def set_password(conn: Connection, name: str, password: str) -> bool:
    """A new password (the rules apply); every token of the account is revoked."""
    row = find_user(conn, name)
    if row is None:
        return False
    problem = password_problem(password, row["username"])
    if problem:
        raise ValueError(problem)
    conn.execute(update(schema.users).where(schema.users.c.id == row["id"]).values(password_hash=hash_password(password)))
    conn.execute(update(schema.tokens).where(schema.tokens.c.user_id == row["id"]).values(revoked=True))
    return True


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def enrol_totp(conn: Connection, name: str) -> tuple[str, str]:
    """A new TOTP secret for a supervisor or admin (replacing any earlier one); (secret, provisioning URI)."""
    row = find_user(conn, name)
    if row is None:
        raise LookupError(f"There is no user called '{name}'.")
    if row["role"] not in TOTP_ROLES:
        raise ValueError(f"A second factor is for supervisors and admins; '{row['username']}' is {_article(row['role'])} {row['role']}.")
    secret = pyotp.random_base32()
    conn.execute(update(schema.users).where(schema.users.c.id == row["id"])
                 .values(totp_secret=secret, totp_last_step=None))
    uri = pyotp.TOTP(secret).provisioning_uri(name=row["username"], issuer_name=TOTP_ISSUER)
    return secret, uri


def remove_totp(conn: Connection, name: str) -> bool:
    row = find_user(conn, name)
    if row is None:
        return False
    conn.execute(update(schema.users).where(schema.users.c.id == row["id"]).values(totp_secret=None, totp_last_step=None))
    return True


def set_disabled(conn: Connection, name: str, disabled: bool) -> bool:
    """Disabling an account revokes every token it holds at once."""
    row = find_user(conn, name)
    if row is None:
        return False
    conn.execute(update(schema.users).where(schema.users.c.id == row["id"]).values(disabled=disabled))
    if disabled:
        conn.execute(update(schema.tokens).where(schema.tokens.c.user_id == row["id"]).values(revoked=True))
    return True


# ---- sign-in -------------------------------------------------------------------------------

def _throttle_key(username: str, ip: str) -> str:
    return f"{username.lower()[:100]}|{ip[:64]}"


def _lock_wait(conn: Connection, key: str, now: float) -> int | None:
    """Seconds until this key's lock ends; None when it is not locked."""
    row = conn.execute(select(schema.login_failures).where(schema.login_failures.c.key == key)).mappings().first()
    if row and row["locked_until"] > now:
        return max(1, math.ceil(row["locked_until"] - now))
    return None


def _too_many(wait: int) -> ApiError:
    return ApiError(
        429, "too_many_attempts",
        f"Too many failed sign-ins. Wait {wait} seconds and try again, or ask a supervisor for help.",
        {"Retry-After": str(wait)}, retry_after=wait,
    )


def _check_throttle(conn: Connection, key: str, now: float) -> None:
    wait = _lock_wait(conn, key, now)
    if wait is not None:
        raise _too_many(wait)


def _has_recent_failures(conn: Connection, key: str, now: float, settings: Settings) -> bool:
    """Whether this name has failed from this address within the window (or is still locked)."""
    row = conn.execute(select(schema.login_failures).where(schema.login_failures.c.key == key)).mappings().first()
    return bool(row and row["failures"] > 0 and (now - row["window_started"] <= settings.login_window_s
                                                  or row["locked_until"] > now))


def _record_failure(conn: Connection, key: str, now: float, settings: Settings, limit: int | None = None) -> None:
    row = conn.execute(select(schema.login_failures).where(schema.login_failures.c.key == key)).mappings().first()
    if row is None or now - row["window_started"] > settings.login_window_s and row["locked_until"] <= now:
        failures, started = 1, now
    else:
        failures, started = row["failures"] + 1, row["window_started"]
    locked_until = 0.0
    limit = limit or settings.login_max_failures
    if failures >= limit:
        extra = failures - limit
        locked_until = now + min(settings.lock_max_s, settings.lock_base_s * (2 ** min(extra, 20)))
    values = {"failures": failures, "window_started": started, "locked_until": locked_until}
    if row is None:
        insert_ignore(conn, schema.login_failures, {"key": key, **values})
    conn.execute(update(schema.login_failures).where(schema.login_failures.c.key == key).values(**values))


def clear_failures(conn: Connection, username: str) -> int:
    """Forget failed sign-ins of this name from every address, and lift the address lock of each address it
    failed from (a supervisor has checked who it is; the others behind that address are let in again too).
    The number of the name's own records cleared."""
    prefix = f"{username.lower()[:100]}|"
    lf = schema.login_failures
    keys = conn.execute(select(lf.c.key).where(lf.c.key.startswith(prefix, autoescape=True))).scalars().all()
    addresses = [_throttle_key("*", key[len(prefix):]) for key in keys]
    if addresses:
        conn.execute(delete(lf).where(lf.c.key.in_(addresses)))
    result = conn.execute(delete(lf).where(lf.c.key.startswith(prefix, autoescape=True)))
    return result.rowcount or 0


def _check_otp(row, otp: str | None, now: float) -> tuple[str | None, int | None]:
    """(problem, time step the code belongs to): no problem when the account has no second factor or the
    code is right and newer than the last one used (a code seen once cannot sign in again)."""
    secret = row["totp_secret"]
    if not secret:
        return None, None
    code = (otp or "").replace(" ", "")
    if not code:
        return "otp_required", None
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return "otp_wrong", None
    totp = pyotp.TOTP(secret)
    for at in (now, now - totp.interval, now + totp.interval):  # one step either side: clocks a little apart
        step = totp.timecode(at)
        if secrets.compare_digest(totp.at(at), code) and step > (row["totp_last_step"] or 0):
            return None, step
    return "otp_wrong", None


_OTP_MESSAGES = {
    "otp_required": "This account also needs the 6-digit code from its authenticator app.",
    "otp_wrong": "The 6-digit code is wrong or has expired. Type the code your authenticator app shows now.",
}


def sign_in(engine: Engine, username: str, password: str, ip: str, settings: Settings,
            otp: str | None = None) -> tuple[str, User]:
    """A new token for a right name, password and (when enrolled) TOTP code; 401 otherwise, 429 when throttled."""
    now = settings.clock()
    key = _throttle_key(username, ip)
    address_key = _throttle_key("*", ip)  # every name from this address: slows password spraying
    with write_tx(engine) as conn:
        _check_throttle(conn, key, now)
        # The address lock (many failures from one address, over any names) only slows failures: a name with
        # no failures of its own may still sign in with its right password (a call centre behind one NAT
        # address is not locked out by one guesser); a name that already failed from here waits it out.
        address_wait = _lock_wait(conn, address_key, now)
        if address_wait is not None and _has_recent_failures(conn, key, now, settings):
            raise _too_many(address_wait)
        row = find_user(conn, username)
    ok = False
    try:
        ok = _HASHER.verify(row["password_hash"] if row else _DUMMY_HASH, password) and row is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    failed_because = None
    otp_problem, otp_step = _check_otp(row, otp, now) if ok and not row["disabled"] else (None, None)
    with write_tx(engine) as conn:
        _check_throttle(conn, key, now)  # another attempt may have locked it meanwhile
        if otp_problem == "otp_required":
            # The password was right; asking for the code is no failed guess.
            audit.record(conn, row["username"], "sign_in_needs_code", ip=ip)
        elif not ok or row["disabled"] or otp_problem:
            failed_because = "disabled" if ok and row["disabled"] else otp_problem or "wrong name or password"
            _record_failure(conn, key, now, settings)
            _record_failure(conn, address_key, now, settings, settings.login_max_failures_per_address)
            audit.record(conn, (row["username"] if row else username)[:64], "sign_in_failed", ip=ip,
                         detail={"reason": failed_because})
        else:
            conn.execute(delete(schema.login_failures).where(schema.login_failures.c.key == key))
            if otp_step is not None:
                conn.execute(update(schema.users).where(schema.users.c.id == row["id"]).values(totp_last_step=otp_step))
            token = secrets.token_urlsafe(32)
            conn.execute(
                insert(schema.tokens).values(
                    token_hash=hash_token(token), user_id=row["id"], created_at=now, last_used_at=now,
                    expires_at=now + settings.token_absolute_s, revoked=False,
                )
            )
            audit.record(conn, row["username"], "sign_in", ip=ip)
    if otp_problem == "otp_required":
        raise ApiError(401, "otp_required", _OTP_MESSAGES["otp_required"], {"WWW-Authenticate": "Bearer"})
    if failed_because:
        log.info("sign-in failed", extra={"user": username[:64], "reason": failed_because})
        if address_wait is not None:
            raise _too_many(address_wait)  # a failure while the address is locked: the guesser learns nothing more
        if failed_because == "disabled":
            raise unauthorized("This account is disabled. Ask an administrator.")
        if failed_because in _OTP_MESSAGES:
            raise ApiError(401, failed_because, _OTP_MESSAGES[failed_because], {"WWW-Authenticate": "Bearer"})
        raise unauthorized("Wrong user name or password.")
    log.info("signed in", extra={"user": row["username"], "role": row["role"]})
    return token, User(row["id"], row["username"], row["role"], row["unit_code"])


def user_for_token(engine: Engine, token: str, settings: Settings) -> User:
    """The user a bearer token belongs to, or 401 when unknown, revoked, idle too long or past its end."""
    now = settings.clock()
    t, u = schema.tokens, schema.users
    with engine.connect() as conn:
        row = conn.execute(
            select(t.c.token_hash, t.c.last_used_at, t.c.expires_at, t.c.revoked, u.c.id, u.c.username, u.c.role,
                   u.c.unit_code, u.c.disabled)
            .join(u, u.c.id == t.c.user_id)
            .where(t.c.token_hash == hash_token(token))
        ).mappings().first()
        if row is None or row["revoked"] or row["disabled"]:
            raise unauthorized()
        if now >= row["expires_at"] or now - row["last_used_at"] >= settings.token_idle_s:
            raise unauthorized("Your session has ended. Sign in again.")
        # Touch at most once a minute: idle expiry needs no precision finer than that.
    if now - row["last_used_at"] > 60:
        with write_tx(engine) as conn:
            conn.execute(update(t).where(t.c.token_hash == row["token_hash"]).values(last_used_at=now))
    return User(row["id"], row["username"], row["role"], row["unit_code"])


def revoke_token(engine: Engine, token: str) -> None:
    with write_tx(engine) as conn:
        conn.execute(update(schema.tokens).where(schema.tokens.c.token_hash == hash_token(token)).values(revoked=True))


def user_for_api_key(engine: Engine, key: str) -> str | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(schema.api_keys.c.name, schema.api_keys.c.disabled).where(schema.api_keys.c.key_hash == hash_token(key))
        ).first()
    return row[0] if row and not row[1] else None


# ---- commands (main.py) --------------------------------------------------------------------

def _migrated(db_url: str, command: str):
    """The migrated engine, or None after saying (on stderr) what in the database must be fixed first."""
    from server.migrate import migrate

    try:
        return migrate(db_url)
    except SchemaConflict as exc:
        print(f"hotline {command}: {exc}", file=sys.stderr)
        return None


def add_user_command(db_url: str, name: str, role: str, password: str, unit: str | None = None) -> int:
    """`hotline user add NAME --role R [--unit U]`: prints what happened; exit code 0 on success."""
    problem = account_problems(name, role, password, unit)
    if problem:
        print(f"hotline user add: {problem}", file=sys.stderr)
        return 2
    engine = _migrated(db_url, "user add")
    if engine is None:
        return 3
    taken = f"hotline user add: there is already a user called '{name}' (names are the same in upper and lower case). Choose another name."
    try:
        with write_tx(engine) as conn:
            if find_user(conn, name) is not None:
                print(taken, file=sys.stderr)
                return 1
            create_user(conn, name, role, password, unit)
            audit.record(conn, "command line", "add_user", detail={"user": name, "role": role})
    except IntegrityError:
        print(taken, file=sys.stderr)
        return 1
    where = f" for unit {unit}" if unit else ""
    print(f"created {role} '{name}'{where}")
    return 0


def set_password_command(db_url: str, name: str, password: str) -> int:
    """`hotline user password NAME`: a new password (read from stdin); the account's sessions end."""
    problem = password_problem(password, name)
    if problem:
        print(f"hotline user password: {problem}", file=sys.stderr)
        return 2
    engine = _migrated(db_url, "user password")
    if engine is None:
        return 3
    with write_tx(engine) as conn:
        if not set_password(conn, name, password):
            print(f"hotline user password: there is no user called '{name}'.", file=sys.stderr)
            return 1
        clear_failures(conn, name)
        audit.record(conn, "command line", "set_password", detail={"user": name})
    print(f"new password set for '{name}'; their sessions have ended")
    return 0


def totp_command(db_url: str, name: str, remove: bool = False) -> int:
    """`hotline user totp NAME [--remove]`: enrol a second factor and print what the authenticator app needs."""
    engine = _migrated(db_url, "user totp")
    if engine is None:
        return 3
    with write_tx(engine) as conn:
        if remove:
            if not remove_totp(conn, name):
                print(f"hotline user totp: there is no user called '{name}'.", file=sys.stderr)
                return 1
            audit.record(conn, "command line", "totp_removed", detail={"user": name})
            print(f"'{name}' signs in with the password alone now")
            return 0
        try:
            secret, uri = enrol_totp(conn, name)
        except LookupError as exc:
            print(f"hotline user totp: {exc}", file=sys.stderr)
            return 1
        except ValueError as exc:
            print(f"hotline user totp: {exc}", file=sys.stderr)
            return 2
        audit.record(conn, "command line", "totp_enrolled", detail={"user": name})
    print(uri)
    print(f"secret: {secret}")
    print(f"Add this to '{name}'s authenticator app (scan the URI as a QR code, or type the secret). From now on "
          f"their sign-in needs the app's 6-digit code. Run again to replace a lost phone; --remove to turn it off.",
          file=sys.stderr)
    return 0


def add_apikey_command(db_url: str, name: str) -> int:
    """`hotline apikey add NAME`: prints the new key once; only its hash is kept."""
    from server.migrate import migrate

    if not _NAME.match(name or ""):
        print("hotline apikey add: a key name is 1-64 letters, digits or . _ @ - (no spaces).", file=sys.stderr)
        return 2
    engine = migrate(db_url)
    key = "hk_" + secrets.token_urlsafe(32)
    try:
        with write_tx(engine) as conn:
            conn.execute(insert(schema.api_keys).values(name=name, key_hash=hash_token(key), disabled=False,
                                                        created_at=iso(utcnow())))
    except IntegrityError:
        print(f"hotline apikey add: there is already a key called '{name}'.", file=sys.stderr)
        return 1
    print(key)
    return 0
