"""In-memory facet and sort columns of every entry (numpy arrays indexed by position, in id
order), kept current without any shared row that writers would queue on.

Following changes
    Every write to an entry, and every change to a member's, city's or province's names,
    appends rows to ``catalog_changes`` (database triggers, see ``index.py``). A snapshot
    remembers where in that log it was read:

    - SQLite lets one writer commit at a time, so change ids are in commit order: the
      snapshot keeps the largest id it has seen, a search compares it with ``max(id)``.
    - PostgreSQL commits in any order, so the snapshot keeps the database snapshot taken
      just before it read (``pg_current_snapshot()``: xmax and the transactions then in
      progress). The changes it may lack are exactly those written by a transaction in
      progress then or started after: ``xid >= xmax OR xid = ANY(in_progress)``, a search
      asks whether any exists (two index probes).

    When they differ the snapshot is patched with only the entries named by the new change
    rows (read by id), or read afresh when rows were deleted, when more than a fifth of the
    rows changed, or when it is older than ``MAX_AGE_SECONDS`` (the log is pruned after a day).
    A search inside a transaction that itself wrote works on a private snapshot.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

import numpy as np
from sqlalchemy import select
from sqlalchemy.pool import QueuePool

from consortium.extensions import db
from consortium.geo.models import City, Province
from consortium.members.models import Member as M

from ..constants import CIRCULATION_MODES, DOMAINS, FREQUENCIES, OPENNESS
from ..models import DataResource

CACHE_ENTRIES = 25_000_000  # positions kept per process (int32: about 100 MB at most)
MAX_AGE_SECONDS = 12 * 3600
PRUNE_AFTER = "1 day"
_CODES = {"domain": list(DOMAINS), "openness": list(OPENNESS), "frequency": list(FREQUENCIES)}
_FIELDS = ("city", "member", "domain", "openness", "frequency", "mask", "public", "active", "records",
           "updated")
_lock = threading.Lock()
_snapshots: dict[str, "Snapshot"] = {}
stats = {"incremental": 0, "full": 0, "private": 0}


class Name:
    """What a list row and the text match need of a member: code and names."""
    __slots__ = ("id", "code", "name", "name_en")

    def __init__(self, id, code, name, name_en):
        self.id, self.code, self.name, self.name_en = id, code, name, name_en

    def display_name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name


class Geo:
    """Provinces and cities (detached ORM objects) with their lookups."""

    def __init__(self):
        self.provinces = {p.id: p for p in db.session.scalars(select(Province))}
        self.cities = {c.id: c for c in db.session.scalars(select(City))}
        for obj in list(self.provinces.values()) + list(self.cities.values()):
            db.session.expunge(obj)
        self.province_id_by_code = {p.code: p.id for p in self.provinces.values()}
        self.city_id_by_adcode = {c.adcode: c.id for c in self.cities.values()}
        size = max(self.cities, default=0) + 1
        self.province_of_city = np.zeros(size, dtype=np.int32)
        for c in self.cities.values():
            self.province_of_city[c.id] = c.province_id


def forget_snapshots(*_args, **_kwargs) -> None:
    """Drop this process's columns (after a restore replaced every row): the next search reads anew."""
    _snapshots.clear()


def engine_key() -> str:
    engine = db.session.get_bind().engine  # the session may be bound to a connection (the tests)
    return f"{id(engine)}:{engine.url}"


# --------------------------------------------------------------------------- reading rows

def _columns_sql(dialect: str) -> str:
    def code_index(column, codes):
        cases = " ".join(f"WHEN '{c.replace(chr(39), chr(39) * 2)}' THEN {k}" for k, c in enumerate(codes))
        return f"CASE {column} {cases} ELSE -1 END"
    day = ("CAST(julianday(data_updated_on) AS INTEGER)" if dialect == "sqlite"
           else "(data_updated_on - DATE '2000-01-01')")
    return (f"SELECT id, city_id, member_id, {code_index('domain', _CODES['domain'])}, "
            f"{code_index('openness', _CODES['openness'])}, {code_index('frequency', _CODES['frequency'])}, "
            f"circulation_mask, CASE WHEN is_public THEN 1 ELSE 0 END, "
            f"CASE WHEN status = 'active' THEN 1 ELSE 0 END, record_count, {day} "
            f"FROM {DataResource.__tablename__}")


def _cursor_rows(sql: str, params, chunk: int = 100_000, named: bool = False):
    connection = db.session.connection()
    dialect = connection.dialect.name
    if dialect != "sqlite":
        sql = sql.replace("?", "%s")
    raw = connection.connection.dbapi_connection
    cursor = raw.cursor(name="catalog_columns") if named and dialect == "postgresql" else raw.cursor()
    try:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(chunk)
            if not rows:
                break
            yield rows
    finally:
        cursor.close()


def fetch_matrix(sql: str, params: tuple, width: int) -> np.ndarray:
    """Rows of a numeric query as one float64 matrix (NULL: NaN), read with the driver cursor
    in chunks (PostgreSQL: a server-side cursor, or psycopg would hold it all in memory)."""
    parts = [np.array(rows, dtype=np.float64).reshape(len(rows), width)
             for rows in _cursor_rows(sql, params, named=True)]
    return np.concatenate(parts) if parts else np.zeros((0, width))


def fetch_ints(sql: str, params: tuple) -> np.ndarray:
    """A one-integer-column query through the DBAPI cursor (no ORM/Core row objects)."""
    parts = [np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
             for rows in _cursor_rows(sql, params)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _decode(data: np.ndarray) -> dict[str, np.ndarray]:
    return {"ids": data[:, 0].astype(np.int64), "city": data[:, 1].astype(np.int32),
            "member": data[:, 2].astype(np.int32), "domain": data[:, 3].astype(np.int16),
            "openness": data[:, 4].astype(np.int16), "frequency": data[:, 5].astype(np.int16),
            "mask": np.nan_to_num(data[:, 6]).astype(np.int16), "public": data[:, 7] == 1,
            "active": data[:, 8] == 1, "records": data[:, 9].copy(),  # NaN: no record count
            "updated": data[:, 10].copy()}  # days, NaN: no date


def _read_all() -> dict[str, np.ndarray]:
    return _decode(fetch_matrix(_columns_sql(db.session.connection().dialect.name) + " ORDER BY id", (), 11))


def _read_ids(ids: list[int]) -> dict[str, np.ndarray]:
    dialect = db.session.connection().dialect.name
    parts = []
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        parts.append(fetch_matrix(_columns_sql(dialect) + " WHERE id IN (" + ",".join(map(str, chunk)) + ")",
                                  (), 11))
    data = np.concatenate(parts) if parts else np.zeros((0, 11))
    return _decode(data[np.argsort(data[:, 0], kind="stable")])


# --------------------------------------------------------------------------- the change log

class Position:
    """Where a snapshot stands in the change log (see the module docstring): SQLite, the
    largest change id seen (``mark``); PostgreSQL, the xmax of the database snapshot and the
    transactions then in progress (``running``). ``first`` is the log's smallest id then:
    when it has changed, rows were pruned (or the log emptied) and the changes since cannot
    be proved complete."""
    __slots__ = ("dialect", "mark", "running", "first")

    def __init__(self, dialect, mark, running, first):
        self.dialect, self.mark, self.running, self.first = dialect, mark, running, first


def own_writes_pending() -> bool:
    """Has this session's transaction itself written (so its reads see uncommitted rows)?"""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return connection.exec_driver_sql("SELECT pg_current_xact_id_if_assigned() IS NOT NULL").scalar()
    return bool(getattr(connection.connection.dbapi_connection, "in_transaction", False))


def position() -> Position:
    """Read before the rows it describes (so a change committed in between is seen twice,
    never missed)."""
    connection = db.session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        xmax, running, first = connection.exec_driver_sql(
            "SELECT pg_snapshot_xmax(s)::text::bigint, ARRAY(SELECT x::text::bigint FROM pg_snapshot_xip(s) x), "
            "(SELECT min(id) FROM catalog_changes) FROM pg_current_snapshot() s").one()
        return Position(dialect, xmax, list(running), first)
    first, last = connection.exec_driver_sql("SELECT min(id), max(id) FROM catalog_changes").one()
    return Position(dialect, last or 0, [], first)





_PG_NEWER = "(xid >= %s OR xid = ANY(%s))"  # written by a transaction the snapshot could not see


def unchanged(pos: Position) -> bool:
    """The per-search check: one index probe."""
    connection = db.session.connection()
    if pos.dialect == "postgresql":
        return not connection.exec_driver_sql(f"SELECT EXISTS (SELECT 1 FROM catalog_changes WHERE {_PG_NEWER})",
                                              (pos.mark, pos.running)).scalar()
    return (connection.exec_driver_sql("SELECT max(id) FROM catalog_changes").scalar() or 0) == pos.mark


def changes_since(pos: Position) -> list[tuple[str, int | None]]:
    connection = db.session.connection()
    if pos.dialect == "postgresql":
        sql, params = f"SELECT kind, resource_id FROM catalog_changes WHERE {_PG_NEWER}", (pos.mark, pos.running)
    else:
        sql, params = "SELECT kind, resource_id FROM catalog_changes WHERE id > ?", (pos.mark,)
    return [tuple(r) for r in connection.exec_driver_sql(sql, params)]


def change_mark() -> str:
    """A value that differs after any committed change of entries or names (for caches of
    derived documents, e.g. the DCAT pages): count, largest and sum of the change ids. Rows
    are only appended, or pruned when a day old, so the three cannot all come back equal."""
    n, top, total = db.session.connection().exec_driver_sql(
        "SELECT count(*), max(id), sum(id) FROM catalog_changes").one()
    return f"{n}:{top or 0}:{total or 0}"


def log_position() -> str:
    """The change log's position as text, kept beside a document derived from the catalogue
    (the DCAT pages) and read before the document's rows, like ``position``; with the log's
    largest id (a change of the reader's own transaction, which its snapshot cannot tell)."""
    pos = position()
    last = db.session.connection().exec_driver_sql("SELECT max(id) FROM catalog_changes").scalar()
    return "|".join((str(pos.mark), ",".join(map(str, pos.running)), str(pos.first or ""), str(last or "")))


def unchanged_since(kept: str) -> bool:
    """Has no change been committed since ``log_position`` gave ``kept``? Index probes only:
    no change by a transaction that position could not see, and the log's smallest and largest
    ids as they were (rows pruned since cannot prove it). ``change_mark`` reads the whole log
    (24 ms with the 100,000 rows of a day's writes)."""
    connection = db.session.connection()
    try:
        top, running, first, last = kept.split("|")
        ends = (int(first) if first else None, int(last) if last else None)
        running = [int(x) for x in running.split(",") if x]
    except ValueError:  # kept by an older version
        return False
    if connection.dialect.name == "postgresql":
        newer, low, high = connection.exec_driver_sql(
            f"SELECT EXISTS (SELECT 1 FROM catalog_changes WHERE {_PG_NEWER} AND xid <> "
            "coalesce(pg_current_xact_id_if_assigned()::text::bigint, -1)), min(id), max(id) FROM catalog_changes",
            (int(top), running)).one()
        return not newer and (low, high) == ends
    return tuple(connection.exec_driver_sql("SELECT min(id), max(id) FROM catalog_changes").one()) == ends


_last_prune = [0.0]


def prune_changes(force: bool = False) -> int:
    """Delete change rows older than a day, at most once an hour per process, on a
    connection of its own (nobody else touches rows that old)."""
    if not force and time.monotonic() - _last_prune[0] < 3600:
        return 0
    _last_prune[0] = time.monotonic()
    engine = db.session.get_bind().engine  # the session may be bound to a connection (the tests)
    if engine.dialect.name == "sqlite" and not isinstance(engine.pool, QueuePool):
        return 0  # one shared connection (an in-memory database): it is the session's own
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            sql = f"DELETE FROM catalog_changes WHERE at < now() - interval '{PRUNE_AFTER}'"
        else:
            sql = f"DELETE FROM catalog_changes WHERE at < datetime('now', '-{PRUNE_AFTER}')"
        return connection.exec_driver_sql(sql).rowcount


# --------------------------------------------------------------------------- snapshots

class Snapshot:
    """Facet columns of every entry, plus the names the text match and the facet labels
    need (members, provinces, cities), as of ``pos``."""

    def __init__(self, pos: Position | None, raw: dict | None = None, names: Snapshot | None = None):
        self.pos = pos
        self.born = time.monotonic()
        self.raw = raw if raw is not None else _read_all()
        self.ids = self.raw["ids"]
        self.n = self.ids.size
        if names is not None:
            self.geo, self._members = names.geo, names._members
        else:
            self.geo, self._members = Geo(), None
        self.columns = {name: self.raw[name] for name in ("city", "member", "domain", "openness", "frequency")}
        city = self.columns["city"]
        self.columns["province"] = self.geo.province_of_city[np.clip(city, 0, len(self.geo.province_of_city) - 1)]
        self.mask = self.raw["mask"]
        self.public = self.raw["public"]
        self.active = self.raw["active"]
        self._ranks: dict[str, np.ndarray] = {}
        self._cache: OrderedDict = OrderedDict()
        self._cached_entries = 0
        self._mode_bits: dict[str, np.ndarray] = {}
        self._totals: dict[tuple, np.ndarray] = {}

    # ----- positions
    def positions_of(self, ids: np.ndarray) -> np.ndarray:
        """Sorted unique positions of the given ids that this snapshot holds (others dropped)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not self.n or not ids.size:
            return np.zeros(0, dtype=np.int32)
        pos = np.searchsorted(self.ids, ids)
        pos = np.clip(pos, 0, self.n - 1)
        pos = pos[self.ids[pos] == ids]
        return np.unique(pos).astype(np.int32)

    # ----- refresh
    def refreshed(self, pos: Position) -> Snapshot:
        """This snapshot patched with the entries changed since it was read, or a new read."""
        if time.monotonic() - self.born > MAX_AGE_SECONDS or pos.first != self.pos.first:
            stats["full"] += 1
            return Snapshot(pos)
        changes = changes_since(self.pos)
        names = None if any(kind == "N" for kind, _rid in changes) else self
        written = sorted({rid for kind, rid in changes if kind == "W" and rid is not None})
        if any(kind == "D" for kind, _rid in changes) or len(written) * 5 > max(self.n, 1000):
            stats["full"] += 1
            return Snapshot(pos, names=names)
        raw = self._patched(written)
        if raw is None:
            stats["full"] += 1
            return Snapshot(pos, names=names)
        stats["incremental"] += 1
        snap = Snapshot(pos, raw, names=names)
        if snap.n == self.n:  # same rows: a sort whose keys did not change keeps its ranks
            for sort, keys in (("newest", None), ("updated", "updated"), ("records", "records")):
                if sort in self._ranks and (keys is None or np.array_equal(
                        self.raw[keys], snap.raw[keys], equal_nan=True)):
                    snap._ranks[sort] = self._ranks[sort]
        return snap

    def _patched(self, written: list[int]) -> dict | None:
        delta = _read_ids(written)
        ids = delta["ids"]
        prev_max = int(self.ids[-1]) if self.n else 0
        old = ids <= prev_max
        pos = np.searchsorted(self.ids, ids[old])
        if pos.size and (pos >= self.n).any() or pos.size and (self.ids[np.minimum(pos, self.n - 1)] != ids[old]).any():
            return None  # an id inside the old range that the snapshot lacks
        raw = {}
        added = ~old
        for name in ("ids",) + _FIELDS:
            column = self.raw[name]
            if added.any():
                column = np.concatenate([column, delta[name][added]])
            elif pos.size:
                column = column.copy()
            if pos.size:
                column[pos] = delta[name][old]
            raw[name] = column
        return raw

    # ----- names
    def members(self) -> dict[int, Name]:
        if self._members is None:
            self._members = {r.id: Name(r.id, r.code, r.name, r.name_en) for r in db.session.execute(
                select(M.id, M.code, M.name, M.name_en))}
        return self._members

    # ----- counting helpers
    def total_counts(self, name: str, offset: int, minlength: int) -> np.ndarray:
        key = (name, offset, minlength)
        counts = self._totals.get(key)
        if counts is None:
            column = self.columns[name]
            counts = self._totals[key] = np.bincount(column + offset if offset else column,
                                                     minlength=minlength + offset)
        return counts

    def mode_bit(self, code: str) -> np.ndarray:
        bits = self._mode_bits.get(code)
        if bits is None:
            bits = self._mode_bits[code] = (self.mask & CIRCULATION_MODES[code].bit) != 0
        return bits

    def cache_get(self, key):
        value = self._cache.get(key)
        if value is not None:
            self._cache.move_to_end(key)
        return value

    def cache_put(self, key, value):
        with _lock:
            if key in self._cache:
                return
            self._cache[key] = value
            self._cached_entries += value.size + 64
            while self._cached_entries > CACHE_ENTRIES and len(self._cache) > 1:
                _key, old = self._cache.popitem(last=False)
                self._cached_entries -= old.size + 64

    def rank(self, sort: str) -> np.ndarray:
        """rank[position] = place of the entry in this sort order (same as order_clauses)."""
        if sort not in self._ranks:
            n = self.n
            neg_id = -self.ids
            if sort == "newest":
                order = np.argsort(neg_id, kind="stable")
            elif sort == "title":
                order = self._title_order()
            elif sort == "records":
                records = self.raw["records"]
                order = np.lexsort((neg_id, -np.nan_to_num(records), np.isnan(records)))
            else:
                updated = self.raw["updated"]
                order = np.lexsort((neg_id, -np.nan_to_num(updated), np.isnan(updated)))
            rank = np.empty(n, dtype=np.int64)
            rank[order] = np.arange(n)
            self._ranks[sort] = rank
        return self._ranks[sort]

    def _title_order(self) -> np.ndarray:
        """Positions in (title, id) order, by the database's collation. Entries inserted or
        deleted since this snapshot was read are skipped or placed last: the order is always a
        permutation of this snapshot's positions (a concurrent insert never breaks it)."""
        ids = fetch_ints(f"SELECT id FROM {DataResource.__tablename__} ORDER BY title, id", ())
        pos = np.searchsorted(self.ids, ids)
        known = pos < self.n
        known[known] = self.ids[pos[known]] == ids[known]
        order = pos[known]
        seen = np.zeros(self.n, dtype=bool)
        seen[order] = True
        return np.concatenate([order, np.flatnonzero(~seen)])


def _check(snap: Snapshot | None) -> tuple[bool, bool]:
    """(this transaction itself changed entries or names, ``snap`` is still current): the
    per-search cost, one statement on PostgreSQL."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        newer, own = connection.exec_driver_sql(
            f"SELECT EXISTS (SELECT 1 FROM catalog_changes WHERE {_PG_NEWER}), EXISTS (SELECT 1 FROM catalog_changes "
            "WHERE xid = pg_current_xact_id_if_assigned()::text::bigint)",
            (snap.pos.mark if snap else 0, snap.pos.running if snap else [])).one()
        return own, snap is not None and not newer and _young(snap)
    if own_writes_pending():  # SQLite: this connection holds a write transaction
        return True, False
    return False, snap is not None and unchanged(snap.pos) and _young(snap)


def _young(snap: Snapshot) -> bool:
    return time.monotonic() - snap.born <= MAX_AGE_SECONDS


def snapshot() -> Snapshot:
    """The current snapshot of this process for the session's database."""
    key = engine_key()
    snap = _snapshots.get(key)
    own, current = _check(snap)
    if own:
        stats["private"] += 1
        return Snapshot(None)  # sees this transaction's own writes; not shared
    if current:
        return snap
    with _lock:
        snap = _snapshots.get(key)
        if snap is None or not (unchanged(snap.pos) and _young(snap)):
            pos = position()
            if snap is None:
                stats["full"] += 1
                snap = Snapshot(pos)
            else:
                snap = snap.refreshed(pos)
            _snapshots[key] = snap
    try:
        prune_changes()
    except Exception:  # pruning is housekeeping; a search never fails for it
        pass
    return snap


_geo_cache: dict[str, Geo] = {}


def geo() -> Geo:
    """Provinces and cities for parameter checks and SQL filters: the current snapshot's
    when there is one (it follows name changes), else read once."""
    key = engine_key()
    snap = _snapshots.get(key)
    if snap is not None:
        return snap.geo
    cached = _geo_cache.get(key)
    if cached is None or not cached.cities:
        cached = _geo_cache[key] = Geo()
    return cached
