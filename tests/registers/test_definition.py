"""Each register entity has one definition (registers.schemas: BodyFields, CertificateFields,
RecognitionFields, RecognitionChangeFields, SpaceFields): the services' rules, the forms, the
certificate import's columns, the JSON API and its OpenAPI description are built from it. A field
added to a copy of a definition reaches each of them with no other code."""
from datetime import date

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consortium.core import entity
from consortium.core.exceptions import DomainError
from consortium.core.vocab import Term, Vocabulary
from consortium.extensions import db
from consortium.registers import api, forms, imports, schemas
from consortium.registers.models import Recognition
from consortium.registers.services import bodies as body_services
from consortium.registers.services import certificates as certificate_services
from consortium.registers.services import spaces as space_services
from tests.definition_answers import answer_with

from .conftest import QINGDAO_CODE

COLOURS = Vocabulary("colour", [Term("red", "红色", _l("Red")), Term("blue", "蓝色", _l("Blue"))])


def _names(form_class) -> list[str]:
    return [f.name for f in form_class(meta={"csrf": False})]


def test_every_defined_field_is_in_its_form_in_order_and_in_the_openapi_description(app, client):
    with app.test_request_context("/?lang=zh_CN"):
        assert _names(forms.BodyForm) == ["code", "name", "name_en", "city", "member", "register_url", "submit"]
        assert _names(forms.CertificateForm) == ["body", "number", "holder_name", "holder_uscc", "product_name",
                                                 "issued_on", "valid_until", "status", "status_changed_on",
                                                 "status_reason", "submit"]
        assert _names(forms.RecognitionForm) == ["recognising_body", "issuing_body", "mutual", "effective_from",
                                                 "document_ref", "submit"]
        assert _names(forms.RecognitionChangeForm) == ["on", "reason", "submit"]
        assert _names(forms.SpaceForm) == ["name", "name_en", "kind", "operator", "city", "domains",
                                           "circulation_modes", "status", "launched_on", "description", "submit"]
        # the limits the form hints and the vocabularies it offers are the definition's
        form = forms.CertificateForm(meta={"csrf": False})
        assert form.number.render_kw["maxlength"] == 60 and form.holder_uscc.render_kw["maxlength"] == 40
        assert [c[0] for c in form.status.iter_choices()] == ["valid", "cancelled", "revoked"]
        assert str(form.holder_uscc.description).startswith("18 位")
        space = forms.SpaceForm(meta={"csrf": False})
        assert [label for _c, label, *_r in space.kind.iter_choices()] == ["城市", "行业", "企业", "个人"]
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    for definition, out in ((schemas.BodyFields, "BodyOut"), (schemas.CertificateFields, "CertificateOut"),
                            (schemas.RecognitionFields, "RecognitionOut"), (schemas.SpaceFields, "SpaceOut"),
                            (schemas.SpaceFields, "SpaceDetailOut")):
        properties = spec[out]["properties"]
        assert set(schemas.shown(definition)) <= set(properties), out
        assert not set(definition.json_hidden) & set(properties), out  # said once: not shown in the JSON
    assert spec["CertificateOut"]["properties"]["status"]["$ref"].endswith("/Coded")
    created = spec["CertificateCreate"]  # what POST /api/v1/certificates takes
    assert set(created["properties"]) == {"body", *entity.described(schemas.CertificateFields)}
    assert set(created["required"]) == {"body", "number", "holder_name", "holder_uscc", "product_name", "issued_on"}
    assert created["properties"]["number"]["maxLength"] == 60
    assert created["properties"]["status"]["enum"] == ["valid", "cancelled", "revoked"]
    assert spec["SpaceOut"]["properties"]["domains"]["items"]["$ref"].endswith("/Coded")
    # the import's columns are the certificate's
    assert [c[0] for c in imports.COLUMNS] == list(entity.described(schemas.CertificateFields))
    assert [c[0] for c in imports.COLUMNS if c[3]] == ["number", "holder_name", "holder_uscc", "product_name",
                                                       "issued_on"]


class CertificateWithExtra(schemas.CertificateFields):
    """The certificate as it would be with two more fields: a text and a vocabulary."""
    registrar = entity.Text(30, label=_l("Reason"), column=("登记员", "Registrar"))
    colour = entity.Choice(COLOURS, label=_l("Status"), column=("颜色", "Colour"))


def _certificate_values(**changes):
    return {"number": "QD-9", "holder_name": "青岛海洋科技有限公司", "holder_uscc": QINGDAO_CODE,
            "product_name": "近海水文数据", "issued_on": date(2025, 1, 10), **changes}


def test_a_new_certificate_field_reaches_rules_form_import_and_json(app, world, monkeypatch):
    monkeypatch.setattr(certificate_services, "CertificateFields", CertificateWithExtra)
    with app.test_request_context("/?lang=zh_CN"):
        # the services' rule (the real one, reading the definition)
        clean = certificate_services.certificate_values(_certificate_values(registrar=" 王五 ", colour="blue"))
        assert clean["registrar"] == "王五" and clean["colour"] == "blue" and clean["status"] == "valid"
        with pytest.raises(DomainError) as err:
            certificate_services.certificate_values(_certificate_values(registrar="长" * 31))
        assert err.value.field == "registrar" and "30" in err.value.message
        with pytest.raises(DomainError) as err:
            certificate_services.certificate_values(_certificate_values(colour="green"))
        assert err.value.field == "colour"
        # the form: after the definition's last field, before the button; label and choices
        form_class = entity.form_class("Extra", forms._CertificateBase, CertificateWithExtra, place=[("body", None)])
        assert _names(form_class)[-3:] == ["registrar", "colour", "submit"]
        html = form_class(meta={"csrf": False}).colour()
        assert '<option value="blue">蓝色</option>' in html
        assert form_class(meta={"csrf": False}).registrar.render_kw["maxlength"] == 30
        # the import's columns and cells
        cols = {c[0]: c for c in entity.columns(CertificateWithExtra)}
        assert cols["colour"][1:] == ("颜色", "Colour", False)
        assert entity.described(CertificateWithExtra)["colour"].from_cell("蓝色") == "blue"
        # the JSON the API writes (the real function) and its OpenAPI shape
        world.cert.registrar, world.cert.colour = "王五", "red"
        shown = answer_with(CertificateWithExtra, api.CertificateOut, world.cert,
                            {"certificate_state": certificate_services.certificate_state})
        assert shown["registrar"] == "王五" and shown["colour"] == {"code": "red", "label": "红色"}
        assert shown["number"] == "QD-001" and shown["issuer"] == "qd"


class BodyWithExtra(schemas.BodyFields):
    region = entity.Text(20, label=_l("City"))


def test_a_new_body_field_reaches_rules_form_and_json(app, world, monkeypatch):
    monkeypatch.setattr(body_services, "BodyFields", BodyWithExtra)
    with app.test_request_context("/?lang=en"):
        base = {"name": "东营市数据资产登记中心", "city": world.bodies.qingdao.city, "member": None}
        assert body_services._body_values(None, {**base, "region": " 黄河三角洲 "})["region"] == "黄河三角洲"
        with pytest.raises(DomainError) as err:
            body_services._body_values(None, {**base, "region": "长" * 21})
        assert err.value.field == "region"
        form_class = entity.form_class("Extra", forms._BodyBase, BodyWithExtra,
                                    place=[("city", "name_en"), ("member", "city")])
        assert _names(form_class) == ["code", "name", "name_en", "city", "member", "register_url", "region",
                                      "submit"]
        world.bodies.qingdao.region = "胶东"
        shown = answer_with(BodyWithExtra, schemas.BodyOut, world.bodies.qingdao)
        assert shown["region"] == "胶东" and shown["name_zh"] == "青岛市数据资产登记中心"
        assert "name_en" not in shown  # hidden, as before: ``name`` is in the reader's language


class SpaceWithExtra(schemas.SpaceFields):
    colour = entity.Choice(COLOURS, label=_l("Kind"), blank=_l("Not stated"))
    capacity = entity.WholeNumber(label=_l("Status"))


def test_a_new_space_field_reaches_rules_form_and_json(app, world, monkeypatch):
    base = {"name": "海洋可信数据空间", "kind": "industry", "status": "planned", "domains": ["transport"]}
    space = space_services.create_space(None, **base)
    monkeypatch.setattr(space_services, "SpaceFields", SpaceWithExtra)
    with app.test_request_context("/?lang=zh_CN"):
        clean = space_services.space_values(None, {**base, "colour": "blue", "capacity": "12"})
        assert clean["colour"] == "blue" and clean["capacity"] == 12 and clean["domains"] == "transport"
        with pytest.raises(DomainError) as err:
            space_services.space_values(None, {**base, "colour": "green"})
        assert err.value.field == "colour"
        with pytest.raises(DomainError) as err:
            space_services.space_values(None, {**base, "domains": ["火星"]})
        assert err.value.field == "domains" and "火星" in err.value.message
        form_class = entity.form_class("Extra", forms._SpaceBase, SpaceWithExtra,
                                    place=[("operator", "kind"), ("city", "operator")])
        assert _names(form_class)[-5:] == ["launched_on", "description", "colour", "capacity", "submit"]
        assert '<option value="">未说明</option>' in form_class(meta={"csrf": False}).colour()
        space.colour, space.capacity = "red", 7
        shown = answer_with(SpaceWithExtra, schemas.SpaceOut, space)
        assert shown["colour"] == {"code": "red", "label": "红色"} and shown["capacity"] == 7
        assert shown["domains"] == [{"code": "transport", "label": "交通"}] and shown["name"] == "海洋可信数据空间"
        assert "description" not in shown


class RecognitionWithExtra(schemas.RecognitionFields):
    signed_by = entity.Text(10, required=True, label=_l("Document reference"))


def test_a_new_recognition_field_reaches_rules_form_and_json(app, world, monkeypatch):
    from consortium.registers.services import recognitions as recognition_services
    given = {"recognising_body": world.bodies.huzhou, "issuing_body": world.bodies.qingdao,
             "effective_from": date(2025, 3, 1), "document_ref": "湖数〔2025〕1号"}
    rec = recognition_services.create_recognition(None, **given)
    monkeypatch.setattr(recognition_services, "RecognitionFields", RecognitionWithExtra)
    with app.test_request_context("/?lang=zh_CN"):
        with pytest.raises(DomainError) as err:  # required by the definition
            recognition_services.create_recognition(None, **{**given, "issuing_body": world.bodies.weifang})
        assert err.value.field == "signed_by"
        with pytest.raises(DomainError) as err:  # the new field's limit, taken by the service as it is given
            recognition_services.create_recognition(None, **{**given, "issuing_body": world.bodies.weifang,
                                                           "signed_by": "长" * 11})
        assert err.value.field == "signed_by" and "10" in err.value.message
        assert db.session.scalar(select(func.count(Recognition.id))) == 1  # nothing recorded
        form_class = entity.form_class("Extra", forms._RecognitionBase, RecognitionWithExtra,
                                    place=[("recognising_body", None), ("issuing_body", "recognising_body")])
        assert _names(form_class) == ["recognising_body", "issuing_body", "mutual", "effective_from", "document_ref",
                                      "signed_by", "submit"]
        rec.signed_by = "张三"
        shown = answer_with(RecognitionWithExtra, schemas.RecognitionOut, rec, {
            "state": recognition_services.current_state, "history": recognition_services.history})
        assert shown["signed_by"] == "张三" and shown["document_ref"] == "湖数〔2025〕1号"
        assert shown["effective_from"] == "2025-03-01" and shown["mutual"] is False
        assert shown["history"] == [{"date": "2025-03-01", "event": "effective", "text": "湖数〔2025〕1号"}]


def test_the_change_of_an_agreement_has_its_definition(app, world):
    from consortium.registers.services import recognitions as recognition_services
    rec = recognition_services.create_recognition(None, recognising_body=world.bodies.huzhou,
                                                  issuing_body=world.bodies.qingdao, effective_from=date(2025, 3, 1),
                                                  document_ref="湖数〔2025〕1号")
    with app.test_request_context("/?lang=zh_CN"):
        with pytest.raises(DomainError) as err:  # the definition's limit
            recognition_services.suspend_recognition(None, rec, on=date(2025, 4, 1), reason="长" * 301)
        assert err.value.field == "reason" and "300" in err.value.message
        with pytest.raises(DomainError) as err:  # required to suspend: a rule of the service
            recognition_services.suspend_recognition(None, rec, on=date(2025, 4, 1), reason=" ")
        assert err.value.field == "reason"
        assert rec.suspensions == []
        recognition_services.suspend_recognition(None, rec, on="2025-04-01", reason="规则修订")
        resumed = recognition_services.resume_recognition(None, rec, on=date(2025, 5, 1))  # no reason needed
        assert resumed.ends_on == date(2025, 5, 1) and resumed.resume_reason == ""
        form = forms.RecognitionChangeForm(meta={"csrf": False})
        assert form.reason.render_kw["maxlength"] == 300 and str(form.on.label.text) == "日期"


def test_a_field_a_page_does_not_lay_out_is_still_shown(app, world, browser, monkeypatch):
    """A field added to a definition shows on the object's page with its label and value until
    someone lays it out: here the certificate page forgets how to show the credit code, and the
    body's definition gains a field."""
    from consortium.registers.views import bodies as body_views
    from consortium.registers.views import certificates as certificate_views
    browser.login("qd@example.cn")
    url = f"/registers/certificates/{world.cert.id}"
    generic = f'<dt class="col-sm-4">统一社会信用代码</dt><dd class="col-sm-8">{QINGDAO_CODE}</dd>'
    before = browser.get(url).get_data(as_text=True)
    assert f"<code>{QINGDAO_CODE}</code>" in before and generic not in before  # laid out, as code
    monkeypatch.setattr(certificate_views, "LAID_OUT", certificate_views.LAID_OUT - {"holder_uscc"})
    assert generic in browser.get(url).get_data(as_text=True)

    assert 'id="body-more"' not in browser.get("/registers/bodies/qd").get_data(as_text=True)
    monkeypatch.setattr(body_views, "BodyFields", BodyWithExtra)
    world.bodies.qingdao.region = "胶东半岛"
    page = browser.get("/registers/bodies/qd").get_data(as_text=True)
    assert '<dt class="col-sm-4">城市</dt><dd class="col-sm-8">胶东半岛</dd>' in page


def test_edit_forms_save_the_definitions_fields_and_nothing_on_bad_input(app, world, browser):
    """The generated edit forms: the body keeps its code, the certificate and the space take every
    field of their definitions; a value over a definition's limit changes nothing."""
    from consortium.registers.models import Certificate, DataSpace, RegistrationBody
    browser.login("qd@example.cn")
    url = "/registers/bodies/qd/edit"
    page = browser.get(url).get_data(as_text=True)
    assert 'id="code"' not in page and 'value="青岛市数据资产登记中心"' in page
    assert 'selected value="370200">青岛市 · 山东省</option>' in page  # the city picker, on the body's city
    r = browser.post_form(url, {"name": "青岛市数据资产登记中心", "name_en": "Qingdao Data Asset Registry",
                                "city": "370200", "member": "qingdao", "register_url": "https://dr.qingdao.example/"})
    assert r.status_code == 302
    db.session.expire_all()
    body = db.session.get(RegistrationBody, world.bodies.qingdao.id)
    assert (body.code, body.name_en, body.register_url) == ("qd", "Qingdao Data Asset Registry",
                                                            "https://dr.qingdao.example/")
    r = browser.post_form(url, {"name": "青岛", "name_en": "x" * 161, "city": "370200", "member": "qingdao"})
    assert "160" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(RegistrationBody, body.id).name == "青岛市数据资产登记中心"

    url = f"/registers/certificates/{world.cert.id}/edit"
    r = browser.post_form(url, {"number": "QD-001", "holder_name": "青岛海洋科技有限公司", "holder_uscc": QINGDAO_CODE,
                                "product_name": "近海水文数据（第二版）", "issued_on": "2025-01-10",
                                "valid_until": "2027-01-09", "status": "revoked", "status_changed_on": "2025-06-01",
                                "status_reason": "数据来源不合规"})
    assert r.status_code == 302
    db.session.expire_all()
    cert = db.session.get(Certificate, world.cert.id)
    assert (cert.product_name, cert.status, cert.status_changed_on, cert.status_reason) == (
        "近海水文数据（第二版）", "revoked", date(2025, 6, 1), "数据来源不合规")
    r = browser.post_form(url, {"number": "QD-001", "holder_name": "青岛海洋科技有限公司", "holder_uscc": QINGDAO_CODE,
                                "product_name": "近海水文数据", "issued_on": "2025-01-10", "status": "作废"})
    assert r.status_code == 200
    db.session.expire_all()
    assert db.session.get(Certificate, cert.id).product_name == "近海水文数据（第二版）"

    space = space_services.create_space(None, name="青岛海洋可信数据空间", kind="industry", status="planned",
                                        operator=world.members.qingdao)
    db.session.commit()
    url = f"/registers/data-spaces/{space.id}/edit"
    r = browser.post_form(url, {"name": "青岛海洋可信数据空间", "kind": "industry", "operator": "qingdao",
                                "city": "370200", "domains": ["health", "transport"], "circulation_modes": ["privacy"],
                                "status": "running", "launched_on": "2025-09-01", "description": "海洋数据流通"})
    assert r.status_code == 302
    db.session.expire_all()
    space = db.session.get(DataSpace, space.id)
    assert (space.domains, space.circulation_modes, space.status, space.launched_on, space.description) == (
        "transport,health", ["privacy"], "running", date(2025, 9, 1), "海洋数据流通")
    page = browser.get(url).get_data(as_text=True)
    assert '<input checked id="domains-1" name="domains" type="checkbox" value="health">' in page
    assert '<input id="domains-2" name="domains" type="checkbox"' in page  # not chosen, not checked
    r = browser.post_form(url, {"name": "青岛海洋可信数据空间", "kind": "industry", "operator": "qingdao",
                                "status": "running", "description": "长" * 5001})
    assert "5000" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DataSpace, space.id).description == "海洋数据流通"
