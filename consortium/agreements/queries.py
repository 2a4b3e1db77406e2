"""What other domains may read about agreements (the scenario page lists its own)."""
from consortium.extensions import db

from .services import list_agreements


def agreements_of_scenario(actor, scenario) -> list:
    """The agreements linked to a scenario that this actor may see."""
    return db.session.scalars(list_agreements(actor, scenario=scenario)).all()
