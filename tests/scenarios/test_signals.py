"""A domain above the scenarios refuses a stage change by connecting a receiver to
``scenarios.signals.stage_changing`` (the authorisation step does so): the change is refused and
nothing is written."""
import pytest
from sqlalchemy import func, select

from consortium.core.exceptions import DomainError
from consortium.extensions import db
from consortium.scenarios import services, signals
from consortium.scenarios.models import ReplicationEvent
from tests.scenarios.conftest import approve


def _no_pilot_in_fuzhou(replication, to_stage, **kwargs):
    if to_stage == "pilot" and replication.member.code == "fuzhou":
        raise DomainError("福州试点暂缓：等待主管部门批复", field="to_stage")


def test_a_guard_receiver_refuses_a_stage_change_and_nothing_is_written(world):
    approve(world, world.fuzhou)
    rep = services.start_replication(world.users.fuzhou, world.scenario, world.fuzhou)
    db.session.commit()
    events = db.session.scalar(select(func.count(ReplicationEvent.id)))
    with signals.stage_changing.connected_to(_no_pilot_in_fuzhou):
        with pytest.raises(DomainError, match="福州试点暂缓"):
            services.change_stage(world.users.fuzhou, rep, "pilot")
        db.session.rollback()
        assert rep.stage != "pilot"
        assert db.session.scalar(select(func.count(ReplicationEvent.id))) == events
        services.change_stage(world.users.fuzhou, rep, "matching")   # another stage passes
    db.session.commit()
    assert rep.stage == "matching"
    services.change_stage(world.users.fuzhou, rep, "pilot")          # disconnected: no longer refused
    assert rep.stage == "pilot"
