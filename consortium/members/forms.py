from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, URL

from consortium.core.forms import VersionField

from .constants import MEMBER_KINDS, MEMBER_LEVELS


class MemberForm(FlaskForm):
    version = VersionField()  # optimistic locking: the version the form was opened at
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("Chosen by the secretariat, used in addresses and imports: lower-case "
                                      "letters, digits, hyphens, e.g. yantai. It cannot be changed later."))
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=160)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in MEMBER_KINDS.items()])
    level = SelectField(_l("Level"), choices=[SelectChoice(k, v) for k, v in MEMBER_LEVELS.items()],
                        description=_l("A province-level data group is seated in its provincial capital."))
    city = SelectField(_l("City"), validators=[DataRequired()], choices=[])
    joined_on = DateField(_l("Joined on"), validators=[DataRequired()])
    website = StringField(_l("Website"), validators=[Optional(), URL(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class SuspendForm(FlaskForm):
    reason = TextAreaField(_l("Reason (shown to the member's users when they try to sign in)"),
                           validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Suspend the member"))
