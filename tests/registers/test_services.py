"""The recognition rule over dates (before, on and after every boundary), one-way versus
mutual, revoked and expired certificates, the credit-code checksum, and who may record."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from consortium.core.exceptions import Conflict, DomainError, PermissionDenied
from consortium.extensions import db
from consortium.registers import queries, services
from consortium.registers.models import Certificate, Recognition

from .conftest import QINGDAO_CODE, valid_uscc

DAY = timedelta(days=1)


def around(d):
    return [(d - DAY, "before"), (d, "on"), (d + DAY, "after")]


def answer(world, body, on, cert=None):
    return services.check_recognition(world.users.secretariat, cert or world.cert, body, on)


def test_no_agreement_then_one_way_only_in_its_direction(world):
    b = world.bodies
    a = answer(world, b.huzhou, date(2025, 6, 1))
    assert (a.recognised, a.reason) == (False, "no_agreement")
    assert "湖州市数据资产登记中心" in a.message and "青岛市数据资产登记中心" in a.message
    # 湖州 accepts 青岛's certificates (one way)
    services.create_recognition(None, recognising_body=b.huzhou, issuing_body=b.qingdao, effective_from=date(2025, 3, 1),
                                document_ref="湖青互认〔2025〕1号")
    yes = answer(world, b.huzhou, date(2025, 6, 1))
    assert yes.recognised and yes.reason == "agreement" and yes.agreement.document_ref == "湖青互认〔2025〕1号"
    assert "湖青互认〔2025〕1号" in yes.message
    # the other direction: a 湖州 certificate is not accepted by 青岛
    hz_cert = services.create_certificate(None, b.huzhou, number="HZ-9", holder_name="湖州绿能有限公司",
                                          holder_uscc=valid_uscc("91330500MA2B7C3D1"), product_name="能耗数据",
                                          issued_on=date(2025, 1, 1))
    no = answer(world, b.qingdao, date(2025, 6, 1), cert=hz_cert)
    assert (no.recognised, no.reason) == (False, "no_agreement")


def test_mutual_agreement_works_both_ways(world):
    b = world.bodies
    services.create_recognition(None, recognising_body=b.qingdao, issuing_body=b.huzhou, mutual=True,
                                effective_from=date(2025, 3, 1), document_ref="青湖互认")
    hz_cert = services.create_certificate(None, b.huzhou, number="HZ-1", holder_name="湖州绿能有限公司",
                                          holder_uscc=valid_uscc("91330500MA2B7C3D1"), product_name="能耗数据",
                                          issued_on=date(2025, 1, 1))
    assert answer(world, b.huzhou, date(2025, 4, 1)).recognised  # 青岛's certificate at 湖州
    assert answer(world, b.qingdao, date(2025, 4, 1), cert=hz_cert).recognised  # and the reverse
    assert not answer(world, b.weifang, date(2025, 4, 1)).recognised  # a third body: nothing


@pytest.mark.parametrize("offset,expected", [(-1, (False, "not_yet")), (0, (True, "agreement")), (1, (True, "agreement"))])
def test_effective_date_boundary(world, offset, expected):
    start = date(2025, 5, 20)
    services.create_recognition(None, recognising_body=world.bodies.huzhou, issuing_body=world.bodies.qingdao,
                                effective_from=start, document_ref="R1")
    a = answer(world, world.bodies.huzhou, start + offset * DAY)
    assert (a.recognised, a.reason) == expected
    if not a.recognised:
        assert a.since == start and "2025-05-20" in a.message


def test_suspension_and_resumption_boundaries(world):
    r = services.create_recognition(None, recognising_body=world.bodies.huzhou, issuing_body=world.bodies.qingdao,
                                    effective_from=date(2025, 3, 1), document_ref="R2")
    services.suspend_recognition(None, r, on=date(2025, 9, 1), reason="规则修订")
    services.resume_recognition(None, r, on=date(2025, 10, 15), reason="已对齐")
    hz = world.bodies.huzhou
    got = {label: answer(world, hz, d).reason for d, label in around(date(2025, 9, 1))}
    assert got == {"before": "agreement", "on": "suspended", "after": "suspended"}
    got = {label: answer(world, hz, d).reason for d, label in around(date(2025, 10, 15))}
    assert got == {"before": "suspended", "on": "agreement", "after": "agreement"}
    suspended = answer(world, hz, date(2025, 9, 20))
    assert "规则修订" in suspended.message and suspended.since == date(2025, 9, 1)
    assert [e["kind"] for e in services.history(r)] == ["effective", "suspended", "resumed"]


def test_revocation_boundary_and_history_kept(world):
    r = services.create_recognition(None, recognising_body=world.bodies.huzhou, issuing_body=world.bodies.qingdao,
                                    mutual=True, effective_from=date(2025, 3, 1), document_ref="R3")
    services.revoke_recognition(None, r, on=date(2026, 1, 1), reason="机构整合")
    got = {label: answer(world, world.bodies.huzhou, d).reason for d, label in around(date(2026, 1, 1))}
    assert got == {"before": "agreement", "on": "agreement_revoked", "after": "agreement_revoked"}
    with pytest.raises(DomainError):
        services.suspend_recognition(None, r, on=date(2026, 2, 1), reason="x")
    with pytest.raises(DomainError):
        services.revoke_recognition(None, r, on=date(2026, 2, 1), reason="again")
    assert db.session.get(Recognition, r.id).revoke_reason == "机构整合"
    # a new agreement after the revocation is allowed and answers from its own date
    services.create_recognition(None, recognising_body=world.bodies.huzhou, issuing_body=world.bodies.qingdao,
                                effective_from=date(2026, 6, 1), document_ref="R3-bis")
    assert answer(world, world.bodies.huzhou, date(2026, 3, 1)).reason == "not_yet"
    assert answer(world, world.bodies.huzhou, date(2026, 6, 1)).agreement.document_ref == "R3-bis"


def test_certificate_expiry_and_revocation_boundaries(world):
    services.create_recognition(None, recognising_body=world.bodies.huzhou, issuing_body=world.bodies.qingdao,
                                effective_from=date(2024, 1, 1), document_ref="R4")
    hz = world.bodies.huzhou
    got = {label: answer(world, hz, d).reason for d, label in around(date(2027, 1, 9))}  # valid until, inclusive
    assert got == {"before": "agreement", "on": "agreement", "after": "certificate_expired"}
    got = {label: answer(world, hz, d).reason for d, label in around(date(2025, 1, 10))}  # issue date
    assert got == {"before": "certificate_not_issued", "on": "agreement", "after": "agreement"}
    services.update_certificate(None, world.cert, number="QD-001", holder_name=world.cert.holder_name,
                                holder_uscc=QINGDAO_CODE, product_name=world.cert.product_name,
                                issued_on=world.cert.issued_on, valid_until=world.cert.valid_until, status="revoked",
                                status_changed_on=date(2026, 2, 10), status_reason="材料不实")
    got = {label: answer(world, hz, d).reason for d, label in around(date(2026, 2, 10))}
    assert got == {"before": "agreement", "on": "certificate_revoked", "after": "certificate_revoked"}
    # even its own body no longer accepts it
    assert answer(world, world.bodies.qingdao, date(2026, 3, 1)).reason == "certificate_revoked"
    assert answer(world, world.bodies.qingdao, date(2026, 1, 1)).reason == "own_body"


def test_credit_code_checksum(world):
    good = valid_uscc("91330500MA2B7C3D1")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(DomainError) as e:
        services.check_uscc(bad)
    assert e.value.field == "holder_uscc" and good[-1] in e.value.message
    with pytest.raises(DomainError, match="18"):
        services.check_uscc("9137020012345")
    assert services.check_uscc(" " + good.lower() + " ") == good
    before = db.session.scalar(select(func.count(Certificate.id)))
    with pytest.raises(DomainError):
        services.create_certificate(None, world.bodies.huzhou, number="X", holder_name="某公司", holder_uscc=bad,
                                    product_name="某产品", issued_on=date(2025, 1, 1))
    db.session.rollback()
    assert db.session.scalar(select(func.count(Certificate.id))) == before


def test_number_unique_per_body_only(world):
    args = dict(holder_name="某公司", holder_uscc=valid_uscc(), product_name="产品", issued_on=date(2025, 1, 1))
    with pytest.raises(Conflict):
        services.create_certificate(None, world.bodies.qingdao, number="QD-001", **args)
    db.session.rollback()
    other = services.create_certificate(None, world.bodies.huzhou, number="QD-001", **args)
    assert other.body_id == world.bodies.huzhou.id
    # the same number at two bodies: the check asks which
    with pytest.raises(DomainError) as e:
        services.check_from_params(world.users.secretariat, {"certificate": "QD-001", "body": "wf"})
    assert e.value.field == "issuer"
    a = services.check_from_params(world.users.secretariat, {"certificate": "QD-001", "issuer": "hz", "body": "hz",
                                                             "date": "2025-02-01"})
    assert a.reason == "own_body" and a.certificate.id == other.id


def test_who_records(world):
    u, b = world.users, world.bodies
    with pytest.raises(PermissionDenied):  # 湖州 cannot record 青岛's certificates
        services.create_certificate(u.huzhou, b.qingdao, number="N", holder_name="某公司", holder_uscc=valid_uscc(),
                                    product_name="产品", issued_on=date(2025, 1, 1))
    with pytest.raises(PermissionDenied):  # nor a one-way agreement by which 青岛 recognises someone
        services.create_recognition(u.huzhou, recognising_body=b.qingdao, issuing_body=b.huzhou,
                                    effective_from=date(2025, 1, 1), document_ref="x")
    r = services.create_recognition(u.huzhou, recognising_body=b.qingdao, issuing_body=b.huzhou, mutual=True,
                                    effective_from=date(2025, 1, 1), document_ref="mutual by 湖州")
    with pytest.raises(PermissionDenied):  # 潍坊 is no party
        services.suspend_recognition(u.weifang, r, on=date(2025, 2, 1), reason="x")
    services.suspend_recognition(u.qingdao, r, on=date(2025, 2, 1), reason="青岛暂停")
    with pytest.raises(Conflict):  # a second agreement for the same pair
        services.create_recognition(u.secretariat, recognising_body=b.huzhou, issuing_body=b.qingdao,
                                    effective_from=date(2025, 1, 1), document_ref="dup")


def test_suspension_rules(world):
    r = services.create_recognition(None, recognising_body=world.bodies.huzhou, issuing_body=world.bodies.qingdao,
                                    effective_from=date(2025, 3, 1), document_ref="R5")
    with pytest.raises(DomainError):
        services.suspend_recognition(None, r, on=date(2025, 2, 1), reason="before it took effect")
    with pytest.raises(DomainError):
        services.resume_recognition(None, r, on=date(2025, 4, 1))
    services.suspend_recognition(None, r, on=date(2025, 4, 1), reason="一")
    with pytest.raises(DomainError):
        services.suspend_recognition(None, r, on=date(2025, 5, 1), reason="二")
    with pytest.raises(DomainError):
        services.resume_recognition(None, r, on=date(2025, 4, 1))
    services.resume_recognition(None, r, on=date(2025, 4, 2))
    with pytest.raises(DomainError):  # overlapping the previous suspension
        services.suspend_recognition(None, r, on=date(2025, 4, 1), reason="三")
    assert len(r.suspensions) == 1


def test_network_and_dashboard_queries(world):
    b = world.bodies
    services.create_recognition(None, recognising_body=b.qingdao, issuing_body=b.huzhou, mutual=True,
                                effective_from=date(2025, 3, 1), document_ref="M")
    services.create_recognition(None, recognising_body=b.qingdao, issuing_body=b.weifang,
                                effective_from=date(2025, 4, 15), document_ref="O")
    net = queries.network(date(2025, 5, 1))
    codes = {x.id: x.code for x in net.bodies}
    kinds = {(codes[x], codes[y]): k for x, y, k in net.edges}
    assert kinds == {("qd", "hz"): "mutual", ("qd", "wf"): "one_way"}
    assert net.recognises[b.qingdao.id] == 2 and net.recognised_by[b.qingdao.id] == 1
    assert queries.network(date(2025, 4, 1)).edges == [(b.qingdao.id, b.huzhou.id, "mutual")]
    assert queries.network(date(2025, 5, 1), body=b.weifang).edges == [(b.qingdao.id, b.weifang.id, "one_way")]
    months = queries.recognitions_over_time(until=date(2025, 5, 10))
    assert [(m["month"], m["agreements"], m["directed"]) for m in months] == [
        ("2025-03", 1, 2), ("2025-04", 1, 2), ("2025-05", 2, 3)]


def test_data_space_progress(world):
    from consortium.registers.constants import NATIONAL_SPACE_TARGET
    p = queries.data_space_progress()
    assert p["counted"] == 0 and p["target"] == NATIONAL_SPACE_TARGET == 100 and p["target_year"] == 2028
    for name, status, launched in (("海洋可信数据空间", "running", date(2025, 6, 8)), ("交通空间", "building", None),
                                   ("规划空间", "planned", None)):
        services.create_space(world.users.qingdao, name=name, kind="industry", status=status, domains=["transport"],
                              circulation_modes=["privacy"], operator=world.members.qingdao, launched_on=launched)
    p = queries.data_space_progress()
    assert p["total"] == 3 and p["counted"] == 2 and p["running"] == 1 and p["share"] == 0.02
    with pytest.raises(DomainError) as e:
        services.create_space(None, name="没有日期", kind="city", status="running")
    assert e.value.field == "launched_on"
    with pytest.raises(PermissionDenied):  # 湖州 cannot register a space operated by 青岛
        services.create_space(world.users.huzhou, name="冒名空间", kind="city", status="planned",
                              operator=world.members.qingdao)
