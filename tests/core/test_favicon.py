"""The favicon: linked from every page and served locally (no 404 in the logs)."""
import re


def test_favicon_is_served_locally_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml" and b"<svg" in response.data
    assert re.search(r'rel="icon" href="/static/favicon\.svg\?v=[0-9a-f]{12}"', client.get("/").get_data(as_text=True))
