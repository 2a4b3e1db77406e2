from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from consortium.core.entity import described, form_fields
from consortium.core.forms import VersionField

from .schemas import MemberFields


class _MemberFormBase(FlaskForm):
    """What the member form has beyond the definition's fields (``schemas.MemberFields``): the
    lock, the city (a choice among the reference cities, filled in by the view) and the button."""

    version = VersionField()  # optimistic locking: the version the form was opened at

    def values(self) -> dict:
        """The defined fields the form holds (``code`` only on admission), as the services take them."""
        return {name: self[name].data for name in described(MemberFields) if name in self}


# Input shape only; the rules (vocabularies, unique name and code, levels) live in services.
# Built in the order people read it: the city after the level, the button last.
_BEFORE_CITY = form_fields(MemberFields, exclude=("joined_on", "website", "description"))
_CITY = SelectField(_l("City"), validators=[DataRequired()], choices=[])
MemberForm = type("MemberForm", (_MemberFormBase,), {
    **_BEFORE_CITY, "city": _CITY, **form_fields(MemberFields, exclude=tuple(_BEFORE_CITY)),
    "submit": SubmitField(_l("Save"))})


class SuspendForm(FlaskForm):
    reason = TextAreaField(_l("Reason (shown to the member's users when they try to sign in)"),
                           validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Suspend the member"))
