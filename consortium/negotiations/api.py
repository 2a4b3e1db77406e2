"""JSON API of joint negotiations and pricing models under /api/v1. Bearer tokens or
the session; a dossier the caller may not see answers 404 (never 403); a position
saved from a stale version answers 409."""

from flask import Blueprint, abort, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consortium.auth.permissions import is_signed_in
from consortium.core.api import date_param, json_object, paginated
from consortium.core.entity import carried, to_json
from consortium.core.exceptions import DomainError
from consortium.core.openapi import api_doc
from consortium.extensions import db

from . import permissions, pricing, services
from .constants import STATUSES
from .schemas import (AmendmentCreate, AmendmentFields, AmendmentList, AmendmentOut, DossierDetailOut, DossierOut,
                      DossierPage, PricingModelList, PricingModelOut, SignatureFields, SignCreate, StanceCreate,
                      StanceFields, StanceList, StanceOut, VersionCreate, VersionFields, VersionOut, proposal_fields)

bp = Blueprint("negotiations_api", __name__, url_prefix="/api/v1")


def _dossier(dossier_id):
    dossier = services.get_dossier(dossier_id)
    if dossier is None or not permissions.can_view(current_user, dossier):
        abort(404)
    return dossier


def dossier_json(d, full=False) -> dict:
    return (DossierDetailOut() if full else DossierOut()).dump(d)


def version_json(v) -> dict:
    return VersionOut().dump(v)


@bp.get("/negotiations")
@api_doc(summary="The dossiers you may see (``status``, ``q``; paginated).", response=DossierPage, auth=True)
def index():
    if not is_signed_in(current_user):
        abort(401)
    status = request.args.get("status")
    if status and status not in STATUSES:
        raise DomainError(_("Parameter %(name)s has an unknown value: %(value)s", name="status", value=status))
    return paginated(services.list_dossiers(current_user, status=status, q=request.args.get("q") or None),
                     dossier_json)


@bp.get("/negotiations/<int:dossier_id>")
@api_doc(summary="One dossier.", response=DossierDetailOut, auth=True)
def detail(dossier_id):
    return dossier_json(_dossier(dossier_id), full=True)


@bp.get("/negotiations/<int:dossier_id>/versions")
def versions(dossier_id):
    d = _dossier(dossier_id)
    return {"current": d.current_version,
            "items": [{"number": v.number, "created_at": v.created_at.isoformat(), "author": v.author_label,
                       "note": v.note, "terms": len(v.terms)} for v in services.versions(d)]}


@bp.post("/negotiations/<int:dossier_id>/versions")
@api_doc(summary="Save a position (send base_version).", body=VersionCreate, response=VersionOut, status=201)
def save_version(dossier_id):
    d = _dossier(dossier_id)
    body = json_object()
    if not isinstance(body.get("base_version"), int):
        raise DomainError(_("Send base_version: the version your changes start from."), field="base_version")
    v = services.save_position(current_user, d, body.get("terms"), base_version=body["base_version"],
                               **carried(VersionFields, body))
    db.session.commit()
    return version_json(v), 201


@bp.get("/negotiations/<int:dossier_id>/versions/<int:number>")
@api_doc(summary="One position version.", response=VersionOut, auth=True)
def version(dossier_id, number):
    v = services.get_version(_dossier(dossier_id), number)
    if v is None:
        abort(404)
    return version_json(v)


@bp.get("/negotiations/<int:dossier_id>/diff")
def diff(dossier_id):
    d = _dossier(dossier_id)
    try:
        a, b = int(request.args.get("from", "")), int(request.args.get("to", ""))
    except ValueError:
        raise DomainError(_("Give the versions to compare: from= and to=."), field="from") from None
    return {"from": a, "to": b, "changes": [dict(e, fields=[{"field": f, "old": o, "new": n} for f, o, n in e["fields"]])
                                            for e in services.diff_versions(d, a, b)]}


@bp.get("/negotiations/<int:dossier_id>/stances")
@api_doc(summary="The organisations' current stances and the consensus per term.", response=StanceList, auth=True)
def stances(dossier_id):
    d = _dossier(dossier_id)
    current = services.current_stances(d)
    codes = {p.member_id: p.member.code for p in d.participants}
    shape = StanceOut()
    return {"version": d.current_version, "consensus": services.consensus(d, current),
            "items": [dict(shape.dump(s), member=codes.get(s.member_id), current=s.version == d.current_version)
                      for s in current.values()]}


@bp.post("/negotiations/<int:dossier_id>/stances")
@api_doc(summary="Take your organisation's stance on the position or one of its terms.", body=StanceCreate,
         response={"type": "object"}, status=201)
def add_stance(dossier_id):
    d = _dossier(dossier_id)
    body = json_object()
    s = services.record_stance(current_user, d, term_key=str(body.get("term") or ""), **carried(StanceFields, body))
    db.session.commit()
    return {"member": s.member.code, "term": s.term_key, "stance": s.stance, "version": s.version}, 201


def amendment_json(a) -> dict:
    return AmendmentOut().dump(a)


@bp.get("/negotiations/<int:dossier_id>/amendments")
@api_doc(summary="A dossier's amendments.", response=AmendmentList, auth=True)
def amendments(dossier_id):
    return {"items": [amendment_json(a) for a in services.list_amendments(_dossier(dossier_id))]}


@bp.post("/negotiations/<int:dossier_id>/amendments")
@api_doc(summary="Propose an amendment to a term.", body=AmendmentCreate, response=AmendmentOut, status=201)
def propose(dossier_id):
    d = _dossier(dossier_id)
    body = json_object()
    a = services.propose_amendment(current_user, d, term_key=str(body.get("term") or ""),
                                   **carried(AmendmentFields, body, only=proposal_fields(AmendmentFields)))
    db.session.commit()
    return amendment_json(a), 201


@bp.get("/negotiations/<int:dossier_id>/sign-on")
def sign_on(dossier_id):
    d = _dossier(dossier_id)
    locale = str(get_locale())
    stances = services.stance_quorum(d)
    return {"version": d.sign_on_version, "deadline": d.sign_on_deadline.isoformat() if d.sign_on_deadline else None,
            "quorum": services.quorum_status(d),
            # stances on the current version (the rule for opening the sign-on) and the reason it was opened anyway
            "stances": {"current": stances["current"], "needed": stances["needed"], "total": stances["total"],
                        "stale": len(stances["stale"]), "missing": len(stances["missing"]), "met": stances["met"]},
            "override": d.sign_on_override or None,
            # each signature with every field of its definition (comment …)
            "signatures": [{"member": s.member.code, "signed": s.signed, **to_json(SignatureFields, s, locale),
                            "at": s.created_at.isoformat()} for s in services.signatures(d)]}


@bp.post("/negotiations/<int:dossier_id>/sign-on")
@api_doc(summary="Sign the position put to sign-on, or decline.", body=SignCreate, response={"type": "object"})
def sign(dossier_id):
    d = _dossier(dossier_id)
    body = json_object()
    if not isinstance(body.get("signed"), bool):
        raise DomainError(_("Send signed: true or false."), field="signed")
    services.sign(current_user, d, signed=body["signed"], **carried(SignatureFields, body))
    db.session.commit()
    return sign_on(dossier_id)


@bp.get("/negotiations/<int:dossier_id>/outcome")
def outcome(dossier_id):
    d = _dossier(dossier_id)
    return {"summary": d.outcome_summary, "review_on": d.review_on.isoformat() if d.review_on else None,
            "terms": [{"term": o.term_key, "result": o.result, "obtained": o.obtained} for o in services.outcomes(d)],
            # the red lines the outcome breaches (terms.red_line_breach) and the coordinator's acknowledgements
            "breaches": [{"term": b.key, "label": b.label, "message": b.message} for b in services.breaches(d)],
            "acknowledgements": [{"at": e.created_at.isoformat(), "by": e.actor_label, "reason": e.acknowledgement,
                                  "terms": e.breached} for e in d.events if e.breached and e.acknowledgement]}


# ---- pricing models

def _reader():
    if not permissions.can_view_pricing(current_user):
        abort(401)


def model_json(m) -> dict:
    return PricingModelOut().dump(m)


@bp.get("/pricing-models")
@api_doc(summary="Pricing models.", response=PricingModelList, auth=True)
def pricing_models():
    _reader()
    return {"items": [model_json(m) for m in services.list_pricing_models()]}


@bp.get("/pricing-models/<int:model_id>")
@api_doc(summary="One pricing model.", response=PricingModelOut, auth=True)
def pricing_model(model_id):
    _reader()
    m = services.get_pricing_model(model_id)
    if m is None:
        abort(404)
    return model_json(m)


@bp.get("/pricing-models/<int:model_id>/calculate")
def calculate(model_id):
    _reader()
    m = services.get_pricing_model(model_id)
    if m is None:
        abort(404)
    result = pricing.calculate(m.kind, m.schedule, request.args.get("amount"), on=date_param("on"),
                               stage=request.args.get("stage") or None)
    return dict(result.as_json(), model=m.id)
