"""Sijill's settings: every value comes from the environment, with a default that is safe on one machine.

Embedded defaults: SQLite and files under SIJILL_DATA_DIR, the database task queue, DEBUG off, local
hosts only, a secret key generated once into the data directory. DATABASE_URL, SIJILL_STORAGE=s3 and
SIJILL_ELASTICSEARCH_URL switch to the scale-out parts. Unsafe combinations stop start-up.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from sijill import scratch
from sijill.env import Env

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env.path("SIJILL_DATA_DIR", BASE_DIR / "var")
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # private when Sijill makes it
CORPUS_DIR = env.path("SIJILL_CORPUS_DIR", BASE_DIR.parent / "shared" / "corpus")


def _secret_key():
    given = env.str("SIJILL_SECRET_KEY")
    if given:
        if len(given) < 50:
            raise ImproperlyConfigured("SIJILL_SECRET_KEY must be at least 50 characters long.")
        return given
    # Generated once and kept beside the data, so sessions survive restarts without a key in git.
    # Written whole to a private temporary file, then linked into place: link() fails if another
    # process got there first, so processes starting together all read the same complete key.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        draft = DATA_DIR / f".secret_key.{os.getpid()}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(64))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("SIJILL_DEBUG", False)
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
ALLOWED_HOSTS = env.list("SIJILL_ALLOWED_HOSTS", LOCAL_HOSTS)
CSRF_TRUSTED_ORIGINS = env.list("SIJILL_CSRF_TRUSTED_ORIGINS")
if DEBUG and set(ALLOWED_HOSTS) - set(LOCAL_HOSTS):
    raise ImproperlyConfigured(
        "SIJILL_DEBUG is on while SIJILL_ALLOWED_HOSTS admits non-local hosts "
        f"({', '.join(sorted(set(ALLOWED_HOSTS) - set(LOCAL_HOSTS)))}); debug pages would expose "
        "settings and case data. Turn SIJILL_DEBUG off for a served site."
    )

INSTALLED_APPS = [
    "sijill",
    "audit",
    "records",
    "ingest",
    "search",
    "retention",
    "api",
    "records.staff.users_app.UsersAppConfig",  # Wagtail's users app, with Sijill's user editor
    "wagtail.snippets",
    # Required by the admin; their menus are hidden and their public serving URLs are not routed.
    "wagtail.documents",
    "wagtail.images",
    "wagtail.sites",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.RequestContextMiddleware",
    "records.middleware.AdminMethodGuard",
    "records.middleware.GenericModelEndpointGuard",
    "records.middleware.TamperedFormGuard",
    "records.middleware.MalformedAddressGuard",
    "records.middleware.NulCharacterGuard",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sijill.urls"
WSGI_APPLICATION = "sijill.wsgi.application"
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
            ],
        },
    },
]

# Database: SQLite under the data directory unless DATABASE_URL says otherwise.
DATABASE_URL = env.str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from None
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The access rule's sub-plans inflate cost estimates past PostgreSQL's JIT threshold, and compiling
        # then takes longer than the query (about 0.2 s on every case list count). Empty to leave the
        # server's own setting, e.g. behind a PgBouncer that refuses start-up options.
        if options := env.str("SIJILL_POSTGRES_OPTIONS", "-c jit=off"):
            DATABASES["default"].setdefault("OPTIONS", {})["options"] = options
# PostgreSQL: the role granted the site's privileges after each `migrate` run as the tables' owner, so that
# the site itself can connect as a role that cannot drop the database's guards (sijill.database_roles).
SIJILL_DATABASE_APP_ROLE = env.str("SIJILL_DATABASE_APP_ROLE")
if not DATABASE_URL:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "sijill.sqlite3",
            "OPTIONS": {
                # The web server and the worker write at the same time: WAL lets readers go on,
                # IMMEDIATE takes the write lock up front instead of failing half-way through.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Anchors of the audit chain (its head's seq and hash), appended by every intact verify_audit run. Beside the
# data directory, not in it, so that what restores, wipes or is owned with the database and the originals
# does not rewrite them; in production point it at another disk or host (see the README).
SIJILL_AUDIT_ANCHOR_DIR = env.path("SIJILL_AUDIT_ANCHOR_DIR", DATA_DIR.parent / "audit-anchors")
# Or, when a bucket is named, S3 objects under Object Lock: the bucket must be created with Object Lock on,
# and no one (COMPLIANCE) or only holders of s3:BypassGovernanceRetention (GOVERNANCE) may remove them.
SIJILL_AUDIT_ANCHOR_BUCKET = env.str("SIJILL_AUDIT_ANCHOR_BUCKET")
SIJILL_AUDIT_ANCHOR_LOCK_MODE = env.choice("SIJILL_AUDIT_ANCHOR_LOCK_MODE", {"compliance", "governance"}, "compliance")
SIJILL_AUDIT_ANCHOR_RETENTION_DAYS = env.int("SIJILL_AUDIT_ANCHOR_RETENTION_DAYS", 3650, minimum=1)
SIJILL_AUDIT_ANCHOR_S3 = {
    "endpoint_url": env.str("SIJILL_S3_ENDPOINT_URL") or None,
    "region_name": env.str("SIJILL_S3_REGION") or None,
    "aws_access_key_id": env.str("SIJILL_S3_ACCESS_KEY_ID") or None,
    "aws_secret_access_key": env.str("SIJILL_S3_SECRET_ACCESS_KEY") or None,
}

# Storage: originals of every version are written once, locally or to S3-compatible storage.
SIJILL_STORAGE = env.choice("SIJILL_STORAGE", {"local", "s3"}, "local")
if SIJILL_STORAGE == "s3":
    S3_BUCKET = env.str("SIJILL_S3_BUCKET")
    if not S3_BUCKET:
        raise ImproperlyConfigured("SIJILL_STORAGE=s3 needs SIJILL_S3_BUCKET, the bucket's name.")
    ORIGINALS_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("SIJILL_S3_ENDPOINT_URL") or None,
            "region_name": env.str("SIJILL_S3_REGION") or None,
            # Empty keys leave boto3 to its own chain (AWS_ACCESS_KEY_ID, instance roles, ...).
            "access_key": env.str("SIJILL_S3_ACCESS_KEY_ID") or None,
            "secret_key": env.str("SIJILL_S3_SECRET_ACCESS_KEY") or None,
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
else:
    ORIGINALS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": DATA_DIR / "originals",
            "base_url": None,
            "file_permissions_mode": 0o440,
            "directory_permissions_mode": 0o750,
        },
    }

# Downloads leave through one view that checks access first (records.views.download). A production web
# server can then send local files itself: "x-accel-redirect" (nginx: an `internal` location at
# SIJILL_SENDFILE_PREFIX aliased to the originals folder) or "x-sendfile" (Apache, lighttpd). With S3 the
# view answers with a signed URL that expires after SIJILL_SIGNED_URL_SECONDS.
SENDFILE = env.choice("SIJILL_SENDFILE", {"django", "x-accel-redirect", "x-sendfile"}, "django")
SENDFILE_PREFIX = "/" + env.str("SIJILL_SENDFILE_PREFIX", "/protected-originals/").strip("/") + "/"
SIGNED_URL_SECONDS = env.int("SIJILL_SIGNED_URL_SECONDS", 60, minimum=5)
# Statistics cells counting fewer restricted cases than this are suppressed: too few to stay anonymous.
SUPPRESSION_THRESHOLD = env.int("SIJILL_SUPPRESSION_THRESHOLD", 5, minimum=2)

# Files made from the originals (page images, thumbnails, searchable PDFs): never public either, served
# by access-checked views. In S3 they sit under renditions/ in the originals' bucket, which fixity skips.
if SIJILL_STORAGE == "s3":
    RENDITIONS_STORAGE = {
        **ORIGINALS_STORAGE,
        "OPTIONS": {**ORIGINALS_STORAGE["OPTIONS"], "location": "renditions"},
    }
else:
    RENDITIONS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": DATA_DIR / "renditions",
            "base_url": None,
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    "originals": ORIGINALS_STORAGE,
    "renditions": RENDITIONS_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Never served as a public URL: every byte of a record leaves through the download view.
MEDIA_URL = "/media-not-served/"
MEDIA_ROOT = DATA_DIR / "media"
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"

SIJILL_MAX_UPLOAD_BYTES = env.int("SIJILL_MAX_UPLOAD_MB", 1024, minimum=1) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
# Uploads on their way in may hold sealed content: kept in the data directory, private, swept at start-up
# of every web process (sijill.scratch), never in the system's shared temporary folder.
FILE_UPLOAD_TEMP_DIR = str(scratch.prepare(DATA_DIR / "tmp" / "uploads"))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work through the django.tasks API, queued in the database by default.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Task worker processes `manage.py serve` runs; a page of OCR keeps one core busy.
SIJILL_TASK_WORKERS = env.int("SIJILL_TASK_WORKERS", os.cpu_count() or 1, minimum=1)

# Ingest: a page job's lease outlives its longest page; a worker killed mid-page frees it when it runs out.
SIJILL_OCR_PAGE_TIMEOUT = env.int("SIJILL_OCR_PAGE_TIMEOUT", 300, minimum=10)
SIJILL_INGEST_LEASE_SECONDS = env.int("SIJILL_INGEST_LEASE_SECONDS", SIJILL_OCR_PAGE_TIMEOUT + 120, minimum=5)
SIJILL_INGEST_MAX_ATTEMPTS = env.int("SIJILL_INGEST_MAX_ATTEMPTS", 3, minimum=1)
# OCR pages whose mean word confidence (0-100) falls below this go to the review queue.
SIJILL_OCR_REVIEW_BELOW = env.int("SIJILL_OCR_REVIEW_BELOW", 80, minimum=0)

# Search: the database's own full-text engine (SQLite FTS5 or PostgreSQL), or Elasticsearch 8/9 when a URL
# is given (e.g. http://user:password@search.internal:9200); see site/search/README.md.
SIJILL_ELASTICSEARCH_URL = env.str("SIJILL_ELASTICSEARCH_URL")
SIJILL_ELASTICSEARCH = {
    "index": env.str("SIJILL_ELASTICSEARCH_INDEX", "sijill-documents") or "sijill-documents",
    "timeout": env.int("SIJILL_ELASTICSEARCH_TIMEOUT", 30, minimum=1),
}
# Text changes are indexed once a document has been quiet this long (its pages being read), and at the latest
# this long after its first change.
SIJILL_SEARCH_DEBOUNCE_SECONDS = env.int("SIJILL_SEARCH_DEBOUNCE_SECONDS", 5, minimum=0)
SIJILL_SEARCH_LONGEST_WAIT_SECONDS = env.int("SIJILL_SEARCH_LONGEST_WAIT_SECONDS", 120, minimum=1)

# Languages of the staff interface; Arabic switches the admin to right-to-left.
LANGUAGE_CODE = env.str("SIJILL_LANGUAGE", "en") or "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("SIJILL_TIME_ZONE", "UTC") or "UTC"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Security headers; SIJILL_HTTPS=1 behind a TLS-terminating proxy.
HTTPS = env.bool("SIJILL_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SIJILL_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

WAGTAIL_SITE_NAME = "Sijill"
WAGTAILADMIN_BASE_URL = env.str("SIJILL_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Offline network: no outside avatar service; Wagtail shows its own default avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Sijill sends no email, and Wagtail's account form requires one: a clerk without an address (the demo
# accounts have none) could not even save a language choice. The account screen keeps the name only.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Basic first: an anonymous call is answered 401 with a WWW-Authenticate challenge.
        "rest_framework.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ModelPermissions"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.BoundedLimitOffsetPagination",
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sijill API",
    "DESCRIPTION": "Case files, documents and their versions in a Sijill records repository.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["api.schema.only_api_paths"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.document_error_answers"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "records.lifecycle.Status",
        "DocumentKindEnum": "records.models.DocumentKind",
        "BatchSourceEnum": "ingest.models.Batch.Source",
        "PageTextSourceEnum": "records.models.TextSource",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env.str("SIJILL_LOG_LEVEL", "INFO") or "INFO"},
    # A line for every task started and finished drowns what matters: reading a batch runs thousands.
    "loggers": {"django_tasks": {"level": env.str("SIJILL_TASK_LOG_LEVEL", "WARNING") or "WARNING"}},
}
