"""Which client id a person's changes go out under: the service's registrations, kept in the cache per user.

The service issues a client id and a secret to a console for one signed-in user (domain.wire.RegisterAnswer).
Each is kept in the cache's meta with the first mutation id sent under it, the next one expected, and where it
was made (this machine and cache file), so that a copied or restored cache is noticed. docs/sync.md tells why.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import uuid

from domain.wire import Mutation, RegisterAnswer

log = logging.getLogger("hotline.sync")

IDENTITY_KEY = "sync_identity:"  # + user name: {client_id, client_secret, first, next, where}
LEGACY_CLIENT_RETIRED = "legacy_client_id_retired"  # as storage.cache: this cache no longer uses its own id


def location_of(cache) -> str:
    """This cache file on this machine: a copy elsewhere (or a restored backup, a new file) gives another value."""
    path = getattr(cache, "path", None)
    parts = [platform.node(), str(uuid.getnode())]
    try:
        with open("/etc/machine-id", encoding="ascii") as f:
            parts.append(f.read().strip())
    except OSError:
        pass  # not Linux: the host name and hardware address stand in
    if path is not None:
        try:
            stat = os.stat(path)
            parts += [os.path.realpath(path), str(stat.st_dev), str(stat.st_ino)]
        except OSError:
            parts.append(str(path))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def consecutive(batch: list[Mutation]) -> list[Mutation]:
    """The leading run of consecutive ids (another person's changes may sit between this user's)."""
    end = 1
    while end < len(batch) and batch[end].id == batch[end - 1].id + 1:
        end += 1
    return batch[:end]


class Identities:
    """The registrations of one cache, per user. An identity is a dict; `legacy` marks the cache's own old id."""

    def __init__(self, cache):
        self.cache = cache
        self._where: str | None = None

    @property
    def where(self) -> str:
        if self._where is None:
            self._where = location_of(self.cache)
        return self._where

    def load(self, username: str) -> dict | None:
        raw = self.cache.get_meta(IDENTITY_KEY + username)
        if not raw:
            return None
        try:
            identity = json.loads(raw)
        except ValueError:
            return None
        return identity if isinstance(identity, dict) and isinstance(identity.get("client_id"), str) else None

    def save(self, username: str, identity: dict | None) -> None:
        self.cache.set_meta(IDENTITY_KEY + username, json.dumps(identity) if identity else None)

    def adopt(self, username: str, answer: RegisterAnswer, first_id: int) -> dict:
        """Keep a registration the service just issued; its pushes start at `first_id`."""
        identity = {"client_id": answer["client_id"], "client_secret": answer["client_secret"], "first": first_id,
                    "next": first_id, "where": self.where}
        self.save(username, identity)
        log.info("registered with the central service; changes from %s go out under a new client id", first_id)
        return identity

    def current(self, username: str, first_id: int) -> dict | None:
        """The identity to send `username`'s changes from `first_id` under, or None: register a new one.

        A cache made before registration existed first drains under the id it made itself. A registered id goes
        on while the ids follow on from what it sent; anything else (another person's changes in between at a
        shift change) needs a new registration.
        """
        if not self.cache.get_meta(LEGACY_CLIENT_RETIRED) and getattr(self.cache, "client_id", None):
            return {"client_id": self.cache.client_id, "client_secret": None, "next": None, "legacy": True}
        identity = self.load(username)
        if identity is not None and (identity.get("next") is None or first_id <= int(identity["next"])):
            return identity
        return None

    def advance(self, username: str, identity: dict, last_mutation_id: object) -> None:
        """The service has up to `last_mutation_id` under this identity."""
        if identity.get("legacy") or not isinstance(last_mutation_id, int):
            return
        if last_mutation_id + 1 > int(identity.get("next") or 0):
            identity["next"] = last_mutation_id + 1
            self.save(username, identity)

    def retire(self, username: str, identity: dict) -> None:
        """Stop using this identity: the next change of `username` registers anew."""
        if identity.get("legacy"):
            self.cache.set_meta(LEGACY_CLIENT_RETIRED, "1")
        elif self.load(username) == identity:
            self.save(username, None)

    def settle(self, username: str) -> None:
        """Nothing of `username`'s waits: retire an id that has moved (a copied or restored cache) or is the cache's
        own old one, so new changes go out under a new registration."""
        if not self.cache.get_meta(LEGACY_CLIENT_RETIRED) and getattr(self.cache, "client_id", None):
            self.cache.set_meta(LEGACY_CLIENT_RETIRED, "1")
        identity = self.load(username)
        if identity is not None and identity.get("where") != self.where:
            log.warning("this cache was copied or restored: the next changes go out under a new registration")
            self.save(username, None)
