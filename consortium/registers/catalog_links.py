"""What the registers add to the resource map (through ``catalog.extras``): the
"可信数据空间" facet on the list and the "available in" section on an entry's page."""
from flask import render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from consortium.catalog.extras import FacetLink, FacetPanel
from consortium.extensions import db

from . import permissions, queries


def space_facet(actor, params):
    """Per data space, the entries of the current search linked to it (the search's own
    rules: ``catalog.search.build_select``). A value opens the space's page, where its
    linked entries are listed."""
    from consortium.catalog.search import build_select
    locale = str(get_locale())
    entries = queries.space_facet(actor, build_select(actor, params))
    links = [FacetLink(label=e["name_en"] if locale == "en" and e["name_en"] else e["name"], count=e["count"],
                       href=url_for("registers.space", space_id=e["id"]) + "#space-resources") for e in entries]
    return FacetPanel(name="data-space", title=_("Trusted data space"), links=links[:12],
                      note=_("%(n)d more", n=len(links) - 12) if len(links) > 12 else "")


def entry_section(actor, resource):
    from .models import DataSpace
    linked = queries.spaces_of_resource(resource.id)
    can_link = permissions.can_link_resource(actor, resource)
    if not linked and not can_link:
        return None
    choices = []
    if can_link:
        ids = {s.id for s in linked}
        choices = [s for s in db.session.scalars(select(DataSpace).order_by(DataSpace.name)) if s.id not in ids]
    return Markup(render_template("registers/_resource_spaces.html", resource=resource, linked=linked,
                                  can_link=can_link, choices=choices))
