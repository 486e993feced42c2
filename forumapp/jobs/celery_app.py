"""The Celery app of a Flask app: configured from its config, every task run in its app context.

Tasks are acknowledged late and rejected (so delivered again) when the process running them is
lost: work is lost only if it was never started. One message at a time per worker thread
(prefetch 1), so a long print batch does not hold back messages another worker could run.

Workers run with the threads pool (`--pool threads`): the CPU-heavy part of printing already runs
in the render processes of forumapp.documents.batch, which a prefork child may not start (it is
daemonic, and its process key cannot be passed to a forkserver).
"""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask


def init_celery(app: Flask) -> Celery:
    from forumapp.extensions import db

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                try:
                    return self.run(*args, **kwargs)
                finally:
                    db.session.remove()

    broker = app.config.get("BROKER_URL") or "memory://"
    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=broker,
        result_backend=None,  # results live in the database rows (jobs, outbox), not in Redis
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="forumapp",
        broker_connection_retry_on_startup=True,
        # An unacknowledged message (its worker was killed) is delivered again after this long.
        # It must exceed the longest task; print jobs also have their own lease (awards.jobs).
        broker_transport_options={"visibility_timeout": app.config.get("BROKER_VISIBILITY_TIMEOUT", 3600)},
        beat_schedule=_beat_schedule(app),
        timezone="UTC",
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def _beat_schedule(app: Flask) -> dict:
    from forumapp.jobs.dispatch import PERIODIC

    return {
        name: {"task": name, "schedule": float(app.config.get(setting, default))}
        for name, (setting, default) in PERIODIC.items()
    }
