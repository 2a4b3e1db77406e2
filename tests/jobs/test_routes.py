"""The jobs' routes as a visitor, the job's owner (青岛), another member (厦门) and the
secretariat: a job, its progress and its file are its owner's only (not even the
secretariat's: the file holds what its owner may see)."""
import pytest
from werkzeug.datastructures import MultiDict

from consortium.catalog import services as catalog
from consortium.catalog.export_jobs import start_export
from consortium.extensions import db
from tests.factories import ResourceFields
from tests.route_walk import endpoints_of, url_of, walk_gets

OWNER_ONLY = (404, 200, 404, 404)
GET_ACCESS = {
    "jobs.index": (200, 200, 200, 200),  # a visitor's list holds the jobs of the keys in their cookie
    "jobs.detail": OWNER_ONLY,
    "jobs.file": OWNER_ONLY,
    "jobs_api.index": (200, 200, 200, 200),
    "jobs_api.detail": OWNER_ONLY,
    "jobs_api.file": OWNER_ONLY,
}
# writes, tested in tests/jobs/test_engine.py and tests/catalog/test_export_jobs.py
WRITES = {"jobs.cancel", "jobs_api.cancel", "catalog_exports_api.start_export", "catalog_io.start_export"}
ROLES = [None, "qd@cdou.example", "xm@cdou.example", "sec@cdou.example"]


@pytest.fixture
def job(make_member, make_user):
    qd = make_member(name="青岛数据集团", city="青岛", code="qingdao")
    owner = make_user("qd@cdou.example", member=qd)
    make_user("xm@cdou.example", member=make_member(name="厦门大数据有限公司", city="厦门", code="xiamen"))
    make_user("sec@cdou.example", role="secretariat")
    catalog.create_resource(None, qd, **ResourceFields(code="QD-001", title="医保基金内部稽核明细", is_public=False))
    db.session.commit()
    job = start_export(owner, "csv", MultiDict(), "zh_CN")
    db.session.commit()  # immediate mode: the job runs now
    return job.id


def test_every_jobs_route_is_classified(app):
    assert endpoints_of(app, "jobs.", "jobs_api.") == set(GET_ACCESS) | {"jobs.cancel", "jobs_api.cancel"}


@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "owner", "other-member", "secretariat"])
def test_get_routes(app, browser, job, role_index):
    responses = walk_gets(browser, GET_ACCESS, ROLES, role_index,
                          lambda endpoint: url_of(app, endpoint, {"job_id": job}), login_redirect=False)
    listed = responses["jobs_api.index"].get_json()["items"]
    assert [j["id"] for j in listed] == ([job] if role_index == 1 else [])
    if role_index == 1:
        assert "医保" in responses["jobs.file"].get_data(as_text=True)


def test_cancel_by_someone_else_changes_nothing(client, browser, job):
    from consortium.jobs.models import Job
    from tests.conftest import csrf_from
    assert client.post(f"/jobs/{job}/cancel").status_code == 400  # no CSRF token
    assert client.post(f"/api/v1/jobs/{job}/cancel").status_code in (401, 404)
    browser.login("xm@cdou.example")
    csrf = csrf_from(browser.get("/jobs/").get_data(as_text=True))
    assert client.post(f"/api/v1/jobs/{job}/cancel", headers={"X-CSRFToken": csrf}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Job, job).state == "done"
