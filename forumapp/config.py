"""Configuration from the environment, with an embedded default that needs nothing installed.

FORUMAPP_DATABASE_URL   database (default: SQLite file in instance/)
FORUMAPP_SECRET_KEY     signing key (default: generated once, kept in instance/secret_key;
                        required when cluster_reasons() finds any)
FORUMAPP_STORAGE_DIR    shared storage for media (under media/) and generated documents
                        (default: the instance folder)
FORUMAPP_STORAGE_BACKEND  directory or s3 (default: s3 when FORUMAPP_S3_BUCKET is set)
FORUMAPP_S3_BUCKET, FORUMAPP_S3_ENDPOINT_URL, FORUMAPP_S3_PREFIX, FORUMAPP_S3_REGION
                        S3-compatible object storage (credentials: the usual AWS_* variables)
FORUMAPP_INSTANCE_PATH  the instance folder (default: instance/ in the checkout)
FORUMAPP_BROKER_URL     Celery broker; also a sign of several processes (see cluster_reasons)
FORUMAPP_ENV=production says the app runs as several processes or hosts: the secret key must
                        come from the environment
FORUMAPP_SMTP_URL       outgoing mail, e.g. smtp://user:pass@host:587 (default: the in-app outbox)
FORUMAPP_REDIS_URL      rate limits and page cache shared by all workers, e.g. redis://127.0.0.1:6379
                        (default: in memory, per worker process)
FORUMAPP_TRUSTED_PROXIES  how many reverse proxies (nginx, a load balancer) stand in front of the
                        app and set X-Forwarded-For/-Proto/-Host (default: 0, headers ignored)
FORUMAPP_MAIL_FROM      sender address of e-mails (default: forumapp@localhost)
FORUMAPP_PUBLIC_URL     the site's address, e.g. https://forum.example.kz/: every absolute link that
                        leaves the app is built from it, and only its host is served (required in
                        production; see forumapp/urls.py)
FORUMAPP_ALLOWED_HOSTS  further host names the site answers to, comma-separated
FORUMAPP_ENV            `production` or `development`; without it, any database but SQLite means
                        production
FORUMAPP_SECURE_COOKIES 1/0: session cookie only over HTTPS (default: 1 when the public URL is https)
FORUMAPP_HSTS_SECONDS   Strict-Transport-Security max-age (default: one year when the public URL is
                        https, else 0 = no header)
FORUMAPP_BROKER_URL     (above) background work runs in Celery workers, e.g. redis://127.0.0.1:6379/0
                        (default: none, tasks run in a thread of the web process)
FORUMAPP_PRINTS_MAX_AGE_DAYS  printed batches are removed after this many days (default 7)
FORUMAPP_SMTP_TIMEOUT   seconds to wait for the SMTP server (default 20; only workers wait)
FORUMAPP_PAGE_CACHE=0    renders every public page and export afresh (benchmark baseline)
FORUMAPP_PAGE_CACHE_MB  size bound of the page cache in process memory (default 64; with Redis,
                        entries larger than a quarter of it are not kept)
FORUMAPP_PAGE_CACHE_TTL seconds a page stays in Redis (default 86400)
FORUMAPP_PAGE_CACHE_LOCAL_MB  with Redis, the pages each process keeps in its own memory too
                        (default 32; 0 = none, every hit asks Redis)
FORUMAPP_PDF_PRERENDER  1/0: render programme PDFs in a background task after each change
                        (default: on when FORUMAPP_BROKER_URL is set); FORUMAPP_PDF_PRERENDER_DELAY
                        seconds to wait first, so a run of edits renders once (default 5)
FORUMAPP_PROXY_MAX_AGE  seconds a reverse proxy may hold a public page (default 30)
FORUMAPP_REGISTRATION_LOCK=0  switches off the registration lock (benchmark baseline only)
FORUMAPP_DESIGN_SECONDS, FORUMAPP_DESIGN_MEMORY_MB, FORUMAPP_DESIGN_PDF_KB_PER_PAGE
                        limits on rendering an organiser's own certificate design (default 10 s
                        wall-clock and CPU per certificate document, 1024 MB, 4096 kB a page)
FORUMAPP_RATELIMIT_RENDERS  how often one address may ask for a public PDF, calendar or other
                        rendered file (default "20 per minute;300 per hour")
FORUMAPP_RATELIMIT_VERIFY  how often one address may open certificate verification pages
                        (default "30 per minute")
FORUMAPP_RATELIMIT_API  how often one address may call the JSON API under /api/v1/
                        (default "120 per minute;3000 per hour")
FORUMAPP_WEBHOOKS_REQUIRE_HTTPS=0  lets organisers' webhook endpoints be plain http (default: https only)
FORUMAPP_WEBHOOKS_ALLOW_PRIVATE=1  lets webhooks go to private, loopback and link-local addresses
                        (an intranet CRM; default: public addresses only, so the server is no
                        proxy into its own network)
"""

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import make_url


class ConfigurationError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


def cluster_reasons(env: Mapping[str, str]) -> list[str]:
    """Why this configuration may run as more than one process or host (empty: a single process
    on the embedded default). Any of these means every process must be given the same settings
    from the environment rather than make its own."""
    reasons = []
    database = env.get("FORUMAPP_DATABASE_URL", "")
    if database and make_url(database).get_backend_name() != "sqlite":
        reasons.append("FORUMAPP_DATABASE_URL is not SQLite")
    if env.get("FORUMAPP_BROKER_URL"):
        reasons.append("FORUMAPP_BROKER_URL is set")
    if env.get("FORUMAPP_ENV", "").lower() == "production":
        reasons.append("FORUMAPP_ENV=production")
    return reasons


def _secret_key(instance_path: Path, env: Mapping[str, str]) -> str:
    key = env.get("FORUMAPP_SECRET_KEY")
    if key:
        return key
    reasons = cluster_reasons(env)
    if reasons:
        raise ConfigurationError(
            f"FORUMAPP_SECRET_KEY must be set ({', '.join(reasons)}): every process and host must "
            "sign sessions and CSRF tokens with the same key, and a key generated per instance "
            "folder would differ between hosts. Generate one with "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return shared_key_file(instance_path / "secret_key")


def shared_key_file(key_file: Path) -> str:
    """The key kept in `key_file`, created if absent so that processes starting at once all end
    with the same complete key: each writes a candidate to its own temporary file (O_CREAT|O_EXCL,
    fsync) and links it to the key's name; link() fails if the name exists, so exactly one
    candidate wins and the file appears already complete (no one reads it empty or half-written).
    The losers read the winner's key."""
    if not key_file.exists():
        temporary = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(temporary, key_file)
            except FileExistsError:
                pass  # another process won the race: its key is the one
        finally:
            temporary.unlink(missing_ok=True)
    key = key_file.read_text().strip()
    if not key:
        raise ConfigurationError(f"{key_file} is empty: delete it (a new key is made) or set FORUMAPP_SECRET_KEY")
    return key


def _flag(value: str | None) -> bool | None:
    """1/0, true/false, yes/no; None when unset (the default is decided from the public URL)."""
    if value is None or not value.strip():
        return None
    return value.strip().lower() in ("1", "true", "yes", "on")


def _number(value: str | None) -> int | None:
    return int(value) if value and value.strip() else None


def instance_path(env: Mapping[str, str], default: Path) -> str:
    """The instance folder: FORUMAPP_INSTANCE_PATH (each host its own, or a shared volume), or
    instance/ in the checkout."""
    return str(Path(env.get("FORUMAPP_INSTANCE_PATH") or default).resolve())


def load_config(instance_path: str, env: Mapping[str, str] | None = None) -> dict:
    env = os.environ if env is None else env
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if env.get("FORUMAPP_MEDIA_DIR"):
        raise ConfigurationError(
            "FORUMAPP_MEDIA_DIR is no longer used: media live in the storage, under media/ "
            "(FORUMAPP_STORAGE_DIR, default the instance folder, or FORUMAPP_S3_BUCKET). Copy the "
            "existing files with `flask storage import-media DIR` and unset FORUMAPP_MEDIA_DIR "
            "(docs/DEPLOY.md, Storage)."
        )
    return {
        "SQLALCHEMY_DATABASE_URI": env.get("FORUMAPP_DATABASE_URL", f"sqlite:///{instance / 'forumapp.sqlite3'}"),
        "SECRET_KEY": _secret_key(instance, env),
        "STORAGE_BACKEND": env.get("FORUMAPP_STORAGE_BACKEND", ""),
        "STORAGE_DIR": env.get("FORUMAPP_STORAGE_DIR", "") or str(instance),
        "S3_BUCKET": env.get("FORUMAPP_S3_BUCKET", ""),
        "S3_ENDPOINT_URL": env.get("FORUMAPP_S3_ENDPOINT_URL", ""),
        "S3_PREFIX": env.get("FORUMAPP_S3_PREFIX", ""),
        "S3_REGION": env.get("FORUMAPP_S3_REGION", "") or env.get("AWS_DEFAULT_REGION", "us-east-1"),
        "BROKER_URL": env.get("FORUMAPP_BROKER_URL", ""),
        "BROKER_VISIBILITY_TIMEOUT": float(env.get("FORUMAPP_BROKER_VISIBILITY_TIMEOUT", "3600")),
        "PRINT_LEASE_SECONDS": float(env.get("FORUMAPP_PRINT_LEASE_SECONDS", "60")),
        "PRINT_SWEEP_SECONDS": float(env.get("FORUMAPP_PRINT_SWEEP_SECONDS", "30")),
        "PRINTS_MAX_AGE_DAYS": float(env.get("FORUMAPP_PRINTS_MAX_AGE_DAYS", "7")),
        "OUTBOX_SWEEP_SECONDS": float(env.get("FORUMAPP_OUTBOX_SWEEP_SECONDS", "60")),
        # Webhooks (forumapp.api.webhooks): posted only to public https addresses unless told.
        "WEBHOOKS_REQUIRE_HTTPS": env.get("FORUMAPP_WEBHOOKS_REQUIRE_HTTPS", "1") != "0",
        "WEBHOOKS_ALLOW_PRIVATE": env.get("FORUMAPP_WEBHOOKS_ALLOW_PRIVATE", "0") == "1",
        "WEBHOOK_SWEEP_SECONDS": float(env.get("FORUMAPP_WEBHOOK_SWEEP_SECONDS", "120")),
        "SMTP_TIMEOUT": float(env.get("FORUMAPP_SMTP_TIMEOUT", "20")),
        "SMTP_URL": env.get("FORUMAPP_SMTP_URL", ""),
        "MAIL_FROM": env.get("FORUMAPP_MAIL_FROM", "forumapp@localhost"),
        "PUBLIC_URL": env.get("FORUMAPP_PUBLIC_URL", ""),
        "ALLOWED_HOSTS": [h for h in env.get("FORUMAPP_ALLOWED_HOSTS", "").split(",") if h.strip()],
        "ENVIRONMENT": env.get("FORUMAPP_ENV", ""),
        "SECURE_COOKIES": _flag(env.get("FORUMAPP_SECURE_COOKIES")),
        "HSTS_SECONDS": _number(env.get("FORUMAPP_HSTS_SECONDS")),
        # A connection the database dropped (restart, idle timeout) is replaced before use
        # instead of failing the request that drew it from the pool.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REGISTRATION_LOCK": env.get("FORUMAPP_REGISTRATION_LOCK", "1") != "0",
        "RATELIMIT_STORAGE_URI": env.get("FORUMAPP_REDIS_URL", "memory://"),
        # Redis unreachable: keep serving, counting in memory meanwhile (and log it).
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "AWARDS_DESIGN_SECONDS": float(env.get("FORUMAPP_DESIGN_SECONDS", "10")),
        "AWARDS_DESIGN_MEMORY_MB": int(env.get("FORUMAPP_DESIGN_MEMORY_MB", "1024")),
        "AWARDS_DESIGN_PDF_KB_PER_PAGE": int(env.get("FORUMAPP_DESIGN_PDF_KB_PER_PAGE", "4096")),
        "RATELIMIT_RENDERS": env.get("FORUMAPP_RATELIMIT_RENDERS", "20 per minute;300 per hour"),
        "RATELIMIT_VERIFY": env.get("FORUMAPP_RATELIMIT_VERIFY", "30 per minute"),
        "RATELIMIT_API": env.get("FORUMAPP_RATELIMIT_API", "120 per minute;3000 per hour"),
        # Public pages and exports from a cache (forumapp.caching); Redis when it is configured.
        "PAGE_CACHE": env.get("FORUMAPP_PAGE_CACHE", "1") != "0",
        "PAGE_CACHE_REDIS_URL": env.get("FORUMAPP_REDIS_URL", ""),
        "PAGE_CACHE_MAX_BYTES": int(env.get("FORUMAPP_PAGE_CACHE_MB", "64") or 64) * 1024 * 1024,
        # Programme PDFs rendered by a background task after each change (forumapp.caching.pdfs):
        # unset = on when a broker is configured.
        "PDF_PRERENDER": _flag(env.get("FORUMAPP_PDF_PRERENDER")),
        "PDF_PRERENDER_DELAY": float(env.get("FORUMAPP_PDF_PRERENDER_DELAY", "5") or 5),
        "PAGE_CACHE_LOCAL_MAX_BYTES": int(env.get("FORUMAPP_PAGE_CACHE_LOCAL_MB", "32") or 0) * 1024 * 1024,
        "PAGE_CACHE_TTL": int(env.get("FORUMAPP_PAGE_CACHE_TTL", "86400") or 86400),
        "PROXY_MAX_AGE": int(env.get("FORUMAPP_PROXY_MAX_AGE", "30") or 30),
        "TRUSTED_PROXIES": int(env.get("FORUMAPP_TRUSTED_PROXIES", "0") or 0),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "ru",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Almaty",
        "LANGUAGES": ["kk", "ru", "en"],
        "WTF_CSRF_TIME_LIMIT": None,
    }
