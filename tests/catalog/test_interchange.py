"""Data in and out without loss: export → import → export of the map is identical cell for cell
(CSV and XLSX, every column, 样例数据 and the field list included), the exports read right in the
clients data users have (pandas, openpyxl), the field list keeps every row it is given and the
preview says what it did."""
import csv
import io
import re
from datetime import date, datetime, timedelta

import openpyxl
import pandas
import pytest
from sqlalchemy import select

from consortium.catalog import exports, imports, services
from consortium.catalog.models import DataResource
from consortium.catalog.field_list import parse_column_list
from consortium.extensions import db

from tests.catalog.conftest import described
from tests.conftest import csrf_from

TRICKY = dict(
    description='充电桩位置与运行状态，含站点位置与"快充/慢充"类型。\n第二行, 带逗号；分号\t制表符',
    keywords='"一码通城",快充,慢充', department="=SUM(1+1)", contact_name="'引号开头",
    contact_phone="+86 532 8888 8888", contact_email="chongdian@qingdao-data.example",
    formats="CSV,XLSX", download_url="https://data.qingdao-data.example/files/qd-cd-040.csv",
    record_count=1200000, size_mb=512.5, temporal_start=date(2020, 1, 1), temporal_end=date(2025, 6, 30),
    spatial_coverage="青岛市", registration_no="QDDJ2025000123", data_updated_on=date(2025, 7, 1),
    licence="custom", usage_conditions="仅限在可信数据空间内使用，\"注明来源\"",
    schema_fields=[{"name": "name", "type": "string", "description": "站点名称, 含逗号"},
                   {"name": "lon", "type": "decimal", "description": '经度 "WGS84"'},
                   {"name": "note", "type": "string", "description": "第一行\n第二行"}],
    sample_csv='name,lon\n"站点, A",120.1\n"""引号""站",120.2', circulation_modes=["privacy", "in_domain"],
    has_api=True, is_public=True,
)


@pytest.fixture
def big_map(io_catalog):
    """The io catalogue plus 45 plain entries of Qingdao and, on the 40th, every hard case (so the
    first 4 KB of an export hold no doubled quote)."""
    qd = io_catalog["qd"]
    for n in range(1, 46):
        extra = TRICKY if n == 40 else {"keywords": "充电,桩", "formats": "JSON", "is_public": True}
        services.create_resource(None, qd, **described(f"QD-CD-{n:03d}", f"充电桩运行数据第{n}批", domain="transport",
                                                       **extra))
    db.session.commit()
    return io_catalog


def _export(fmt: str, member, locale="zh") -> bytes:
    stmt = select(DataResource).where(DataResource.member_id == member.id).order_by(DataResource.code)
    build = exports.to_csv if fmt == "csv" else exports.to_xlsx
    return build(exports.iter_resources(stmt), locale)


def _cells(fmt: str, data: bytes) -> list[list]:
    """Every cell but the last modification (the import ignores it; a new entry has a new one)."""
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    else:
        rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)]
    return [row[:-1] for row in rows]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_import_export_is_identical_cell_for_cell(app, big_map, fmt):
    members = [big_map[k] for k in ("qd", "xm", "nb")]
    with app.test_request_context():
        first = {m.code: _export(fmt, m) for m in members}
        for resource in db.session.scalars(select(DataResource)):  # another portal: no entry yet
            db.session.delete(resource)
        db.session.commit()
        for member in members:
            result = imports.parse_upload(first[member.code], f"export.{fmt}", member)
            assert result.ok, result.problems[:5]
            imports.apply_rows(None, member, result.rows)
        db.session.commit()
        for member in members:
            again = _export(fmt, member)
            assert _cells(fmt, again) == _cells(fmt, first[member.code])
    tricky = db.session.scalar(select(DataResource).where(DataResource.code == "QD-CD-040"))
    for name, value in TRICKY.items():
        if name == "circulation_modes":
            continue
        assert getattr(tricky, name) == value, name
    assert len(_cells(fmt, first["qingdao"])) == 1 + 45 + 3


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_whole_demo_map_reads_back_unchanged(app, demo, fmt):
    """Every demo entry (contacts, download links, field lists, samples) exported and read back:
    the import finds nothing to change."""
    from consortium.members.models import Member
    checked = 0
    with app.test_request_context():
        for member in db.session.scalars(select(Member)):
            data = _export(fmt, member)
            if len(_cells(fmt, data)) == 1:
                continue
            result = imports.parse_upload(data, f"export.{fmt}", member)
            assert result.ok, (member.code, result.problems[:5])
            plan = imports.plan_import(member, result.rows)
            assert not plan.created and not plan.updated, (member.code, plan.updated[:2])
            checked += len(plan.unchanged)
    assert checked == db.session.query(DataResource).count() > 100


def test_pandas_reads_the_csv_export_right(client, big_map):
    data = client.get("/resources/export.csv?member=qingdao").data
    frame = pandas.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(frame) == 45 + 2  # the public entries of Qingdao: these and QD-001, QD-003
    row = frame[frame["资源编码"] == "QD-CD-040"].iloc[0]
    assert row["资源描述"] == TRICKY["description"]
    assert row["关键词"] == '"一码通城",快充,慢充'
    assert row["数源单位"] == "'=SUM(1+1)"  # the CSV formula guard, which the import takes off again
    modified = pandas.to_datetime(frame["最后修改（北京时间）"], format="ISO8601")
    assert str(modified.dt.tz) == "UTC+08:00"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", row["最后修改（北京时间）"])
    assert list(frame.columns).count("样例数据") == 1 and row["样例数据"] == TRICKY["sample_csv"]
    assert row["字段清单"].splitlines()[0] == 'name,string,"站点名称, 含逗号"'


def test_pandas_and_openpyxl_read_typed_xlsx_cells(client, big_map):
    data = client.get("/resources/export.xlsx?member=qingdao").data
    frame = pandas.read_excel(io.BytesIO(data))
    row = frame[frame["资源编码"] == "QD-CD-040"].iloc[0]
    assert row["联系电话"] == "+86 532 8888 8888"  # written as it is: an XLSX text cell needs no guard
    assert row["数源单位"] == "=SUM(1+1)"
    assert row["数据量（条）"] == 1200000 and row["数据大小（MB）"] == 512.5
    assert row["时间范围起"] == pandas.Timestamp(2020, 1, 1)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    modified = sheet.cell(row=2, column=header.index("最后修改（北京时间）") + 1)
    assert modified.is_date and modified.number_format.endswith('"+08:00"')
    now = datetime.now()
    assert abs(modified.value - (now + (timedelta(hours=8) - (now.astimezone().utcoffset() or timedelta()))))\
        < timedelta(minutes=10)


def test_every_multi_valued_column_uses_the_one_separator(client, io_catalog):
    rows = list(csv.reader(io.StringIO(client.get("/resources/export.csv?member=qingdao").data.decode("utf-8-sig"))))
    yb = next(r for r in rows if r[0] == "QD-001")
    header = rows[0]
    assert yb[header.index("关键词")] == "医保,结算"
    assert yb[header.index("数据格式")] == "CSV,XLSX"
    assert yb[header.index("流通模式")] == "供方数据不出域,基于隐私计算"
    assert not any("、" in cell for cell in yb)
    english = list(csv.reader(io.StringIO(
        client.get("/resources/export.csv?member=qingdao&lang=en").data.decode("utf-8-sig"))))
    assert all(", " not in cell for row in english[1:] for cell in row[3:9])


def test_template_has_sample_rows_download_link_and_notes(client, app, make_member):
    qd = make_member(name="青岛数据集团", city="青岛", code="qingdao")
    data = client.get("/resources/import/template.xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(data))
    headers = [c.value for c in book.worksheets[0][1]]
    assert "样例数据" in headers and "下载地址" in headers and "字段清单" in headers
    notes = "\n".join(str(c.value) for c in book["说明"]["A"])
    assert "各项之间以 , 分隔" in notes and "字段名,类型,说明" in notes and "+08:00" in notes
    with app.test_request_context():
        result = imports.parse_upload(data, "template.xlsx", qd)
    assert result.ok, result.problems
    assert result.rows[0]["sample_csv"].startswith("line_no,lon,lat")
    assert result.rows[0]["download_url"] == "https://data.example.cn/files/bus-positions.csv"


@pytest.mark.parametrize("url", ["/resources/export.csv", "/catalog.ttl", "/catalog.jsonld"])
def test_one_charset_in_the_content_type(client, io_catalog, url):
    content_type = client.get(url).headers["Content-Type"]
    assert content_type.count("charset") <= 1
    if not url.endswith("jsonld"):
        assert content_type.endswith("; charset=utf-8")


# ---------------------------------------------------------------- the field list

def test_a_field_called_name_is_kept():
    assert [f["name"] for f in parse_column_list("name,string,名称\nlon,decimal,经度")] == ["name", "lon"]
    assert [f["name"] for f in parse_column_list("field\n字段")] == ["field", "字段"]


def test_only_the_templates_exact_header_is_a_header():
    assert [f["name"] for f in parse_column_list("字段名,类型,说明\nname,string,名称")] == ["name"]
    assert [f["name"] for f in parse_column_list("name,type,description\nid,integer,编号")] == ["id"]
    assert [f["name"] for f in parse_column_list("name\tstring\t名称\nid\tinteger\t编号")] == ["name", "id"]
    assert [f["name"] for f in parse_column_list("字段名,类型\nid")] == ["字段名", "id"]  # not exactly the header


def test_quoted_descriptions_and_too_many_cells(app):
    fields = parse_column_list('id,integer,"编号, 自增"\nnote,string,"说""明"""')
    assert [f["description"] for f in fields] == ["编号, 自增", '说"明"']
    from consortium.core.exceptions import DomainError
    with app.test_request_context(), pytest.raises(DomainError) as error:
        parse_column_list("id,integer,编号,自增")
    assert "第 1 行" in error.value.message and "4" in error.value.message


def _upload(browser, data, filename):
    page = browser.get("/resources/import")
    return browser.client.post("/resources/import", data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                                          "file": (io.BytesIO(data), filename)})


def test_the_preview_says_what_it_did_with_the_field_lists_first_line(browser, make_member, make_user):
    member = make_member("青岛数据集团", "青岛", code="qingdao")
    make_user("qd@cdou.example", member=member)
    header = ["资源编码", "资源名称", "领域", "更新频率", "开放属性", "字段清单"]
    rows = [["QD-1", "医保结算", "医疗健康", "每日", "有条件开放", "name,string,名称\nid,integer,编号"],
            ["QD-2", "公交刷卡", "交通", "每日", "有条件开放", "字段名,类型,说明\ncard,string,卡号"]]
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    browser.login("qd@cdou.example")
    html = _upload(browser, out.getvalue().encode(), "清单.csv").get_data(as_text=True)
    assert 'id="import-notes"' in html
    notes = html.split('id="import-notes"')[1].split("</div>")[0]
    assert "第 2 行" in notes and "字段名为 name" in notes
    assert "第 3 行" in notes and "模板的表头" in notes
    assert 'id="import-problems"' not in html


def test_a_value_in_a_column_without_header_is_a_named_problem(app, make_member):
    qd = make_member(name="青岛数据集团", city="青岛", code="qingdao")
    data = "资源编码,资源名称,领域,更新频率,开放属性,\r\nQD-1,医保结算,医疗健康,每日,有条件开放,遗失的值\r\n".encode()
    with app.test_request_context():
        result = imports.parse_upload(data, "x.csv", qd)
    assert not result.ok
    assert [(p.row, p.column) for p in result.problems] == [(2, "F")] and "遗失的值" in result.problems[0].message


def test_an_unreadable_csv_writes_nothing_and_names_row_and_column(browser, make_member, make_user):
    member = make_member("青岛数据集团", "青岛", code="qingdao")
    make_user("qd@cdou.example", member=member)
    browser.login("qd@cdou.example")
    data = '资源编码,资源名称,领域,更新频率,开放属性\r\nQD-1,医保,医疗健康,每日,有条件开放\r\nQD-2,"公交,交通,每日,有条件开放\r\n'.encode()
    page = _upload(browser, data, "坏.csv")
    assert page.status_code == 400
    assert "第 3 行第 B 列（资源名称）" in page.get_data(as_text=True)
    assert db.session.scalar(select(DataResource).limit(1)) is None


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://data.example.cn/x.csv", "data.example.cn/x.csv",
                                  "https://data.example.cn/a b.csv", 'https://x.example/"><script>'])
def test_a_download_link_is_an_absolute_web_address(app, io_catalog, link):
    from consortium.core.exceptions import DomainError
    resource = io_catalog["r"]["yb"]
    with app.test_request_context(), pytest.raises(DomainError) as error:
        services.update_resource(None, resource, download_url=link)
    assert error.value.field == "download_url" and "http://" in error.value.message
    db.session.rollback()
    assert db.session.get(DataResource, resource.id).download_url == ""


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_frictionless_validates_the_export_and_infers_its_types(client, big_map, tmp_path, fmt):
    """Frictionless (the Frictionless Data framework) reads the export as a tabular data resource:
    valid (no blank or duplicate header, no extra or missing cell), every row, the last
    modification inferred as a date-time with its offset."""
    from frictionless import Resource
    (tmp_path / f"export.{fmt}").write_bytes(client.get(f"/resources/export.{fmt}?member=qingdao").data)
    resource = Resource(path=f"export.{fmt}", basepath=str(tmp_path))
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])[:5]
    types = {f.name: f.type for f in resource.schema.fields}
    assert types["最后修改（北京时间）"] == "datetime" and types["数据量（条）"] == "integer"
    rows = resource.read_rows()
    assert len(rows) == 47
    tricky = next(row for row in rows if row["资源编码"] == "QD-CD-040")
    assert tricky["资源描述"] == TRICKY["description"] and tricky["样例数据"] == TRICKY["sample_csv"]
    modified = tricky["最后修改（北京时间）"]
    if fmt == "csv":
        assert modified.utcoffset() == timedelta(hours=8)
    else:  # Excel keeps no zone: the cell holds Beijing wall-clock time, its format shows +08:00
        from datetime import timezone
        beijing_now = datetime.now(timezone.utc).astimezone(timezone(timedelta(hours=8))).replace(tzinfo=None)
        assert modified.tzinfo is None and abs(modified - beijing_now) < timedelta(minutes=10)


def test_the_immediate_export_and_the_job_give_every_field_its_own_cell(app, big_map):
    """The labels an export looks up once (vocabularies, flags, modes) are each field's own
    ``to_cell``: the immediate export (entries) and the job (plain rows) give the same cells, in
    Chinese and in English one after the other (nothing kept from one export to the next); the
    custom licence and a 2-character Chinese keyword included."""
    from flask_babel import force_locale

    from consortium.catalog import export_jobs
    from consortium.catalog.imports.columns import COLUMNS, FIELDS
    yb = big_map["r"]["yb"]
    services.update_resource(None, yb, keywords="医保,公交", licence="custom", usage_conditions="仅限公交调度使用")
    db.session.commit()
    entries = db.session.scalars(select(DataResource).order_by(DataResource.id)).all()
    ids = [e.id for e in entries]
    names = [name for name, *_rest in COLUMNS]
    for locale, custom in (("zh_CN", "自定义条款"), ("en", "Custom terms"), ("zh_CN", "自定义条款")):
        with app.test_request_context(), force_locale(locale):
            expected = [[FIELDS[n].to_cell(getattr(e, n), locale) for n in names] for e in entries]
            immediate = list(exports.row_values(entries, locale))
            job = [row for _done, rows in export_jobs._rows(big_map["users"]["sec"], ids, locale) for row in rows]
            modes = {FIELDS["circulation_modes"].vocabulary.label(c, locale) for c in ("privacy", "in_domain")}
        assert [row[:len(names)] for row in immediate] == expected
        assert job == immediate and len(job) == len(entries) > 45
        row = immediate[ids.index(yb.id)]
        assert row[names.index("licence")] == custom and row[names.index("keywords")] == "医保,公交"
        assert set(row[names.index("circulation_modes")].split(",")) == modes
