"""What the registers add to the resource map (through ``catalog.extras``): the
"可信数据空间" filter of the search (``?space=<id>``, with its facet panel on the list) and
the "available in" section on an entry's page."""
import re

from flask import render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from consortium.catalog.extras import DeliverySpaces, ExtraFilter
from consortium.catalog.search import matching_ids
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from . import permissions, queries
from .models import DataSpace, DataSpaceResource
from .services import certificates as certificate_services


def parse_space(raw: str) -> str:
    """``?space=<id>``: a data space's id (the canonical value is its decimal text)."""
    if not re.fullmatch(r"-?[0-9]{1,18}", raw):
        raise DomainError(_("Parameter %(name)s must be a whole number.", name="space"), field="space")
    space_id = int(raw)
    if not 0 < space_id < 2**31 or db.session.get(DataSpace, space_id) is None:
        raise ValueError(raw)  # the search says: unknown value
    return str(space_id)


def space_resource_ids(value: str):
    return select(DataSpaceResource.resource_id).where(DataSpaceResource.space_id == int(value))


def space_label(value: str) -> str:
    space = db.session.get(DataSpace, int(value))
    return space.display_name(str(get_locale())) if space is not None else value


def space_facet(actor, params) -> list[dict]:
    """Per data space, the entries of the current search linked to it, counted with every
    filter but the space itself (the search's own rules and visibility, from its cached
    result: ``catalog.search.matching_ids``)."""
    locale = str(get_locale())
    entries = queries.space_facet(matching_ids(actor, params.without_extra("space")))
    return [{"value": str(e["id"]), "label": e["name_en"] if locale == "en" and e["name_en"] else e["name"],
             "count": e["count"]} for e in entries]


SPACE_FILTER = ExtraFilter(name="space", title=lambda: _("Trusted data space"), parse=parse_space,
                           resource_ids=space_resource_ids, label=space_label, facet=space_facet,
                           description="a trusted data space's id: the entries linked to it")


def extra_filters(sender, **kwargs) -> ExtraFilter:
    return SPACE_FILTER


def entry_section(resource, actor):
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


# ---------------------------------------------------------------- delivering an access request

def delivery_space_choices(resource) -> list[tuple[int, str, bool]]:
    """The data spaces an approved request for ``resource`` may be delivered through: those the
    entry is available in first, then every other space that runs or is being built."""
    locale = str(get_locale())
    own = queries.spaces_of_resource(resource.id)
    others = [s for s in queries.list_spaces() if s.status in ("running", "building") and s not in own]
    return [(s.id, s.display_name(locale), s in own) for s in [*own, *others]]


def describe_space(space_id: int) -> dict | None:
    space = db.session.get(DataSpace, space_id) if space_id else None
    if space is None:
        return None
    return {"id": space.id, "name": space.display_name(str(get_locale())),
            "url": url_for("registers.space", space_id=space.id)}


DELIVERY_SPACES = DeliverySpaces(choices=delivery_space_choices, describe=describe_space)


def delivery_spaces(sender, **kwargs) -> DeliverySpaces:
    return DELIVERY_SPACES


def value_links(resource, actor) -> dict:
    """The entry's values the register links: its registration certificate number."""
    return {"registration_no": certificate_link(actor, resource)}


def certificate_link(actor, resource):
    """An entry's 数据资产登记证书编号 links to the certificate when the register holds it (matched as
    the register matches numbers: case and width do not matter): members to its record, visitors
    to its public verification. None when the register does not know the number."""
    if not (resource.registration_no or "").strip():
        return None
    found = certificate_services.find_certificates(resource.registration_no)
    if not found:
        return None
    if permissions.can_view_certificates(actor):
        if len(found) == 1:
            return url_for("registers.certificate", certificate_id=found[0].id), _("Open the certificate in the register")
        return url_for("registers.certificates", q=found[0].number), _("Several bodies use this number: see them")
    return (url_for("registers.verify_number", number=found[0].number),
            _("Verify the certificate: its state today and where it is recognised"))
