"""Jobs taken from a real broker inside the test process (the ``queued_broker`` fixture of
tests/conftest.py): ``run_queued`` does what a worker does with every queued message."""
import time

from consortium.auth.services import create_user
from consortium.catalog import services as catalog
from consortium.extensions import db
from consortium.geo.services import find_city
from consortium.jobs import engine
from consortium.jobs.models import Job
from consortium.members.services import admit_member
from tests.conftest import PASSWORD
from tests.factories import ResourceFields


def run_queued() -> int:
    """Run every message waiting in the broker, as a worker would; returns how many ran."""
    ran = 0
    while (task := engine.huey.dequeue()) is not None:
        engine.huey.execute(task)
        ran += 1
    return ran


def wait(check, seconds=60, what="the job"):
    deadline = time.time() + seconds
    while time.time() < deadline:
        db.session.rollback()
        db.session.expire_all()
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} did not get there in {seconds} s")


def job_row(job_id) -> Job:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Job, job_id)


def make_worker_user(email="worker@cdou.example"):
    member = admit_member(None, name="温州大数据公司", kind="data_group", city=find_city("温州"), code="wenzhou")
    user = create_user(None, email=email, password=PASSWORD, member=member)
    for i in range(5):
        catalog.create_resource(None, member, **ResourceFields(code=f"WZ-{i}", title=f"温州公交数据 {i}",
                                                               is_public=i % 2 == 0))
    db.session.commit()
    return user
