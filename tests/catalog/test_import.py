"""Bulk import: preview, confirm, all or nothing, idempotent re-import,
encodings, hostile files and permissions."""
import io
import re
import zipfile
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from consortium.audit.models import AuditLog
from consortium.catalog import imports
from consortium.catalog.import_batch import ImportBatch
from consortium.catalog.models import DataResource
from consortium.extensions import db

from tests.conftest import csrf_from

ZH_HEADER = ["资源编码", "资源名称", "资源描述", "关键词", "领域", "数源单位", "更新频率", "开放属性",
             "流通模式", "时间范围起", "时间范围止", "是否公开"]
ROWS = [
    ["QD-YB-001", "医保结算明细", "全市医保结算明细数据", "医保、结算", "医疗健康", "市医保局", "每日", "有条件开放",
     "供方数据不出域、基于隐私计算", "2022-01-01", "2025-06-30", "是"],
    ["QD-GJ-002", "公交刷卡记录", "公交车刷卡与换乘记录", "公交", "交通", "市交通运输局", "实时", "授权运营",
     "数据汇聚至中心节点,产品在需方开发", "2023/01/01", "", "否"],
]


def xlsx_bytes(rows, header=ZH_HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, header=ZH_HEADER, encoding="utf-8", bom=False):
    text = "\r\n".join(",".join(f'"{c}"' for c in r) for r in [header, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


@pytest.fixture
def ctx(app):
    with app.test_request_context():  # translated messages need a locale
        yield


def count(model=DataResource):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def qingdao(make_member, make_user):
    member = make_member("青岛数据集团", "青岛", code="qingdao")
    make_user("qd@cdou.example", member=member)
    return member


@pytest.fixture
def xiamen(make_member, make_user):
    member = make_member("厦门大数据有限公司", "厦门", code="xiamen")
    make_user("xm@cdou.example", member=member)
    return member


def upload(browser, data, filename, member_code=None):
    page = browser.get("/resources/import")
    form = {"csrf_token": csrf_from(page.get_data(as_text=True)), "file": (io.BytesIO(data), filename)}
    if member_code:
        form["member"] = member_code
    return browser.client.post("/resources/import", data=form)


def confirm(browser, html):
    token = re.search(r'/resources/import/([^/"]+)/confirm', html).group(1)
    return browser.client.post(f"/resources/import/{token}/confirm", data={"csrf_token": csrf_from(html)})


# ---------------------------------------------------------------- parsing (no client)

def test_parses_chinese_labels_and_modes(ctx):
    result = imports.parse_upload(xlsx_bytes(ROWS), "清单.xlsx")
    assert result.ok, result.problems
    first, second = result.rows
    assert first["domain"] == "health" and first["frequency"] == "daily" and first["openness"] == "conditional"
    assert first["circulation_mask"] == 1 | 2
    assert first["keywords"] == "医保,结算"
    assert first["temporal_start"] == date(2022, 1, 1) and first["is_public"] is True
    assert second["circulation_mask"] == 4 | 8 and second["temporal_start"] == date(2023, 1, 1)
    assert second["temporal_end"] is None and second["is_public"] is False


def test_english_headers_and_codes_accepted(ctx):
    header = ["Resource code", "Title", "Domain", "Update frequency", "Openness", "Circulation modes", "Records"]
    result = imports.parse_upload(csv_bytes([["A1", "Bus GPS 公交", "transport", "realtime", "open",
                                              "in_domain, privacy", "1,200"]], header), "a.csv")
    assert result.ok, result.problems
    row = result.rows[0]
    assert (row["domain"], row["frequency"], row["openness"], row["circulation_mask"], row["record_count"]) == \
        ("transport", "realtime", "open", 3, 1200)


def test_every_problem_listed_with_row_column_and_chinese_message(ctx):
    bad = [
        ["X1", "", "", "", "火星", "", "每日", "有条件开放", "", "2024-13-45", "", "是"],
        ["X2", "公交线路", "", "", "交通", "", "每分钟", "有条件开放", "走私", "", "", "也许"],
        ["X2", "公交站点", "", "", "交通", "", "每日", "有条件开放", "", "", "", ""],
    ]
    result = imports.parse_upload(xlsx_bytes(bad), "bad.xlsx")
    found = {(p.row, p.column) for p in result.problems}
    messages = " ".join(p.message for p in result.problems)
    assert (2, "资源名称") in found and "缺少资源名称。" in messages
    assert (2, "领域") in found and "火星" in messages
    assert (2, "时间范围起") in found
    assert (3, "更新频率") in found and "每分钟" in messages
    assert (3, "流通模式") in found and "走私" in messages
    assert (3, "是否公开") in found
    assert (4, "资源编码") in found and "第 3 行" in messages
    assert not result.ok


def test_missing_required_columns_reported(ctx):
    result = imports.parse_upload(csv_bytes([["a", "b"]], ["资源编码", "资源名称"]), "x.csv")
    assert not result.ok
    assert "领域" in result.problems[0].message and result.problems[0].row == 1


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("gb18030", False)])
def test_csv_encodings(ctx, encoding, bom):
    result = imports.parse_upload(csv_bytes(ROWS, encoding=encoding, bom=bom), "清单.csv")
    assert result.ok, result.problems
    assert [r["title"] for r in result.rows] == ["医保结算明细", "公交刷卡记录"]


# ---------------------------------------------------------------- preview, confirm, idempotence

def test_preview_writes_nothing_then_confirm_writes_all(browser, qingdao):
    browser.login("qd@cdou.example")
    page = upload(browser, xlsx_bytes(ROWS), "清单.xlsx")
    html = page.get_data(as_text=True)
    assert 'id="plan-created">2<' in html and "医保结算明细" in html
    assert count() == 0
    assert count(ImportBatch) == 1
    done = confirm(browser, html)
    assert done.status_code == 302
    resources = db.session.scalars(select(DataResource).order_by(DataResource.code)).all()
    assert [(r.code, r.title, r.member_id, r.city_id) for r in resources] == [
        ("QD-GJ-002", "公交刷卡记录", qingdao.id, qingdao.city_id),
        ("QD-YB-001", "医保结算明细", qingdao.id, qingdao.city_id)]
    assert resources[1].circulation_modes == ["in_domain", "privacy"]
    assert count(ImportBatch) == 0
    follow = browser.get("/resources/import")
    assert "导入完成：新增 2 条，更新 0 条，未变 0 条。" in follow.get_data(as_text=True)


def test_reimporting_same_file_changes_nothing_and_writes_no_audit(browser, qingdao):
    browser.login("qd@cdou.example")
    confirm(browser, upload(browser, xlsx_bytes(ROWS), "清单.xlsx").get_data(as_text=True))
    audits = count(AuditLog)
    before = {r.code: r.updated_at for r in db.session.scalars(select(DataResource))}
    html = upload(browser, csv_bytes(ROWS, encoding="gb18030"), "清单.csv").get_data(as_text=True)
    assert 'id="plan-unchanged">2<' in html and 'id="plan-created">0<' in html
    confirm(browser, html)
    db.session.expire_all()
    assert count() == 2 and count(AuditLog) == audits
    assert {r.code: r.updated_at for r in db.session.scalars(select(DataResource))} == before


def test_changed_row_updates_only_that_entry(ctx, qingdao):
    imports.apply_rows(None, qingdao, imports.parse_upload(xlsx_bytes(ROWS)).rows)
    db.session.commit()
    changed = [ROWS[0][:1] + ["医保结算明细（新版）"] + ROWS[0][2:], ROWS[1]]
    plan = imports.apply_rows(None, qingdao, imports.parse_upload(xlsx_bytes(changed)).rows)
    db.session.commit()
    assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (0, 1, 1)
    assert plan.updated[0][1] == {"title": ("医保结算明细", "医保结算明细（新版）")}
    updates = db.session.scalars(select(AuditLog).where(AuditLog.action == "update")).all()
    assert len(updates) == 1 and updates[0].changes == {"title": ["医保结算明细", "医保结算明细（新版）"]}


def test_file_with_one_bad_row_writes_nothing(browser, qingdao):
    browser.login("qd@cdou.example")
    rows = [*ROWS, ["QD-3", "", "", "", "交通", "", "每日", "有条件开放", "", "", "", ""]]
    html = upload(browser, xlsx_bytes(rows), "清单.xlsx").get_data(as_text=True)
    assert 'id="import-problems"' in html and "confirm-form" not in html
    assert count() == 0 and count(ImportBatch) == 0


def test_failure_during_apply_rolls_everything_back(browser, qingdao, monkeypatch):
    browser.login("qd@cdou.example")
    html = upload(browser, xlsx_bytes(ROWS), "清单.xlsx").get_data(as_text=True)
    qingdao.status = "suspended"  # the member is suspended between preview and confirm
    db.session.commit()
    confirm(browser, html)
    assert count() == 0


def test_another_users_token_is_refused(browser, qingdao, make_user):
    make_user("qd2@cdou.example", member=qingdao)
    browser.login("qd@cdou.example")
    html = upload(browser, xlsx_bytes(ROWS), "清单.xlsx").get_data(as_text=True)
    browser.logout()
    browser.login("qd2@cdou.example")
    token = re.search(r'/resources/import/([^/"]+)/confirm', html).group(1)
    page = browser.get("/resources/import")
    browser.client.post(f"/resources/import/{token}/confirm", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert count() == 0


# ---------------------------------------------------------------- permissions

def test_member_cannot_import_into_another_member(browser, qingdao, xiamen, app):
    browser.login("xm@cdou.example")
    page = upload(browser, xlsx_bytes(ROWS), "清单.xlsx", member_code="qingdao")
    assert page.status_code == 400 and count(ImportBatch) == 0
    assert count() == 0
    with app.test_request_context(), pytest.raises(Exception) as err:
        imports.apply_rows(db.session.get(type(xiamen.users[0]), xiamen.users[0].id), qingdao,
                           imports.parse_upload(xlsx_bytes(ROWS)).rows)
    assert "PermissionDenied" in type(err.value).__name__
    db.session.rollback()
    assert count() == 0


def test_secretariat_chooses_the_member(browser, qingdao, xiamen, make_user):
    make_user("sec@cdou.example", role="secretariat")
    browser.login("sec@cdou.example")
    form = browser.get("/resources/import").get_data(as_text=True)
    assert "厦门大数据有限公司" in form and "青岛数据集团" in form
    confirm(browser, upload(browser, xlsx_bytes(ROWS), "清单.xlsx", member_code="xiamen").get_data(as_text=True))
    assert {r.member_id for r in db.session.scalars(select(DataResource))} == {xiamen.id}


def test_anonymous_cannot_import(client, qingdao):
    assert client.get("/resources/import").status_code == 302
    assert count(ImportBatch) == 0


# ---------------------------------------------------------------- hostile files

def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (300 * 1024 * 1024) + b">")
    return out.getvalue()


def _formula_xlsx() -> bytes:
    return xlsx_bytes([ROWS[0][:1] + ['=HYPERLINK("http://evil.example","点我")'] + ROWS[0][2:]])


@pytest.mark.parametrize("name,data,expected", [
    ("bomb.xlsx", "zip_bomb", "zip"),
    ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "不是"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    ("binary.csv", b"abc\x00\x01\x02" * 10, "不是"),
    ("empty.csv", b"", "空"),
    ("broken.xlsx", b"PK\x03\x04garbage", "不是"),
])
@pytest.mark.slow
def test_hostile_files_get_a_clear_error_and_write_nothing(browser, qingdao, name, data, expected):
    if data == "zip_bomb":
        data = _zip_bomb()
    browser.login("qd@cdou.example")
    page = upload(browser, data, name)
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'id="import-error"' in html and expected in html
    assert count() == 0 and count(ImportBatch) == 0


def test_formulas_are_rejected(browser, qingdao):
    browser.login("qd@cdou.example")
    html = upload(browser, _formula_xlsx(), "f.xlsx").get_data(as_text=True)
    assert "公式" in html and "confirm-form" not in html
    assert count() == 0


@pytest.mark.slow
def test_too_many_rows_is_a_clear_error(browser, qingdao):
    rows = [[f"R{i}", f"公交数据{i}", "", "", "交通", "", "每日", "有条件开放", "", "", "", ""]
            for i in range(imports.MAX_ROWS + 1)]
    browser.login("qd@cdou.example")
    page = upload(browser, csv_bytes(rows), "big.csv")
    assert page.status_code == 400 and "20000" in page.get_data(as_text=True)
    assert count() == 0 and count(ImportBatch) == 0


def test_upload_larger_than_limit_is_friendly(app, browser, qingdao):
    browser.login("qd@cdou.example")
    form_page = browser.get("/resources/import").get_data(as_text=True)
    old = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        page = browser.client.post("/resources/import", data={
            "csrf_token": csrf_from(form_page), "file": (io.BytesIO(b"a" * 5000), "big.csv")})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = old
    assert page.status_code == 413
    assert "文件大于" in page.get_data(as_text=True)
    assert count() == 0


# ---------------------------------------------------------------- template and CLI

def test_template_has_chinese_headers_and_imports_cleanly(client, qingdao, app):
    data = client.get("/resources/import/template.xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["资源编码*", "资源名称*"] and "流通模式" in headers
    with app.test_request_context():
        result = imports.parse_upload(data, "template.xlsx")
    assert result.ok and result.rows[0]["circulation_mask"] == 3


def test_cli_import_is_idempotent_and_all_or_nothing(runner, qingdao, tmp_path):
    good = tmp_path / "清单.xlsx"
    good.write_bytes(xlsx_bytes(ROWS))
    out = runner.invoke(args=["import-resources", str(good), "--member", "qingdao"])
    assert out.exit_code == 0 and "2 new" in out.output
    out = runner.invoke(args=["import-resources", str(good), "--member", "qingdao"])
    assert "0 new, 0 updated, 2 unchanged" in out.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["NEW-1", "新数据", "", "", "交通", "", "每日", "有条件开放", "", "", "", ""],
                               ["NEW-2", "", "", "", "交通", "", "每日", "有条件开放", "", "", "", ""]]))
    out = runner.invoke(args=["import-resources", str(bad), "--member", "qingdao"])
    assert out.exit_code != 0 and "nothing imported" in out.output
    assert count() == 2


def test_xml_bomb_inside_xlsx_is_refused(browser, qingdao):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<workbook>&lol2;</workbook>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(ROWS))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, bomb if item.filename == "xl/workbook.xml" else src.read(item.filename))
    browser.login("qd@cdou.example")
    page = upload(browser, out.getvalue(), "bomb.xlsx")
    assert page.status_code == 400 and 'id="import-error"' in page.get_data(as_text=True)
    assert count() == 0 and count(ImportBatch) == 0


def test_english_export_imports_back(app, browser, qingdao, client):
    browser.login("qd@cdou.example")
    confirm(browser, upload(browser, xlsx_bytes(ROWS), "清单.xlsx").get_data(as_text=True))
    browser.get("/lang/en")
    data = browser.get("/resources/export.csv?member=qingdao").data
    assert data.decode("utf-8-sig").startswith("Resource code,Title,")
    assert "Health care" in data.decode("utf-8-sig")
    with app.test_request_context():
        result = imports.parse_upload(data, "export.csv", qingdao)
        assert result.ok, result.problems
        plan = imports.plan_import(qingdao, result.rows)
    assert len(plan.unchanged) == 2


def test_two_confirmations_of_one_preview_apply_it_once(browser, qingdao, monkeypatch):
    """The second confirmation loaded the preview before the first one committed (a race):
    it finds nothing to claim, says so, and writes nothing; never a 500."""
    browser.login("qd@cdou.example")
    html = upload(browser, xlsx_bytes(ROWS), "清单.xlsx").get_data(as_text=True)
    from consortium.auth.services import get_user_by_email
    batch, rows = imports.load_batch(get_user_by_email("qd@cdou.example"), re.search(
        r'/resources/import/([^/"]+)/confirm', html).group(1))
    stale = ImportBatch(id=batch.id, user_id=batch.user_id, member_id=batch.member_id, filename=batch.filename,
                        payload=batch.payload, created_at=batch.created_at)
    assert confirm(browser, html).status_code == 302
    assert count() == 2
    monkeypatch.setattr(imports, "load_batch", lambda actor, token: (stale, rows))
    second = confirm(browser, html)
    assert second.status_code == 302
    assert "已经确认" in browser.get("/resources/import").get_data(as_text=True)
    assert count() == 2


def test_counts_read_as_people_write_them(ctx):
    header = ZH_HEADER + ["数据量（条）", "数据大小（MB）"]
    rows = [ROWS[0] + ["1.2亿", "1.5万"], ROWS[1] + ["５０万", "1,024.5"]]
    result = imports.parse_upload(xlsx_bytes(rows, header), "清单.xlsx")
    assert result.ok, result.problems
    assert [(r["record_count"], r["size_mb"]) for r in result.rows] == [(120_000_000, 15_000.0), (500_000, 1024.5)]


def test_a_fraction_of_a_record_is_refused_and_nothing_written(browser, qingdao):
    browser.login("qd@cdou.example")
    header = ZH_HEADER + ["数据量（条）", "数据大小（MB）"]
    html = upload(browser, xlsx_bytes([ROWS[0] + ["12.5", "很多"], ROWS[1] + ["12万", ""]], header),
                  "清单.xlsx").get_data(as_text=True)
    assert "不是整数：12.5" in html and "不是有效的数字：很多" in html
    assert 'id="import-problems"' in html and "confirm-form" not in html and count() == 0
