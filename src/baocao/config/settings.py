"""Settings, all read from environment variables with working defaults (listed in docs/operations.md)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import dj_database_url

from baocao.config.env import EnvError, env_bool, env_int, env_list, env_networks, env_path, env_str
from baocao.soffice import max_conversions

# The repository root when running from a checkout (src/baocao/config/settings.py → three levels up).
_CHECKOUT = Path(__file__).resolve().parents[3]
_DEFAULT_DATA = _CHECKOUT / "data" if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd() / "data"
DATA_DIR = env_path("BAOCAO_DATA_DIR", _DEFAULT_DATA)
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """BAOCAO_SECRET_KEY, or a key generated once into the data folder (kept across restarts)."""
    given = env_str("BAOCAO_SECRET_KEY", "")
    if given:
        return given
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("BAOCAO_DEBUG", False)
ALLOWED_HOSTS = env_list("BAOCAO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("BAOCAO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "baocao.units",
    "baocao.accounts",
    "baocao.forms",
    "baocao.rounds",
    "baocao.reports",
    "baocao.analysis",
    "baocao.documents",
    "baocao.web",
    "baocao.legacy",
    "baocao.signing",
    "baocao.api",
    "baocao.jobs",
]

MIDDLEWARE = [
    "baocao.config.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "baocao.web.middleware.refuse_nul_characters",
    "baocao.web.middleware.normalize_form_newlines",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "baocao.config.urls"
WSGI_APPLICATION = "baocao.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:inbox"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-ninja is not an installed app: loading it would import all of ninja and pydantic at django.setup()
# (≈ 0.15 s of CPU in every process: each command, worker, test worker, most of which never serve the API).
# What the app gave is its API docs page, taken here from the installed package: the templates
# (ninja/swagger.html, rendered by baocao.api.docs) and the Swagger UI scripts (STATICFILES_DIRS below). Its
# one management command is re-exported by baocao.api (baocao manage export_openapi_schema).
_ninja = find_spec("ninja")  # finds the package without importing it
if _ninja is None or _ninja.origin is None:
    raise ImportError("django-ninja is not installed")
_NINJA = Path(_ninja.origin).parent

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [_NINJA / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'baocao.sqlite3'}")
    config: dict[str, object] = dict(
        dj_database_url.parse(url, conn_max_age=env_int("BAOCAO_DB_CONN_MAX_AGE", 60))
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer saves; IMMEDIATE avoids "database is locked" upgrades.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
        config["CONN_MAX_AGE"] = 0
        # Tests use a file too (one per pytest-xdist worker), never the in-memory database: Django's live
        # server shares one in-memory connection between its threads, and the browser's parallel saves then
        # collide ("cannot release savepoint - SQL statements in progress"); with a file each thread has its
        # own connection, as in production.
        config["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sign-in: after BAOCAO_LOGIN_FAILURE_LIMIT failures an account is locked for BAOCAO_LOGIN_LOCK_MINUTES;
# before that, each failure past the third is answered after a growing delay (accounts.views).
AXES_FAILURE_LIMIT = env_int("BAOCAO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("BAOCAO_LOGIN_LOCK_MINUTES", 15))
# Lock a username from one address: locking by address alone would lock a whole commune office behind one NAT.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
LOGIN_SLOWDOWN_SECONDS = float(env_str("BAOCAO_LOGIN_SLOWDOWN_SECONDS", "1"))

SESSION_COOKIE_AGE = env_int("BAOCAO_SESSION_HOURS", 10) * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

# Behind a reverse proxy: the client's address and scheme come from X-Forwarded-For/-Proto only when the
# connection comes from one of these (baocao.config.proxy); django-axes counts failures by that address.
BAOCAO_TRUSTED_PROXIES = env_networks("BAOCAO_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "baocao.config.proxy.client_ip"
if BAOCAO_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# HTTPS (BAOCAO_HTTPS=1, the production configuration): redirect plain HTTP, HSTS, cookies only over HTTPS.
HTTPS = env_bool("BAOCAO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's health check may speak plain HTTP on the inside
SECURE_HSTS_SECONDS = env_int("BAOCAO_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BAOCAO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("BAOCAO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("BAOCAO_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from this server; the templates
# have no inline script or style (tests/web/test_security.py reads them all), and htmx' own injected indicator
# style is switched off in base.html.
_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [_SELF],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = env_str("BAOCAO_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [_NINJA / "static"]  # static/ninja/: the Swagger UI of the API docs page
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served by WhiteNoise straight from the installed packages: no collectstatic, no CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Email (reminders). BAOCAO_EMAIL_BACKEND: "file" (default: one file per message in the data folder's
# email/), "console" (printed), or "smtp" (BAOCAO_EMAIL_HOST, _PORT, _USER, _PASSWORD, _TLS).
_EMAIL_BACKENDS = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
_email_backend = env_str("BAOCAO_EMAIL_BACKEND", "file")
if _email_backend not in _EMAIL_BACKENDS:
    raise EnvError(f"Biến môi trường BAOCAO_EMAIL_BACKEND={_email_backend!r}: chỉ nhận file, console, smtp")
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
EMAIL_FILE_PATH = DATA_DIR / "email"
EMAIL_HOST = env_str("BAOCAO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("BAOCAO_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("BAOCAO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("BAOCAO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("BAOCAO_EMAIL_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("BAOCAO_EMAIL_FROM", "baocao@localhost")
# The address people open the system at, for links in emails.
BAOCAO_SITE_URL = env_str("BAOCAO_SITE_URL", "http://127.0.0.1:8000")
# Automatic reminders (baocao remind): each day from this many days before a round's deadline to the deadline.
BAOCAO_REMIND_DAYS = env_int("BAOCAO_REMIND_DAYS", 3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("BAOCAO_LOG_LEVEL", "WARNING")},
    # pyHanko logs every untrusted or failed signature it checks with a traceback; baocao reports them itself.
    "loggers": {
        "pyhanko": {"level": "CRITICAL"},
        "pyhanko_certvalidator": {"level": "CRITICAL"},
        "fontTools": {"level": "ERROR"},
    },
}

# Background jobs (baocao.jobs; every variable in docs/operations.md): django-tasks with its database backend,
# so the queue lives in the same database and needs no other server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOBS_DIR = env_path("BAOCAO_JOBS_DIR", DATA_DIR / "jobs")
# Worker processes `baocao serve` starts beside itself; 0 when workers run elsewhere (`baocao worker`).
JOBS_EMBEDDED_WORKERS = env_int("BAOCAO_EMBEDDED_WORKERS", 2)
# A running job whose worker has not reported for this long is taken as abandoned (run again or failed).
JOBS_STALE_SECONDS = env_int("BAOCAO_JOB_STALE_SECONDS", 300)
# Finished jobs (their files, uploaded copies, rows) are removed this many days after they finished, by the
# workers every few hours and by `baocao jobs prune`.
JOBS_KEEP_DAYS = env_int("BAOCAO_JOBS_KEEP_DAYS", 7)
if JOBS_KEEP_DAYS < 1:
    raise EnvError(f"Biến môi trường BAOCAO_JOBS_KEEP_DAYS={JOBS_KEEP_DAYS}: phải từ 1 ngày trở lên")
# LibreOffice conversions at once on this machine, all processes together (baocao.soffice; checked here).
MAX_CONVERSIONS = max_conversions()

# Digital signatures (baocao.signing; every variable in docs/operations.md).
SIGNING_DIR = env_path("BAOCAO_SIGNING_DIR", DATA_DIR / "signing")
SIGNING_TRUST_ROOTS = env_list("BAOCAO_SIGNING_TRUST_ROOTS", [])
SIGNING_TRUST_DEMO = env_bool("BAOCAO_SIGNING_TRUST_DEMO", True)
SIGNING_TSA_URL = env_str("BAOCAO_SIGNING_TSA_URL", "")
SIGNING_FETCH_REVOCATION = env_bool("BAOCAO_SIGNING_FETCH_REVOCATION", True)
SIGNING_PKCS11_MODULE = env_str("BAOCAO_SIGNING_PKCS11_MODULE", "")
