"""gunicorn settings for forumapp behind nginx: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be changed from the environment without editing this file (GUNICORN_* below,
or gunicorn's own GUNICORN_CMD_ARGS). See docs/DEPLOY.md.
"""

import multiprocessing
import os

# nginx on the same host talks to 127.0.0.1; on another host set GUNICORN_BIND=0.0.0.0:8000
# (and let only the load balancer reach that port).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threads, not only processes: requests mostly wait on PostgreSQL. Each worker process holds its
# own pool of database connections (SQLAlchemy: up to 5 + 10 overflow), so workers x hosts x 15
# must stay under PostgreSQL's max_connections.
workers = int(os.environ.get("GUNICORN_WORKERS", min(4, multiprocessing.cpu_count() * 2)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# PDFs of a few hundred pages are made by the Celery worker, not here; a request that takes
# longer than this is stuck and its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5  # nginx keeps upstream connections open (docs/DEPLOY.md: keepalive)

# Replace workers now and then, so a slow leak (fonts, image caches) cannot grow forever; the
# jitter keeps them from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200

# Each worker builds the app itself (no --preload): database pools and S3 clients are never
# shared across a fork, and a new release is picked up by `kill -HUP` without a full restart.
preload_app = False

# The app writes one line per request itself (forumapp.requests: id, method, path, status,
# time); gunicorn's access log would repeat it. Errors and worker lifecycle go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Do not believe X-Forwarded-* here: forumapp's ProxyFix does, for FORUMAPP_TRUSTED_PROXIES hops.
forwarded_allow_ips = "127.0.0.1"
# Request line and headers: generous but bounded.
limit_request_line = 8190
limit_request_fields = 100
