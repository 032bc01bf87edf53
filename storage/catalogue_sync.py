"""Catalogue sync: a console installs the central service's category catalogue (checked) under HOTLINE_HOME.

Called from the sync loop before the model check, so a new catalogue is in place before the model made for it
arrives. The catalogue is verified against its published sha256 and validated like an import before it is
installed; the one in use stays when anything is wrong.
"""

from __future__ import annotations

import hashlib
import logging
import time

import httpx2

from storage.http_client import (
    ServiceError,
    error_for_response,
    error_for_transport,
    request_json,
)

log = logging.getLogger("hotline.sync")

NEXT_CHECK_ATTR = "_catalogue_next_check"
NO_MODEL_RECHECK_S = 60.0


class CatalogueError(Exception):
    """The service's catalogue could not be installed; the message is for people."""


def maybe_check_catalogue(engine) -> None:
    """At most every engine.model_check_s seconds; a failure is logged and never stops ticket sync."""
    now = time.monotonic()
    if now < getattr(engine, NEXT_CHECK_ATTR, 0.0):
        _model_soon_if_none(engine)
        return
    setattr(engine, NEXT_CHECK_ATTR, now + float(getattr(engine, "model_check_s", 900.0)))
    try:
        installed = check_catalogue(engine)
    except (ServiceError, CatalogueError, OSError) as exc:  # offline, refused or damaged: next round tries again
        log.warning("catalogue update skipped: %s", getattr(exc, "message", None) or exc)
        return
    if installed is not None and hasattr(engine, "_next_model_check"):
        engine._next_model_check = 0.0  # the model made for the new catalogue: ask for it in this same round
    else:
        _model_soon_if_none(engine)


def _model_soon_if_none(engine) -> None:
    """No model from the service for the catalogue in use yet (it may still be building one): ask for it every
    minute rather than every quarter of an hour."""
    if hasattr(engine, "_next_model_check") and not _has_fitting_model(engine):
        engine._next_model_check = min(engine._next_model_check, time.monotonic() + NO_MODEL_RECHECK_S)


def _has_fitting_model(engine) -> bool:
    from domain.taxonomy import load_taxonomy

    version = engine.cache.get_meta("model_version")
    if not version:
        return False
    key = (version, load_taxonomy().version)
    known = getattr(engine, "_catalogue_model_fit", None)
    if known is not None and known[0] == key:
        return known[1]
    from classifier.model import ModelError, read_meta
    from domain.home import models_dir

    try:
        root = getattr(engine, "model_root", None) or models_dir()
        fits = str(read_meta(root / version).get("taxonomy_version")) == key[1]
    except (ModelError, OSError):  # no readable model there
        fits = False
    engine._catalogue_model_fit = (key, fits)
    return fits


def check_catalogue(engine):
    """Install the service's catalogue when this console has another one; returns the new Taxonomy or None.
    engine.on_catalogue(taxonomy), when set, hears about it (on the sync thread)."""
    from domain.taxonomy import TaxonomyError, install_catalogue_text, load_taxonomy

    token = engine.token_provider()
    if not token:
        return None
    base = engine.server_url
    try:
        info, _ = request_json(engine.client, "GET", base + "/api/v1/catalogue", token=token)
    except ServiceError as exc:
        if exc.status == 404:  # a service that keeps no catalogue (yet, or an older one): ours stays
            return None
        raise
    version, sha256 = info.get("version"), info.get("sha256")
    if not isinstance(version, str) or not isinstance(sha256, str) or not version:
        return None
    if version == load_taxonomy().version:
        return None
    try:
        response = engine.client.get(base + "/api/v1/catalogue/file", params={"version": version},
                                     headers={"Authorization": f"Bearer {token}"},
                                     timeout=httpx2.Timeout(60.0, connect=5.0))
    except httpx2.HTTPError as exc:
        raise error_for_transport(exc) from exc
    if response.status_code >= 400:
        raise error_for_response(response)
    data = response.content
    if hashlib.sha256(data).hexdigest() != sha256.strip().lower():
        raise CatalogueError("the service's category catalogue arrived damaged (its checksum does not match); "
                             "the one in use stays and it is fetched again later")
    try:
        taxonomy = install_catalogue_text(data.decode("utf-8"))
    except (TaxonomyError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"the service's category catalogue was not installed: {exc}") from None
    log.info("installed category catalogue %s (%d types) from the central service", taxonomy.version,
             len(taxonomy.leaves()))
    callback = getattr(engine, "on_catalogue", None)
    if callback is not None:
        try:
            callback(taxonomy)
        except Exception:
            log.exception("catalogue listener failed")
    return taxonomy
