"""JSON API of joint negotiations and pricing models under /api/v1. Bearer tokens or
the session; a dossier the caller may not see answers 404 (never 403); a position
saved from a stale version answers 409."""

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from consortium.auth.permissions import is_signed_in
from consortium.core.api import date_param, paginated
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from . import permissions, pricing, services, terms as term_rules
from .constants import STATUSES

bp = Blueprint("negotiations_api", __name__, url_prefix="/api/v1")


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError(_("Send a JSON object."))
    return data


def _dossier(dossier_id):
    dossier = services.get_dossier(dossier_id)
    if dossier is None or not permissions.can_view(current_user, dossier):
        abort(404)
    return dossier


def dossier_json(d, full=False) -> dict:
    data = {"id": d.id, "title": d.title, "status": d.status, "counterparty": {"id": d.counterparty_id,
                                                                             "name": d.counterparty.name},
            "coordinator": d.coordinator.code, "deadline": d.deadline.isoformat() if d.deadline else None,
            "quorum": d.quorum_label, "current_version": d.current_version,
            "illustrative": d.is_illustrative}
    if full:
        data.update({
            "subject": d.subject,
            "participants": [{"member": p.member.code, "name": p.member.name, "status": p.status,
                              "reason": p.reason} for p in d.participants],
            "events": [{"from": e.from_status, "to": e.to_status, "at": e.created_at.isoformat(),
                        "actor": e.actor_label, "note": e.note} for e in d.events],
            "scenario_ids": [s.id for s in d.scenarios], "resource_ids": [r.id for r in d.resources],
            "sign_on": {"version": d.sign_on_version,
                        "deadline": d.sign_on_deadline.isoformat() if d.sign_on_deadline else None}})
    return data


def version_json(v) -> dict:
    return {"number": v.number, "created_at": v.created_at.isoformat(), "author": v.author_label, "note": v.note,
            "terms": [dict(t, text=term_rules.format_value(t)) for t in v.terms]}


@bp.get("/negotiations")
def index():
    if not is_signed_in(current_user):
        abort(401)
    status = request.args.get("status")
    if status and status not in STATUSES:
        raise DomainError(_("Parameter %(name)s has an unknown value: %(value)s", name="status", value=status))
    return paginated(services.list_dossiers(current_user, status=status, q=request.args.get("q") or None),
                     dossier_json)


@bp.get("/negotiations/<int:dossier_id>")
def detail(dossier_id):
    return dossier_json(_dossier(dossier_id), full=True)


@bp.get("/negotiations/<int:dossier_id>/versions")
def versions(dossier_id):
    d = _dossier(dossier_id)
    return {"current": d.current_version,
            "items": [{"number": v.number, "created_at": v.created_at.isoformat(), "author": v.author_label,
                       "note": v.note, "terms": len(v.terms)} for v in services.versions(d)]}


@bp.post("/negotiations/<int:dossier_id>/versions")
def save_version(dossier_id):
    d = _dossier(dossier_id)
    body = _body()
    if not isinstance(body.get("base_version"), int):
        raise DomainError(_("Send base_version: the version your changes start from."), field="base_version")
    v = services.save_position(current_user, d, body.get("terms"), base_version=body["base_version"],
                               note=str(body.get("note") or ""))
    db.session.commit()
    return version_json(v), 201


@bp.get("/negotiations/<int:dossier_id>/versions/<int:number>")
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
def stances(dossier_id):
    d = _dossier(dossier_id)
    current = services.current_stances(d)
    codes = {p.member_id: p.member.code for p in d.participants}
    return {"version": d.current_version, "consensus": services.consensus(d, current),
            "items": [{"member": codes.get(s.member_id), "term": s.term_key, "stance": s.stance, "comment": s.comment,
                       "version": s.version, "current": s.version == d.current_version, "by": s.author_label,
                       "at": s.created_at.isoformat()} for s in current.values()]}


@bp.post("/negotiations/<int:dossier_id>/stances")
def add_stance(dossier_id):
    d = _dossier(dossier_id)
    body = _body()
    s = services.record_stance(current_user, d, term_key=str(body.get("term") or ""), stance=body.get("stance"),
                               comment=str(body.get("comment") or ""))
    db.session.commit()
    return {"member": s.member.code, "term": s.term_key, "stance": s.stance, "version": s.version}, 201


def amendment_json(a) -> dict:
    return {"id": a.id, "term": a.term_key, "base_version": a.base_version, "value": a.proposed_value.get("value"),
            "reason": a.reason, "member": a.member.code, "status": a.status, "decision_reason": a.decision_reason,
            "result_version": a.result_version}


@bp.get("/negotiations/<int:dossier_id>/amendments")
def amendments(dossier_id):
    return {"items": [amendment_json(a) for a in services.list_amendments(_dossier(dossier_id))]}


@bp.post("/negotiations/<int:dossier_id>/amendments")
def propose(dossier_id):
    d = _dossier(dossier_id)
    body = _body()
    a = services.propose_amendment(current_user, d, term_key=str(body.get("term") or ""), value=body.get("value"),
                                   reason=str(body.get("reason") or ""))
    db.session.commit()
    return amendment_json(a), 201


@bp.get("/negotiations/<int:dossier_id>/sign-on")
def sign_on(dossier_id):
    d = _dossier(dossier_id)
    return {"version": d.sign_on_version, "deadline": d.sign_on_deadline.isoformat() if d.sign_on_deadline else None,
            "quorum": services.quorum_status(d),
            "signatures": [{"member": s.member.code, "signed": s.signed, "comment": s.comment,
                            "at": s.created_at.isoformat()} for s in services.signatures(d)]}


@bp.post("/negotiations/<int:dossier_id>/sign-on")
def sign(dossier_id):
    d = _dossier(dossier_id)
    body = _body()
    if not isinstance(body.get("signed"), bool):
        raise DomainError(_("Send signed: true or false."), field="signed")
    services.sign(current_user, d, signed=body["signed"], comment=str(body.get("comment") or ""))
    db.session.commit()
    return sign_on(dossier_id)


@bp.get("/negotiations/<int:dossier_id>/outcome")
def outcome(dossier_id):
    d = _dossier(dossier_id)
    return {"summary": d.outcome_summary, "review_on": d.review_on.isoformat() if d.review_on else None,
            "terms": [{"term": o.term_key, "result": o.result, "obtained": o.obtained} for o in services.outcomes(d)]}


# ---- pricing models

def _reader():
    if not permissions.can_view_pricing(current_user):
        abort(401)


def model_json(m) -> dict:
    return {"id": m.id, "name": m.name, "kind": m.kind, "member": m.member.code if m.member else None,
            "schedule": m.schedule, "description": m.description, "source": m.source,
            "illustrative": m.is_illustrative, "summary": pricing.describe(m.kind, m.schedule)}


@bp.get("/pricing-models")
def pricing_models():
    _reader()
    return {"items": [model_json(m) for m in services.list_pricing_models()]}


@bp.get("/pricing-models/<int:model_id>")
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
