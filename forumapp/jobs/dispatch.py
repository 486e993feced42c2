"""How a task is run: sent to the Celery broker, or run by a thread of this process.

- FORUMAPP_BROKER_URL set: `enqueue()` publishes a message; a Celery worker runs the task.
- No broker (the embedded default): a small thread pool of the web process runs it, after the
  request's commit and outside the request; periodic tasks run in one daemon thread started by
  the first request.
- JOBS_EAGER (tests only): run at once, in a fresh app context, in the caller.

A task function raises TryAgain(seconds) to be run again later (Celery's retry with countdown,
or a timer in the embedded default); any other exception is logged and, under Celery, the
message is acknowledged (the rows the task works on say what is still to do, and the periodic
sweeps pick that up).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from celery import shared_task
from flask import Flask, current_app

log = logging.getLogger(__name__)

# Periodic tasks: task name -> (config key of the interval in seconds, default interval).
PERIODIC: dict[str, tuple[str, float]] = {}
_PERIODIC_FUNCTIONS: dict[str, Callable[[], object]] = {}
MAX_LOCAL_RETRIES = 8

_local_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="forumapp-job")
_periodic_started: set[int] = set()
_periodic_lock = threading.Lock()


class TryAgain(Exception):  # noqa: N818 - a request, not an error
    """Raised by a task to be run again in `seconds` (the work is not done, nothing is wrong yet)."""

    def __init__(self, seconds: float, reason: str = ""):
        super().__init__(reason or f"try again in {seconds:.0f} s")
        self.seconds = max(0.0, float(seconds))


def background_task(name: str, *, max_retries: int = 20):
    """Make `function(*ids)` a Celery task named `name` (acknowledged late, retried on TryAgain);
    the function itself stays callable directly."""

    def decorator(function: Callable) -> Callable:
        @shared_task(name=name, bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=max_retries)
        def task(self, *args):
            try:
                return function(*args)
            except TryAgain as again:
                raise self.retry(countdown=again.seconds, exc=again) from again

        function.celery_task = task
        function.task_name = name
        return function

    return decorator


def periodic(name: str, setting: str, default_seconds: float):
    """A background task that beat (or the embedded default's timer thread) runs every
    `app.config[setting]` seconds."""

    def decorator(function: Callable) -> Callable:
        PERIODIC[name] = (setting, default_seconds)
        _PERIODIC_FUNCTIONS[name] = function
        return background_task(name)(function)

    return decorator


def broker_configured(app: Flask | None = None) -> bool:
    return bool((app or current_app).config.get("BROKER_URL"))


def enqueue(function: Callable, *args, countdown: float = 0) -> None:
    """Have `function(*args)` run in the background. Call it after the commit that made the rows
    the task reads: a worker may start before this returns."""
    app = current_app._get_current_object()
    if app.config.get("JOBS_EAGER"):
        _run_here(app, function, args, attempt=MAX_LOCAL_RETRIES)
    elif broker_configured(app):
        # Through this app's Celery (its broker), by name: the worker knows the task by its name.
        app.extensions["celery"].send_task(function.task_name, args=args, countdown=countdown or None)
    else:
        _submit_local(app, function, args, countdown, attempt=0)


def _submit_local(app: Flask, function: Callable, args: tuple, countdown: float, attempt: int) -> None:
    if countdown:
        timer = threading.Timer(countdown, _local_pool.submit, (_run_here, app, function, args, attempt))
        timer.daemon = True
        timer.start()
    else:
        _local_pool.submit(_run_here, app, function, args, attempt)


def _run_here(app: Flask, function: Callable, args: tuple, attempt: int) -> None:
    from forumapp.extensions import db

    with app.app_context():
        try:
            function(*args)
        except TryAgain as again:
            if attempt < MAX_LOCAL_RETRIES:
                _submit_local(app, function, args, max(again.seconds, 0.1), attempt + 1)
            else:
                log.warning("%s%r not done after %s attempts: %s", function.task_name, args, attempt + 1, again)
        except Exception:
            log.exception("background task %s%r failed", function.task_name, args)
        finally:
            db.session.remove()


# ---- periodic work in the embedded default -----------------------------------------------------


def start_local_periodic(app: Flask) -> None:
    """Without a broker there is no beat: one daemon thread per process runs the periodic tasks
    (their work is claimed with leases in the database, so several processes may each run it)."""
    if broker_configured(app) or app.config.get("TESTING") or not app.config.get("JOBS_LOCAL_PERIODIC", True):
        return
    with _periodic_lock:
        if id(app) in _periodic_started:
            return
        _periodic_started.add(id(app))
    thread = threading.Thread(target=_periodic_loop, args=(app,), name="forumapp-periodic", daemon=True)
    thread.start()


def _periodic_loop(app: Flask) -> None:
    import time

    due = dict.fromkeys(PERIODIC, 0.0)
    while True:
        now = time.monotonic()
        for name, (setting, default) in PERIODIC.items():
            if now >= due[name]:
                due[name] = now + float(app.config.get(setting, default))
                _run_here(app, _PERIODIC_FUNCTIONS[name], (), attempt=MAX_LOCAL_RETRIES)
        time.sleep(max(1.0, min(due.values()) - time.monotonic()))
