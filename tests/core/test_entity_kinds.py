"""The kernel's field kinds beyond the resource map's use: a plain code in JSON, a required day,
extra form checks on a text."""
from datetime import date

import pytest
from flask_babel import lazy_gettext as _l
from marshmallow import Schema
from wtforms.validators import URL

from consortium.core.entity import (
    Choice,
    Day,
    Email,
    Text,
    clean_values,
    form_fields,
    input_schema,
    output_schema,
    taken,
    to_json,
)
from consortium.core.exceptions import DomainError
from consortium.core.vocab import Term, Vocabulary

KINDS = Vocabulary("kinds", [Term("data_group", "数据集团", _l("Data group")),
                             Term("company", "企业", _l("Company"))])


class Thing(Schema):
    kind = Choice(KINDS, plain=True, label=_l("Kind"))
    coded = Choice(KINDS, label=_l("Kind"))
    joined_on = Day(required=True, label=_l("Joined on"))
    website = Text(200, label=_l("Website"), checks=[URL()])


class _Obj:
    kind = coded = "data_group"
    joined_on = None
    website = ""


def test_plain_choice_is_the_code_alone_in_json_and_its_description(app):
    with app.test_request_context():
        data = to_json(Thing, _Obj(), "zh_CN")
    assert data["kind"] == "data_group"
    assert data["coded"] == {"code": "data_group", "label": "数据集团"}
    out = output_schema(Thing, "ThingOut", {})._declared_fields  # each ``Written``, described as its shape
    assert type(out["kind"].shape).__name__ == "String"
    assert type(out["coded"].shape).__name__ == "Nested"


def test_required_day_is_the_loads_rule_and_extra_checks_reach_the_form(app):
    """The form hints that the day is required (its input's ``required``) and the load refuses it
    left empty; a form-only extra check (``checks``) stays the form's."""
    from flask_wtf import FlaskForm
    with app.test_request_context(method="POST", data={"kind": "company", "coded": "company",
                                                       "joined_on": "", "website": "不是网址"}):
        app.config["WTF_CSRF_ENABLED"] = False
        try:
            form = type("ThingForm", (FlaskForm,), form_fields(Thing))()
            assert not form.validate()
        finally:
            app.config["WTF_CSRF_ENABLED"] = True
        assert "website" in form.errors and "joined_on" not in form.errors and "kind" not in form.errors
        assert form.joined_on.render_kw == {"required": True} and 'required' in form.joined_on()
        with pytest.raises(DomainError) as err:
            clean_values(Thing, {"kind": form.kind.data, "joined_on": form.joined_on.data})
        assert err.value.field == "joined_on"


def test_a_json_day_is_read_by_the_one_date_rule(app):
    from marshmallow import ValidationError
    body = input_schema(Thing, "ThingBody", {})
    with app.test_request_context():
        assert body().load({"joined_on": "2025-10-01"})["joined_on"].isoformat() == "2025-10-01"
        for loose in ("20251001", "2025-W40-3", "2025-13-01"):
            try:
                body().load({"joined_on": loose})
            except ValidationError as e:
                assert "joined_on" in e.messages
            else:
                raise AssertionError(f"{loose} was accepted")


class Note(Schema):
    title = Text(20, required=True, label=_l("Title"))
    kind = Choice(KINDS, label=_l("Kind"))
    contact = Email(label=_l("E-mail"))
    body = Text(100, label=_l("Body"), multiline=True)


def test_clean_values_checks_in_the_definitions_order_with_each_fields_own_wording(app):
    """One way to clean what people wrote: the definition's order (the first wrong field is the
    first on the form), a required field refused when given empty, and when creating when left
    out, with a field's own message when the service gives one."""
    with app.test_request_context("/?lang=zh_CN"):
        # two wrong fields: the one the definition puts first is named, whatever the order given
        with pytest.raises(DomainError) as err:
            clean_values(Note, {"kind": "planet", "title": "长" * 21})
        assert err.value.field == "title" and "20" in err.value.message
        # a required field given empty is refused on an update too; left out, only when creating
        with pytest.raises(DomainError) as err:
            clean_values(Note, {"title": "  "})
        assert err.value.field == "title" and err.value.message == "此项为必填项。"
        assert clean_values(Note, {"body": " 正文 "}) == {"body": "正文"}
        with pytest.raises(DomainError) as err:
            clean_values(Note, {"body": "正文"}, creating=True, messages={"title": "请填写标题。"})
        assert (err.value.field, err.value.message) == ("title", "请填写标题。")
        # ``required`` makes an optional field required for this call; ``special`` reads a field itself
        with pytest.raises(DomainError) as err:
            clean_values(Note, {"title": "标题", "body": ""}, required=("body",))
        assert err.value.field == "body"
        assert clean_values(Note, {"title": "标题", "kind": "企业"}, special={"kind": lambda v: "company"}) == {
            "title": "标题", "kind": "company"}
        # a key the definition does not hold is refused, never stored silently
        with pytest.raises(DomainError) as err:
            clean_values(Note, {"title": "标题", "colour": "red"})
        assert err.value.field == "colour"
        # the e-mail rule is the one rule, and the address is normalised
        assert clean_values(Note, {"contact": " Li@Example.ORG "})["contact"].endswith("@example.org")
        with pytest.raises(DomainError) as err:
            clean_values(Note, {"contact": "li at example"})
        assert err.value.field == "contact"


def test_taken_picks_the_definitions_fields_and_leaves_the_rest():
    values = {"title": "标题", "member": object(), "kind": "company"}
    assert taken(Note, values) == {"title": "标题", "kind": "company", "contact": None, "body": None}
    assert taken(Note, values, only=("title",)) == {"title": "标题"}
    assert taken(Note, values, skip=("body", "contact")) == {"title": "标题", "kind": "company"}


def test_an_email_field_is_an_email_input_and_a_long_text_a_text_area(app):
    from wtforms import EmailField, StringField, TextAreaField
    with app.test_request_context():
        made = form_fields(Note)
    assert made["contact"].field_class is EmailField
    assert made["title"].field_class is StringField and made["body"].field_class is TextAreaField


class Answer(Schema):
    """A definition whose ``note`` is stored in the row's ``decision_note`` column."""
    decided_on = Day(label=_l("Decided on"))
    note = Text(100, attribute="decision_note", label=_l("Reason"))


def test_a_definition_names_the_column_a_field_is_stored_in(app):
    from types import SimpleNamespace

    from consortium.audit.labels import defined
    from consortium.core.entity import more_fields, row_values
    clean = clean_values(Answer, {"note": " 同意 ", "decided_on": "2025-10-01"})
    assert clean == {"decided_on": date(2025, 10, 1), "note": "同意"}  # named as given
    assert row_values(Answer, clean) == {"decided_on": clean["decided_on"], "decision_note": "同意"}
    row = SimpleNamespace(decided_on=None, decision_note="附条件同意")
    with app.test_request_context("/?lang=zh_CN"):
        assert to_json(Answer, row, "zh_CN") == {"decided_on": None, "note": "附条件同意"}
        assert more_fields(Answer, row, set(), "zh_CN") == [("理由", "附条件同意")]
    assert set(defined(Answer)[0]) == {"decided_on", "decision_note"}  # audit rows are keyed by column
    # a JSON body keeps the field's own name (what the services take), not the column's
    assert input_schema(Answer, "AnswerBody", {})().load({"note": "同意"}) == {"note": "同意"}


def test_carried_reads_only_the_defined_fields_a_body_sends_and_clean_every_empties_the_rest(app):
    from consortium.core.entity import carried, clean_every
    body = {"title": "标题", "body": None, "colour": "red"}
    assert carried(Note, body) == {"title": "标题", "body": None}
    assert carried(Note, body, skip=("body",)) == {"title": "标题"}
    assert carried(Note, body, only=("body", "kind")) == {"body": None}
    with app.test_request_context("/?lang=zh_CN"):
        assert clean_every(Note, {"title": " 标题 ", "kind": "company"}) == {
            "title": "标题", "kind": "company", "contact": "", "body": ""}
        with pytest.raises(DomainError) as err:
            clean_every(Note, {"body": "正文", "kind": "company"}, messages={"title": "请填写标题。"})
    assert (err.value.field, err.value.message) == ("title", "请填写标题。")
