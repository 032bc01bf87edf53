"""Talking to the central service over HTTP: sign-in, and errors turned into plain words for the person."""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import re
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import httpx2

log = logging.getLogger("hotline.sync")

# Connect fails fast so an unplugged cable is noticed at once; a big push may take a while to apply.
DEFAULT_TIMEOUT = httpx2.Timeout(30.0, connect=5.0)
# Signing out is asked for while the person waits, and an unconfirmed sign-out is fine (the token expires).
LOGOUT_TIMEOUT = httpx2.Timeout(2.0, connect=1.0)

OFFLINE_MESSAGE = "the central service cannot be reached: working offline"
BUSY_MESSAGE = "the central service is busy or restarting: it will be tried again shortly"
EXPIRED_MESSAGE = "your sign-in has expired: sign in again to send and receive tickets"
CERTIFICATE_MESSAGE = ("the central service's certificate is not trusted by this computer, so nothing was sent: "
                       "ask IT for the hotline's CA file and start the console with --ca FILE")
PLAIN_HTTP_OPTION = "--allow-plain-http"

_PHONE_LIKE = re.compile(r"\d{7,}")


def scrub(text: object) -> str:
    """A text safe for a log line: long digit runs (phone numbers) are masked."""
    return _PHONE_LIKE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-2:], str(text))


class ServiceError(Exception):
    """The central service answered with an error, or could not be reached; `message` is for the person."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 retry_after: float | None = None, body: dict | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.body = body or {}

    @property
    def offline(self) -> bool:
        """Nothing answered at all (no network, service down)."""
        return self.status is None

    @property
    def temporary(self) -> bool:
        """Worth trying again later without anybody doing anything."""
        return self.status is None or self.status in (408, 429, 502, 503, 504)


class SignInExpired(ServiceError):
    """401: the bearer token is missing, expired or revoked."""


class LoginError(ServiceError):
    """Sign-in failed; the message says why and what to do."""


@dataclass(frozen=True)
class Session:
    token: str
    role: str
    username: str
    unit_code: str | None = None
    expires_at: datetime | None = None
    server_url: str = ""

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and datetime.now(timezone.utc) >= self.expires_at


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _json_or_empty(response: httpx2.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def error_for_response(response: httpx2.Response) -> ServiceError:
    """The ServiceError an error answer stands for, with a message the person can act on."""
    status = response.status_code
    body = _json_or_empty(response)
    code = body.get("error") if isinstance(body.get("error"), str) else None
    server_message = body.get("message") if isinstance(body.get("message"), str) else None
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if status == 401:
        return SignInExpired(EXPIRED_MESSAGE, status=status, code=code, body=body)
    if status == 403:
        message = server_message or "your account may not do this: ask a supervisor"
    elif status == 429:
        message = "the central service asked to slow down: it will be tried again shortly"
    elif status in (502, 503, 504):
        message = BUSY_MESSAGE
    elif status == 409:
        message = server_message or "the central service reported a conflict"
    elif 400 <= status < 500:
        message = server_message or f"the central service refused the request ({status}): report this to support"
    else:
        message = f"the central service had a problem ({status}): it will be tried again; if it lasts, call support"
    return ServiceError(message, status=status, code=code, retry_after=retry_after, body=body)


def _certificate_failure(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification failure behind a transport error, if that is what it was."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def error_for_transport(exc: Exception) -> ServiceError:
    if isinstance(exc, PlainHttpRefused):
        return ServiceError(exc.message, code="plain_http")
    failure = _certificate_failure(exc)
    if failure is not None:
        # Not "offline": retrying will not help, and the person needs to know IT must act.
        log.warning("TLS certificate of the central service not verified: %s", failure.verify_message or failure)
        return ServiceError(CERTIFICATE_MESSAGE, code="certificate")
    if isinstance(exc, httpx2.TimeoutException) and not isinstance(exc, httpx2.ConnectTimeout):
        return ServiceError("the central service did not answer in time: it will be tried again")
    return ServiceError(OFFLINE_MESSAGE)


def request_json(client: httpx2.Client, method: str, url: str, *, token: str | None = None,
                 json: object = None, params: dict | None = None, timeout=None) -> tuple[dict, httpx2.Response]:
    """One call to the service; returns (body, response) or raises ServiceError. Never logs bodies."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    kwargs: dict = {"headers": headers}
    if json is not None:
        kwargs["json"] = json
    if params:
        kwargs["params"] = params
    if timeout is not None:
        kwargs["timeout"] = timeout
    try:
        response = client.request(method, url, **kwargs)
    except httpx2.HTTPError as exc:
        log.debug("%s %s failed: %s", method, url, type(exc).__name__)
        raise error_for_transport(exc) from exc
    if response.status_code >= 400:
        error = error_for_response(response)
        log.info("%s %s -> %s %s", method, url, response.status_code, error.code or "")
        raise error
    return _json_or_empty(response), response


# ---- TLS and plain HTTP -------------------------------------------------------------------------------------

class InsecureServerURL(ValueError):
    """The service's address would send passwords and caller data unprotected; `message` is for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PlainHttpRefused(httpx2.TransportError):
    """Raised by the client itself (a request hook) when asked to send to a plain-http address it may not use."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_loopback_host(host: str | None) -> bool:
    """This computer itself: `localhost` or a loopback address (never looked up, so DNS cannot fake it)."""
    if not host:
        return False
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class TlsPolicy:
    """How the console checks the service: the system's trusted CAs, or only `ca_file`; plain http only to
    this computer unless `allow_plain_http` is set on purpose (a lab network, a TLS tunnel run by IT)."""

    ca_file: Path | None = None
    allow_plain_http: bool = False

    @cached_property  # one context for every client: the CA file is read once
    def verify(self) -> ssl.SSLContext | bool:
        """What the HTTP client verifies with: True is the system store (the OS's on Windows and macOS)."""
        return True if self.ca_file is None else load_ca(self.ca_file)

    def check_url(self, url: str) -> str:
        """The URL if this policy allows sending to it; InsecureServerURL (one sentence) otherwise."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise InsecureServerURL(
                f"{url!r} is not the address of a central service: give it as https://HOST:PORT.")
        if scheme == "http" and not self.allow_plain_http and not is_loopback_host(parts.hostname):
            raise InsecureServerURL(
                f"refusing plain http:// to {parts.hostname}, because passwords and callers' numbers would cross "
                f"the network unprotected: use https:// (with --ca FILE for the hotline's own CA), or add "
                f"{PLAIN_HTTP_OPTION} if IT has decided this network is safe.")
        return url

    def _guard(self, request: httpx2.Request) -> None:
        # The last line of defence: whatever builds a URL, nothing leaves in plain text to another machine.
        if request.url.scheme == "http" and not self.allow_plain_http and not is_loopback_host(request.url.host):
            raise PlainHttpRefused(
                f"plain http:// to {request.url.host} is refused: start the console with an https:// address")


def load_ca(path: Path | str) -> ssl.SSLContext:
    """A verifying TLS context that trusts only the CA certificate(s) in `path` (PEM)."""
    path = Path(path)
    try:
        return ssl.create_default_context(cafile=str(path))
    except FileNotFoundError:
        raise InsecureServerURL(f"the CA file {path} does not exist: give the path of the hotline's CA certificate (PEM).") from None
    except (ssl.SSLError, OSError, ValueError) as exc:
        log.info("CA file %s not usable: %s", path, exc)
        raise InsecureServerURL(f"the CA file {path} holds no certificate this console can use: "
                                "give the hotline's CA certificate in PEM form.") from None


_policy_lock = threading.Lock()
_policy = TlsPolicy()


def configure_tls(policy: TlsPolicy) -> TlsPolicy:
    """Set how every client made by make_client verifies the service (once, at console start); returns the old."""
    global _policy
    if policy.ca_file is not None:
        policy.verify  # noqa: B018  a missing or unreadable CA file is told now, not at the first sync
    with _policy_lock:
        old, _policy = _policy, policy
    return old


def tls_policy() -> TlsPolicy:
    return _policy


def make_client(timeout=DEFAULT_TIMEOUT, *, policy: TlsPolicy | None = None) -> httpx2.Client:
    """The one factory of HTTP clients to the central service (sign-in, sync, event stream, sign-out):
    certificates verified by `policy` (default: the one configure_tls set), plain http only where allowed."""
    policy = policy or _policy
    # trust_env off: a workstation's proxy settings must not capture loopback or the hotline's LAN
    # (and SSL_CERT_FILE must not quietly widen what is trusted).
    return httpx2.Client(timeout=timeout, trust_env=False, verify=policy.verify,
                         event_hooks={"request": [policy._guard]})


OTP_REQUIRED = "otp_required"  # 401 after a right password: the account needs its authenticator app's code
OTP_WRONG = "otp_wrong"  # 401: the code was wrong, expired or already used
_SIGN_IN_REFUSALS = {
    OTP_REQUIRED: "this account also needs the 6-digit code from its authenticator app",
    OTP_WRONG: "the 6-digit code is wrong or has expired: type the code the app shows now",
}


def login(server_url: str, username: str, password: str, *, otp: str | None = None,
          client: httpx2.Client | None = None) -> Session:
    """Sign in, with the authenticator app's code when the account has a second factor; LoginError carries a
    message in plain words (wrong password, offline, too many tries) and `code` says when a code is needed
    (OTP_REQUIRED) or was wrong (OTP_WRONG)."""
    own = client is None
    client = client or make_client()
    url = server_url.rstrip("/") + "/api/v1/auth/token"
    credentials = {"username": username, "password": password}
    if otp is not None:
        credentials["otp"] = otp
    try:
        try:
            body, _ = request_json(client, "POST", url, json=credentials)
        except SignInExpired as exc:
            message = _SIGN_IN_REFUSALS.get(exc.code or "")
            if message is None:  # a disabled account says so; anything else is a wrong name or password
                server_message = exc.body.get("message")
                disabled = isinstance(server_message, str) and "disabled" in server_message
                message = server_message if disabled else "wrong user name or password"
            raise LoginError(message, status=401, code=exc.code, body=exc.body) from exc
        except ServiceError as exc:
            if exc.offline:
                message = exc.message  # offline, no answer in time, an untrusted certificate, plain http refused
            elif exc.status == 429:
                message = (f"too many failed sign-ins: try again in {max(1, round(exc.retry_after / 60))} minute(s)"
                           if exc.retry_after else "too many failed sign-ins: try again later")
            elif exc.status == 403:
                message = exc.body.get("message") or "this account may not sign in here: ask an administrator"
            elif exc.status in (400, 422):
                message = "enter a user name and a password"
            else:
                message = exc.message
            raise LoginError(message, status=exc.status, code=exc.code, retry_after=exc.retry_after) from exc
    finally:
        if own:
            client.close()
    token = body.get("access_token")
    if not isinstance(token, str) or not token:
        raise LoginError("the central service gave an answer this console does not understand: call support")
    expires_in = body.get("expires_in")
    expires_at = None
    if isinstance(expires_in, (int, float)) and expires_in > 0:
        expires_at = datetime.now(timezone.utc) + timedelta(seconds=float(expires_in))
    return Session(
        token=token,
        role=str(body.get("role") or ""),
        username=str(body.get("username") or username),
        unit_code=body.get("unit_code") or None,
        expires_at=expires_at,
        server_url=server_url.rstrip("/"),
    )


def logout(server_url: str, token: str, *, client: httpx2.Client | None = None) -> None:
    """Tell the service to forget the token; offline is fine (it expires on its own). Bounded to ~2 s."""
    own = client is None
    client = client or make_client(LOGOUT_TIMEOUT)
    try:
        request_json(client, "POST", server_url.rstrip("/") + "/api/v1/auth/logout", token=token)
    except ServiceError as exc:
        log.info("sign-out not confirmed by the central service: %s", exc.message)
    finally:
        if own:
            client.close()
