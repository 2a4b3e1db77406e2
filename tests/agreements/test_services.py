"""Agreements: who sees them, and consent — no party can make an agreement say
something for the others (finding 7)."""
from datetime import date

import pytest
from sqlalchemy import select

from consortium.agreements import services
from consortium.agreements.models import Agreement
from consortium.core.exceptions import Conflict, DomainError, PermissionDenied
from consortium.extensions import db
from consortium.counterparties.services import add_counterparty


@pytest.fixture(autouse=True)
def _request_context(app):
    with app.test_request_context():
        yield


def _subjects(actor):
    return [a.subject for a in db.session.scalars(services.list_agreements(actor))]


def test_visibility_and_parties(world):
    u = world.users
    public = services.record_agreement(u.secretariat, subject="公交数据合作", signed_on=date(2025, 9, 1),
                                       status="signed", members=[world.xiamen, world.fuzhou],
                                       scenarios=[world.scenario])
    private = services.record_agreement(u.fuzhou, subject="内部合作备忘", signed_on=None, status="negotiating",
                                        members=[world.fuzhou, world.chengdu], is_public=False)
    with pytest.raises(PermissionDenied):
        services.record_agreement(u.merchant, subject="代签", signed_on=None, status="signed",
                                  members=[world.xiamen, world.fuzhou])
    with pytest.raises(DomainError):
        services.record_agreement(u.secretariat, subject="一方", signed_on=None, status="signed",
                                  members=[world.xiamen])
    assert _subjects(None) == ["公交数据合作"]
    assert _subjects(u.merchant) == ["公交数据合作"]
    assert set(_subjects(u.chengdu)) == {"公交数据合作", "内部合作备忘"}
    assert set(_subjects(u.secretariat)) == {"公交数据合作", "内部合作备忘"}
    assert [a.subject for a in db.session.scalars(services.list_agreements(None, scenario=world.scenario))] \
        == ["公交数据合作"]
    assert private.status == "negotiating" and public.scenarios == [world.scenario]
    assert not public.is_draft and private.is_draft  # 成都 has not confirmed the memo yet


def test_a_member_cannot_publish_a_signed_agreement_for_others(world):
    u = world.users
    platform = add_counterparty(u.secretariat, name="蚂蚁集团")
    forged = services.record_agreement(u.fuzhou, subject="三方战略合作", signed_on=date(2025, 9, 1), status="signed",
                                       members=[world.fuzhou, world.xiamen], counterparties=[platform],
                                       is_public=True)
    db.session.commit()
    assert forged.is_draft
    assert "三方战略合作" not in _subjects(None) and "三方战略合作" not in _subjects(u.merchant)
    assert "三方战略合作" in _subjects(u.lead)  # 厦门 is named: it sees the draft and may confirm
    services.confirm_agreement(u.lead, forged, expected_version=forged.version)
    assert forged.is_draft  # the counterparty (which never signs in) waits for the secretariat
    assert "三方战略合作" not in _subjects(None)
    services.confirm_agreement(u.secretariat, forged, expected_version=forged.version)
    db.session.commit()
    assert not forged.is_draft and "三方战略合作" in _subjects(None)


def test_a_party_cannot_remove_another_and_its_change_is_a_draft(world):
    u = world.users
    a = services.record_agreement(u.secretariat, subject="公交数据合作", signed_on=date(2025, 9, 1), status="signed",
                                  members=[world.xiamen, world.fuzhou, world.chengdu], is_public=True)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        services.update_agreement(u.fuzhou, a, expected_version=a.version, subject=a.subject, signed_on=a.signed_on,
                                  status="signed", members=[world.fuzhou, world.chengdu], is_public=True)
    db.session.rollback()
    a = db.session.get(Agreement, a.id)
    assert a.member_ids == {world.xiamen.id, world.fuzhou.id, world.chengdu.id} and not a.is_draft
    services.update_agreement(u.fuzhou, a, expected_version=a.version, subject=a.subject, signed_on=a.signed_on,
                              status="ended", members=[world.xiamen, world.fuzhou, world.chengdu], is_public=True)
    db.session.commit()
    assert a.is_draft and "公交数据合作" not in _subjects(None)  # until 厦门 and 成都 confirm "ended"
    assert {p.member_id for p in a.parties if p.is_confirmed} == {world.fuzhou.id}
    with pytest.raises(Conflict):
        services.confirm_agreement(u.lead, a, expected_version=a.version - 1)  # confirms only what one read
    services.confirm_agreement(u.lead, a, expected_version=a.version)
    services.confirm_agreement(u.chengdu, a, expected_version=a.version)
    db.session.commit()
    assert not a.is_draft and "公交数据合作" in _subjects(None)
    with pytest.raises(DomainError):
        services.confirm_agreement(u.chengdu, a, expected_version=a.version)  # nothing left to confirm


def test_a_party_may_withdraw_itself(world):
    u = world.users
    a = services.record_agreement(u.secretariat, subject="三方合作", signed_on=None, status="negotiating",
                                  members=[world.xiamen, world.fuzhou, world.chengdu])
    db.session.commit()
    services.update_agreement(u.chengdu, a, expected_version=a.version, subject=a.subject, signed_on=None,
                              status="negotiating", members=[world.xiamen, world.fuzhou])
    db.session.commit()
    assert a.member_ids == {world.xiamen.id, world.fuzhou.id} and a.is_draft


def test_non_parties_cannot_edit_or_confirm(world):
    u = world.users
    a = services.record_agreement(u.fuzhou, subject="公交数据互通", signed_on=None, status="negotiating",
                                  members=[world.fuzhou, world.xiamen])
    db.session.commit()
    for actor in (u.chengdu, u.merchant):
        with pytest.raises(PermissionDenied):
            services.confirm_agreement(actor, a, expected_version=a.version)
        with pytest.raises(PermissionDenied):
            services.update_agreement(actor, a, subject="篡改", signed_on=None, status="signed",
                                      members=[world.fuzhou, world.xiamen])
    db.session.rollback()
    assert db.session.scalar(select(Agreement.subject)) == "公交数据互通"
