"""``GET /healthz``: what the portal depends on, and whether each part answers.

A check is a name and a probe: the probe returns when its dependency answers and raises
(anything) when it does not. A *critical* check is one the portal cannot serve without
(the database): when it fails the answer is 503, so a load balancer stops sending traffic.
A failing non-critical check (the rate-limit store, the job broker) degrades the portal
without stopping it: the answer stays 200 and says ``"status": "warn"``, naming what is
down and what that means for users. The vocabulary (pass / warn / fail) is that of the
IETF draft "Health Check Response Format for HTTP APIs" (draft-inadarei-api-health-check).

Each domain adds its own check by connecting a receiver to ``signals.health_checks`` in its
``init_app``; the core adds the database and the rate-limit store. Nothing is cached: every call probes every part
(each with its own short timeout). The answer names parts and states, never addresses or
error texts: those go to the log."""
import logging
import time
from dataclasses import dataclass
from typing import Callable

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from consortium.extensions import db, limiter

from . import signals

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@dataclass(frozen=True)
class Check:
    name: str
    probe: Callable[[], object]  # returns when the part answers, raises when it does not
    critical: bool               # the portal cannot serve without it: a failure answers 503
    when_down: str               # what users notice while it is down (English; for operators)


def checks(app) -> list[Check]:
    return signals.values_from(signals.health_checks, app)


def run_checks(app) -> tuple[dict, int]:
    """Probes every part; returns the JSON body and the HTTP status."""
    results, failed_critical, failed = {}, False, False
    for check in checks(app):
        start = time.perf_counter()
        try:
            check.probe()
            result = {"status": "pass"}
        except Exception as e:  # noqa: BLE001 - any failure of the probe means the part is not usable
            log.warning("health check %s failed: %r", check.name, e)
            result = {"status": "fail", "output": check.when_down}
            failed = True
            failed_critical = failed_critical or check.critical
        result.update(critical=check.critical, time_ms=round((time.perf_counter() - start) * 1000, 1))
        results[check.name] = result
    status = "fail" if failed_critical else "warn" if failed else "pass"
    return {"status": status, "checks": results}, 503 if failed_critical else 200


@bp.get("/healthz")
def healthz():
    """Every dependency's state (see the module's docstring); 503 when a critical one is down."""
    body, status = run_checks(current_app)
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


class StoreUnavailable(Exception):
    pass


def _database_probe() -> None:
    with db.engine.connect() as conn:  # not the request's session: a probe leaves no transaction behind
        conn.execute(text("SELECT 1"))


def _rate_limit_store_probe() -> None:
    if not limiter.storage.check():  # Redis: PING (limits catches the error and answers False)
        raise StoreUnavailable("the rate-limit store does not answer")


def _core_checks(app, **kwargs) -> list[Check]:
    return [Check("database", _database_probe, critical=True,
                  when_down="every page and API call that reads or writes data answers 503"),
            Check("rate-limit-store", _rate_limit_store_probe, critical=False,
                  when_down=("sign-in and anonymous downloads are limited by each process on its own "
                             "(in-memory fallback) until the store answers again"
                             if app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"]
                             else "sign-in and anonymous downloads answer 503 until the store answers again"))]


def init_app(app) -> None:
    app.register_blueprint(bp)
    signals.health_checks.connect(_core_checks)
