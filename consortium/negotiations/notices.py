"""How the negotiation notifications read, and who may still see them: the dossier's
visibility rule, applied every time a notification is listed, counted or read."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consortium.members.services import get_member
from consortium.notifications.registry import Kind, payload_name, sender_of

from . import permissions
from .constants import STATUSES, label, standard_text


def _url(n):
    return url_for("negotiations.detail", dossier_id=n.target_id)


def targets(sender, **kwargs) -> dict:
    """Who may still see each kind of target this domain's notifications point to."""
    return {
        "dossier": permissions.can_see_target,
    }


def kinds(sender, **kwargs):
    p = lambda n, k: n.payload.get(k, "")  # noqa: E731
    yield Kind("negotiations.invited", label=_l("Invitation to a joint negotiation"),
               action="negotiation_invitations", url=_url,
               message=lambda n: _("%(who)s invites your organisation to the joint negotiation “%(title)s”.",
                                      who=sender_of(n), title=p(n, "title")))
    yield Kind("negotiations.invitation_answered", label=_l("Answer to a negotiation invitation"),
               action=None, url=_url,
               message=lambda n: (_("%(member)s joined “%(title)s”.", member=payload_name(n, "member", get_member), title=p(n, "title"))
                                     if n.payload.get("accepted") else
                                     _("%(member)s declined to join “%(title)s”.", member=payload_name(n, "member", get_member),
                                       title=p(n, "title"))))
    yield Kind("negotiations.status", label=_l("Negotiation status changed"), action=None, url=_url,
               message=lambda n: _("“%(title)s” is now: %(status)s.", title=p(n, "title"),
                                      status=label(STATUSES, p(n, "status"))))
    yield Kind("negotiations.amendment", label=_l("Amendment proposed"), action="amendments", url=_url,
               message=lambda n: _("%(who)s proposes an amendment to “%(term)s” in “%(title)s”.",
                                      who=sender_of(n), term=standard_text(p(n, "term")), title=p(n, "title")))
    yield Kind("negotiations.amendment_decided", label=_l("Amendment decided"), action=None,
               url=_url,
               message=lambda n: (_("Your amendment in “%(title)s” was accepted.", title=p(n, "title"))
                                     if n.payload.get("accepted") else
                                     _("Your amendment in “%(title)s” was rejected.", title=p(n, "title"))))
    yield Kind("negotiations.sign_on", label=_l("Signature needed"), action="signatures", url=_url,
               message=lambda n: (_("Your signature is needed on version %(v)s of “%(title)s” by %(day)s.",
                                       v=p(n, "version"), title=p(n, "title"), day=p(n, "deadline"))
                                     if n.payload.get("deadline") else
                                     _("Your signature is needed on version %(v)s of “%(title)s” (no deadline).",
                                       v=p(n, "version"), title=p(n, "title"))))
    yield Kind("negotiations.stance_needed", label=_l("Stance needed"), action="stances", url=_url,
               message=lambda n: _("State your organisation's stance on version %(v)s of “%(title)s”.",
                                      v=p(n, "version"), title=p(n, "title")))
    yield Kind("negotiations.sign_on_reminder", label=_l("Signature reminder"), action="signatures", url=_url,
               message=lambda n: _("Your organisation has not answered the sign-on of version %(v)s of “%(title)s”; "
                                      "it closes on %(day)s.", v=p(n, "version"), title=p(n, "title"),
                                      day=p(n, "deadline")))
    yield Kind("negotiations.restate", label=_l("Stance to restate"), action="stances", url=_url,
               message=lambda n: _("Version %(v)s of “%(title)s” was adopted: your organisation's stance is on "
                                      "version %(old)s. Please restate it.", v=p(n, "version"), title=p(n, "title"),
                                      old=p(n, "old")))
    yield Kind("negotiations.review_due", label=_l("Outcome review date"), action=None, url=_url,
               message=lambda n: _("Review date (%(day)s) of the outcome of “%(title)s”.", day=p(n, "review_on"),
                                      title=p(n, "title")))
