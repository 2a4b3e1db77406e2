"""The forms are generated from the definitions (schemas.py); a base holds the buttons."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from consortium.core.entity import form_class

from .schemas import ApplicationFields, DecisionFields, WithdrawalFields


class _ApplicationBase(FlaskForm):
    submit = SubmitField(_l("Record the application"))


class _DecisionBase(FlaskForm):
    approve = SubmitField(_l("Approved"))
    reject = SubmitField(_l("Rejected"))


class _WithdrawalBase(FlaskForm):
    submit = SubmitField(_l("Withdraw the application"))


ApplicationForm = form_class("ApplicationForm", _ApplicationBase, ApplicationFields)
DecisionForm = form_class("DecisionForm", _DecisionBase, DecisionFields)
WithdrawApplicationForm = form_class("WithdrawApplicationForm", _WithdrawalBase, WithdrawalFields)
