def test_home_in_chinese_by_default(client, demo):
    html = client.get("/").get_data(as_text=True)
    assert "城市数据运营共同体" in html
    assert 'id="stat-members">16<' in html
