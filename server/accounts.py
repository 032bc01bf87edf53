"""Accounts and sign-in: Argon2id passwords, opaque bearer tokens, throttling, the `hotline user add` command."""

from __future__ import annotations

import hashlib
import logging
import math
import re
import secrets
import sys
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from domain.ticket import Role
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


def account_problems(name: str, role: str, password: str, unit: str | None) -> str | None:
    if not _NAME.match(name or ""):
        return "A user name is 1-64 letters, digits or . _ @ - (no spaces)."
    if role not in ROLES:
        return f"The role must be one of: {', '.join(ROLES)}."
    if role == Role.HANDLER and not (unit or "").strip():
        return "A handler works for one unit: give it with --unit CODE."
    if len(password or "") < 4:
        return "The password is too short: use at least 4 characters (a passphrase is better)."
    return None


def create_user(conn: Connection, name: str, role: str, password: str, unit: str | None = None, *,
                password_hash: str | None = None) -> int:
    """A new account; `password_hash` lets many accounts share one costly hash (tests, demo seed)."""
    problem = account_problems(name, role, password, unit)
    if problem:
        raise ValueError(problem)
    result = conn.execute(
        insert(schema.users).values(
            username=name, role=role, unit_code=unit or None,
            password_hash=password_hash or hash_password(password), disabled=False, created_at=iso(utcnow()),
        )
    )
    return int(result.inserted_primary_key[0])


def find_user(conn: Connection, name: str):
    return conn.execute(select(schema.users).where(schema.users.c.username == name)).mappings().first()


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


def _check_throttle(conn: Connection, key: str, now: float) -> None:
    row = conn.execute(select(schema.login_failures).where(schema.login_failures.c.key == key)).mappings().first()
    if row and row["locked_until"] > now:
        wait = max(1, math.ceil(row["locked_until"] - now))
        raise ApiError(
            429, "too_many_attempts",
            f"Too many failed sign-ins. Wait {wait} seconds and try again, or ask a supervisor for help.",
            {"Retry-After": str(wait)}, retry_after=wait,
        )


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
    """Forget failed sign-ins of this name from every address."""
    prefix = f"{username.lower()[:100]}|"
    lf = schema.login_failures
    result = conn.execute(delete(lf).where(lf.c.key.startswith(prefix, autoescape=True)))
    return result.rowcount or 0


def sign_in(engine: Engine, username: str, password: str, ip: str, settings: Settings) -> tuple[str, User]:
    """A new token for a right name and password; 401 otherwise, 429 when throttled."""
    now = settings.clock()
    key = _throttle_key(username, ip)
    address_key = _throttle_key("*", ip)  # every name from this address: slows password spraying
    with write_tx(engine) as conn:
        _check_throttle(conn, address_key, now)
        _check_throttle(conn, key, now)
        row = find_user(conn, username)
    ok = False
    try:
        ok = _HASHER.verify(row["password_hash"] if row else _DUMMY_HASH, password) and row is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    failed_because = None
    with write_tx(engine) as conn:
        _check_throttle(conn, key, now)  # another attempt may have locked it meanwhile
        if not ok or row["disabled"]:
            failed_because = "disabled" if ok else "wrong name or password"
            _record_failure(conn, key, now, settings)
            _record_failure(conn, address_key, now, settings, settings.login_max_failures_per_address)
            audit.record(conn, username[:64], "sign_in_failed", ip=ip, detail={"reason": failed_because})
        else:
            conn.execute(delete(schema.login_failures).where(schema.login_failures.c.key == key))
            token = secrets.token_urlsafe(32)
            conn.execute(
                insert(schema.tokens).values(
                    token_hash=hash_token(token), user_id=row["id"], created_at=now, last_used_at=now,
                    expires_at=now + settings.token_absolute_s, revoked=False,
                )
            )
            audit.record(conn, row["username"], "sign_in", ip=ip)
    if failed_because:
        log.info("sign-in failed", extra={"user": username[:64], "reason": failed_because})
        if failed_because == "disabled":
            raise unauthorized("This account is disabled. Ask an administrator.")
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

def add_user_command(db_url: str, name: str, role: str, password: str, unit: str | None = None) -> int:
    """`hotline user add NAME --role R [--unit U]`: prints what happened; exit code 0 on success."""
    from server.migrate import migrate

    problem = account_problems(name, role, password, unit)
    if problem:
        print(f"hotline user add: {problem}", file=sys.stderr)
        return 2
    engine = migrate(db_url)
    try:
        with write_tx(engine) as conn:
            if find_user(conn, name) is not None:
                print(f"hotline user add: there is already a user called '{name}'. Choose another name.", file=sys.stderr)
                return 1
            create_user(conn, name, role, password, unit)
    except IntegrityError:
        print(f"hotline user add: there is already a user called '{name}'. Choose another name.", file=sys.stderr)
        return 1
    where = f" for unit {unit}" if unit else ""
    print(f"created {role} '{name}'{where}")
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
