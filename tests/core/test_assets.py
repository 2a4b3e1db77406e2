"""Light pages: compressed responses, fingerprinted static URLs cached for a year, plotly.js only
where a chart is drawn and never blocking the first paint."""
import re


def test_pages_and_static_files_are_compressed(client):
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in page.headers["Vary"]
    import gzip
    assert "城市数据运营共同体" in gzip.decompress(page.data).decode("utf-8")
    plain = client.get("/")  # a client that accepts no encoding gets the page as it is
    assert "Content-Encoding" not in plain.headers and "城市数据运营共同体" in plain.get_data(as_text=True)
    css = client.get("/static/css/portal.css", headers={"Accept-Encoding": "br"})
    assert css.headers["Content-Encoding"] == "br"
    css.close()


def test_static_urls_carry_a_fingerprint_and_are_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/portal\.css\?v=([0-9a-f]{12}))"', html)
    bootstrap = re.search(r'href="(/bootstrap/static/css/bootstrap\.min\.css\?v=[0-9a-f]{12})"', html)
    assert css and bootstrap
    for url in (css.group(1), bootstrap.group(1)):
        response = client.get(url)
        assert response.cache_control.max_age == 365 * 24 * 3600 and response.cache_control.immutable, url
        response.close()
    for url in ("/static/css/portal.css", "/static/css/portal.css?v=000000000000"):  # stale or none: revalidated
        response = client.get(url)
        assert response.cache_control.no_cache and not response.cache_control.immutable, url
        response.close()


def test_plotly_is_loaded_only_where_a_chart_is_drawn_and_not_render_blocking(client, demo):
    home = client.get("/").get_data(as_text=True)
    assert "plotly" not in home.lower()
    dashboard = client.get("/d/quarterly").get_data(as_text=True)
    tag = re.search(r'<script src="/static/js/charts\.js\?v=[0-9a-f]+"([^>]*)>', dashboard, re.S)
    assert tag and " defer" in tag.group(1)
    assert 'data-plotly="/static/vendor/plotly/plotly-basic.js?v=' in tag.group(1)
    assert 'data-plotly-geo="/static/vendor/plotly/plotly-geo.js?v=' in tag.group(1)
    assert '<script src="/static/vendor/plotly' not in dashboard  # charts.js loads it when a chart is in view
    # only the map panel asks for the geographic bundle
    charts = re.findall(r'<div class="plotly-chart" id="[^"]+"[^>]*?( data-geo="1")?>', dashboard)
    assert charts.count(' data-geo="1"') == 1 and len(charts) >= 7
    core = client.get("/static/vendor/plotly/plotly-core.js")
    assert b"partial bundle" in core.data[:300] and len(core.data) < 1_300_000  # not the 4.8 MB full bundle
    core.close()


def test_plotly_bundles_import_the_current_core_cached_for_a_year(client, app):
    """The basic and geographic bundles import the shared core by its fingerprinted URL: a rebuilt
    core is a new URL, and the import is cached for a year like every fingerprinted file."""
    from pathlib import Path

    from consortium.core.assets import fingerprint
    core_v = fingerprint(Path(app.static_folder) / "vendor/plotly/plotly-core.js")
    for name in ("basic", "geo"):
        bundle = client.get(f"/static/vendor/plotly/plotly-{name}.js")
        text = bundle.get_data(as_text=True)
        imports = re.findall(r'from"([^"]+)"', text)
        assert imports == [f"./plotly-core.js?v={core_v}"], name
        bundle.close()
    core = client.get(f"/static/vendor/plotly/plotly-core.js?v={core_v}")
    assert core.cache_control.immutable and core.cache_control.max_age == 365 * 24 * 3600
    core.close()


def test_every_chart_has_its_table_as_a_text_alternative(client, demo):
    """A chart is an image to assistive technology; aria-describedby points at the table behind it."""
    for url in ("/d/quarterly", "/resources/map", "/registers/network"):
        html = client.get(url).get_data(as_text=True)
        charts = re.findall(r'<div class="plotly-chart" id="([^"]+)" role="img" aria-label="([^"]+)"([^>]*)>', html)
        assert charts, url
        for chart_id, label, rest in charts:
            described = re.search(r'aria-describedby="([^"]+)"', rest)
            assert described, (url, chart_id)
            table = re.search(rf'id="{described.group(1)}"[^>]*>(.*?)</table>', html, re.S)
            assert table and re.search(r"<td[ >]", table.group(1)), (url, chart_id)
    dashboard = client.get("/d/quarterly").get_data(as_text=True)
    assert "本图数据" in dashboard  # the disclosure under each dashboard chart
