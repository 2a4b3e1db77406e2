from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class AccessRequestForm(FlaskForm):
    purpose = TextAreaField(_l("Purpose of use"), validators=[DataRequired(), Length(max=2000)],
                            description=_l("What the data will be used for, by whom, and how it will be protected."))
    scenario = StringField(_l("Application scenario"), validators=[Optional(), Length(max=200)],
                           description=_l("e.g. the seed scenario this data serves."))
    period_start = DateField(_l("Use from"), validators=[Optional()])
    period_end = DateField(_l("Use until"), validators=[Optional()])
    submit = SubmitField(_l("Send the request"))


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)],
                           description=_l("Required when declining; shown to the requesting member."))
    approve = SubmitField(_l("Approve"))
    decline = SubmitField(_l("Decline"))
