"""What waits on a member in the joint negotiations, in 我的工作台 ("waiting for me"): an
invitation to answer, a stance to state on the current version, a signature to give before
the sign-on's deadline, and — for the coordinator — amendments to decide. Nothing of a
position is shown to a member that does not take part (an invitation names only the title
and the counterparty, as its page does)."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.core.naming import named
from consortium.auth.permissions import is_signed_in
from consortium.core.clock import local_today
from consortium.core.signals import WorkspaceItem, WorkspaceSection

from . import queries
from .constants import shown_label
from .services import current_position
from .services.stances import stance_quorum


def _member_id(user):
    if not is_signed_in(user) or user.member_id is None or user.member is None or not user.member.is_active:
        return None
    return user.member_id


def _late(due):
    return _("overdue since %(d)s", d=due.isoformat()) if due is not None and due < local_today() else None


def invitations(user):
    member_id = _member_id(user)
    if member_id is None:
        return None
    return [WorkspaceItem(text=_("Invitation to the joint negotiation “%(title)s”", title=p.dossier.title),
                          url=url_for("negotiations.detail", dossier_id=p.dossier_id),
                          detail=_("Counterparty: %(name)s · coordinated by %(member)s",
                                   name=named(p.dossier.counterparty), member=named(p.dossier.coordinator)),
                          when=p.invited_at, action=_("Accept or decline"), due=p.dossier.deadline)
            for p in queries.invitations_of(member_id)]


def stances(user):
    member_id = _member_id(user)
    if member_id is None:
        return None
    out = []
    for d in queries.owing_stance(member_id):
        due = d.sign_on_deadline or d.deadline
        out.append(WorkspaceItem(text=_("Stance needed on version %(v)d of “%(title)s”", v=d.current_version,
                                        title=d.title),
                                 url=url_for("negotiations.detail", dossier_id=d.id, _anchor="whole"),
                                 detail=_("Counterparty: %(name)s", name=named(d.counterparty)),
                                 action=_("State your stance"), due=due,
                                 flag=_late(due) or (_("stance on an earlier version")
                                                     if member_id in stance_quorum(d)["stale"] else None)))
    return out


def signatures(user):
    member_id = _member_id(user)
    if member_id is None:
        return None
    out = []
    for d in queries.owing_signature(member_id):
        due = d.sign_on_deadline
        out.append(WorkspaceItem(text=_("Signature needed on version %(v)d of “%(title)s”", v=d.sign_on_version,
                                        title=d.title),
                                 url=url_for("negotiations.detail", dossier_id=d.id, _anchor="sign-on"),
                                 detail=_("Counterparty: %(name)s", name=named(d.counterparty)),
                                 action=_("Sign or decline"), due=due, flag=_late(due)))
    return out


def amendments(user):
    member_id = _member_id(user)
    if member_id is None:
        return None
    return [WorkspaceItem(text=_("%(member)s proposes an amendment to “%(term)s” in “%(title)s”",
                                 member=named(a.member), term=_shown_label(a), title=a.dossier.title),
                          url=url_for("negotiations.detail", dossier_id=a.dossier_id, _anchor="amendments"),
                          detail=a.reason[:140], when=a.created_at, action=_("Accept or reject"),
                          due=a.dossier.deadline)
            for a in queries.amendments_to_decide(member_id)]


def _shown_label(amendment) -> str:
    position = current_position(amendment.dossier)
    term = position.term(amendment.term_key) if position else None
    return shown_label(term) if term else amendment.term_key


def workspace_sections(sender, **kwargs):
    return [WorkspaceSection(key, title, items, order=order, waiting=True) for key, title, items, order in (
            ("negotiation_invitations", _l("Invitations to a joint negotiation"), invitations, 22),
            ("stances", _l("Stances to state"), stances, 24),
            ("signatures", _l("Signatures needed"), signatures, 25),
            ("amendments", _l("Amendments to decide"), amendments, 26))]
