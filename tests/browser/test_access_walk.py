"""An access request through to the data, in real headless Chromium, as two people: 青岛's user
asks to use an entry of 厦门; 厦门's user finds it waiting in 我的工作台, approves it with terms,
a period, an API delivery and a contact; 青岛 reads them; 厦门 marks it delivered; 青岛 finds the
receipt waiting and confirms it. Screenshots go to SCREENSHOT_DIR (not committed)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from consortium.catalog.access.models import AccessRequest
from consortium.catalog.models import DataResource
from consortium.core.clock import local_today
from consortium.extensions import db
from consortium.members.models import Member
from tests.browser.test_collaboration_walk import _person, _shoot

pytestmark = pytest.mark.browser


def test_request_approve_deliver_confirm(chromium, live_server, demo):
    asked = select(AccessRequest.resource_id)  # an entry 青岛 has not asked for in the demo data
    entry = db.session.scalar(select(DataResource).join(Member).where(
        Member.code == "xiamen", DataResource.status == "active", DataResource.id.not_in(asked))
        .order_by(DataResource.id).limit(1))
    owner_ctx, owner = _person(chromium, live_server, "xiamen@cdou.example")
    asker_ctx, asker = _person(chromium, live_server, "qingdao@cdou.example")
    until = (local_today() + timedelta(days=180)).isoformat()
    try:
        asker.goto(f"/resources/{entry.id}")
        asker.click("#request-access")
        asker.fill("textarea[name=purpose]", "医保与公交联合建模")
        asker.click("#access-request-form [type=submit]")
        asker.wait_for_selector("text=等待答复")

        owner.goto("/me")
        waiting = owner.locator("#ws-access_requests").inner_text()
        assert f"青岛数据集团 申请使用 {entry.title}" in waiting
        owner.click(f"#ws-access_requests >> text=青岛数据集团 申请使用 {entry.title}")
        owner.wait_for_selector("#approve-form")
        assert owner.input_value("#approve-form [name=terms]") != ""  # prefilled from the entry's conditions
        owner.fill("#approve-form [name=terms]", "仅限联合建模，不得转售")
        owner.fill("#approve-form [name=granted_until]", until)
        owner.select_option("#approve-form [name=delivery_method]", "api")
        owner.fill("#approve-form [name=delivery_detail]", "https://api.xm.example/v1")
        owner.fill("#approve-form [name=contact]", "陈工 · 0592-7654321")
        owner.click("#approve-form [name=approve]")
        owner.wait_for_selector(f"text=已同意：青岛数据集团 可使用 {entry.title}，至 {until}。")

        asker.reload()
        grant = asker.locator("#request-grant").inner_text()
        assert "仅限联合建模，不得转售" in grant and "陈工 · 0592-7654321" in grant and "https://api.xm.example/v1" in grant
        _shoot(asker, "access-granted")

        owner.fill("#deliver-form [name=note]", "API 密钥已发给陈工")
        owner.click("#deliver-form [type=submit]")
        owner.wait_for_selector(f"text={entry.title} 已标记为已交付给 青岛数据集团，待对方确认收到。")

        asker.goto("/me")
        assert entry.title in asker.locator("#ws-access_receipts").inner_text()
        asker.click(f"#ws-access_receipts >> text={entry.title}")
        asker.click("#receipt-form [type=submit]")
        asker.wait_for_selector(f"text=已确认收到 厦门大数据有限公司 交付的 {entry.title}。")
        assert asker.outside_requests == [] and owner.outside_requests == []
    finally:
        owner_ctx.close()
        asker_ctx.close()
