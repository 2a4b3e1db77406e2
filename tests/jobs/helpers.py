"""Jobs taken from a real broker inside the test process (the ``queued_broker`` fixture of
tests/conftest.py): ``run_queued`` does what a worker does with every queued message."""
from consortium.jobs import engine


def run_queued() -> int:
    """Run every message waiting in the broker, as a worker would; returns how many ran."""
    ran = 0
    while (task := engine.huey.dequeue()) is not None:
        engine.huey.execute(task)
        ran += 1
    return ran
