from sqlalchemy import func, select

from consortium.auth.services import create_api_token, get_user_by_email
from consortium.extensions import db


def _token(email):
    _t, raw = create_api_token(None, get_user_by_email(email), "test")
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_me_needs_authentication(client, demo):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "请先登录。"


def test_me_with_bearer_token(client, demo):
    me = client.get("/api/v1/me", headers=_token("ningbo@cdou.example")).get_json()
    assert me["member"] == "ningbo" and me["member_name"] == "宁波数字产业集团"
    assert me["leads_groups"] == ["healthcare"]


def test_wrong_token_is_401_even_with_a_valid_cookie(browser, demo):
    browser.login("qingdao@cdou.example")
    response = browser.get("/api/v1/me", headers={"Authorization": "Bearer cdou_not-a-token"})
    assert response.status_code == 401


def test_bearer_writes_skip_csrf_only_on_the_api(client, demo):
    # a token client need not send a CSRF token to the API; on HTML pages a token counts for
    # nothing, so it cannot be used to skip CSRF there either
    from consortium.catalog.models import DataResource
    headers = _token("qingdao@cdou.example")
    response = client.post("/api/v1/resources", headers=headers, json={
        "code": "QD-CSRF-1", "title": "公交线路数据", "domain": "transport", "frequency": "daily",
        "openness": "open"})
    assert response.status_code == 201 and response.get_json()["title"] == "公交线路数据"
    assert client.post("/auth/logout", headers=headers).status_code == 400
    assert client.post("/auth/logout").status_code == 400
    assert db.session.scalar(select(func.count(DataResource.id)).where(DataResource.code == "QD-CSRF-1")) == 1


def test_members_api_lists_and_filters(client, demo):
    data = client.get("/api/v1/members?province=33&per_page=2").get_json()
    assert data["total"] == 4 and data["per_page"] == 2 and len(data["items"]) == 2
    assert {m["city"]["province"]["name"] for m in data["items"]} == {"浙江省"}
    data = client.get("/api/v1/members?q=青岛").get_json()
    assert {m["code"] for m in data["items"]} == {"qingdao", "zhongmiao"}


def test_members_api_hides_accounts_except_from_own_member_and_secretariat(client, demo):
    assert "users" not in client.get("/api/v1/members/qingdao").get_json()
    assert "users" not in client.get("/api/v1/members/qingdao", headers=_token("ningbo@cdou.example")).get_json()
    own = client.get("/api/v1/members/qingdao", headers=_token("qingdao@cdou.example")).get_json()
    assert [u["email"] for u in own["users"]] == ["qingdao@cdou.example"]


def test_bad_parameters_are_named(client, demo):
    for query, field in [("page=abc", "page"), ("per_page=5000", "per_page"), ("kind=platform", "kind"),
                         ("joined_from=2025/01/01", "joined_from")]:
        response = client.get(f"/api/v1/members?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["field"] == field


def test_a_bad_date_parameter_is_a_400_naming_it_and_filters_nothing(client, demo):
    for query, field in [("joined_from=2025-02-30", "joined_from"), ("joined_to=2025年3月1日", "joined_to")]:
        response = client.get(f"/api/v1/members?{query}")
        assert response.status_code == 400, query
        error = response.get_json()["error"]
        assert error["field"] == field
        assert error["message"] == f"参数 {field} 必须是日期（YYYY-MM-DD）。"
    kept = client.get("/api/v1/members?joined_from=2025-08-01&joined_to=2025-12-31&per_page=200").get_json()
    names = {m["name"] for m in kept["items"]}
    assert "苏州中科先进技术研究院有限公司" in names and "宁波数字产业集团" not in names


def test_cities_api(client, demo):
    data = client.get("/api/v1/cities?province=37&per_page=200").get_json()
    assert data["total"] == 16
    assert "青岛市" in {c["name"] for c in data["items"]}
    qd = client.get("/api/v1/cities/370200").get_json()
    assert qd["name_en"] == "Qingdao" and round(qd["longitude"]) == 120
    assert client.get("/api/v1/cities/999999").status_code == 404


def test_reference_data_has_every_prefecture_level_city(client):
    data = client.get("/api/v1/cities?per_page=200&page=2").get_json()
    assert data["total"] == 337
    names = {c["name"] for page in (1, 2) for c in client.get(f"/api/v1/cities?per_page=200&page={page}").get_json()["items"]}
    assert {"北京市", "上海市", "天津市", "重庆市", "青岛市", "厦门市", "潮州市", "巴音郭楞蒙古自治州"} <= names


def test_unknown_api_route_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == 404


def test_a_member_answer_has_exactly_its_schema_keys_and_values(client, demo):
    """members.schemas.MemberOut (with geo.schemas.CityOut) is the member's one JSON shape."""
    city = {"adcode": "370200", "name": "青岛市", "name_en": "Qingdao", "level": "prefecture",
            "province": {"code": "37", "name": "山东省", "name_en": "Shandong"},
            "longitude": 120.382621, "latitude": 36.067131}
    public = client.get("/api/v1/members/qingdao").get_json()
    assert public.pop("description").startswith("青岛市公共数据授权运营主体")
    assert public == {"code": "qingdao", "name": "青岛数据集团", "name_en": "Qingdao Data Group", "kind": "data_group",
                      "status": "active", "joined_on": "2025-04-18", "city": city, "website": ""}
    own = client.get("/api/v1/members/qingdao", headers=_token("qingdao@cdou.example")).get_json()
    user = get_user_by_email("qingdao@cdou.example")
    assert own["users"] == [{"id": user.id, "email": "qingdao@cdou.example", "name": "刘洋", "enabled": True}]
    assert set(own) - set(public) == {"users", "description"}
    listed = client.get("/api/v1/members?q=青岛数据").get_json()["items"]
    assert [m["city"] for m in listed] == [city]
    spec = client.get("/api/v1/openapi.json").get_json()
    member = spec["components"]["schemas"]["MemberOut"]["properties"]
    assert set(member) == set(public) | {"description", "users"}
    assert spec["components"]["schemas"]["CityOut"]["properties"]["longitude"]["type"] == "number"
