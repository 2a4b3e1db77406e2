"""A dashboard's and a panel's one definition (see ``consortium.core.entity``): the services
clean with them and the compose forms are generated from them. Adding a field: this file, the
model, a migration and the translations."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from consortium.core.entity import Choice, Text

from .constants import AUDIENCES


class DashboardFields(Schema):
    title = Text(200, required=True, label=_l("Title (Chinese)"))
    title_en = Text(200, label=_l("Title (English)"))
    slug = Text(60, required=True, label=_l("Slug (address /d/<slug>)"))
    audience = Choice(AUDIENCES, required=True, label=_l("Audience"), unknown=_l("Unknown audience."))
    intro = Text(5000, multiline=True, label=_l("Introduction (Chinese)"))
    intro_en = Text(5000, multiline=True, label=_l("Introduction (English)"))


class PanelFields(Schema):
    """What a panel says beside its filters (the filters depend on the panel's kind)."""
    caption = Text(1000, multiline=True, label=_l("Caption (Chinese)"))
    caption_en = Text(1000, multiline=True, label=_l("Caption (English)"))
