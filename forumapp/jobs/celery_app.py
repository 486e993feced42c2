"""The Celery app of a Flask app: configured from its config, every task run in its app context.

Tasks are acknowledged late and rejected (so delivered again) when the process running them is
lost: work is lost only if it was never started. A few messages are prefetched per worker thread (they are
acknowledged only when done, so a killed worker's prefetched messages are delivered again).

Workers run with the threads pool (`--pool threads`): the CPU-heavy part of printing already runs
in the render processes of forumapp.documents.batch, which a prefork child may not start (it is
daemonic, and its process key cannot be passed to a forkserver).
"""

from __future__ import annotations

from celery import Celery, Task, bootsteps
from celery.concurrency.thread import TaskPool as ThreadTaskPool
from flask import Flask

# How often the worker's event loop looks at the acknowledgements its threads have left for it.
ACK_WAKE_SECONDS = 0.05


class WakeForAcknowledgements(bootsteps.StartStopStep):
    """With `--pool threads` a finished task's acknowledgement is handed to the event loop
    (`hub.call_soon`), which runs it only when it next wakes up: while all prefetched messages are
    unacknowledged the loop does not read the broker, so it sleeps up to its 1-2 s poll timeout.
    A worker sending mail then did 8 messages, waited about 2 s, did 8 more (celery/celery#6941).
    A short repeating timer bounds that wait."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, consumer, **kwargs):
        self.timer = None

    def start(self, consumer):
        if consumer.hub is not None and isinstance(consumer.pool, ThreadTaskPool):
            self.timer = consumer.hub.call_repeatedly(ACK_WAKE_SECONDS, _nothing)

    def stop(self, consumer):
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


def _nothing() -> None:
    """A timer's callback: waking the loop is the point."""


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
        # A few messages per worker thread, so that a thread finds the next one at hand.
        worker_prefetch_multiplier=4,
        task_default_queue="forumapp",
        broker_connection_retry_on_startup=True,
        # An unacknowledged message (its worker was killed) is delivered again after this long.
        # It must exceed the longest task; print jobs also have their own lease (awards.jobs).
        broker_transport_options={"visibility_timeout": app.config.get("BROKER_VISIBILITY_TIMEOUT", 3600),
                                  "polling_interval": 0.2},
        beat_schedule=_beat_schedule(app),
        timezone="UTC",
    )
    celery.steps["consumer"].add(WakeForAcknowledgements)
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def _beat_schedule(app: Flask) -> dict:
    from forumapp.jobs.dispatch import PERIODIC

    return {
        name: {"task": name, "schedule": float(app.config.get(setting, default))}
        for name, (setting, default) in PERIODIC.items()
    }
