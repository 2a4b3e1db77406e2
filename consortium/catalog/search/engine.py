"""The in-memory engine: matching positions, facet counts and the page of a search.

``search`` and ``facet_counts`` work on the snapshot's numpy columns (``columns.py``); the
text part of a query comes from the database's own index (``index.py``) once per term and
snapshot, joined with the entries whose domain, city, province or member names contain the
term (matched in memory against the snapshot's names, applied by id).

Facet counts
    Standard disjunctive faceting: the counts of facet F apply the text query, visibility
    and every selected filter EXCEPT F's own. So with no value chosen in a single-valued
    facet its counts add up to ``total``, and the count shown for a chosen value equals
    ``total``. Circulation modes are multi-valued (a bit mask): each mode counts the
    entries offering it.

The page
    Its rows are read from the database with visibility applied again, so an entry made
    private after the snapshot was read is never shown to someone who may not see it.
"""
from __future__ import annotations

import functools

import numpy as np
from flask import current_app
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from consortium.extensions import db
from consortium.members.models import Member

from .. import extras, permissions
from ..constants import CIRCULATION_MODES, DOMAINS, FREQUENCIES, OPENNESS, label, modes_from_mask
from ..models import DataResource
from . import text as t
from .columns import _CODES, Snapshot, fetch_ints, snapshot
from .index import entry_ids_sql, index_only_plans
from .params import FACETS, SORTS, SearchParams, member_id

TOP_KEPT = 1000  # ranked positions kept per cached result and sort (the first 50 pages of 20)


def term_positions(snap: Snapshot, term: str) -> np.ndarray:
    """Sorted positions of the entries whose searchable text contains ``term`` (any visibility)."""
    cached = snap.cache_get(("term", term))
    if cached is not None:
        return cached
    hit = np.zeros(snap.n, dtype=bool)
    connection = db.session.connection()
    with index_only_plans(connection):
        ids = fetch_ints(*entry_ids_sql(term, connection.dialect.name))
    hit[snap.positions_of(ids)] = True
    members = [m.id for m in snap.members().values() if t.contains(term, m.name, m.name_en)]
    if members:
        hit |= np.isin(snap.columns["member"], members)
    cities = [c.id for c in snap.geo.cities.values() if t.contains(term, c.name, c.name_en)]
    if cities:
        hit |= np.isin(snap.columns["city"], cities)
    provinces = [p.id for p in snap.geo.provinces.values() if t.contains(term, p.name, p.name_en)]
    if provinces:
        hit |= np.isin(snap.columns["province"], provinces)
    domains = [_CODES["domain"].index(code) for code in t.domains_matching(term)]
    if domains:
        hit |= np.isin(snap.columns["domain"], domains)
    result = np.flatnonzero(hit).astype(np.int32)
    result.setflags(write=False)
    snap.cache_put(("term", term), result)
    return result


def _text_positions(snap: Snapshot, terms: list[str]) -> np.ndarray | None:
    """Boolean array of the entries matching every term (None: no text query)."""
    if not terms:
        return None
    positions = None
    for term in terms:
        p = term_positions(snap, term)
        positions = p if positions is None else np.intersect1d(positions, p, assume_unique=True)
    hit = np.zeros(snap.n, dtype=bool)
    hit[positions] = True
    return hit


def _filter_masks(snap: Snapshot, params: SearchParams, extra_ids: dict | None = None) -> dict[str, np.ndarray]:
    geo = snap.geo
    masks = {}
    for name, ids in (extra_ids or {}).items():  # filters other domains add (catalog.extras)
        mask = np.zeros(snap.n, dtype=bool)
        mask[snap.positions_of(ids)] = True
        masks[name] = mask
    if params.province:
        masks["province"] = snap.columns["province"] == geo.province_id_by_code[params.province]
    if params.city:
        masks["city"] = snap.columns["city"] == geo.city_id_by_adcode[params.city]
    if params.member:
        masks["member"] = snap.columns["member"] == (member_id(params.member) or -1)
    for name in ("domain", "openness", "frequency"):
        value = getattr(params, name)
        if value:
            masks[name] = snap.columns[name] == _CODES[name].index(value)
    if params.mode:
        masks["mode"] = snap.mode_bit(params.mode)
    return masks


def _base_mask(snap: Snapshot, actor, params: SearchParams) -> np.ndarray:
    """Visibility and text: the same rule as permissions.visible_clause."""
    base = snap.active.copy()
    if not permissions.can_see_non_public(actor):
        base &= snap.public
    hit = _text_positions(snap, params.terms)
    if hit is not None:
        base &= hit
    return base


def count_visible(actor) -> int:
    """How many entries this actor may see, from the columns (no scan of the table)."""
    snap = snapshot()
    return int(np.count_nonzero(_base_mask(snap, actor, SearchParams())))


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


def _count_by(snap: Snapshot, name: str, m: np.ndarray, minlength: int, offset: int = 0) -> np.ndarray:
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


def _facets(snap: Snapshot, base, masks, params: SearchParams) -> dict[str, list[dict]]:
    locale = _locale()
    geo = snap.geo
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
    """{facet: [{value, label, count}]} for the entries the actor may see."""
    return _copy_facets(_matches(snapshot(), actor, params).facets)


def _copy_facets(facets: dict) -> dict:
    """The caller's own copy of cached facets (entries hold only str and int values, so
    copying the dicts is enough; deepcopy cost milliseconds per page at 100k)."""
    return {facet: [dict(e) for e in entries] for facet, entries in facets.items()}


def _result_cache_enabled() -> bool:
    """CATALOG_RESULT_CACHE from the config (CDOU_CATALOG_RESULT_CACHE=0 switches it off)."""
    return bool(current_app.config["CATALOG_RESULT_CACHE"])


def _matches(snap: Snapshot, actor, params: SearchParams):
    """(positions of the final list, facets): cached per change token, visibility class,
    query, filters and locale, like a search engine's result cache. Any write to resources,
    members or geography changes the token, so a cached answer is never stale. An extra
    filter (catalog.extras) is keyed on the digest of the ids it selects, read afresh on
    every call: its links are not in the change log, and this way a link or unlink is seen
    at once while repeated visits of the same filtered list still hit the cache."""
    extra_key, extra_ids = extras.filter_state(params) if params.extra else ((), {})
    key = ("result", permissions.can_see_non_public(actor), tuple(params.terms),
           tuple(sorted(params.filters.items())), extra_key, _locale())
    use_cache = _result_cache_enabled()
    cached = snap.cache_get(key) if use_cache else None
    if cached is not None:
        return cached
    base = _base_mask(snap, actor, params)
    masks = _filter_masks(snap, params, extra_ids)
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


def _page_ids(snap: Snapshot, found: _Cached, params: SearchParams) -> list[int]:
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


def _ranked(snap: Snapshot, positions: np.ndarray, sort: str, stop: int) -> np.ndarray:
    """The first ``stop`` of ``positions`` in the order of ``sort``."""
    ranks = snap.rank(sort)[positions]
    if stop < positions.size:
        top = np.argpartition(ranks, stop - 1)[:stop]
        return positions[top[np.argsort(ranks[top], kind="stable")]]
    return positions[np.argsort(ranks, kind="stable")]




def _page_rows(actor, ids: list[int], load):
    """``load(visible_ids_condition)`` -> rows; keeps the page order and drops the entries
    the actor may no longer see (visibility is applied again by the database)."""
    if not ids:
        return []
    found = {row.id: row for row in load(DataResource.id.in_(ids) & permissions.visible_clause(actor))}
    return [found[i] for i in ids if i in found]


def search(actor, params: SearchParams) -> dict:
    """{"items": [DataResource], "total", "page", "per_page", "facets"}."""
    snap = snapshot()
    found = _matches(snap, actor, params)
    ids = _page_ids(snap, found, params)
    items = _page_rows(actor, ids, lambda where: db.session.scalars(
        select(DataResource).where(where).options(_list_loading())))
    return {"items": items, "total": int(found.positions.size), "page": params.page,
            "per_page": params.per_page, "facets": _copy_facets(found.facets)}


def result_ids(actor, params: SearchParams) -> list[int]:
    """The ids of every entry of the search, in its order (exports walk them in chunks)."""
    snap = snapshot()
    found = _matches(snap, actor, params)
    return snap.ids[_ranked(snap, found.positions, params.sort, int(found.positions.size))].tolist()


def matching_ids(actor, params: SearchParams) -> np.ndarray:
    """The ids of every entry the search finds, in no particular order: from the same
    cached result as the list, so a facet another domain counts over the search costs no
    second run of it (catalog.extras)."""
    snap = snapshot()
    return snap.ids[_matches(snap, actor, params).positions]


def result_size(actor, params: SearchParams) -> int:
    """How many entries the search finds (the in-memory count, without loading a row)."""
    return int(_matches(snapshot(), actor, params).positions.size)


class ResourceRow:
    """A read-only row of the HTML list: the fields the list shows, with ``city`` and
    ``member`` taken from the snapshot's names instead of ORM objects."""
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
    snap = snapshot()
    found = _matches(snap, actor, params)
    ids = _page_ids(snap, found, params)
    table = DataResource.__table__
    cities, members = snap.geo.cities, snap.members()

    def load(where):
        for row in db.session.connection().execute(select(*(table.c[c] for c in _ROW_COLUMNS)).where(where)):
            values = dict(zip(_ROW_COLUMNS, row))
            city_id, mid = values.pop("city_id"), values.pop("member_id")
            yield ResourceRow(city=cities.get(city_id), member=members.get(mid), **values)
    items = _page_rows(actor, ids, load)
    return {"items": items, "total": int(found.positions.size), "page": params.page,
            "per_page": params.per_page, "facets": _copy_facets(found.facets)}


class _Fragment:
    __slots__ = ("html", "size")

    def __init__(self, html):
        self.html, self.size = html, len(html) // 4 + 64  # cache budget counts 4-byte entries


def cached_fragment(actor, params: SearchParams, variant, build):
    """Rendered HTML of one search (facets, list, pager), kept in the snapshot's cache like a
    result: keyed by visibility class, the normalised parameters, ``variant`` and locale, and
    dropped with the snapshot on any change. ``build()`` renders it on a miss; it must depend
    on nothing else (no user, no request.args)."""
    snap = snapshot()
    if not _result_cache_enabled():
        return build()
    key = ("html", permissions.can_see_non_public(actor), tuple(sorted(params.to_args().items())), variant,
           extras.filter_key(params) if params.extra else (), _locale())
    cached = snap.cache_get(key)
    if cached is None:
        cached = _Fragment(build())
        snap.cache_put(key, cached)
    return cached.html
