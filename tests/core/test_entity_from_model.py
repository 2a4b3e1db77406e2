"""One declaration per field: an entity's definition is made from its model's columns
(``core.entity.definition``), so a column's type and length are the field's kind and limit in
the form, the API body and its OpenAPI description, and the spreadsheet import, and a column
given ``info=shown(...)`` is a field everywhere without any other file naming it."""
from datetime import date

import pytest
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from marshmallow import ValidationError
from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from consortium.catalog.models import DataResource
from consortium.catalog.schemas import ResourceCreate, ResourceFields
from consortium.core import entity
from consortium.core.exceptions import DomainError
from consortium.core.vocab import Term, Vocabulary

COLOURS = Vocabulary("colours", [Term("blue", "蓝色", _l("Blue")), Term("red", "红色", _l("Red"))])


def _model(title_length: int):
    """A model of its own (its own metadata: no table reaches the portal's database)."""

    class Base(DeclarativeBase):
        pass

    class Ledger(Base):
        __tablename__ = "ledgers"
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str] = mapped_column(String(title_length), info=entity.shown(
            _l("Title"), required=True, column=("名称", "Title")))
        owner_unit: Mapped[str] = mapped_column(String(30), default="", info=entity.shown(
            _l("Owner"), column=("归口单位", "Owning unit")))
        records: Mapped[int | None] = mapped_column(BigInteger, info=entity.shown(_l("Records")))
        size_mb: Mapped[float | None] = mapped_column(info=entity.shown(_l("Size (MB)")))
        opened_on: Mapped[date | None] = mapped_column(info=entity.shown(_l("Date")))
        is_open: Mapped[bool] = mapped_column(default=False, info=entity.shown(_l("Public")))
        colour: Mapped[str] = mapped_column(String(20), default="", info=entity.shown(
            _l("Colour"), choices=COLOURS, plain=True, column=("颜色", "Colour")))
        notes: Mapped[str] = mapped_column(Text, default="", info=entity.shown(
            _l("Note"), max_length=500, multiline=True))
        reason: Mapped[str] = mapped_column(Text, default="", info=entity.shown(
            _l("Reason"), part="decision", key="why", max_length=300))
        secret_hash: Mapped[str] = mapped_column(String(64), default="")  # no info: not a field

    return Ledger


def _limits_seen(app, title_length: int) -> dict:
    """The title's limit as the form, the API body, its OpenAPI description, the services and
    the spreadsheet import each see it, for a model whose column holds ``title_length``."""
    Fields = entity.definition(_model(title_length), "LedgerFields")
    Body = entity.input_schema(Fields, f"LedgerBody{title_length}", {}, creating=True)
    spec = APISpec("t", "1", "3.1.0", plugins=[MarshmallowPlugin()])
    spec.components.schema("LedgerBody", schema=Body)
    with app.test_request_context("/?lang=zh_CN"):
        form = entity.form_class("LedgerForm", FlaskForm, Fields)(meta={"csrf": False})
        html = form.title()
    with pytest.raises(ValidationError):
        Body().load({"title": "数" * (title_length + 1)})
    with pytest.raises(DomainError):
        entity.clean_values(Fields, {"title": "数" * (title_length + 1)})
    with app.test_request_context("/?lang=zh_CN"), pytest.raises(DomainError):  # an import: the cell, then the load
        entity.clean_values(Fields, {"title": entity.described(Fields)["title"].from_cell("数" * (title_length + 1))})
    return {"form": html.split('maxlength="')[1].split('"')[0],
            "openapi": spec.to_dict()["components"]["schemas"]["LedgerBody"]["properties"]["title"]["maxLength"],
            "import": entity.text_limits(Fields)["title"],
            "cleaned": entity.clean_values(Fields, {"title": "数" * title_length})["title"]}


def test_a_columns_length_is_the_limit_of_the_form_the_api_and_the_import(app):
    assert _limits_seen(app, 40) == {"form": "40", "openapi": 40, "import": 40, "cleaned": "数" * 40}
    assert _limits_seen(app, 80) == {"form": "80", "openapi": 80, "import": 80, "cleaned": "数" * 80}


def test_the_columns_type_chooses_the_kind_and_only_shown_columns_are_fields():
    Fields = entity.definition(_model(40), "LedgerFields")
    kinds = {name: type(f).__name__ for name, f in entity.described(Fields).items()}
    assert kinds == {"title": "Text", "owner_unit": "Text", "records": "WholeNumber", "size_mb": "Number",
                     "opened_on": "Day", "is_open": "Flag", "colour": "Choice", "notes": "Text"}
    assert entity.text_limits(Fields) == {"title": 40, "owner_unit": 30, "notes": 500}
    Decision = entity.definition(_model(40), "LedgerDecision", part="decision")
    assert {n: (f.attribute, f.max_length) for n, f in entity.described(Decision).items()} == {"why": ("reason", 300)}


def test_a_shown_column_no_schema_names_reaches_form_api_and_spreadsheet(app):
    Fields = entity.definition(_model(40), "LedgerFields", extra={
        "code": entity.Text(10, label=_l("Code"))}, place=(("code", None),))
    assert list(entity.described(Fields))[:3] == ["code", "title", "owner_unit"]
    assert ("owner_unit", "归口单位", "Owning unit", False) in entity.columns(Fields)
    with app.test_request_context("/?lang=zh_CN"):
        form = entity.form_class("LedgerForm", FlaskForm, Fields)(meta={"csrf": False})
        assert 'name="owner_unit"' in form.owner_unit() and 'maxlength="30"' in form.owner_unit()
        assert form.owner_unit.label.text == str(_l("Owner")) and "owner_unit" in form.FIELDS
        out = entity.output_schema(Fields, "LedgerOut", {})().dump(
            type("Row", (), {n: None for n in entity.described(Fields)} | {"owner_unit": "温州市数据局", "colour": "red"})())
    assert out["owner_unit"] == "温州市数据局" and out["colour"] == "red"
    assert entity.input_schema(Fields, "LedgerBody", {})().load({"owner_unit": "医保"}) == {"owner_unit": "医保"}
    with pytest.raises(ValidationError):
        entity.input_schema(Fields, "LedgerBody", {})().load({"secret_hash": "x"})  # a column not shown


def test_a_limit_written_again_beside_the_column_is_refused():
    class Base(DeclarativeBase):
        pass

    with pytest.raises(TypeError, match="repeats the column's length"):
        class Twice(Base):
            __tablename__ = "twice"
            id: Mapped[int] = mapped_column(primary_key=True)
            title: Mapped[str] = mapped_column(String(40), info=entity.shown(_l("Title"), max_length=40))

        entity.definition(Twice, "TwiceFields")


def test_the_portals_definitions_are_their_models_columns():
    shown = [c.key for c in DataResource.__table__.columns if entity.SHOWN in c.info]
    assert [n for n in entity.described(ResourceFields) if n != "circulation_modes"] == shown
    title = DataResource.__table__.c.title.type.length
    assert entity.text_limits(ResourceFields)["title"] == title
    assert ResourceCreate._declared_fields["title"].validators[0].max == title
