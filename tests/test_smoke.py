def test_home_in_chinese_by_default(client, demo):
    html = client.get("/").get_data(as_text=True)
    assert "城市数据运营共同体" in html
    assert 'id="stat-members">21<' in html


def test_home_counts_only_what_the_visitor_may_see(client, browser, demo):
    import re

    from sqlalchemy import func, select

    from consortium.catalog.models import DataResource
    from consortium.extensions import db
    public = db.session.scalar(select(func.count(DataResource.id)).where(DataResource.is_public.is_(True),
                                                                          DataResource.status == "active"))
    total = db.session.scalar(select(func.count(DataResource.id)).where(DataResource.status == "active"))
    assert 0 < public < total
    anonymous = client.get("/").get_data(as_text=True)
    assert re.search(r'id="stat-resources"[^>]*>(\d+)<', anonymous).group(1) == str(public)
    shown = [int(i) for i in re.findall(r'href="/resources/(\d+)"', anonymous)]
    assert shown and all(db.session.get(DataResource, i).is_public for i in shown)
    browser.login("qingdao@cdou.example")
    member = browser.get("/").get_data(as_text=True)
    assert re.search(r'id="stat-resources"[^>]*>(\d+)<', member).group(1) == str(total)
    assert "交通场景小组" in member and "/scenarios/groups/transport" in member
    # the figures follow writes at once (they come from the search's columns, not a COUNT)
    from consortium.catalog import services
    from consortium.members.services import get_member_by_code
    entry = services.create_resource(None, get_member_by_code("qingdao"), code="QD-HOME-1", title="港口集装箱作业",
                                     domain="transport", frequency="daily", openness="conditional", is_public=False)
    db.session.commit()
    member = browser.get("/").get_data(as_text=True)
    assert re.search(r'id="stat-resources"[^>]*>(\d+)<', member).group(1) == str(total + 1)
    assert f'href="/resources/{entry.id}"' in member  # the newest entry heads the latest list
    visitor = client.application.test_client()  # ``client`` is the signed-in browser's
    assert re.search(r'id="stat-resources"[^>]*>(\d+)<', visitor.get("/").get_data(as_text=True)).group(1) \
        == str(public)
