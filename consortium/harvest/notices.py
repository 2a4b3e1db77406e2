"""How harvest notifications read, and who may still see their source."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.extensions import db
from consortium.notifications.registry import Kind

from . import permissions
from .models import HarvestSource
from .reasons import render


def _can_see(user, source_id) -> bool:
    source = db.session.get(HarvestSource, source_id) if source_id else None
    return source is not None and permissions.can_view(user, source)


def _url(n):
    return url_for("harvest.source", source_id=n.target_id)


def _decision(n):
    name = n.payload.get("name", "")
    if n.payload.get("approved"):
        return _("The secretariat approved the harvest source %(name)s: it can now run.", name=name)
    return _("The secretariat refused the harvest source %(name)s.", name=name)


def _failure_reason(n):
    reason = n.payload.get("reason") or {}
    return render(reason.get("code", ""), reason.get("params"), fallback=n.text or "")


def targets(sender, **kwargs) -> dict:
    """Who may still see each kind of target this domain's notifications point to."""
    return {
        "harvest_source": _can_see,
    }


def kinds(sender, **kwargs):
    yield Kind("harvest.decision", label=_l("Harvest source approved or refused"), action=None, url=_url,
               message=_decision)
    yield Kind("harvest.run_failed", label=_l("Scheduled harvest failed"), action=None, url=_url,
               message=lambda n: _("The scheduled harvest of %(name)s failed.", name=n.payload.get("name", "")),
               detail=_failure_reason)
