"""The JSON shapes of the registers (marshmallow): registration bodies, certificates,
recognition agreements and trusted data spaces, dumped by /api/v1 and described in
/api/v1/openapi.json. Names and vocabulary labels are given in the reader's language:
pass ``locale`` ("zh" or "en"); codes and the Chinese name stay as stored."""
from flask import url_for
from marshmallow import Schema, fields

from consortium.catalog.constants import CIRCULATION_MODES, DOMAINS
from consortium.catalog.constants import label as catalog_label

from .constants import CERTIFICATE_STATUSES, SPACE_KINDS, SPACE_STATUSES, label
from .services.recognitions import current_state, history

_CODED = {"type": "object", "properties": {"code": {"type": "string"}, "label": {"type": "string"}}}
_NAMED = {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}
_CITY = {"type": "object", "properties": {"adcode": {"type": "string"}, "name": {"type": "string"}}}


def _nullable(shape):
    return {**shape, "type": [shape["type"], "null"]}


class _Localised(Schema):
    """A schema whose Method fields read ``self.locale``."""

    def __init__(self, *args, locale="zh", **kwargs):
        super().__init__(*args, **kwargs)
        self.locale = str(locale)

    def _named(self, member):
        return {"code": member.code, "name": member.display_name(self.locale)} if member else None

    def _city(self, city):
        return {"adcode": city.adcode, "name": city.display_name(self.locale)} if city else None


class BodyOut(_Localised):
    code = fields.String(required=True)
    name = fields.Method("_name", required=True, metadata={"type": "string"})
    name_zh = fields.String(attribute="name", required=True)
    city = fields.Method("_body_city", required=True, metadata=_CITY)
    operator = fields.Method("_operator", required=True, metadata=_nullable(_NAMED))
    register_url = fields.String(required=True)
    is_example = fields.Boolean(required=True)
    url = fields.Function(lambda b: url_for("registers.body", code=b.code), required=True,
                          metadata={"type": "string"})

    def _name(self, body):
        return body.display_name(self.locale)

    def _body_city(self, body):
        return self._city(body.city)

    def _operator(self, body):
        return self._named(body.member)


class CertificateOut(_Localised):
    id = fields.Integer(required=True)
    number = fields.String(required=True)
    issuer = fields.String(attribute="body.code", required=True)
    holder_name = fields.String(required=True)
    holder_uscc = fields.String(required=True)
    product_name = fields.String(required=True)
    issued_on = fields.Date(allow_none=True, required=True)
    valid_until = fields.Date(allow_none=True, required=True)
    status = fields.Method("_status", required=True, metadata=_CODED)
    status_changed_on = fields.Date(allow_none=True, required=True)
    status_reason = fields.String(required=True)
    url = fields.Function(lambda c: url_for("registers.certificate", certificate_id=c.id), required=True,
                          metadata={"type": "string"})

    def _status(self, certificate):
        return {"code": certificate.status, "label": label(CERTIFICATE_STATUSES, certificate.status, self.locale)}


class RecognitionEventOut(Schema):
    date = fields.Date(attribute="on", allow_none=True, required=True)
    event = fields.String(attribute="kind", required=True)
    text = fields.String(required=True)


class RecognitionOut(Schema):
    id = fields.Integer(required=True)
    recognising_body = fields.String(attribute="recognising_body.code", required=True)
    issuing_body = fields.String(attribute="issuing_body.code", required=True)
    mutual = fields.Boolean(required=True)
    effective_from = fields.Date(allow_none=True, required=True)
    document_ref = fields.String(required=True)
    state = fields.Function(current_state, required=True, metadata={"type": "string"})
    revoked_on = fields.Date(allow_none=True, required=True)
    revoke_reason = fields.String(required=True)
    history = fields.Function(lambda r: RecognitionEventOut(many=True).dump(history(r)), required=True,
                              metadata={"type": "array", "items": {"type": "object", "properties": {
                                  "date": {"type": ["string", "null"], "format": "date"},
                                  "event": {"type": "string"}, "text": {"type": "string"}}}})
    url = fields.Function(lambda r: url_for("registers.recognition", recognition_id=r.id), required=True,
                          metadata={"type": "string"})


class SpaceOut(_Localised):
    id = fields.Integer(required=True)
    name = fields.Method("_name", required=True, metadata={"type": "string"})
    name_zh = fields.String(attribute="name", required=True)
    kind = fields.Method("_kind", required=True, metadata=_CODED)
    operator = fields.Method("_operator", required=True, metadata=_nullable(_NAMED))
    city = fields.Method("_space_city", required=True, metadata=_nullable(_CITY))
    domains = fields.Method("_domains", required=True, metadata={"type": "array", "items": _CODED})
    circulation_modes = fields.Method("_modes", required=True, metadata={"type": "array", "items": _CODED})
    status = fields.Method("_status", required=True, metadata=_CODED)
    launched_on = fields.Date(allow_none=True, required=True)
    is_example = fields.Boolean(required=True)
    url = fields.Function(lambda s: url_for("registers.space", space_id=s.id), required=True,
                          metadata={"type": "string"})

    def _name(self, space):
        return space.display_name(self.locale)

    def _kind(self, space):
        return {"code": space.kind, "label": label(SPACE_KINDS, space.kind, self.locale)}

    def _operator(self, space):
        return self._named(space.operator)

    def _space_city(self, space):
        return self._city(space.city)

    def _domains(self, space):
        return [{"code": d, "label": catalog_label(DOMAINS, d, self.locale)} for d in space.domain_list]

    def _modes(self, space):
        return [{"code": m, "label": catalog_label(CIRCULATION_MODES, m, self.locale)}
                for m in space.circulation_modes]

    def _status(self, space):
        return {"code": space.status, "label": label(SPACE_STATUSES, space.status, self.locale)}


def _page(item):
    return type(f"{item.__name__.removesuffix('Out')}Page", (Schema,), {
        "items": fields.List(fields.Nested(item), required=True), "total": fields.Integer(required=True),
        "page": fields.Integer(required=True), "per_page": fields.Integer(required=True)})


BodyPage = _page(BodyOut)
CertificatePage = _page(CertificateOut)
RecognitionPage = _page(RecognitionOut)


class SpacePage(_page(SpaceOut)):
    progress = fields.Dict(required=True, metadata={
        "description": "registered spaces against the national expectation (queries.data_space_progress)"})


class SpaceResourceOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    url = fields.Function(lambda r: url_for("catalog.detail", resource_id=r.id), required=True,
                          metadata={"type": "string"})


class SpaceDetailOut(SpaceOut):
    resources = fields.Method("_resources", required=True, metadata={"type": "array", "items": {
        "type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                                         "url": {"type": "string"}}}})

    def __init__(self, *args, resources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._space_resources = list(resources)

    def _resources(self, space):
        return SpaceResourceOut(many=True).dump(self._space_resources)
