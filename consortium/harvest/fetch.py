"""Fetching a source's documents safely. The harvester must never become a way into the
union's own network, nor be held up by a hostile or broken server:

- addresses: requests-hardened's IP filter refuses, when connecting, any host that resolves to
  a loopback, private, link-local, multicast or otherwise non-public address (the address
  actually connected to, so DNS rebinding gains nothing); a host named in
  ``HARVEST_ALLOWED_HOSTS`` is exempt (a member's platform on the union's own network, the
  tests' local server);
- redirects are followed by hand, at most ``MAX_REDIRECTS``, each hop checked again the same
  way; a loop is reported as one;
- a timeout per request (connect, read) and for the whole body, and a size cap read as the
  body streams (``Content-Length`` is not trusted);
- a deadline for the whole run (``Deadline``): no request waits past it, and the run checks it
  between pages and between records."""
import time
from urllib.parse import urljoin, urlsplit

import requests
from flask import current_app
from flask_babel import gettext as _
from requests_hardened import Config, Manager
from requests_hardened.ip_filter import InvalidIPAddress

from consortium.core.exceptions import DomainError

from .reasons import Reason

MAX_REDIRECTS = 5
USER_AGENT = "CDOU-harvester/1.0 (City Data Operation Union)"


class SourceError(DomainError):
    """The source as a whole could not be read: the run fails with this reason (a ``Reason``, kept
    as its code and parameters so that each reader reads it in their language), nothing changes."""

    def __init__(self, reason: Reason):
        super().__init__(reason)
        self.reason = reason


class RunTimedOut(SourceError):
    """The run went past its deadline (``HARVEST_RUN_TIMEOUT``): it stops and changes nothing."""


class Deadline:
    """The time a run may take, from ``seconds`` now on (``None``: no limit)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.at = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        return None if self.at is None else self.at - time.monotonic()

    def check(self) -> None:
        """Raise ``RunTimedOut`` once the deadline has passed."""
        if self.at is not None and time.monotonic() > self.at:
            raise RunTimedOut(Reason("time_limit", seconds=float(self.seconds)))

    def cap(self, seconds: float) -> float:
        """``seconds``, or less when the deadline comes sooner (at least a moment, so that the
        request fails and the deadline is reported)."""
        remaining = self.remaining()
        return seconds if remaining is None else max(0.05, min(seconds, remaining))


NO_DEADLINE = Deadline(None)


def _manager(filtered: bool, timeout) -> Manager:
    return Manager(Config(default_timeout=timeout, never_redirect=True, ip_filter_enable=filtered,
                          ip_filter_allow_loopback_ips=False, user_agent_override=USER_AGENT))


def allowed_hosts() -> set[str]:
    return {h.strip().lower() for h in current_app.config.get("HARVEST_ALLOWED_HOSTS", "").split(",") if h.strip()}


def check_url(url: str) -> str:
    """An http(s) address with a host, or a DomainError naming the field."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DomainError(_("Give the source's address starting with http:// or https://."), field="url")
    return url.strip()


def get(url: str, accept: str = "*/*", deadline: Deadline = NO_DEADLINE) -> tuple[bytes, str, str]:
    """(body, content type, final address) of a GET, or SourceError with the reason (``RunTimedOut``
    when the run's ``deadline`` passes first)."""
    config = current_app.config
    connect, read = config.get("HARVEST_CONNECT_TIMEOUT", 5), config.get("HARVEST_READ_TIMEOUT", 30)
    cap = int(config.get("HARVEST_MAX_BYTES", 50 * 1024 * 1024))
    body_seconds = float(config.get("HARVEST_BODY_SECONDS", 120))
    allowed = allowed_hosts()
    seen = []
    current = check_url(url)
    for _hop in range(MAX_REDIRECTS + 1):
        deadline.check()
        host = (urlsplit(current).hostname or "").lower()
        manager = _manager(host not in allowed, (deadline.cap(connect), deadline.cap(read)))
        try:
            response = manager.send_request("GET", current, headers={"Accept": accept}, stream=True,
                                             allow_redirects=False)
        except InvalidIPAddress:
            raise SourceError(Reason("not_public", host=host)) from None
        except requests.Timeout:
            deadline.check()
            raise SourceError(Reason("no_answer", url=current)) from None
        except requests.RequestException as e:
            raise SourceError(Reason("unreachable", url=current, error=type(e).__name__)) from None
        with response:
            if response.is_redirect:
                seen.append(current)
                target = urljoin(current, response.headers.get("Location", ""))
                if target in seen:
                    raise SourceError(Reason("redirect_loop", url=target))
                current = check_url(target)
                continue
            if response.status_code != 200:
                raise SourceError(Reason("http_status", status=response.status_code, url=current))
            chunks, size, body_until = [], 0, time.monotonic() + body_seconds
            try:
                for chunk in response.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > cap:
                        raise SourceError(Reason("too_large", mb=cap // (1024 * 1024) or 1, url=current))
                    deadline.check()
                    if time.monotonic() > body_until:
                        raise SourceError(Reason("no_answer", url=current))
                    chunks.append(chunk)
            except requests.RequestException:
                deadline.check()
                raise SourceError(Reason("no_answer", url=current)) from None
            return b"".join(chunks), response.headers.get("Content-Type", ""), current
    raise SourceError(Reason("too_many_redirects", n=MAX_REDIRECTS, url=url))
