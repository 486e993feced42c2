"""Configuration from the environment, with an embedded default that needs nothing installed.

FORUMAPP_DATABASE_URL   database (default: SQLite file in instance/)
FORUMAPP_SECRET_KEY     signing key (default: generated once, kept in instance/secret_key)
FORUMAPP_MEDIA_DIR      uploaded files (default: instance/media)
FORUMAPP_SMTP_URL       outgoing mail, e.g. smtp://user:pass@host:587 (default: the in-app outbox)
FORUMAPP_REDIS_URL      rate limits and page cache shared by all workers, e.g. redis://127.0.0.1:6379
                        (default: in memory, per worker process)
FORUMAPP_TRUSTED_PROXIES  how many reverse proxies (nginx, a load balancer) stand in front of the
                        app and set X-Forwarded-For/-Proto/-Host (default: 0, headers ignored)
FORUMAPP_MAIL_FROM      sender address of e-mails (default: forumapp@localhost)
FORUMAPP_PUBLIC_URL     the site's address for links in e-mails sent outside a request
FORUMAPP_PAGE_CACHE=0    renders every public page and export afresh (benchmark baseline)
FORUMAPP_PAGE_CACHE_MB  size bound of the page cache in process memory (default 64; with Redis,
                        entries larger than a quarter of it are not kept)
FORUMAPP_PAGE_CACHE_TTL seconds a page stays in Redis (default 86400)
FORUMAPP_PROXY_MAX_AGE  seconds a reverse proxy may hold a public page (default 30)
FORUMAPP_REGISTRATION_LOCK=0  switches off the registration lock (benchmark baseline only)
"""

import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    key = os.environ.get("FORUMAPP_SECRET_KEY")
    if key:
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load_config(instance_path: str) -> dict:
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    media_dir = Path(os.environ.get("FORUMAPP_MEDIA_DIR", instance / "media"))
    media_dir.mkdir(parents=True, exist_ok=True)
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "FORUMAPP_DATABASE_URL", f"sqlite:///{instance / 'forumapp.sqlite3'}"
        ),
        "SECRET_KEY": _secret_key(instance),
        "MEDIA_DIR": str(media_dir),
        "SMTP_URL": os.environ.get("FORUMAPP_SMTP_URL", ""),
        "MAIL_FROM": os.environ.get("FORUMAPP_MAIL_FROM", "forumapp@localhost"),
        "PUBLIC_BASE_URL": os.environ.get("FORUMAPP_PUBLIC_URL", ""),
        "REGISTRATION_LOCK": os.environ.get("FORUMAPP_REGISTRATION_LOCK", "1") != "0",
        "RATELIMIT_STORAGE_URI": os.environ.get("FORUMAPP_REDIS_URL", "memory://"),
        # Redis unreachable: keep serving, counting in memory meanwhile (and log it).
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Public pages and exports from a cache (forumapp.caching); Redis when it is configured.
        "PAGE_CACHE": os.environ.get("FORUMAPP_PAGE_CACHE", "1") != "0",
        "PAGE_CACHE_REDIS_URL": os.environ.get("FORUMAPP_REDIS_URL", ""),
        "PAGE_CACHE_MAX_BYTES": int(os.environ.get("FORUMAPP_PAGE_CACHE_MB", "64") or 64) * 1024 * 1024,
        "PAGE_CACHE_TTL": int(os.environ.get("FORUMAPP_PAGE_CACHE_TTL", "86400") or 86400),
        "PROXY_MAX_AGE": int(os.environ.get("FORUMAPP_PROXY_MAX_AGE", "30") or 30),
        "TRUSTED_PROXIES": int(os.environ.get("FORUMAPP_TRUSTED_PROXIES", "0") or 0),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "ru",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Almaty",
        "LANGUAGES": ["kk", "ru", "en"],
        "WTF_CSRF_TIME_LIMIT": None,
    }
