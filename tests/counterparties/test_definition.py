"""A counterparty's one definition (counterparties.schemas.CounterpartyFields) drives the services'
rules, the form, the JSON answer and its OpenAPI description: a field added to a copy of the
definition reaches each of them with no other code."""
import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from consortium.core import entity
from consortium.core.exceptions import DomainError
from consortium.core.vocab import Term, Vocabulary
from consortium.counterparties import api, constants, forms, schemas, services, views
from consortium.counterparties.models import Counterparty
from consortium.extensions import db
from tests.definition_answers import answer_with

DEFINED = list(entity.described(schemas.CounterpartyFields))

SECTORS = Vocabulary("sector", [Term("retail", "零售", _l("Enterprise")), Term("payments", "支付", _l("Other"))])


class WithExtra(schemas.CounterpartyFields):
    """The definition as it would be after adding two fields (a text and a vocabulary)."""
    headquarters = entity.Text(20, label=_l("Website"))
    sector = entity.Choice(SECTORS, label=_l("Kind"))


@pytest.fixture
def with_extra(monkeypatch):
    for module in (services, views):
        monkeypatch.setattr(module, "CounterpartyFields", WithExtra)
    return WithExtra


def _ant():
    return db.session.scalar(select(Counterparty).where(Counterparty.name == "蚂蚁集团"))


def test_the_form_json_and_openapi_read_the_definition(app, client, demo):
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        form = forms.CounterpartyForm(formdata=None)
        assert [f.name for f in form if f.name != "csrf_token"] == DEFINED + ["submit"]
        assert form.name.render_kw["required"] and form.credit_code.render_kw["maxlength"] == 18
        assert form.description.label.text == "简介" and ("platform", "互联网平台公司") in form.kind.choices
    ant = _ant()
    answer = client.get(f"/api/v1/counterparties/{ant.id}").get_json()
    assert set(answer) == set(DEFINED) | {"id"} and answer["kind"] == "platform" and answer["name_en"] == "Ant Group"
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert set(spec["CounterpartyOut"]["properties"]) == set(answer) | {"contacts"}
    assert spec["CounterpartyOut"]["properties"]["contacts"]["items"]["$ref"].endswith("/ContactOut")


def test_the_kinds_are_a_vocabulary(app):
    kinds = constants.COUNTERPARTY_KINDS
    assert isinstance(kinds, Vocabulary) and all(isinstance(t, Term) and t.zh for t in kinds.values())
    assert kinds.find("金融机构") == "financial" and kinds.label("platform", "zh_CN") == "互联网平台公司"
    with app.test_request_context("/"), force_locale("en"):
        assert kinds.label("platform", "en") == "Internet platform company"


def test_the_services_refuse_what_the_definition_refuses(demo):
    before = db.session.scalar(select(func.count(Counterparty.id)))
    for bad, field in [({"name": "某" * 121}, "name"), ({"kind": "bank"}, "kind"),
                       ({"credit_code": "91330100MA2CF12345"}, "credit_code"), ({"website": "w" * 201}, "website"),
                       ({"contacts": []}, "contacts")]:
        with pytest.raises(DomainError) as err:
            services.add_counterparty(None, **{"name": "某平台公司", **bad})
        assert err.value.field == field, bad
        db.session.rollback()
    assert db.session.scalar(select(func.count(Counterparty.id))) == before
    ant = _ant()
    with pytest.raises(DomainError):
        services.update_counterparty(None, ant, kind="bank")
    db.session.rollback()
    assert _ant().kind == "platform"


def test_a_new_field_reaches_the_rules_the_form_the_json_and_the_page(app, client, demo, with_extra):
    ant = _ant()
    with pytest.raises(DomainError) as err:
        services.update_counterparty(None, ant, headquarters="浙江省杭州市西湖区" * 3)
    assert err.value.field == "headquarters"
    with pytest.raises(DomainError) as err:
        services.update_counterparty(None, ant, sector="insurance")
    assert err.value.field == "sector"
    services.update_counterparty(None, ant, headquarters=" 杭州 ", sector="payments")
    assert (ant.headquarters, ant.sector) == ("杭州", "payments")
    with app.test_request_context("/", method="POST", headers={"Accept-Language": "zh-CN"}):
        form_class = entity.form_class("CounterpartyFormWithExtra", forms._CounterpartyFormBase, WithExtra)
        form = form_class(formdata=MultiDict({"name": "某平台公司", "kind": "platform", "headquarters": "长" * 21,
                                              "sector": "retail"}), meta={"csrf": False})
        assert ("retail", "零售") in form.sector.choices
        form.validate()
        assert "headquarters" not in form.errors  # the form checks no rule of the definition: the load does
        with pytest.raises(DomainError) as err:
            entity.clean_values(WithExtra, {"headquarters": form.headquarters.data, "sector": form.sector.data})
        assert list(err.value.errors) == ["headquarters"]
        assert form.values()["sector"] == "retail"
    # (the API answers with the shape derived from the definition, ``schemas.CounterpartyOut``, bound
    # when the app starts: derived from the extended definition, it shows the new fields)
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        shown = answer_with(WithExtra, api.CounterpartyOut, ant)
    assert shown["headquarters"] == "杭州" and shown["sector"] == {"code": "payments", "label": "支付"}
    page = client.get(f"/counterparties/{ant.id}").get_data(as_text=True)
    assert '<dd class="col-sm-8">杭州</dd>' in page and '<dd class="col-sm-8">支付</dd>' in page


def test_a_contact_is_checked_by_its_definition(app, client, demo):
    """counterparties.schemas.ContactFields: the form, the service and the JSON read it; the
    e-mail address is checked the one way (clean_email), in the service, whatever the way in."""
    from consortium.counterparties.models import CounterpartyContact
    ant = _ant()
    for bad, field in [({"email": "李 <li@example.org>"}, "email"), ({"phone": "1" * 41}, "phone"),
                       ({"name": "  "}, "name"), ({"title": "长" * 121}, "title"), ({"fax": "0571"}, "fax")]:
        with pytest.raises(DomainError) as err:
            services.add_contact(None, ant, **{"name": "李联系人", **bad})
        assert err.value.field == field, bad
        db.session.rollback()
    assert db.session.scalar(select(func.count(CounterpartyContact.id))) == 0
    contact = services.add_contact(None, _ant(), name=" 李联系人 ", email="Li@Example.ORG", title="合作经理")
    db.session.commit()
    assert (contact.name, contact.email, contact.phone) == ("李联系人", "Li@example.org", "")
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        form = forms.ContactForm(formdata=None)
        assert [f.name for f in form if f.name != "csrf_token"] == list(entity.described(schemas.ContactFields)) + [
            "submit"]
        assert form.email.type == "EmailField" and form.name.label.text == "联系人"
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert set(spec["ContactOut"]["properties"]) == set(entity.described(schemas.ContactFields))
