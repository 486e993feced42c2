"""Configuration from the environment, with an embedded default that needs nothing installed.

FORUMAPP_DATABASE_URL   database (default: SQLite file in instance/)
FORUMAPP_SECRET_KEY     signing key (default: generated once, kept in instance/secret_key)
FORUMAPP_MEDIA_DIR      uploaded files (default: instance/media)
FORUMAPP_SMTP_URL       outgoing mail, e.g. smtp://user:pass@host:587 (default: the in-app outbox)
FORUMAPP_REDIS_URL      rate-limit storage shared by all workers, e.g. redis://127.0.0.1:6379
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
FORUMAPP_REGISTRATION_LOCK=0  switches off the registration lock (benchmark baseline only)
FORUMAPP_DESIGN_SECONDS, FORUMAPP_DESIGN_MEMORY_MB, FORUMAPP_DESIGN_PDF_KB_PER_PAGE
                        limits on rendering an organiser's own certificate design (default 10 s
                        wall-clock and CPU per certificate document, 1024 MB, 4096 kB a page)
FORUMAPP_RATELIMIT_RENDERS  how often one address may ask for a public PDF, calendar or other
                        rendered file (default "20 per minute;300 per hour")
FORUMAPP_RATELIMIT_VERIFY  how often one address may open certificate verification pages
                        (default "30 per minute")
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


def _flag(value: str | None) -> bool | None:
    """1/0, true/false, yes/no; None when unset (the default is decided from the public URL)."""
    if value is None or not value.strip():
        return None
    return value.strip().lower() in ("1", "true", "yes", "on")


def _number(value: str | None) -> int | None:
    return int(value) if value and value.strip() else None


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
        "PUBLIC_URL": os.environ.get("FORUMAPP_PUBLIC_URL", ""),
        "ALLOWED_HOSTS": [h for h in os.environ.get("FORUMAPP_ALLOWED_HOSTS", "").split(",") if h.strip()],
        "ENVIRONMENT": os.environ.get("FORUMAPP_ENV", ""),
        "SECURE_COOKIES": _flag(os.environ.get("FORUMAPP_SECURE_COOKIES")),
        "HSTS_SECONDS": _number(os.environ.get("FORUMAPP_HSTS_SECONDS")),
        # A connection the database dropped (restart, idle timeout) is replaced before use
        # instead of failing the request that drew it from the pool.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REGISTRATION_LOCK": os.environ.get("FORUMAPP_REGISTRATION_LOCK", "1") != "0",
        "RATELIMIT_STORAGE_URI": os.environ.get("FORUMAPP_REDIS_URL", "memory://"),
        # Redis unreachable: keep serving, counting in memory meanwhile (and log it).
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "AWARDS_DESIGN_SECONDS": float(os.environ.get("FORUMAPP_DESIGN_SECONDS", "10")),
        "AWARDS_DESIGN_MEMORY_MB": int(os.environ.get("FORUMAPP_DESIGN_MEMORY_MB", "1024")),
        "AWARDS_DESIGN_PDF_KB_PER_PAGE": int(os.environ.get("FORUMAPP_DESIGN_PDF_KB_PER_PAGE", "4096")),
        "RATELIMIT_RENDERS": os.environ.get("FORUMAPP_RATELIMIT_RENDERS", "20 per minute;300 per hour"),
        "RATELIMIT_VERIFY": os.environ.get("FORUMAPP_RATELIMIT_VERIFY", "30 per minute"),
        "TRUSTED_PROXIES": int(os.environ.get("FORUMAPP_TRUSTED_PROXIES", "0") or 0),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "ru",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Almaty",
        "LANGUAGES": ["kk", "ru", "en"],
        "WTF_CSRF_TIME_LIMIT": None,
    }
