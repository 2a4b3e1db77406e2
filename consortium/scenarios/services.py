"""Scenario groups (the foundation keeps only the group and its lead grant)."""
from sqlalchemy import select

from consortium.extensions import db

from .models import ScenarioGroup


def list_groups():
    return db.session.scalars(select(ScenarioGroup).order_by(ScenarioGroup.code)).all()
