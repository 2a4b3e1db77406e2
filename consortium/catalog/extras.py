"""What other domains add to the resource map's pages, without the map knowing them:
extra facet panels on the list (beside the search's own facets) and extra sections on
an entry's page. A domain above the catalog registers a provider in its ``init_app``:

    add_facet(app, provider)          provider(actor, params) -> FacetPanel | None
    add_entry_section(app, provider)  provider(actor, resource) -> Markup | None

Panels are drawn per request, outside the cached result fragment, so they may depend on
the viewer and on data the search does not track."""
from dataclasses import dataclass, field

from flask import current_app


@dataclass
class FacetLink:
    label: str
    count: int
    href: str


@dataclass
class FacetPanel:
    name: str            # element id suffix: facet-<name>
    title: str
    links: list[FacetLink] = field(default_factory=list)
    note: str = ""       # a line under the links


def _providers(app, kind) -> list:
    return app.extensions.setdefault("catalog_extras", {"facets": [], "entry": []})[kind]


def add_facet(app, provider) -> None:
    _providers(app, "facets").append(provider)


def add_entry_section(app, provider) -> None:
    _providers(app, "entry").append(provider)


def facet_panels(actor, params) -> list[FacetPanel]:
    return [p for p in (provider(actor, params) for provider in _providers(current_app, "facets")) if p]


def entry_sections(actor, resource) -> list:
    return [s for s in (provider(actor, resource) for provider in _providers(current_app, "entry")) if s]
