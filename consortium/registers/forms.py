"""The registers' forms, generated from the entities' definitions (``schemas``): each base form
holds only what a definition does not — the references offered as runtime choices (a city from
the city picker, the operating member, the issuing body, the agreement's bodies) and the button. The rules
(checksums, dates, uniqueness, permissions) live in services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import DataRequired, Optional

from consortium.core.entity import form_class

from .schemas import BodyFields, CertificateFields, RecognitionChangeFields, RecognitionFields, SpaceFields


class _BodyBase(FlaskForm):
    city = SelectField(_l("City"), validators=[DataRequired()], choices=[])  # the city picker (geo.pickers)
    member = SelectField(_l("Operating member"), choices=[])
    submit = SubmitField(_l("Save"))


class _CertificateBase(FlaskForm):
    body = SelectField(_l("Issuing body"), choices=[])
    submit = SubmitField(_l("Save"))


class _RecognitionBase(FlaskForm):
    recognising_body = SelectField(_l("Recognising body"), choices=[],
                                   description=_l("The body that accepts the other's certificates."))
    issuing_body = SelectField(_l("Issuing body"), choices=[],
                               description=_l("The body whose certificates are accepted."))
    submit = SubmitField(_l("Save"))


class _ChangeBase(FlaskForm):
    """Suspend, resume or revoke: a date and a reason."""
    submit = SubmitField(_l("Save"))


class _SpaceBase(FlaskForm):
    operator = SelectField(_l("Operating member"), choices=[])
    city = SelectField(_l("City"), validators=[Optional()], choices=[])
    submit = SubmitField(_l("Save"))


# laid out in the definition's order, the base's selects placed among them (core.entity.form_class)
BodyForm = form_class("BodyForm", _BodyBase, BodyFields, place=[("city", "name_en"), ("member", "city")])
CertificateForm = form_class("CertificateForm", _CertificateBase, CertificateFields, place=[("body", None)])
RecognitionForm = form_class("RecognitionForm", _RecognitionBase, RecognitionFields,
                             place=[("recognising_body", None), ("issuing_body", "recognising_body")])
RecognitionChangeForm = form_class("RecognitionChangeForm", _ChangeBase, RecognitionChangeFields)
SpaceForm = form_class("SpaceForm", _SpaceBase, SpaceFields, place=[("operator", "kind"), ("city", "operator")])
