import re
from pathlib import Path

from consortium.config import ProductionConfig

ROOT = Path(__file__).resolve().parents[2]


def test_security_headers_and_script_nonces(client, demo):
    response = client.get("/members/")
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "script-src 'self' 'nonce-" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all(f'nonce="{nonce}"' in s for s in scripts)
    assert client.get("/members/").headers["Content-Security-Policy"] != csp  # a fresh nonce per response


def test_session_cookie_flags(browser, demo):
    response = browser.post_form("/auth/login", {"email": "qingdao@cdou.example", "password": "cdou-demo-2025"},
                                 form_url="/auth/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_config_secure_cookies_and_required_secrets(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    try:
        ProductionConfig(str(tmp_path))
        raise AssertionError("production config must refuse to start without secrets")
    except RuntimeError as e:
        assert "DATABASE_URL" in str(e) and "SECRET_KEY" in str(e)
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/cdou")
    monkeypatch.setenv("SECRET_KEY", "5e0c9a7d1f3b24680ace13579bdf02468ace1357")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://cdou.example.cn")
    config = ProductionConfig(str(tmp_path))
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SQLALCHEMY_DATABASE_URI.startswith("postgresql+psycopg://")
    assert config.DEMO_ALLOWED is False


def test_development_secret_is_generated_once_and_kept(monkeypatch, tmp_path):
    from consortium.config import Config
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = Config(str(tmp_path)).SECRET_KEY
    assert len(first) >= 32 and (tmp_path / "secret_key").read_text().strip() == first
    assert Config(str(tmp_path)).SECRET_KEY == first


def test_nothing_is_loaded_from_another_host():
    pattern = re.compile(r"""<(script|link|img|iframe)[^>]*(src|href)=["'](https?:)?//""", re.I)
    offenders = [str(p.relative_to(ROOT)) for folder in ("templates", "static")
                 for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix in {".html", ".js", ".css"}
                 and pattern.search(p.read_text(errors="ignore"))]
    assert offenders == []


def test_pages_link_only_local_assets(client, demo):
    html = client.get("/").get_data(as_text=True)
    for url in re.findall(r'(?:src|href)="([^"]+\.(?:css|js))"', html):
        assert url.startswith("/"), url
        assert client.get(url).status_code == 200, url


def test_error_pages_html_or_json(client):
    html = client.get("/members/does-not-exist")
    assert html.status_code == 404 and "页面不存在" in html.get_data(as_text=True)
    js = client.get("/members/does-not-exist", headers={"Accept": "application/json"})
    assert js.status_code == 404 and js.get_json()["error"]["code"] == 404
