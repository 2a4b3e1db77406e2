"""Pages in zh and en: what they show, what forms write, what bad input does not write,
and who sees certificates."""
import io
import re
from datetime import date

from sqlalchemy import func, select

from consortium.extensions import db
from consortium.registers import services
from consortium.registers.models import (
    Certificate,
    DataSpace,
    DataSpaceResource,
    Recognition,
    RegistrationBody,
)

from tests.core.test_pickers import options

from .conftest import valid_uscc


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_bodies_are_public_certificates_are_not(world, client):
    html = client.get("/registers/").get_data(as_text=True)
    assert "青岛市数据资产登记中心" in html and "湖州市数据资产登记中心" in html
    assert "QD-001" not in client.get("/registers/bodies/qd").get_data(as_text=True)
    r = client.get("/registers/certificates")
    assert r.status_code == 302 and "/auth/login" in r.headers["Location"]
    assert client.get(f"/registers/certificates/{world.cert.id}").status_code == 302
    assert client.get("/api/v1/certificates").status_code == 401
    assert client.get("/api/v1/recognition/check?certificate=QD-001&body=hz").status_code == 401


def test_member_sees_certificates_and_records_one(world, browser):
    browser.login("hz@example.cn")
    html = browser.get("/registers/certificates?q=海洋").get_data(as_text=True)
    assert "QD-001" in html and "青岛海洋科技有限公司" in html
    # 湖州's user records a certificate of its own body, with a credit code written in lower case
    code = valid_uscc("91330500MA2B7C3D1")
    r = browser.post_form("/registers/certificates/new", {
        "body": "hz", "number": "HZ-2025-7", "holder_name": "湖州示例能源有限公司", "holder_uscc": code.lower(),
        "product_name": "园区能耗", "issued_on": "2025-07-15", "valid_until": "2028-07-14", "status": "valid"},
        follow_redirects=True)
    assert "HZ-2025-7" in r.get_data(as_text=True)
    saved = db.session.scalar(select(Certificate).where(Certificate.number == "HZ-2025-7"))
    assert saved.holder_uscc == code and saved.body.code == "hz"
    # 青岛's body is not among 湖州's choices: posting it is refused, nothing written
    before = _count(Certificate)
    r = browser.post_form("/registers/certificates/new", {
        "body": "qd", "number": "QD-X", "holder_name": "某公司", "holder_uscc": code, "product_name": "产品",
        "issued_on": "2025-07-15", "status": "valid"})
    assert _count(Certificate) == before


def test_bad_credit_code_keeps_the_input_and_writes_nothing(world, browser):
    browser.login("qd@example.cn")
    good = valid_uscc("91330500MA2B7C3D1")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before = _count(Certificate)
    r = browser.post_form("/registers/certificates/new", {
        "body": "qd", "number": "QD-777", "holder_name": "青岛示例有限公司", "holder_uscc": bad,
        "product_name": "港口数据", "issued_on": "2025-07-15", "status": "valid"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "QD-777" in html and "青岛示例有限公司" in html  # nothing lost
    assert good[-1] in html and bad in html  # the expected check digit is named
    assert _count(Certificate) == before


def test_check_page_answers_with_the_reason(world, browser):
    services.create_recognition(None, recognising_body=world.bodies.huzhou, issuing_body=world.bodies.qingdao,
                                mutual=True, effective_from=date(2025, 3, 18), document_ref="青湖互认〔2025〕1号")
    db.session.commit()
    browser.login("wf@example.cn")
    html = browser.get("/registers/check?certificate=QD-001&body=hz&date=2025-03-18").get_data(as_text=True)
    assert 'id="check-verdict">是<' in html and "青湖互认〔2025〕1号" in html
    html = browser.get("/registers/check?certificate=QD-001&body=hz&date=2025-03-17").get_data(as_text=True)
    assert 'id="check-verdict">否<' in html and "2025-03-18" in html and "尚未生效" in html
    html = browser.get("/registers/check?certificate=QD-001&body=wf&date=2025-04-01").get_data(as_text=True)
    assert 'id="check-verdict">否<' in html and "没有互认协议" in html
    html = browser.get("/registers/check?certificate=NOPE&body=hz").get_data(as_text=True)
    assert 'id="check-error"' in html and "NOPE" in html
    html = browser.get("/registers/check?certificate=QD-001&body=hz&date=2025-13-01").get_data(as_text=True)
    assert 'id="check-error"' in html


def test_recognition_form_and_suspension_page(world, browser):
    browser.login("qd@example.cn")
    r = browser.post_form("/registers/recognitions/new", {
        "recognising_body": "qd", "issuing_body": "wf", "effective_from": "2025-04-10",
        "document_ref": "青潍互认〔2025〕2号"}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "青潍互认〔2025〕2号" in html and "单向" in html
    rec = db.session.scalar(select(Recognition).where(Recognition.document_ref == "青潍互认〔2025〕2号"))
    assert not rec.mutual and rec.recognising_body.code == "qd"
    url = f"/registers/recognitions/{rec.id}"
    r = browser.post_form(url + "/suspend", {"on": "2025-09-01", "reason": "规则修订"}, form_url=url,
                          follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "2025-09-01" in html and "规则修订" in html and "已暂停" in html
    # a resumption before the suspension started is refused, and said so
    r = browser.post_form(url + "/resume", {"on": "2025-08-01"}, form_url=url, follow_redirects=True)
    assert "2025-09-01" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Recognition, rec.id).suspensions[0].ends_on is None
    # 湖州 is no party: 403, nothing written
    browser.logout()
    browser.login("hz@example.cn")
    r = browser.post_form(url + "/revoke", {"on": "2025-10-01", "reason": "x"}, form_url=url)
    assert r.status_code == 403
    db.session.expire_all()
    assert db.session.get(Recognition, rec.id).revoked_on is None


def test_network_page_draws_edges_and_table(world, client):
    services.create_recognition(None, recognising_body=world.bodies.qingdao, issuing_body=world.bodies.huzhou,
                                mutual=True, effective_from=date(2025, 3, 1), document_ref="M")
    services.create_recognition(None, recognising_body=world.bodies.qingdao, issuing_body=world.bodies.weifang,
                                effective_from=date(2025, 4, 15), document_ref="O")
    db.session.commit()
    html = client.get("/registers/network?date=2025-05-01").get_data(as_text=True)
    assert "1 项双向互认、1 项单向认可" in html
    assert "/static/vendor/plotly/plotly-geo.js?v=" in html and "cdn" not in html.lower()
    assert re.search(r'<div class="plotly-chart" id="recognition-network"[^>]* data-geo="1"', html)
    assert '"dash": "dash"' in html and '"name": "双向互认"' in html
    table = html[html.index('id="network-table"'):]
    assert "青岛市数据资产登记中心" in table and "潍坊市数据资产登记中心" in table
    html = client.get("/registers/network?date=2025-04-01").get_data(as_text=True)
    assert "1 项双向互认、0 项单向认可" in html


def test_english_pages(world, browser):
    services.create_recognition(None, recognising_body=world.bodies.huzhou, issuing_body=world.bodies.qingdao,
                                effective_from=date(2025, 3, 18), document_ref="HQ-1")
    services.create_space(None, name="海洋可信数据空间", name_en="Marine trusted data space", kind="industry",
                          status="planned", domains=["transport"], circulation_modes=["privacy"])
    db.session.commit()
    browser.get("/lang/en")
    html = browser.get("/registers/data-spaces").get_data(as_text=True)
    assert "Trusted data spaces" in html and "Marine trusted data space" in html and "Planned" in html
    assert "Transport" in html and "可信数据空间" not in html.replace("海洋可信数据空间", "")
    html = browser.get("/registers/network?date=2025-04-01").get_data(as_text=True)
    assert "0 mutual and 1 one-way recognitions in force on 2025-04-01." in html
    browser.login("wf@example.cn")
    browser.get("/lang/en")
    html = browser.get("/registers/check?certificate=QD-001&body=hz&date=2025-03-17").get_data(as_text=True)
    assert "No: agreement HQ-1 is not yet in force on that date; it takes effect on 2025-03-18." in html


def _problems(html):
    """The rows of the import preview's problem table: (row, column, message)."""
    table = re.search(r'<table[^>]*id="import-problems".*?<tbody>(.*?)</tbody>', html, re.S)
    assert table, "no problem table"
    return [tuple(re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S))
            for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)]


def _csv(rows):
    header = "证书编号,持有企业,统一社会信用代码,数据产品,发证日期,有效期至,状态,注销或撤销日期,原因\n"
    return io.BytesIO((header + "\n".join(rows) + "\n").encode("utf-8"))


def test_import_preview_then_all_or_nothing(world, browser):
    browser.login("qd@example.cn")
    good = valid_uscc("91370212MA3P8K2X0")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before = _count(Certificate)
    page = browser.get("/registers/certificates/import").get_data(as_text=True)
    from tests.conftest import csrf_from
    token = csrf_from(page)
    # one bad row among good ones: problems listed, nothing written, no confirm button
    r = browser.client.post("/registers/certificates/import", data={
        "csrf_token": token, "body": "qd", "file": (_csv([
            f"QD-100,青岛甲有限公司,{good},海洋数据,2025-06-01,2028-05-31,有效,,",
            f"QD-101,青岛乙有限公司,{bad},港口数据,2025-06-01,,有效,,",
            f"QD-102,青岛丙有限公司,{good},气象数据,2025/06/01,,撤销,,"]), "c.csv")},
        content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert "confirm-form" not in html
    check = valid_uscc(bad[:-1])[-1]
    assert _problems(html) == [  # spreadsheet rows (the header is row 1), the column, what is wrong
        ("3", "统一社会信用代码", f"统一社会信用代码 {bad} 校验码不正确（应为 {check}）。"),
        ("4", "注销或撤销日期", "请填写注销或撤销日期。")]
    assert _count(Certificate) == before
    # a clean file: preview, then confirm writes every row; QD-001 is updated, not duplicated
    r = browser.client.post("/registers/certificates/import", data={
        "csrf_token": token, "body": "qd", "file": (_csv([
            f"QD-100,青岛甲有限公司,{good},海洋数据,2025-06-01,2028-05-31,有效,,",
            f"QD-001,青岛海洋科技有限公司,{world.cert.holder_uscc},近海水文数据,2025-01-10,2027-01-09,注销,2026-01-05,企业申请"]),
            "c.csv")}, content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert 'id="plan-created">1<' in html and 'id="plan-updated">1<' in html
    assert _count(Certificate) == before  # preview only
    import re
    confirm = re.search(r'action="(/registers/certificates/import/[^"]+/confirm)"', html).group(1)
    r = browser.client.post(confirm, data={"csrf_token": token}, follow_redirects=True)
    assert "QD-100" in r.get_data(as_text=True)
    assert _count(Certificate) == before + 1
    # the same preview confirmed again (a double click, a second tab) applies nothing twice
    r = browser.client.post(confirm, data={"csrf_token": token}, follow_redirects=True)
    assert "已过期或不存在" in r.get_data(as_text=True) or "已确认" in r.get_data(as_text=True)
    assert _count(Certificate) == before + 1
    db.session.expire_all()
    old = db.session.get(Certificate, world.cert.id)
    assert old.status == "cancelled" and old.status_changed_on == date(2026, 1, 5)
    # a preview is bound to its uploader: 湖州's user cannot confirm 青岛's
    r = browser.client.post("/registers/certificates/import", data={
        "csrf_token": token, "body": "qd", "file": (_csv([
            f"QD-200,青岛丁有限公司,{good},港口数据,2025-06-01,,有效,,"]), "c.csv")}, content_type="multipart/form-data")
    confirm = re.search(r'action="(/registers/certificates/import/[^"]+/confirm)"', r.get_data(as_text=True)).group(1)
    browser.logout()
    browser.login("hz@example.cn")
    token = csrf_from(browser.get("/registers/certificates/new").get_data(as_text=True))
    r = browser.client.post(confirm, data={"csrf_token": token})
    assert r.status_code == 302 and "/registers/certificates/import" in r.headers["Location"]
    assert _count(Certificate) == before + 1
    assert db.session.scalar(select(Certificate.id).where(Certificate.number == "QD-200")) is None


def test_data_space_links_on_both_pages_and_the_facet(world, browser, make_member):
    from consortium.catalog import services as catalog_services
    space = services.create_space(None, name="海洋可信数据空间", kind="industry", status="running",
                                  launched_on=date(2025, 6, 8), operator=world.members.qingdao,
                                  domains=["environment"], circulation_modes=["in_domain", "privacy"])
    resource = catalog_services.create_resource(None, world.members.qingdao, code="QD-HY-1", title="近海浮标观测数据",
                                                domain="environment", frequency="daily", openness="conditional",
                                                is_public=True)
    hidden = catalog_services.create_resource(None, world.members.qingdao, code="QD-HY-2", title="海域使用权内部台账",
                                              domain="environment", frequency="daily", openness="closed",
                                              is_public=False)
    db.session.commit()
    browser.login("qd@example.cn")
    for r in (resource, hidden):
        url = f"/resources/{r.id}"
        page = browser.post_form(f"/registers/resources/{r.id}/data-spaces", {"space": space.id}, form_url=url,
                                 follow_redirects=True).get_data(as_text=True)
        assert 'id="resource-spaces"' in page, page[-4000:]
        assert "海洋可信数据空间" in page[page.index('id="resource-spaces"'):]
    assert _count(DataSpaceResource) == 2
    space_page = browser.get(f"/registers/data-spaces/{space.id}").get_data(as_text=True)
    assert "近海浮标观测数据" in space_page and "海域使用权内部台账" in space_page
    facet = browser.get("/resources/").get_data(as_text=True)
    panel = facet[facet.index('id="facet-space"'):]
    assert "可信数据空间" in panel and "海洋可信数据空间" in panel and ">2<" in panel
    browser.logout()
    # visitors: only the public entry, in the facet count and on the space page
    anon_space = browser.get(f"/registers/data-spaces/{space.id}").get_data(as_text=True)
    assert "近海浮标观测数据" in anon_space and "海域使用权内部台账" not in anon_space
    panel = browser.get("/resources/").get_data(as_text=True)
    panel = panel[panel.index('id="facet-space"'):]
    assert ">1<" in panel and ">2<" not in panel[:panel.index("</ul>")]
    # 湖州 may not link 青岛's entries
    browser.login("hz@example.cn")
    r = browser.post_form(f"/registers/resources/{resource.id}/data-spaces/{space.id}/unlink", {},
                          form_url=f"/resources/{resource.id}")
    assert r.status_code == 403 and _count(DataSpaceResource) == 2


def test_space_form_reuses_catalog_vocabularies(world, browser):
    browser.login("qd@example.cn")
    page = browser.get("/registers/data-spaces/new").get_data(as_text=True)
    assert "供方数据不出域" in page and "医疗健康" in page and "建设中" in page
    r = browser.post_form("/registers/data-spaces/new", {
        "name": "青岛城市可信数据空间", "kind": "city", "operator": "qingdao", "city": "370200",
        "domains": ["transport", "health"], "circulation_modes": ["privacy"], "status": "building"},
        follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "青岛城市可信数据空间" in html and "基于隐私计算" in html
    s = db.session.scalar(select(DataSpace).where(DataSpace.name == "青岛城市可信数据空间"))
    assert s.domain_list == ["transport", "health"] and s.circulation_modes == ["privacy"] and s.city.name == "青岛市"
    before = _count(DataSpace)
    r = browser.post_form("/registers/data-spaces/new", {"name": "运行但无日期", "kind": "city", "operator": "qingdao",
                                                         "status": "running"})
    assert "运行但无日期" in r.get_data(as_text=True) and _count(DataSpace) == before


def test_body_form_by_member_and_refused_operator(world, browser):
    browser.login("wf@example.cn")
    r = browser.post_form("/registers/bodies/new", {"code": "wf-2", "name": "潍坊第二登记中心", "city": "370700",
                                                    "member": "weifang"}, follow_redirects=True)
    assert "潍坊第二登记中心" in r.get_data(as_text=True)
    before = _count(RegistrationBody)
    # the city is chosen in the city picker (named in the page's language, found by pinyin)
    cities = options(browser.get("/registers/bodies/new").get_data(as_text=True), "city")
    weifang = next(o for o in cities if o[0] == "370700")
    assert weifang[1].startswith("潍坊") and "weifang" in weifang[2]
    r = browser.post_form("/registers/bodies/new", {"code": "x", "name": "未知城市中心", "city": "999999",
                                                    "member": "weifang"})
    assert "不是有效的选择" in r.get_data(as_text=True) and _count(RegistrationBody) == before
