"""Generated from the definitions (catalog.schemas.AccessRequestFields, AccessDecisionFields);
the bases hold the buttons."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from consortium.core.entity import form_class

from ..schemas import AccessDecisionFields, AccessRequestFields


class _RequestBase(FlaskForm):
    submit = SubmitField(_l("Send the request"))


class _DecisionBase(FlaskForm):
    approve = SubmitField(_l("Approve"))
    decline = SubmitField(_l("Decline"))


AccessRequestForm = form_class("AccessRequestForm", _RequestBase, AccessRequestFields)
DecisionForm = form_class("DecisionForm", _DecisionBase, AccessDecisionFields)
