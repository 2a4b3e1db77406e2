"""Static files that a browser keeps: every URL of a static file carries a fingerprint of its
content (``?v=…``, added by ``url_for`` itself), and a response to such a URL may be cached
for a year without asking again (``immutable``). A changed file gets a new URL, so nobody
reads a stale copy; a URL without the fingerprint is still served, revalidated every time.

Responses are compressed by Flask-Compress (zstd, brotli or gzip, as the browser accepts),
static files included (streamed, with their ETag kept for conditional requests)."""
import hashlib
import mimetypes
from functools import lru_cache
from pathlib import Path

from flask import Flask, request
from flask_compress import Compress

YEAR = 365 * 24 * 3600
FINGERPRINT = "v"


@lru_cache(maxsize=1024)
def _fingerprint(path: str, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


def fingerprint(path: Path) -> str | None:
    """A short hash of the file's content (recomputed only when the file changes)."""
    try:
        return _fingerprint(str(path), path.stat().st_mtime_ns)
    except OSError:
        return None


def _static_files(app: Flask) -> dict[str, callable]:
    """endpoint → function(url values) giving the file a URL of that endpoint serves."""
    folders = {"static": Path(app.static_folder)}
    for name, blueprint in app.blueprints.items():
        if blueprint.static_folder:
            folders[f"{name}.static"] = Path(blueprint.static_folder)
    return {endpoint: (lambda folder: lambda values: folder / values.get("filename", ""))(folder)
            for endpoint, folder in folders.items()}


def init_app(app: Flask) -> None:
    """Call after every blueprint is registered."""
    mimetypes.add_type("application/geo+json", ".geojson")
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
        "application/json", "application/geo+json", "application/ld+json", "text/turtle", "image/svg+xml"])
    app.config.setdefault("COMPRESS_STREAMING_ENDPOINT_CONDITIONAL", ["static", "bootstrap.static"])
    Compress(app)
    resolvers = _static_files(app)

    @app.url_defaults
    def _add_fingerprint(endpoint, values):
        resolve = resolvers.get(endpoint)
        if resolve is not None and FINGERPRINT not in values:
            stamp = fingerprint(resolve(values))
            if stamp:
                values[FINGERPRINT] = stamp

    @app.after_request
    def _cache_fingerprinted(response):
        resolve = resolvers.get(request.endpoint)
        if resolve is not None and response.status_code in (200, 304):
            stamp = request.args.get(FINGERPRINT)
            if stamp and stamp == fingerprint(resolve(request.view_args or {})):
                response.cache_control.max_age = YEAR
                response.cache_control.public = True
                response.cache_control.immutable = True
                response.cache_control.no_cache = None
            else:
                response.cache_control.no_cache = True
        return response
