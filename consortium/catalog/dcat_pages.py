"""The DCAT-AP pages as served (``/catalog.ttl``, ``/catalog.jsonld``, 1,000 datasets a
page): each page is built once per version of the catalogue and kept as files in
``DCAT_CACHE_DIR``, which every web process and worker shares: as it is and gzip-compressed
(compressing 3 MB of Turtle on every request cost more than the rest of serving it).

Each file starts with the change log's position when it was built (``search.columns.
log_position``); a reader asks the log whether anything changed since (two index probes,
``unchanged_since``). After a write the next reader of a page still gets its last complete
version at once, and the page is rebuilt by a worker (the background task
``catalog.dcat_page``); no reader waits for a rebuild, and every process finds the rebuilt
file. A page is built inside the request only when it was never built, or when no job worker
runs (then as before: the reader waits about a second a page). A page is rebuilt at most once
every ``DCAT_REBUILD_SECONDS`` (60 by default): a write soon after a rebuild is served from the
next one, so members writing all day cost a worker one rebuild a minute per page read, not one
per write (a page of 1,000 datasets costs about 5 s of CPU to build). The stale window is
therefore at most that interval plus the rebuild (about a second at 1,000 datasets on a quiet
machine); a harvester reading the catalogue daily never notices it. The
position is also the page's version in its ETag (``304 Not Modified`` to a client holding it)."""
import gzip
import hashlib
import logging
import os
import secrets
import time
from pathlib import Path

from flask import current_app, url_for

from consortium.jobs import EngineUnavailable, background_task

from . import dcat
from .search.columns import log_position, unchanged_since

log = logging.getLogger(__name__)
_asked: dict[tuple, str] = {}  # (base, fmt, page) -> the kept version this process asked a rebuild of
ENCODINGS = ("", "gzip")  # each page is kept as it is and gzip-compressed (served to who accepts it)


def _dir() -> Path:
    path = Path(current_app.config["DCAT_CACHE_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(base: str, fmt: str, page: int, encoding: str = "") -> Path:
    name = hashlib.sha256(f"{base}|{fmt}|{page}".encode()).hexdigest()[:32]
    return _dir() / (f"{name}.{encoding}.page" if encoding else f"{name}.page")


def _read(path: Path) -> tuple[str, bytes] | None:
    """(the change log's position it was built at, the page), or None if never built."""
    try:
        mark, _sep, data = path.read_bytes().partition(b"\n")
    except FileNotFoundError:
        return None
    return mark.decode(), data


def _build(base: str, fmt: str, page: int, endpoint: str, mark: str) -> dict[str, bytes]:
    def page_url(n):
        return base.rstrip("/") + url_for(endpoint, page=n)
    data = dcat.serialise(dcat.build_graph(base, page=page, page_url=page_url), fmt)
    built = {"": data, "gzip": gzip.compress(data, compresslevel=6, mtime=0)}
    for encoding, content in built.items():  # each file whole in itself: its own version line
        path = _path(base, fmt, page, encoding)
        part = path.with_name(f"{path.name}.{secrets.token_hex(6)}.part")
        part.write_bytes(mark.encode() + b"\n" + content)
        os.replace(part, path)  # a reader finds the old page or the new one, never half of one
    return built


@background_task("catalog.dcat_page")
def rebuild_page(base: str, fmt: str, page: int, endpoint: str) -> None:
    """Rebuild one page if the catalogue changed since it was built (or forget it if the
    catalogue no longer has that page)."""
    kept = _read(_path(base, fmt, page))
    if kept is not None and unchanged_since(kept[0]):
        return
    if page > dcat.page_count():
        for encoding in ENCODINGS:
            _path(base, fmt, page, encoding).unlink(missing_ok=True)
        return
    _build(base, fmt, page, endpoint, log_position())


def _rebuild_wait(path: Path) -> float:
    """Seconds until the kept page may be rebuilt: ``DCAT_REBUILD_SECONDS`` after it was built."""
    try:
        built = path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
    return max(0.0, built + current_app.config["DCAT_REBUILD_SECONDS"] - time.time())


def page_bytes(base: str, fmt: str, page: int, endpoint: str, encoding: str = "") -> tuple[str, bytes]:
    """(its version, the page in ``encoding``) as served: its current version, or its last
    complete one while a worker rebuilds it. Serving a kept page asks the change log two index
    probes and counts nothing; a page never built is built here (``LookupError``: the catalogue
    has no such page)."""
    path = _path(base, fmt, page, encoding)
    kept = _read(path)
    if kept is not None and unchanged_since(kept[0]):
        return kept
    if kept is not None:
        key = (base, fmt, page)
        try:
            if _asked.get(key) != kept[0]:
                rebuild_page.send_in(_rebuild_wait(path), base, fmt, page, endpoint)
                _asked[key] = kept[0]
        except EngineUnavailable:
            log.warning("no job worker: DCAT page %s %s rebuilt in the request", fmt, page)
        else:
            return _read(path) or kept  # the tests' immediate mode has rebuilt it already
    if page > dcat.page_count():
        raise LookupError(page)
    mark = log_position()
    return mark, _build(base, fmt, page, endpoint, mark)[encoding]


def etag(mark: str, fmt: str, page: int, encoding: str) -> str:
    """The ETag of a page's version as served in ``encoding``."""
    return hashlib.sha256(f"{mark}|{fmt}|{page}|{encoding}".encode()).hexdigest()[:32]


def clear() -> None:
    """Forget every kept page (the tests, between databases)."""
    _asked.clear()
    for path in _dir().glob("*.page"):
        path.unlink(missing_ok=True)
