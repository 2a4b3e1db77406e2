"""What other domains add to the resource map's pages, without the map knowing them:
extra filters of the search (with their facet panel), extra facet panels on the list and
extra sections on an entry's page. A domain above the catalog connects receivers to the signals
of ``catalog.signals`` in its ``init_app``:

    extra_filters      -> ExtraFilter(...): a named search filter, e.g. ``?space=12``
    facet_panels       (params, actor=) -> FacetPanel | None
    entry_sections     (resource, actor=) -> Markup | None
    delivery_spaces    -> DeliverySpaces(...): the data spaces an approved access request may be
                       delivered through (the registers' list)
    value_links        (resource, actor=) -> {field: (url, title)}: a field's value on the entry's
                       page becomes a link (the registration certificate number → the certificate
                       in the register)
    dcat_records       (resource_ids) -> {id: DcatRecord}: where entries came from

An extra filter is a URL parameter the search parses (``SearchParams.extra``) and applies
everywhere the search's own filters apply: the in-memory engine (a mask of the entries
whose ids ``resource_ids(value)`` selects), the SQL form (``DataResource.id IN (...)``, so
exports, the map and the matrix), the facet counts and the totals. Visibility stays the
search's own rule: the filter only narrows the entries the viewer may see.

Caching: the links behind an extra filter are not part of the search's change mark, so
every cache of a filtered search (engine results, the HTML fragment, anonymous exports)
is keyed on ``filter_key(params)``: the value, a digest of the ids it selects right now and
its label. Reading the ids is one indexed query; a link or unlink changes the digest, so a
filtered search is never served stale while its result is still cached between requests.

Panels are drawn per request, outside the cached result fragment, so they may depend on
the viewer and on data the search does not track."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from consortium.core.signals import declarations, merged, values_from
from consortium.extensions import db

from . import signals
from .constants import FACETS
from .search.columns import fetch_ints


@dataclass
class FacetLink:
    label: str
    count: int
    href: str
    selected: bool = False   # the chosen value: its link removes the filter
    value: str = ""


@dataclass
class FacetPanel:
    name: str            # element id suffix: facet-<name>
    title: str
    links: list[FacetLink] = field(default_factory=list)
    note: str = ""       # a line under the links


@dataclass(frozen=True)
class ExtraFilter:
    """A search filter a domain above the catalog adds.

    name          the URL parameter (must not clash with the search's own)
    title()       the facet's title, translated when called
    parse(raw)    the canonical value (a str) of a non-empty parameter; raises
                  ``DomainError`` (field=name) or ``ValueError`` for a bad one
    resource_ids(value)  a Select of one column: the ids of the entries carrying the value,
                  whatever their visibility (the search applies its own)
    label(value)  the value's display name (active filter, empty-result help)
    facet(actor, params)  optional: [{"value", "label", "count"}] for the panel, counted
                  over the search with every filter but this one (the ids of
                  ``search.matching_ids(actor, params.without_extra(name))``)
    description   what the parameter takes, for the API's description
    """
    name: str
    title: Callable[[], str]
    parse: Callable[[str], str]
    resource_ids: Callable[[str], Any]
    label: Callable[[str], str]
    facet: Callable[[Any, Any], list[dict]] | None = None
    description: str = ""


@dataclass(frozen=True)
class DeliverySpaces:
    """The trusted data spaces an access request may be delivered through, as the domain that
    keeps them (the registers) lists them.

    choices(resource)  [(id, name, is the entry's own)] for the owner's approval form, the
                       spaces the entry is available in first
    describe(space_id) {"id", "name", "url"} of one space, or None when there is no such space
    """
    choices: Callable[[Any], list[tuple[int, str, bool]]]
    describe: Callable[[int], dict | None]


def delivery_spaces() -> DeliverySpaces | None:
    found = declarations(signals.delivery_spaces)
    return found[-1] if found else None


def _by_name(declared: list[ExtraFilter]) -> dict[str, ExtraFilter]:
    reserved = {*FACETS, "q", "sort", "page", "per_page", "more"}
    found: dict[str, ExtraFilter] = {}
    for extra in declared:
        if extra.name in reserved or extra.name in found:
            raise ValueError(f"search parameter {extra.name!r} is already taken")
        found[extra.name] = extra
    return found


@dataclass(frozen=True)
class DcatRecord:
    source_url: str      # the catalogue the entry was harvested from
    remote_id: str       # its identifier there
    issued: Any          # first harvested (UTC)
    modified: Any        # last written by a harvest (UTC)


def dcat_records(resource_ids) -> dict:
    """{id: DcatRecord}: where entries came from, written in the DCAT export as a dcat:CatalogRecord
    each (the harvest domain's provenance)."""
    return merged(signals.dcat_records, resource_ids)


def value_links(actor, resource) -> dict[str, tuple[str, str]]:
    """field -> (url, title) for the entry's values another domain knows (only those it links)."""
    return {name: link for name, link in merged(signals.value_links, resource, actor=actor).items() if link}


def filters() -> dict[str, ExtraFilter]:
    """The extra filters the domains declare, by parameter name."""
    return declarations(signals.extra_filters, _by_name)


def get_filter(name: str) -> ExtraFilter:
    return filters()[name]


def selected_ids(name: str, value: str) -> np.ndarray:
    """Sorted ids of the entries the filter selects (any visibility)."""
    stmt = get_filter(name).resource_ids(value)
    # through the DBAPI cursor: 20,000 ids in ~10 ms instead of ~21 ms through Core rows (SQLite; values are bound
    # as literals: the filters' values are parsed, canonical ids or codes)
    sql = str(stmt.compile(dialect=db.session.connection().dialect, compile_kwargs={"literal_binds": True}))
    ids = fetch_ints(sql, ())
    ids.sort()
    return ids


def _digest(ids: np.ndarray) -> str:
    return hashlib.blake2b(ids.tobytes(), digest_size=12).hexdigest()


def filter_key(params) -> tuple:
    """The part of a cache key that stands for the search's extra filters: per filter its
    value, the digest of the ids it selects now and its label (see the module docstring)."""
    return tuple((name, value, _digest(selected_ids(name, value)), get_filter(name).label(value))
                 for name, value in params.extra)


def filter_state(params) -> tuple[tuple, dict[str, np.ndarray]]:
    """(``filter_key(params)``, {name: selected ids}) with one query per filter."""
    ids = {name: selected_ids(name, value) for name, value in params.extra}
    key = tuple((name, value, _digest(ids[name]), get_filter(name).label(value)) for name, value in params.extra)
    return key, ids


def facet_panels(actor, params) -> list[FacetPanel]:
    return [p for p in values_from(signals.facet_panels, params, actor=actor) if p]


def entry_sections(actor, resource) -> list:
    return [s for s in values_from(signals.entry_sections, resource, actor=actor) if s]
