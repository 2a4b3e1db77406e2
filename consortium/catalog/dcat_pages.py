"""The DCAT-AP pages as served (``/catalog.ttl``, ``/catalog.jsonld``, 1,000 datasets a
page): each page is built once per version of the catalogue and kept as a file in
``DCAT_CACHE_DIR``, which every web process and worker shares.

A write changes the catalogue's change mark (``search.columns.change_mark``). The next reader
of a page still gets its last complete version at once, and the page is rebuilt by a worker
(the background task ``catalog.dcat_page``); no reader waits for a rebuild, and every process
finds the rebuilt file. A page is built inside the request only when it was never built, or
when no job worker runs (then as before: the reader waits about a second a page). The stale
window is the time a worker takes to rebuild a page (about a second at 1,000 datasets)."""
import hashlib
import logging
import os
import secrets
from pathlib import Path

from flask import current_app, url_for

from consortium.jobs import EngineUnavailable, background_task

from . import dcat
from .search.columns import change_mark

log = logging.getLogger(__name__)
_asked: dict[tuple, str] = {}  # (base, fmt, page) -> the mark this process asked a rebuild for


def _dir() -> Path:
    path = Path(current_app.config["DCAT_CACHE_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(base: str, fmt: str, page: int) -> Path:
    name = hashlib.sha256(f"{base}|{fmt}|{page}".encode()).hexdigest()[:32]
    return _dir() / f"{name}.page"


def _read(path: Path) -> tuple[str, bytes] | None:
    """(the change mark it was built at, the page), or None if never built."""
    try:
        mark, _sep, data = path.read_bytes().partition(b"\n")
    except FileNotFoundError:
        return None
    return mark.decode(), data


def _build(base: str, fmt: str, page: int, endpoint: str, mark: str) -> bytes:
    def page_url(n):
        return base.rstrip("/") + url_for(endpoint, page=n)
    data = dcat.serialise(dcat.build_graph(base, page=page, page_url=page_url), fmt)
    path = _path(base, fmt, page)
    part = path.with_name(f"{path.name}.{secrets.token_hex(6)}.part")
    part.write_bytes(mark.encode() + b"\n" + data)
    os.replace(part, path)  # a reader finds the old page or the new one, never half of one
    return data


def _mark() -> str:
    return change_mark()


@background_task("catalog.dcat_page")
def rebuild_page(base: str, fmt: str, page: int, endpoint: str) -> None:
    """Rebuild one page if the catalogue changed since it was built."""
    mark = _mark()
    kept = _read(_path(base, fmt, page))
    if kept is None or kept[0] != mark:
        _build(base, fmt, page, endpoint, mark)


def page_bytes(base: str, fmt: str, page: int, endpoint: str) -> bytes:
    """The page as served: its current version, or its last complete one while a worker
    rebuilds it."""
    mark = _mark()
    path = _path(base, fmt, page)
    kept = _read(path)
    if kept is not None and kept[0] == mark:
        return kept[1]
    if kept is not None:
        key = (base, fmt, page)
        try:
            if _asked.get(key) != mark:
                rebuild_page.send(base, fmt, page, endpoint)
                _asked[key] = mark
        except EngineUnavailable:
            log.warning("no job worker: DCAT page %s %s rebuilt in the request", fmt, page)
        else:
            now = _read(path)  # the tests' immediate mode has rebuilt it already
            return now[1] if now is not None and now[0] == mark else kept[1]
    return _build(base, fmt, page, endpoint, mark)


def clear() -> None:
    """Forget every kept page (the tests, between databases)."""
    _asked.clear()
    for path in _dir().glob("*.page"):
        path.unlink(missing_ok=True)
