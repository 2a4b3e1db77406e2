"""How each kind of notification reads, and who may still see each kind of target.

A domain declares both by connecting receivers to ``signals.kinds`` and ``signals.targets`` in its
``init_app`` (its ``notices`` module)::

    def kinds(sender, **kwargs):
        yield Kind("scenarios.invitation", label=_l("Invitation to replicate a scenario"),
                   action="invitations",
                   message=lambda n: _("%(who)s invites …", who=n.created_by_label, …),
                   url=lambda n: url_for("scenarios.replication", replication_id=n.target_id))

    def targets(sender, **kwargs):
        return {"replication": lambda user, target_id: ...}

``action`` is required: the key of the workspace's "waiting for me" section (我的工作台,
``core.signals.WorkspaceSection(..., waiting=True)``) where what the notification asks
for is done, or None when it only informs. A kind that asks someone to act is e-mailed at
once by default and lists under "needs my action"; a test checks that each such key is a
waiting section, so a new kind that waits on someone cannot miss the inbox.

A notification whose target type has no ``can_see`` is shown to nobody: a domain
that forgot to say who may see its objects leaks nothing.

Names are read when the notification is shown, in the reader's language (the page's, or the
recipient's in an e-mail): the payload keeps the id of each named object (``member_id``,
``city_id`` …) beside the name as it was when sent, and a message names it with
``payload_name(n, "member", get_member)``; a notification written before ids were kept shows
the stored name. Who sent it is ``sender_of(n)``. Names people wrote (titles, a source's name)
are kept as written."""
from dataclasses import dataclass
from typing import Callable

from consortium.core.naming import named
from consortium.core.signals import declarations, merge
from consortium.members.naming import person_label
from consortium.members.services import get_member

from . import signals


@dataclass(frozen=True)
class Kind:
    """``detail``, when given, writes the notification's note in the reader's language from its
    payload (a reason stored as a code); without it the note is the ``text`` stored with it."""
    code: str
    label: object          # a lazy string naming the kind (filters, e-mail settings)
    action: str | None     # the waiting section where it is acted on, None: for information
    message: Callable      # message(notification) -> str (translated)
    url: Callable | None = None    # url(notification) -> str | None
    detail: Callable | None = None  # detail(notification) -> str (translated), else its stored ``text``


def _by_code(declared: list[Kind]) -> dict[str, Kind]:
    return {k.code: k for k in declared}


def _kinds() -> dict[str, Kind]:
    return declarations(signals.kinds, _by_code)


def kinds() -> list[Kind]:
    """Every declared kind, in the order the domains connected (``consortium.DOMAINS``)."""
    return list(_kinds().values())


def get_kind(code: str) -> Kind | None:
    return _kinds().get(code)


def action_kinds() -> list[str]:
    """The kinds that ask their recipient to act."""
    return [k.code for k in _kinds().values() if k.action]


def can_see_target(user, target_type: str | None, target_id: int | None) -> bool:
    if target_type is None:
        return True
    rule = declarations(signals.targets, merge).get(target_type)
    return bool(rule and rule(user, target_id))


def message_of(notification) -> str:
    kind = get_kind(notification.kind)
    return kind.message(notification) if kind else notification.kind


def detail_of(notification) -> str:
    """The note under the message: the kind's ``detail`` in the reader's language, else the stored text."""
    kind = get_kind(notification.kind)
    if kind and kind.detail:
        return kind.detail(notification) or notification.text or ""
    return notification.text or ""


def url_of(notification) -> str | None:
    kind = get_kind(notification.kind)
    return kind.url(notification) if kind and kind.url else None


def payload_name(notification, key: str, load: Callable) -> str:
    """The name of the object the payload keeps under ``<key>_id``, in the reader's language
    (``load(id)`` finds it); the name stored under ``<key>`` when there is no id or no such
    object any more."""
    ident = notification.payload.get(f"{key}_id")
    found = load(ident) if ident is not None else None
    return named(found) if found is not None else notification.payload.get(key, "")


def sender_of(notification) -> str:
    """The member that sent it, in the reader's language (the label stored when sent otherwise:
    a secretariat user's name, or an older notification)."""
    return payload_name(notification, "sender", get_member) or person_label(notification.created_by_label)
