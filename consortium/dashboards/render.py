"""What a page shows of a dashboard's panels (frozen or live): each panel's title,
caption and filters in the reader's language, and its figure or tiles, built
from the panel's data alone."""
from flask_babel import gettext as _

from consortium.catalog.constants import DOMAINS, label
from consortium.geo.services import list_provinces
from consortium.scenarios.queries import list_groups

from . import panels
from .kinds.figures import LABELS as FIGURE_LABELS


def _filter_text(filters: dict, names: dict) -> str:
    labels = {"province": _("Province"), "group": _("Group"), "domain": _("Domain"), "date_from": _("From"),
              "date_to": _("To")}
    return " · ".join(f"{labels[k]}: {names.get((k, v), v)}" for k, v in filters.items() if k in labels)


def filter_names(locale: str) -> dict:
    """(filter, code) -> name, for showing a panel's filters."""
    names = {("province", p.code): p.display_name(locale) for p in list_provinces()}
    names.update({("group", g["code"]): (g["name_en"] if locale == "en" and g["name_en"] else g["name"])
                  for g in list_groups()})
    names.update({("domain", d): label(DOMAINS, d, locale) for d in DOMAINS})
    return names


def panel_views(frozen: list[dict], locale: str, names: dict | None = None) -> list[dict]:
    names = names if names is not None else filter_names(locale)
    out = []
    for i, p in enumerate(frozen):
        kind = panels.get(p["kind"])
        if kind is None:  # a kind whose domain is gone: its data stays downloadable
            out.append({"index": i, "kind": p["kind"], "title": p["kind"], "caption": "", "filters": "",
                        "figure": None, "tiles": None})
            continue
        caption = p.get("caption_en") if locale == "en" and p.get("caption_en") else p.get("caption", "")
        tiles = None
        figure = None
        table = None
        if kind.figure is None:
            tiles = [(str(FIGURE_LABELS[k]), p["data"].get(k), k) for k in FIGURE_LABELS if k in p["data"]]
        else:
            figure = kind.figure(p["data"], locale)
            table = _readable_table(*kind.table(p["data"], locale))  # the chart's text alternative
        out.append({"index": i, "kind": kind.code, "title": str(kind.label), "caption": caption,
                    "filters": _filter_text(p.get("filters", {}), names), "figure": figure, "tiles": tiles,
                    "table": table, "wide": kind.code in ("resource_map", "coverage_matrix", "membership_growth",
                                          "replication_timeline", "key_figures")})
    return out


CODE_COLUMNS = ("Area code",)  # for spreadsheets (joins), not for a reader


def _readable_table(headers, rows):
    """The table behind a chart as a reader reads it: without the columns of codes."""
    codes = {str(_(c)) for c in CODE_COLUMNS}
    keep = [i for i, h in enumerate(headers) if str(h) not in codes]
    return [headers[i] for i in keep], [[row[i] for i in keep] for row in rows]


def panel_table(frozen_panel: dict, locale: str):
    kind = panels.get(frozen_panel["kind"])
    if kind is None:
        return None
    return kind.table(frozen_panel["data"], locale)
