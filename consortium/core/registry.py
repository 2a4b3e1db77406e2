"""What each domain contributes to the portal, declared by the domain's own
``init_app(app)``: navigation entries, home-page sections and its demo-data seeder. ``create_app``
calls ``init_app`` of every package in ``consortium.DOMAINS``; nothing central
has to know what a domain offers."""
from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object            # a lazy string, translated when the page is drawn
    order: int
    menu: str = "main"       # "main" (the top bar) or "secretariat" (its dropdown)
    show: Callable | None = None   # show(user) -> bool; None: everyone
    element_id: str | None = None
    url_values: tuple = ()


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    order: int
    seed: Callable           # seed(members_by_code: dict) -> int (rows created)


@dataclass(frozen=True)
class HomeSection:
    template: str            # included in the home page with ``section`` = context(user)
    context: Callable        # context(user) -> dict, or None to show nothing
    order: int


@dataclass
class Registry:
    nav: list[NavEntry] = field(default_factory=list)
    demo_seeders: list[DemoSeeder] = field(default_factory=list)
    profile_facts: list[tuple[str, Callable]] = field(default_factory=list)  # (key, fact(user)) for /api/v1/me
    home_sections: list[HomeSection] = field(default_factory=list)
    # scenario_agreements(actor, scenario) -> list: the agreements a scenario page lists; set by
    # consortium.agreements, a domain above scenarios (scenarios may not import it)
    scenario_agreements: Callable | None = None


def registry(app) -> Registry:
    return app.extensions.setdefault("cdou", Registry())


def add_nav(app, endpoint, label, *, order, menu="main", show=None, element_id=None, **url_values):
    registry(app).nav.append(NavEntry(endpoint, label, order, menu, show, element_id, tuple(url_values.items())))
    registry(app).nav.sort(key=lambda e: e.order)


def add_demo_seeder(app, name, seed, *, order):
    registry(app).demo_seeders.append(DemoSeeder(name, order, seed))
    registry(app).demo_seeders.sort(key=lambda s: s.order)


def add_home_section(app, template, context, *, order):
    """A domain's block on the home page (e.g. the featured dashboard), without core importing it."""
    registry(app).home_sections.append(HomeSection(template, context, order))
    registry(app).home_sections.sort(key=lambda s: s.order)


def home_sections(app, user) -> list[tuple[str, dict]]:
    out = []
    for section in registry(app).home_sections:
        context = section.context(user)
        if context is not None:
            out.append((section.template, context))
    return out


def set_scenario_agreements(app, lookup: Callable) -> None:
    """The agreements linked to a scenario that an actor may see (the scenario page lists them)."""
    registry(app).scenario_agreements = lookup


def scenario_agreements(app, actor, scenario) -> list:
    lookup = registry(app).scenario_agreements
    return lookup(actor, scenario) if lookup is not None else []


def add_profile_fact(app, key: str, fact: Callable) -> None:
    """A fact about a user that another domain knows (e.g. the groups it leads), shown by /api/v1/me."""
    registry(app).profile_facts.append((key, fact))


def nav_entries(app, user, menu="main") -> list[NavEntry]:
    return [e for e in registry(app).nav if e.menu == menu and (e.show is None or e.show(user))]
