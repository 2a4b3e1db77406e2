"""The register of pricing and revenue-share models."""

from flask_babel import gettext as _
from sqlalchemy import select

from consortium.audit.services import set_actor
from consortium.core.entity import clean_every
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from .. import permissions, pricing
from ..models import PricingModel
from ..schemas import PricingModelFields
from .common import _require


def list_pricing_models():
    return db.session.scalars(select(PricingModel).order_by(PricingModel.id)).all()


def get_pricing_model(model_id) -> PricingModel | None:
    return db.session.get(PricingModel, model_id)


def _schedule(kind, schedule) -> dict:
    """The schedule as data (the form's text is read by ``pricing.schedule_from_text`` first),
    checked by the engine for its kind (already checked against the vocabulary)."""
    try:
        return pricing.validate_schedule(kind, schedule)
    except DomainError as error:
        raise DomainError(error.message, field="schedule") from None


def save_pricing_model(actor, model=None, *, member=None, **written) -> PricingModel:
    """``written``: every field of ``schemas.PricingModelFields`` (name, kind, schedule as data …;
    one left out is empty)."""
    set_actor(actor)
    if actor is not None:
        _require(permissions.can_edit_pricing(actor, model) if model else permissions.can_add_pricing(actor))
        if not actor.is_secretariat:
            member = actor.member
    kind = written.get("kind")
    written = clean_every(PricingModelFields, written,
                           special={"schedule": lambda raw: _schedule(kind, raw)},
                           messages={"name": _("A name is required (at most 200 characters).")})
    if model is None:
        model = PricingModel()
        db.session.add(model)
    for field, value in written.items():
        setattr(model, field, value)
    model.member = member
    db.session.flush()
    return model
