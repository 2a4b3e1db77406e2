"""The JSON shape of a city (marshmallow): dumped by /api/v1/cities and wherever
another domain's answer names a city (a member's), described in /api/v1/openapi.json."""
from marshmallow import Schema, fields

from consortium.core.api import Page, PageQuery


class ProvinceOut(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    name_en = fields.String(required=True)


class CityOut(Schema):
    adcode = fields.String(required=True)
    name = fields.String(required=True)
    name_en = fields.String(required=True)
    level = fields.String(required=True)
    province = fields.Nested(ProvinceOut, required=True)
    longitude = fields.Float(required=True)
    latitude = fields.Float(required=True)


class CityPage(Page):
    items = fields.List(fields.Nested(CityOut), required=True)


class CityQuery(PageQuery):
    province = fields.String(metadata={"description": "a province's code, e.g. 37"})
    q = fields.String(metadata={"description": "part of the city's Chinese or English name"})
