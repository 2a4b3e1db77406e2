"""Export of a search result as CSV and XLSX: visibility, filters, formula
neutralisation, and a round trip through the importer."""
import csv
import io

import openpyxl

from consortium.catalog import imports



def _csv_rows(response):
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to open Chinese text"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))


def _titles(rows):
    return sorted(r[1] for r in rows[1:])


def test_anonymous_csv_holds_public_entries_only(client, io_catalog):
    rows = _csv_rows(client.get("/resources/export.csv"))
    assert rows[0][:5] == ["资源编码", "资源名称", "资源描述", "关键词", "领域"]
    titles = _titles(rows)
    assert "参保人员医保结算数据" in titles and "公交车辆实时定位" in titles
    assert not {"医保基金内部稽核明细", "企业信用评价", "医检互认检验报告"} & set(titles)
    assert len(rows) == 1 + 3


def test_signed_in_member_exports_filtered_result_with_non_public_entries(browser, io_catalog):
    browser.login("xm@cdou.example")
    rows = _csv_rows(browser.get("/resources/export.csv?q=医保"))
    assert set(_titles(rows)) == {"参保人员医保结算数据", "医保基金内部稽核明细"}
    rows = _csv_rows(browser.get("/resources/export.csv?domain=finance"))
    assert _titles(rows) == ["企业信用评价"]


def test_formulas_are_neutralised_in_csv(client, io_catalog):
    rows = _csv_rows(client.get("/resources/export.csv?member=qingdao"))
    evil = next(r for r in rows if r[0] == "QD-003")
    assert evil[1].startswith("'=HYPERLINK") and evil[2].startswith("'+cmd") and evil[5] == "'@SUM(1+1)"
    assert not any(cell[:1] in "=+-@\t\r" for row in rows for cell in row if cell)


def test_formula_looking_text_is_a_text_cell_in_xlsx(client, io_catalog):
    """An XLSX text cell is never evaluated: it is written as it is, typed as a string, no guard."""
    response = client.get("/resources/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = list(sheet.iter_rows())
    assert rows[0][1].value == "资源名称"
    assert len(rows) == 1 + 3
    for row in rows:
        for cell in row:
            assert cell.data_type != "f"
            assert not (isinstance(cell.value, str) and cell.value.startswith("'"))
    evil = next(r for r in rows if r[0].value == "QD-003")
    assert evil[1].value == "=HYPERLINK(\"http://evil.example\",\"点我\")" and evil[1].data_type == "s"
    assert evil[2].value.startswith("+cmd") and evil[2].data_type == "s"
    assert "医保基金内部稽核明细" not in {c.value for r in rows for c in r}


def test_bad_filter_is_a_clear_error_not_a_file(client, io_catalog):
    response = client.get("/resources/export.csv?domain=火星")
    assert response.status_code == 400 and "domain" in response.get_data(as_text=True)


def test_exported_file_imports_back_unchanged(app, browser, io_catalog):
    browser.login("qd@cdou.example")
    for url in ("/resources/export.csv?member=qingdao", "/resources/export.xlsx?member=qingdao"):
        data = browser.get(url).data
        with app.test_request_context():
            result = imports.parse_upload(data, url.split("?")[0], io_catalog["qd"])
            assert result.ok, result.problems
            plan = imports.plan_import(io_catalog["qd"], result.rows)
        assert len(plan.unchanged) == 3 and not plan.created and not plan.updated, plan.updated


def test_cli_exports_public_csv_and_everything_on_request(runner, io_catalog, tmp_path):
    out = tmp_path / "r.csv"
    assert runner.invoke(args=["export-resources", "--format", "csv", "-o", str(out)]).exit_code == 0
    text = out.read_bytes().decode("utf-8-sig")
    assert "参保人员医保结算数据" in text and "医保基金内部稽核明细" not in text
    out2 = tmp_path / "all.xlsx"
    result = runner.invoke(args=["export-resources", "--format", "xlsx", "--include-non-public",
                                 "--query", "member=qingdao", "-o", str(out2)])
    assert result.exit_code == 0, result.output
    values = {c.value for r in openpyxl.load_workbook(out2).worksheets[0].iter_rows() for c in r}
    assert "医保基金内部稽核明细" in values and "公交车辆实时定位" not in values
