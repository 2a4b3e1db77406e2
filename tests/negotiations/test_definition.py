"""The negotiation entities' one definition each (schemas.DossierFields, VersionFields,
AmendmentFields, StanceFields, PricingModelFields, and the move, answer, signature, decision and
term: EventFields, ParticipantFields, SignatureFields, AmendmentFields' decision fields,
TermFields) drives the services' rules, the forms, the JSON answers and their OpenAPI
description: a field added to a definition reaches them with no other code (stored by the
service, refused with its name and nothing written, an input in the form, shown on the page or in
the JSON), and the real definitions' fields are all in the forms and the description."""
import re
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
from tests.definition_answers import answer_with

from .conftest import TERMS, open_sign_on

COLOURS = Vocabulary("colour", [Term("red", "红色", _l("Red")), Term("blue", "蓝色", _l("Blue"))])


def _extra(definition, **kw):
    """A copy of a definition after adding two fields: a text of at most 30 characters and a
    vocabulary (``kw``: more of what the fields say, e.g. their metadata)."""
    return type(f"{definition.__name__}WithExtra", (definition,), {
        "owner_unit": entity.Text(30, label=_l("Source"), **kw),
        "colour": entity.Choice(COLOURS, label=_l("Kind"), plain=True, **kw),
    })


# (definition, form base, what the generated form leaves to the base, the answer's shape and its extra)
CASES = {
    "dossier": (schemas.DossierFields, forms._DossierFormBase, (), "DossierDetailOut"),
    "amendment": (schemas.AmendmentFields, forms._AmendmentFormBase, ("decision_reason",), "AmendmentOut"),
    "stance": (schemas.StanceFields, forms._StanceFormBase, ("stance",), "StanceOut"),
    "pricing model": (schemas.PricingModelFields, forms._PricingModelFormBase, ("schedule",), "PricingModelOut"),
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
        assert form.owner_unit.render_kw["maxlength"] == 30  # a hint: the limit is the load's rule
        assert [(c[0], c[1]) for c in form.colour.iter_choices()] == [("red", "红色"), ("blue", "蓝色")]
        # what the form and an API body hand to the service carry the new fields by name
        if hasattr(form, "values"):
            form.owner_unit.data, form.colour.data = "市大数据局", "blue"
            assert form.values()["owner_unit"] == "市大数据局" and form.values()["colour"] == "blue"
        body = {"owner_unit": "市大数据局", "colour": "red", "unrelated": 1}
        assert entity.carried(WithExtra, body) == {"owner_unit": "市大数据局", "colour": "red"}
        # the JSON answer and its shape
        Out = entity.output_schema(WithExtra, "ExtraOut", {})
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
        assert forms.DecideForm(meta={"csrf": False}).decision_reason.render_kw["maxlength"] == 5000
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


def test_each_post_body_is_described_from_its_definition(client):
    """The bodies the API reads (a position, a stance, an amendment, a signature) are described
    with their definitions' fields, limits and vocabularies, each beside the keys the view reads
    itself; the bodies admit other keys (they are not read), so no ``additionalProperties: false``."""
    doc = client.get("/api/v1/openapi.json").get_json()
    spec = doc["components"]["schemas"]
    cases = {"versions": (schemas.VersionFields, (), {"base_version", "terms"}),
             "stances": (schemas.StanceFields, (), {"term"}),
             "amendments": (schemas.AmendmentFields, schemas.decision_fields(schemas.AmendmentFields), {"term"}),
             "sign-on": (schemas.SignatureFields, (), {"signed"})}
    for path, (definition, left_out, own) in cases.items():
        ref = doc["paths"][f"/api/v1/negotiations/{{dossier_id}}/{path}"]["post"]["requestBody"]["content"][
            "application/json"]["schema"]["$ref"]
        body = spec[ref.rsplit("/", 1)[1]]
        defined = set(entity.described(definition)) - set(left_out)
        assert set(body["properties"]) == defined | own, path
        assert "additionalProperties" not in body, path
        assert not set(left_out) & set(body["properties"]), path
    assert spec["StanceCreateBody"]["properties"]["stance"]["enum"] == ["support", "reserve", "oppose"]
    assert spec["StanceCreateBody"]["required"] == ["stance"]
    assert spec["AmendmentCreateBody"]["properties"]["reason"]["maxLength"] == 5000
    term = spec["TermBody"]
    assert set(entity.described(schemas.TermFields)) <= set(term["properties"]) and term["required"] == ["label", "type"]


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
        # the acknowledgement of a breached red line is the service's own argument, not a defined field
        assert [f.name for f in forms.TransitionForm(meta={"csrf": False})] == ["to_status", "note", "acknowledgement"]
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


# ---- a field added to the definition of a move, an answer, a signature, a decision or a term
# reaches the service (stored, or refused with the field named and nothing written), the form
# and the page or the JSON, with no other code. The model's part (a column and a migration in
# real life) is a plain attribute here: the row the service returned carries the value.

def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _with_model_fields(monkeypatch, *models):
    for model in models:
        for name in ("owner_unit", "colour"):
            monkeypatch.setattr(model, name, None, raising=False)


def _returned(monkeypatch, name) -> list:
    """``services.<name>`` as the pages call it, keeping the rows it returned."""
    real, rows = getattr(services, name), []

    def call(*args, **kwargs):
        rows.append(real(*args, **kwargs))
        return rows[-1]
    monkeypatch.setattr(services, name, call)
    return rows


def _part(html, start, end="</form>"):
    at = html.index(start)
    return html[at:html.index(end, at)]


def test_a_field_added_to_a_move_reaches_the_service_the_form_and_the_page(app, browser, union, dossier,
                                                                          monkeypatch):
    from consortium.negotiations.models import DossierEvent
    from consortium.negotiations.services import dossiers as dossier_services
    from consortium.negotiations.views import dossiers as dossier_views
    WithExtra = _extra(schemas.EventFields)
    monkeypatch.setattr(dossier_services, "EventFields", WithExtra)
    monkeypatch.setattr(dossier_views, "EventFields", WithExtra)
    monkeypatch.setattr(dossier_views, "TransitionForm", forms._form(
        "TransitionForm", forms._TransitionBase, WithExtra, place=(("to_status", None),)))
    _with_model_fields(monkeypatch, DossierEvent)
    u, events = union.u, _count(DossierEvent)
    for bad, field, says in [({"owner_unit": "长" * 31}, "owner_unit", "30"), ({"colour": "green"}, "colour", "green"),
                             ({"owner": "x"}, "owner", "不可修改")]:
        with pytest.raises(DomainError) as err:
            services.transition(u.qd, dossier, "consultation", note="请表态", **bad)
        assert err.value.field == field and says in err.value.message, bad
        db.session.rollback()
    assert _count(DossierEvent) == events and db.session.get(Dossier, dossier.id).status == "drafting"

    browser.login("qd@cdou.example")
    url = f"/negotiations/{dossier.id}"
    form = _part(browser.get(url).get_data(as_text=True), 'id="transition-form"')
    assert 'name="owner_unit"' in form and 'placeholder="来源"' in form and 'name="colour"' in form
    moved = _returned(monkeypatch, "transition")
    browser.post_form(f"{url}/transition", {"to_status": "consultation", "note": "请表态",
                                            "owner_unit": " 市大数据局 ", "colour": "blue"}, form_url=url)
    assert _count(DossierEvent) == events + 1
    assert (moved[0].note, moved[0].owner_unit, moved[0].colour) == ("请表态", "市大数据局", "blue")
    history = _part(browser.get(url).get_data(as_text=True), 'id="events"', "</ul>")
    assert "来源:</span> 市大数据局" in history and "类型:</span> 蓝色" in history
    monkeypatch.undo()
    assert 'name="owner_unit"' not in browser.get(url).get_data(as_text=True)  # the real definition: as before


def test_a_field_added_to_a_participants_answer_reaches_the_services_the_forms_and_the_page(
        app, browser, union, dossier, monkeypatch):
    from consortium.negotiations.models import Participant
    from consortium.negotiations.services import participants as participant_services
    from consortium.negotiations.views import dossiers as dossier_views
    from consortium.negotiations.views import participants as participant_views
    WithExtra = _extra(schemas.ParticipantFields)
    monkeypatch.setattr(participant_services, "ParticipantFields", WithExtra)
    monkeypatch.setattr(dossier_views, "ParticipantFields", WithExtra)
    for module in (dossier_views, participant_views):
        monkeypatch.setattr(module, "RespondForm", forms._form(
            "RespondForm", forms._RespondBase, WithExtra, place=(("accept", None),)))
        monkeypatch.setattr(module, "WithdrawForm", forms._form(
            "WithdrawForm", forms._WithdrawBase, WithExtra, place=(("member", None),)))
    _with_model_fields(monkeypatch, Participant)
    u = union.u
    services.invite(u.qd, dossier, union.xm)
    db.session.commit()
    rows = _count(Participant)
    with pytest.raises(DomainError) as err:
        services.respond(u.xm, dossier, accept=True, owner_unit="长" * 31)
    assert err.value.field == "owner_unit" and "30" in err.value.message
    db.session.rollback()
    with pytest.raises(DomainError) as err:
        services.withdraw(u.qd, dossier, union.nb, reason="不再参与", colour="green")
    assert err.value.field == "colour" and "green" in err.value.message
    db.session.rollback()
    states = dict(db.session.execute(select(Participant.member_id, Participant.status)).all())
    assert _count(Participant) == rows and (states[union.xm.id], states[union.nb.id]) == ("invited", "active")

    # the invited organisation answers on the invitation page, with the new fields
    browser.login("xm@cdou.example")
    url = f"/negotiations/{dossier.id}"
    invitation = _part(browser.get(url).get_data(as_text=True), 'id="invitation"')
    assert 'name="owner_unit"' in invitation and 'name="colour"' in invitation
    answered = _returned(monkeypatch, "respond")
    browser.post_form(f"{url}/respond", {"accept": "1", "reason": "愿意参与", "owner_unit": "厦门市数据局",
                                         "colour": "red"}, form_url=url)
    assert (answered[0].status, answered[0].reason, answered[0].owner_unit, answered[0].colour) == (
        "active", "愿意参与", "厦门市数据局", "red")
    browser.logout()
    browser.login("qd@cdou.example")
    html = browser.get(url).get_data(as_text=True)
    participants = _part(html, 'id="participants"', '</ul>')
    assert "来源:</span> 厦门市数据局" in participants and "类型:</span> 红色" in participants
    assert 'name="owner_unit"' in _part(participants, 'action="/negotiations/%d/withdraw"' % dossier.id)
    withdrawn = _returned(monkeypatch, "withdraw")
    browser.post_form(f"{url}/withdraw", {"member": str(union.nb.id), "reason": "不再参与", "owner_unit": "宁波",
                                          "colour": "blue"}, form_url=url)
    assert (withdrawn[0].status, withdrawn[0].owner_unit) == ("withdrawn", "宁波")
    assert _count(Participant) == rows


def test_a_field_added_to_a_signature_reaches_the_service_the_form_the_page_and_the_json(
        app, browser, union, dossier, monkeypatch):
    from consortium.negotiations.models import Signature
    from consortium.negotiations.services import sign_on as sign_on_services
    from consortium.negotiations.views import dossiers as dossier_views
    from consortium.negotiations.views import sign_on as sign_on_views
    WithExtra = _extra(schemas.SignatureFields)
    monkeypatch.setattr(sign_on_services, "SignatureFields", WithExtra)
    monkeypatch.setattr(dossier_views, "SignatureFields", WithExtra)
    for module in (dossier_views, sign_on_views):
        monkeypatch.setattr(module, "SignForm", forms._form("SignForm", forms._SignBase, WithExtra,
                                                            place=(("signed", None),)))
    _with_model_fields(monkeypatch, Signature)
    u = union.u
    services.transition(u.qd, dossier, "consultation")
    open_sign_on(dossier, u.qd, u.wz, u.nb)
    db.session.commit()
    with pytest.raises(DomainError) as err:
        services.sign(u.wz, dossier, signed=True, comment="同意", owner_unit="长" * 31)
    assert err.value.field == "owner_unit" and "30" in err.value.message
    db.session.rollback()
    assert _count(Signature) == 0

    browser.login("wz@cdou.example")
    url = f"/negotiations/{dossier.id}"
    form = _part(browser.get(url).get_data(as_text=True), f'action="{url}/sign"')
    assert 'name="owner_unit"' in form and 'name="colour"' in form
    signed = _returned(monkeypatch, "sign")
    browser.post_form(f"{url}/sign", {"signed": "1", "comment": "联署", "owner_unit": "温州市数据局",
                                      "colour": "blue"}, form_url=url)
    assert _count(Signature) == 1 and (signed[0].comment, signed[0].owner_unit) == ("联署", "温州市数据局")
    sign_on = _part(browser.get(url).get_data(as_text=True), 'id="sign-on"', "</ul>")
    assert "来源:</span> 温州市数据局" in sign_on and "类型:</span> 蓝色" in sign_on
    answer = browser.get(f"/api/v1/negotiations/{dossier.id}/sign-on").get_json()
    assert [(s["member"], s["comment"]) for s in answer["signatures"]] == [("wenzhou", "联署")]
    with app.test_request_context("/?lang=zh_CN"):  # the answer's shape derived from the longer definition
        shown = answer_with(WithExtra, schemas.SignatureOut, signed[0])
    assert (shown["member"], shown["owner_unit"], shown["colour"]) == ("wenzhou", "温州市数据局", "blue")


def test_a_field_added_to_an_amendments_decision_reaches_the_service_the_form_and_the_page(
        app, browser, union, dossier, monkeypatch):
    from consortium.negotiations.models import PositionVersion
    from consortium.negotiations.services import amendments as amendment_services
    from consortium.negotiations.views import amendments as amendment_views
    from consortium.negotiations.views import dossiers as dossier_views
    Decided = _extra(schemas.AmendmentFields, metadata=constants.DECISION)  # written by the coordinator deciding
    assert schemas.decision_fields(Decided) == ("decision_reason", "owner_unit", "colour")
    assert schemas.proposal_fields(Decided) == ("reason", "value")
    monkeypatch.setattr(amendment_services, "AmendmentFields", Decided)
    monkeypatch.setattr(dossier_views, "AmendmentFields", Decided)
    for module in (dossier_views, amendment_views):
        monkeypatch.setattr(module, "DecideForm", forms._form("DecideForm", forms._DecideBase, Decided,
                                                              exclude=schemas.proposal_fields(Decided),
                                                              place=(("accept", None),)))
    _with_model_fields(monkeypatch, Amendment)
    u = union.u
    with pytest.raises(DomainError) as err:   # the proposer does not write the decision's fields
        services.propose_amendment(u.wz, dossier, term_key="price_floor", value="300000", reason="数据量",
                                   owner_unit="温州")
    assert err.value.field == "owner_unit"
    db.session.rollback()
    a = services.propose_amendment(u.wz, dossier, term_key="price_floor", value="300000", reason="数据量")
    db.session.commit()
    versions = _count(PositionVersion)
    for accept, bad, field in [(True, {"owner_unit": "长" * 31}, "owner_unit"), (False, {"decision_reason": "否", "colour": "green"}, "colour"),
                               (False, {"decision_reason": " ", "owner_unit": "市"}, "decision_reason"),
                               (True, {"reason": "改理由"}, "reason")]:
        with pytest.raises(DomainError) as err:
            services.decide_amendment(u.qd, dossier, a, accept=accept, **bad)
        assert err.value.field == field, bad
        db.session.rollback()
    assert err.value.message == "该字段不可修改。"  # the proposer's reason is not the coordinator's to change
    assert _count(PositionVersion) == versions and db.session.get(Amendment, a.id).status == "open"
    assert db.session.get(Amendment, a.id).reason == "数据量"

    browser.login("qd@cdou.example")
    url = f"/negotiations/{dossier.id}"
    form = _part(browser.get(url).get_data(as_text=True), f'action="{url}/amendments/{a.id}/decide"')
    assert 'name="decision_reason"' in form and 'name="owner_unit"' in form and 'name="colour"' in form
    decided = _returned(monkeypatch, "decide_amendment")
    browser.post_form(f"{url}/amendments/{a.id}/decide", {"accept": "0", "decision_reason": "维持原价",
                                                          "owner_unit": "青岛市数据局", "colour": "red"},
                      form_url=url)
    assert (decided[0].status, decided[0].decision_reason, decided[0].owner_unit, decided[0].colour) == (
        "rejected", "维持原价", "青岛市数据局", "red")
    listed = _part(browser.get(url).get_data(as_text=True), 'id="amendment-list"', 'id="amendment-form"')
    assert "维持原价" in listed and "来源:</span> 青岛市数据局" in listed and "类型:</span> 红色" in listed
    assert _count(PositionVersion) == versions


def test_a_field_added_to_a_term_reaches_its_cleaning_the_version_the_api_and_the_pages(
        app, browser, union, dossier, monkeypatch):
    from consortium.negotiations import terms
    from consortium.negotiations.models import PositionVersion

    from .test_views import _editor_form
    # a term's choice left out is empty (``blank``): the terms of earlier versions, written before
    # the field was added, are still read (an amendment re-checks them all)
    monkeypatch.setattr(schemas, "TermFields", type("TermFieldsWithExtra", (schemas.TermFields,), {
        "owner_unit": entity.Text(30, label=_l("Source")),
        "colour": entity.Choice(COLOURS, label=_l("Kind"), plain=True, blank="—")}))
    u = union.u
    row = {"key": "price_floor", "label": "价格底线", "type": "money", "value": "250000"}
    with app.test_request_context("/?lang=zh_CN"):
        cleaned = terms.clean_terms([dict(row, owner_unit=" 市大数据局 ", colour="blue")])[0]
        assert (cleaned["owner_unit"], cleaned["colour"], cleaned["value"]) == ("市大数据局", "blue", "250000.00")
        assert terms.clean_terms([row])[0]["owner_unit"] == ""   # left out: empty
        assert terms.template_term("price_floor")["owner_unit"] is None
    versions = _count(PositionVersion)
    for bad, field in [({"owner_unit": "长" * 31}, "owner_unit"), ({"colour": "green"}, "colour")]:
        with pytest.raises(DomainError) as err:
            services.save_position(u.qd, dossier, [dict(row, **bad)], base_version=1)
        assert err.value.field == field, bad
        db.session.rollback()
    assert _count(PositionVersion) == versions and db.session.get(Dossier, dossier.id).current_version == 1

    # the editor: an input for each new field, posted, stored in the version's JSON
    browser.login("qd@cdou.example")
    url = f"/negotiations/{dossier.id}"
    html = browser.get(f"{url}/position").get_data(as_text=True)
    assert 'name="term-0-owner_unit"' in html and 'name="term-3-colour"' in html and ">来源</label>" in html
    form = _editor_form(html)
    form.update({"term-0-owner_unit": "市大数据局", "term-0-colour": "blue", "term-2-owner_unit": "长" * 31})
    refused = browser.client.post(f"{url}/position", data=form)
    assert refused.status_code == 400 and "最多 30 个字符" in refused.get_data(as_text=True)
    assert _count(PositionVersion) == versions
    form["term-2-owner_unit"] = "宁波"
    browser.client.post(f"{url}/position", data=form)
    db.session.expire_all()
    stored = services.get_version(dossier, 2).terms
    assert [(t["key"], t["owner_unit"], t["colour"]) for t in stored] == [
        ("price_floor", "市大数据局", "blue"), ("revenue_split", "", ""), ("exclusivity", "宁波", ""),
        ("term_length", "", "")]
    # the editor shows them again, the API answers them, the version page and the diff show them
    html = browser.get(f"{url}/position").get_data(as_text=True)
    assert re.search(r'name="term-0-owner_unit"[^>]*value="市大数据局"', html)
    assert re.search(r'<option selected value="blue">蓝色</option>', _part(html, 'name="term-0-colour"', "</select>"))
    answer = browser.get(f"/api/v1/negotiations/{dossier.id}/versions/2").get_json()
    assert [t.get("owner_unit") for t in answer["terms"]] == ["市大数据局", "", "宁波", ""]
    page = _part(browser.get(f"{url}/versions/2").get_data(as_text=True), 'id="terms-table"', "</table>")
    assert "来源:</span> 市大数据局" in page and "类型:</span> 蓝色" in page
    changes = browser.get(f"/api/v1/negotiations/{dossier.id}/diff?from=1&to=2").get_json()["changes"]
    assert {"field": "来源", "old": "—", "new": "市大数据局"} in changes[0]["fields"]


def test_a_field_added_to_a_versions_definition_reaches_the_service_the_editor_the_api_and_the_page(
        app, browser, union, dossier, monkeypatch):
    from consortium.negotiations.models import PositionVersion
    from consortium.negotiations.services import positions as position_services
    from consortium.negotiations.views import positions as position_views

    from .test_views import _editor_form
    WithExtra = _extra(schemas.VersionFields)
    for module in (position_services, negotiations_api, schemas):
        monkeypatch.setattr(module, "VersionFields", WithExtra)
    monkeypatch.setattr(position_views, "VersionForm", forms._form("VersionForm", forms.Form, WithExtra))
    _with_model_fields(monkeypatch, PositionVersion)
    u, versions = union.u, _count(PositionVersion)
    with pytest.raises(DomainError) as err:
        services.save_position(u.qd, dossier, TERMS, base_version=1, note="二稿", owner_unit="长" * 31)
    assert err.value.field == "owner_unit" and "30" in err.value.message
    db.session.rollback()
    assert _count(PositionVersion) == versions and db.session.get(Dossier, dossier.id).current_version == 1

    browser.login("qd@cdou.example")
    url = f"/negotiations/{dossier.id}"
    html = browser.get(f"{url}/position").get_data(as_text=True)
    assert 'name="owner_unit"' in html and 'name="colour"' in html and ">来源</label>" in html
    saved = _returned(monkeypatch, "save_position")
    browser.client.post(f"{url}/position", data=_editor_form(html) | {"note": "二稿", "owner_unit": "市大数据局",
                                                                      "colour": "blue"})
    assert _count(PositionVersion) == versions + 1
    assert (saved[0].number, saved[0].note, saved[0].owner_unit, saved[0].colour) == (2, "二稿", "市大数据局", "blue")
    page = browser.get(f"{url}/versions/2").get_data(as_text=True)
    assert "来源:</span> 市大数据局" in page and "类型:</span> 蓝色" in page
