"""What the tests of a definition (``tests/<domain>/test_definition.py``) do the same way for the
API: an answer's shape (``core.entity.output_schema``) is derived from the definition when the
app starts and bound to its routes, so a field added to a copy of the definition is shown by the
shape derived from that copy — the same answer, plus the new fields."""
from marshmallow import EXCLUDE
from marshmallow.experimental.context import Context

from consortium.core import entity


def answer_with(definition, out, obj, context=None) -> dict:
    """``obj`` dumped with ``out`` (an API answer's schema) derived again from ``definition``;
    checks the answer is ``out``'s own plus the fields ``definition`` adds. ``context``: what
    the view puts in ``core.api.answer_context``."""
    extra = {n: f for n, f in out._declared_fields.items() if not isinstance(f, entity.Written)}
    hidden = tuple(getattr(definition, "json_hidden", ())) + tuple(getattr(out.Meta, "exclude", ()))
    extended = entity.output_schema(definition, f"{out.__name__}Extended", extra, exclude=hidden)
    with Context(context or {}):
        shown, before = extended().dump(obj), out().dump(obj)
    added = set(shown) - set(before)
    assert added and added <= set(entity.described(definition)), added
    assert {k: v for k, v in shown.items() if k not in added} == before
    return shown


def body_with(definition, body, data: dict, *, creating=False) -> dict:
    """``data`` loaded with ``body`` (an API body's schema) derived again from ``definition``
    (a ``ValidationError`` naming the field when refused), as the view receives it."""
    extra = {n: f for n, f in body._declared_fields.items() if not isinstance(f, entity.Described)}
    extended = entity.input_schema(definition, f"{body.__name__}Extended", extra, creating,
                                   ignore_unknown=body.opts.unknown == EXCLUDE)
    return extended().load(data)
