"""How audit rows read: each domain names its audited models and their fields in words,
and says how stored values read (vocabulary codes as labels, ids as names). The
history under an entry and the secretariat's audit log both go through here, in the
reader's language; times are shown in Beijing time by the templates."""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _

from consortium.core.entity import Choice, column, described
from consortium.core.naming import named
from consortium.core.signals import declarations
from consortium.core.vocab import Vocabulary
from consortium.extensions import db

from .signals import model_labels

SYSTEM_LABELS = {"", "system"}


@dataclass(frozen=True)
class ModelLabels:
    name: str                                       # the model's class name, as audit rows store it
    label: object                                   # lazy string: 数据资源 / Resource-map entry
    fields: dict = field(default_factory=dict)      # column -> lazy label
    values: dict = field(default_factory=dict)      # column -> callable(value) -> str


@dataclass(frozen=True)
class MoreValues:
    """Formatters for another domain's model (a higher domain knows how its ids read)."""
    name: str
    values: dict


def _by_name(declared: list) -> dict[str, ModelLabels]:
    models = {d.name: ModelLabels(d.name, d.label, dict(d.fields), dict(d.values))
              for d in declared if isinstance(d, ModelLabels)}
    for more in declared:
        if isinstance(more, MoreValues) and more.name in models:
            models[more.name].values.update(more.values)
    return models


def _models() -> dict[str, ModelLabels]:
    return declarations(model_labels, _by_name)


def is_registered(name: str) -> bool:
    return name in _models()


def model_label(name: str) -> str:
    entry = _models().get(name)
    return str(entry.label) if entry else name


def model_choices() -> list[tuple[str, str]]:
    return sorted(((name, str(m.label)) for name, m in _models().items()), key=lambda x: x[1])


def field_label(model: str, key: str) -> str:
    entry = _models().get(model)
    label = entry.fields.get(key) if entry else None
    return str(label) if label is not None else key


def value_label(model: str, key: str, value) -> str:
    if value is None or value == "":
        return "—"
    entry = _models().get(model)
    fmt = entry.values.get(key) if entry else None
    if fmt is not None:
        try:
            return str(fmt(value))
        except Exception:  # a value the formatter does not know (an old code): show it as stored
            return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple, dict)):  # a stored document: its values, never its JSON
        return _readable(value)
    if isinstance(value, str) and len(value) >= 19 and value[10] == "T":  # a stored datetime (UTC)
        try:
            return format_datetime(datetime.fromisoformat(value), "yyyy-MM-dd HH:mm")
        except ValueError:
            return value
    return str(value)


def _readable(value) -> str:
    """A list or document as a reader writes it: a list's items separated by 、 (, in English), a
    record's values by · (a field list reads “credit_code · string · 统一社会信用代码”), never
    braces, quotes or keys."""
    comma = ", " if str(get_locale()) == "en" else "、"
    if isinstance(value, dict):
        return " · ".join(_readable(v) for v in value.values() if v not in (None, "", [], {}))
    if isinstance(value, (list, tuple)):
        separator = "; " if any(isinstance(v, (dict, list, tuple)) for v in value) else comma
        return separator.join(_readable(v) for v in value) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def vocabulary(mapping) -> Callable:
    """A formatter for a code → label mapping or a ``core.vocab.Vocabulary`` (its label in the
    reader's language)."""
    def fmt(value):
        if isinstance(mapping, Vocabulary):
            return mapping.label(value, str(get_locale()))
        return mapping.get(value, value)
    return fmt


def defined(definition) -> tuple[dict, dict]:
    """(field → label, field → value formatter) from an entity's definition (``core.entity``): a
    field a domain does not name itself reads with its definition's label and vocabulary. Keyed by
    the column each field is stored in, as audit rows are."""
    fields = described(definition)
    return ({column(name, f): f.label for name, f in fields.items()},
            {column(name, f): vocabulary(f.vocabulary) for name, f in fields.items() if isinstance(f, Choice)})


def name_of(model, attribute="name") -> Callable:
    """A formatter showing the name of the object an id points to (in the reader's language when
    it has one in each, ``display_name``)."""
    def fmt(value):
        obj = db.session.get(model, int(value))
        if obj is None:
            return f"#{value}"
        if attribute in getattr(obj, "bilingual_fields", ())[:1]:
            return named(obj)
        return f"{getattr(obj, attribute)}"
    return fmt


def actor_label(row) -> str:
    """Who acted, by name where known; the system in the reader's language."""
    if row.actor is not None:
        return row.actor.person_label
    return _("System") if row.actor_label in SYSTEM_LABELS else row.actor_label


def change_list(row) -> list[tuple[str, str, str]]:
    """(field label, before, after) of an audit row, in the reader's language."""
    out = []
    for key, pair in (row.changes or {}).items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        if row.action == "create" and after in (None, ""):
            continue
        if row.action == "delete" and before in (None, ""):
            continue
        out.append((field_label(row.object_type, key), value_label(row.object_type, key, before),
                    value_label(row.object_type, key, after)))
    return out
