"""An authorisation application, a decision and a withdrawal each have one definition
(authorisations/schemas.py): the services' limits and the forms come from it."""
import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consortium.authorisations import forms
from consortium.authorisations.models import AuthorisationApplication
from consortium.authorisations.schemas import ApplicationFields
from consortium.core.entity import Text, clean_values, described, form_class
from consortium.core.exceptions import DomainError
from consortium.extensions import db

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
