"""A member's one definition (members.schemas.MemberFields) drives the services' rules, the member
form, the JSON answer and its OpenAPI description: a field added to a copy of the definition
reaches each of them with no other code."""
import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from consortium.core import entity
from consortium.core.exceptions import DomainError
from consortium.core.vocab import Term, Vocabulary
from consortium.extensions import db
from consortium.members import api, constants, forms, schemas, services, views
from consortium.members.models import Member
from tests.definition_answers import answer_with

DEFINED = list(entity.described(schemas.MemberFields))

GRADES = Vocabulary("grade", [Term("a", "甲级", _l("Grade A")), Term("b", "乙级", _l("Grade B"))])


class WithExtra(schemas.MemberFields):
    """The definition as it would be after adding two fields (a text and a vocabulary)."""
    registrar = entity.Text(30, label=_l("Website"))
    grade = entity.Choice(GRADES, label=_l("Kind"))


@pytest.fixture
def with_extra(monkeypatch):
    """The domain reading the longer definition, as it would once the field is added."""
    for module in (services, views):
        monkeypatch.setattr(module, "MemberFields", WithExtra)
    return WithExtra


def test_the_form_rules_json_and_openapi_read_the_definition(app, client, demo):
    with app.test_request_context("/"):
        form = forms.MemberForm(formdata=None)
        names = [f.name for f in form if f.name != "csrf_token"]
        assert set(DEFINED) <= set(names)
        # laid out as before: the city after the level, the button last
        assert names == ["version", "code", "name", "name_en", "kind", "level", "city", "joined_on", "website",
                         "description", "submit"]
        # the form's hints (the rules are the services' load)
        assert form.code.render_kw["required"] and form.joined_on.render_kw["required"]
        assert "required" not in form.website.render_kw
        assert form.name.render_kw["maxlength"] == 120 and form.website.render_kw["maxlength"] == 200
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        form = forms.MemberForm(formdata=None)
        assert ("data_group", "数据集团") in form.kind.choices and ("province", "省级") in form.level.choices
    answer = client.get("/api/v1/members/qingdao").get_json()
    assert set(answer) == (set(DEFINED) - set(schemas.NOT_IN_JSON)) | {"status", "city"}
    assert answer["kind"] == "data_group" and answer["joined_on"] == "2025-04-18"  # plain codes, as before
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert set(spec["MemberOut"]["properties"]) == set(answer) | {"users"}
    assert "level" not in spec["MemberOut"]["properties"]


def test_vocabularies_are_terms_with_the_chinese_users_read(app):
    for vocabulary in (constants.MEMBER_KINDS, constants.MEMBER_LEVELS, constants.MEMBER_STATUSES):
        assert isinstance(vocabulary, Vocabulary)
        assert all(isinstance(t, Term) and t.zh and str(t.en) for t in vocabulary.values())
    assert constants.MEMBER_KINDS.find("数商") == "data_merchant"
    assert constants.MEMBER_KINDS.label("research_institute", "zh_CN") == "研究机构"
    with app.test_request_context("/"), force_locale("en"):
        assert constants.MEMBER_LEVELS.label("province", "en") == "Province level"


def test_the_services_refuse_what_the_definition_refuses(demo):
    qingdao = db.session.scalar(select(Member).where(Member.code == "qingdao"))
    for bad, field in [({"name_en": "Q" * 161}, "name_en"), ({"kind": "government"}, "kind"),
                       ({"level": "county"}, "level"), ({"joined_on": "2025年4月18日"}, "joined_on"),
                       ({"code": "qd"}, "code"), ({"status": "suspended"}, "status")]:
        with pytest.raises(DomainError) as err:
            services.update_member(None, qingdao, **bad)
        assert err.value.field == field, bad
        db.session.rollback()
    qingdao = db.session.scalar(select(Member).where(Member.code == "qingdao"))
    assert qingdao.name_en == "Qingdao Data Group" and qingdao.kind == "data_group" and qingdao.status == "active"
    services.update_member(None, qingdao, name_en="  Qingdao Data Group Co.  ")
    assert qingdao.name_en == "Qingdao Data Group Co."  # the definition's text rule strips


def test_a_new_field_reaches_the_rules_the_form_the_json_and_the_page(app, client, demo, with_extra):
    qingdao = db.session.scalar(select(Member).where(Member.code == "qingdao"))
    # the services' rules (the model would carry the column; here the object takes the attribute)
    with pytest.raises(DomainError) as err:
        services.update_member(None, qingdao, registrar="长" * 31)
    assert err.value.field == "registrar"
    with pytest.raises(DomainError) as err:
        services.update_member(None, qingdao, grade="c")
    assert err.value.field == "grade"
    services.update_member(None, qingdao, registrar=" 山东省数据局 ", grade="a")
    assert (qingdao.registrar, qingdao.grade) == ("山东省数据局", "a")
    # the form: its fields, validated, and what the view hands the services
    with app.test_request_context("/", method="POST", headers={"Accept-Language": "zh-CN"}):
        form_class = entity.form_class("MemberFormWithExtra", forms._MemberFormBase, WithExtra)
        form = form_class(formdata=MultiDict({"name": "青岛数据集团", "registrar": "长" * 31, "grade": "a"}),
                          meta={"csrf": False})
        assert ("a", "甲级") in form.grade.choices
        form.validate()
        assert "registrar" not in form.errors  # the form checks no rule of the definition: the load does
        with pytest.raises(DomainError) as err:
            entity.clean_values(WithExtra, {"registrar": form.registrar.data, "grade": form.grade.data})
        assert list(err.value.errors) == ["registrar"]
        assert form.values()["registrar"] == "长" * 31 and form.values()["grade"] == "a"
    # the JSON answer and its OpenAPI shape
    # (the API answers with the shape derived from the definition, ``schemas.MemberOut``, bound when
    # the app starts: derived from the extended definition, it shows the new fields)
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        shown = answer_with(WithExtra, api.MemberOut, qingdao)
    assert shown["registrar"] == "山东省数据局" and shown["grade"] == {"code": "a", "label": "甲级"}
    # the member's page lists it under the fields it lays out itself
    page = client.get("/members/qingdao").get_data(as_text=True)
    assert '<dd class="col-sm-9">山东省数据局</dd>' in page and '<dd class="col-sm-9">甲级</dd>' in page
