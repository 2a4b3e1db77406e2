"""The JSON shape of a city (marshmallow): dumped by /api/v1/cities and wherever
another domain's answer names a city (a member's), described in /api/v1/openapi.json."""
from marshmallow import Schema, fields


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


class CityPage(Schema):
    items = fields.List(fields.Nested(CityOut), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
