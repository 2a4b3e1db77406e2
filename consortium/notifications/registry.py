"""How each kind of notification reads, and who may still see each kind of target.

A domain declares both when it starts (in its ``init_app``)::

    register_kind("scenarios.invitation",
                  message=lambda n: _("%(who)s invites …", who=n.created_by_label, …),
                  url=lambda n: url_for("scenarios.replication", replication_id=n.target_id))
    register_target("replication", can_see=lambda user, target_id: ...)

A notification whose target type has no ``can_see`` is shown to nobody: a domain
that forgot to say who may see its objects leaks nothing."""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Kind:
    message: Callable      # message(notification) -> str (translated)
    url: Callable | None   # url(notification) -> str | None


_KINDS: dict[str, Kind] = {}
_TARGETS: dict[str, Callable] = {}


def register_kind(kind: str, *, message: Callable, url: Callable | None = None) -> None:
    _KINDS[kind] = Kind(message, url)


def register_target(target_type: str, *, can_see: Callable) -> None:
    _TARGETS[target_type] = can_see


def can_see_target(user, target_type: str | None, target_id: int | None) -> bool:
    if target_type is None:
        return True
    rule = _TARGETS.get(target_type)
    return bool(rule and rule(user, target_id))


def message_of(notification) -> str:
    kind = _KINDS.get(notification.kind)
    return kind.message(notification) if kind else notification.kind


def url_of(notification) -> str | None:
    kind = _KINDS.get(notification.kind)
    return kind.url(notification) if kind and kind.url else None
