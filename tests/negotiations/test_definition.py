"""The negotiation entities' one definition each (schemas.DossierFields, VersionFields,
AmendmentFields, StanceFields, PricingModelFields) drives the services' rules, the forms, the
JSON answers and their OpenAPI description: a field added to a definition reaches them with no
other code, and the real definitions' fields are all in the forms and the description."""
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consortium.core import entity
from consortium.core.exceptions import DomainError
from consortium.core.vocab import Term, Vocabulary
from consortium.extensions import db
from consortium.negotiations import api as negotiations_api
from consortium.negotiations import constants, forms, schemas, services
from consortium.negotiations.models import Amendment, Dossier, PricingModel, Stance

COLOURS = Vocabulary("colour", [Term("red", "红色", _l("Red")), Term("blue", "蓝色", _l("Blue"))])


def _extra(definition):
    """A copy of a definition after adding two fields: a text of at most 30 characters and a
    vocabulary."""
    return type(f"{definition.__name__}WithExtra", (definition,), {
        "owner_unit": entity.Text(30, label=_l("Source")),
        "colour": entity.Choice(COLOURS, label=_l("Kind"), plain=True),
    })


# (definition, form base, what the generated form leaves to the base, the answer's shape and its extra)
CASES = {
    "dossier": (schemas.DossierFields, forms._DossierFormBase, (), "DossierDetailOut"),
    "amendment": (schemas.AmendmentFields, forms._AmendmentFormBase, ("decision_reason",), "AmendmentOut"),
    "stance": (schemas.StanceFields, forms._StanceFormBase, ("stance",), "StanceOut"),
    "pricing model": (schemas.PricingModelFields, forms._PricingModelFormBase, (), "PricingModelOut"),
    "version": (schemas.VersionFields, forms.FlaskForm, (), "VersionOut"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_new_field_reaches_the_rules_the_form_and_the_json(app, case):
    definition, base, exclude, _out = CASES[case]
    WithExtra = _extra(definition)
    with app.test_request_context("/?lang=zh_CN"):
        # the rules: normalised, too long refused, an unknown code refused — naming the field
        assert entity.clean_values(WithExtra, {"owner_unit": " 市大数据局 ", "colour": "blue"}) == {
            "owner_unit": "市大数据局", "colour": "blue"}
        with pytest.raises(DomainError) as err:
            entity.clean_values(WithExtra, {"owner_unit": "长" * 31})
        assert err.value.field == "owner_unit" and "30" in err.value.message
        with pytest.raises(DomainError) as err:
            entity.clean_values(WithExtra, {"colour": "green"})
        assert err.value.field == "colour" and "green" in err.value.message
        # the form: both fields, with their limit and their choices
        form = forms._form("ExtraForm", base, WithExtra, exclude=exclude)(meta={"csrf": False})
        assert form.owner_unit.label.text == "来源"
        assert any(getattr(v, "max", None) == 30 for v in form.owner_unit.validators)
        assert [(c[0], c[1]) for c in form.colour.iter_choices()] == [("red", "红色"), ("blue", "蓝色")]
        # what the form and an API body hand to the service carry the new fields by name
        if hasattr(form, "values"):
            form.owner_unit.data, form.colour.data = "市大数据局", "blue"
            assert form.values()["owner_unit"] == "市大数据局" and form.values()["colour"] == "blue"
        body = {"owner_unit": "市大数据局", "colour": "red", "unrelated": 1}
        assert negotiations_api._defined_in(body, WithExtra) == {"owner_unit": "市大数据局", "colour": "red"}
        # the JSON answer and its shape
        Out = schemas.derived_out(WithExtra, "ExtraOut", {})
        row = dict.fromkeys(entity.described(WithExtra)) | {"owner_unit": "市大数据局", "colour": "red"}
        shown = Out().dump(SimpleNamespace(**row))
        assert shown["owner_unit"] == "市大数据局" and shown["colour"] == "red"


def test_every_defined_field_is_in_its_form_and_the_openapi_description(app, client):
    with app.test_request_context("/?lang=zh_CN"):
        built = {"dossier": forms.DossierForm, "amendment": forms.AmendmentForm, "stance": forms.StanceForm,
                 "pricing model": forms.PricingModelForm}
        for case, form_class in built.items():
            definition, _base, exclude, _out = CASES[case]
            form = form_class(meta={"csrf": False})
            for name, field in entity.described(definition).items():
                if name not in exclude:
                    assert form[name].label.text == str(field.label), (case, name)
        # the amendment's decision and the stance's vocabulary come from the same definitions
        assert forms.DecideForm(meta={"csrf": False}).decision_reason.validators[-1].max == 5000
        assert [c[1] for c in forms.StanceForm(meta={"csrf": False}).stance.iter_choices()][:3] == [
            "支持", "有保留地支持", "反对"]
        # the dossier form keeps the page's order
        assert [f.name for f in forms.DossierForm(meta={"csrf": False})] == [
            "title", "counterparty", "coordinator", "subject", "deadline", "quorum", "scenarios", "resources",
            "submit"]
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    for case, (definition, _base, _exclude, out) in CASES.items():
        if out is None:
            continue
        keys = {"is_illustrative": "illustrative"}
        assert {keys.get(n, n) for n in entity.described(definition)} <= set(spec[out]["properties"]), case
    assert spec["PricingModelOut"]["properties"]["kind"] == {"type": "string"}


def test_services_take_limits_vocabularies_and_required_fields_from_the_definitions(app, union, dossier):
    u = union.u
    with pytest.raises(DomainError) as err:
        services.create_dossier(u.qd, title="长" * 201, counterparty=union.ant, coordinator=union.qd)
    assert err.value.field == "title" and "200" in err.value.message
    with pytest.raises(DomainError) as err:
        services.create_dossier(u.qd, title="数据宝", subject="议" * 20001, counterparty=union.ant,
                                coordinator=union.qd)
    assert err.value.field == "subject"
    with pytest.raises(DomainError) as err:
        services.create_dossier(u.qd, title="  ", counterparty=union.ant, coordinator=union.qd)
    assert err.value.message == "请填写标题（最多 200 个字符）。"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Dossier)) == 1  # only the fixture's

    with pytest.raises(DomainError) as err:
        services.propose_amendment(u.wz, dossier, term_key="price_floor", value="300000", reason="理" * 5001)
    assert err.value.field == "reason"
    with pytest.raises(DomainError) as err:
        services.propose_amendment(u.wz, dossier, term_key="price_floor", value="300000", reason=" ")
    assert err.value.message == "请说明修改建议的理由。"
    with pytest.raises(DomainError) as err:
        services.record_stance(u.wz, dossier, stance="maybe")
    assert err.value.field == "stance" and err.value.message == "请选择支持、有保留地支持或反对。"
    with pytest.raises(DomainError) as err:
        services.record_stance(u.wz, dossier, stance="support", comment="评" * 5001)
    assert err.value.field == "comment"
    with pytest.raises(DomainError) as err:
        services.save_pricing_model(None, name="阶梯", kind="auction", schedule={})
    assert err.value.field == "kind" and err.value.message == "未知的模型类型。"
    with pytest.raises(DomainError) as err:
        services.save_pricing_model(None, name="阶梯", kind="revenue_share", schedule={"tiers": []},
                                    source="源" * 301)
    assert err.value.field in ("schedule", "source")
    db.session.rollback()
    for model in (Amendment, Stance, PricingModel):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model

    # what passes is stored as the definition cleaned it
    stance = services.record_stance(u.wz, dossier, stance="reserve", comment="  价格偏低  ")
    assert (stance.stance, stance.comment) == ("reserve", "价格偏低")
    amendment = services.propose_amendment(u.wz, dossier, term_key="term_length", value=" 36 ", reason=" 三年更稳 ")
    assert (amendment.proposed_value, amendment.reason) == ({"value": 36}, "三年更稳")


def test_vocabularies_have_one_shape_and_read_in_both_languages(app):
    for vocabulary in (constants.STATUSES, constants.PARTICIPANT_STATUSES, constants.STANCES, constants.TERM_TYPES,
                       constants.AMENDMENT_STATUSES, constants.OUTCOME_RESULTS, constants.PRICING_KINDS):
        assert isinstance(vocabulary, Vocabulary)
        assert all(isinstance(t, Term) and t.zh and str(t.en) for t in vocabulary.values())
    with app.test_request_context("/?lang=zh_CN"):
        assert constants.labels(constants.STATUSES)["consultation"] == "征求意见"
        assert constants.label(constants.AMENDMENT_STATUSES, "open") == "待处理"
        assert constants.PRICING_KINDS.find("累进阶梯收费") == "progressive"
    with app.test_request_context(), force_locale("en"):
        assert constants.OUTCOME_RESULTS.label("partly", "en") == "Partly met"
        assert constants.labels(constants.STANCES) == {"support": "Support", "reserve": "Support with reservations",
                                                       "oppose": "Oppose"}


def test_the_terms_of_a_position_take_their_limits_and_kinds_from_the_term_definition(app, monkeypatch):
    from consortium.negotiations import terms

    row = {"key": "price_floor", "label": "价格底线与分成", "type": "money", "value": "250000", "rationale": "理由" * 10}
    with app.test_request_context("/?lang=zh_CN"):
        assert terms.clean_terms([row])[0]["label"] == "价格底线与分成"

        class Narrower(schemas.TermFields):
            label = entity.Text(5, label=_l("Term"), required=True)
            rationale = entity.Text(8, label=_l("Rationale"))
            type = entity.Choice(Vocabulary("term_type", [constants.TERM_TYPES["text"]]), label=_l("Kind"), plain=True)

        monkeypatch.setattr(schemas, "TermFields", Narrower)
        with pytest.raises(DomainError) as err:
            terms.clean_terms([row])
        assert err.value.field == "label"
        with pytest.raises(DomainError) as err:
            terms.clean_terms([dict(row, label="底线")])
        assert err.value.field == "type"  # money is no longer a kind
        assert terms.clean_terms([dict(row, label="底线", type="text", value="x")])[0]["rationale"] == "理由" * 4


def test_a_move_a_participants_reason_and_a_signature_have_their_definitions(app, union, dossier):
    """schemas.EventFields, ParticipantFields and SignatureFields: the small forms of the dossier
    page are generated from them and the services refuse what they refuse (nothing written)."""
    from consortium.negotiations.models import DossierEvent, Participant
    u = union.u
    with app.test_request_context():
        assert [f.name for f in forms.TransitionForm(meta={"csrf": False})] == ["to_status", "note"]
        assert [f.name for f in forms.WithdrawForm(meta={"csrf": False})] == ["member", "reason"]
        assert [f.name for f in forms.SignForm(meta={"csrf": False})] == ["signed", "comment"]
    events = db.session.scalar(select(func.count()).select_from(DossierEvent))
    with pytest.raises(DomainError) as err:
        services.transition(u.qd, dossier, "consultation", note="注" * 5001)
    assert err.value.field == "note"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(DossierEvent)) == events
    with pytest.raises(DomainError) as err:
        services.withdraw(u.qd, dossier, union.nb, reason="因" * 5001)
    assert err.value.field == "reason"
    db.session.rollback()
    with pytest.raises(DomainError) as err:
        services.withdraw(u.qd, dossier, union.nb, reason="  ")
    assert err.value.field == "reason" and err.value.message == "请说明移出的理由。"
    db.session.rollback()
    statuses = db.session.scalars(select(Participant.status).where(Participant.member_id == union.nb.id)).all()
    assert statuses == ["active"]
    event = services.transition(u.qd, dossier, "consultation", note="  请各方在周五前表态 ")
    assert event.note == "请各方在周五前表态"


def test_a_field_added_to_an_amendment_or_a_stance_gets_its_input_on_the_dossier_page(
        browser, union, dossier, monkeypatch):
    """The dossier page's compact amendment and stance forms lay out value, reason, stance and
    comment by hand; any other field of their definitions gets an input of its own there."""
    from consortium.negotiations.views import dossiers as dossier_views
    monkeypatch.setattr(dossier_views, "StanceFields", _extra(schemas.StanceFields))
    monkeypatch.setattr(dossier_views, "AmendmentForm", forms._form(
        "AmendmentForm", forms._AmendmentFormBase, _extra(schemas.AmendmentFields), exclude=("decision_reason",),
        place=(("term_key", None),)))
    browser.login("wz@cdou.example")
    html = browser.get(f"/negotiations/{dossier.id}").get_data(as_text=True)
    amendment = html[html.index('id="amendment-form"'):html.index("</form>", html.index('id="amendment-form"'))]
    assert 'name="owner_unit"' in amendment and 'name="colour"' in amendment and 'placeholder="来源"' in amendment
    stance = html[html.index('class="stance-form'):html.index("</form>", html.index('class="stance-form'))]
    assert 'name="owner_unit"' in stance and 'placeholder="来源"' in stance
    monkeypatch.undo()
    plain = browser.get(f"/negotiations/{dossier.id}").get_data(as_text=True)
    assert 'name="owner_unit"' not in plain   # the real definitions: the page as before
