"""Read functions other domains may call."""
from sqlalchemy import select

from consortium.extensions import db

from .models import Counterparty


def name_is_counterparty(name: str) -> bool:
    return db.session.scalar(select(Counterparty.id).where(Counterparty.name == (name or "").strip())) is not None


def list_counterparties():
    return db.session.scalars(select(Counterparty).order_by(Counterparty.name)).all()


def get_counterparty(counterparty_id):
    return db.session.get(Counterparty, counterparty_id)
