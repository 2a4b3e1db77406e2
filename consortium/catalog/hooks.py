"""What higher layers tell the resource map about an entry. The scenarios domain sits above
the catalog (see .importlinter), so the catalog cannot ask it directly: it connects a receiver
to ``signals.needed_by`` when it starts (``scenarios.init_app``), and the entry page lists what
the receivers return::

    def needed_by(resource, actor):      # only what ``actor`` may see
        return [NeededBy(title, url), ...]
"""
from dataclasses import dataclass

from consortium.core.signals import values_from

from . import signals


@dataclass(frozen=True)
class NeededBy:
    title: str
    url: str


def needed_by(actor, resource) -> list[NeededBy]:
    return values_from(signals.needed_by, resource, actor=actor)
