"""The HTML pages of joint negotiations (/negotiations) and of the pricing-model register
(/pricing), one module per aggregate, on two blueprints (``negotiations``, ``pricing``) so
every endpoint keeps its name. A dossier the viewer may not see answers 404 on every page,
whoever asks."""
from . import amendments, dossiers, outcome, participants, positions, pricing_models, sign_on  # noqa: F401
from .common import bp, counterparty_panel, pricing_bp

__all__ = ["bp", "counterparty_panel", "pricing_bp"]
