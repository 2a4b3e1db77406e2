"""The entry picker: a form field that names resource-map entries by number ("12, 40") becomes
a search of the resource map (static/js/picker.js asks /api/v1/resources as the reader types
and adds the chosen entries as removable chips); without JavaScript the field is the list of
numbers it always was. Only entries the actor may see are named."""
import json
import re

from flask import url_for
from sqlalchemy import select

from consortium.extensions import db

from .models import DataResource
from .permissions import visible_clause


def entry_label(resource, locale: str) -> str:
    return f"{resource.title} · {resource.member.display_name(locale)} · {resource.city.display_name(locale)}"


def make_entry_picker(field, actor, locale: str) -> None:
    """Mark a text field of entry numbers for the picker, with the entries it names now."""
    ids = [int(x) for x in re.findall(r"\d+", field.data or "")][:200]
    chosen = []
    if ids:
        found = {r.id: r for r in db.session.scalars(select(DataResource).where(DataResource.id.in_(ids),
                                                                                visible_clause(actor)))}
        chosen = [{"id": i, "label": entry_label(found[i], locale)} for i in dict.fromkeys(ids) if i in found]
    field.render_kw = {**(field.render_kw or {}), "data-entry-picker": "",
                       "data-search-url": url_for("catalog_api.index"), "data-chosen": json.dumps(chosen, ensure_ascii=False)}
