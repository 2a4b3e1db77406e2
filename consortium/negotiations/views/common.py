"""The two blueprints of the negotiation pages (``negotiations``, ``pricing``) and what
their pages share: the dossier loaders that 404, running a POST's service, the
counterparty panel."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from consortium.core.entity import more_fields
from consortium.core.exceptions import DomainError, NotFound, PermissionDenied
from consortium.extensions import db

from .. import permissions, services
from ..constants import standard_text
from ..queries import list_visible_dossiers_with

bp = Blueprint("negotiations", __name__, url_prefix="/negotiations")
pricing_bp = Blueprint("pricing", __name__, url_prefix="/pricing")
bp.add_app_template_filter(standard_text, "standard_text")  # a standard term's texts in the reader's language


def _dossier_or_404(dossier_id, *, invited_ok=False):
    dossier = services.get_dossier(dossier_id)
    if dossier is None:
        abort(404)
    if permissions.can_view(current_user, dossier):
        return dossier
    if invited_ok and permissions.can_answer_invitation(current_user, dossier):
        return dossier
    abort(404)


def _coordinated_or_404(dossier_id):
    dossier = _dossier_or_404(dossier_id)
    if not permissions.can_coordinate(current_user, dossier):
        abort(403)
    return dossier


def _back(dossier, anchor=None):
    return redirect(url_for("negotiations.detail", dossier_id=dossier.id, _anchor=anchor))


def _act(dossier, action, success, anchor=None):
    """Run a service for a POST, commit, flash; a refused rule is flashed and nothing is saved."""
    try:
        action()
        db.session.commit()
    except PermissionDenied:
        db.session.rollback()
        abort(403)
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _back(dossier, anchor)
    if success:
        flash(success, "success")
    return _back(dossier, anchor)


def _form_errors(form, dossier, anchor=None):
    for errors in form.errors.values():
        for error in errors:
            flash(error, "danger")
    return _back(dossier, anchor)


def more_of(definition, laid_out):
    """For a template: a row's fields of ``definition`` that the page does not lay out by hand
    (``core.entity.more_fields``), as (label, value) — a field added to the definition shows."""
    locale = str(get_locale())
    return lambda row: more_fields(definition, row, laid_out, locale)


def counterparty_panel(counterparty, user):
    """The dossiers with a counterparty, on its page: only those ``user`` may see, else nothing."""
    dossiers = list_visible_dossiers_with(user, counterparty)
    if not dossiers:
        return ""
    return Markup(render_template("negotiations/_counterparty_panel.html", dossiers=dossiers))
