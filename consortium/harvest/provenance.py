"""Where a harvested entry comes from, on its page and in the DCAT export.

The hand-edit rule: the fields a source supplies belong to the source. They can still be
edited by hand, and the edit stays as long as the source's record is unchanged; the next run
that finds the record changed writes the source's values over it. Fields the source does not
supply (publication, circulation modes a DCAT file cannot state, the sample, registration
numbers …) are never touched by a run."""
from flask import render_template
from markupsafe import Markup

from consortium.catalog.extras import DcatRecord
from consortium.catalog.services import EDITABLE, field_label

from . import permissions, services


def entry_section(resource, actor):
    link = services.provenance(resource.id)
    if link is None:
        return None
    supplied = [f for f in EDITABLE if f in set(link.fields or [])]
    by_hand = [field_label(f) for f in EDITABLE if f not in supplied and f != "code"]
    return Markup(render_template("harvest/_entry.html", link=link, source=link.source,
                                  supplied=[field_label(f) for f in supplied], by_hand=by_hand,
                                  can_see_source=permissions.can_view(actor, link.source)))


def dcat_records(resource_ids) -> dict:
    return {rid: DcatRecord(source_url=link.source.url, remote_id=link.remote_id, issued=link.first_harvested_at,
                            modified=link.written_at)
            for rid, link in services.provenance_of(resource_ids).items()}
