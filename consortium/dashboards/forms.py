from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SubmitField
from wtforms.validators import Optional

from consortium.core.entity import form_class
from consortium.core.forms import VersionField

from .schemas import DashboardFields, PanelFields


class _DashboardFormBase(FlaskForm):
    version = VersionField()  # optimistic locking: the version the form was opened at
    submit = SubmitField(_l("Save"))


# title, slug, audience and introductions come from the definition (schemas.DashboardFields)
DashboardForm = form_class("DashboardForm", _DashboardFormBase, DashboardFields)


class AddPanelForm(FlaskForm):
    kind = SelectField(_l("Panel kind"), choices=[])
    submit = SubmitField(_l("Add panel"))


class _PanelFormBase(FlaskForm):
    """A panel's filters (their choices are set by the view: provinces, groups, domains); the
    captions come from the definition (schemas.PanelFields) after them."""
    province = SelectField(_l("Province"), choices=[], validators=[Optional()])
    group = SelectField(_l("Scenario group"), choices=[], validators=[Optional()])
    domain = SelectField(_l("Domain"), choices=[], validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    version = VersionField()  # optimistic locking: the panel's version when the form was opened
    submit = SubmitField(_l("Save panel"))


PanelForm = form_class("PanelForm", _PanelFormBase, PanelFields,
                       place=(("province", None), ("group", "province"), ("domain", "group"),
                              ("date_from", "domain"), ("date_to", "date_from")))


class PublishForm(FlaskForm):
    include_negotiations = BooleanField(_l("Include negotiation counts by status (never a title, counterparty or term)"))
    submit = SubmitField(_l("Publish a new version"))
