"""Job kinds that exist only for the tests (a worker loads them with
``flask jobs worker --import tests.jobs.kinds``): slow, failing once, refused."""
import os
import time
from pathlib import Path

from consortium.core.exceptions import DomainError
from consortium.jobs import job_task


@job_task("test.slow", retries=0)
def slow(run):
    """Writes ``steps`` lines, one every ``pause`` seconds, reporting each."""
    steps, pause = run.params["steps"], run.params.get("pause", 0.2)
    with run.write_file("slow.txt", "text/plain; charset=utf-8") as f:
        for i in range(steps):
            f.write(f"第 {i + 1} 行\n".encode())
            f.flush()
            time.sleep(pause)
            run.progress(i + 1, steps)
    run.rows_written(steps)


@job_task("test.flaky", retries=2, retry_delay=0)
def flaky(run):
    """Fails on its first run (leaving a mark in ``dir``), succeeds on the next."""
    mark = Path(run.params["dir"]) / f"flaky-{run.job_id}"
    if not mark.exists():
        mark.write_text("failed once")
        raise RuntimeError("the first attempt fails")
    with run.write_file("flaky.txt", "text/plain") as f:
        f.write(b"second attempt")


@job_task("test.broken", retries=1, retry_delay=0)
def broken(run):
    raise RuntimeError("always")


@job_task("test.refused", retries=2)
def refused(run):
    raise DomainError("这个任务无法完成：所选成员已被暂停。")


@job_task("test.whose", retries=0)
def whose(run):
    """Writes the id of the worker process that ran it, after ``pause`` seconds."""
    time.sleep(run.params.get("pause", 1.0))
    with run.write_file("pid.txt", "text/plain") as f:
        f.write(str(os.getpid()).encode())
