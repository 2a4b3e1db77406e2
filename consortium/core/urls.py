"""URL helpers every layer may use."""
from urllib.parse import urlparse


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths are followed."""
    if not target:
        return fallback
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target
