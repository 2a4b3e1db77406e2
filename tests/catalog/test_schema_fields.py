"""The entry's field list (字段说明): typed in rows of the form or pasted from a spreadsheet."""
import pytest
from sqlalchemy import select

from consortium.catalog.models import DataResource
from consortium.catalog.services import clean_schema_fields
from consortium.core.exceptions import DomainError
from consortium.extensions import db


def test_chinese_type_words_and_a_pasted_list_are_understood():
    rows = clean_schema_fields("字段名\t类型\t说明\n姓名\t字符串\t参保人姓名\n金额\t数值\t结算金额（元）\n日期\t日期\t")
    assert rows == [{"name": "姓名", "type": "string", "description": "参保人姓名"},
                    {"name": "金额", "type": "decimal", "description": "结算金额（元）"},
                    {"name": "日期", "type": "date", "description": ""}]


def test_blank_form_rows_are_dropped_even_with_their_default_type():
    rows = clean_schema_fields([{"name": "车牌", "type": "string", "description": "脱敏车牌"},
                                {"name": "", "type": "string", "description": ""},
                                {"name": " ", "type": "integer", "description": " "}])
    assert rows == [{"name": "车牌", "type": "string", "description": "脱敏车牌"}]


@pytest.mark.parametrize("rows, message", [
    ([{"name": "", "type": "string", "description": "没有名字的字段"}], "第 1 个字段没有字段名。"),
    ([{"name": "站点", "type": "string"}, {"name": "站点", "type": "integer"}], "字段 站点 重复出现。"),
    ([{"name": "站点", "type": "颜色"}], "字段 站点 的类型无法识别：颜色"),
])
def test_bad_rows_are_refused_with_a_message(app, rows, message):
    with app.test_request_context():
        with pytest.raises(DomainError) as error:
            clean_schema_fields(rows)
    assert error.value.message == message


def test_editing_an_entry_keeps_its_field_list_when_blank_rows_are_posted(catalog, browser):
    """A browser posts every row of the form, the blank ones with their type select's value."""
    browser.login("qd@cdou.example")
    response = browser.post_form("/resources/new", {
        "code": "QD-FIELDS", "title": "公交刷卡记录", "domain": "transport", "frequency": "daily",
        "openness": "conditional", "circulation_modes": ["central"], "is_public": "y",
        "schema_fields-0-name": "卡号", "schema_fields-0-type": "string", "schema_fields-0-description": "脱敏卡号",
        "schema_fields-1-name": "", "schema_fields-1-type": "string", "schema_fields-1-description": ""},
        follow_redirects=True)
    assert "公交刷卡记录" in response.get_data(as_text=True)
    entry = db.session.scalar(select(DataResource).where(DataResource.code == "QD-FIELDS"))
    assert entry.schema_fields == [{"name": "卡号", "type": "string", "description": "脱敏卡号"}]
    browser.post_form(f"/resources/{entry.id}/edit", {
        "code": "QD-FIELDS", "title": "公交刷卡记录（日）", "domain": "transport", "frequency": "daily",
        "openness": "conditional", "circulation_modes": ["central"], "is_public": "y",
        "schema_fields-0-name": "卡号", "schema_fields-0-type": "string", "schema_fields-0-description": "脱敏卡号",
        "schema_fields-1-name": "", "schema_fields-1-type": "date", "schema_fields-1-description": ""},
        follow_redirects=True)
    db.session.expire_all()
    entry = db.session.get(DataResource, entry.id)
    assert entry.title == "公交刷卡记录（日）"
    assert entry.schema_fields == [{"name": "卡号", "type": "string", "description": "脱敏卡号"}]
