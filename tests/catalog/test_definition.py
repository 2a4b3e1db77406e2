"""The entry's one definition (schemas.ResourceFields) drives the services' rules, the form, the
JSON API and its OpenAPI description, the import, its template and the export: nothing restates
its fields. A field added to a definition reaches every one of them with no other code."""
import io
from datetime import date

import openpyxl
import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from consortium.catalog import constants, exports, imports, schemas, services
from consortium.catalog.forms import ResourceForm
from consortium.core import entity
from consortium.core.exceptions import DomainError
from consortium.core.vocab import Term, Vocabulary

DEFINED = list(entity.described(schemas.ResourceFields))


def test_services_form_import_export_and_api_read_the_definition(app):
    with app.test_request_context("/?lang=zh_CN"):
        assert list(services.EDITABLE) == DEFINED
        assert services.TEXT_LIMITS["title"] == 200 and services.TEXT_LIMITS["code"] == 60
        placed = entity.sections(schemas.ResourceFields)
        assert set(placed) <= set(constants.SECTIONS)  # every section the form lays out has a title
        assert {n for fields in placed.values() for n, _w in fields} == set(DEFINED) - {"schema_fields"}
        form = ResourceForm(meta={"csrf": False})  # the WTForms fields the class generated, not its list
        # every defined field is an input; besides them only the form's own parts (the owner picker,
        # the field list as text, the version, the button)
        assert set(form._fields) - set(DEFINED) == {"member", "column_list", "version", "submit"}
        assert set(DEFINED) <= set(form._fields)
        assert [c[0] for c in imports.COLUMNS] == list(DEFINED)  # 样例数据 and the download link included
        assert exports.headers("zh_CN")[:3] == ["资源编码", "资源名称", "资源描述"]
        assert exports.headers("en")[:3] == ["Resource code", "Title", "Description"]
        assert set(DEFINED) <= set(schemas.ResourceOut._declared_fields)
        assert {"domain", "frequency", "openness", "code", "title"} == {
            n for n, f in schemas.ResourceCreate._declared_fields.items() if f.required}


def test_openapi_describes_every_defined_field(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    out = spec["components"]["schemas"]["ResourceOut"]["properties"]
    created = spec["components"]["schemas"]["ResourceCreate"]
    assert set(DEFINED) <= set(out)
    assert out["domain"]["$ref"].endswith("/Coded")
    assert set(created["required"]) == {"code", "title", "domain", "frequency", "openness"}
    assert created["properties"]["title"]["maxLength"] == 200


COLOURS = Vocabulary("colour", [Term("red", "红色", _l("Red")), Term("blue", "蓝色", _l("Blue"))])


class WithExtra(schemas.ResourceFields):
    """The definition as it would be after adding two fields (a text and a vocabulary)."""
    owner_unit = entity.Text(30, label=_l("Title"), column=("归口单位", "Owning unit"), section=constants.WHAT)
    colour = entity.Choice(COLOURS, label=_l("Domain"), column=("颜色", "Colour"), section=constants.DATA)


def test_a_new_field_reaches_rules_form_columns_cells_and_json(app):
    with app.test_request_context("/?lang=zh_CN"):
        # the services' rules
        clean = entity.clean_values(WithExtra, {"owner_unit": " 市大数据局 ", "colour": "blue"})
        assert clean == {"owner_unit": "市大数据局", "colour": "blue"}
        with pytest.raises(DomainError) as err:
            entity.clean_values(WithExtra, {"owner_unit": "长" * 31})
        assert err.value.field == "owner_unit"
        with pytest.raises(DomainError):
            entity.clean_values(WithExtra, {"colour": "green"})
        # the form and its section
        built = entity.form_fields(WithExtra, exclude=("schema_fields",))
        assert {"owner_unit", "colour"} <= set(built)
        assert ("colour", 6) in entity.sections(WithExtra)[constants.DATA]
        # the spreadsheet columns, a cell in and out
        cols = {c[0]: c for c in entity.columns(WithExtra)}
        assert cols["colour"][1:3] == ("颜色", "Colour")
        colour = entity.described(WithExtra)["colour"]
        assert colour.from_cell("蓝色") == "blue" and colour.from_cell("Red") == "red"
        assert colour.to_cell("blue", "zh_CN") == "蓝色" and colour.to_cell("blue", "en") == "Blue"
        with pytest.raises(ValueError, match="红色、蓝色"):
            colour.from_cell("绿色")
        # the JSON API and its OpenAPI shape
        Out = entity.output_schema(WithExtra, "WithExtraOut", {})
        assert {"owner_unit", "colour"} <= set(Out._declared_fields)
        obj = type("Obj", (), {name: None for name in entity.described(WithExtra)})()
        obj.owner_unit, obj.colour = "市大数据局", "red"
        shown = entity.to_json(WithExtra, obj, "zh_CN")
        assert shown["owner_unit"] == "市大数据局" and shown["colour"] == {"code": "red", "label": "红色"}
        assert issubclass(Out, Schema)


def test_cells_of_each_kind_read_chinese_spreadsheets(app):
    fields = entity.described(schemas.ResourceFields)
    with app.test_request_context("/?lang=zh_CN"):
        assert fields["temporal_start"].from_cell("2025年6月30日") == date(2025, 6, 30)
        assert fields["record_count"].from_cell("1,200") == 1200
        assert fields["has_api"].from_cell("是") is True and fields["is_public"].from_cell("否") is False
        assert fields["circulation_modes"].from_cell("供方数据不出域、基于隐私计算") == ["in_domain", "privacy"]
        assert fields["licence"].from_cell("") == "" and fields["domain"].from_cell("") is None
        with pytest.raises(ValueError, match="2024-13-45"):
            fields["temporal_end"].from_cell("2024-13-45")
        assert fields["record_count"].from_cell("-3") == -3  # read as written: the bounds are the load's
        with pytest.raises(DomainError, match="数值不能为负数"):
            entity.clean_values(schemas.ResourceFields, {"record_count": fields["record_count"].from_cell("-3")})
        assert fields["size_mb"].to_cell(float("inf"), "zh_CN") is None  # never written to a file


def test_vocabularies_have_one_shape(app):
    for vocabulary in (constants.DOMAINS, constants.FREQUENCIES, constants.OPENNESS, constants.CIRCULATION_MODES,
                       constants.LICENCES):
        assert isinstance(vocabulary, Vocabulary)
        assert all(isinstance(term, Term) and term.zh and str(term.en) for term in vocabulary.values())
    assert all(term.uri.startswith("http://publications.europa.eu/") for term in constants.DOMAINS.values())
    assert all(term.bit for term in constants.CIRCULATION_MODES.values())
    modes = constants.CIRCULATION_MODES
    assert modes.mask_of(["privacy", "demand_side"]) == 10 and modes.codes_in(10) == ["privacy", "demand_side"]
    with app.test_request_context("/?lang=zh_CN"):
        assert constants.DOMAINS.find("交通") == "transport" and constants.DOMAINS.find(" TRANSPORT ") == "transport"
        assert constants.DOMAINS.find("Health care") == "health" and constants.DOMAINS.find("火星") is None
        assert constants.DOMAINS.label("health", "zh_CN") == "医疗健康"
    with app.test_request_context(), force_locale("en"):
        assert constants.DOMAINS.label("health", "en") == "Health care"
        assert constants.DOMAINS.find("医疗健康") == "health"


def test_template_lists_every_column_and_the_vocabularies(app):
    with app.test_request_context("/?lang=zh_CN"):
        book = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx("zh_CN")))
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:2] == ["资源编码*", "资源名称*"] and "领域*" in header and "字段清单" in header
    assert len(header) == len(imports.COLUMNS)
    allowed = book.worksheets[1]
    columns = {allowed.cell(1, i).value: [allowed.cell(r, i).value for r in range(2, allowed.max_row + 1)]
               for i in range(1, allowed.max_column + 1)}
    assert "交通" in columns["领域"] and "基于隐私计算" in columns["流通模式"] and "CC BY 4.0" in columns["使用许可"]


def test_a_field_the_page_does_not_lay_out_is_still_shown(client, io_catalog, monkeypatch):
    """A field added to the definition appears on the entry's page with its label and value (as
    the export writes it) until someone lays it out; here the page forgets how to show two."""
    from consortium.catalog import views
    bus = io_catalog["r"]["bus"]
    generic = '<dd class="col-sm-8">数据汇聚至中心节点</dd>'
    before = client.get(f"/resources/{bus.id}").get_data(as_text=True)
    assert "数据汇聚至中心节点" in before and generic not in before  # laid out as a badge
    monkeypatch.setattr(views, "LAID_OUT", views.LAID_OUT - {"circulation_modes"})
    page = client.get(f"/resources/{bus.id}").get_data(as_text=True)
    assert generic in page
