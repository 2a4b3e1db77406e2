"""The favicon: linked from every page and served locally (no 404 in the logs)."""
def test_favicon_is_served_locally_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml" and b"<svg" in response.data
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").get_data(as_text=True)
