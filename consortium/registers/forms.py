"""The registers' forms, generated from the entities' definitions (``schemas``): each base form
holds only what a definition does not — the references offered as runtime choices (a city by
name, the operating member, the issuing body, the agreement's bodies) and the button. The rules
(checksums, dates, uniqueness, permissions) live in services."""
import copy

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, Length, Optional

from consortium.core.entity import described, form_fields

from .schemas import BodyFields, CertificateFields, RecognitionChangeFields, RecognitionFields, SpaceFields


def laid_out(name: str, base: type[FlaskForm], definition, *, place=(), exclude=()) -> type[FlaskForm]:
    """The form class ``name``: the definition's fields (``form_fields``) on ``base``, laid out
    (WTForms renders fields in the order they were created) in the definition's order, with each
    base field named in ``place`` — pairs (field, after which field; None: first) — put there
    and the base's other fields (the button) last."""
    generated = form_fields(definition, exclude=exclude)
    own = {n: f for n in dir(base) if isinstance(f := getattr(base, n), UnboundField)}
    order = list(generated)
    for field, after in place:
        order.insert(0 if after is None else order.index(after) + 1, field)
    order += sorted((n for n in own if n not in order), key=lambda n: own[n].creation_counter)
    body = {}
    for position, field_name in enumerate(order):
        body[field_name] = copy.copy(generated.get(field_name) or own[field_name])
        body[field_name].creation_counter = position
    form = type(name, (base,), body)
    form.FIELDS = tuple(n for n in described(definition) if n not in exclude)
    return form


class _Values:
    FIELDS: tuple = ()

    def values(self) -> dict:
        """The definition's fields as typed, for the services."""
        return {name: getattr(self, name).data for name in self.FIELDS if name in self}


class _BodyBase(_Values, FlaskForm):
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=40)],
                       description=_l("A prefecture-level city, e.g. 青岛 or 湖州."))
    member = SelectField(_l("Operating member"), choices=[])
    submit = SubmitField(_l("Save"))


class _CertificateBase(_Values, FlaskForm):
    body = SelectField(_l("Issuing body"), choices=[])
    submit = SubmitField(_l("Save"))


class _RecognitionBase(_Values, FlaskForm):
    recognising_body = SelectField(_l("Recognising body"), choices=[],
                                   description=_l("The body that accepts the other's certificates."))
    issuing_body = SelectField(_l("Issuing body"), choices=[],
                               description=_l("The body whose certificates are accepted."))
    submit = SubmitField(_l("Save"))


class _ChangeBase(_Values, FlaskForm):
    """Suspend, resume or revoke: a date and a reason."""
    submit = SubmitField(_l("Save"))


class _SpaceBase(_Values, FlaskForm):
    operator = SelectField(_l("Operating member"), choices=[])
    city = StringField(_l("City"), validators=[Optional(), Length(max=40)])
    submit = SubmitField(_l("Save"))


BodyForm = laid_out("BodyForm", _BodyBase, BodyFields, place=[("city", "name_en"), ("member", "city")])
CertificateForm = laid_out("CertificateForm", _CertificateBase, CertificateFields, place=[("body", None)])
RecognitionForm = laid_out("RecognitionForm", _RecognitionBase, RecognitionFields,
                           place=[("recognising_body", None), ("issuing_body", "recognising_body")])
RecognitionChangeForm = laid_out("RecognitionChangeForm", _ChangeBase, RecognitionChangeFields)
SpaceForm = laid_out("SpaceForm", _SpaceBase, SpaceFields, place=[("operator", "kind"), ("city", "operator")])
