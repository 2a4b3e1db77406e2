"""Member organisations (成员数据集团, 数商 …)."""
from flask_babel import lazy_gettext as _l

from consortium.auth.permissions import is_secretariat
from consortium.audit.signals import model_labels
from consortium.core import signals as core_signals
from consortium.core.api import register

from . import api, labels, naming, views


def _nav(sender, **kwargs):
    return [core_signals.NavEntry("members.index", _l("Members"), order=10),
            core_signals.NavEntry("members.new", _l("Admit a member"), order=10, menu="secretariat", show=is_secretariat),
            core_signals.NavEntry("members.index", _l("All members, suspended included"), order=11, menu="secretariat",
                                  show=is_secretariat, url_values=(("status", "all"),))]


def init_app(app):
    app.register_blueprint(views.bp)
    app.add_template_filter(naming.person_label, "person")  # a person's stored label in the reader's language
    register(app, api.bp)
    model_labels.connect(labels.models)
    core_signals.nav.connect(_nav)
