"""A co-operation agreement's one definition (agreements.schemas.AgreementFields) drives the
services' rules (consent included), the form, the API body and answer and their OpenAPI
description: a field added to a copy of the definition reaches each of them with no other code."""
from datetime import date

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from consortium.agreements import api, constants, forms, schemas, services, views
from consortium.agreements.models import Agreement
from consortium.auth.services import create_api_token
from consortium.core import entity
from consortium.core.exceptions import DomainError
from consortium.core.vocab import Term, Vocabulary
from consortium.extensions import db
from tests.definition_answers import answer_with

DEFINED = list(entity.described(schemas.AgreementFields))

TERMS = Vocabulary("term", [Term("one_year", "一年", _l("In force")), Term("open_ended", "长期", _l("Ended"))])


class WithExtra(schemas.AgreementFields):
    """The definition as it would be after adding two fields (a text and a vocabulary)."""
    reference_no = entity.Text(24, label=_l("Subject"))
    term = entity.Choice(TERMS, label=_l("Status"))


@pytest.fixture
def with_extra(monkeypatch):
    for module in (services, api, views):
        monkeypatch.setattr(module, "AgreementFields", WithExtra)
    for name in ("reference_no", "term"):  # the model's part (a column and a migration in real life)
        monkeypatch.setattr(Agreement, name, None, raising=False)
    return WithExtra


def _token(user):
    _t, raw = create_api_token(None, user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_the_form_body_answer_and_openapi_read_the_definition(app, client, world):
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        form = forms.AgreementForm(formdata=None)
        assert [f.name for f in form if f.name != "csrf_token"] == [
            "version", "subject", "signed_on", "status", "members", "counterparties", "scenarios", "description",
            "documents", "is_public", "submit"]  # laid out as before
        assert form.is_public.data is True  # a new agreement is public unless unticked
        assert form.subject.render_kw == {"required": True, "maxlength": 200}
        assert ("in_force", "执行中") in form.status.choices
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert set(DEFINED) <= set(spec["AgreementInput"]["properties"])
    assert spec["AgreementInput"]["properties"]["subject"]["maxLength"] == 200
    assert spec["AgreementInput"]["properties"]["status"]["enum"] == list(constants.AGREEMENT_STATUSES)
    assert spec["AgreementInput"]["properties"]["signed_on"]["type"] == ["string", "null"]
    assert set(DEFINED) <= set(spec["AgreementOut"]["properties"])
    assert spec["AgreementOut"]["properties"]["documents"]["type"] == "array"  # its links, one by one
    # the body's day is read by the one date rule: other ISO spellings are refused, nothing is written
    h = _token(world.users.fuzhou)
    count = db.session.scalar(select(func.count(Agreement.id)))
    for day in ("20251001", "2025-W40-3", "2025年10月1日"):
        refused = client.post("/api/v1/agreements", headers=h, json={
            "subject": "公交数据互通", "status": "signed", "signed_on": day, "members": ["fuzhou", "xiamen"]})
        assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "signed_on", day
    assert db.session.scalar(select(func.count(Agreement.id))) == count


def test_the_statuses_are_a_vocabulary(app):
    statuses = constants.AGREEMENT_STATUSES
    assert isinstance(statuses, Vocabulary) and all(isinstance(t, Term) and t.zh for t in statuses.values())
    assert statuses.find("已签约") == "signed" and statuses.label("negotiating", "zh_CN") == "洽谈中"
    with app.test_request_context("/"), force_locale("en"):
        assert statuses.label("in_force", "en") == "In force"


def test_the_services_refuse_what_the_definition_refuses(app, world):
    u = world.users
    count = db.session.scalar(select(func.count(Agreement.id)))
    with app.test_request_context("/"):
        for bad, field in [({"subject": "合" * 201}, "subject"), ({"status": "draft"}, "status"),
                           ({"signed_on": "2025年9月1日"}, "signed_on"), ({"documents": "x" * 5001}, "documents"),
                           ({"proposed_by_id": 1}, "proposed_by_id")]:
            with pytest.raises(DomainError) as err:
                services.record_agreement(u.secretariat, **{"subject": "公交数据合作", "status": "signed",
                                                            "members": [world.xiamen, world.fuzhou], **bad})
            assert err.value.field == field, bad
            db.session.rollback()
    assert db.session.scalar(select(func.count(Agreement.id))) == count
    with app.test_request_context("/"):
        a = services.record_agreement(u.secretariat, subject=" 公交数据合作 ", status="signed",
                                      documents="https://example.org/a.pdf\n\n  https://example.org/b.pdf ",
                                      signed_on="2025-09-01", members=[world.xiamen, world.fuzhou])
    assert (a.subject, a.signed_on) == ("公交数据合作", date(2025, 9, 1))
    assert a.documents == "https://example.org/a.pdf\nhttps://example.org/b.pdf"


def test_a_new_field_reaches_the_rules_consent_form_api_and_page(app, client, world, with_extra):
    u = world.users
    with app.test_request_context("/"):
        with pytest.raises(DomainError) as err:
            services.record_agreement(u.secretariat, subject="公交数据合作", status="signed", reference_no="号" * 25,
                                      members=[world.xiamen, world.fuzhou])
        assert err.value.field == "reference_no"
        db.session.rollback()
        a = services.record_agreement(u.secretariat, subject="公交数据合作", status="signed", term="one_year",
                                      members=[world.xiamen, world.fuzhou])
        db.session.commit()
        assert a.term == "one_year" and not a.is_draft
    page = client.get(f"/agreements/{a.id}").get_data(as_text=True)  # public and confirmed: a visitor sees it
    assert '<dd class="col-sm-9">一年</dd>' in page
    with app.test_request_context("/"):
        services.update_agreement(u.fuzhou, a, subject="公交数据合作", status="signed", term="open_ended",
                                  members=[world.xiamen, world.fuzhou])
        assert a.is_draft  # a party's change to the new field is a draft for the others, as for any field
    with app.test_request_context("/", method="POST", headers={"Accept-Language": "zh-CN"}):
        form_class = entity.form_class("AgreementFormWithExtra", forms._AgreementFormBase, WithExtra)
        form = form_class(formdata=MultiDict({"subject": "公交数据合作", "status": "signed", "term": "one_year",
                                              "reference_no": "号" * 25}), meta={"csrf": False})
        assert ("open_ended", "长期") in form.term.choices
        form.validate()
        assert "reference_no" not in form.errors  # the form checks no rule of the definition: the load does
        with pytest.raises(DomainError) as err:
            entity.clean_values(WithExtra, {"reference_no": form.reference_no.data, "term": form.term.data})
        assert list(err.value.errors) == ["reference_no"] and form.values()["term"] == "one_year"
    # the API: its body and answer are the schemas derived from the definition (``schemas.AgreementInput``,
    # ``AgreementOut``, bound to the routes when the app starts): derived from the extended definition,
    # the body carries the field (checked by its limit) and the answer shows it
    body = entity.input_schema(WithExtra, "AgreementInputWithExtra", schemas.INPUT_EXTRA)
    good = {"subject": "公交数据互通", "status": "signed", "signed_on": "2025-10-01", "members": ["fuzhou", "xiamen"]}
    with pytest.raises(ValidationError) as refused:
        body().load({**good, "reference_no": "号" * 25})
    assert set(refused.value.messages) == {"reference_no"}
    assert body().load({**good, "reference_no": "闽厦-2025-001", "term": "one_year"})["term"] == "one_year"
    a.reference_no, a.term = "闽厦-2025-001", "one_year"
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        made = answer_with(WithExtra, api.AgreementOut, a)
    assert made["reference_no"] == "闽厦-2025-001" and made["term"] == {"code": "one_year", "label": "一年"}