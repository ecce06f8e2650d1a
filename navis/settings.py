"""Navis settings.

Every value comes from the environment (see .env.example). The defaults are safe for a laptop:
SQLite, DEBUG on, a generated development secret. Production differs only by environment values.
"""

import secrets
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Exchange, Queue

from navis.brokers import filesystem_transport_options
from uploads import task_names

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

# Everything the running site writes locally (SQLite, private files, the filesystem broker).
VAR_DIR = Path(env("NAVIS_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=True)


def _development_secret_key() -> str:
    # Generated once per checkout so that sessions survive restarts of the dev server.
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Where links in emails point to, and the canonical origin of public pages.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Navis"

INSTALLED_APPS = [
    "navis.apps.NavisAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_guid",
    "navis",
    "articles",
    "uploads",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    # A page from the cache is answered here, before the work it does not need; it stored the headers
    # the layers below gave it, and leaves to them what they would refuse (see articles.cache).
    "articles.cache.PublicPageCacheMiddleware",
    # Before any other layer reads the request, so that it refuses bad input first, and marks every response.
    "navis.middleware.RequestHardeningMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "navis.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "navis.middleware.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "navis.middleware.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "navis.urls"
WSGI_APPLICATION = "navis.wsgi.application"
ASGI_APPLICATION = "navis.asgi.application"

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
                "csp.context_processors.nonce",
                "navis.context_processors.site",
            ],
        },
    },
]

# Form widgets render with the project's templates too (uploads' suggestion lists).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Data -----------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: wait for locks instead of failing, take write locks
    # up front, and let readers go on while one process writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The listing's covering index (Index(include=...)) is PostgreSQL's; SQLite keeps its key columns.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters bound on the server let psycopg prepare a query a connection keeps repeating, so that
    # PostgreSQL parses and plans it once per connection rather than once per request: the article page's
    # statement costs PostgreSQL 440 µs of CPU each time unprepared, 50 µs prepared. Turn it off behind a
    # connection pooler in transaction mode, which cannot keep prepared statements.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://navis")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "navis.cache.RedisCache"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root whatever the page says (favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Patient files live in private storage (uploads/storage_backends.py): it gives no file a URL, and
# only the views that check the viewer and record the access send them. A folder on this machine
# by default; an S3-compatible bucket when PRIVATE_STORAGE_S3_BUCKET is set, so that every web and
# worker machine sees the same files.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = "/private/"
PRIVATE_STORAGE_S3_BUCKET = env("PRIVATE_STORAGE_S3_BUCKET", default="")
if PRIVATE_STORAGE_S3_BUCKET:
    private_storage = {
        "BACKEND": "uploads.storage_backends.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_STORAGE_S3_BUCKET,
            # A folder of the bucket to keep the files under (no leading slash); default: its root.
            "location": env("PRIVATE_STORAGE_S3_PREFIX", default=""),
            # Blank: AWS itself. Set for another S3-compatible service (MinIO, Ceph, a cloud's own).
            "endpoint_url": env("PRIVATE_STORAGE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("PRIVATE_STORAGE_S3_REGION", default="") or None,
            # Blank: boto3 finds them itself (an instance or task role, AWS_* variables, a profile).
            "access_key": env("PRIVATE_STORAGE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY", default="") or None,
            "server_side_encryption": env("PRIVATE_STORAGE_S3_SSE", default="AES256"),
            "kms_key_id": env("PRIVATE_STORAGE_S3_KMS_KEY_ID", default=""),
        },
    }
else:
    private_storage = {
        "BACKEND": "uploads.storage_backends.PrivateFileSystemStorage",
        "OPTIONS": {
            "location": str(PRIVATE_MEDIA_ROOT),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
STORAGES = {
    "default": private_storage,
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}

# --- Malware scanning -----------------------------------------------------------------------

# clamd scans every upload: over TCP at CLAMD_HOST:CLAMD_PORT when CLAMD_HOST is set, else over
# the unix socket CLAMD_SOCKET, where `scripts/clamd.sh start` runs a project-local clamd.
CLAMD_SOCKET = env("CLAMD_SOCKET", default=str(VAR_DIR / "clamd" / "clamd.sock"))
CLAMD_HOST = env("CLAMD_HOST", default="")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
# Seconds to wait on each exchange with clamd before the scan counts as failed (and is retried).
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=60.0)

# --- Patient uploads ------------------------------------------------------------------------

MB = 1024 * 1024
# Shown to patients before they upload, and enforced as the bytes arrive.
UPLOAD_MAX_FILE_SIZE = env.int("UPLOAD_MAX_FILE_SIZE_MB", default=50) * MB
UPLOAD_MAX_FILES_PER_CASE = env.int("UPLOAD_MAX_FILES_PER_CASE", default=30)
UPLOAD_MAX_CASE_SIZE = env.int("UPLOAD_MAX_CASE_SIZE_MB", default=500) * MB
# Every upload streams to a temporary file while it is hashed: no file is ever held in memory.
FILE_UPLOAD_HANDLERS = ["uploads.storage.HashingUploadHandler"]
FILE_UPLOAD_TEMP_DIR = env("FILE_UPLOAD_TEMP_DIR", default=None)
# Working days within which guidance is due, by case priority (1 is the most urgent; the case
# summary sets it): the review queue's due dates, and (the least urgent's) what the patient is
# promised on submitting. A follow-up question is due as many working days after it is asked.
CASE_DUE_WORKING_DAYS = {
    int(priority): int(days)
    for priority, days in env.dict("CASE_DUE_WORKING_DAYS", default={"1": "2", "2": "3", "3": "5"}).items()
}
# A more urgent case is never due later: the promise, the least urgent's, then holds for every case.
_due_days = [CASE_DUE_WORKING_DAYS.get(priority, 0) for priority in (1, 2, 3)]
if set(CASE_DUE_WORKING_DAYS) != {1, 2, 3} or _due_days[0] < 1 or _due_days != sorted(_due_days):
    raise ImproperlyConfigured(
        "CASE_DUE_WORKING_DAYS gives working days (1 or more) for priorities 1, 2 and 3, "
        "no more for a more urgent one: e.g. 1=2,2=3,3=5."
    )

# --- Accounts -------------------------------------------------------------------------------

AUTH_USER_MODEL = "navis.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Navis: "
# Adding, removing or making primary an email address asks for the password again if it was last
# given more than ACCOUNT_REAUTHENTICATION_TIMEOUT (5 minutes) ago; changing the password asks for
# the current one in its own form.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Patients are told by email when their password, email addresses or two-factor change
# (templates/account/email/, templates/mfa/email/: every email allauth sends is in Navis's words).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "uploads.accounts.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "uploads.forms.SignupExtraForm"
# Every form in the site's words (uploads.accounts.SiteWords); sign-up also takes as long for a known
# address as for a new one (see its form).
ACCOUNT_FORMS = {
    "login": "uploads.accounts.LoginForm",
    "signup": "uploads.accounts.SignupForm",
    "reset_password": "uploads.accounts.ResetPasswordForm",
    "reset_password_from_key": "uploads.accounts.ResetPasswordKeyForm",
    "change_password": "uploads.accounts.ChangePasswordForm",
    "set_password": "uploads.accounts.SetPasswordForm",
    "add_email": "uploads.accounts.AddEmailForm",
    "reauthenticate": "uploads.accounts.ReauthenticateForm",
}
# allauth's rate limits stay at their defaults (on). They count attempts in the default cache, which
# must be shared by every process (Redis): `check --deploy` refuses a per-process cache.
# Behind a proxy, the number of proxies that append to X-Forwarded-For, so limits count the client.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Navis's own limits, counted the same way: a member of staff asks for a new two-factor setup link.
ACCOUNT_RATE_LIMITS = {"staff_two_factor_link": "3/h/user"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {
    "authenticate": "uploads.accounts.AuthenticateForm",
    "reauthenticate": "uploads.accounts.MFAReauthenticateForm",
    "activate_totp": "uploads.accounts.ActivateTOTPForm",
}
MFA_TOTP_ISSUER = "Navis"

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Navis <care@navis.example>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Security -------------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Health checks come from inside the network over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Features no Navis page uses, turned off for every page and anything embedded in it.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Sessions (navis.middleware.SessionTimeoutMiddleware). Staff screens show many patients' records:
# an idle staff session ends after 15 minutes, and any staff session 12 hours after signing in.
STAFF_IDLE_TIMEOUT_SECONDS = env.int("STAFF_IDLE_TIMEOUT_SECONDS", default=15 * 60)
# Staff set up two-factor from a one-time link emailed to them, not from their password alone; it
# works once, for this long.
STAFF_TWO_FACTOR_LINK_MAX_AGE_SECONDS = env.int("STAFF_TWO_FACTOR_LINK_MAX_AGE_SECONDS", default=24 * 60 * 60)
STAFF_SESSION_MAX_AGE_SECONDS = env.int("STAFF_SESSION_MAX_AGE_SECONDS", default=12 * 60 * 60)
# A patient's session ends after 30 idle minutes, also when they ticked "remember me": a diagnosis on a
# family computer or a lost phone is what the idle limit is for, and a box on the login page should not
# turn it off. Remembering keeps the cookie through closing the browser (mobile browsers close tabs
# on their own) and the session lasts at most REMEMBER_ME_DAYS from signing in, however active.
PATIENT_IDLE_TIMEOUT_SECONDS = env.int("PATIENT_IDLE_TIMEOUT_SECONDS", default=30 * 60)
REMEMBER_ME_DAYS = env.int("REMEMBER_ME_DAYS", default=7)
# allauth asks "remember me" (ACCOUNT_SESSION_REMEMBER None) and gives a remembered session this age;
# a session that was not remembered ends with the browser.
SESSION_COOKIE_AGE = REMEMBER_ME_DAYS * 24 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
ACCOUNT_SESSION_REMEMBER = None

# No third-party origins at all: scripts only from our own static files, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Celery ---------------------------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# The database is the source of truth: tasks record their outcome there, not in a result store.
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only once it finished, and given back to the queue if its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
# Without this Celery closes the database connection around every task (celery/celery#9824), and a
# new PostgreSQL connection costs each task milliseconds; navis/celery.py closes one as Django does
# between requests instead: when it failed, or when CONN_MAX_AGE retires it.
CELERY_DB_REUSE_MAX = 1000
CELERY_TIMEZONE = TIME_ZONE
# The reconciler has a queue of its own, so that a backlog of the work it rescues never makes it
# late. Every worker consumes both (a worker takes every queue declared here unless told otherwise
# with -Q, which no command of ours passes); each queue is named, exchanged and routed as Celery
# names its default one.
CELERY_TASK_DEFAULT_QUEUE = task_names.DEFAULT_QUEUE
CELERY_TASK_QUEUES = [Queue(name, Exchange(name), routing_key=name) for name in task_names.QUEUES]
CELERY_TASK_ROUTES = {task_names.RECONCILE: {"queue": task_names.RECONCILE_QUEUE}}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "navis.tasks.heartbeat_record", "schedule": 60.0},
    # Each run publishes everything due by then, so a missed tick only delays to the next one.
    "publish-due-articles": {
        "task": "articles.tasks.publish_due_articles",
        "schedule": env.float("ARTICLES_PUBLISH_INTERVAL", default=60.0),
    },
    "flag-overdue-reviews": {"task": "articles.tasks.flag_overdue_reviews", "schedule": 3600.0},
    # Sends again what the case pipeline left waiting: lost messages, workers that stopped.
    "pipeline-reconcile": {
        "task": task_names.RECONCILE,
        "schedule": env.float("PIPELINE_RECONCILE_INTERVAL", default=60.0),
    },
    # Deletes the files in private storage that no row names (a run or an upload killed between
    # writing a file and recording it), once they are older than STORAGE_SWEEP_GRACE_SECONDS.
    "storage-sweep": {
        "task": "uploads.tasks.storage_sweep",
        "schedule": env.float("STORAGE_SWEEP_INTERVAL", default=3600.0),
    },
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The broker that needs no server: messages are files in a folder that web, worker and
    # beat share. `manage.py rundev` chooses it when no Redis answers.
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_transport_options(VAR_DIR)
else:
    # Redis hands an unacknowledged message to another worker after the visibility timeout:
    # it must be longer than the longest task, or a slow task would run twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
if CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 0) and (
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT
):
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT.")

# --- Case pipeline --------------------------------------------------------------------------

# A document claimed for longer than this belongs to a worker that stopped, and anything waiting
# longer is sent again by the reconciler. Longer than a task may run, or a slow task would be
# taken over while it still works.
PIPELINE_STUCK_AFTER_SECONDS = env.int("PIPELINE_STUCK_AFTER_SECONDS", default=600)
if PIPELINE_STUCK_AFTER_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("PIPELINE_STUCK_AFTER_SECONDS must be longer than CELERY_TASK_TIME_LIMIT.")
# A file no row names is deleted by the sweep only once it is older than this: longer than a run
# may take between writing a file and recording it, so no file still being recorded is taken.
STORAGE_SWEEP_GRACE_SECONDS = env.int("STORAGE_SWEEP_GRACE_SECONDS", default=24 * 60 * 60)
if STORAGE_SWEEP_GRACE_SECONDS <= PIPELINE_STUCK_AFTER_SECONDS:
    raise ImproperlyConfigured("STORAGE_SWEEP_GRACE_SECONDS must be longer than PIPELINE_STUCK_AFTER_SECONDS.")
# The first wait before a task retries after a transient error; each retry waits up to twice as long.
PIPELINE_RETRY_BACKOFF_SECONDS = env.int("PIPELINE_RETRY_BACKOFF_SECONDS", default=10)
# Who is emailed when a case is ready or a document is quarantined; empty: every active staff user.
PIPELINE_STAFF_EMAILS = env.list("PIPELINE_STAFF_EMAILS", default=[])

# --- Logging --------------------------------------------------------------------------------

DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": False,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
}
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
# One JSON object a line in production; a readable line on a laptop. Messages carry ids and
# paths only: nothing a patient wrote or uploaded is ever logged.
LOG_FORMAT = env("LOG_FORMAT", default="console" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
            },
        },
        "console": {"format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # WeasyPrint reports each step of every letter it lays out, and fontTools each font it subsets.
    "loggers": {
        "django_guid": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
