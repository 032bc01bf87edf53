"""The category catalogue kept in the service's database: imported once, handed to every console through sync.

The catalogue in use is named by server_meta "catalogue_version"; each service process installs it under its
own HOTLINE_HOME too, because routing, dispatch checks and Open311 read the catalogue through
domain.taxonomy.load_taxonomy.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import Engine, insert, select
from starlette.concurrency import run_in_threadpool

from domain.taxonomy import Taxonomy, TaxonomyError, catalogue_text, load_taxonomy
from server import audit, schema
from server.api.deps import CurrentUser, DbEngine
from server.db import get_meta, insert_ignore, iso, set_meta, utcnow, write_tx
from server.errors import bad_request, not_found

log = logging.getLogger("hotline.server.catalogue")

ACTIVE_KEY = "catalogue_version"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store_catalogue(engine: Engine, taxonomy: Taxonomy, created_by: str) -> dict:
    """Keep `taxonomy` and make it the one in use (audited). A version never changes its contents: importing
    other contents under a version already kept is refused with TaxonomyError."""
    text = catalogue_text(taxonomy)
    digest = _digest(text)
    c = schema.catalogues
    with write_tx(engine) as conn:
        kept = conn.execute(select(c.c.sha256).where(c.c.version == taxonomy.version)).scalar()
        if kept is not None and kept != digest:
            raise TaxonomyError(
                f"The service already has a catalogue with version {taxonomy.version} and other contents; the "
                "version names one catalogue for good (consoles and models refer to it). Give the new one its own "
                "version in the first line (# taxonomy_version: ...) and import it again.")
        if kept is None:
            conn.execute(insert(c).values(version=taxonomy.version, sha256=digest, types=len(taxonomy.leaves()),
                                          data=text, created_at=iso(utcnow()), created_by=created_by))
        previous = get_meta(conn, ACTIVE_KEY)
        set_meta(conn, ACTIVE_KEY, taxonomy.version)
        audit.record(conn, created_by, "catalogue_import",
                     detail={"version": taxonomy.version, "previous": previous, "types": len(taxonomy.leaves())})
    return {"version": taxonomy.version, "sha256": digest, "types": len(taxonomy.leaves())}


def current(engine: Engine) -> dict | None:
    """The catalogue in use: {version, sha256, types, created_at, created_by}, or None before the first start."""
    c = schema.catalogues
    with engine.connect() as conn:
        version = get_meta(conn, ACTIVE_KEY)
        if version is None:
            return None
        row = conn.execute(select(c.c.version, c.c.sha256, c.c.types, c.c.created_at, c.c.created_by)
                           .where(c.c.version == version)).mappings().first()
    return dict(row) if row else None


def catalogue_data(engine: Engine, version: str) -> tuple[str, str] | None:
    c = schema.catalogues
    with engine.connect() as conn:
        row = conn.execute(select(c.c.data, c.c.sha256).where(c.c.version == version)).first()
    return (row[0], row[1]) if row else None


def seed_if_empty(engine: Engine) -> dict:
    """The catalogue in use; a database without one gets the catalogue this machine has (the shipped one, or one
    imported here before the service kept catalogues)."""
    info = current(engine)
    if info is not None:
        return info
    local = load_taxonomy()
    text = catalogue_text(local)
    c = schema.catalogues
    with write_tx(engine) as conn:
        if get_meta(conn, ACTIVE_KEY) is None:  # another process may have seeded it meanwhile
            # Ignore-on-conflict: another service process may be seeding the same catalogue at this moment.
            insert_ignore(conn, c, {"version": local.version, "sha256": _digest(text), "types": len(local.leaves()),
                                    "data": text, "created_at": iso(utcnow()), "created_by": "server"})
            set_meta(conn, ACTIVE_KEY, local.version)
            log.info("catalogue %s kept in the database (%d types)", local.version, len(local.leaves()))
    return current(engine)


def active_taxonomy(engine: Engine) -> Taxonomy:
    """The service's catalogue in use, read from the database (nothing installed on this machine)."""
    info = seed_if_empty(engine)
    local = load_taxonomy()
    if local.version == info["version"]:
        return local
    from domain.taxonomy import parse_catalogue_text

    return parse_catalogue_text(catalogue_data(engine, info["version"])[0])


def ensure_catalogue(engine: Engine) -> Taxonomy:
    """The catalogue in use, installed in this process's HOTLINE_HOME (the service's routing reads it there)."""
    info = seed_if_empty(engine)
    local = load_taxonomy()
    if local.version == info["version"]:
        return local
    text, _ = catalogue_data(engine, info["version"])
    from domain.taxonomy import install_catalogue_text

    installed = install_catalogue_text(text)
    log.info("catalogue %s installed for this service process (%d types)", installed.version, len(installed.leaves()))
    return installed


def import_command(db_url: str, path: Path, *, install_locally: bool) -> int:
    """`hotline taxonomy import FILE [--db URL]`: validate, keep in the service database, and (without --db)
    install it on this machine too. Exit 2 with the problems listed when the file is not usable."""
    import sys

    from domain.taxonomy_import import read_catalogue
    from server.migrate import migrate

    try:
        taxonomy = read_catalogue(Path(path))
        engine = migrate(db_url)
        info = store_catalogue(engine, taxonomy, "admin")
        if install_locally:
            from domain.taxonomy import install_catalogue

            install_catalogue(Path(path))
    except TaxonomyError as exc:
        print(f"hotline taxonomy import: {exc}", file=sys.stderr)
        return 2
    print(f"installed taxonomy {info['version']}: {info['types']} types. The service hands it to consoles through "
          "sync and builds a starter suggestion model for it (a few minutes; the log shows the progress).")
    return 0


router = APIRouter(prefix="/api/v1", tags=["catalogue"])


@router.get("/catalogue")
async def catalogue_current(user: CurrentUser, engine: DbEngine):
    info = await run_in_threadpool(current, engine)
    if info is None:
        raise not_found("The service has no category catalogue yet; it keeps one when it has started once.")
    return {"version": info["version"], "sha256": info["sha256"], "types": info["types"]}


@router.get("/catalogue/file")
async def catalogue_file(user: CurrentUser, engine: DbEngine, version: str = ""):
    """The catalogue's stored CSV; ?version=... (a query parameter: a version may hold any character)."""
    if not version or len(version) > 64:
        raise bad_request("That is not a catalogue version.")
    found = await run_in_threadpool(catalogue_data, engine, version)
    if found is None:
        raise not_found(f"There is no catalogue version '{version}'.")
    text, digest = found
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"X-Catalogue-SHA256": digest, "Cache-Control": "private, max-age=31536000, immutable"})
