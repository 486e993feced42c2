"""What the log says at start about settings that only hold for one process."""

from __future__ import annotations

import logging
import sys

log = logging.getLogger("forumapp.startup")


def configure_logging() -> None:
    """Under gunicorn or `flask run` nothing configures Python's logging for our loggers: give
    the `forumapp` loggers a handler on stderr at INFO (the request lines), unless the host
    application configured logging itself."""
    package = logging.getLogger("forumapp")
    if package.handlers or logging.getLogger().handlers:
        if package.level == logging.NOTSET:
            package.setLevel(logging.INFO)
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    package.addHandler(handler)
    package.setLevel(logging.INFO)


def warn_about_single_process_settings(app) -> None:
    config = app.config
    if config.get("RATELIMIT_ENABLED", True) and str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        log.warning(
            "Rate limits are counted in this process's memory: with several workers or hosts each "
            "counts on its own, so a visitor gets the limit once per process. Set "
            "FORUMAPP_REDIS_URL (e.g. redis://127.0.0.1:6379/0) to share them."
        )
