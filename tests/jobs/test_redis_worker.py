"""The production configuration of the job engine: a redis-server of the test's own as the
broker, and two worker processes (as on two machines) sharing it: jobs are spread over both,
an export runs end to end over the API, and a broker that goes away makes a start answer 503
without writing a job."""
import pytest
from sqlalchemy import func, select

from consortium.auth.services import create_api_token
from consortium.extensions import db
from consortium.jobs import engine, files, start_job
from consortium.jobs.models import Job
from tests.jobs import kinds  # noqa: F401  (the test kinds, loaded by the workers too)
from tests.jobs.helpers import make_worker_user, wait
from tests.servers import RedisServer

pytestmark = pytest.mark.slow


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def broker_url(redis_server):
    return redis_server.url + "/0"


def test_two_workers_share_a_redis_broker(shared, workers, redis_server):
    app, _env = shared
    user = make_worker_user()
    token = create_api_token(None, user, "redis")[1]
    db.session.commit()
    first, second = workers(threads=1), workers(threads=1)
    wait(lambda: engine.status()[0], 120, "a worker's first beat")
    assert engine.huey.storage.__class__.__name__ == "RedisStorage"

    ids = [start_job(user, "test.whose", {"pause": 1.0}, title=f"任务 {i}").id for i in range(4)]
    db.session.commit()
    done = wait(lambda: (rows := [db.session.get(Job, i) for i in ids]) and all(r.state == "done" for r in rows)
                and rows, 90, "four jobs")
    pids = {files.path_of(r.file_name).read_text() for r in done}
    assert pids == {str(first.proc.pid), str(second.proc.pid)}  # both workers took jobs

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    answer = client.post("/api/v1/exports", json={"format": "xlsx", "q": "公交"}, headers=headers)
    assert answer.status_code == 202
    job = wait(lambda: (j := client.get(answer.headers["Location"], headers=headers).get_json())["state"] == "done"
               and j, 60)
    assert job["rows"] == 5 and job["file"]["name"].endswith(".xlsx")
    assert client.get(job["file"]["url"], headers=headers).data[:2] == b"PK"

    redis_server.stop()  # the broker goes away
    before = db.session.scalar(select(func.count(Job.id)))
    answer = client.post("/api/v1/exports", json={"format": "csv"}, headers=headers)
    assert answer.status_code == 503 and "任务服务无法连接" in answer.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count(Job.id))) == before
