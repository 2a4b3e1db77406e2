from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ApplicationForm(FlaskForm):
    resources = TextAreaField(_l("Data resources requested"), validators=[DataRequired(), Length(max=5000)],
                              description=_l("The entries and fields the scenario needs, one per line."))
    scope = TextAreaField(_l("Scope of use"), validators=[Optional(), Length(max=5000)],
                          description=_l("Purpose, users, period, where the data is processed."))
    authority = StringField(_l("Authority deciding"), validators=[DataRequired(), Length(max=200)],
                            description=_l("e.g. 温州市数据局"))
    reference_no = StringField(_l("Reference number"), validators=[Optional(), Length(max=80)])
    submitted_on = DateField(_l("Submitted on"), validators=[DataRequired()])
    attachments = TextAreaField(_l("Attachments (links, one per line)"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Record the application"))


class DecisionForm(FlaskForm):
    decided_on = DateField(_l("Decided on"), validators=[DataRequired()])
    reference_no = StringField(_l("Reference number of the approval"), validators=[Optional(), Length(max=80)])
    note = TextAreaField(_l("Conditions or reasons given by the authority"), validators=[Optional(), Length(max=5000)])
    approve = SubmitField(_l("Approved"))
    reject = SubmitField(_l("Rejected"))


class WithdrawApplicationForm(FlaskForm):
    withdrawn_on = DateField(_l("Withdrawn on"), validators=[DataRequired()])
    note = TextAreaField(_l("Why is it withdrawn?"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Withdraw the application"))
