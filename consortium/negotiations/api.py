"""JSON API of joint negotiations and pricing models under /api/v1. Bearer tokens or
the session; a dossier the caller may not see answers 404 (never 403); a position
saved from a stale version answers 409."""
from flask import abort
from flask_login import current_user

from consortium.auth.api import signed_in
from consortium.core.api import Blueprint, answer_context, first, paginate
from consortium.core.entity import carried
from consortium.extensions import db

from . import permissions, pricing, services
from .schemas import (AmendmentCreate, AmendmentFields, AmendmentList, AmendmentOut, CalculationOut,
                      CalculationQuery, DiffOut, DiffQuery, DossierDetailOut, DossierPage, DossierQuery, OutcomeOut,
                      PricingModelList, PricingModelOut, SignatureFields, SignCreate, SignOnOut, StanceCreate,
                      StanceFields, StanceList, StanceWritten, VersionCreate, VersionFields, VersionOut, VersionsOut,
                      proposal_fields)

bp = Blueprint("negotiations_api", __name__, url_prefix="/api/v1",
               description="Joint negotiations (participants and the secretariat only) and pricing models.")


def visible_dossier(dossier_id) -> dict:
    """A ``core.api.first`` check: a dossier the caller may not see is a 404 (never a 403)."""
    dossier = services.get_dossier(dossier_id)
    if dossier is None or not permissions.can_view(current_user, dossier):
        abort(404)
    return {"d": dossier}


@bp.route("/negotiations")
@first(signed_in)
@bp.arguments(DossierQuery, location="query")
@bp.response(200, DossierPage)
def index(query):
    """The dossiers you may see (``status``, ``q``; paginated)."""
    return paginate(services.list_dossiers(current_user, status=query.get("status"), q=query.get("q") or None),
                    query)


@bp.route("/negotiations/<int:dossier_id>")
@first(visible_dossier)
@bp.response(200, DossierDetailOut)
def detail(d):
    """One dossier."""
    return d


@bp.route("/negotiations/<int:dossier_id>/versions")
@first(visible_dossier)
@bp.response(200, VersionsOut)
def versions(d):
    """The position's versions, newest last."""
    return {"current_version": d.current_version, "items": services.versions(d)}


@bp.route("/negotiations/<int:dossier_id>/versions", methods=["POST"])
@first(visible_dossier)
@bp.arguments(VersionCreate)
@bp.response(201, VersionOut)
def save_version(body, d):
    """Save a position (send ``base_version``: a stale one answers 409)."""
    v = services.save_position(current_user, d, body["terms"], base_version=body["base_version"],
                               **carried(VersionFields, body))
    db.session.commit()
    return v


@bp.route("/negotiations/<int:dossier_id>/versions/<int:number>")
@first(visible_dossier)
@bp.response(200, VersionOut)
def version(d, number):
    """One position version."""
    v = services.get_version(d, number)
    if v is None:
        abort(404)
    return v


@bp.route("/negotiations/<int:dossier_id>/diff")
@first(visible_dossier)
@bp.arguments(DiffQuery, location="query")
@bp.response(200, DiffOut)
def diff(query, d):
    """What changed, term by term, from one version to another."""
    changes = [dict(e, fields=[{"field": f, "old": o, "new": n} for f, o, n in e["fields"]])
               for e in services.diff_versions(d, query["from_"], query["to"])]
    return {"from": query["from_"], "to": query["to"], "changes": changes}


@bp.route("/negotiations/<int:dossier_id>/stances")
@first(visible_dossier)
@bp.response(200, StanceList)
def stances(d):
    """The organisations' current stances and the consensus per term."""
    current = services.current_stances(d)
    answer_context().update(codes={p.member_id: p.member.code for p in d.participants}, current=d.current_version)
    return {"version": d.current_version, "consensus": services.consensus(d, current), "items": current.values()}


@bp.route("/negotiations/<int:dossier_id>/stances", methods=["POST"])
@first(visible_dossier)
@bp.arguments(StanceCreate)
@bp.response(201, StanceWritten)
def add_stance(body, d):
    """Take your organisation's stance on the position or one of its terms."""
    s = services.record_stance(current_user, d, term_key=body.get("term") or "", **carried(StanceFields, body))
    db.session.commit()
    return s


@bp.route("/negotiations/<int:dossier_id>/amendments")
@first(visible_dossier)
@bp.response(200, AmendmentList)
def amendments(d):
    """A dossier's amendments."""
    return {"items": services.list_amendments(d)}


@bp.route("/negotiations/<int:dossier_id>/amendments", methods=["POST"])
@first(visible_dossier)
@bp.arguments(AmendmentCreate)
@bp.response(201, AmendmentOut)
def propose(body, d):
    """Propose an amendment to a term."""
    a = services.propose_amendment(current_user, d, term_key=body["term"],
                                   **carried(AmendmentFields, body, only=proposal_fields(AmendmentFields)))
    db.session.commit()
    return a


def _sign_on(d) -> dict:
    return {"dossier": d, "quorum": services.quorum_status(d), "stances": services.stance_quorum(d),
            "signatures": services.signatures(d)}


@bp.route("/negotiations/<int:dossier_id>/sign-on")
@first(visible_dossier)
@bp.response(200, SignOnOut)
def sign_on(d):
    """The sign-on: the version put to it, the quorum, each organisation's answer."""
    return _sign_on(d)


@bp.route("/negotiations/<int:dossier_id>/sign-on", methods=["POST"])
@first(visible_dossier)
@bp.arguments(SignCreate)
@bp.response(200, SignOnOut)
def sign(body, d):
    """Sign the position put to sign-on, or decline."""
    services.sign(current_user, d, signed=body["signed"], **carried(SignatureFields, body))
    db.session.commit()
    return _sign_on(d)


@bp.route("/negotiations/<int:dossier_id>/outcome")
@first(visible_dossier)
@bp.response(200, OutcomeOut)
def outcome(d):
    """The outcome: what was obtained for each term, the red lines it breaches and the
    coordinator's acknowledgements."""
    return {"dossier": d, "terms": services.outcomes(d), "breaches": services.breaches(d)}


# ---- pricing models

def pricing_reader(**kwargs) -> dict:
    if not permissions.can_view_pricing(current_user):
        abort(401)
    return kwargs


def pricing_model_of(model_id) -> dict:
    pricing_reader()
    m = services.get_pricing_model(model_id)
    if m is None:
        abort(404)
    return {"m": m}


@bp.route("/pricing-models")
@first(pricing_reader)
@bp.response(200, PricingModelList)
def pricing_models():
    """Pricing models."""
    return {"items": services.list_pricing_models()}


@bp.route("/pricing-models/<int:model_id>")
@first(pricing_model_of)
@bp.response(200, PricingModelOut)
def pricing_model(m):
    """One pricing model."""
    return m


@bp.route("/pricing-models/<int:model_id>/calculate")
@first(pricing_model_of)
@bp.arguments(CalculationQuery, location="query")
@bp.response(200, CalculationOut)
def calculate(query, m):
    """What the model gives for an amount (``amount``; ``on`` or ``stage`` for a staged model)."""
    result = pricing.calculate(m.kind, m.schedule, query["amount"], on=query.get("on"),
                               stage=query.get("stage") or None)
    return dict(result.as_json(), model=m.id)
