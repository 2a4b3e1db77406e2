from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

AUDIENCE_CHOICES = [SelectChoice("public", _l("Public (no sign-in)")), SelectChoice("members", _l("Members only"))]


class DashboardForm(FlaskForm):
    title = StringField(_l("Title (Chinese)"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=200)])
    slug = StringField(_l("Slug (address /d/<slug>)"), validators=[DataRequired(), Length(min=3, max=60)])
    audience = SelectField(_l("Audience"), choices=AUDIENCE_CHOICES)
    intro = TextAreaField(_l("Introduction (Chinese)"), validators=[Optional(), Length(max=5000)])
    intro_en = TextAreaField(_l("Introduction (English)"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class AddPanelForm(FlaskForm):
    kind = SelectField(_l("Panel kind"), choices=[])
    submit = SubmitField(_l("Add panel"))


class PanelForm(FlaskForm):
    province = SelectField(_l("Province"), choices=[], validators=[Optional()])
    group = SelectField(_l("Scenario group"), choices=[], validators=[Optional()])
    domain = SelectField(_l("Domain"), choices=[], validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    caption = TextAreaField(_l("Caption (Chinese)"), validators=[Optional(), Length(max=1000)])
    caption_en = TextAreaField(_l("Caption (English)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Save panel"))


class PublishForm(FlaskForm):
    include_negotiations = BooleanField(_l("Include negotiation counts by status (never a title, counterparty or term)"))
    submit = SubmitField(_l("Publish a new version"))
