"""The kernel's field kinds beyond the resource map's use: a plain code in JSON, a required day,
extra form checks on a text."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema
from wtforms.validators import URL

from consortium.core.entity import Choice, Day, Text, form_fields, input_schema, output_schema, to_json
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
    out = output_schema(Thing, "ThingOut", {})._declared_fields
    assert type(out["kind"]).__name__ == "String"
    assert type(out["coded"]).__name__ == "Nested"


def test_required_day_and_extra_checks_reach_the_form(app):
    from flask_wtf import FlaskForm
    with app.test_request_context(method="POST", data={"kind": "company", "coded": "company",
                                                       "joined_on": "", "website": "不是网址"}):
        app.config["WTF_CSRF_ENABLED"] = False
        try:
            form = type("ThingForm", (FlaskForm,), form_fields(Thing))()
            assert not form.validate()
        finally:
            app.config["WTF_CSRF_ENABLED"] = True
        assert "joined_on" in form.errors and "website" in form.errors
        assert "kind" not in form.errors


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
