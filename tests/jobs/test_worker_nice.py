"""``flask jobs worker --nice N`` lowers the worker's CPU priority by N through ``os.nice`` before it
takes any job (10 by default, 0 keeps it), and says so when it starts; a value outside 0-19 is
refused and no worker runs. (tests/jobs/test_worker.py checks a real worker process's niceness.)"""
import os

import pytest

from consortium.jobs import engine


@pytest.fixture
def fake_worker(monkeypatch):
    calls = {"nice": [], "run": []}

    def nice(increment):
        calls["nice"].append(increment)
        return 7 + increment

    monkeypatch.setattr(os, "nice", nice)
    monkeypatch.setattr(engine, "run_worker", lambda workers: calls["run"].append(workers))
    return calls


@pytest.mark.parametrize("args, lowered, said", [
    (["--nice", "5"], [5], "niceness 12 (lowered by 5)"),
    ([], [10], "niceness 17 (lowered by 10)"),           # the default
    (["--nice", "0"], [0], "niceness 7 (lowered by 0)"),  # os.nice(0) only reads it
])
def test_the_nice_option_reaches_os_nice_before_the_worker_runs(runner, fake_worker, args, lowered, said):
    result = runner.invoke(args=["jobs", "worker", "--workers", "3", *args])
    assert result.exit_code == 0, result.output
    assert fake_worker["nice"] == lowered and fake_worker["run"] == [3]
    assert said in result.output


def test_the_nice_option_is_read_from_the_environment(runner, fake_worker, monkeypatch):
    monkeypatch.setenv("JOBS_WORKER_NICE", "19")
    result = runner.invoke(args=["jobs", "worker"])
    assert result.exit_code == 0 and fake_worker["nice"] == [19] and "lowered by 19" in result.output


@pytest.mark.parametrize("value", ["-5", "20", "高"])
def test_a_nice_value_outside_0_to_19_is_refused_and_no_worker_runs(runner, fake_worker, value):
    result = runner.invoke(args=["jobs", "worker", "--nice", value])
    assert result.exit_code == 2 and "--nice" in result.output
    assert fake_worker == {"nice": [], "run": []}
