"""Anonymous exports (CSV, XLSX) kept per process and keyed by the resource map's
content version — the search's change mark, which moves with every committed write
to an entry, member or city — so a burst of identical anonymous downloads builds
the file once, and a write makes every kept file stale at once. Signed-in users
see non-public rows and are never served from here."""
from collections import OrderedDict
from threading import Lock

from consortium.extensions import db

from .search.columns import change_mark

_lock = Lock()
_files: OrderedDict[tuple, bytes] = OrderedDict()


def content_version() -> str | None:
    return change_mark()


def cached(key: tuple, build, max_entries: int) -> bytes:
    """``build()`` for this key at the current content version, or the kept bytes."""
    version = content_version()
    if version is None:  # no version known yet: nothing may be kept
        return build()
    full_key = (str(db.engine.url), version, *key)
    with _lock:
        data = _files.get(full_key)
        if data is not None:
            _files.move_to_end(full_key)
            return data
    data = build()
    with _lock:
        for stale in [k for k in _files if k[:2] != full_key[:2]]:
            del _files[stale]
        _files[full_key] = data
        while len(_files) > max_entries:
            _files.popitem(last=False)
    return data


def clear() -> None:
    with _lock:
        _files.clear()
