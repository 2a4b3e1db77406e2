"""A scenario group, a seed scenario and a replication are each defined once
(schemas.ScenarioGroupFields, ScenarioFields, ReplicationFields): the services' rules, the
forms, the API's bodies and answers and their OpenAPI description are derived from them. A
field added to a copy of a definition reaches the form, the rules and the JSON with no other
code; the vocabularies are core.vocab Vocabularies whose Chinese labels are the ones users saw."""
import re
from datetime import date
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from consortium.core import entity
from consortium.core.clock import local_today
from consortium.core.exceptions import DomainError, PermissionDenied
from consortium.core.vocab import Term, Vocabulary
from consortium.extensions import db
from consortium.scenarios import constants, forms, schemas, services
from consortium.scenarios.models import Replication, ScenarioGroup
from consortium.scenarios.services import groups as group_services
from consortium.scenarios.services import replications as replication_services

GROUP = list(entity.described(schemas.ScenarioGroupFields))
SCENARIO = list(entity.described(schemas.ScenarioFields))
REPLICATION = list(entity.described(schemas.ReplicationFields))

COLOURS = Vocabulary("colour", [Term("red", "红色", _l("Red")), Term("blue", "蓝色", _l("Blue"))])


def _names(form) -> list[str]:
    return [field.name for field in form]


# ---------------------------------------------------------------- the real definitions

def test_every_defined_field_is_in_its_forms_in_order(app):
    with app.test_request_context("/?lang=zh_CN"):
        group = forms.GroupForm(formdata=None)
        assert _names(group) == ["version", *GROUP, "submit", "csrf_token"]
        assert group.promotable_cities.data == 3 and group.stall_days.data == 60  # the definition's initial values
        assert group.code.description == "小写字母、数字和连字符，例如 industry。"
        scenario = forms.ScenarioForm(formdata=None)
        # what a scenario needs and the entries it names follow the origin member, as they always did
        assert _names(scenario) == ["version", "title", "title_en", "description", "origin_member", "needs",
                                    "resource_ids", "circulation_modes", "maturity", "links", "submit", "csrf_token"]
        assert set(SCENARIO) <= set(_names(scenario))
        assert [label for _code, label in scenario.maturity.choices] == ["构想", "单城试点", "已验证", "成熟产品"]
        assert _names(forms.ReplicationForm(formdata=None)) == ["version", *REPLICATION, "submit", "csrf_token"]
        opening = [n for n in REPLICATION if n not in schemas.OPENING_EXCLUDES]
        assert _names(forms.StartReplicationForm(formdata=None)) == ["member", *opening, "note", "submit",
                                                                     "csrf_token"]
        assert _names(forms.AcceptInvitationForm(formdata=None)) == [*opening, "submit", "csrf_token"]
        assert forms.ReplicationForm(formdata=None).owner.label.text == "负责人"


def test_openapi_describes_every_defined_field(client):
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    # answers: the group names its purpose ``purpose`` and its lead ``lead``; the switch is not shown
    assert set(spec["GroupOut"]["properties"]) >= (set(GROUP) - {"description", "lead_member",
                                                                 "authorisation_before_pilot"}) | {"purpose", "lead"}
    assert "description" not in spec["GroupOut"]["properties"]
    assert set(SCENARIO) <= set(spec["ScenarioOut"]["properties"])
    assert set(REPLICATION) <= set(spec["ReplicationOut"]["properties"])
    # bodies: the limits are the definition's
    created = spec["ScenarioCreate"]
    assert set(SCENARIO) <= set(created["properties"]) and "title" in created["required"]
    assert created["properties"]["title"]["maxLength"] == 200
    assert created["properties"]["maturity"]["enum"] == ["idea", "pilot", "proven", "mature"]
    assert spec["ReplicationUpdate"]["properties"]["owner"]["maxLength"] == 120
    assert set(spec["ReplicationUpdate"]["properties"]) == set(REPLICATION) | {"version"}
    assert "blockers" not in spec["ReplicationStart"]["properties"]  # written once the replication is open


def test_the_services_apply_the_definitions_rules(world):
    before = db.session.scalar(select(func.count(ScenarioGroup.id)))
    with pytest.raises(DomainError) as err:
        services.create_group(None, code="health", name="医疗场景小组", lead_member=world.fuzhou, stall_days=0)
    assert err.value.field == "stall_days" and "1" in err.value.message and "3650" in err.value.message
    with pytest.raises(DomainError) as err:
        services.create_group(None, code="health", name="医" * 121, lead_member=world.fuzhou)
    assert err.value.field == "name"
    with pytest.raises(DomainError) as err:
        services.create_group(None, code="health", name="医疗场景小组", lead_member=None)
    assert err.value.field == "lead_member"
    assert db.session.scalar(select(func.count(ScenarioGroup.id))) == before  # nothing written
    group = services.create_group(None, code="Health", name="医疗场景小组", lead_member=str(world.fuzhou.id))
    assert (group.code, group.lead_member, group.promotable_cities, group.stall_days) == ("health", world.fuzhou, 3, 60)

    with pytest.raises(DomainError) as err:
        services.update_scenario(world.users.lead, world.scenario, title="公交", needs=[("transport", "x", "x")],
                                 maturity="legendary")
    assert err.value.field == "maturity"
    with pytest.raises(DomainError) as err:
        services.update_scenario(world.users.lead, world.scenario, title="公交", needs=[("transport", "x", "x")],
                                 circulation_modes=["teleport"])
    assert err.value.field == "circulation_modes"
    db.session.rollback()
    assert world.scenario.maturity == "proven" and world.scenario.title == "公交信息智能服务"

    rep = services.start_replication(None, world.scenario, world.fuzhou, owner=" 王工 ")
    db.session.commit()
    assert rep.owner == "王工"
    with pytest.raises(DomainError) as err:
        services.update_replication(world.users.fuzhou, rep, owner="王" * 121)
    assert err.value.field == "owner"
    db.session.rollback()
    assert db.session.get(Replication, rep.id).owner == "王工"


def test_the_api_answers_with_the_defined_fields(client, world):
    rep = services.start_replication(None, world.scenario, world.fuzhou, owner="王工", next_step="约见交通局")
    db.session.commit()
    scenario = client.get(f"/api/v1/scenarios/{world.scenario.id}").get_json()
    assert {k: scenario[k] for k in SCENARIO} == {
        "title": "公交信息智能服务", "title_en": "", "description": "实时到站与客流分析", "origin_member": "xiamen",
        "circulation_modes": ["in_domain", "privacy"], "maturity": "proven", "links": ["https://example.org/bus"]}
    group = client.get(f"/api/v1/groups/{world.group.code}").get_json()
    assert (group["purpose"], group["lead"], group["target_count"], group["target_date"], group["stall_days"]) == (
        "交通领域垂直场景联合攻坚小组", {"code": "xiamen", "name": "厦门大数据有限公司"}, 3, "2026-12-31", 60)
    assert "authorisation_before_pilot" not in group and "description" not in group
    out = schemas.ReplicationOut().dump(rep)
    assert (out["owner"], out["next_step"], out["blockers"]) == ("王工", "约见交通局", "")


def test_vocabularies_have_one_shape_and_keep_their_chinese_labels(app):
    vocabularies = (constants.STAGES, constants.MATURITIES, constants.MEMBERSHIP_STATUSES,
                    constants.INVITATION_STATUSES)
    with app.test_request_context("/?lang=zh_CN"), force_locale("zh_CN"):
        for vocabulary in vocabularies:
            assert isinstance(vocabulary, Vocabulary)
            for term in vocabulary.values():
                assert isinstance(term, Term) and term.zh
                assert str(term.en) == term.zh  # the zh catalogue's label is the term's Chinese label
        assert constants.label(constants.STAGES, "data_ready") == "数据准备"
        assert constants.label(constants.STAGES, "unknown") == "unknown"
    with app.test_request_context(), force_locale("en"):
        assert constants.label(constants.STAGES, "data_ready") == "Data readiness"
        assert constants.MATURITIES.find("单城试点") == "pilot"
    assert list(constants.STAGES)[:5] == list(constants.STAGE_LINE)


# ---------------------------------------------------------------- a field added to a copy

class GroupWithExtra(schemas.ScenarioGroupFields):
    region = entity.Text(20, label=_l("Name (English)"))
    colour = entity.Choice(COLOURS, label=_l("Maturity"), plain=True)


class ScenarioWithExtra(schemas.ScenarioFields):
    sponsor = entity.Text(30, label=_l("Owner"))


class ReplicationWithExtra(schemas.ReplicationFields):
    budget = entity.Count(maximum=500, label=_l("Target: promotable solutions"))
    colour = entity.Choice(COLOURS, label=_l("Maturity"), blank="—")


def test_a_field_added_to_the_group_reaches_form_rules_and_json(app):
    with app.test_request_context("/?lang=zh_CN"):
        Form = entity.form_class("GroupWithExtraForm", forms._GroupBase, GroupWithExtra, place=[("version", None)])
        form = Form(formdata=None)
        assert _names(form)[-4:] == ["region", "colour", "submit", "csrf_token"]
        assert [label for _c, label in form.colour.choices] == ["红色", "蓝色"]
        assert 'maxlength="20"' in str(form.region)
        assert entity.clean_values(GroupWithExtra, {"region": " 华东 ", "colour": "blue"}) == {
            "region": "华东", "colour": "blue"}
        with pytest.raises(DomainError) as err:
            entity.clean_values(GroupWithExtra, {"region": "华" * 21})
        assert err.value.field == "region"
        with pytest.raises(DomainError) as err:
            entity.clean_values(GroupWithExtra, {"colour": "green"})
        assert err.value.field == "colour"
        Out = entity.output_schema(GroupWithExtra, "GroupWithExtraOut", {})
        group = SimpleNamespace(**{**dict.fromkeys(GROUP), "region": "华东", "colour": "red", "target_date": date(2026, 12, 31)})
        shown = Out().dump(group)
        assert (shown["region"], shown["colour"], shown["target_date"]) == ("华东", "red", "2026-12-31")


def test_a_field_added_to_the_scenario_reaches_form_rules_and_json(app):
    with app.test_request_context("/?lang=zh_CN"):
        form = entity.form_class("ScenarioWithExtraForm", forms._ScenarioBase, ScenarioWithExtra)(formdata=None)
        assert "sponsor" in _names(form) and form.sponsor.label.text == "负责人"
        with pytest.raises(DomainError) as err:
            entity.clean_values(ScenarioWithExtra, {"sponsor": "赞" * 31})
        assert err.value.field == "sponsor"
        body = entity.input_schema(ScenarioWithExtra, "ScenarioWithExtraBody", {})
        assert body().validate({"sponsor": "赞" * 31}) == {"sponsor": ["最多 30 个字符。"]}  # the kind's own rule
        assert "sponsor" in entity.output_schema(ScenarioWithExtra, "ScenarioWithExtraOut", {})._declared_fields


def test_a_field_added_to_the_replication_reaches_the_service_with_no_other_code(app, world, monkeypatch):
    """The service reads what may be written from the definition: with a field added there,
    update_replication stores it and refuses a value outside its rule (nothing written)."""
    rep = services.start_replication(None, world.scenario, world.fuzhou, owner="王工")
    db.session.commit()
    monkeypatch.setattr(replication_services, "ReplicationFields", ReplicationWithExtra)
    version = rep.version
    with pytest.raises(DomainError) as err:
        services.update_replication(world.users.fuzhou, rep, budget=501)
    assert err.value.field == "budget" and "500" in err.value.message
    with pytest.raises(DomainError) as err:
        services.update_replication(world.users.fuzhou, rep, colour="green")
    assert err.value.field == "colour"
    assert rep.version == version and not hasattr(rep, "budget")
    services.update_replication(world.users.fuzhou, rep, budget="120", colour="blue", owner="李工")
    assert (rep.budget, rep.colour, rep.owner) == (120, "blue", "李工")
    with app.test_request_context("/?lang=zh_CN"):
        Form = entity.form_class("ReplicationWithExtraForm", forms._ReplicationBase, ReplicationWithExtra,
                                 place=[("version", None)])
        form = Form(formdata=None)
        assert _names(form)[-4:] == ["budget", "colour", "submit", "csrf_token"] and form.budget.label.text == "目标：可推广的解决方案数"
    Out = entity.output_schema(ReplicationWithExtra, "ReplicationWithExtraOut", {})
    assert Out().dump(rep)["budget"] == 120


def test_only_the_secretariat_changes_what_the_definition_leaves_to_it(world):
    with pytest.raises(PermissionDenied):
        group_services.update_group(world.users.lead, world.group, name="改名")
    db.session.rollback()
    assert db.session.get(ScenarioGroup, world.group.id).name == "交通场景小组"
    group_services.update_group(world.users.lead, world.group, stall_days="45", description=" 新的目标 ")
    assert (world.group.stall_days, world.group.description) == (45, "新的目标")


def test_the_audit_history_reads_a_defined_field_it_does_not_name(app, world, monkeypatch):
    """A field added to a definition reads with its definition's label in the audit history
    (here the label of a field the history names itself is kept)."""
    from consortium.audit import labels as audit_labels
    from consortium.scenarios import labels
    monkeypatch.setattr(labels, "ReplicationFields", ReplicationWithExtra)
    monkeypatch.setattr("consortium.core.signals._declared", {})   # the labels collected anew, with the extra fields
    with app.test_request_context("/?lang=zh_CN"):
        assert audit_labels.field_label("Replication", "budget") == "目标：可推广的解决方案数"
        assert audit_labels.value_label("Replication", "colour", "red") == "红色"
        assert audit_labels.field_label("Replication", "owner") == "负责人"
        assert audit_labels.field_label("ScenarioGroup", "promotable_cities") == "可推广所需上线城市数"


def test_the_scenario_page_reads_the_vocabularies_in_the_readers_language(client, world):
    """Needs show their domain, the scenario its circulation modes and maturity, as labels of
    the vocabularies (they once read empty when the vocabularies changed shape)."""
    page = client.get(f"/scenarios/{world.scenario.id}").get_data(as_text=True)
    assert re.search(r"公交实时位置数据 <span class=\"text-muted small\">· 交通</span>", page)
    assert '<span class="badge badge-kind me-1">供方数据不出域</span>' in page
    assert '<span class="badge badge-kind me-1">基于隐私计算</span>' in page and "已验证" in page
    client.get("/lang/en")
    page = client.get(f"/scenarios/{world.scenario.id}").get_data(as_text=True)
    assert re.search(r"公交实时位置数据 <span class=\"text-muted small\">· Transport</span>", page)
    assert '<span class="badge badge-kind me-1">Privacy-preserving computation</span>' in page and "Proven" in page


class ScenarioWithFlag(schemas.ScenarioFields):
    is_illustrative = entity.Flag(label=_l("Illustrative"))


class GroupWithLead(schemas.ScenarioGroupFields):
    second_lead = schemas.MemberRef(label=_l("Origin member"))


def test_a_field_added_to_a_definition_shows_on_its_page(browser, world, monkeypatch):
    """The pages list any field of the definition they do not lay out themselves, with its
    label and value; here the definitions gain a flag and a member the pages never heard of."""
    from consortium.scenarios.views import common
    world.scenario.is_illustrative = True
    db.session.commit()
    page = browser.get(f"/scenarios/{world.scenario.id}").get_data(as_text=True)
    assert '<dt class="col-sm-4">示例</dt>' not in page
    monkeypatch.setitem(common.PAGES, "scenario", (ScenarioWithFlag, common.PAGES["scenario"][1]))
    page = browser.get(f"/scenarios/{world.scenario.id}").get_data(as_text=True)
    assert '<dt class="col-sm-4">示例</dt><dd class="col-sm-8">是</dd>' in page
    world.group.second_lead = world.fuzhou  # as a model with that column would hold it
    monkeypatch.setitem(common.PAGES, "group", (GroupWithLead, common.PAGES["group"][1]))
    page = browser.get(f"/scenarios/groups/{world.group.code}").get_data(as_text=True)
    assert '<dt class="col-sm-4">首创单位</dt><dd class="col-sm-8">福州数据集团</dd>' in page
    assert 'id="group-more"' in page
    monkeypatch.setitem(common.PAGES, "group", (schemas.ScenarioGroupFields, common.PAGES["group"][1]))
    assert 'id="group-more"' not in browser.get(f"/scenarios/groups/{world.group.code}").get_data(as_text=True)


def test_a_stage_change_and_a_join_request_have_their_definitions(app, world):
    """schemas.EventFields and MembershipFields: the stage form and the join form are generated
    from them, and the services refuse what they refuse (nothing written)."""
    from consortium.scenarios.models import GroupMembership, ReplicationEvent
    from consortium.scenarios.services import memberships
    with app.test_request_context("/?lang=zh_CN"):
        assert _names(forms.StageForm(formdata=None)) == [
            "version", *entity.described(schemas.EventFields), "submit", "csrf_token"]
        assert _names(forms.JoinForm(formdata=None)) == ["motivation", "submit", "csrf_token"]
    rep = services.start_replication(None, world.scenario, world.fuzhou)
    db.session.commit()
    events = db.session.scalar(select(func.count(ReplicationEvent.id)))
    for kw, field in (({"note": "注" * 2001}, "note"), ({"reason": "因" * 2001}, "reason")):
        with pytest.raises(DomainError) as err:
            replication_services.change_stage(world.users.fuzhou, rep, "matching", **kw)
        assert err.value.field == field
        db.session.rollback()
    with pytest.raises(DomainError) as err:
        replication_services.change_stage(world.users.fuzhou, rep, "teleport")
    assert err.value.field == "to_stage" and err.value.message == "未知阶段。"
    db.session.rollback()
    assert db.session.scalar(select(func.count(ReplicationEvent.id))) == events
    with pytest.raises(DomainError) as err:
        replication_services.add_progress_note(world.users.fuzhou, rep, "进" * 2001)
    assert err.value.field == "note"
    db.session.rollback()
    assert db.session.scalar(select(func.count(ReplicationEvent.id))) == events
    event = replication_services.change_stage(world.users.fuzhou, rep, "matching", note="  已对接数源单位 ")
    assert (event.to_stage, event.note) == ("matching", "已对接数源单位")
    with pytest.raises(DomainError) as err:
        memberships.request_join(world.users.chengdu, world.group, motivation="动" * 2001)
    assert err.value.field == "motivation"
    db.session.rollback()
    assert db.session.scalar(select(func.count(GroupMembership.id)).where(
        GroupMembership.member_id == world.chengdu.id)) == 0


class EventWithExtra(schemas.EventFields):
    channel = entity.Text(20, label=_l("Channel"))


class MembershipWithExtra(schemas.MembershipFields):
    contact = entity.Text(20, required=True, label=_l("Contact"))


def test_a_field_added_to_the_stage_change_reaches_the_event_with_no_other_code(app, world, monkeypatch):
    """change_stage takes the event's defined fields as given: a field added to EventFields goes
    from the generated form (form.values(), as the view hands it over) onto the event, and a value
    outside its rule is refused by name with nothing written."""
    from consortium.scenarios.models import ReplicationEvent
    monkeypatch.setattr(replication_services, "EventFields", EventWithExtra)
    monkeypatch.setattr(ReplicationEvent, "channel", None, raising=False)  # stands for the new column
    rep = services.start_replication(None, world.scenario, world.fuzhou)
    db.session.commit()
    events = db.session.scalar(select(func.count(ReplicationEvent.id)))
    with pytest.raises(DomainError) as err:
        replication_services.change_stage(world.users.fuzhou, rep, "matching", channel="渠" * 21)
    assert err.value.field == "channel" and "20" in err.value.message
    db.session.rollback()
    assert db.session.scalar(select(func.count(ReplicationEvent.id))) == events and rep.stage == "interest"
    Form = entity.form_class("StageWithExtraForm", forms._StageBase, EventWithExtra, place=[("version", None)])
    posted = {"version": str(rep.version), "to_stage": "matching", "occurred_on": local_today().isoformat(),
              "note": "召开对接会", "channel": " 市数据局 "}
    with app.test_request_context("/?lang=zh_CN", method="POST", data=posted):
        form = Form(meta={"csrf": False})
        assert form.validate(), form.errors
        assert form.channel.label.text == "Channel"
        event = replication_services.change_stage(world.users.fuzhou, rep, expected_version=form.version.data,
                                                  **form.values())
    assert (event.to_stage, event.note, event.channel) == ("matching", "召开对接会", "市数据局")


def test_a_field_added_to_the_join_request_reaches_the_membership_with_no_other_code(app, world, monkeypatch):
    from consortium.scenarios.models import GroupMembership
    from consortium.scenarios.services import memberships
    monkeypatch.setattr(memberships, "MembershipFields", MembershipWithExtra)
    mine = select(func.count(GroupMembership.id)).where(GroupMembership.member_id == world.chengdu.id)
    with pytest.raises(DomainError) as err:  # required by the definition
        memberships.request_join(world.users.chengdu, world.group, motivation="有公交数据")
    assert err.value.field == "contact"
    db.session.rollback()
    assert db.session.scalar(mine) == 0
    m = memberships.request_join(world.users.chengdu, world.group, motivation="有公交数据", contact=" 张工 ")
    assert (m.status, m.motivation, m.contact) == ("pending", "有公交数据", "张工")
    with pytest.raises(DomainError) as err:  # a key no definition holds is refused, not dropped
        memberships.request_join(world.users.fuzhou, world.group, contact="李工", budget=3)
    assert err.value.field == "budget"


def test_the_leads_answer_to_a_join_request_has_its_definition(app, world, monkeypatch):
    """schemas.JoinDecisionFields: the reason's limit and "required when declining" come from it,
    and a field added there reaches the membership."""
    from consortium.scenarios.services import memberships

    class DecisionWithExtra(schemas.JoinDecisionFields):
        condition = entity.Text(10, label=_l("Condition"))

    m = memberships.request_join(world.users.chengdu, world.group, motivation="有公交数据")
    db.session.commit()
    with app.test_request_context("/?lang=zh_CN"):
        with pytest.raises(DomainError) as err:
            memberships.decide_join(world.users.lead, m, False, reason="  ")
        assert (err.value.field, err.value.message) == ("reason", "拒绝时请说明理由。")
        with pytest.raises(DomainError) as err:
            memberships.decide_join(world.users.lead, m, True, reason="理" * 2001)
        assert err.value.field == "reason" and "2000" in err.value.message
        db.session.rollback()
        assert m.status == "pending"
        monkeypatch.setattr(memberships, "JoinDecisionFields", DecisionWithExtra)
        with pytest.raises(DomainError) as err:
            memberships.decide_join(world.users.lead, m, True, condition="条" * 11)
        assert err.value.field == "condition"
        db.session.rollback()
        memberships.decide_join(world.users.lead, m, True, condition="先完成编目")
    assert (m.status, m.condition, m.reason) == ("approved", "先完成编目", "")


def test_the_withdrawal_is_a_stage_change_worded_for_it(app, world, monkeypatch):
    """退出's form is the event's definition (date, reason) with the reason worded and required for
    it; the definition itself stays as it is, and a field added to it reaches the withdrawal."""
    from consortium.scenarios.models import ReplicationEvent
    with app.test_request_context("/?lang=zh_CN"):
        form = forms.WithdrawForm(formdata=None)
        assert _names(form) == ["version", "occurred_on", "reason", "submit", "csrf_token"]
        assert form.reason.label.text == "退出原因" and form.reason.render_kw["required"]
        assert form.reason.render_kw["maxlength"] == 2000
        assert "required" not in forms.StageForm(formdata=None).reason.render_kw  # the stage form's reason stays optional
    assert not schemas.EventFields._declared_fields["reason"].must
    monkeypatch.setattr(replication_services, "EventFields", EventWithExtra)
    monkeypatch.setattr(ReplicationEvent, "channel", None, raising=False)
    rep = services.start_replication(None, world.scenario, world.fuzhou)
    db.session.commit()
    with pytest.raises(DomainError) as err:
        replication_services.withdraw_replication(world.users.fuzhou, rep, reason="预算取消", channel="渠" * 21)
    assert err.value.field == "channel"
    db.session.rollback()
    assert rep.stage == "interest"
    event = replication_services.withdraw_replication(world.users.fuzhou, rep, reason="预算取消", channel="市数据局")
    assert (event.to_stage, event.reason, event.channel) == ("withdrawn", "预算取消", "市数据局")


def test_a_member_reference_refuses_digits_that_are_no_row_id(world):
    """A form posts a member's id; a superscript digit or a number past any row id is an
    unknown member (a clear message), never a failure of int() or of the database."""
    from marshmallow import ValidationError
    field = schemas.MemberRef(label=_l("Origin member"))
    assert field.deserialize(str(world.fuzhou.id)) == world.fuzhou
    for text in ("²", "１２", "9" * 20):
        with pytest.raises(ValidationError, match="未知的成员"):
            field.deserialize(text)
