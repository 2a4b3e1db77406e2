"""Logging, configured once in ``create_app``. Every module logs through its own
``logging.getLogger(__name__)`` (children of ``consortium``); every line carries the
request id (taken from a well-formed ``X-Request-ID`` header or made up, and echoed in
the response). Production writes JSON lines (python-json-logger); development readable
lines; under tests nothing is added, so pytest's own capture sees every record."""
import logging
import re
import uuid

from flask import g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

# Libraries whose records the portal's handler writes too: Flask-Limiter says when the rate-limit
# store stops answering and it counts in memory instead, and when the store is back.
LIBRARY_LOGGERS = ("flask-limiter",)
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def configure(app) -> None:
    handler = None
    for name in ("consortium", *LIBRARY_LOGGERS):
        logger = logging.getLogger(name)
        logger.setLevel(app.config["LOG_LEVEL"])
        if not app.testing and not any(getattr(h, "_cdou", False) for h in logger.handlers):
            handler = handler or _handler(app)
            logger.addHandler(handler)
            logger.propagate = False

    @app.before_request
    def _request_id():
        offered = request.headers.get("X-Request-ID", "")
        g.request_id = offered if REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex

    @app.after_request
    def _echo_request_id(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response


def _handler(app) -> logging.Handler:
    handler = logging.StreamHandler()
    if app.config["LOG_JSON"]:
        handler.setFormatter(JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level",
                                                                    "name": "logger"}))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.addFilter(RequestIdFilter())
    handler._cdou = True
    return handler
