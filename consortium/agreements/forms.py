from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from consortium.core.forms import VersionField

from .constants import AGREEMENT_STATUSES


class AgreementForm(FlaskForm):
    version = VersionField()
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    signed_on = DateField(_l("Signed on"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[SelectChoice(k, v) for k, v in AGREEMENT_STATUSES.items()])
    members = SelectMultipleField(_l("Member parties"), choices=[])
    counterparties = SelectMultipleField(_l("Counterparties"), choices=[])
    scenarios = SelectMultipleField(_l("Linked scenarios"), choices=[])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    documents = TextAreaField(_l("Documents (links, one per line)"), validators=[Optional(), Length(max=5000)])
    is_public = BooleanField(_l("Public (visible to visitors once every party has confirmed)"), default=True)
    submit = SubmitField(_l("Save"))


class ConfirmForm(FlaskForm):
    version = VersionField()
    submit = SubmitField(_l("Confirm this agreement as it stands"))
