"""An authorisation application, a decision and a withdrawal each have one definition
(authorisations/schemas.py): the services' limits and the forms come from it."""
import pytest
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import func, select

from consortium.authorisations import forms, services
from consortium.authorisations.models import AuthorisationApplication
from consortium.authorisations.schemas import ApplicationCreate, ApplicationFields, DecisionFields, WithdrawalFields
from consortium.core.entity import Text, carried, clean_values, described, form_class
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from tests.definition_answers import body_with

from .test_authorisations import _apply, ago, rep  # noqa: F401  (fixture)


class WithContact(ApplicationFields):
    contact = Text(40, label=_l("Reference number"))


def test_a_field_added_to_the_definition_reaches_the_form_and_the_rules(app):
    with app.test_request_context():
        form_cls = form_class("F", forms._ApplicationBase, WithContact)
        form = form_cls(meta={"csrf": False})
        # the definition's order, the added field last among them, the button after all
        assert [f.name for f in form] == [*described(ApplicationFields), "contact", "submit"]
        assert "contact" in form.FIELDS
        with pytest.raises(DomainError) as e:
            clean_values(WithContact, {"contact": "电" * 41})
        assert e.value.field == "contact"


def test_the_real_forms_lay_out_the_definition_then_the_buttons(app):
    with app.test_request_context():
        names = [f.name for f in forms.ApplicationForm(meta={"csrf": False})]
        assert names == [*described(ApplicationFields), "submit"]
        assert [f.name for f in forms.DecisionForm(meta={"csrf": False})] == [
            "decided_on", "reference_no", "note", "approve", "reject"]


def test_the_definitions_limits_are_the_services_rules(world, rep):  # noqa: F811
    for field, value in (("authority", "福" * 201), ("reference_no", "号" * 81), ("resources", "数" * 5001),
                         ("attachments", "附件.pdf")):
        with pytest.raises(DomainError) as e:
            _apply(world.users.fuzhou, rep, **{field: value})
        assert e.value.field == field
        db.session.rollback()
    assert db.session.scalar(select(func.count(AuthorisationApplication.id))) == 0
    app = _apply(world.users.fuzhou, rep, authority="  福州市大数据委 ",
                 attachments="https://example.org/a.pdf\n\n https://example.org/b.pdf ")
    assert (app.authority, app.attachments) == ("福州市大数据委", "https://example.org/a.pdf\nhttps://example.org/b.pdf")
    assert app.submitted_on == ago(40)


class WithSigner(DecisionFields):
    signed_by = Text(20, label=_l("Reference number"))


class WithWitness(WithdrawalFields):
    witness = Text(20, label=_l("Reference number"))


def _count() -> int:
    return db.session.scalar(select(func.count(AuthorisationApplication.id)))


def test_a_field_added_to_the_application_is_taken_and_stored_by_the_service(world, rep, monkeypatch):  # noqa: F811
    monkeypatch.setattr(services, "ApplicationFields", WithContact)
    monkeypatch.setattr(AuthorisationApplication, "contact", None, raising=False)  # stands for the new column
    with pytest.raises(DomainError) as e:
        _apply(world.users.fuzhou, rep, contact="电" * 41)
    assert e.value.field == "contact" and "40" in e.value.message
    assert _count() == 0  # nothing added to the session (the count flushes it)
    app = _apply(world.users.fuzhou, rep, contact=" 张三 0591-8888 ")
    assert app.contact == "张三 0591-8888" and app.authority == "福州市大数据委" and _count() == 1


def test_a_service_refuses_a_field_its_definition_does_not_have(world, rep):  # noqa: F811
    with pytest.raises(DomainError) as e:
        _apply(world.users.fuzhou, rep, contact="张三")
    assert e.value.field == "contact"
    assert _count() == 0
    app = _apply(world.users.fuzhou, rep)
    with pytest.raises(DomainError) as e:
        services.record_decision(world.users.fuzhou, app, approved=True, signed_by="王")
    assert e.value.field == "signed_by" and app.status == "submitted"


def test_a_field_added_to_the_decision_is_taken_and_stored_by_the_service(world, rep, monkeypatch):  # noqa: F811
    app = _apply(world.users.fuzhou, rep)
    db.session.commit()
    monkeypatch.setattr(services, "DecisionFields", WithSigner)
    monkeypatch.setattr(AuthorisationApplication, "signed_by", None, raising=False)
    with pytest.raises(DomainError) as e:
        services.record_decision(world.users.fuzhou, app, approved=True, decided_on=ago(10), signed_by="长" * 21)
    assert e.value.field == "signed_by" and "20" in e.value.message
    # nothing written: the row is untouched in the session and in the database
    assert app not in db.session.dirty and (app.status, app.decided_on, app.signed_by) == ("submitted", None, None)
    db.session.commit()
    db.session.expire_all()
    assert (db.session.get(AuthorisationApplication, app.id).status, _count()) == ("submitted", 1)
    services.record_decision(world.users.fuzhou, app, approved=True, decided_on=ago(10), signed_by=" 王局长 ",
                             note="仅限公交到站预测")
    assert (app.status, app.decided_on, app.signed_by) == ("approved", ago(10), "王局长")
    assert app.decision_note == "仅限公交到站预测"  # the definition's ``note`` names its column
    assert app.reference_no == "榕数申〔2025〕12号"  # no reference given: the submission's stays


def test_a_field_added_to_the_withdrawal_is_taken_and_stored_by_the_service(world, rep, monkeypatch):  # noqa: F811
    app = _apply(world.users.fuzhou, rep)
    db.session.commit()
    monkeypatch.setattr(services, "WithdrawalFields", WithWitness)
    monkeypatch.setattr(AuthorisationApplication, "witness", None, raising=False)
    with pytest.raises(DomainError) as e:
        services.withdraw_application(world.users.fuzhou, app, note="方案调整", witness="长" * 21)
    assert e.value.field == "witness" and "20" in e.value.message
    assert app not in db.session.dirty and (app.status, app.withdrawn_on, app.decision_note) == ("submitted", None, "")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(AuthorisationApplication, app.id).status == "submitted"
    services.withdraw_application(world.users.fuzhou, app, withdrawn_on=ago(3), note=" 方案调整 ", witness="李四")
    assert (app.status, app.withdrawn_on, app.decision_note, app.witness) == ("withdrawn", ago(3), "方案调整", "李四")


def test_the_page_and_the_api_hand_a_new_field_to_the_service(browser, world, rep, monkeypatch):  # noqa: F811
    """The page's form generated from the definition, and the API's body, carry the new field to
    the row; over its limit nothing is written."""
    from consortium.authorisations import views
    monkeypatch.setattr(services, "ApplicationFields", WithContact)
    monkeypatch.setattr(views, "ApplicationForm", form_class("F", forms._ApplicationBase, WithContact))
    monkeypatch.setattr(AuthorisationApplication, "contact", None, raising=False)
    stored = {}
    real = services.submit_application

    def spy(actor, replication, **fields):
        app = real(actor, replication, **fields)
        stored[app.id] = app.contact  # the attribute stands for a column: read it before the request ends
        return app
    monkeypatch.setattr(services, "submit_application", spy)
    browser.login("user@fuzhou.example")
    url = f"/authorisations/replications/{rep.id}"
    form = {"resources": "公交车辆实时定位数据", "authority": "福州市大数据委", "submitted_on": ago(3).isoformat()}
    bad = browser.post_form(url, {**form, "contact": "电" * 41})
    assert bad.status_code == 400 and _count() == 0
    assert browser.post_form(url, {**form, "contact": "张三"}).status_code == 302
    app = db.session.scalar(select(AuthorisationApplication))
    assert stored == {app.id: "张三"}
    services.withdraw_application(world.users.fuzhou, app)
    db.session.commit()
    # the API's body (``schemas.ApplicationCreate``, bound when the app starts) derived from the longer
    # definition: it refuses the field over its limit, and the view hands it to the service
    with pytest.raises(ValidationError) as refused:
        body_with(WithContact, ApplicationCreate, {**form, "contact": "电" * 41}, creating=True)
    assert set(refused.value.messages) == {"contact"} and _count() == 1
    body = body_with(WithContact, ApplicationCreate, {**form, "contact": "李四"}, creating=True)
    made = services.submit_application(world.users.fuzhou, rep, **carried(WithContact, body))
    assert stored[made.id] == "李四" and _count() == 2
