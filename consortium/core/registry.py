"""What each domain contributes to the portal, declared by the domain's own
``init_app(app)``: navigation entries, home-page sections, its demo-data seeder, sections of
the personal workspace (我的工作台) and blocks on other domains' pages. ``create_app``
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


@dataclass(frozen=True)
class WorkspaceItem:
    """One line of the workspace: what it is, where it is acted on, when, and a flag. A line
    of "waiting for me" also says what to do (``action``, the link's words) and by when (``due``)."""
    text: str
    url: str | None = None
    detail: str = ""
    when: object = None       # a date or datetime (UTC), shown in Asia/Shanghai
    flag: str | None = None   # a short warning, e.g. 已过期 / stale
    badge: str | None = None  # a short status
    action: str = ""          # what to do there: 答复申请, 表态, 联署 …
    due: object = None        # the date it is due by (a Beijing day), or None


@dataclass(frozen=True)
class WorkspaceSection:
    key: str
    title: object             # a lazy string
    items: Callable           # items(user) -> list[WorkspaceItem] (already limited), or None to hide
    order: int
    waiting: bool = False     # True: "waiting for me" (things to act on); False: "for my information"
    empty: object = None      # text when there is nothing; None hides an empty section
    more: Callable | None = None  # more(user) -> (url, label) or None
    total: Callable | None = None  # total(user) -> int, when items are a first page of more


@dataclass(frozen=True)
class PageSection:
    page: str                 # "replication", "board"
    template: str
    build: Callable           # build(obj, user) -> dict (the template's ``data``) or None to hide
    order: int


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: object
    build: Callable           # build(user, start: datetime, end: datetime) -> list[WorkspaceItem] (UTC bounds)
    order: int


@dataclass
class Registry:
    nav: list[NavEntry] = field(default_factory=list)
    demo_seeders: list[DemoSeeder] = field(default_factory=list)
    workspace: list[WorkspaceSection] = field(default_factory=list)
    page_sections: list[PageSection] = field(default_factory=list)
    digest: list[DigestSection] = field(default_factory=list)
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


def add_workspace_section(app, key, title, items, *, order, waiting=False, empty=None, more=None, total=None):
    """A domain's contribution to 我的工作台 (/me and the signed-in home page)."""
    registry(app).workspace.append(WorkspaceSection(key, title, items, order, waiting, empty, more, total))
    registry(app).workspace.sort(key=lambda s: s.order)


def workspace_sections(app, user) -> list[tuple[WorkspaceSection, list[WorkspaceItem], int | None]]:
    """The sections this user sees, with their items (computed now) and their total when known."""
    out = []
    for section in registry(app).workspace:
        items = section.items(user)
        if items is None or (not items and section.empty is None):
            continue
        out.append((section, items, section.total(user) if section.total else None))
    return out


def add_page_section(app, page, template, build, *, order=50):
    """A block another domain adds to a page it does not own (the replication page, the board)."""
    registry(app).page_sections.append(PageSection(page, template, build, order))
    registry(app).page_sections.sort(key=lambda s: s.order)


def page_sections(app, page, obj, user) -> list[tuple[str, dict]]:
    out = []
    for section in registry(app).page_sections:
        if section.page == page:
            data = section.build(obj, user)
            if data is not None:
                out.append((section.template, data))
    return out


def add_digest_section(app, key, title, build, *, order):
    """A domain's part of the weekly digest (what changed in the user's groups and entries)."""
    registry(app).digest.append(DigestSection(key, title, build, order))
    registry(app).digest.sort(key=lambda s: s.order)


def digest_sections(app):
    return list(registry(app).digest)
