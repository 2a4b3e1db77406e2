"""Typing into a searchable picker (static/js/picker.js) in real Chromium: a single choice
narrows to the typed city and keeps a native select; a multiple choice is a list of
checkboxes ticked with the keyboard, and the form posts what was ticked."""
import pytest
from sqlalchemy import select

from consortium.agreements.models import Agreement
from consortium.extensions import db
from consortium.geo.services import find_city
from tests.conftest import PASSWORD
from tests.scenarios.conftest import make_resource, world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def sign_in(page, email):
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_selector("#account-link")


def test_typing_into_pickers(page, world):  # noqa: F811  (the fixture imported above)
    sign_in(page, "sec@cdou.example")
    page.goto("/members/new")
    options = page.locator("#city option").count()
    assert options > 300
    page.focus("#city-filter")
    page.keyboard.type("xiamen")  # pinyin finds 厦门 on a Chinese page
    assert page.locator("#city option").all_inner_texts() == ["厦门市 · 福建省"]
    assert page.input_value("#city") == str(find_city("厦门").id)
    assert page.inner_text("#city-filter-status") == "1 项匹配"
    page.keyboard.press("Enter")  # to the select, not sending the form
    assert page.locator("#city:focus").count() == 1 and "/members/new" in page.url
    page.fill("#city-filter", "qd")  # initials at the start of a word: 青岛 (qds), not 那曲 (nqs)
    page.locator("#city-filter").dispatch_event("input")
    found = page.locator("#city option").all_inner_texts()
    assert "青岛市 · 山东省" in found and not [t for t in found if "那曲" in t]
    page.fill("#city-filter", "")
    page.locator("#city-filter").dispatch_event("input")
    assert page.locator("#city option").count() == options  # all back

    page.context.clear_cookies()
    sign_in(page, "user@fuzhou.example")
    page.goto("/agreements/new")
    assert page.locator("#members").is_hidden()  # the checkboxes stand for it
    page.focus("#members-filter")
    page.keyboard.type("fz")  # initials of 福州
    assert page.locator("#members-choices .form-check:visible").all_inner_texts() == ["福州数据集团 · 福州市"]
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    page.fill("#members-filter", "厦门")
    page.locator("#members-filter").dispatch_event("input")
    visible = page.locator("#members-choices .form-check:visible").all_inner_texts()
    assert visible == ["福州数据集团 · 福州市", "厦门大数据有限公司 · 厦门市"]  # the ticked one stays
    page.focus("#members-filter")
    page.keyboard.press("Enter")  # the first visible box: 福州 (ticked); Tab to 厦门
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    chosen = page.eval_on_selector("#members", "s => Array.from(s.selectedOptions).map(o => o.text)")
    assert chosen == ["福州数据集团 · 福州市", "厦门大数据有限公司 · 厦门市"]
    page.fill("#subject", "公交数据互通")
    page.fill("#signed_on", "2025-10-01")
    page.select_option("#status", "signed")
    page.click("#submit")
    page.wait_for_url("**/agreements/*")
    db.session.expire_all()
    agreement = db.session.scalar(select(Agreement).where(Agreement.subject == "公交数据互通"))
    assert sorted(p.member.code for p in agreement.parties if p.member) == ["fuzhou", "xiamen"]


def test_choosing_entries_by_searching_the_map(page, world, make_resource):  # noqa: F811
    bus = make_resource(world.xiamen, "公交实时位置", is_public=True)
    sign_in(page, "lead@xiamen.example")
    page.goto(f"/scenarios/{world.scenario.id}/edit")
    assert page.locator("input[name=resource_ids]").get_attribute("type") == "hidden"
    page.focus("#resource_ids-search")
    page.keyboard.type("公交实时")
    page.wait_for_selector("#resource_ids-results [role=option]")
    assert page.locator("#resource_ids-results [role=option]").all_inner_texts() == [
        "公交实时位置 · 厦门大数据有限公司 · 厦门市"]
    page.keyboard.press("Enter")  # adds the highlighted entry, does not send the form
    assert page.locator("#resource_ids-chosen li").all_inner_texts() == ["公交实时位置 · 厦门大数据有限公司 · 厦门市"]
    assert page.input_value("input[name=resource_ids]") == str(bus.id)
    page.click("#submit")
    page.wait_for_url(f"**/scenarios/{world.scenario.id}")
    db.session.expire_all()
    assert [r.id for r in world.scenario.resources] == [bus.id]


def test_adding_a_tier_row_without_reloading(page, make_member, make_user):
    """The position editor: “Add a tier” adds a row in the page; the saved version holds it."""
    from tests.negotiations.conftest import TERMS
    from consortium.counterparties.services import add_counterparty
    from consortium.negotiations import services
    qd = make_member("青岛数据集团", city="青岛", code="qingdao")
    user = make_user("qd@cdou.example", member=qd)
    dossier = services.create_dossier(user, title="信贷数据宝联合立场", counterparty=add_counterparty(None, name="蚂蚁集团"),
                                      coordinator=qd, subject="价格与分成")
    services.save_position(user, dossier, TERMS, base_version=0, note="初稿")
    db.session.commit()
    sign_in(page, "qd@cdou.example")
    page.goto(f"/negotiations/{dossier.id}/position")
    table = page.locator("table.tier-rows")
    assert table.locator("tbody tr").count() == 4  # two tiers and two blank rows
    page.click("button.rows-add")
    assert table.locator("tbody tr").count() == 5
    assert page.locator("#term-1-tier-4-upto:focus").count() == 1  # numbered after the highest, focused
    page.fill("#term-1-tier-1-upto", "500000")
    page.fill("#term-1-tier-4-supplier", "65")
    page.fill("#term-1-tier-4-operator", "35")
    page.click("#save-position")
    page.wait_for_selector(".alert-success")
    db.session.expire_all()
    tiers = services.get_version(dossier, 2).terms[1]["value"]["tiers"]
    assert [(t["upto"], t["supplier"], t["operator"]) for t in tiers] == [
        ("200000", "50", "50"), ("500000", "60", "40"), (None, "65", "35")]
