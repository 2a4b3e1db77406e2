"""Every route of the registers on the demo data: GET as anonymous, a member operating a
body (青岛), a member without one (厦门) and the secretariat; writes by anonymous and by
厦门 on 青岛's objects change nothing."""
import re

import pytest
from sqlalchemy import func, select

from consortium.catalog.models import DataResource
from consortium.extensions import db
from consortium.registers.models import (
    Certificate,
    DataSpace,
    DataSpaceResource,
    Recognition,
    RecognitionSuspension,
    RegistrationBody,
)
from tests.route_walk import endpoints_of, url_of, walk_gets

ALL_OK = (200, 200, 200, 200)
SIGNED_IN = (302, 200, 200, 200)
OPERATOR = (302, 200, 403, 200)      # 青岛 operates the body / space; 厦门 does not
API_SIGNED_IN = (401, 200, 200, 200)

GET_ACCESS = {
    "registers.index": ALL_OK,
    "registers.body": ALL_OK,
    "registers.new_body": SIGNED_IN,
    "registers.edit_body": OPERATOR,
    "registers.certificates": SIGNED_IN,
    "registers.certificate": SIGNED_IN,
    "registers.new_certificate": OPERATOR,
    "registers.edit_certificate": OPERATOR,
    "registers.import_form": OPERATOR,
    "registers.import_template": ALL_OK,
    "registers.recognitions": ALL_OK,
    "registers.recognition": ALL_OK,
    "registers.new_recognition": OPERATOR,
    "registers.check": (401, 200, 200, 200),  # a visitor is told why, and sent to the public verification
    "registers.export_certificates": SIGNED_IN,
    "registers.verify": ALL_OK,
    "registers.verify_number": ALL_OK,
    "registers.network": ALL_OK,
    "registers.spaces": ALL_OK,
    "registers.space": ALL_OK,
    "registers.new_space": SIGNED_IN,
    "registers.edit_space": OPERATOR,
    "registers_api.bodies": ALL_OK,
    "registers_api.certificates": API_SIGNED_IN,
    "registers_api.certificate": API_SIGNED_IN,
    "registers_api.recognitions": ALL_OK,
    "registers_api.check": (401, 400, 400, 400),  # no parameters: the error names the missing one
    "registers_api.verify": (400, 400, 400, 400),  # open to visitors; no number: the error names it
    "registers_api.spaces": ALL_OK,
    "registers_api.space": ALL_OK,
}
# method, expected for (anonymous, 厦门) acting on 青岛's body, certificate, agreement, space, entry
WRITES = {
    "registers.edit_body": ("POST", (302, 403)),
    "registers.new_certificate": ("POST", (302, 403)),
    "registers.edit_certificate": ("POST", (302, 403)),
    "registers.import_upload": ("POST", (302, 403)),
    "registers.import_confirm": ("POST", (302, 302)),  # unknown or someone else's preview: back to the form
    "registers.import_cancel": ("POST", (302, 302)),
    "registers.new_recognition": ("POST", (302, 403)),
    "registers.suspend": ("POST", (302, 403)),
    "registers.resume": ("POST", (302, 403)),
    "registers.revoke": ("POST", (302, 403)),
    "registers.edit_space": ("POST", (302, 403)),
    "registers.link": ("POST", (302, 403)),
    "registers.unlink": ("POST", (302, 403)),
    "registers_api.create_certificate": ("POST", (401, 403)),
}
# open to every member user for their own organisation: covered in test_views
MEMBER_ACTIONS = {"registers.new_body", "registers.new_space"}
ROLES = [None, "qingdao@cdou.example", "xiamen@cdou.example", "secretariat@cdou.example"]


@pytest.fixture
def url_args(demo):
    qingdao = db.session.scalar(select(RegistrationBody).where(RegistrationBody.code == "qingdao-dar"))
    marine = db.session.scalar(select(DataSpace).where(DataSpace.name == "海洋可信数据空间"))
    link = db.session.scalar(select(DataSpaceResource).where(DataSpaceResource.space_id == marine.id))
    recognition = db.session.scalar(select(Recognition).where(Recognition.recognising_body_id == qingdao.id,
                                                              Recognition.revoked_on.is_(None)).order_by(Recognition.id))
    return {"code": qingdao.code, "certificate_id": db.session.scalar(
        select(Certificate.id).where(Certificate.body_id == qingdao.id).order_by(Certificate.id)),
        "recognition_id": recognition.id, "space_id": marine.id, "resource_id": link.resource_id,
        "token": "no-such-preview", "fmt": "csv", "number": "qddj2025000123"}


def _url(app, endpoint, url_args):
    return url_of(app, endpoint, url_args, method=None if endpoint in WRITES else "GET")


def test_every_registers_get_route_is_classified(app):
    assert endpoints_of(app, "registers", get_only=True) == set(GET_ACCESS)
    posts = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("registers")
             and "POST" in r.methods}
    assert posts <= set(WRITES) | MEMBER_ACTIONS


@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "operator", "member", "secretariat"])
def test_get_routes(app, browser, url_args, role_index):
    walk_gets(browser, GET_ACCESS, ROLES, role_index, lambda endpoint: _url(app, endpoint, url_args))


def _state():
    counts = tuple(db.session.scalar(select(func.count()).select_from(m)) for m in
                   (RegistrationBody, Certificate, Recognition, RecognitionSuspension, DataSpace, DataSpaceResource))
    revoked = db.session.scalar(select(func.count()).where(Recognition.revoked_on.is_not(None)))
    names = tuple(db.session.scalars(select(RegistrationBody.name).order_by(RegistrationBody.id)))
    return counts, revoked, names, tuple(db.session.scalars(select(DataSpace.name).order_by(DataSpace.id)))


@pytest.mark.parametrize("role_index", range(2), ids=["anonymous", "member-without-a-body"])
def test_writes_change_nothing_without_permission(app, browser, url_args, role_index):
    role = [None, "xiamen@cdou.example"][role_index]
    if role:
        browser.login(role)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      browser.get("/auth/account" if role else "/auth/login").get_data(as_text=True)).group(1)
    before = _state()
    title = db.session.get(DataResource, url_args["resource_id"]).title
    payload = {"name": "篡改", "city": "厦门", "member": "xiamen", "body": "qingdao-dar", "number": "X-1",
               "holder_name": "篡改", "holder_uscc": "91370200MA3C5L1Y4U", "product_name": "篡改",
               "issued_on": "2025-01-01", "status": "valid", "recognising_body": "qingdao-dar",
               "issuing_body": "fuzhou-dar", "effective_from": "2025-01-01", "document_ref": "篡改",
               "on": "2026-01-01", "reason": "篡改", "kind": "city", "operator": "xiamen", "space": url_args["space_id"]}
    for endpoint, (method, expected) in WRITES.items():
        url = _url(app, endpoint, url_args)
        if "_api." in endpoint:
            fields = {k: payload[k] for k in ("body", "number", "holder_name", "holder_uscc", "product_name",
                                              "issued_on")}
            response = browser.client.open(url, method=method, json=fields, headers={"X-CSRFToken": token})
        else:
            response = browser.client.open(url, method=method, data=dict(payload, csrf_token=token))
        assert response.status_code == expected[role_index], (endpoint, role)
    db.session.expire_all()
    assert _state() == before
    assert db.session.get(DataResource, url_args["resource_id"]).title == title
