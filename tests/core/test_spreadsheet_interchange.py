"""The kernel's spreadsheet reader and writer at the edges: RFC 4180 CSV read with nothing
guessed, the formula guard undone exactly, typed XLSX cells, and phone numbers as written in
China (``core.phones``)."""
import csv
import io
from datetime import date, datetime, timedelta, timezone

import openpyxl
import pytest

from consortium.core import phones
from consortium.core.spreadsheets import (UploadRejected, neutralise, read_rows, to_csv, to_xlsx, unguard)

BEIJING = timezone(timedelta(hours=8))


@pytest.fixture
def ctx(app):
    with app.test_request_context():  # translated messages need a locale (Chinese by default)
        yield


def written_by_python(rows, **kw) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n", **kw).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_doubled_quotes_far_past_the_first_4096_characters_are_read_right(ctx):
    """The case csv.Sniffer broke: no "" in the first 4 KB, so doublequote was guessed False."""
    rows = [["编码", "描述"]] + [[f"QD-{n:03d}", "全市充电桩位置与运行状态数据，按日更新" * 3] for n in range(60)]
    rows.append(["QD-999", '含站点位置与"快充/慢充"类型。'])
    data = written_by_python(rows)
    assert b'""' not in data[:4096] and b'""' in data
    read = list(read_rows(data, "export.csv"))
    assert len(read) == 62
    assert read[-1] == ("QD-999", '含站点位置与"快充/慢充"类型。')


def test_separators_quotes_and_line_breaks_inside_cells_anywhere(ctx):
    tricky = ['a,b;c\td', 'line 1\r\nline 2\nline 3', '""', '"', "", " 前后空格 "]
    data = written_by_python([["h1", "h2", "h3", "h4", "h5", "h6"], tricky, tricky[::-1]])
    assert list(read_rows(data, "x.csv")) == [("h1", "h2", "h3", "h4", "h5", "h6"), tuple(tricky),
                                              tuple(tricky[::-1])]


@pytest.mark.parametrize("delimiter,hint", [(";", ""), ("\t", ""), (";", "sep=;\r\n"), ("\t", "sep=\t\r\n")])
def test_semicolon_or_tab_only_when_the_header_row_says_so(ctx, delimiter, hint):
    body = written_by_python([["编码", "名称"], ["QD-1", "医保,结算;明细"]], delimiter=delimiter)
    assert list(read_rows(hint.encode() + body, "x.csv")) == [("编码", "名称"), ("QD-1", "医保,结算;明细")]


def test_a_comma_header_is_read_with_commas_even_when_cells_hold_semicolons(ctx):
    data = "编码,名称\r\nQD-1;QD-2,公交;地铁\r\n".encode()
    assert list(read_rows(data, "x.csv"))[1] == ("QD-1;QD-2", "公交;地铁")


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b"")])
def test_encodings(ctx, encoding, bom):
    data = bom + '编码,描述\r\nQD-1,"医保""结算""明细"\r\n'.encode(encoding)
    assert list(read_rows(data, "x.csv")) == [("编码", "描述"), ("QD-1", '医保"结算"明细')]


def test_an_unclosed_quote_is_refused_with_its_row_and_column(ctx):
    data = '编码,名称,描述\r\nQD-1,公交,好\r\nQD-2,"地铁,未闭合\r\nQD-3,x,y\r\n'.encode()
    with pytest.raises(UploadRejected) as error:
        list(read_rows(data, "x.csv"))
    assert "第 3 行第 B 列（名称）" in error.value.message and "引号未闭合" in error.value.message


def test_text_after_a_closing_quote_is_refused_with_its_row_and_column(ctx):
    data = '编码,名称,描述\r\nQD-1,公交,"好"坏\r\n'.encode()
    with pytest.raises(UploadRejected) as error:
        list(read_rows(data, "x.csv"))
    assert "第 2 行第 C 列（描述）" in error.value.message and '""' in error.value.message


def test_bytes_that_are_no_encoding_are_refused_with_their_row(ctx):
    data = b"\xef\xbb\xbf" + "编码,名称\r\nQD-1,".encode() + b"\xff\xfe\xfa"
    with pytest.raises(UploadRejected) as error:
        list(read_rows(data, "x.csv"))
    assert "第 2 行第 B 列" in error.value.message


@pytest.mark.parametrize("text", ["=1+1", "'=1+1", "''=1", "+86 532 8888 8888", "-", "@SUM(A1)", "\tx", "'引号开头",
                                  "普通文字", "'", ""])
def test_the_formula_guard_is_undone_exactly(text):
    guarded = neutralise(text)
    assert guarded[:1] not in "=+-@\t\r" or guarded == ""
    assert unguard(guarded) == text


def test_csv_round_trip_of_guarded_cells(ctx):
    cells = ["=HYPERLINK(\"x\")", "'=1", "+86 532 8888 8888", "'不是公式"]
    data = to_csv(["a", "b", "c", "d"], [cells])
    text = data.decode("utf-8-sig")
    assert "\"'=HYPERLINK(\"\"x\"\")\"" in text and "''=1" in text and "'+86" in text
    assert list(read_rows(data, "x.csv"))[1] == tuple(cells)


def test_xlsx_cells_are_typed_and_text_is_written_as_it_is():
    instant = datetime(2025, 11, 26, 10, 5, 7, 123, tzinfo=BEIJING)
    data = to_xlsx(["电话", "数量", "大小", "日期", "最后修改"],
                   [["+86 532 8888 8888", 1200000, 512.5, date(2025, 6, 30), instant]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    phone, count, size, day, modified = next(sheet.iter_rows(min_row=2))
    assert phone.value == "+86 532 8888 8888" and phone.data_type == "s"
    assert count.value == 1200000 and count.data_type == "n" and size.value == 512.5
    assert day.is_date and day.value == datetime(2025, 6, 30)
    assert modified.is_date and modified.value == datetime(2025, 11, 26, 10, 5, 7)
    assert modified.number_format == 'yyyy-mm-dd"T"hh:mm:ss"+08:00"'


def test_csv_instants_are_iso_8601_with_their_offset():
    instant = datetime(2025, 11, 26, 2, 5, tzinfo=timezone.utc).astimezone(BEIJING)
    text = to_csv(["最后修改"], [[instant]]).decode("utf-8-sig")
    assert text.splitlines()[1] == "2025-11-26T10:05:00+08:00"


@pytest.mark.parametrize("written,iri", [
    ("0532-8888 8888 转 123", "tel:+86-532-8888-8888;ext=123"),
    ("(0592) 555 0000 分机 12", "tel:+86-592-555-0000;ext=12"),
    ("0532-88888888-123", "tel:+86-532-8888-8888;ext=123"),
    ("0532-88888888 转", "tel:+86-532-8888-8888"),
    ("+86 532 8888 8888", "tel:+86-532-8888-8888"),
    ("138 0012 3456", "tel:+86-138-0012-3456"),
    ("400-800-1234", "tel:+86-400-800-1234"),
    ("工作日 9:00-17:00", None),
    ("12345", None),
    ("", None),
])
def test_phone_numbers_as_written_in_china(written, iri):
    assert phones.tel_iri(written) == iri
