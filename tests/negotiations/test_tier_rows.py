"""The position editor's tiered terms as table rows (templates/negotiations/_tiers.html): no
“200000 50 50 / * 60 40” syntax to type; blank rows (or rows the page adds, numbered after the
highest) add tiers; a refused save shows the rows as typed and saves nothing."""
import re

from sqlalchemy import func, select

from consortium.extensions import db
from consortium.negotiations import services
from consortium.negotiations.models import PositionVersion
from tests.negotiations.test_views import _editor_form


def tier_inputs(html: str, i: int) -> list[tuple[str, str]]:
    return re.findall(rf'name="term-{i}-tier-(\d+-\w+)" value="([^"]*)"', html)


def test_the_editor_shows_tiers_as_rows_and_saves_them(browser, union, dossier):
    browser.login("qd@cdou.example")
    html = browser.get(f"/negotiations/{dossier.id}/position").get_data(as_text=True)
    assert 'name="term-1-value"' not in html  # the tiered term has no text box
    assert tier_inputs(html, 1) == [("0-upto", "200000"), ("0-supplier", "50"), ("0-operator", "50"),
                                    ("1-upto", ""), ("1-supplier", "60"), ("1-operator", "40"),
                                    ("2-upto", ""), ("2-supplier", ""), ("2-operator", ""),
                                    ("3-upto", ""), ("3-supplier", ""), ("3-operator", "")]
    assert '<label class="form-label small" for="term-1-tier-0-upto">' in html
    form = _editor_form(html)
    form.update({"term-1-tier-1-upto": "50万", "term-1-tier-1-supplier": "55", "term-1-tier-1-operator": "45",
                 # a row added in the page after the blank ones (rows.js numbers it after the highest)
                 "term-1-tier-7-upto": "", "term-1-tier-7-supplier": "60", "term-1-tier-7-operator": "40",
                 "note": "加一档"})
    response = browser.client.post(f"/negotiations/{dossier.id}/position", data=form, follow_redirects=True)
    assert "立场第 2 版已保存" in response.get_data(as_text=True)
    tiers = services.get_version(dossier, 2).terms[1]["value"]["tiers"]
    assert [(t["upto"], t["supplier"], t["operator"]) for t in tiers] == [
        ("200000", "50", "50"), ("500000", "55", "45"), (None, "60", "40")]


def test_refused_tiers_are_shown_as_typed_and_nothing_is_saved(browser, union, dossier):
    browser.login("qd@cdou.example")
    form = _editor_form(browser.get(f"/negotiations/{dossier.id}/position").get_data(as_text=True))
    form.update({"term-1-tier-1-upto": "100000", "term-1-tier-1-supplier": "70", "term-1-tier-1-operator": "30"})
    response = browser.client.post(f"/negotiations/{dossier.id}/position", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "各档须按升序排列且不重叠" in html
    assert ("1-upto", "100000") in tier_inputs(html, 1) and ("1-supplier", "70") in tier_inputs(html, 1)
    assert db.session.scalar(select(func.count(PositionVersion.id))) == 1
