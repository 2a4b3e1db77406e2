from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from consortium.core.entity import form_class
from consortium.core.forms import VersionField

from .schemas import MemberFields


class _MemberFormBase(FlaskForm):
    """What the member form has beyond the definition's fields (``schemas.MemberFields``): the
    lock, the city (a choice among the reference cities, set by the view) and the button."""

    version = VersionField()  # optimistic locking: the version the form was opened at
    city = SelectField(_l("City"), validators=[DataRequired()], choices=[])
    submit = SubmitField(_l("Save"))


# Input shape only; the rules (vocabularies, unique name and code, levels) live in services.
# ``form.values()`` gives the defined fields it holds (``code`` only on admission).
MemberForm = form_class("MemberForm", _MemberFormBase, MemberFields, place=(("version", None), ("city", "level")))


class SuspendForm(FlaskForm):
    reason = TextAreaField(_l("Reason (shown to the member's users when they try to sign in)"),
                           validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Suspend the member"))
