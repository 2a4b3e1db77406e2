"""Two members' users and a target type whose objects only named users may see."""
import pytest

from consortium.notifications import registry, signals


@pytest.fixture
def people(make_member, make_user):
    qingdao = make_member("青岛数据集团", city="青岛", code="qd")
    wenzhou = make_member("温州大数据公司", city="温州", code="wz")
    return (make_user("liu@qingdao.example", member=qingdao), make_user("lin@wenzhou.example", member=wenzhou),
            qingdao, wenzhou)


@pytest.fixture
def secret_target():
    """A target type whose objects only users named in ``allowed`` may see."""
    allowed = set()

    def targets(sender, **kwargs):
        return {"test_dossier": lambda user, target_id: (user.id, target_id) in allowed}

    def kinds(sender, **kwargs):
        return registry.Kind("test.dossier_invited", label="议题邀请", action=None,
                             message=lambda n: "议题邀请：" + n.payload.get("title", ""),
                             url=lambda n: f"/dossiers/{n.target_id}")
    with signals.targets.connected_to(targets), signals.kinds.connected_to(kinds):
        yield allowed
