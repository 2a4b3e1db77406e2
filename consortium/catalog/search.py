"""Search of the resource map: exact substring search in Chinese and Latin text,
facet filters and facet counts that always agree with the list.

What a query means
    ``q`` is split on white space into terms; a resource matches when every term
    occurs as a plain substring of its title, its description or its keywords
    (ASCII letters compared case-insensitively, everything else exactly). One- and
    two-character Chinese terms (医保, 公交, 医) match exactly like longer ones.

How it is fast
    ``resource_grams(gram, resource_id)`` holds, per resource, every single
    character and every two-character sequence of the three fields (ASCII
    lower-cased). A one- or two-character term *is* a gram, so its posting list is
    the exact answer. A longer term needs all its bigrams (intersection of the
    postings: a superset of the answer), then an exact LIKE check on those
    candidates only. The grams are written by flush events for ANY ORM insert,
    update or delete of DataResource, and by ``index_rows`` for bulk Core inserts.

    ``search`` and ``facet_counts`` then work on per-process numpy columns of the
    facet fields (member, city, province, domain, modes, openness, frequency,
    visibility, sort ranks), brought up to date whenever the token in
    ``catalog_search_state`` changes (every resource write changes it): only the rows
    changed since the last read are read and patched in (see "incremental reload"). Counting
    facets is then a few ``bincount`` calls instead of seven GROUP BY queries.
    ``build_select`` expresses exactly the same rules in SQL for callers that need
    a query (exports, the map); tests check that both always agree.

Facet counts
    Standard disjunctive faceting: the counts of facet F apply the text query,
    visibility and every selected filter EXCEPT F's own. So with no value chosen
    in a single-valued facet its counts add up to ``total``, and the count shown
    for a chosen value equals ``total``. Circulation modes are multi-valued (a
    bit mask): each mode counts the resources offering it.
"""
from __future__ import annotations

import functools
import string
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, fields

import numpy as np
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import and_, delete, event, func, insert, or_, select, true, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.pool import Pool

from consortium.core.exceptions import DomainError
from consortium.extensions import db
from consortium.geo.models import City, Province
from consortium.members.models import Member

from . import permissions
from .constants import (
    CIRCULATION_MODES,
    DOMAINS,
    FREQUENCIES,
    OPENNESS,
    label,
    modes_from_mask,
)
from .models import DataResource, ResourceGram, SearchState

FACETS = ("province", "city", "member", "domain", "mode", "openness", "frequency")
SORTS = ("updated", "newest", "title", "records")
MAX_QUERY_LENGTH = 100
MAX_GRAMS_PER_TERM = 6
MAX_PER_PAGE = 100
CACHE_ENTRIES = 25_000_000  # positions kept per process (int32: about 100 MB at most)
INDEXED_FIELDS = ("title", "description", "keywords")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_UPPER, _LOWER = string.ascii_uppercase, string.ascii_lowercase


# --------------------------------------------------------------------------- grams

def normalise(value: str | None) -> str:
    """ASCII letters lower-cased; everything else unchanged (the search's only folding)."""
    return (value or "").translate(_ASCII_LOWER)


def text_grams(*values: str | None) -> set[str]:
    """Every character and every two-character sequence of each value (not across values
    nor across white space, which never occurs inside a query term)."""
    grams: set[str] = set()
    for value in values:
        prev = None
        for ch in normalise(value):
            if ch.isspace():
                prev = None
                continue
            grams.add(ch)
            if prev is not None:
                grams.add(prev + ch)
            prev = ch
    return grams


def query_terms(q: str | None) -> list[str]:
    terms: list[str] = []
    for term in normalise(q).split():
        if term not in terms:
            terms.append(term)
    return terms


def term_grams(term: str) -> list[str]:
    """The grams a term's matches must all contain. One or two characters: the term
    itself (an exact posting list); longer: a spread of its bigrams."""
    if len(term) <= 2:
        return [term]
    bigrams = list(dict.fromkeys(term[i:i + 2] for i in range(len(term) - 1)))
    if len(bigrams) > MAX_GRAMS_PER_TERM:
        step = (len(bigrams) - 1) / (MAX_GRAMS_PER_TERM - 1)
        bigrams = [bigrams[round(i * step)] for i in range(MAX_GRAMS_PER_TERM)]
    return bigrams


def gram_rows(resource_id: int, title, description, keywords) -> list[dict]:
    return [{"gram": g, "resource_id": resource_id} for g in text_grams(title, description, keywords)]


def new_token() -> str:
    return uuid.uuid4().hex


def bump_token(connection) -> None:
    """Tell every search process that resources changed."""
    token = new_token()
    connection.info[_PENDING] = True  # this transaction changed resources: see _watermark
    done = connection.execute(update(SearchState).where(SearchState.id == 1).values(token=token))
    if done.rowcount == 0:
        connection.execute(insert(SearchState).values(id=1, token=token))


def index_rows(connection, rows, batch_size: int = 20000) -> int:
    """Bulk path: write the grams of freshly inserted resources given as
    (id, title, description, keywords) tuples, in executemany batches; then bump the
    token. Returns the number of gram rows written."""
    written, batch = 0, []
    for rid, title, description, keywords in rows:
        batch.extend(gram_rows(rid, title, description, keywords))
        if len(batch) >= batch_size:
            connection.execute(insert(ResourceGram), batch)
            written += len(batch)
            batch = []
    if batch:
        connection.execute(insert(ResourceGram), batch)
        written += len(batch)
    bump_token(connection)
    return written


def reindex_all(batch_size: int = 5000) -> int:
    """Rebuild the whole text index from the resources table (after raw SQL writes)."""
    conn = db.session.connection()
    conn.execute(delete(ResourceGram))
    total, last_id = 0, 0
    while True:
        chunk = conn.execute(select(DataResource.id, DataResource.title, DataResource.description,
                                    DataResource.keywords).where(DataResource.id > last_id)
                             .order_by(DataResource.id).limit(batch_size)).all()
        if not chunk:
            break
        total += index_rows(conn, chunk)
        last_id = chunk[-1][0]
    bump_token(conn)
    return total


@event.listens_for(Session, "after_flush")
def _maintain_index(session, flush_context):
    """Keep resource_grams and the change token in step with every ORM write."""
    from consortium.members.models import Member
    labelled = (Member, City, Province)  # their names appear in facet labels
    changed = any(isinstance(obj, labelled) for obj in list(session.new) + list(session.dirty)
                  + list(session.deleted))
    rows, stale_ids = [], []
    for obj in session.new:
        if isinstance(obj, DataResource):
            changed = True
            rows.extend(gram_rows(obj.id, obj.title, obj.description, obj.keywords))
    for obj in session.dirty:
        if isinstance(obj, DataResource) and session.is_modified(obj):
            changed = True
            state = db.inspect(obj)
            if any(state.attrs[f].history.has_changes() for f in INDEXED_FIELDS):
                stale_ids.append(obj.id)
                rows.extend(gram_rows(obj.id, obj.title, obj.description, obj.keywords))
    for obj in session.deleted:
        if isinstance(obj, DataResource):
            changed = True
            stale_ids.append(obj.id)
    if not changed:
        return
    conn = session.connection()
    if stale_ids:
        conn.execute(delete(ResourceGram).where(ResourceGram.resource_id.in_(stale_ids)))
    if rows:
        conn.execute(insert(ResourceGram), rows)
    bump_token(conn)


# --------------------------------------------------------------------------- parameters

@dataclass
class SearchParams:
    q: str = ""
    province: str | None = None    # province code, e.g. "37"
    city: str | None = None        # city adcode, e.g. "370200"
    member: str | None = None      # member code
    domain: str | None = None      # DOMAINS code
    mode: str | None = None        # CIRCULATION_MODES code
    openness: str | None = None    # OPENNESS code
    frequency: str | None = None   # FREQUENCIES code
    sort: str = "updated"
    page: int = 1
    per_page: int = 20

    @classmethod
    def from_args(cls, args) -> SearchParams:
        """From request.args (or any mapping). Bad values raise DomainError naming the parameter."""
        def get(name):
            value = args.get(name)
            return value.strip() if isinstance(value, str) else value

        def unknown(name, value):
            return DomainError(_("Parameter %(name)s has an unknown value: %(value)s", name=name, value=value),
                               field=name)

        def whole(name, default, maximum):
            raw = get(name)
            if raw in (None, ""):
                return default
            try:
                value = int(raw)
            except (TypeError, ValueError):
                raise DomainError(_("Parameter %(name)s must be a whole number.", name=name), field=name) from None
            if value < 1 or value > maximum:
                raise DomainError(_("Parameter %(name)s is out of range.", name=name), field=name)
            return value

        q = get("q") or ""
        if len(q) > MAX_QUERY_LENGTH:
            raise DomainError(_("The search text may have at most %(n)d characters.", n=MAX_QUERY_LENGTH),
                              field="q")
        values = {}
        for name, vocabulary in (("domain", DOMAINS), ("mode", CIRCULATION_MODES), ("openness", OPENNESS),
                                 ("frequency", FREQUENCIES)):
            value = get(name) or None
            if value is not None and value not in vocabulary:
                raise unknown(name, value)
            values[name] = value
        province = get("province") or None
        if province is not None and province not in _geo().province_id_by_code:
            raise unknown("province", province)
        city = get("city") or None
        if city is not None and city not in _geo().city_id_by_adcode:
            raise unknown("city", city)
        member = get("member") or None
        if member is not None and _member_id(member) is None:
            raise unknown("member", member)
        sort = get("sort") or "updated"
        if sort not in SORTS:
            raise unknown("sort", sort)
        default_per_page = current_app.config.get("PER_PAGE", 20)
        return cls(q=q, province=province, city=city, member=member, sort=sort,
                   page=whole("page", 1, 10**6), per_page=whole("per_page", default_per_page, MAX_PER_PAGE),
                   **values)

    def to_args(self, **changes) -> dict:
        """The non-default values as URL arguments (shareable URLs); ``changes`` override."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(changes)
        defaults = SearchParams()
        return {k: v for k, v in data.items()
                if v not in (None, "") and not (k in ("sort", "page") and v == getattr(defaults, k))}

    @property
    def terms(self) -> list[str]:
        return query_terms(self.q)

    @property
    def filters(self) -> dict:
        return {f: getattr(self, f) for f in FACETS if getattr(self, f)}


def _member_id(code: str) -> int | None:
    from consortium.members.models import Member
    return db.session.scalar(select(Member.id).where(Member.code == code))


# --------------------------------------------------------------------------- SQL form

def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _contains(column, term: str, dialect: str):
    """``term`` (already normalised) occurs in ``column``, ASCII letters case-insensitively."""
    pattern = _like_pattern(term)
    if dialect == "sqlite":  # SQLite's LIKE folds exactly the ASCII letters
        return column.like(pattern, escape="\\")
    return func.translate(column, _UPPER, _LOWER).like(pattern, escape="\\")


def _posting(gram: str):
    return select(ResourceGram.resource_id).where(ResourceGram.gram == gram)


def text_clause(terms: list[str], dialect: str | None = None):
    """SQL condition on DataResource: every term is a substring of title, description or keywords."""
    dialect = dialect or _dialect()
    conditions = []
    for term in terms:
        for gram in term_grams(term):
            conditions.append(DataResource.id.in_(_posting(gram)))
        if len(term) > 2:
            conditions.append(or_(*(_contains(getattr(DataResource, f), term, dialect) for f in INDEXED_FIELDS)))
    return and_(*conditions) if conditions else true()


def filter_clauses(params: SearchParams, skip: str | None = None) -> list:
    geo = _geo()
    clauses = []
    if params.province and skip != "province":
        pid = geo.province_id_by_code[params.province]
        clauses.append(DataResource.city_id.in_(select(City.id).where(City.province_id == pid)))
    if params.city and skip != "city":
        clauses.append(DataResource.city_id == geo.city_id_by_adcode[params.city])
    if params.member and skip != "member":
        clauses.append(DataResource.member_id == (_member_id(params.member) or -1))
    for name in ("domain", "openness", "frequency"):
        if getattr(params, name) and skip != name:
            clauses.append(getattr(DataResource, name) == getattr(params, name))
    if params.mode and skip != "mode":
        clauses.append(DataResource.circulation_mask.op("&")(CIRCULATION_MODES[params.mode][0]) != 0)
    return clauses


def build_select(actor, params: SearchParams):
    """A Select of DataResource with visibility, the text query and every facet filter
    (no order, no pagination): the SQL statement of the same rules ``search`` applies."""
    return select(DataResource).where(permissions.visible_clause(actor), text_clause(params.terms),
                                      *filter_clauses(params))


def order_clauses(sort: str) -> list:
    """ORDER BY for a sort option, identical to the order ``search`` returns."""
    r = DataResource
    if sort == "newest":
        return [r.id.desc()]
    if sort == "title":
        return [r.title, r.id]
    if sort == "records":
        return [r.record_count.is_(None), r.record_count.desc(), r.id.desc()]
    return [r.data_updated_on.is_(None), r.data_updated_on.desc(), r.id.desc()]


# --------------------------------------------------------------------------- in-memory columns

class _Geo:
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


_lock = threading.Lock()
_geo_cache: dict[str, _Geo] = {}
_snapshots: dict[str, "_Snapshot"] = {}


def _engine_key() -> str:
    bind = db.session.get_bind()
    return f"{id(bind)}:{bind.url}"


def _geo() -> _Geo:
    key = _engine_key()
    geo = _geo_cache.get(key)
    if geo is None or not geo.cities:
        geo = _geo_cache[key] = _Geo()
    return geo


_CODES = {"domain": list(DOMAINS), "openness": list(OPENNESS), "frequency": list(FREQUENCIES)}


_FIELDS = ("city", "member", "domain", "openness", "frequency", "mask", "public", "active", "records",
           "updated")


def _decode(data: np.ndarray) -> dict[str, np.ndarray]:
    """The rows of ``_read_columns`` as one typed array per field (plus "ids")."""
    return {"ids": data[:, 0].astype(np.int64), "city": data[:, 1].astype(np.int32),
            "member": data[:, 2].astype(np.int32), "domain": data[:, 3].astype(np.int16),
            "openness": data[:, 4].astype(np.int16), "frequency": data[:, 5].astype(np.int16),
            "mask": np.nan_to_num(data[:, 6]).astype(np.int16), "public": data[:, 7] == 1,
            "active": data[:, 8] == 1, "records": data[:, 9].copy(),  # NaN: no record count
            "updated": data[:, 10].copy()}  # days, NaN: no date


class _Snapshot:
    """Facet columns of every resource, as numpy arrays indexed by position (id order).

    ``watermark``: a database time such that every resource change this snapshot does not
    contain was stamped (``updated_at``) at or after it, or has an id above its largest id;
    None when that cannot be promised (the next change then reads every row)."""

    def __init__(self, token, raw: dict | None = None, watermark=None):
        self.token = token
        if raw is None:
            watermark = _watermark()
            raw = _decode(_read_columns())
        self.watermark = watermark
        self.raw = raw
        self.ids = raw["ids"]
        n = self.n = self.ids.size
        self.pos_of_id = np.full(int(self.ids[-1]) + 1 if n else 1, -1, dtype=np.int64)
        self.pos_of_id[self.ids] = np.arange(n)
        self.columns = {name: raw[name] for name in ("city", "member", "domain", "openness", "frequency")}
        geo = _geo()
        city = self.columns["city"]
        self.columns["province"] = geo.province_of_city[np.clip(city, 0, len(geo.province_of_city) - 1)]
        self.mask = raw["mask"]
        self.public = raw["public"]
        self.active = raw["active"]
        self._records = raw["records"]
        self._updated = raw["updated"]
        self._ranks: dict[str, np.ndarray] = {}
        self._cache: OrderedDict = OrderedDict()
        self._cached_entries = 0
        self._members: dict | None = None
        self._mode_bits: dict[str, np.ndarray] = {}
        self._totals: dict[tuple, np.ndarray] = {}

    def updated(self, token) -> _Snapshot:
        """The snapshot for ``token``: this one patched with the rows changed since it was
        read when that can be proved complete (see ``_changed_rows``), else a full read."""
        if self.watermark is not None:
            watermark = _watermark()  # before reading: changes after it are seen next time
            changed = _changed_rows(self)
            if changed is not None:
                _stats["incremental"] += 1
                snap = _Snapshot(token, changed, watermark)
                if snap.n == self.n:  # same rows: a sort whose keys did not change keeps its ranks
                    for sort, keys in (("newest", None), ("updated", "updated"), ("records", "records")):
                        if sort in self._ranks and (keys is None or np.array_equal(
                                self.raw[keys], snap.raw[keys], equal_nan=True)):
                            snap._ranks[sort] = self._ranks[sort]
                return snap
        _stats["full"] += 1
        return _Snapshot(token)

    def total_counts(self, name: str, offset: int, minlength: int) -> np.ndarray:
        """bincount of a whole facet column (+ offset), computed once per snapshot."""
        key = (name, offset, minlength)
        counts = self._totals.get(key)
        if counts is None:
            column = self.columns[name]
            counts = self._totals[key] = np.bincount(column + offset if offset else column,
                                                     minlength=minlength + offset)
        return counts

    def mode_bit(self, code: str) -> np.ndarray:
        """Boolean column: the resources offering circulation mode ``code``."""
        bits = self._mode_bits.get(code)
        if bits is None:
            bits = self._mode_bits[code] = (self.mask & CIRCULATION_MODES[code][0]) != 0
        return bits

    def members(self) -> dict[int, _Name]:
        """Every member's code and names, read once per snapshot (any member write changes
        the token, so a new snapshot is built)."""
        if self._members is None:
            from consortium.members.models import Member as M
            self._members = {r.id: _Name(r.id, r.code, r.name, r.name_en) for r in db.session.execute(
                select(M.id, M.code, M.name, M.name_en))}
        return self._members

    def cache_get(self, key):
        """Posting lists (and verified term results) of this snapshot, most recently used last.
        They are index pages kept in memory; a new token (any write) starts an empty cache."""
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
        """rank[position] = place of the resource in this sort order (same as order_clauses)."""
        if sort not in self._ranks:
            n = self.n
            neg_id = -self.ids
            if sort == "newest":
                order = np.argsort(neg_id, kind="stable")
            elif sort == "title":
                title_order = _fetch_ints(f"SELECT id FROM {DataResource.__tablename__} ORDER BY title, id", ())
                order = self.pos_of_id[title_order]
            elif sort == "records":
                null = np.isnan(self._records)
                order = np.lexsort((neg_id, -np.nan_to_num(self._records), null))
            else:
                null = np.isnan(self._updated)
                order = np.lexsort((neg_id, -np.nan_to_num(self._updated), null))
            rank = np.empty(n, dtype=np.int64)
            rank[order] = np.arange(n)
            self._ranks[sort] = rank
        return self._ranks[sort]


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


def _fetch_matrix(sql: str, params: tuple, width: int, chunk: int = 100_000) -> np.ndarray:
    """Rows of a numeric query as one float64 matrix (NULL: NaN), read with the driver cursor
    in chunks (at 1M rows, ORM rows would take seconds and ~1 GB)."""
    connection = db.session.connection()
    dialect = connection.dialect.name
    if dialect != "sqlite":
        sql = sql.replace("?", "%s")
    raw = connection.connection.dbapi_connection
    # PostgreSQL: a server-side cursor, or psycopg would hold the whole result in memory
    cursor = raw.cursor(name="catalog_columns") if dialect == "postgresql" else raw.cursor()
    parts = []
    try:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(chunk)
            if not rows:
                break
            parts.append(np.array(rows, dtype=np.float64).reshape(len(rows), width))
    finally:
        cursor.close()
    return np.concatenate(parts) if parts else np.zeros((0, width))


def _read_columns() -> np.ndarray:
    """Every resource's facet and sort fields as one float64 matrix in id order: codes
    become vocabulary indexes (-1 unknown) and dates day numbers in SQL; NULL becomes NaN."""
    return _fetch_matrix(_columns_sql(_dialect()) + " ORDER BY id", (), 11)


# --------------------------------------------------------------------------- incremental reload
#
# A write to one entry must not make every process read every row again. Every writer of
# data_resources moves ``updated_at`` (ORM updates: onupdate=now(); inserts, ORM or bulk Core:
# server_default now(); the bulk path also takes ids above every existing one), and bumps the
# token in the same transaction. So the rows a snapshot lacks are those stamped at or after its
# watermark, or with a larger id, or deleted (caught by the row count). The watermark is taken
# before the snapshot reads, minus a margin (SQLite's CURRENT_TIMESTAMP has 1 s resolution),
# and never later than the start of a write transaction still open then: PostgreSQL stamps
# now() = transaction start, and SQLite stamps at the statement but may commit much later.
# Members and geography are not in these columns (names are read per snapshot; the province
# column is recomputed from the city column), so their changes need nothing more.

SAFETY_MARGIN_SECONDS = 5
_PENDING = "catalog_pending_write"
_stats = {"incremental": 0, "full": 0}


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _transaction_ended(conn):
    conn.info.pop(_PENDING, None)


@event.listens_for(Pool, "reset")
def _connection_reset(dbapi_connection, connection_record, reset_state):
    connection_record.info.pop(_PENDING, None)


def _sqlite_writer_active(connection) -> bool:
    """Does another connection hold a write transaction on this SQLite file? (A private
    in-memory database has one connection: our own, which ``_PENDING`` covers.)"""
    import sqlite3
    path = connection.engine.url.database
    if not path or path == ":memory:" or "mode=memory" in path:
        return False
    try:
        probe = sqlite3.connect(path, timeout=0, isolation_level=None, uri=path.startswith("file:"))
    except sqlite3.Error:
        return True
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.Error:
        return True
    finally:
        probe.close()


def _watermark():
    """The database time before which no change is still invisible to a read starting now
    (minus the margin), or None when that is unknown."""
    connection = db.session.connection()
    if connection.info.get(_PENDING):  # our own uncommitted writes would be read: no promise
        return None
    if connection.dialect.name == "sqlite":
        value = connection.exec_driver_sql(
            f"SELECT datetime('now', '-{SAFETY_MARGIN_SECONDS} seconds')").scalar()
        return None if _sqlite_writer_active(connection) else value
    if connection.dialect.name != "postgresql":
        return None
    connection.exec_driver_sql("SELECT pg_stat_clear_snapshot()")
    hidden, value = connection.exec_driver_sql(
        "SELECT count(*) FILTER (WHERE query = '<insufficient privilege>'), "
        "(LEAST(clock_timestamp(), min(xact_start)) "
        f"- interval '{SAFETY_MARGIN_SECONDS} seconds')::timestamp "
        "FROM pg_stat_activity WHERE datname = current_database()").one()
    return None if hidden else value


def _changed_rows(prev: _Snapshot) -> dict | None:
    """``prev``'s columns (copies) patched with every row changed since its watermark, or None
    when the patch cannot be proved equal to a full read (rows deleted, an id inserted below
    the largest one). The count and the changed rows come from one statement (one state)."""
    prev_max = int(prev.ids[-1]) if prev.n else 0
    sql = (f"SELECT c.n, r.* FROM (SELECT count(*) AS n FROM {DataResource.__tablename__}) c "
           f"LEFT JOIN ({_columns_sql(_dialect())} WHERE updated_at >= ? OR id > ?) r ON 1 = 1 "
           f"ORDER BY r.id")
    data = _fetch_matrix(sql, (prev.watermark, prev_max), 12)
    count = int(data[0, 0])
    data = data[~np.isnan(data[:, 1]), 1:]
    delta = _decode(data)
    ids = delta["ids"]
    old = ids <= prev_max
    pos = prev.pos_of_id[ids[old]]
    if (pos < 0).any():
        return None  # an id inside the old range that the snapshot lacks
    added = int((~old).sum())
    if count != prev.n + added:
        return None  # rows were deleted
    raw = {}
    for name in ("ids",) + _FIELDS:
        column = prev.raw[name]
        if added:
            column = np.concatenate([column, delta[name][~old]])
        elif pos.size:
            column = column.copy()
        if pos.size:
            column[pos] = delta[name][old]
        raw[name] = column
    return raw


def _current_token():
    """Read on every search (one indexed row; plain driver SQL, it is the per-request cost)."""
    return db.session.connection().exec_driver_sql(
        "SELECT token FROM catalog_search_state WHERE id = 1").scalar()


def _snapshot() -> _Snapshot:
    token = _current_token()
    key = _engine_key()
    snap = _snapshots.get(key)
    if snap is None or snap.token != token:
        with _lock:
            snap = _snapshots.get(key)
            if snap is None or snap.token != token:
                snap = _snapshots[key] = _Snapshot(token) if snap is None else snap.updated(token)
    return snap


def _fetch_ints(sql: str, params: tuple) -> np.ndarray:
    """Run a one-integer-column query through the DBAPI cursor (no ORM/Core row objects)."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        sql = sql.replace("?", "%s")
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))


def _to_positions(snap: "_Snapshot", ids: np.ndarray) -> np.ndarray:
    ids = ids[ids < len(snap.pos_of_id)]
    pos = snap.pos_of_id[ids]
    return np.unique(pos[pos >= 0]).astype(np.int32)


def _verify(snap: "_Snapshot", candidates: np.ndarray, term: str) -> np.ndarray:
    """The candidates (positions) whose text really contains ``term`` (exact LIKE check)."""
    dialect = _dialect()
    condition = or_(*(_contains(getattr(DataResource, f), term, dialect) for f in INDEXED_FIELDS))
    if candidates.size > 50_000:  # cheaper to let the database join the postings itself
        ids = np.fromiter(db.session.connection().execute(
            select(DataResource.id).where(text_clause([term], dialect))).scalars(), dtype=np.int64)
        return _to_positions(snap, ids)
    found = []
    ids = snap.ids[candidates]
    for start in range(0, ids.size, 5000):
        chunk = ids[start:start + 5000].tolist()
        found.extend(db.session.connection().execute(
            select(DataResource.id).where(DataResource.id.in_(chunk), condition)).scalars())
    return _to_positions(snap, np.array(found, dtype=np.int64))


def _term_positions(snap: "_Snapshot", term: str) -> np.ndarray:
    """Sorted positions of the resources containing ``term`` (any visibility)."""
    cached = snap.cache_get(("term", term))
    if cached is not None:
        return cached
    result = None
    for gram in term_grams(term):
        posting = snap.cache_get(("gram", gram))
        if posting is None:
            posting = _to_positions(snap, _fetch_ints(
                "SELECT resource_id FROM resource_grams WHERE gram = ?", (gram,)))
            snap.cache_put(("gram", gram), posting)
        result = posting if result is None else np.intersect1d(result, posting, assume_unique=True)
        if result.size == 0:
            break
    if len(term) > 2 and result.size:
        result = _verify(snap, result, term)
    snap.cache_put(("term", term), result)
    return result


def _text_positions(snap: _Snapshot, terms: list[str]) -> np.ndarray | None:
    """Boolean array of the resources matching every term (None: no text query)."""
    if not terms:
        return None
    hit = np.zeros(snap.n, dtype=bool)
    positions = None
    for term in terms:
        p = _term_positions(snap, term)
        positions = p if positions is None else np.intersect1d(positions, p, assume_unique=True)
    hit[positions] = True
    return hit


def _filter_masks(snap: _Snapshot, params: SearchParams) -> dict[str, np.ndarray]:
    geo = _geo()
    masks = {}
    if params.province:
        masks["province"] = snap.columns["province"] == geo.province_id_by_code[params.province]
    if params.city:
        masks["city"] = snap.columns["city"] == geo.city_id_by_adcode[params.city]
    if params.member:
        masks["member"] = snap.columns["member"] == (_member_id(params.member) or -1)
    for name in ("domain", "openness", "frequency"):
        value = getattr(params, name)
        if value:
            masks[name] = snap.columns[name] == _CODES[name].index(value)
    if params.mode:
        masks["mode"] = snap.mode_bit(params.mode)
    return masks


def _base_mask(snap: _Snapshot, actor, params: SearchParams) -> np.ndarray:
    """Visibility and text: the same rule as permissions.visible_clause (active only; public
    only for those who may not see non-public entries)."""
    base = snap.active.copy()
    if not permissions.can_see_non_public(actor):
        base &= snap.public
    hit = _text_positions(snap, params.terms)
    if hit is not None:
        base &= hit
    return base


def _and(base, masks, skip=None):
    result = base
    for name, m in masks.items():
        if name != skip:
            result = result & m
    return result


def _locale() -> str:
    try:
        return str(get_locale() or "zh_CN")
    except Exception:  # outside a request (CLI)
        return "zh_CN"


def _count_by(snap: _Snapshot, name: str, m: np.ndarray, minlength: int, offset: int = 0) -> np.ndarray:
    """``bincount(column[m] + offset)`` for the facet column ``name``, at a cost that follows
    the smaller side: few rows selected, gather them; nearly all, subtract the few left out
    from the column's total counts; in between, weight by the mask (1M rows: under 3 ms
    each way instead of ~9 ms for gathering half of them)."""
    column = snap.columns[name]
    selected = np.count_nonzero(m)
    if selected * 8 < m.size:
        values = column[m]
        return np.bincount(values + offset if offset else values, minlength=minlength + offset)
    if selected * 8 > m.size * 7:
        total = snap.total_counts(name, offset, minlength)
        left_out = column[~m]
        return total - np.bincount(left_out + offset if offset else left_out, minlength=total.size)
    values = column + offset if offset else column
    return np.bincount(values, weights=m, minlength=minlength + offset).astype(np.int64)


def _facets(snap: _Snapshot, base, masks, params: SearchParams) -> dict[str, list[dict]]:
    locale = _locale()
    geo = _geo()
    out: dict[str, list[dict]] = {}
    for facet in FACETS:
        m = _and(base, masks, skip=facet)
        entries = []
        if facet == "mode":
            for code in CIRCULATION_MODES:
                entries.append((code, label(CIRCULATION_MODES, code, locale),
                                int(np.count_nonzero(snap.mode_bit(code) & m))))
        elif facet in _CODES:
            vocabulary = {"domain": DOMAINS, "openness": OPENNESS, "frequency": FREQUENCIES}[facet]
            counts = _count_by(snap, facet, m, len(_CODES[facet]), offset=1)[1:]
            entries = [(code, label(vocabulary, code, locale), int(counts[k]))
                       for k, code in enumerate(_CODES[facet])]
        else:
            counts_by_id = _count_by(snap, facet, m, 1)
            ids = np.flatnonzero(counts_by_id)
            counts = counts_by_id[ids]
            if facet == "member":
                members = snap.members()
                for i, c in zip(ids.tolist(), counts.tolist()):
                    row = members.get(i)
                    if row is not None:
                        entries.append((row.code, row.display_name(locale), c))
                if params.member and params.member not in {e[0] for e in entries}:
                    row = next((x for x in members.values() if x.code == params.member), None)
                    if row is not None:
                        entries.append((row.code, row.display_name(locale), 0))
            else:
                objects = geo.provinces if facet == "province" else geo.cities
                for i, c in zip(ids.tolist(), counts.tolist()):
                    obj = objects.get(i)
                    if obj is not None:
                        code = obj.code if facet == "province" else obj.adcode
                        entries.append((code, obj.display_name(locale), c))
                selected = getattr(params, facet)
                if selected and selected not in {e[0] for e in entries}:
                    obj = objects[(geo.province_id_by_code if facet == "province"
                                   else geo.city_id_by_adcode)[selected]]
                    entries.append((selected, obj.display_name(locale), 0))
        selected = getattr(params, facet)
        entries = [e for e in entries if e[2] > 0 or e[0] == selected]
        entries.sort(key=lambda e: (-e[2], e[0]))
        out[facet] = [{"value": v, "label": lab, "count": c} for v, lab, c in entries]
    return out


def facet_counts(actor, params: SearchParams) -> dict[str, list[dict]]:
    """{facet: [{value, label, count}]} for the resources the actor may see; see the module
    docstring for the counting rule."""
    return _copy_facets(_matches(_snapshot(), actor, params).facets)


def _copy_facets(facets: dict) -> dict:
    """The caller's own copy of cached facets (entries hold only str and int values, so
    copying the dicts is enough; deepcopy cost milliseconds per page at 100k)."""
    return {facet: [dict(e) for e in entries] for facet, entries in facets.items()}


def _result_cache_enabled() -> bool:
    """On unless CATALOG_RESULT_CACHE is False in the config (or CDOU_CATALOG_RESULT_CACHE=0)."""
    import os
    default = os.environ.get("CDOU_CATALOG_RESULT_CACHE", "1") != "0"
    return bool(current_app.config.get("CATALOG_RESULT_CACHE", default))


def _matches(snap: _Snapshot, actor, params: SearchParams):
    """(positions of the final list, facets): cached per change token, visibility class,
    query, filters and locale, like a search engine's result cache. Any write to resources,
    members or geography changes the token, so a cached answer is never stale."""
    key = ("result", permissions.can_see_non_public(actor), tuple(params.terms),
           tuple(sorted(params.filters.items())), _locale())
    use_cache = _result_cache_enabled()
    cached = snap.cache_get(key) if use_cache else None
    if cached is not None:
        return cached
    base = _base_mask(snap, actor, params)
    masks = _filter_masks(snap, params)
    positions = np.flatnonzero(_and(base, masks))
    facets = _facets(snap, base, masks, params)
    positions.setflags(write=False)
    result = _Cached(positions, facets)
    if use_cache:
        snap.cache_put(key, result)
    return result


class _Cached:
    __slots__ = ("positions", "facets", "size", "top")

    def __init__(self, positions, facets):
        self.positions, self.facets = positions, facets
        self.size = positions.size + 64 + TOP_KEPT * len(SORTS)
        self.top: dict[str, np.ndarray] = {}  # sort -> first positions in that order

    def __iter__(self):
        return iter((self.positions, self.facets))


@functools.cache
def _list_loading():
    """A list row shows its member and city (and the API the city's province); the member's
    own city is not shown, so it is not joined (it still loads if something asks for it).
    Built on first use: the mappers must be configured first."""
    return joinedload(DataResource.member).lazyload(Member.city)


TOP_KEPT = 1000  # ranked positions kept per cached result and sort (the first 50 pages of 20)


def _page_ids(snap: _Snapshot, found: _Cached, params: SearchParams) -> list[int]:
    """Ids of the requested page, in the order of ``params.sort``. The first TOP_KEPT
    positions of each sort are kept with the result: at 1M rows ranking a large result
    costs milliseconds, and nearly every visit asks for one of the first pages."""
    positions = found.positions
    total = int(positions.size)
    start = (params.page - 1) * params.per_page
    if start >= total:
        return []
    stop = min(start + params.per_page, total)
    if stop <= TOP_KEPT:
        top = found.top.get(params.sort)
        if top is None:
            top = found.top[params.sort] = _ranked(snap, positions, params.sort, min(TOP_KEPT, total))
        return snap.ids[top[start:stop]].tolist()
    return snap.ids[_ranked(snap, positions, params.sort, stop)[start:stop]].tolist()


def _ranked(snap: _Snapshot, positions: np.ndarray, sort: str, stop: int) -> np.ndarray:
    """The first ``stop`` of ``positions`` in the order of ``sort``."""
    ranks = snap.rank(sort)[positions]
    if stop < positions.size:
        top = np.argpartition(ranks, stop - 1)[:stop]
        return positions[top[np.argsort(ranks[top], kind="stable")]]
    return positions[np.argsort(ranks, kind="stable")]


def search(actor, params: SearchParams) -> dict:
    """{"items": [DataResource], "total", "page", "per_page", "facets"}."""
    snap = _snapshot()
    found = _matches(snap, actor, params)
    positions, facets = found.positions, found.facets
    ids = _page_ids(snap, found, params)
    items = []
    if ids:
        found = {r.id: r for r in db.session.scalars(
            select(DataResource).where(DataResource.id.in_(ids)).options(_list_loading()))}
        items = [found[i] for i in ids if i in found]
    return {"items": items, "total": int(positions.size), "page": params.page, "per_page": params.per_page,
            "facets": _copy_facets(facets)}


class _Name:
    """What a list row needs of a member: its code and names (``dn()`` works on it)."""
    __slots__ = ("id", "code", "name", "name_en")

    def __init__(self, id, code, name, name_en):
        self.id, self.code, self.name, self.name_en = id, code, name, name_en

    def display_name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name


class ResourceRow:
    """A read-only row of the HTML list: the fields the list shows, with ``city`` and
    ``member`` taken from the in-memory caches instead of ORM objects."""
    __slots__ = ("id", "title", "description", "domain", "openness", "frequency", "circulation_mask",
                 "department", "is_public", "city", "member")

    def __init__(self, **values):
        for k, v in values.items():
            setattr(self, k, v)

    @property
    def circulation_modes(self) -> list[str]:
        return modes_from_mask(self.circulation_mask or 0)


_ROW_COLUMNS = ("id", "title", "description", "domain", "openness", "frequency", "circulation_mask",
                "department", "is_public", "city_id", "member_id")


def search_rows(actor, params: SearchParams) -> dict:
    """``search`` for the HTML list: the same total, page and facets, with ``ResourceRow``
    items (one plain query for the page, names from memory; no ORM objects)."""
    snap = _snapshot()
    found = _matches(snap, actor, params)
    positions, facets = found.positions, found.facets
    ids = _page_ids(snap, found, params)
    items = []
    if ids:
        table = DataResource.__table__
        rows = db.session.connection().execute(
            select(*(table.c[c] for c in _ROW_COLUMNS)).where(table.c.id.in_(ids))).all()
        cities, members = _geo().cities, snap.members()
        found = {}
        for row in rows:
            values = dict(zip(_ROW_COLUMNS, row))
            city_id, member_id = values.pop("city_id"), values.pop("member_id")
            found[row[0]] = ResourceRow(city=cities.get(city_id), member=members.get(member_id), **values)
        items = [found[i] for i in ids if i in found]
    return {"items": items, "total": int(positions.size), "page": params.page, "per_page": params.per_page,
            "facets": _copy_facets(facets)}


class _Fragment:
    __slots__ = ("html", "size")

    def __init__(self, html):
        self.html, self.size = html, len(html) // 4 + 64  # cache budget counts 4-byte entries


def cached_fragment(actor, params: SearchParams, variant, build):
    """Rendered HTML of one search (facets, list, pager), kept in the snapshot's cache like a
    result: keyed by visibility class, the normalised parameters, ``variant`` (e.g. which
    facet is expanded) and locale, and dropped with the snapshot on any write. ``build()``
    renders it on a miss; it must depend on nothing else (no user, no request.args)."""
    snap = _snapshot()
    if not _result_cache_enabled():
        return build()
    key = ("html", permissions.can_see_non_public(actor), tuple(sorted(params.to_args().items())), variant,
           _locale())
    cached = snap.cache_get(key)
    if cached is None:
        cached = _Fragment(build())
        snap.cache_put(key, cached)
    return cached.html


def count_matching(actor, params: SearchParams) -> int:
    """The total by SQL (build_select); for tests and callers without the in-memory path."""
    return db.session.scalar(select(func.count()).select_from(build_select(actor, params).subquery()))


def substring_oracle(resource: DataResource, q: str) -> bool:
    """The definition ``search`` must equal: every term a substring of a field."""
    return all(any(term in normalise(getattr(resource, f)) for f in INDEXED_FIELDS) for term in query_terms(q))


__all__ = ["SearchParams", "build_select", "facet_counts", "search", "search_rows", "cached_fragment", "index_rows", "reindex_all",
           "text_clause", "order_clauses", "substring_oracle", "count_matching", "FACETS", "SORTS"]
