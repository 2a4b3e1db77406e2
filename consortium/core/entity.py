"""An entity's definition: a marshmallow schema whose fields say, besides their type and limits,
how people see them (label, help, form section), which spreadsheet column carries them (Chinese
and English headers) and which vocabulary they draw from. Services validate with it, and the
form, the JSON API (input, output and its OpenAPI description), the spreadsheet import and export
read their columns from it.

Each field is declared once, on its model's column: ``mapped_column(String(200),
info=shown(_l("资源名称"), column=("资源名称", "Title"), section=WHAT, required=True))``. The
definition is made from the model with marshmallow-sqlalchemy (``definition``: an
``SQLAlchemyAutoSchema`` whose ``EntityConverter`` turns each column with ``shown`` info into a
field kind, choosing the kind by the column's type and the limit by its length), plus the few
fields that are not a column of the same name, which ``<domain>/schemas.py`` declares. Adding a
field touches the model, a migration and the translations, nothing else.

Each field kind is a marshmallow field: it reads a value in marshmallow's own hooks
(``_deserialize``, ``validate=``, ``required``), and that is the one validation path. A service
checks what it is given with ``clean_values``, marshmallow's ``load`` of the definition, whatever
the way in: a form (its generated fields give HTML hints, ``required`` or ``maxlength``, and check
no rule of the definition: the service's load refuses, ``core.forms.show_error`` puts the message
on the field), an API body (parsed by ``input_schema``'s copies of the same fields, strict about
JSON types, then loaded by the service) or an import (a cell read by the kind's ``from_cell``, the
in-house spreadsheet reader, then loaded). Each kind also knows how to write a spreadsheet cell
(``to_cell``), how to appear in JSON (``to_json``) and which WTForms field stands for it
(``form_field``)."""
import copy
import datetime
import decimal
import functools
import math
import re

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate
from marshmallow_sqlalchemy import ModelConverter, SQLAlchemyAutoSchema
from marshmallow_sqlalchemy.schema import SQLAlchemyAutoSchemaOpts
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.fields.core import UnboundField
from wtforms.validators import Optional

from .exceptions import DomainError, FieldErrors
from .amounts import parse_decimal
from .forms import CheckboxesField, DayField, WholeField, WrittenNumberField
from .spreadsheets import cell_date, cell_text
from .validation import Bounds, Code, Limit, clean_email, clean_web_address, finite_number, parse_date, ruled

TRUE_WORDS = {"是", "有", "公开", "y", "yes", "true", "1", "√", "✓", "on"}
FALSE_WORDS = {"否", "无", "不公开", "n", "no", "false", "0", "", "off"}
LIST_SPLIT = re.compile(r"[、,，;；/|\n]+")
# The one separator of every multi-valued cell a spreadsheet export writes (keywords, formats,
# circulation modes …), stated in the import template's notes; reading accepts LIST_SPLIT's too.
LIST_SEPARATOR = ","


def _zh(locale) -> bool:
    return str(locale).startswith("zh")


class Described:
    """What every kind of field carries beside marshmallow's type: label, help, column headers,
    form section and width. ``required`` means "required when created" (marshmallow's
    ``required``: a load that is not ``partial`` refuses the field left out), and never empty when
    given. A kind reads a value in its marshmallow hooks (``_deserialize``, ``validate=``): as a
    service is given it (a ``date``, an ``int``, a form's text, None for empty), or, in an API
    body's copy of the field (``input_schema`` sets ``json``), as JSON must type it."""

    json = False  # True in input_schema's copies: a JSON value of the wrong type is refused

    def _describe(self, label, column, section, help, width, required):
        self.label, self.column, self.section = label, column, section
        self.help, self.width, self.must = help, width, required
        self.required = required

    def make_error(self, key, **kwargs):
        if key == "required":
            return ValidationError(_("This field is required."))
        return super().make_error(key, **kwargs)

    def _validate_missing(self, value):
        if value is None and not self.json:
            return  # a service's empty value (``clean_every`` gives a left-out field so): the kind reads it
        super()._validate_missing(value)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        output = super().deserialize(value, attr, data, **kwargs)
        if self.must and output in (None, "", []):
            raise self.make_error("required")
        return output

    def _typed(self, value, attr, data, **kwargs):
        """In an API body, the value as marshmallow's own type reads it (the JSON type checked)."""
        return super()._deserialize(value, attr, data, **kwargs) if self.json else value

    # spreadsheets --------------------------------------------------------------
    def from_cell(self, value):
        """A cell's value, or ValueError with a message for the person who filled it in."""
        return cell_text(value)

    def to_cell(self, value, locale):
        return value

    # JSON ----------------------------------------------------------------------
    def to_json(self, value, locale):
        return value

    def out_field(self):
        return fields.String(required=True)

    def _hints(self, **more) -> dict:
        """The HTML hints of the field's input (``required``, ``maxlength`` …): the rules
        themselves are the load's (``clean_values``), not the form's."""
        return {"required": True, **more} if self.must else more


class Text(Described, fields.String):
    def __init__(self, max_length: int, *, label, column=None, section=None, help=None, width=6,
                 required=False, multiline=False, normalise=None, as_list=False, checks=(), **kw):
        super().__init__(validate=Limit(max=max_length), post_load=[self._normalised], **kw)
        self._describe(label, column, section, help, width, required)
        self.max_length, self.multiline, self.normalise, self.as_list = max_length, multiline, normalise, as_list
        self.checks = tuple(checks)  # extra WTForms validators for the form (e.g. URL())

    def _deserialize(self, value, attr, data, **kwargs):
        value = self._typed(value, attr, data, **kwargs)
        return "" if value is None else str(value).strip()

    def _normalised(self, value):
        return ruled(self.normalise, value, self.name) if (self.normalise and value) else value

    def to_cell(self, value, locale):
        if self.as_list:
            return LIST_SEPARATOR.join(self.to_json(value, locale))
        return value

    def to_json(self, value, locale):
        if self.as_list:
            return [part.strip() for part in (value or "").split(",") if part.strip()]
        return value

    def out_field(self):
        return fields.List(fields.String(), required=True) if self.as_list else fields.String(required=True)

    input_kind = StringField  # the WTForms field of a one-line value

    def form_field(self):
        kind = TextAreaField if self.multiline else self.input_kind
        checks = [Optional(), *self.checks] if self.checks else []  # a form-only extra check, of a written value
        return kind(self.label, validators=checks, description=self.help or "",
                    render_kw=self._hints(maxlength=self.max_length))


class Email(Text):
    """One e-mail address, checked and normalised the one way (``core.validation.clean_email``,
    whose message is clear), whatever the way in; an e-mail input in forms."""

    def __init__(self, max_length: int = 200, **kw):
        super().__init__(max_length, normalise=lambda value, name: clean_email(value, field=name), **kw)

    input_kind = EmailField


class Link(Text):
    """An absolute http(s) address (``core.validation.clean_web_address``); a URL input in forms."""

    def __init__(self, max_length: int = 500, **kw):
        super().__init__(max_length, normalise=lambda value, name: clean_web_address(value, field=name), **kw)
        self.metadata.setdefault("format", "uri")

    input_kind = URLField


class Choice(Described, fields.String):
    """One code of a ``core.vocab.Vocabulary``; ``blank`` names the empty choice when optional.
    In JSON a choice is ``{"code", "label"}``, or with ``plain=True`` the code alone."""

    def __init__(self, vocabulary, *, label, column=None, section=None, help=None, width=6, required=False,
                 blank=None, unknown=None, plain=False, **kw):
        self.unknown = unknown or _l("Unknown value: %(value)s")
        codes = list(vocabulary) + ([""] if blank is not None else [])
        super().__init__(validate=Code(codes, error=self.unknown), **kw)
        self._describe(label, column, section, help, width, required)
        self.vocabulary, self.blank, self.plain = vocabulary, blank, plain

    def _deserialize(self, value, attr, data, **kwargs):
        return self._typed(value, attr, data, **kwargs) or ""

    def from_cell(self, value):
        text = cell_text(value)
        if not text:
            return "" if self.blank is not None else None
        code = self.vocabulary.find(text)
        if code is None:
            raise ValueError(_("Unknown value “%(v)s”. Use one of: %(choices)s", v=text,
                               choices="、".join(self.vocabulary.chinese_labels())))
        return code

    def to_cell(self, value, locale):
        return self.vocabulary.label(value, locale) if value else ""

    def to_json(self, value, locale):
        if self.plain:
            return value
        if not value:
            return None
        return {"code": value, "label": self.vocabulary.label(value, locale)}

    def out_field(self):
        if self.plain:
            return fields.String(required=True)
        return fields.Nested(Coded, allow_none=self.blank is not None, required=True)

    def choices(self, locale):
        blank = [("", str(self.blank))] if self.blank is not None else []
        return blank + self.vocabulary.choices(locale)

    def form_field(self):
        # validate_choice off: a code the vocabulary lacks is the load's to refuse, in the field's words
        return SelectField(self.label, choices=lambda: self.choices(get_locale()), description=self.help or "",
                           validate_choice=False, render_kw=self._hints())


class Choices(Described, fields.List):
    """Several codes of one vocabulary (stored as a list or, through the model, a bit mask)."""

    def __init__(self, vocabulary, *, label, column=None, section=None, help=None, width=12, unknown=None, **kw):
        super().__init__(fields.String(validate=validate.OneOf(list(vocabulary))), **kw)
        self._describe(label, column, section, help, width, False)
        self.vocabulary = vocabulary
        self.unknown = unknown or _l("Unknown value: %(value)s")

    def _deserialize(self, value, attr, data, **kwargs):
        if self.json and not (isinstance(value, list) and all(isinstance(c, str) for c in value)):
            raise self.make_error("invalid")
        codes = [value] if isinstance(value, str) else list(value or [])
        unknown = [c for c in codes if c not in self.vocabulary]
        if unknown:
            raise ValidationError(str(self.unknown) % {"value": unknown[0]})
        return list(dict.fromkeys(codes))

    def from_cell(self, value):
        codes = []
        for part in LIST_SPLIT.split(cell_text(value)):
            if part.strip():
                code = self.vocabulary.find(part)
                if code is None:
                    raise ValueError(_("Unknown value “%(v)s”. Use one of: %(choices)s", v=part.strip(),
                                       choices="、".join(self.vocabulary.chinese_labels())))
                codes.append(code)
        return list(dict.fromkeys(codes))

    def to_cell(self, value, locale):
        return LIST_SEPARATOR.join(self.vocabulary.label(c, locale) for c in value or [])

    def to_json(self, value, locale):
        return [{"code": c, "label": self.vocabulary.label(c, locale)} for c in value or []]

    def out_field(self):
        return fields.List(fields.Nested(Coded), required=True)

    def form_field(self):
        return CheckboxesField(self.label, choices=lambda: self.vocabulary.choices(get_locale()),
                               description=self.help or "", validate_choice=False)


def _number_cell(value, whole: bool):
    """A number cell as people write it (12万, 1.2亿, ５０万, 12,000): the spreadsheet reader's part;
    the kind's load bounds it."""
    text = cell_text(value)
    if not text:
        return None
    try:
        written = parse_decimal(text)
        if isinstance(value, bool) or not written.is_finite() or (whole and written != written.to_integral_value()):
            raise ValueError(text)
    except ValueError:
        raise ValueError(_("Not a whole number: %(v)s", v=text[:40]) if whole else
                         _("Not a number: %(v)s", v=text[:40])) from None
    return int(written) if whole else float(written)


class WholeNumber(Described, fields.Integer):
    def __init__(self, *, label, column=None, section=None, help=None, width=4, maximum=10**15, **kw):
        super().__init__(strict=True, allow_none=True, validate=Bounds(min=0, max=maximum), **kw)
        self._describe(label, column, section, help, width, False)
        self.maximum = maximum

    def _deserialize(self, value, attr, data, **kwargs):
        """A whole number: an int, or text of one (a form's, a command's); in an API body an int."""
        return ruled(lambda v, name: finite_number(v, name, kind=int, minimum=None, maximum=None),
                     self._typed(value, attr, data, **kwargs))

    def from_cell(self, value):
        return _number_cell(value, whole=True)

    def out_field(self):
        return fields.Integer(allow_none=True, required=True)

    def form_field(self):
        return WrittenNumberField(self.label, whole=True, description=self.help or "",
                                  render_kw={"inputmode": "numeric", **self._hints()})


class Count(WholeNumber):
    """A whole number between ``minimum`` and ``maximum`` (thresholds, targets); ``required``
    here means always (the form pre-fills ``initial``)."""

    def __init__(self, *, label, minimum=1, maximum, required=False, initial=None, section=None, help=None,
                 width=4, **kw):
        fields.Integer.__init__(self, strict=True, allow_none=not required,
                                validate=Bounds(min=minimum, max=maximum), **kw)
        self._describe(label, None, section, help, width, required)
        self.minimum, self.maximum, self.initial = minimum, maximum, initial

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None or value == "":
            if self.must:
                raise ValidationError(_("A number is required."))
            return None
        return super()._deserialize(value, attr, data, **kwargs)

    def out_field(self):
        return fields.Integer(allow_none=not self.must, required=True)

    def form_field(self):
        return WholeField(self.label, default=self.initial, description=self.help or "",
                          render_kw=self._hints(min=self.minimum, max=self.maximum))


class Number(Described, fields.Float):
    def __init__(self, *, label, column=None, section=None, help=None, width=4, maximum=10**12, **kw):
        super().__init__(allow_nan=False, allow_none=True, validate=Bounds(min=0, max=maximum), **kw)
        self._describe(label, column, section, help, width, False)
        self.maximum = maximum

    def _deserialize(self, value, attr, data, **kwargs):
        return ruled(lambda v, name: finite_number(v, name, kind=float, minimum=None, maximum=None),
                     self._typed(value, attr, data, **kwargs))

    def from_cell(self, value):
        return _number_cell(value, whole=False)

    def to_cell(self, value, locale):
        return value if value is None or math.isfinite(value) else None  # never write inf/NaN

    def to_json(self, value, locale):
        return self.to_cell(value, locale)

    def out_field(self):
        return fields.Float(allow_none=True, required=True)

    def form_field(self):
        return WrittenNumberField(self.label, description=self.help or "",
                                  render_kw={"inputmode": "decimal", **self._hints()})


class Day(Described, fields.Date):
    def __init__(self, *, label, column=None, section=None, help=None, width=4, required=False, **kw):
        super().__init__(allow_none=True, **kw)
        self._describe(label, column, section, help, width, required)

    def _deserialize(self, value, attr, data, **kwargs):
        """A day by the one date rule: a ``date`` (a ``datetime``'s day) or YYYY-MM-DD only, not
        marshmallow's other ISO spellings such as 20251001 or 2025-W40-3."""
        return ruled(parse_date, value, attr or "date")

    def from_cell(self, value):
        try:
            return cell_date(value)
        except (TypeError, ValueError):
            raise ValueError(_("Not a date (use YYYY-MM-DD): %(v)s", v=cell_text(value)[:40])) from None

    def to_json(self, value, locale):
        return value.isoformat() if value else None

    def out_field(self):
        return fields.Date(allow_none=True, required=True)

    def form_field(self):
        return DayField(self.label, description=self.help or "", render_kw=self._hints())


class Flag(Described, fields.Boolean):
    def __init__(self, *, label, column=None, section=None, help=None, width=12, **kw):
        super().__init__(**kw)
        self._describe(label, column, section, help, width, False)

    def _deserialize(self, value, attr, data, **kwargs):
        """Yes or no: in an API body true or false only (not "yes", 1 or "是": the wrong JSON type
        is refused); from a service, a form's or a command's word (是, yes, on …) or any value's truth."""
        if self.json:
            if not isinstance(value, bool):
                raise self.make_error("invalid", input=value)
            return value
        if isinstance(value, str):
            return value.strip().lower() in TRUE_WORDS
        return bool(value)

    def from_cell(self, value):
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(_("Write 是 or 否: %(v)s", v=text[:40]))

    def to_cell(self, value, locale):
        return ("是" if value else "否") if _zh(locale) else ("yes" if value else "no")

    def out_field(self):
        return fields.Boolean(required=True)

    def form_field(self):
        return BooleanField(self.label, description=self.help or "")


# The model is the one declaration ---------------------------------------------------------------

SHOWN = "shown"  # the key of a column's ``info`` that says how people see it (``shown``)


def shown(label, *, part=None, key=None, kind=None, choices=None, **described) -> dict:
    """A column's ``info=``: the column is a field of its entity's definition, seen with this
    label (and ``column`` headers, ``section``, ``help``, ``width``, ``required`` …: the keywords of
    its kind). The kind and the limit come from the column itself (``EntityConverter``); ``choices``
    (a vocabulary) makes it a ``Choice``; ``kind`` names another one (``Email``, ``Link``,
    ``Choices`` or a domain's own). ``max_length`` is given only where the column has no length
    (``Text``) or the field takes another (a credit code typed with spaces, which are dropped).

    A model may have more than one definition (an application, and the decision recorded on
    it): ``part`` names the other definition the column belongs to, ``key`` the field's name there
    when it is not the column's; a column in several is shown in each (``shown(…) | shown(…,
    part=…)``)."""
    return {SHOWN if part is None else f"{SHOWN}:{part}": {
        "label": label, "key": key, "kind": kind, "choices": choices, **described}}


class EntityConverter(ModelConverter):
    """marshmallow-sqlalchemy's converter, turning the columns that carry ``shown`` info for the
    definition being made (only those: ids, keys and timestamps are no field people write) into the
    portal's field kinds: the column's Python type chooses the kind (text, whole number, number,
    day, flag), its length the limit."""

    @property
    def type_mapping(self):
        return {str: Text, int: WholeNumber, float: Number, decimal.Decimal: Number,
                datetime.date: Day, bool: Flag}

    def fields_for_model(self, model, *, fields=None, exclude=None, base_fields=None, dict_cls=dict, **kw):
        part = self.schema_cls.opts.part
        made = dict_cls()
        for column in model.__table__.columns:
            spec = column.info.get(SHOWN if part is None else f"{SHOWN}:{part}")
            name = spec and (spec["key"] or column.key)
            if spec and name not in (exclude or ()) and (not fields or name in fields):
                made[name] = (base_fields or {}).get(name) or self.column2field(column, spec=spec)
        return made

    def column2field(self, column, *, spec=None, **kw):
        spec = dict(spec or column.info[SHOWN])
        kind, choices = spec.pop("kind"), spec.pop("choices")
        if spec.pop("key"):
            spec["attribute"] = column.key  # stored in the column, named otherwise in the definition
        if choices is not None:
            return (kind or Choice)(choices, **spec)
        kind = kind or self._get_field_class_for_column(column)
        if not (isinstance(kind, type) and issubclass(kind, Described)):
            raise TypeError(f"{column}: no field kind for {column.type!r}; give shown(kind=…)")
        if issubclass(kind, Text):
            length, given = getattr(column.type, "length", None), spec.pop("max_length", None)
            if given is not None and given == length:
                raise TypeError(f"{column}: max_length {given} repeats the column's length")
            return kind(given or length, **spec)
        return kind(**spec)


class _DefinitionOpts(SQLAlchemyAutoSchemaOpts):
    def __init__(self, meta, *args, **kwargs):
        super().__init__(meta, *args, **kwargs)
        self.model_converter = getattr(meta, "model_converter", EntityConverter)
        self.part = getattr(meta, "part", None)


class Definition(SQLAlchemyAutoSchema):
    """An entity's definition made from its model (``definition``)."""
    OPTIONS_CLASS = _DefinitionOpts


def definition(model, name: str, *, part=None, extra=None, place=()) -> type[Schema]:
    """The definition ``name`` of ``model``: a field for each column with ``shown`` info (for
    ``part``: the other definition it names), in the model's order, plus ``extra``, the fields that
    are not columns (a form-only or derived field), each after the field ``place`` names (pairs:
    field, the field it follows, None for first) or else last."""
    extra = extra or {}
    made = type(name, (Definition,), {"Meta": type("Meta", (), {"model": model, "part": part}), **extra})
    generated = made._declared_fields
    order = [n for n in generated if n not in extra] + [n for n in extra if n not in dict(place)]
    for field, after in place:
        order.insert(0 if after is None else order.index(after) + 1, field)
    made._declared_fields = {n: generated[n] for n in order}
    return made


class Coded(Schema):
    """A vocabulary term in JSON: its code and its label in the reader's language."""
    code = fields.String(required=True)
    label = fields.String(required=True)


@functools.lru_cache(maxsize=None)
def described(schema) -> dict:
    """name → field, for the fields of an entity's definition, in declaration order (computed
    once per definition: the API writes it for every row; read it, never change it)."""
    return {name: f for name, f in schema._declared_fields.items() if isinstance(f, Described)}


def text_limits(schema) -> dict[str, int]:
    return {name: f.max_length for name, f in described(schema).items() if isinstance(f, Text)}


@functools.lru_cache(maxsize=None)
def _loader(schema, partial: bool, special: frozenset) -> Schema:
    """A schema of the definition's fields but ``special``, to load (one per definition and kind of
    load, made once: imports load tens of thousands of rows; a plain marshmallow schema, as
    marshmallow-sqlalchemy's ``load`` looks its own version up on every call)."""
    kept = {n: f for n, f in described(schema).items() if n not in special}
    return Schema.from_dict(kept, name=f"{schema.__name__}Load")(partial=partial, unknown=RAISE)


@functools.lru_cache(maxsize=None)
def _names(schema) -> dict:
    """Row attribute → field name, where a field is stored under another name (``column``)."""
    return {column(n, f): n for n, f in described(schema).items()}


def _first(messages) -> str:
    """The first message of a marshmallow error entry (a list, or a dict for a list's items)."""
    while not isinstance(messages, str):
        messages = next(iter(messages.values())) if isinstance(messages, dict) else messages[0]
    return messages


def clean_values(schema, data: dict, special=None, creating: bool = False, *, required=(), messages=None) -> dict:
    """Check and normalise any subset of the definition's fields: the one validation path of
    forms, API bodies and imports, marshmallow's ``load`` of the definition (``partial`` unless
    ``creating``: a field the definition marks required must then be given; a key it does not
    hold is refused). ``special`` maps a name to a cleaner for fields the kinds do not cover; a
    field named in ``required`` is required for this call; ``messages`` gives a field its own
    wording for "required". Refused fields raise ``FieldErrors``, whose own field is the first
    wrong one in the definition's order (the one people see first), with every other's message."""
    fields_ = described(schema)
    special, messages = special or {}, messages or {}
    try:
        loaded, errors = _loader(schema, not creating, frozenset(special)).load(
            {k: v for k, v in data.items() if k not in special}), {}
    except ValidationError as e:
        loaded, errors = e.valid_data or {}, {name: _first(text) for name, text in e.messages.items()}
    names = _names(schema)
    clean = {names.get(k, k): v for k, v in loaded.items()}
    refused = {key: _("This field cannot be changed.") for key in errors if key not in fields_}
    order = [*fields_, *(k for k in special if k not in fields_)] if errors or special or required else ()
    for name in order:  # refusals in the definition's order; this call's own rules
        if name in errors:
            missing = errors[name] == _("This field is required.")
            refused[name] = messages.get(name, errors[name]) if missing else errors[name]
            continue
        if name in special and name in data:
            try:
                clean[name] = special[name](data[name])
            except DomainError:
                if refused:
                    break  # an earlier field is the one people see first
                raise
        must = name in required or (name in special and name in fields_ and fields_[name].must)
        if not must or (name not in data and not creating):
            continue
        if clean.get(name) in (None, "", []):
            refused[name] = messages.get(name) or _("This field is required.")
    if refused:
        raise FieldErrors(refused, clean)
    return clean


def column(name: str, field) -> str:
    """The row attribute a field is stored in: its own name, or the one its definition gives
    with marshmallow's ``attribute`` (an answer's ``note`` kept in the row's ``decision_note``)."""
    return getattr(field, "attribute", None) or name


def row_values(schema, clean: dict) -> dict:
    """Cleaned values (``clean_values``) keyed by the row attributes their fields are stored in,
    for ``Row(**row_values(...))`` or a ``setattr`` loop: every defined field reaches the row."""
    fields_ = described(schema)
    return {column(name, fields_[name]) if name in fields_ else name: value for name, value in clean.items()}


def taken(schema, values: dict, *, only=None, skip=()) -> dict:
    """The definition's fields out of ``values`` (which may hold other keys: references the
    service reads itself), each present, None when not given; ``only`` and ``skip`` choose them."""
    return {name: values.get(name) for name in described(schema)
            if name not in skip and (only is None or name in only)}


def carried(schema, body: dict, *, only=None, skip=()) -> dict:
    """The definition's fields a body (a JSON request, a command's options) carries, under their
    own names; keys it does not define are not read. ``only`` and ``skip`` choose the fields."""
    return {name: body[name] for name in described(schema)
            if name in body and name not in skip and (only is None or name in only)}


def clean_every(schema, data: dict, special=None, **rules) -> dict:
    """Every field of the definition, cleaned by ``clean_values`` (``rules``: ``required``,
    ``messages``): one left out is written empty, so an answer given again replaces the last."""
    return clean_values(schema, taken(schema, data) | data, special, creating=True, **rules)


def columns(schema) -> list[tuple[str, str, str, bool]]:
    """The spreadsheet columns: (field, Chinese header, English header, required)."""
    return [(name, f.column[0], f.column[1], f.must) for name, f in described(schema).items() if f.column]


def form_fields(schema, exclude=(), adjust=None) -> dict:
    """WTForms fields for a form class body, in declaration order. ``adjust`` gives a field the
    wording of one form (``{"reason": {"label": …, "required": True}}``): its rules stay the
    definition's."""
    adjust = adjust or {}
    made = {}
    for name, f in described(schema).items():
        if name in exclude or not hasattr(f, "form_field"):
            continue
        if name in adjust:
            f = copy.copy(f)
            f.label = adjust[name].get("label", f.label)
            f.help = adjust[name].get("help", f.help)
            f.must = adjust[name].get("required", f.must)
        made[name] = f.form_field()
    return made


def sections(schema, exclude=()) -> dict[str, list[tuple[str, int]]]:
    """Form sections → [(field name, width in twelfths)], in declaration order."""
    out: dict[str, list] = {}
    for name, f in described(schema).items():
        if f.section and name not in exclude:
            out.setdefault(f.section, []).append((name, f.width))
    return out


def input_schema(schema, name: str, extra: dict, creating: bool = False, *, exclude=(),
                 ignore_unknown: bool = False) -> type[Schema]:
    """The JSON body a client may send: the definition's fields but ``exclude`` (with
    ``creating``, those the definition marks required become required) plus ``extra``. With
    ``ignore_unknown`` other keys are admitted and not read (``additionalProperties`` is then left
    open in the description), for views that read the defined fields by name."""
    body = {}
    for n, f in described(schema).items():
        if n in exclude:
            continue
        body[n] = copy.copy(f)
        body[n].required = bool(creating and f.must)
        body[n].json = True  # the kind reads the body as JSON types it (``Described``)
        body[n].attribute = None  # a body's fields keep their own names: the services take them so
    made = Schema.from_dict({**body, **extra}, name=name)
    if ignore_unknown:
        made.Meta.unknown = EXCLUDE  # from_dict gives each made schema a Meta of its own
        made.opts.unknown = EXCLUDE
    return made


class Written(fields.Field):
    """A defined field in an answer: dumped as the definition writes it in JSON (``to_json``, in
    the reader's language) from the row attribute it is stored in, and described as its
    ``out_field`` (its ``shape``: ``core.api.shaped_properties``)."""

    def __init__(self, defined, **kw):
        self.defined, self.shape = defined, defined.out_field()
        super().__init__(attribute=getattr(defined, "attribute", None), required=True, **kw)

    def _serialize(self, value, attr, obj, **kwargs):
        return self.defined.to_json(value, str(get_locale()))


def output_schema(schema, name: str, extra: dict, *, exclude=(), keys=None) -> type[Schema]:
    """The JSON shape of an entity: every described field but ``exclude`` as ``to_json`` writes
    it (``Written``), under another JSON key where ``keys`` says so, plus ``extra`` (ids, links,
    owners; an extra field replaces a defined one); its dump is the answer, its description the
    OpenAPI one."""
    keys = keys or {}
    body = {n: Written(f, data_key=keys.get(n)) for n, f in described(schema).items() if n not in exclude}
    return Schema.from_dict({**body, **extra}, name=name)


def to_json(schema, obj, locale) -> dict:
    return {name: f.to_json(getattr(obj, column(name, f)), locale) for name, f in described(schema).items()}


def form_class(name: str, base, schema, *, place=(), exclude=(), adjust=None):
    """The form class ``name``: ``base`` (which holds what the definition does not: buttons, the
    version lock, selects whose choices the view sets) with the definition's fields, laid out in
    the definition's order — WTForms renders fields in the order they were created, so each base
    field named in ``place`` (pairs: field, the field it follows, None for first) is put there and
    the base's other fields (the buttons) come last; ``adjust`` words a field for this form
    (``form_fields``). ``form.values()`` gives the definition's fields as typed, for the services."""
    generated = form_fields(schema, exclude=exclude, adjust=adjust)
    own = {n: f for n in dir(base) if isinstance(f := getattr(base, n), UnboundField)}
    order = list(generated)
    for field, after in place:
        order.insert(0 if after is None else order.index(after) + 1, field)
    order += sorted((n for n in own if n not in order), key=lambda n: own[n].creation_counter)
    body = {}
    for position, field_name in enumerate(order):
        body[field_name] = copy.copy(generated.get(field_name) or own[field_name])
        body[field_name].creation_counter = position
    body["FIELDS"] = tuple(n for n in described(schema) if n not in exclude)
    body["values"] = lambda self: {n: getattr(self, n).data for n in self.FIELDS if n in self}
    return type(name, (base,), body)


def more_fields(schema, obj, laid_out, locale) -> list[tuple[str, object]]:
    """The fields of ``obj``'s definition its page does not lay out itself and that hold a value,
    as (label, value as a spreadsheet shows it): a field added to a definition shows on the page
    without editing the template."""
    shown = []
    for name, field in described(schema).items():
        value = getattr(obj, column(name, field), None)
        if name not in laid_out and value not in (None, "", []):
            shown.append((str(field.label), field.to_cell(value, locale)))
    return shown
