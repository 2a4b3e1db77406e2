"""/api/v1/dashboards: list, one dashboard with its versions, one version's frozen data."""
from consortium.auth.services import create_api_token, get_user_by_email
from consortium.extensions import db


def test_visitors_read_public_dashboards_only(union, client):
    listing = client.get("/api/v1/dashboards").get_json()
    assert [d["slug"] for d in listing["items"]] == ["quarterly"] and listing["total"] == 1
    detail = client.get("/api/v1/dashboards/quarterly").get_json()
    assert detail["latest_version"] == 2 and [v["version"] for v in detail["versions"]] == [2, 1]
    assert detail["title"] == "共同体季度看板 · 示例（2025 年第三季度）"
    v1 = client.get("/api/v1/dashboards/quarterly/versions/1").get_json()
    assert v1["key_figures"]["members"] == 10 and v1["audience"] == "public"
    kinds = [p["kind"] for p in v1["panels"]]
    assert kinds[:3] == ["key_figures", "membership_growth", "resource_map"]
    funnel = v1["panels"][kinds.index("replication_funnel")]["data"]
    assert set(funnel["reached"]) == {"interest", "matching", "data_ready", "pilot", "live"}
    assert funnel["reached"]["interest"] >= funnel["reached"]["live"]
    assert client.get("/api/v1/dashboards/operations").status_code == 404
    assert client.get("/api/v1/dashboards/operations/versions/1").status_code == 404
    assert client.get("/api/v1/dashboards/quarterly/versions/9").status_code == 404


def test_a_member_token_reads_the_members_only_dashboard(union, client):
    _token, raw = create_api_token(None, get_user_by_email("qingdao@cdou.example"), "看板")
    db.session.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    slugs = [d["slug"] for d in client.get("/api/v1/dashboards", headers=headers).get_json()["items"]]
    assert sorted(slugs) == ["operations", "quarterly"]
    data = client.get("/api/v1/dashboards/operations/versions/1", headers=headers).get_json()
    assert data["audience"] == "members"
    assert [p["filters"].get("group") for p in data["panels"] if p["kind"] == "replication_funnel"] == \
        ["transport", "healthcare"]


def test_an_unpublished_version_leaves_the_api(union, client):
    from consortium.dashboards import services
    publication = services.get_version(union.secretariat, "quarterly", 2)
    services.unpublish(union.secretariat, publication)
    db.session.commit()
    assert client.get("/api/v1/dashboards/quarterly").get_json()["latest_version"] == 1
    assert client.get("/api/v1/dashboards/quarterly/versions/2").status_code == 404
