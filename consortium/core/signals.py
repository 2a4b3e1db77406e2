"""The portal's plug-in mechanism: named blinker signals (Flask's own dependency; Indico's pattern). A
package that offers a place for others' contributions defines a signal (the page-level ones below, the
rest in ``<domain>/signals.py``) and collects what the receivers return; a domain contributes by
connecting a module-level function in its own ``init_app(app)``. Nothing central has to know what a
domain offers, and no domain imports one above it (docs/architecture.md, "Plug-ins").

Receivers are connected once per process (connecting the same function again changes nothing, so
``create_app`` may run many times) and are kept in the order they were first connected: the order of
``consortium.DOMAINS``. ``values_from`` returns the contributions in that order, after any explicit
``order`` the collector sorts by."""
from dataclasses import dataclass
from types import GeneratorType
from typing import Callable

from blinker import Namespace

_signals = Namespace()

# Declarations (receivers take only the sender, None, and return one declaration or a list of them;
# collected with ``declarations``):
nav = _signals.signal("nav")                          # NavEntry: the top bar and the secretariat's menu
demo_seeders = _signals.signal("demo-seeders")        # DemoSeeder: a domain's demo data
home_sections = _signals.signal("home-sections")      # HomeSection: a block on the home page
workspace_sections = _signals.signal("workspace-sections")  # WorkspaceSection: 我的工作台 (/me)
page_sections = _signals.signal("page-sections")      # PageSection: a block on a page another domain owns
digest_sections = _signals.signal("digest-sections")  # DigestSection: part of the weekly digest
# sender: the user; returns {key: value}: a fact another domain knows about them (shown by /api/v1/me)
profile_facts = _signals.signal("profile-facts")
# sender: the app; returns a ``health.Check`` (or a list): a part /healthz probes (asked per call: a check
# may depend on the app's configuration)
health_checks = _signals.signal("health-checks")


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
    seed: Callable           # seed(members_by_code: dict) -> int (rows created)
    order: int


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
    page: str                 # "replication", "board", "scenario"
    template: str
    build: Callable           # build(obj, user) -> dict (the template's ``data``) or None to hide
    order: int = 50


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: object
    build: Callable           # build(user, start: datetime, end: datetime) -> list[WorkspaceItem] (UTC bounds)
    order: int


def values_from(signal, sender=None, **kwargs) -> list:
    """What the receivers of ``signal`` return for ``sender``, in the order they were connected: a
    list (or generator) a receiver returns contributes its items, None contributes nothing.
    Receivers must be plain functions (their key in ``signal.receivers`` is their id)."""
    rank = {key: i for i, key in enumerate(signal.receivers)}
    out = []
    for _receiver, value in sorted(signal.send(sender, **kwargs), key=lambda pair: rank.get(id(pair[0]), len(rank))):
        if isinstance(value, (list, GeneratorType)):
            out.extend(value)
        elif value is not None:
            out.append(value)
    return out


_declared: dict = {}


def declarations(signal, shape: Callable | None = None):
    """``values_from(signal)`` for a signal whose receivers declare things (no per-call argument),
    or ``shape`` of that list (a module-level function, e.g. a dict by name): collected once and
    kept while the same receivers stay connected (a test connecting one more gets a fresh one)."""
    # the references themselves, not ids: a receiver disconnected and replaced is never taken for the kept one
    receivers = tuple(signal.receivers.values())
    kept = _declared.get((signal, shape))
    if kept is None or kept[0] != receivers:
        values = values_from(signal)
        kept = _declared[(signal, shape)] = (receivers, shape(values) if shape else values)
    return kept[1]


def merge(dicts: list[dict]) -> dict:
    """Dicts merged in order (a later key wins): the shape of a signal whose receivers return dicts."""
    return {key: value for found in dicts for key, value in found.items()}


def merged(signal, sender=None, **kwargs) -> dict:
    """The dicts the receivers return for ``sender``, merged in connection order."""
    return merge(values_from(signal, sender, **kwargs))


def by_order(items: list) -> list:
    return sorted(items, key=lambda item: item.order)   # stable: equal orders keep the connection order


def demo_seeder_list() -> list[DemoSeeder]:
    return list(declarations(demo_seeders, by_order))


def home_section_blocks(user) -> list[tuple[str, dict]]:
    out = []
    for section in declarations(home_sections, by_order):
        context = section.context(user)
        if context is not None:
            out.append((section.template, context))
    return out


def nav_entries(user, menu="main") -> list[NavEntry]:
    return [e for e in declarations(nav, by_order) if e.menu == menu and (e.show is None or e.show(user))]


def workspace_section_list() -> list[WorkspaceSection]:
    """Every section, in order, whoever looks (what the inbox's keys are checked against)."""
    return list(declarations(workspace_sections, by_order))


def workspace_blocks(user, *, waiting_only: bool = False) -> list[tuple[WorkspaceSection, list[WorkspaceItem], int | None]]:
    """The sections this user sees, with their items (computed now) and their total when known;
    with ``waiting_only``, only the sections of what waits for the user (the home page's): the
    others are not computed at all."""
    out = []
    for section in workspace_section_list():
        if waiting_only and not section.waiting:
            continue
        items = section.items(user)
        if items is None or (not items and section.empty is None):
            continue
        out.append((section, items, section.total(user) if section.total else None))
    return out


def page_blocks(page, obj, user) -> list[tuple[str, dict]]:
    out = []
    for section in declarations(page_sections, by_order):
        if section.page == page:
            data = section.build(obj, user)
            if data is not None:
                out.append((section.template, data))
    return out


def digest_section_list() -> list[DigestSection]:
    return list(declarations(digest_sections, by_order))
