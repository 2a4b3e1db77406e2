"""What higher layers tell the resource map about an entry. The scenarios domain sits above
the catalog (see .importlinter), so the catalog cannot ask it directly: it registers a
provider when it starts (``scenarios.init_app``), and the entry page lists what it returns.

    register_needed_by(lambda actor, resource: [NeededBy(title, url), ...])
"""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class NeededBy:
    title: str
    url: str


_PROVIDERS: list[Callable] = []


def register_needed_by(provider: Callable) -> None:
    """``provider(actor, resource) -> list[NeededBy]``: only what ``actor`` may see."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def needed_by(actor, resource) -> list[NeededBy]:
    out = []
    for provider in _PROVIDERS:
        out.extend(provider(actor, resource))
    return out
