"""Every GET page of the scenarios domain as anonymous, member (青岛), transport
lead (厦门) and secretariat, on the demo data: the expected status, never a 500."""
import pytest
from sqlalchemy import select

from consortium.extensions import db
from consortium.members.models import Member
from consortium.scenarios.models import GroupMembership, Invitation, Replication, Scenario
from tests.route_walk import endpoints_of, url_of, walk_gets

ALL_OK = (200, 200, 200, 200)
SIGNED_IN = (302, 200, 200, 200)
LEAD = (302, 403, 200, 200)
SECRETARIAT = (302, 403, 403, 200)
API_SIGNED_IN = (401, 200, 200, 200)

GET_ACCESS = {
    "scenarios.index": ALL_OK,
    "scenarios.group": ALL_OK,
    "scenarios.scenario": ALL_OK,
    "scenarios.new_group": SECRETARIAT,
    "scenarios.edit_group": LEAD,
    "scenarios.digest": LEAD,
    "scenarios.new_scenario": LEAD,
    "scenarios.edit_scenario": LEAD,
    "scenarios.board": SIGNED_IN,
    "scenarios.export": SIGNED_IN,
    "scenarios.where_next": SIGNED_IN,
    "scenarios.replication": SIGNED_IN,
    "scenarios.invitation": (302, 404, 200, 200),  # 漳州's invitation: its users and the lead only
    "scenarios.remove": (302, 404, 200, 200),      # confirmation page, lead only
    "scenarios.withdraw": (302, 403, 200, 200),    # confirmation page, writers only
    "scenarios_api.groups": ALL_OK,
    "scenarios_api.group": ALL_OK,
    "scenarios_api.scenarios": ALL_OK,
    "scenarios_api.scenario": ALL_OK,
    "scenarios_api.replications": ALL_OK,  # visitors: aggregate counts only
    "scenarios_api.replication": API_SIGNED_IN,
    "scenarios_api.events": API_SIGNED_IN,
    "scenarios_api.invitations": API_SIGNED_IN,
}
# answering an invitation is for the invited member's users: tests/scenarios/test_invitations.py
MEMBER_ACTIONS = {"scenarios.accept_invitation", "scenarios.decline_invitation",
                  "scenarios_api.accept_invitation", "scenarios_api.decline_invitation"}
ROLES = [None, "qingdao@cdou.example", "xiamen@cdou.example", "secretariat@cdou.example"]


@pytest.fixture
def url_args(demo):
    scenario = db.session.scalar(select(Scenario).where(Scenario.title == "两客一危动态监管"))
    fuzhou = db.session.scalar(select(Member).where(Member.code == "fuzhou"))
    rep = db.session.scalar(select(Replication).where(Replication.scenario_id == scenario.id,
                                                      Replication.member_id == fuzhou.id))
    return {"group_code": "transport", "scenario_id": scenario.id, "replication_id": rep.id, "fmt": "csv",
            "membership_id": db.session.scalar(select(GroupMembership.id).where(
                GroupMembership.group.has(code="transport"), GroupMembership.status == "approved")
                .order_by(GroupMembership.id)),
            "invitation_id": db.session.scalar(select(Invitation.id).where(Invitation.member.has(code="zhangzhou")))}


def test_every_scenarios_get_route_is_classified(app):
    assert endpoints_of(app, "scenarios", get_only=True) == set(GET_ACCESS)


@pytest.mark.parametrize("role_index", range(4), ids=["anonymous", "member", "lead", "secretariat"])
def test_get_routes(app, browser, url_args, role_index):
    walk_gets(browser, GET_ACCESS, ROLES, role_index, lambda endpoint: url_of(app, endpoint, url_args))
