from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, URL

from consortium.core.forms import VersionField

from .constants import MEMBER_KINDS


class MemberForm(FlaskForm):
    version = VersionField()  # optimistic locking: the version the form was opened at
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in MEMBER_KINDS.items()])
    city = SelectField(_l("City"), validators=[DataRequired()], choices=[])
    joined_on = DateField(_l("Joined on"), validators=[DataRequired()])
    website = StringField(_l("Website"), validators=[Optional(), URL(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))
