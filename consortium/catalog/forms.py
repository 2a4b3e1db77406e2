from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, DecimalField, IntegerField, SelectField, SelectMultipleField,
                     StringField, SubmitField, TextAreaField, widgets)
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ResourceForm(FlaskForm):
    """Input shape only; the rules (vocabularies, unique code, dates) live in services."""

    member = SelectField(_l("Owning member"), choices=[])
    code = StringField(_l("Resource code"), validators=[DataRequired(), Length(max=60)],
                       description=_l("Your own code; unique within your organisation and used for re-imports."))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    keywords = StringField(_l("Keywords"), validators=[Optional(), Length(max=500)],
                           description=_l("Separated by commas."))
    domain = SelectField(_l("Domain"), choices=[])
    department = StringField(_l("Data-providing department"), validators=[Optional(), Length(max=120)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=100)])
    contact_email = StringField(_l("Contact e-mail"), validators=[Optional(), Length(max=200)])
    frequency = SelectField(_l("Update frequency"), choices=[])
    record_count = IntegerField(_l("Records"), validators=[Optional(), NumberRange(min=0)])
    size_mb = DecimalField(_l("Size (MB)"), validators=[Optional(), NumberRange(min=0)], places=None)
    temporal_start = DateField(_l("Time coverage from"), validators=[Optional()])
    temporal_end = DateField(_l("Time coverage until"), validators=[Optional()])
    spatial_coverage = StringField(_l("Spatial coverage"), validators=[Optional(), Length(max=200)])
    openness = SelectField(_l("Openness"), choices=[])
    circulation_modes = CheckboxesField(_l("Circulation modes in the trusted data space"), choices=[])
    registration_no = StringField(_l("Data-asset registration certificate no."),
                                  validators=[Optional(), Length(max=80)])
    formats = StringField(_l("Formats"), validators=[Optional(), Length(max=200)],
                          description=_l("e.g. CSV, XLSX, JSON"))
    has_api = BooleanField(_l("Available through an API"))
    data_updated_on = DateField(_l("Data last updated on"), validators=[Optional()])
    is_public = BooleanField(_l("Public: visible to anonymous visitors and in the open catalogue"))
    submit = SubmitField(_l("Save"))

    FIELDS = ("code", "title", "description", "keywords", "domain", "department", "contact_name", "contact_email",
              "frequency", "record_count", "size_mb", "temporal_start", "temporal_end", "spatial_coverage",
              "openness", "circulation_modes", "registration_no", "formats", "has_api", "data_updated_on",
              "is_public")

    def values(self) -> dict:
        data = {name: getattr(self, name).data for name in self.FIELDS}
        if data["size_mb"] is not None:
            data["size_mb"] = float(data["size_mb"])
        return data


class RetireForm(FlaskForm):
    submit = SubmitField(_l("Retire the entry"))
