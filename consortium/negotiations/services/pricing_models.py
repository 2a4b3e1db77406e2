"""The register of pricing and revenue-share models."""

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from .. import permissions, pricing
from ..constants import PRICING_KINDS
from ..models import PricingModel
from .common import _require


def list_pricing_models():
    return db.session.scalars(select(PricingModel).order_by(PricingModel.id)).all()


def get_pricing_model(model_id) -> PricingModel | None:
    return db.session.get(PricingModel, model_id)


def save_pricing_model(actor, model=None, *, name, kind, schedule, member=None, description="", source="",
                       is_illustrative=False) -> PricingModel:
    set_actor(actor)
    if actor is not None:
        _require(permissions.can_edit_pricing(actor, model) if model else permissions.can_add_pricing(actor))
        if not actor.is_secretariat:
            member = actor.member
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise DomainError(_("A name is required (at most 200 characters)."), field="name")
    if kind not in PRICING_KINDS:
        raise DomainError(_("Unknown kind of model."), field="kind")
    try:
        clean = pricing.validate_schedule(kind, schedule)
    except DomainError as error:
        raise DomainError(error.message, field="schedule") from None
    if model is None:
        model = PricingModel()
        db.session.add(model)
    model.name, model.kind, model.schedule, model.member = name, kind, clean, member
    model.description, model.source, model.is_illustrative = description or "", source or "", is_illustrative
    db.session.flush()
    return model
