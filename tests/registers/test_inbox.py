"""A certificate of my member expiring within 30 days waits in 我的工作台: the body that issued
it (its keeper) records the renewal; nobody else is told."""
from datetime import timedelta

from consortium.core.clock import local_today
from consortium.extensions import db
from tests.conftest import PASSWORD, Browser


def _inbox(app, email):
    browser = Browser(app.test_client())
    browser.login(email, PASSWORD)
    return browser.get("/me").get_data(as_text=True)


def test_a_certificate_expiring_within_30_days_waits_for_its_keeper(app, world):
    world.cert.valid_until = local_today() + timedelta(days=5)
    db.session.commit()
    html = _inbox(app, "qd@example.cn")
    start = html.index('id="ws-expiring_certificates"')
    section = html[start:html.index("</ul>", start)]
    assert f"证书 QD-001（近海水文数据）将于 {world.cert.valid_until.isoformat()} 到期" in section
    assert "持证企业：青岛海洋科技有限公司 · 登记机构：青岛市数据资产登记中心" in section
    assert "登记续期或新状态 →" in section and "5 天后" in section
    assert 'id="ws-expiring_certificates"' not in _inbox(app, "hz@example.cn")
    world.cert.valid_until = local_today() + timedelta(days=40)
    db.session.commit()
    assert 'id="ws-expiring_certificates"' not in _inbox(app, "qd@example.cn")
