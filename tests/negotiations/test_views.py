"""The negotiation pages in a (test) browser: what they show and what they write."""
import re

from sqlalchemy import func, select

from consortium.core.clock import local_today
from consortium.auth.services import create_api_token
from consortium.extensions import db
from consortium.negotiations import services
from consortium.negotiations.models import Amendment, Dossier, PositionVersion, PricingModel, Stance

from .conftest import TERMS, open_sign_on


def _editor_form(html):
    """The position editor's fields as a browser would send them."""
    data = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)', options)
        if chosen:
            data[name] = chosen.group(1) if chosen.group(1) is not None else chosen.group(2)
    return {k: v for k, v in data.items() if not k.endswith("-remove") and not k.endswith("-red_line")}


def test_coordinator_opens_a_dossier_and_writes_the_first_version(browser, union):
    browser.login("qd@cdou.example")
    html = browser.post_form("/negotiations/new", {"title": "数据宝定价", "counterparty": str(union.ant.id),
                                                   "coordinator": str(union.qd.id), "quorum": "2/3",
                                                   "subject": "三城联合"}, follow_redirects=True).get_data(as_text=True)
    d = db.session.scalar(select(Dossier))
    assert d.title == "数据宝定价" and d.quorum_num == 2 and d.quorum_den == 3
    assert "尚无条款" in html
    # add the standard price floor term, then save it with a value
    html = browser.post_form(f"/negotiations/{d.id}/position", {"base_version": "0", "add_template": "price_floor"}
                             ).get_data(as_text=True)
    assert 'value="价格底线"' in html and db.session.scalar(select(func.count(PositionVersion.id))) == 0
    form = _editor_form(html)
    form.update({"term-0-value": "300000", "term-0-rationale": "三城合计", "term-0-red_line": "1", "note": "初稿"})
    html = browser.client.post(f"/negotiations/{d.id}/position", data=form, follow_redirects=True).get_data(
        as_text=True)
    assert "立场第 1 版已保存" in html and "300,000 元" in html and "红线" in html
    v = services.get_version(d, 1)
    assert v.terms[0]["value"] == "300000.00" and v.terms[0]["red_line"] is True


def test_bad_term_value_is_shown_and_nothing_is_lost(browser, union, dossier):
    browser.login("qd@cdou.example")
    form = _editor_form(browser.get(f"/negotiations/{dossier.id}/position").get_data(as_text=True))
    form["term-0-value"] = "三十多万"  # 三十万 is an amount now; 三十多万 is not one
    form["term-1-rationale"] = "新的理由不能丢"
    response = browser.client.post(f"/negotiations/{dossier.id}/position", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "三十多万 不是数字" in html
    assert "三十多万" in html and "新的理由不能丢" in html          # what was typed is still there
    assert db.session.scalar(select(func.count(PositionVersion.id))) == 1


def test_two_people_saving_the_same_position_the_second_gets_409(browser, union, dossier):
    browser.login("qd@cdou.example")
    form = _editor_form(browser.get(f"/negotiations/{dossier.id}/position").get_data(as_text=True))
    services.save_position(union.u.sec, dossier, TERMS, base_version=1, note="秘书处先保存")
    db.session.commit()
    form["term-0-value"] = "400000"
    response = browser.client.post(f"/negotiations/{dossier.id}/position", data=form)
    assert response.status_code == 409 and "现为第 2 版" in response.get_data(as_text=True)
    assert "400000" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(PositionVersion.id))) == 2


def test_diff_page_reads_in_chinese(browser, union, dossier):
    changed = [dict(t) for t in TERMS]
    changed[0]["value"] = "300000"
    del changed[3]
    services.save_position(union.u.qd, dossier, changed, base_version=1)
    db.session.commit()
    browser.login("wz@cdou.example")
    html = browser.get(f"/negotiations/{dossier.id}/diff?from=1&to=2").get_data(as_text=True)
    assert "修改" in html and "价格底线" in html and "250,000 元" in html and "300,000 元" in html
    # the removed term is named as removed, with what it was, in Chinese only
    assert re.search(r'已移出</span> <strong>合作期限</strong>（原为：<del>24 个月</del>）', html)
    assert "Removed" not in html and ">was<" not in html


def test_participant_records_stance_and_amendment_in_the_page(browser, union, dossier):
    services.transition(union.u.qd, dossier, "consultation")
    db.session.commit()
    browser.login("wz@cdou.example")
    url = f"/negotiations/{dossier.id}"
    html = browser.post_form(f"{url}/stance", {"term_key": "price_floor", "stance": "reserve", "comment": "偏低"},
                             form_url=url, follow_redirects=True).get_data(as_text=True)
    assert "已记录贵单位的表态" in html and "偏低" in html
    assert db.session.scalar(select(Stance.stance).where(Stance.member_id == union.wz.id)) == "reserve"
    html = browser.post_form(f"{url}/amendments", {"term_key": "price_floor", "value": "-5", "reason": "测试"},
                             form_url=url, follow_redirects=True).get_data(as_text=True)
    assert "金额不能为负数" in html and db.session.scalar(select(func.count(Amendment.id))) == 0
    html = browser.post_form(f"{url}/amendments", {"term_key": "price_floor", "value": "320000", "reason": "数据量"},
                             form_url=url, follow_redirects=True).get_data(as_text=True)
    assert "修改建议已提交牵头单位" in html and "320,000 元" in html


def test_tiered_term_simulation_on_the_dossier_page(browser, union, dossier):
    browser.login("nb@cdou.example")
    html = browser.get(f"/negotiations/{dossier.id}?simulate=revenue_split&amount=500000").get_data(as_text=True)
    assert re.search(r'id="sim-supplier">280,000<', html) and re.search(r'id="sim-operator">220,000<', html)
    html = browser.get(f"/negotiations/{dossier.id}?simulate=revenue_split&amount=-1").get_data(as_text=True)
    assert "金额不能为负数" in html


def test_position_paper_lists_the_signatories(browser, union, dossier):
    u = union.u
    services.transition(u.qd, dossier, "consultation")
    open_sign_on(dossier, u.qd, u.wz, u.nb)
    services.sign(u.qd, dossier, signed=True)
    services.sign(u.wz, dossier, signed=True)
    services.sign(u.nb, dossier, signed=False)
    db.session.commit()
    browser.login("wz@cdou.example")
    html = browser.get(f"/negotiations/{dossier.id}/paper").get_data(as_text=True)
    signatories = re.search(r'<ul id="signatories">(.*?)</ul>', html, re.S).group(1)
    assert "青岛数据集团" in signatories and "温州大数据公司" in signatories and "宁波" not in signatories
    assert "红线（非谈判条款）" in html and "250,000 元" in html and "保密" in html


def test_counterparty_page_lists_negotiations_only_for_participants(client, browser, union, dossier):
    url = f"/counterparties/{union.ant.id}"
    assert "信贷数据宝联合立场" not in client.get(url).get_data(as_text=True)
    browser.login("xm@cdou.example")
    assert "信贷数据宝联合立场" not in browser.get(url).get_data(as_text=True)
    browser.logout()
    browser.login("nb@cdou.example")
    assert "信贷数据宝联合立场" in browser.get(url).get_data(as_text=True)


def test_invited_member_sees_only_the_invitation_and_accepts(browser, union, dossier):
    services.invite(union.u.qd, dossier, union.xm)
    db.session.commit()
    browser.login("xm@cdou.example")
    html = browser.get(f"/negotiations/{dossier.id}").get_data(as_text=True)
    assert "联合谈判邀请" in html and "价格底线" not in html and "250,000" not in html
    assert browser.get(f"/negotiations/{dossier.id}/versions").status_code == 404
    html = browser.post_form(f"/negotiations/{dossier.id}/respond", {"accept": "1"}, follow_redirects=True
                             ).get_data(as_text=True)
    assert "厦门大数据有限公司 已加入联合谈判“信贷数据宝联合立场”。" in html and "价格底线" in html


def share_rows(*rows):
    """A revenue-share schedule as the pricing form's table posts it."""
    return {f"share-{n}-{c}": v for n, row in enumerate(rows) for c, v in zip(("upto", "supplier", "operator"), row)}


def test_pricing_register_calculator_and_new_model(browser, union):
    browser.login("qd@cdou.example")
    html = browser.post_form("/pricing/new", {"name": "错序模型", "kind": "revenue_share",
                                              **share_rows(("300000", "50", "50"), ("200000", "60", "40"), ("", "60", "40"))}
                             ).get_data(as_text=True)
    assert "升序" in html and db.session.scalar(select(func.count(PricingModel.id))) == 0
    html = browser.post_form("/pricing/new", {"name": "青岛分成规则", "kind": "revenue_share",
                                              **share_rows(("200000", "50", "50"), ("", "60", "40"))}, follow_redirects=True
                             ).get_data(as_text=True)
    model = db.session.scalar(select(PricingModel))
    assert model.member_id == union.qd.id and "青岛分成规则" in html
    html = browser.get(f"/pricing/{model.id}?amount=500000").get_data(as_text=True)
    assert re.search(r'total-supplier">280,000<', html) and re.search(r'total-operator">220,000<', html)
    for written in ("50万", "５０００００", "500,000元", "五十万"):  # as people write amounts
        html = browser.get(f"/pricing/{model.id}?amount={written}").get_data(as_text=True)
        assert re.search(r'total-supplier">280,000<', html), written
    html = browser.post_form("/pricing/new", {"name": "万元分成规则", "kind": "revenue_share",
                                              **share_rows(("20万", "50", "50"), ("", "60", "40"))}, follow_redirects=True
                             ).get_data(as_text=True)
    assert db.session.scalar(select(PricingModel).where(PricingModel.name == "万元分成规则")
                             ).schedule["tiers"][0]["upto"] in ("200000", "200000.00")
    assert "金额不能为负数" in browser.get(f"/pricing/{model.id}?amount=-3").get_data(as_text=True)
    other = services.save_pricing_model(None, name="福建累进", kind="progressive",
                                        schedule={"tiers": [{"upto": "1000000", "rate": "5"}, {"upto": None, "rate": "1"}]})
    db.session.commit()
    html = browser.get(f"/pricing/compare?ids={model.id}&ids={other.id}&amount=2000000").get_data(as_text=True)
    # revenue share: 100,000 + 60 % of 1,800,000; progressive: 5 % of 1,000,000 + 1 % of 1,000,000
    assert "1,180,000" in html and "820,000" in html and "60,000" in html


def test_api_flow_with_a_bearer_token(client, union, dossier):
    _token, raw = create_api_token(None, union.u.qd, "脚本")
    _t2, raw_wz = create_api_token(None, union.u.wz, "温州")
    _t3, raw_xm = create_api_token(None, union.u.xm, "厦门")
    db.session.commit()
    qd, wz, xm = ({"Authorization": f"Bearer {r}"} for r in (raw, raw_wz, raw_xm))
    body = client.get(f"/api/v1/negotiations/{dossier.id}", headers=wz).get_json()
    assert body["title"] == "信贷数据宝联合立场" and {p["member"] for p in body["participants"]} == {
        "qingdao", "wenzhou", "ningbo"}
    assert client.get(f"/api/v1/negotiations/{dossier.id}", headers=xm).status_code == 404
    assert client.get("/api/v1/negotiations", headers=xm).get_json()["total"] == 0
    assert set(body) == {"id", "title", "status", "counterparty", "coordinator", "deadline", "quorum",
                         "current_version", "illustrative", "subject", "participants", "events", "scenario_ids",
                         "resource_ids", "sign_on"}  # negotiations.schemas.DossierDetailOut
    assert body["coordinator"] == "qingdao" and body["sign_on"] == {"version": None, "deadline": None}
    assert [e["to"] for e in body["events"]][0] == "drafting" and "from" in body["events"][0]
    listed = client.get("/api/v1/negotiations", headers=wz).get_json()["items"]
    assert set(listed[0]) == {"id", "title", "status", "counterparty", "coordinator", "deadline", "quorum",
                              "current_version", "illustrative"}
    not_object = client.post(f"/api/v1/negotiations/{dossier.id}/versions", headers=qd, json=["base_version"])
    assert not_object.status_code == 400 and not_object.get_json()["error"]["field"] == "body"
    terms = [dict(t) for t in TERMS]
    terms[0]["value"] = "260000"
    saved = client.post(f"/api/v1/negotiations/{dossier.id}/versions", headers=qd,
                        json={"base_version": 1, "terms": terms})
    assert saved.status_code == 201 and saved.get_json()["number"] == 2
    stale = client.post(f"/api/v1/negotiations/{dossier.id}/versions", headers=qd,
                        json={"base_version": 1, "terms": terms})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == 409
    assert db.session.scalar(select(func.count(PositionVersion.id))) == 2
    diff = client.get(f"/api/v1/negotiations/{dossier.id}/diff?from=1&to=2", headers=wz).get_json()
    assert diff["changes"][0]["fields"][0]["old"] == "250,000 元"
    assert client.post(f"/api/v1/negotiations/{dossier.id}/stances", headers=wz,
                       json={"term": "price_floor", "stance": "support"}).status_code == 201
    meter = client.get(f"/api/v1/negotiations/{dossier.id}/stances", headers=qd).get_json()["consensus"]
    assert meter["price_floor"]["support"] == 1
    assert client.post(f"/api/v1/negotiations/{dossier.id}/stances", headers=xm,
                       json={"stance": "support"}).status_code == 404
    calc = client.get("/api/v1/pricing-models", headers=wz)
    assert calc.status_code == 200


def test_pricing_api_calculates_exactly(client, union):
    m = services.save_pricing_model(None, name="来源规则", kind="revenue_share",
                                    schedule={"tiers": [{"upto": "200000", "supplier": "50", "operator": "50"},
                                                        {"upto": None, "supplier": "60", "operator": "40"}]})
    _t, raw = create_api_token(None, union.u.wz, "温州")
    db.session.commit()
    h = {"Authorization": f"Bearer {raw}"}
    body = client.get(f"/api/v1/pricing-models/{m.id}/calculate?amount=500000", headers=h).get_json()
    assert body["totals"] == {"supplier": "280000.00", "operator": "220000.00"}
    assert [b["portion"] for b in body["breakdown"]] == ["200000", "300000.00"]
    bad = client.get(f"/api/v1/pricing-models/{m.id}/calculate?amount=-1", headers=h)
    assert bad.status_code == 400 and "负数" in bad.get_json()["error"]["message"]
    model = client.get(f"/api/v1/pricing-models/{m.id}", headers=h).get_json()
    summary = model.pop("summary")
    assert isinstance(summary, str) and summary
    assert model == {"id": m.id, "name": "来源规则", "kind": "revenue_share", "member": None,
                     "schedule": m.schedule, "description": m.description, "source": m.source, "illustrative": False}
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert set(spec["PricingModelOut"]["properties"]) == set(model) | {"summary"}
    bad_day = client.get(f"/api/v1/pricing-models/{m.id}/calculate?amount=500000&on=2025-02-30", headers=h)
    assert bad_day.status_code == 400 and bad_day.get_json()["error"]["field"] == "on"
    assert "参数 on 必须是日期" in bad_day.get_json()["error"]["message"]
    assert client.get(f"/api/v1/pricing-models/{m.id}/calculate?amount=1").status_code == 401
    assert local_today()  # the API needs no date for a revenue share


def test_quorum_is_written_in_the_page_s_language(browser, union):
    browser.login("qd@cdou.example")
    form = browser.get("/negotiations/new").get_data(as_text=True)
    assert re.search(r'name="quorum"[^>]*value="全部"', form) and 'value="all"' not in form
    browser.post_form("/negotiations/new", {"title": "数据宝定价", "counterparty": str(union.ant.id),
                                            "coordinator": str(union.qd.id), "quorum": "全部", "subject": "三城联合"})
    d = db.session.scalar(select(Dossier))
    assert (d.quorum_num, d.quorum_den) == (1, 1)
    edit = browser.get(f"/negotiations/{d.id}/edit").get_data(as_text=True)
    assert re.search(r'name="quorum"[^>]*value="全部"', edit)
    browser.get("/lang/en")
    assert re.search(r'name="quorum"[^>]*value="all"', browser.get("/negotiations/new").get_data(as_text=True))


def test_standard_terms_read_in_the_pages_language_and_own_labels_as_written(browser, union, dossier):
    """The standard terms (价格底线, 排他性 and its options, 合作期限) were added in Chinese; English pages
    show them in English — dossier, version, paper, diff, the editor's choices — while a label the
    coordinator wrote (收益分成) stays as written, and Chinese pages keep the Chinese."""
    u = union.u
    terms = [dict(t) for t in TERMS]
    terms[2]["value"] = "限时排他"
    services.save_position(u.qd, dossier, terms, base_version=1, note="第二稿")
    db.session.commit()
    browser.login("wz@cdou.example")
    zh = browser.get(f"/negotiations/{dossier.id}/versions/2").get_data(as_text=True)
    assert "价格底线" in zh and "限时排他" in zh and "Price floor" not in zh
    browser.get("/lang/en")
    pages = {path: browser.get(path).get_data(as_text=True) for path in (
        f"/negotiations/{dossier.id}", f"/negotiations/{dossier.id}/versions/2",
        f"/negotiations/{dossier.id}/paper")}
    for path, html in pages.items():
        assert "价格底线" not in html and "排他性" not in html and "合作期限" not in html, path
        assert "Price floor" in html and "Exclusivity" in html and "Term of cooperation" in html, path
        assert "收益分成" in html, path  # the coordinator's own label, as written
    version = pages[f"/negotiations/{dossier.id}/versions/2"]
    assert "Exclusive for a limited time" in version and "限时排他" not in version
    diff = browser.get(f"/negotiations/{dossier.id}/diff?from=1&to=2").get_data(as_text=True)
    assert "Exclusivity" in diff and "Not exclusive" in diff and "Exclusive for a limited time" in diff
    assert "排他" not in diff
    browser.logout()
    browser.login("qd@cdou.example")
    browser.get("/lang/en")
    editor = browser.get(f"/negotiations/{dossier.id}/position").get_data(as_text=True)
    # the editor's choice keeps the stored value and shows it in English
    assert '<option value="限时排他" selected>Exclusive for a limited time</option>' in editor
