"""The pricing register's schedules as table rows (templates/negotiations/pricing_form.html): one
table per kind of model, no “200000 50 50 / * 60 40” lines to type; blank rows (or rows the page
adds, numbered after the highest) add tiers; amounts as people write them; a refused save shows
the rows as typed and saves nothing."""
import re

from sqlalchemy import func, select

from consortium.extensions import db
from consortium.negotiations import services
from consortium.negotiations.models import PricingModel


def inputs(html: str, prefix: str) -> list[tuple[str, str]]:
    return re.findall(rf'name="{prefix}(\d+-\w+)" value="([^"]*)"', html)


def test_the_form_has_a_table_per_kind_and_no_text_to_type(browser, union):
    browser.login("qd@cdou.example")
    html = browser.get("/pricing/new").get_data(as_text=True)
    assert "<textarea" not in html.split('id="schedule"')[1].split("</fieldset>")[0]
    assert 'name="schedule"' not in html and "* 60 40" not in html
    for kind, prefix, first in (("revenue_share", "share-", "0-upto"), ("progressive", "rate-", "0-upto"),
                                ("staged", "stage-", "0-name")):
        assert f'data-shown-when="kind" data-value="{kind}"' in html
        assert inputs(html, prefix)[0] == (first, "")
    assert "上限（元；留空表示不设上限）" in html and "供数单位 %" in html and "阶段" in html
    assert 'name="stage-0-from" value="" aria-label="起始日期" type="date"' in html
    browser.get("/lang/en")
    english = browser.get("/pricing/new").get_data(as_text=True)
    assert "Upper bound (CNY; empty: no cap)" in english and "Add a stage" in english


def test_rows_of_the_chosen_kind_are_saved_as_people_write_them(browser, union):
    browser.login("qd@cdou.example")
    rows = {"rate-0-upto": "１００万", "rate-0-rate": "５",          # full-width digits
            "rate-1-upto": "1.2亿", "rate-1-rate": "3",
            "rate-1-ignored": "x",
            "rate-2-upto": "", "rate-2-rate": "",                    # a blank row is dropped
            "rate-9-upto": "", "rate-9-rate": "1",                   # added in the page, numbered after the highest
            "share-0-upto": "999", "share-0-supplier": "50"}         # another kind's table: not read
    response = browser.post_form("/pricing/new", {"name": "福建累进规则", "kind": "progressive", **rows},
                                 follow_redirects=True)
    assert "模型已保存" in response.get_data(as_text=True)
    model = db.session.scalar(select(PricingModel).where(PricingModel.name == "福建累进规则"))
    assert [(t["upto"], t["rate"]) for t in model.schedule["tiers"]] == [
        ("1000000", "5"), ("120000000.0", "3"), (None, "1")]
    # the edit page shows the stored tiers as rows of its kind, the other tables blank
    html = browser.get(f"/pricing/{model.id}/edit").get_data(as_text=True)
    assert inputs(html, "rate-")[:6] == [("0-upto", "1000000"), ("0-rate", "5"), ("1-upto", "120000000.0"),
                                         ("1-rate", "3"), ("2-upto", ""), ("2-rate", "1")]
    assert inputs(html, "share-")[0] == ("0-upto", "")


def test_a_revenue_share_operator_left_empty_is_the_rest_of_100_and_stages_save(browser, union):
    browser.login("qd@cdou.example")
    browser.post_form("/pricing/new", {"name": "分成", "kind": "revenue_share", "share-0-upto": "20万",
                                       "share-0-supplier": "50", "share-1-supplier": "60"})
    tiers = db.session.scalar(select(PricingModel).where(PricingModel.name == "分成")).schedule["tiers"]
    assert [(t["upto"], t["supplier"], t["operator"]) for t in tiers] == [("200000", "50", "50"), (None, "60", "40")]
    browser.post_form("/pricing/new", {"name": "青岛分阶段", "kind": "staged",
                                       "stage-0-name": "初创期", "stage-0-from": "2025-01-01", "stage-0-price": "0",
                                       "stage-1-name": "培育期", "stage-1-from": "2026-01-01", "stage-1-price": "0.5",
                                       "stage-1-note": "政府指导价"})
    stages = db.session.scalar(select(PricingModel).where(PricingModel.name == "青岛分阶段")).schedule["stages"]
    assert [(s["name"], s["from"], s["price"], s["note"]) for s in stages] == [
        ("初创期", "2025-01-01", "0", ""), ("培育期", "2026-01-01", "0.5", "政府指导价")]


def test_a_refused_schedule_keeps_the_rows_as_typed_and_saves_nothing(browser, union):
    browser.login("qd@cdou.example")
    before = db.session.scalar(select(func.count(PricingModel.id)))
    html = browser.post_form("/pricing/new", {"name": "错误分成", "kind": "revenue_share",
                                              "share-0-upto": "50万", "share-0-supplier": "70", "share-0-operator": "40",
                                              "share-1-supplier": "60", "share-1-operator": "40"}
                             ).get_data(as_text=True)
    error = html.split('id="schedule-error">')[1].split("<")[0]
    assert error == "每一档中供数单位与运营方的比例之和须为 100。"
    assert inputs(html, "share-")[:6] == [("0-upto", "50万"), ("0-supplier", "70"), ("0-operator", "40"),
                                          ("1-upto", ""), ("1-supplier", "60"), ("1-operator", "40")]
    html = browser.post_form("/pricing/new", {"name": "空的", "kind": "staged"}).get_data(as_text=True)
    assert "至少" in html.split('id="schedule-error">')[1].split("<")[0]
    assert db.session.scalar(select(func.count(PricingModel.id))) == before


def test_an_existing_model_edited_in_rows_keeps_its_other_fields(browser, union):
    model = services.save_pricing_model(None, name="来源规则", kind="revenue_share", member=union.qd,
                                        schedule={"tiers": [{"upto": "200000", "supplier": "50", "operator": "50"},
                                                            {"upto": None, "supplier": "60", "operator": "40"}]})
    db.session.commit()
    browser.login("qd@cdou.example")
    url = f"/pricing/{model.id}/edit"
    html = browser.get(url).get_data(as_text=True)
    assert inputs(html, "share-")[:6] == [("0-upto", "200000"), ("0-supplier", "50"), ("0-operator", "50"),
                                          ("1-upto", ""), ("1-supplier", "60"), ("1-operator", "40")]
    browser.post_form(url, {"name": "来源规则", "kind": "revenue_share", "share-0-upto": "300,000",
                            "share-0-supplier": "50", "share-0-operator": "50", "share-1-supplier": "60",
                            "share-1-operator": "40"})
    db.session.refresh(model)
    assert model.schedule["tiers"][0]["upto"] == "300000" and model.member_id == union.qd.id
