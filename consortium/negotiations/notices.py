"""How the negotiation notifications read, and who may still see them: the dossier's
visibility rule, applied every time a notification is listed, counted or read."""
from flask import url_for
from flask_babel import gettext as _

from consortium.auth.permissions import is_signed_in
from consortium.core.clock import local_today
from consortium.core.registry import WorkspaceItem
from consortium.notifications.registry import register_kind, register_target

from . import permissions
from .constants import STATUSES, label


def _url(n):
    return url_for("negotiations.detail", dossier_id=n.target_id)


def register() -> None:
    register_target("dossier", can_see=permissions.can_see_target)
    p = lambda n, k: n.payload.get(k, "")  # noqa: E731
    register_kind("negotiations.invited", url=_url,
                  message=lambda n: _("%(who)s invites your organisation to the joint negotiation “%(title)s”.",
                                      who=n.created_by_label, title=p(n, "title")))
    register_kind("negotiations.invitation_answered", url=_url,
                  message=lambda n: (_("%(member)s joined “%(title)s”.", member=p(n, "member"), title=p(n, "title"))
                                     if n.payload.get("accepted") else
                                     _("%(member)s declined to join “%(title)s”.", member=p(n, "member"),
                                       title=p(n, "title"))))
    register_kind("negotiations.status", url=_url,
                  message=lambda n: _("“%(title)s” is now: %(status)s.", title=p(n, "title"),
                                      status=label(STATUSES, p(n, "status"))))
    register_kind("negotiations.amendment", url=_url,
                  message=lambda n: _("%(who)s proposes an amendment to “%(term)s” in “%(title)s”.",
                                      who=n.created_by_label, term=p(n, "term"), title=p(n, "title")))
    register_kind("negotiations.amendment_decided", url=_url,
                  message=lambda n: (_("Your amendment in “%(title)s” was accepted.", title=p(n, "title"))
                                     if n.payload.get("accepted") else
                                     _("Your amendment in “%(title)s” was rejected.", title=p(n, "title"))))
    register_kind("negotiations.sign_on", url=_url,
                  message=lambda n: (_("Sign-on called for version %(v)s of “%(title)s”, until %(day)s.",
                                       v=p(n, "version"), title=p(n, "title"), day=p(n, "deadline"))
                                     if n.payload.get("deadline") else
                                     _("Sign-on called for version %(v)s of “%(title)s”.", v=p(n, "version"),
                                       title=p(n, "title"))))
    register_kind("negotiations.sign_on_reminder", url=_url,
                  message=lambda n: _("Your organisation has not answered the sign-on of version %(v)s of “%(title)s”; "
                                      "it closes on %(day)s.", v=p(n, "version"), title=p(n, "title"),
                                      day=p(n, "deadline")))
    register_kind("negotiations.restate", url=_url,
                  message=lambda n: _("Version %(v)s of “%(title)s” was adopted: your organisation's stance is on "
                                      "version %(old)s. Please restate it.", v=p(n, "version"), title=p(n, "title"),
                                      old=p(n, "old")))
    register_kind("negotiations.review_due", url=_url,
                  message=lambda n: _("Review date (%(day)s) of the outcome of “%(title)s”.", day=p(n, "review_on"),
                                      title=p(n, "title")))


def workspace_stances(user):
    """我的工作台, waiting: the consultations where the user's organisation has no stance on the
    current version (none yet, or one on an earlier version: asked to restate)."""
    from .queries import consultations_of
    from .services.stances import stance_quorum
    if not is_signed_in(user) or user.member_id is None:
        return None
    items = []
    for dossier in consultations_of(user.member_id):
        q = stance_quorum(dossier)
        if user.member_id in q["stale"]:
            flag = _("stance on an earlier version")
        elif user.member_id in q["missing"]:
            flag = None
        else:
            continue
        items.append(WorkspaceItem(text=dossier.title, url=url_for("negotiations.detail", dossier_id=dossier.id),
                                   detail=_("Give your organisation's stance on version %(v)d.",
                                            v=dossier.current_version), when=dossier.updated_at, flag=flag))
    return items


def workspace_sign_ons(user):
    """我的工作台, waiting: open sign-ons the user's organisation has not answered, with their deadline."""
    from .queries import consultations_of
    from .services.sign_on import unsigned_members
    if not is_signed_in(user) or user.member_id is None:
        return None
    items = []
    for dossier in consultations_of(user.member_id):
        if dossier.sign_on_version is None or user.member_id not in {m.id for m in unsigned_members(dossier)}:
            continue
        items.append(WorkspaceItem(
            text=dossier.title, url=url_for("negotiations.detail", dossier_id=dossier.id, _anchor="sign-on"),
            detail=_("Sign version %(v)d by %(day)s.", v=dossier.sign_on_version,
                     day=dossier.sign_on_deadline.isoformat() if dossier.sign_on_deadline else "—"),
            when=dossier.sign_on_deadline,
            flag=_("closes today") if dossier.sign_on_deadline == local_today() else None))
    return items
