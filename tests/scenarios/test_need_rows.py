"""A scenario's data needs as table rows (templates/scenarios/scenario_form.html): name, domain,
keyword; no “名称 | 领域 | 关键词” syntax to type. Blank rows (or rows the page adds, numbered after
the highest) add needs; a refused save shows the rows as typed and saves nothing."""
import re

from consortium.extensions import db


def need_rows(html: str) -> list[tuple[str, str, str]]:
    rows = []
    for n in sorted({int(x) for x in re.findall(r'name="need-(\d+)-label"', html)}):
        label = re.search(rf'name="need-{n}-label" value="([^"]*)"', html).group(1)
        domain = re.search(rf'<select[^>]*name="need-{n}-domain"[^>]*>(.*?)</select>', html, re.S).group(1)
        chosen = re.search(r'<option value="([^"]*)" selected>', domain)
        keyword = re.search(rf'name="need-{n}-keyword" value="([^"]*)"', html).group(1)
        rows.append((label, chosen.group(1) if chosen else "", keyword))
    return rows


def edit_form(html: str) -> dict:
    data = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = [re.search(r'value="([^"]*)"', o).group(1) for o in re.findall(r"<option[^>]*>", options)
                  if re.search(r"\bselected\b", o)]
        if chosen:
            data[name] = chosen[0]
    return {k: v for k, v in data.items() if k != "circulation_modes"}


def test_needs_are_rows_in_both_languages_and_are_saved(browser, world):
    browser.login("lead@xiamen.example")
    html = browser.get(f"/scenarios/{world.scenario.id}/edit").get_data(as_text=True)
    assert 'name="needs"' not in html  # no text to type in a syntax
    assert need_rows(html) == [("公交实时位置数据", "transport", "实时位置"), ("线路站点数据", "transport", "线路"),
                               ("", "", ""), ("", "", "")]
    assert '<option value="health">医疗健康</option>' in html
    form = edit_form(html)
    form.update({"need-1-label": "", "need-1-domain": "", "need-1-keyword": "",        # removed
                 "need-2-label": "医保结算数据", "need-2-domain": "health", "need-2-keyword": "",
                 "need-9-label": "公交 IC 卡数据", "need-9-domain": "transport", "need-9-keyword": "IC卡"})  # added in the page
    response = browser.client.post(f"/scenarios/{world.scenario.id}/edit", data=form, follow_redirects=True)
    assert "已保存" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [(n.label, n.domain, n.keyword) for n in world.scenario.needs] == [
        ("公交实时位置数据", "transport", "实时位置"), ("医保结算数据", "health", "医保结算"), ("公交 IC 卡数据", "transport", "IC卡")]

    browser.get("/lang/en")
    html = browser.get(f"/scenarios/{world.scenario.id}/edit").get_data(as_text=True)
    assert '<option value="health" selected>Health care</option>' in html and "Keyword in titles" in html


def test_a_need_without_a_domain_is_refused_and_the_rows_kept(browser, world):
    browser.login("lead@xiamen.example")
    form = edit_form(browser.get(f"/scenarios/{world.scenario.id}/edit").get_data(as_text=True))
    form.update({"need-2-label": "医保结算数据", "need-2-domain": ""})
    html = browser.client.post(f"/scenarios/{world.scenario.id}/edit", data=form).get_data(as_text=True)
    assert "第 3 项：未知领域 —" in html
    assert ("医保结算数据", "", "") in need_rows(html)
    db.session.expire_all()
    assert len(world.scenario.needs) == 2
