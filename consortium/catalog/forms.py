from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, FieldList, Form, FormField, IntegerField, SelectField,
                     SelectMultipleField, StringField, SubmitField, TextAreaField, widgets)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from consortium.core.forms import FiniteDecimalField, VersionField

from .constants import FIELD_TYPES

BLANK_FIELD_ROWS = 3  # empty rows offered below the field list


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SchemaFieldRow(Form):
    """One row of the field list table (no CSRF of its own: it lives inside ResourceForm)."""

    name = StringField(_l("Field name"), validators=[Optional(), Length(max=100)])
    type = SelectField(_l("Type"), choices=[SelectChoice(t, t) for t in FIELD_TYPES], default="string", validate_choice=False)
    description = StringField(_l("Field description"), validators=[Optional(), Length(max=500)])


class ResourceForm(FlaskForm):
    """Input shape only; the rules (vocabularies, unique code, dates) live in services."""

    version = VersionField()  # optimistic locking: the version the form was opened at
    member = SelectField(_l("Owning member"), choices=[])
    code = StringField(_l("Resource code"), validators=[DataRequired(), Length(max=60)],
                       description=_l("Your own code; unique within your organisation and used for re-imports."))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description of the resource"), validators=[Optional(), Length(max=5000)])
    keywords = StringField(_l("Keywords"), validators=[Optional(), Length(max=500)],
                           description=_l("Separated by commas."))
    domain = SelectField(_l("Domain"), choices=[])
    department = StringField(_l("Data-providing department"), validators=[Optional(), Length(max=120)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=100)])
    contact_email = StringField(_l("Contact e-mail"), validators=[Optional(), Length(max=200)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)])
    frequency = SelectField(_l("Update frequency"), choices=[])
    record_count = IntegerField(_l("Records"), validators=[Optional(), NumberRange(min=0)])
    size_mb = FiniteDecimalField(_l("Size (MB)"), validators=[Optional(), NumberRange(min=0)], places=None)
    temporal_start = DateField(_l("Time coverage from"), validators=[Optional()])
    temporal_end = DateField(_l("Time coverage to"), validators=[Optional()])
    spatial_coverage = StringField(_l("Spatial coverage"), validators=[Optional(), Length(max=200)])
    openness = SelectField(_l("Openness"), choices=[])
    licence = SelectField(_l("Licence / usage conditions"), choices=[], validate_choice=False)
    usage_conditions = TextAreaField(_l("Usage conditions (text)"), validators=[Optional(), Length(max=4000)],
                                     description=_l("Required for custom terms; otherwise optional notes."))
    circulation_modes = CheckboxesField(_l("Circulation modes in the trusted data space"), choices=[])
    registration_no = StringField(_l("Data-asset registration certificate no."),
                                  validators=[Optional(), Length(max=80)])
    formats = StringField(_l("Formats"), validators=[Optional(), Length(max=200)],
                          description=_l("e.g. CSV, XLSX, JSON"))
    has_api = BooleanField(_l("Available through an API"))
    data_updated_on = DateField(_l("Data last updated on"), validators=[Optional()])
    is_public = BooleanField(_l("Public: visible to anonymous visitors and in the open catalogue"))
    schema_fields = FieldList(FormField(SchemaFieldRow), min_entries=0, max_entries=300)
    column_list = TextAreaField(_l("Paste a column list"), validators=[Optional(), Length(max=60000)],
                                description=_l("Copy the name, type and description columns from a spreadsheet "
                                               "(one field per line); they are added to the table."))
    sample_csv = TextAreaField(_l("Sample rows (CSV)"), validators=[Optional(), Length(max=4000)],
                               description=_l("Optional: a header line and a few illustrative rows."))
    submit = SubmitField(_l("Save"))

    FIELDS = ("code", "title", "description", "keywords", "domain", "department", "contact_name", "contact_email",
              "contact_phone", "frequency", "record_count", "size_mb", "temporal_start", "temporal_end",
              "spatial_coverage", "openness", "licence", "usage_conditions", "circulation_modes", "registration_no",
              "formats", "has_api", "data_updated_on", "is_public", "sample_csv")

    def values(self) -> dict:
        from .services import parse_column_list
        data = {name: getattr(self, name).data for name in self.FIELDS}
        if data["size_mb"] is not None:
            data["size_mb"] = float(data["size_mb"])
        rows = [dict(row) for row in self.schema_fields.data]
        data["schema_fields"] = rows + parse_column_list(self.column_list.data or "")
        return data


class RetireForm(FlaskForm):
    submit = SubmitField(_l("Retire the entry"))
