"""The HTML pages of scenario groups, one module per aggregate, all on one blueprint
(``scenarios``), so every endpoint keeps its name: ``scenarios.group``, ``scenarios.replication`` …"""
from . import board, groups, invitations, replications, scenarios  # noqa: F401  (they attach their routes to bp)
from .common import bp

__all__ = ["bp"]
