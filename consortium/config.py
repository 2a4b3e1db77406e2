"""Configuration classes. The environment is read when a class is instantiated,
never at import time."""
import os
import secrets
import tempfile
from pathlib import Path

from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy.pool import StaticPool


def _instance_secret(instance_path: str) -> str:
    """Development secret: generated once and kept in instance/, never hard-coded."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Development defaults: SQLite in instance/, secret kept in instance/."""

    ENV_NAME = "development"
    DEMO_ALLOWED = True
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    WTF_CSRF_CHECK_DEFAULT = False  # checked in a before_request hook (bearer-token API calls skip it)
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = {"zh_CN": "中文", "en": "English"}
    BOOTSTRAP_SERVE_LOCAL = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 0
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    RATELIMIT_HEADERS_ENABLED = True
    # A sliding window: "5 per minute" means any 60 seconds. Flask-Limiter's default fixed window
    # starts again 60 s after its first hit and lets twice the limit through across that moment.
    RATELIMIT_STRATEGY = "moving-window"
    # The rate-limit store (Redis in production) down: every process counts the same limits in its
    # own memory until the store answers again (logged; /healthz says so). Off: sign-in and
    # anonymous downloads answer 503 instead. docs/security.md says why the fallback is the default.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_RATE_LIMIT = "5 per minute"
    LOGIN_ACCOUNT_RATE_LIMIT = "10 per 15 minutes"  # failed sign-ins per e-mail address, from anywhere
    EXPORT_RATE_LIMIT = "20 per minute"  # anonymous CSV/XLSX/DCAT requests per client address
    VERIFY_RATE_LIMIT = "30 per minute"  # visitors' certificate verifications (page and API) per client address
    EXPORT_CACHE_ENTRIES = 32  # anonymous exports kept per process, keyed by content version
    PASSWORD_MIN_LENGTH = 10
    PER_PAGE = 20
    SESSION_IDLE_MINUTES = 120  # a sign-in session unused this long ends (checked server-side)
    SESSION_ABSOLUTE_HOURS = 12  # and any session ends this long after sign-in
    SESSION_TOUCH_SECONDS = 60  # last use is written at most this often per session
    API_TOKEN_MAX_DAYS = 366  # the furthest expiry date a token may be given
    API_TOKEN_DEFAULT_DAYS = 90  # a token given no expiry date ends this many days after its creation
    HSTS_SECONDS = 365 * 24 * 3600  # Strict-Transport-Security on responses served over HTTPS
    LOG_LEVEL = "INFO"
    LOG_JSON = False
    CATALOG_RESULT_CACHE = True  # per-process cache of search results (emptied by every write)
    DCAT_REBUILD_SECONDS = 60  # a DCAT page is rebuilt at most this often (catalog.dcat_pages)
    JOBS_KEEP_HOURS = 24  # a finished job's file is removed this long after it was ready
    JOBS_STALE_SECONDS = 60  # a running job whose worker has not beaten for this long runs again
    JOBS_WORKER_GONE_SECONDS = 30  # no worker seen for this long: starting a job answers 503
    JOBS_REQUEUE_SECONDS = 600  # a job still queued after this long is sent again (a lost message)
    # exports up to this many rows are answered at once (alone ≈ 70 ms as CSV, 140 ms as XLSX at 100k
    # on PostgreSQL); larger ones are jobs with a progress page (docs/jobs.md)
    SYNC_EXPORT_ROWS = 1000
    SYNC_IMPORT_ROWS = 2000  # imports up to this many rows are applied at once; larger ones by a job
    # harvest (docs/harvest.md): hosts exempt from the public-address rule (comma separated), limits
    HARVEST_ALLOWED_HOSTS = ""
    HARVEST_CONNECT_TIMEOUT = 5
    HARVEST_READ_TIMEOUT = 30
    HARVEST_BODY_SECONDS = 120
    HARVEST_MAX_BYTES = 50 * 1024 * 1024
    HARVEST_MAX_PAGES = 500
    HARVEST_RUN_TIMEOUT = 1800  # a whole run (reading every page, then writing) is stopped after this many seconds

    def __init__(self, instance_path: str):
        env = os.environ
        default_db = "sqlite:///" + str(Path(instance_path) / "cdou.db")
        self.SQLALCHEMY_DATABASE_URI = _normalise_db_url(env.get("DATABASE_URL", default_db))
        self.SECRET_KEY = env.get("SECRET_KEY") or _instance_secret(instance_path)
        self.RATELIMIT_STORAGE_URI = env.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_STORAGE_OPTIONS = limiter_storage_options(self.RATELIMIT_STORAGE_URI)
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = env.get("RATELIMIT_IN_MEMORY_FALLBACK", "1") != "0"
        self.TRUSTED_PROXIES = int(env.get("TRUSTED_PROXIES", "0"))
        self.DEMO_PASSWORD = env.get("CDOU_DEMO_PASSWORD", "cdou-demo-2025")
        # the origin written into DCAT URIs and links (``core.urls.public_base_url``). Unset in
        # development: the origin each request was served at (``PORT=8000 make run`` → :8000);
        # production requires it and never takes the Host header.
        self.PUBLIC_BASE_URL = env["PUBLIC_BASE_URL"].rstrip("/") + "/" if env.get("PUBLIC_BASE_URL") else None
        for key in ("SESSION_IDLE_MINUTES", "SESSION_ABSOLUTE_HOURS"):
            if env.get(key):
                setattr(self, key, int(env[key]))
        for key in ("LOGIN_RATE_LIMIT", "LOGIN_ACCOUNT_RATE_LIMIT", "EXPORT_RATE_LIMIT", "VERIFY_RATE_LIMIT"):
            if env.get(key):  # e.g. "5 per minute" (Flask-Limiter's notation)
                setattr(self, key, env[key])
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}  # a restarted database costs no request
        if self.SQLALCHEMY_DATABASE_URI.startswith("postgresql"):  # an unreachable server fails the request
            self.SQLALCHEMY_ENGINE_OPTIONS["connect_args"] = {"connect_timeout": 5}  # with a 503, not a hang
        self.LOG_LEVEL = env.get("CDOU_LOG_LEVEL", self.LOG_LEVEL).upper()
        _mail_settings(self, env, instance_path)
        self.CATALOG_RESULT_CACHE = env.get("CDOU_CATALOG_RESULT_CACHE", "1") != "0"
        # the job engine's broker: huey's SQLite storage beside the database (nothing to install),
        # or redis://… in production (workers on any machine); see docs/jobs.md
        self.JOBS_BROKER_URL = env.get("JOBS_BROKER_URL", "sqlite:///" + str(Path(instance_path) / "jobs.db"))
        self.JOBS_FILE_DIR = env.get("JOBS_FILE_DIR", str(Path(instance_path) / "job-files"))
        # the DCAT pages as served, rebuilt by workers (catalog.dcat_pages); shared like JOBS_FILE_DIR
        self.DCAT_CACHE_DIR = env.get("DCAT_CACHE_DIR", str(Path(instance_path) / "dcat-pages"))
        for key in ("DCAT_REBUILD_SECONDS", "JOBS_KEEP_HOURS", "JOBS_STALE_SECONDS", "JOBS_WORKER_GONE_SECONDS", "JOBS_REQUEUE_SECONDS",
                    "SYNC_EXPORT_ROWS", "SYNC_IMPORT_ROWS", "HARVEST_CONNECT_TIMEOUT", "HARVEST_READ_TIMEOUT",
                    "HARVEST_BODY_SECONDS", "HARVEST_MAX_BYTES", "HARVEST_MAX_PAGES", "HARVEST_RUN_TIMEOUT"):
            if env.get(key):
                setattr(self, key, int(env[key]))
        self.HARVEST_ALLOWED_HOSTS = env.get("HARVEST_ALLOWED_HOSTS", "")


class ProductionConfig(Config):
    """DATABASE_URL and SECRET_KEY are required; demo data is refused."""

    ENV_NAME = "production"
    DEMO_ALLOWED = False
    SESSION_COOKIE_SECURE = True
    LOG_JSON = True

    def __init__(self, instance_path: str):
        missing = [k for k in ("DATABASE_URL", "SECRET_KEY", "PUBLIC_BASE_URL", "RATELIMIT_STORAGE_URI")
                   if not os.environ.get(k)]
        if missing:
            raise RuntimeError("production configuration needs " + ", ".join(missing))
        super().__init__(instance_path)
        if weak_secret(self.SECRET_KEY):
            raise RuntimeError("production configuration refuses a weak SECRET_KEY: use at least 32 random "
                               "characters, e.g. `openssl rand -hex 32`")
        if self.RATELIMIT_STORAGE_URI.startswith("memory://"):
            raise RuntimeError("production configuration refuses RATELIMIT_STORAGE_URI=memory:// (each worker "
                               "would count on its own): use a shared store such as redis://127.0.0.1:6379")
        if not self.PUBLIC_BASE_URL.startswith(("https://", "http://")):
            raise RuntimeError("PUBLIC_BASE_URL must be an absolute http(s) URL")


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    __test__ = False  # not a pytest test class
    # fast hashing for the test suite only (production: auth.passwords.ARGON2, OWASP's parameters)
    PASSWORD_ARGON2 = {"memory_cost": 64, "time_cost": 1, "parallelism": 1}
    WTF_CSRF_ENABLED = True

    def __init__(self, instance_path: str):
        super().__init__(instance_path)
        self.SQLALCHEMY_DATABASE_URI = _normalise_db_url(
            os.environ.get("TEST_DATABASE_URL", "sqlite://"))
        self.SECRET_KEY = "test-secret-key-not-for-production"
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.RATELIMIT_STORAGE_OPTIONS = limiter_storage_options(self.RATELIMIT_STORAGE_URI)
        self.DEMO_PASSWORD = "cdou-demo-2025"
        self.PUBLIC_BASE_URL = "http://localhost/"
        self.MAIL_BACKEND = "locmem"  # a test that needs a real SMTP server starts one (tests/mail)
        # jobs run inside the call that starts them, after its commit, unless a test sets a broker
        # (tests/jobs/ start real workers on a broker of their own)
        self.JOBS_BROKER_URL = os.environ.get("TEST_JOBS_BROKER_URL", "immediate")
        self.JOBS_FILE_DIR = os.environ.get("TEST_JOBS_FILE_DIR") or tempfile.mkdtemp(prefix="cdou-job-files-")
        self.DCAT_CACHE_DIR = tempfile.mkdtemp(prefix="cdou-dcat-pages-")
        self.DCAT_REBUILD_SECONDS = 0  # a write's page rebuilt at once (tests/catalog/test_dcat.py sets it)
        if self.SQLALCHEMY_DATABASE_URI == "sqlite://":
            self.SQLALCHEMY_ENGINE_OPTIONS = {
                "connect_args": {"check_same_thread": False}, "poolclass": StaticPool}


def _mail_settings(config, env, instance_path: str) -> None:
    """E-mail through Flask-Mailman. With MAIL_SERVER set, mail goes to that SMTP server
    (MAIL_PORT, MAIL_USE_TLS or MAIL_USE_SSL, MAIL_USERNAME, MAIL_PASSWORD, MAIL_TIMEOUT); without
    it, every message is written to a file under instance/mail/ (``make run`` needs no SMTP
    server). MAIL_BACKEND overrides the choice (smtp, file, console, locmem)."""
    config.MAIL_SERVER = env.get("MAIL_SERVER", "")
    config.MAIL_PORT = int(env.get("MAIL_PORT", "587" if env.get("MAIL_USE_TLS") == "1" else "25"))
    config.MAIL_USE_TLS = env.get("MAIL_USE_TLS", "0") == "1"
    config.MAIL_USE_SSL = env.get("MAIL_USE_SSL", "0") == "1"
    config.MAIL_USERNAME = env.get("MAIL_USERNAME") or None
    config.MAIL_PASSWORD = env.get("MAIL_PASSWORD") or None
    config.MAIL_TIMEOUT = int(env.get("MAIL_TIMEOUT", "20"))
    config.MAIL_DEFAULT_SENDER = env.get("MAIL_DEFAULT_SENDER", "城市数据运营共同体门户 <noreply@cdou.example>")
    config.MAIL_FILE_PATH = env.get("MAIL_FILE_PATH", str(Path(instance_path) / "mail"))
    config.MAIL_BACKEND = env.get("MAIL_BACKEND") or ("smtp" if config.MAIL_SERVER else "file")


PLACEHOLDER_SECRETS = {"x", "secret", "changeme", "change-me", "dev", "development", "test", "password",
                       "secret-key", "your-secret-key", "please-change-me"}


def weak_secret(secret: str) -> bool:
    """Short, a known placeholder, or with too few distinct characters to be random."""
    secret = secret or ""
    return (len(secret) < 32 or secret.lower() in PLACEHOLDER_SECRETS or len(set(secret)) < 10)


CONFIGS = {"development": Config, "production": ProductionConfig, "testing": TestConfig}


def limiter_storage_options(uri: str) -> dict:
    """Options of the rate-limit store. A failing store raises limits' ``StorageError`` (answered
    503 by errors.py when there is no fallback). Redis gets short timeouts and one immediate retry
    (a connection the restarted server dropped): redis-py's default of ten retries with backoff
    would hold each request several seconds while Redis is down."""
    options: dict = {"wrap_exceptions": True}
    if uri.startswith(("redis://", "rediss://", "redis+unix://")):
        options.update(socket_connect_timeout=1, socket_timeout=1, retry=Retry(NoBackoff(), 1))
    return options


def _normalise_db_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
