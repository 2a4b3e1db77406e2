"""Input shapes; the rules (checksums, dates, uniqueness, permissions) live in services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from consortium.core.forms import CheckboxesField


class BodyForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("Lower-case Latin letters, digits and hyphens; used in links and the API."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=160)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=40)],
                       description=_l("A prefecture-level city, e.g. 青岛 or 湖州."))
    member = SelectField(_l("Operating member"), choices=[])
    register_url = StringField(_l("Address of its public register"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Save"))


class CertificateForm(FlaskForm):
    body = SelectField(_l("Issuing body"), choices=[])
    number = StringField(_l("Certificate number"), validators=[DataRequired(), Length(max=60)])
    holder_name = StringField(_l("Holder enterprise"), validators=[DataRequired(), Length(max=200)])
    holder_uscc = StringField(_l("Unified social credit code"), validators=[DataRequired(), Length(max=40)],
                              description=_l("18 characters; the last one is a check digit (GB 32100-2015)."))
    product_name = StringField(_l("Data product"), validators=[DataRequired(), Length(max=200)])
    issued_on = DateField(_l("Issued on"), validators=[DataRequired()])
    valid_until = DateField(_l("Valid until"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[])
    status_changed_on = DateField(_l("Cancelled or revoked on"), validators=[Optional()])
    status_reason = StringField(_l("Reason"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Save"))

    FIELDS = ("number", "holder_name", "holder_uscc", "product_name", "issued_on", "valid_until", "status",
              "status_changed_on", "status_reason")

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in self.FIELDS}


class RecognitionForm(FlaskForm):
    recognising_body = SelectField(_l("Recognising body"), choices=[],
                                   description=_l("The body that accepts the other's certificates."))
    issuing_body = SelectField(_l("Issuing body"), choices=[],
                               description=_l("The body whose certificates are accepted."))
    mutual = BooleanField(_l("Mutual: each accepts the other's certificates"))
    effective_from = DateField(_l("In force from"), validators=[DataRequired()])
    document_ref = StringField(_l("Document reference"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Save"))


class RecognitionChangeForm(FlaskForm):
    """Suspend, resume or revoke: a date and a reason."""
    on = DateField(_l("Date"), validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Save"))


class SpaceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("English name"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[])
    operator = SelectField(_l("Operating member"), choices=[])
    city = StringField(_l("City"), validators=[Optional(), Length(max=40)])
    domains = CheckboxesField(_l("Domains served"), choices=[])
    circulation_modes = CheckboxesField(_l("Circulation modes supported"), choices=[])
    status = SelectField(_l("Status"), choices=[])
    launched_on = DateField(_l("Launched on"), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))
