"""What every HTML form does with a rule a service refused, and fields every form may use."""
from flask import abort, flash
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from wtforms import DateField, Field, HiddenField, IntegerField, SelectMultipleField, widgets
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from consortium.core.amounts import parse_decimal
from consortium.core.exceptions import Conflict, DomainError, PermissionDenied
from consortium.core.locking import conflict_message
from consortium.extensions import db

def _form_field(form, name):
    field = getattr(form, name, None) if name else None
    return None if field is None or not hasattr(field, "errors") or name in ("submit", "version") else field


def show_error(form, error: DomainError) -> None:
    """Put the refused rule's message on its field, or flash it when no field of the
    form matches (or it concerns the whole form); a refused permission is a 403. A load that
    refused several fields (``core.exceptions.FieldErrors``) puts each message on its field."""
    if isinstance(error, PermissionDenied):
        abort(403)
    field = _form_field(form, error.field)
    if field is None:
        flash(error.message, "danger")
    else:
        field.errors = list(field.errors) + [error.message]
    for name, message in getattr(error, "errors", {}).items():
        if name != error.field and (other := _form_field(form, name)) is not None:
            other.errors = list(other.errors) + [message]


def save_form(form, action):
    """For a valid submitted form: run ``action`` (the service call), commit and return
    its result (True when it returns nothing). A refused rule is rolled back and shown
    on the form, and None is returned: nothing was saved."""
    if not form.validate_on_submit():
        return None

    try:
        result = action()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return None
    except StaleDataError:  # changed between our read and our UPDATE (the version column)
        db.session.rollback()
        show_error(form, Conflict(conflict_message(), field="version"))
        return None
    return True if result is None else result


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class WrittenNumberField(Field):
    """A number as people write it (``consortium.core.amounts.parse_decimal``: ``50万``, ``1.2亿``,
    ``５０万``, ``12,000``), in a text box (a browser's number box refuses 万); with ``whole`` an int
    (``1.5万`` is 15000, ``12.5`` is refused), otherwise a finite Decimal. Empty is None."""
    widget = widgets.TextInput()

    def __init__(self, label=None, validators=None, *, whole=False, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric" if whole else "decimal"})
        super().__init__(label, validators, **kwargs)
        self.whole = whole

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def pre_validate(self, form):
        if self.process_errors:  # unreadable: that one message, not a range error about nothing
            raise StopValidation()

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "") or ""
        self.data = None
        if not text.strip():
            return
        try:
            value = parse_decimal(text)
        except ValueError:
            raise ValueError(_l("Not a number: write it as 120000, 12万, 1.2亿 or 12,000.")) from None
        if not value.is_finite():
            raise ValueError(_l("Enter a finite number."))
        if self.whole:
            if value != value.to_integral_value():
                raise ValueError(_l("Enter a whole number (%(value)s is not one).", value=text.strip()[:40]))
            value = int(value)
        self.data = value


class _BlankIsNone:
    """An input left empty is None, not a coercion error: whether it may be empty is the
    definition's rule, which the service's load applies."""

    def process_formdata(self, valuelist):
        if valuelist and not "".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class DayField(_BlankIsNone, DateField):
    """A date input (YYYY-MM-DD); empty is None."""


class WholeField(_BlankIsNone, IntegerField):
    """A number input of a whole number; empty is None."""


class VersionField(HiddenField):
    """The version a form was opened at (optimistic locking). A plain field falls back to
    the edited object's *current* version when the post lacks it, which would turn the
    check off; this one is None then, and the service refuses the save."""

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None and self.name not in formdata:
            self.data = None
