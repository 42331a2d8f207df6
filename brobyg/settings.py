"""Brobyg settings: one file, configured from environment variables (see README.md).

``BROBYG_ENV=development`` (the default) allows insecure conveniences such as a fixed secret key and
the console e-mail backend; ``BROBYG_ENV=production`` requires every secret to be given and turns
on the HTTPS protections that ``manage.py check --deploy`` looks for.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from brobyg.lib.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

BROBYG_ENV = env_choice("BROBYG_ENV", ("development", "production"), "development")
PRODUCTION = BROBYG_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
else:
    SECRET_KEY = env_str("SECRET_KEY", "development-only-secret-key-never-use-this-in-production")

ALLOWED_HOSTS = (
    env_list("ALLOWED_HOSTS")
    if PRODUCTION
    else env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Demo mode lets staff without a second factor in and shows a banner saying so. It exists only for
# `make demo`; `manage.py check --deploy` refuses it (see brobyg/orgs/checks.py).
DEMO_MODE = env_bool("BROBYG_DEMO_MODE", False)
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("BROBYG_DEMO_MODE cannot be used with BROBYG_ENV=production.")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "axes",
    "brobyg.orgs",
    "brobyg.people",
    "brobyg.intake",
    "brobyg.matching",
    "brobyg.support",
    "brobyg.groups",
    "brobyg.peercare",
    "brobyg.outcomes",
    "brobyg.reports",
    "brobyg.rights",
    "brobyg.imports",
    "brobyg.sms",
    "brobyg.volunteers",
    "brobyg.sso",
    "brobyg.api",
    "brobyg.conversations",
    "brobyg.audit",
    "oauth2_provider",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "brobyg.lib.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "brobyg.lib.middleware.SessionActivityMiddleware",
    "brobyg.lib.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
    "brobyg.orgs.middleware.TenancyMiddleware",
    "brobyg.api.middleware.ApiLimitsMiddleware",
    "brobyg.audit.middleware.NoStoreWhenReadMiddleware",
    "brobyg.orgs.middleware.SecondFactorRequiredMiddleware",
]

ROOT_URLCONF = "brobyg.urls"
WSGI_APPLICATION = "brobyg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "brobyg.orgs.context_processors.tenancy",
            ],
            "builtins": ["brobyg.lib.templatetags.dates", "brobyg.lib.templatetags.pagination"],
        },
    },
]

# Django's form templates, the plain ones written in Python (brobyg.lib.renderer).
FORM_RENDERER = "brobyg.lib.renderer.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
# A read replica for the report's reads (brobyg.lib.replica); tests read it through "default".
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(env_str("DATABASE_REPLICA_URL"), conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["brobyg.lib.replica.ReplicaRouter"]
# PostgreSQL's just-in-time compilation pays off only for long analytic queries. For a page's
# queries compiling takes seconds where running them takes milliseconds (measured at national
# scale: 33 s of compiling for peer care's 0.3 s "needs attention" query, benchmarks/pages.py;
# 2 s on the report's 1.5 s pairing, benchmarks/report.py), so it is off for every connection.
# Parameters are bound by PostgreSQL, and a statement a connection has run five times is
# prepared (psycopg's prepare_threshold): planning was half of PostgreSQL's time on the daily
# pages (the signed-in user's query: 0.25 ms to plan, 0.08 to run). In a pair of whole runs the
# daily pages took 14 % less time in all (benchmarks/README.md, twelfth pass). A connection
# pooler in between must keep prepared statements (PgBouncer 1.21 or newer,
# max_prepared_statements); without one that does, BROBYG_DATABASE_PREPARED_STATEMENTS=off binds
# on the client and prepares nothing.
PREPARED_STATEMENTS = env_bool("BROBYG_DATABASE_PREPARED_STATEMENTS", True)
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
        if PREPARED_STATEMENTS:
            _options.setdefault("server_side_binding", True)
            _options.setdefault("prepare_threshold", 5)
# The report's pairing over many citizens runs on this many PostgreSQL connections at once (one
# query uses one core), from this many citizens on (brobyg.reports.change, benchmarks/report.py).
REPORT_PAIRING_CONNECTIONS = env_int("BROBYG_REPORT_PAIRING_CONNECTIONS", 2, minimum=1)
REPORT_PAIRING_SPLIT_FROM = env_int("BROBYG_REPORT_PAIRING_SPLIT_FROM", 5000, minimum=1)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # allauth's, reading the signed-in user with a kept query (brobyg.lib.compiled).
    "brobyg.orgs.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: staff log in by e-mail; accounts are created by an organisation's admin, never
# by open sign-up.
ACCOUNT_ADAPTER = "brobyg.sso.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# allauth's limit on failed log-ins also limits wrong authenticator codes. It is set above
# django-axes' lock-out (BROBYG_LOCKOUT_FAILURES), so axes locks the account first and logs it.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip,10/300s/key"}
# Single sign-on: each organisation's identity provider (SAML or OpenID Connect) is configured on
# its settings page (brobyg.sso), not here; the adapter hands it to allauth's providers.
SOCIALACCOUNT_ADAPTER = "brobyg.sso.adapters.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
# Passkeys (WebAuthn) as a second factor and, for local accounts, as a log-in without password.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Brobyg"

# django-axes: lock the account (not the IP) after repeated failures.
AXES_FAILURE_LIMIT = env_int("BROBYG_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("BROBYG_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = [
    # axes warns that username-only lock-out ignores the IP. Locking by IP as well would lock
    # out a whole municipal office behind one NAT address after five typos, so the account is
    # what we lock.
    "axes.W006",
    # Covering indexes (the waiting list's queue, training records' series) carry columns for
    # PostgreSQL's index-only scans; SQLite, which ignores them, warned of it on every command.
    "models.W040",
]
AXES_USERNAME_CALLABLE = "brobyg.orgs.adapters.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Django's database sessions, read with a query compiled once per process (brobyg.lib.sessions).
SESSION_ENGINE = "brobyg.lib.sessions"
SESSION_COOKIE_AGE = env_int("BROBYG_SESSION_IDLE_MINUTES", 30, minimum=5) * 60
# Not on every request: brobyg.lib.middleware.SessionActivityMiddleware saves a live session
# once a minute, which keeps the idle timeout to the minute without three queries a page.
SESSION_SAVE_EVERY_REQUEST = False
# A live session's idle timeout is extended at most this often (brobyg.lib.middleware).
SESSION_ACTIVITY_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BROBYG_BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of Brobyg add to X-Forwarded-For (nginx: 1). The visitor's
# address (audit log, rate limits) is read from there; 0 means REMOTE_ADDR.
TRUSTED_PROXY_HOPS = env_int("BROBYG_TRUSTED_PROXY_HOPS", 0, minimum=0)

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
FORMAT_MODULE_PATH = ["brobyg.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Every e-mail passes through OncePerTaskBackend, which keeps a background task run again after
# a crash from sending the same e-mail twice (brobyg/audit/mail.py); it hands the e-mail on to
# BROBYG_EMAIL_BACKEND.
EMAIL_BACKEND = "brobyg.audit.mail.OncePerTaskBackend"
if PRODUCTION:
    BROBYG_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif env_str("BROBYG_EMAIL_DIR", ""):
    # The demo: each e-mail a file in this folder, instead of bodies scrolling past on the console.
    BROBYG_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / env_str("BROBYG_EMAIL_DIR")
else:
    BROBYG_EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Brobyg <brobyg@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages (brobyg/sms/backends.py): "console" prints them, "file" writes each to a file in
# BROBYG_SMS_DIR (the demo), "gatewayapi" sends them through GatewayAPI's REST API, "disabled"
# sends nothing (citizens are then reached by e-mail only). Production defaults to "disabled"
# until a provider is configured.
BROBYG_SMS_BACKEND = env_choice(
    "BROBYG_SMS_BACKEND",
    ("console", "file", "gatewayapi", "disabled"),
    "disabled" if PRODUCTION else ("file" if env_str("BROBYG_SMS_DIR", "") else "console"),
)
BROBYG_SMS_SENDER = env_str("BROBYG_SMS_SENDER", "Brobyg")
if not 1 <= len(BROBYG_SMS_SENDER) <= 11 or not BROBYG_SMS_SENDER.isalnum():
    raise ImproperlyConfigured("BROBYG_SMS_SENDER must be 1 to 11 letters or digits.")
if BROBYG_SMS_BACKEND == "file":
    BROBYG_SMS_DIR = BASE_DIR / env_str("BROBYG_SMS_DIR", "var/sms")
if BROBYG_SMS_BACKEND == "gatewayapi":
    BROBYG_GATEWAYAPI_TOKEN = env_str("BROBYG_GATEWAYAPI_TOKEN")
    BROBYG_GATEWAYAPI_URL = env_str("BROBYG_GATEWAYAPI_URL", "https://gatewayapi.com/rest/mtsms")
    if not BROBYG_GATEWAYAPI_URL.startswith("https://"):
        raise ImproperlyConfigured("BROBYG_GATEWAYAPI_URL must be an https:// address.")
# GatewayAPI's delivery reports (POST /sms/delivery/gatewayapi/) are signed with this shared
# secret (a JWT, HS256, in the X-Gwapi-Signature header); without it the endpoint answers 404.
BROBYG_GATEWAYAPI_CALLBACK_SECRET = env_str("BROBYG_GATEWAYAPI_CALLBACK_SECRET", "")
# A message the provider could not take is tried again this many times in all, by the periodic
# jobs, waiting longer each time (2, 4, 8, ... minutes).
BROBYG_SMS_MAX_ATTEMPTS = env_int("BROBYG_SMS_MAX_ATTEMPTS", 5, minimum=1)
# How long the record of a text (to whom, what kind, its delivery) is kept; the text itself is
# deleted as soon as it has been handed to the provider or given up.
BROBYG_SMS_RETENTION_DAYS = env_int("BROBYG_SMS_RETENTION_DAYS", 90, minimum=1)
# Secure messages: a conversation (every message in it and the citizen's links) is deleted this
# many days after its support course ended; the course itself stays.
BROBYG_MESSAGE_RETENTION_DAYS = env_int("BROBYG_MESSAGE_RETENTION_DAYS", 365, minimum=1)

# Background tasks: run inline in development, the demo and tests; through the database queue
# (`manage.py db_worker`) in production.
TASKS_BACKEND = env_choice(
    "BROBYG_TASKS_BACKEND", ("immediate", "database"), "database" if PRODUCTION else "immediate"
)
# A task still marked running after this long was interrupted (its worker died): the periodic
# jobs queue it again (brobyg/lib/worker.py). Longer than any task takes.
BROBYG_TASK_TIMEOUT_MINUTES = env_int("BROBYG_TASK_TIMEOUT_MINUTES", 60, minimum=1)
# The report page shows stored figures younger than this at once; older ones are computed again
# in the background meanwhile (brobyg/reports/services_snapshots.py).
BROBYG_REPORT_FRESH_MINUTES = env_int("BROBYG_REPORT_FRESH_MINUTES", 10, minimum=1)
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
        "ENQUEUE_ON_COMMIT": True,
    }
}

# Keys for encrypting single sensitive values such as CPR numbers (brobyg/lib/crypto.py):
# comma-separated Fernet keys; the first encrypts, all decrypt. The digest used to find duplicates
# uses the last key, so add new keys in front. Make one with:
#   python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
if PRODUCTION:
    FIELD_ENCRYPTION_KEYS = env_list("BROBYG_FIELD_ENCRYPTION_KEYS")
    from cryptography.fernet import Fernet

    for _key in FIELD_ENCRYPTION_KEYS:
        try:
            Fernet(_key)
        except ValueError:
            raise ImproperlyConfigured(
                "BROBYG_FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key."
            ) from None
else:
    from brobyg.lib.crypto import development_key

    FIELD_ENCRYPTION_KEYS = env_list("BROBYG_FIELD_ENCRYPTION_KEYS", [development_key(SECRET_KEY)])

# Public request forms: at most this many requests per client address in this many seconds.
BROBYG_INTAKE_RATE_LIMIT = (
    env_int("BROBYG_INTAKE_RATE_LIMIT_COUNT", 5, minimum=1),
    env_int("BROBYG_INTAKE_RATE_LIMIT_SECONDS", 600, minimum=1),
)

# The JSON API (brobyg/api): each client may make this many calls in this many seconds, send
# bodies of at most this many bytes, and gets bearer tokens valid this many seconds.
BROBYG_API_RATE_LIMIT = (
    env_int("BROBYG_API_RATE_LIMIT_COUNT", 600, minimum=1),
    env_int("BROBYG_API_RATE_LIMIT_SECONDS", 60, minimum=1),
)
BROBYG_API_MAX_BODY_BYTES = env_int("BROBYG_API_MAX_BODY_BYTES", 256 * 1024, minimum=1024)
# Webhooks (brobyg/api/services_webhooks.py): attempts in all before a delivery is given up
# (1, 2, 4, ... minutes apart, at most six hours), how long the receiver may take, how long the
# delivery log is kept, and whether plain http to this machine is allowed (development, tests).
BROBYG_WEBHOOK_MAX_ATTEMPTS = env_int("BROBYG_WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
BROBYG_WEBHOOK_TIMEOUT_SECONDS = env_int("BROBYG_WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)
BROBYG_WEBHOOK_RETENTION_DAYS = env_int("BROBYG_WEBHOOK_RETENTION_DAYS", 30, minimum=1)
BROBYG_WEBHOOK_ALLOW_HTTP = env_bool("BROBYG_WEBHOOK_ALLOW_HTTP", not PRODUCTION)
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("BROBYG_API_TOKEN_SECONDS", 600, minimum=60),
    "SCOPES": {"api": "Brobyg API v1"},
    "DEFAULT_SCOPES": ["api"],
    # Only client credentials are used; every RFC 9700 (OAuth 2.0 Security BCP) gate is on,
    # so `check --deploy` passes and tokens are stored hashed.
    "PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "ALLOW_URI_WILDCARDS": False,
    **{
        f"COMPLIANT_BCP_RFC9700_{gate}": True
        for gate in (
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "TOKEN_STORAGE",
            "REFRESH_TOKEN",
            "REDIRECT_URI_SCHEME",
            "REDIRECT_URI_MATCHING",
            "PKCE_REQUIRED",
        )
    },
    "OAUTH2_VALIDATOR_CLASS": "brobyg.api.oauth.ApiClientValidator",
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

# The cache holds rate-limit counters and used authenticator codes, so in production it must be
# shared by all web processes: the database (`manage.py createcachetable` creates the table).
if PRODUCTION:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "brobyg_cache",
        }
    }

# How long access entries (reads, searches, log-ins, denials) stay in the audit log.
ACCESS_LOG_RETENTION_DAYS = env_int("BROBYG_ACCESS_LOG_RETENTION_DAYS", 183, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_query_strings": {"()": "brobyg.lib.logging.StripQueryStrings"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_query_strings"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default, which would also e-mail error reports (with request data)
        # to ADMINS. Request bodies and form data never reach the log.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
