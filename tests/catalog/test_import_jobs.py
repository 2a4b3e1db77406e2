"""A large import's confirmation runs as a job: the user lands on the job's page, the rows are
applied all or nothing by the worker, and a failure leaves nothing written and the preview
still there to confirm. (The threshold is lowered to 1 row; the rows are those of test_import.)"""
import re

import pytest
from sqlalchemy import func, select

from consortium.catalog.import_batch import ImportBatch
from consortium.catalog.models import DataResource
from consortium.extensions import db
from consortium.jobs.models import Job
from tests.conftest import csrf_from
from tests.catalog.test_import import ROWS, confirm, upload, xlsx_bytes
from tests.jobs.helpers import run_queued


@pytest.fixture
def qingdao(make_member, make_user, monkeypatch, app):
    monkeypatch.setitem(app.config, "SYNC_IMPORT_ROWS", 1)
    member = make_member("青岛数据集团", "青岛", code="qingdao")
    make_user("qd@cdou.example", member=member)
    return member


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_large_import_is_applied_by_a_job_its_user_follows(browser, qingdao, queued_broker):
    browser.login("qd@cdou.example")
    html = upload(browser, xlsx_bytes(ROWS), "全市清单.xlsx").get_data(as_text=True)
    started = confirm(browser, html)
    assert started.status_code == 303 and re.fullmatch(r"/jobs/\d+", started.headers["Location"])
    page = browser.get(started.headers["Location"]).get_data(as_text=True)
    assert "导入 全市清单.xlsx（2 行）" in page and "等待开始" in page
    assert _count(DataResource) == 0 and _count(ImportBatch) == 1  # nothing yet: the worker applies it
    assert run_queued() == 1
    db.session.expire_all()
    assert sorted(db.session.scalars(select(DataResource.code))) == ["QD-GJ-002", "QD-YB-001"]
    assert _count(ImportBatch) == 0
    page = browser.get(started.headers["Location"]).get_data(as_text=True)
    assert "已就绪" in page and "导入完成：新增 2 条，更新 0 条，未变 0 条。" in page
    assert "全市清单.xlsx" in browser.get("/me").get_data(as_text=True)  # listed among my recent jobs


def test_a_failed_import_job_writes_nothing_and_keeps_the_preview(browser, qingdao, queued_broker):
    browser.login("qd@cdou.example")
    html = upload(browser, xlsx_bytes(ROWS), "清单.xlsx").get_data(as_text=True)
    started = confirm(browser, html)
    qingdao.status = "suspended"  # suspended after the confirmation, before the worker runs it
    db.session.commit()
    assert run_queued() == 1  # not retried: an import is never applied twice
    job = db.session.scalar(select(Job))
    # a suspended member's users are inactive: the job runs for nobody and says so
    assert (job.state, job.attempts, job.message) == ("failed", 1, "您的账户已停用，未导入任何内容。")
    assert _count(DataResource) == 0 and _count(ImportBatch) == 1
    qingdao.status = "active"  # back again: the user reads why, and confirms the same preview again
    db.session.commit()
    assert job.message in browser.get(started.headers["Location"]).get_data(as_text=True)
    token = re.search(r'/resources/import/([^/"]+)/confirm', html).group(1)
    again = browser.client.post(f"/resources/import/{token}/confirm",
                                data={"csrf_token": csrf_from(browser.get("/resources/import").get_data(as_text=True))})
    assert again.status_code == 303 and again.headers["Location"] != started.headers["Location"]
    assert run_queued() == 1
    assert _count(DataResource) == 2 and _count(ImportBatch) == 0
