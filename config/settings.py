"""Django settings for Line of Sight.

Secure by default: the only things a deployment must set are SECRET_KEY,
DATABASE_URL and ALLOWED_HOSTS. Local demonstration and tests set
LOS_INSECURE_LOCAL=1 so that cookies work over plain http on 127.0.0.1.
"""

import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes"}


DEBUG = env_flag("DJANGO_DEBUG")
LOCAL = env_flag("LOS_INSECURE_LOCAL")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or LOCAL):
        raise RuntimeError("SECRET_KEY must be set outside local demonstration and tests")
    SECRET_KEY = "local-demonstration-only-not-secret"

ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "accounts",
    "organisation",
    "children",
    "exploitation",
    "audit",
    "timescales",
    "web",
    "demo",
    "indicators",
    "returns",
    "plans",
    "audits",
    "partnership",
    "operations",
    "governance",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "accounts.middleware.AbsoluteSessionLifetimeMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'lineofsight.sqlite3'}",
        conn_max_age=60,
        # A kept connection is checked before its first use in each request, so that the first
        # request of every worker after a PostgreSQL restart reconnects instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import or generator writes. Writers take turns:
    # a request that must write (session, audit row) while an import writes waits up to
    # `timeout` seconds for the lock instead of failing with "database is locked". 60 s covers
    # the write phase of an England-sized census (about 30 s here) and stays well under
    # gunicorn's 120 s worker timeout (docs/decisions/0019-import-locking-and-status.md).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 60,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# The Annex A preview's rehearsal runs in a snapshot of the SQLite database (returns.rehearsal).
DATABASE_ROUTERS = ["returns.rehearsal.RehearsalRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.sso.PasswordBackend",  # Django's ModelBackend, refusing every password when LOS_PASSWORD_SIGN_IN=0
    "accounts.sso.SingleSignOnBackend",
]

# Single sign-on by OpenID Connect (accounts.sso, mozilla-django-oidc; docs/decisions/0025). On when a client id
# and the provider's endpoints are set. Microsoft Entra ID: README "Configuration".
OIDC_RP_CLIENT_ID = os.environ.get("LOS_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("LOS_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("LOS_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("LOS_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("LOS_OIDC_USERINFO_ENDPOINT", "")  # optional: the ID token's claims suffice
OIDC_OP_JWKS_ENDPOINT = os.environ.get("LOS_OIDC_JWKS_ENDPOINT", "")
LOS_OIDC_ISSUER = os.environ.get("LOS_OIDC_ISSUER", "")  # the ID token's `iss` must equal it when set
LOS_OIDC_PROVIDER_NAME = os.environ.get("LOS_OIDC_PROVIDER_NAME", "Microsoft")
LOS_SSO_ENABLED = bool(OIDC_RP_CLIENT_ID and OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "login"
LOS_PASSWORD_SIGN_IN = env_flag("LOS_PASSWORD_SIGN_IN", default=True)
if LOCAL and "pytest" in sys.modules:
    # The OpenID Connect provider the tests start (accounts/tests/idp.py, django-oauth-toolkit): tests only.
    INSTALLED_APPS.append("oauth2_provider")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures lock that username from that address for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions end after 30 minutes without activity and when the browser closes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# And however active, a sign-in lasts at most 12 hours (accounts.middleware.AbsoluteSessionLifetimeMiddleware).
LOS_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("LOS_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not LOCAL
CSRF_COOKIE_SECURE = not LOCAL
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=not LOCAL)
SECURE_HSTS_SECONDS = 0 if LOCAL else 31536000
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "d/m/Y"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Uploaded files (evidence documents on improvement plans); served only through views that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploaded returns, kept for their checksum and the commit (returns.services.upload_dir).
RETURNS_UPLOAD_DIR = Path(os.environ.get("RETURNS_UPLOAD_DIR", BASE_DIR / "var" / "returns"))
# Return kinds (cin, ssda903, ...) the council wants all-or-nothing: one error rejects the whole file,
# instead of holding back only the children with errors (docs/decisions/0028-per-child-acceptance.md).
# Only the default: what an administrator sets on the returns pages wins (decision 0071).
RETURNS_ALL_OR_NOTHING = frozenset(
    k.strip() for k in os.environ.get("LOS_RETURNS_ALL_OR_NOTHING", "").split(",") if k.strip()
)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Application logs carry ids, never names or dates of birth; see audit/ and docs/decisions.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "audit.logging.RedactExceptionsFilter"}},
    # LOG_FORMAT=json: one JSON object a line, message arguments that are not numbers withheld (operations.logging).
    "formatters": {"json": {"()": "operations.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact"],
            **({"formatter": "json"} if os.environ.get("LOG_FORMAT", "").lower() == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger prints the URL and request repr; ours print ids only.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}

# The health endpoint (/health/) reports the worker stale when it last beat longer ago than this. A running
# worker (`manage.py run_worker`) beats every 30 s, even in the middle of a long task; 15 minutes leaves room
# for a wait on SQLite's write lock (docs/decisions/0024, 0033).
LOS_WORKER_STALE_HOURS = float(os.environ.get("LOS_WORKER_STALE_HOURS", 0.25))

# Background work (imports, recompute, plan digest) runs as tasks on a queue kept in the database, the
# same one on SQLite and PostgreSQL, run by `manage.py run_worker` (docs/decisions/0033-task-queue.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# When the worker's scheduler queues the periodic work, in local time: the nightly recompute (HH:MM) and the
# plan digest (weekday 0 = Monday, HH:MM).
LOS_RECOMPUTE_AT = os.environ.get("LOS_RECOMPUTE_AT", "02:00")
LOS_PLAN_DIGEST_AT = os.environ.get("LOS_PLAN_DIGEST_AT", "0 07:00")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Council-wide defaults a deployment may override.
LOS_COUNCIL_NAME = os.environ.get("LOS_COUNCIL_NAME", "Demonstration Borough Council")
