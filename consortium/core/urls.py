"""URL helpers every layer may use."""
import os
from urllib.parse import urlparse

from flask import current_app, has_request_context, request


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths are followed."""
    if not target:
        return fallback
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def public_base_url() -> str:
    """The origin written into links read outside the page (DCAT IRIs, feed paging), ending in
    ``/``: ``PUBLIC_BASE_URL``. Only in development, when it is not set, the origin the current
    request was served at (``PORT=8000 make run`` writes http://127.0.0.1:8000/), or outside a
    request the port ``flask run`` was given (``PORT`` / ``FLASK_RUN_PORT``). The production
    configuration refuses to start without ``PUBLIC_BASE_URL``: the Host header never reaches it."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured
    if current_app.config.get("ENV_NAME") == "production":
        raise RuntimeError("PUBLIC_BASE_URL is required in production")
    if has_request_context():
        return request.host_url
    port = os.environ.get("PORT") or os.environ.get("FLASK_RUN_PORT") or "5000"
    return f"http://127.0.0.1:{port}/"
