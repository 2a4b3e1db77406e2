"""The panel catalogue: a registry of panel kinds. A kind says which filters it
honours, how it collects its data (plain JSON, through the other domains'
``queries``/``services`` for a given audience), how that data is drawn
(a Plotly figure, or tiles) and how it is laid out as a table for CSV/XLSX.
Kinds register themselves (``kinds/``); a kind whose source domain is not
installed simply does not register."""
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

FILTERS = ("province", "group", "domain", "date_from", "date_to")


@dataclass(frozen=True)
class PanelKind:
    code: str
    label: object                     # lazy string
    collect: Callable                 # collect(ctx, filters) -> JSON-able data
    table: Callable                   # table(data, locale) -> (headers, rows)
    figure: Callable | None = None    # figure(data, locale) -> Plotly dict; None: tiles
    filters: tuple = ()               # which of FILTERS it honours
    description: object = ""
    sensitive: bool = False           # collected only when ticked at publish time (negotiations)
    order: int = 100


_KINDS: dict[str, PanelKind] = {}


def register(kind: PanelKind) -> None:
    _KINDS[kind.code] = kind


def get(code: str) -> PanelKind | None:
    return _KINDS.get(code)


def kinds() -> list[PanelKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.code))


@dataclass
class Context:
    """One collection run (a preview or a publishing): the audience's actor and a memo
    so that panels sharing a query (map and matrix) run it once."""
    actor: object
    audience: str
    include_sensitive: bool = False
    memo: dict = field(default_factory=dict)

    def once(self, key, fn):
        if key not in self.memo:
            self.memo[key] = fn()
        return self.memo[key]


def as_date(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def clean_filters(kind: PanelKind, filters: dict) -> dict:
    """Only the filters the kind honours, without empty values."""
    return {k: v for k, v in (filters or {}).items() if k in kind.filters and v not in (None, "")}
