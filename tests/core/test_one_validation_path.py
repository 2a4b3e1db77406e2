"""One validation path (issue 25): the definition's marshmallow ``load`` (``core.entity.clean_values``)
refuses a wrong value of the catalogue's entry the same way whether it comes from the entry form,
an API body or a spreadsheet import, and nothing is written; the generated forms re-check none of
the definition's rules with WTForms validators (they only give the HTML hints)."""
import html as html_lib
import io
import re

import openpyxl
import pytest
from sqlalchemy import func, select
from wtforms import validators as wtf

from consortium.auth.services import create_api_token
from consortium.catalog.models import DataResource
from consortium.catalog.schemas import ResourceFields
from consortium.core import entity
from consortium.core.exceptions import DomainError
from consortium.extensions import db

from tests.conftest import csrf_from

TITLE_LIMIT = entity.text_limits(ResourceFields)["title"]
GOOD = {"code": "QD-900", "title": "公交刷卡记录", "domain": "transport", "frequency": "daily", "openness": "open"}
WRONG = {  # field → (value, the message the form and the API show, in Chinese)
    "title": ("长" * (TITLE_LIMIT + 1), f"最多 {TITLE_LIMIT} 个字符。"),
    "domain": ("太空", "未知的领域：太空"),
}
HEADER = ["资源编码", "资源名称", "领域", "更新频率", "开放属性"]
CELLS = ["QD-900", "公交刷卡记录", "交通", "每日", "无条件开放"]


@pytest.fixture
def qingdao(app, make_member, make_user):
    member = make_member("青岛数据集团", "青岛", code="qingdao")
    user = make_user("qd@cdou.example", member=member)
    token = create_api_token(None, user, "test")[1]
    db.session.commit()
    return token


@pytest.fixture
def browser(browser, qingdao):
    """The member's user, signed in, reading the portal in Chinese."""
    browser.get("/lang/zh")
    browser.login("qd@cdou.example")
    return browser


def _entries() -> int:
    return db.session.scalar(select(func.count()).select_from(DataResource))


def _field_error(page: str, name: str) -> str:
    """The message a rendered form shows under its field ``name`` (bootstrap-flask's feedback)."""
    found = re.search(rf'<(?:input|select|textarea)[^>]*\bname="{name}"[^>]*>.*?'
                      r'<div class="invalid-feedback[^"]*">\s*(.*?)\s*</div>', page, re.S)
    assert found, f"no message on the field {name}"
    return html_lib.unescape(found.group(1))


def _form(browser, **wrong) -> str:
    form = {**GOOD, "circulation_modes": ["central"], **wrong}
    return browser.post_form("/resources/new", form).get_data(as_text=True)


def _api(client, token, body):
    return client.post("/api/v1/resources", json=body,
                       headers={"Authorization": f"Bearer {token}", "Accept-Language": "zh-CN"})


def _import(browser, cells) -> list[tuple[str, str]]:
    """The problems (column, message) the import's preview lists for one row of ``cells``."""
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(cells)
    data = io.BytesIO()
    book.save(data)
    page = browser.get("/resources/import").get_data(as_text=True)
    answer = browser.client.post("/resources/import", data={"csrf_token": csrf_from(page),
                                                            "file": (io.BytesIO(data.getvalue()), "清单.xlsx")})
    preview = answer.get_data(as_text=True)
    assert 'id="import-problems"' in preview and "confirm-form" not in preview  # nothing to confirm
    table = preview.split('id="import-problems"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>\s*<td[^>]*>\s*2\s*</td>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>", table, re.S)
    return [(html_lib.unescape(c).strip(), html_lib.unescape(m).strip()) for c, m in rows]


@pytest.mark.parametrize("name", list(WRONG))
def test_a_wrong_value_is_refused_alike_by_the_form_the_api_and_the_import(app, client, browser, qingdao, name):
    value, message = WRONG[name]
    # the load itself
    with app.test_request_context("/?lang=zh_CN"), pytest.raises(DomainError) as err:
        entity.clean_values(ResourceFields, {**GOOD, name: value}, creating=True)
    assert (err.value.field, err.value.message) == (name, message)
    # the form: re-rendered with the message on the field
    assert _field_error(_form(browser, **{name: value}), name) == message
    # the API: 400 naming the field, with the same words
    answer = _api(client, qingdao, {**GOOD, name: value})
    assert answer.status_code == 400
    assert answer.get_json()["error"]["field"] == name and answer.get_json()["error"]["message"] == message
    # the import: the row reported in the field's column
    cells = dict(zip(("code", "title", "domain", "frequency", "openness"), CELLS, strict=True))
    problems = _import(browser, [value if n == name else v for n, v in cells.items()])
    column = "资源名称" if name == "title" else "领域"
    assert [c for c, _m in problems] == [column]
    if name == "title":  # a text cell is read as written, then the load refuses it in its words
        assert problems[0][1] == message
    else:  # a vocabulary's cell is read by its labels (the spreadsheet reader), which names them all
        assert "太空" in problems[0][1] and "交通" in problems[0][1]
    assert _entries() == 0  # nothing written, whatever the way in


def test_a_required_field_left_out_is_refused_alike(app, client, browser, qingdao):
    with app.test_request_context("/?lang=zh_CN"), pytest.raises(DomainError) as err:
        entity.clean_values(ResourceFields, {k: v for k, v in GOOD.items() if k != "title"}, creating=True)
    assert (err.value.field, err.value.message) == ("title", "此项为必填项。")
    assert _field_error(_form(browser, title=""), "title") == "此项为必填项。"
    answer = _api(client, qingdao, {k: v for k, v in GOOD.items() if k != "title"})
    assert answer.status_code == 400 and answer.get_json()["error"] == {
        "code": 400, "field": "title", "message": "此项为必填项。"}
    assert _import(browser, [CELLS[0], "", *CELLS[2:]]) == [("资源名称", "缺少资源名称。")]  # the column named
    assert _entries() == 0


def test_the_load_carries_every_refused_field_and_the_form_shows_each(app, browser, qingdao):
    with app.test_request_context("/?lang=zh_CN"), pytest.raises(DomainError) as err:
        entity.clean_values(ResourceFields, {**GOOD, "title": WRONG["title"][0], "domain": "太空"})
    assert err.value.field == "title"  # the first in the definition's order
    assert err.value.errors == {"title": WRONG["title"][1], "domain": WRONG["domain"][1]}
    page = _form(browser, title=WRONG["title"][0], domain="太空")
    assert _field_error(page, "title") == WRONG["title"][1] and _field_error(page, "domain") == WRONG["domain"][1]
    assert _entries() == 0


CHECKS = (wtf.DataRequired, wtf.InputRequired, wtf.Length, wtf.NumberRange, wtf.AnyOf, wtf.NoneOf, wtf.Regexp,
          wtf.Email)


def _definitions(cls=entity.Definition):
    for sub in cls.__subclasses__():
        yield sub
        yield from _definitions(sub)


def test_no_generated_form_field_re_checks_a_rule_of_its_definition(app):
    """Every field of every definition: its WTForms field carries hints, no validator of a rule
    the load applies (a form-only extra check, ``checks``, is the only validator left)."""
    seen = 0
    with app.test_request_context("/?lang=zh_CN"):
        for definition in _definitions():
            for name, field in entity.described(definition).items():
                if not hasattr(field, "form_field"):  # a field its form lays out itself (the field list)
                    continue
                made = field.form_field()
                given = made.kwargs.get("validators") or ()
                assert not [v for v in given if isinstance(v, CHECKS)], (definition.__name__, name, given)
                assert all(isinstance(v, wtf.Optional) or v in field.checks for v in given), (definition.__name__, name)
                if field.must:
                    assert made.kwargs["render_kw"]["required"] is True, (definition.__name__, name)
                if isinstance(field, entity.Text):
                    assert made.kwargs["render_kw"]["maxlength"] == field.max_length, (definition.__name__, name)
                seen += 1
    assert seen > 100  # every domain's definitions were seen
