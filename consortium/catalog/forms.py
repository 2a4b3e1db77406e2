from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from consortium.core.entity import described, form_fields, sections
from consortium.core.forms import VersionField

from .constants import FIELD_TYPES
from .constants import SECTIONS as SECTION_LABELS
from .field_list import SCHEMA_MAX_FIELDS, parse_column_list
from .schemas import ResourceFields

BLANK_FIELD_ROWS = 3  # empty rows offered below the field list


class SchemaFieldRow(Form):
    """One row of the field list table (no CSRF of its own: it lives inside ResourceForm)."""

    name = StringField(_l("Field name"), validators=[Optional(), Length(max=100)])
    type = SelectField(_l("Type"), choices=[SelectChoice(t, t) for t in FIELD_TYPES], default="string", validate_choice=False)
    description = StringField(_l("Field description"), validators=[Optional(), Length(max=500)])


class _ResourceFormBase(FlaskForm):
    """What the entry form has beyond the definition's fields: the lock, the owner (for the
    secretariat), the field-list table and the pasted column list."""

    version = VersionField()  # optimistic locking: the version the form was opened at
    member = SelectField(_l("Owning member"), choices=[])
    schema_fields = FieldList(FormField(SchemaFieldRow), min_entries=0, max_entries=SCHEMA_MAX_FIELDS)
    column_list = TextAreaField(_l("Paste a column list"), validators=[Optional(), Length(max=60000)],
                                description=_l("Copy the name, type and description columns from a spreadsheet "
                                               "(one field per line); they are added to the table."))
    submit = SubmitField(_l("Save"))

    FIELDS = tuple(name for name in described(ResourceFields) if name != "schema_fields")
    SECTIONS = sections(ResourceFields)  # section → [(field, width)], laid out by catalog/form.html
    SECTION_TITLES = SECTION_LABELS

    def values(self) -> dict:
        data = {name: getattr(self, name).data for name in self.FIELDS}
        for name in self.FIELDS:
            if isinstance(data[name], Decimal):
                data[name] = float(data[name])
        rows = [dict(row) for row in self.schema_fields.data]
        data["schema_fields"] = rows + parse_column_list(self.column_list.data or "")
        return data


# Input shape only; the rules (vocabularies, unique code, dates) live in services.
ResourceForm = type("ResourceForm", (_ResourceFormBase,), form_fields(ResourceFields, exclude=("schema_fields",)))


class RetireForm(FlaskForm):
    submit = SubmitField(_l("Retire the entry"))
