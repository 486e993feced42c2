"""Background work: Celery tasks when a broker is configured, a thread of the web process when not.

Why two ways: a deployment on several hosts runs `celery -A forumapp.jobs.worker worker` (and
`beat`) beside the web processes, with Redis as broker (FORUMAPP_BROKER_URL); the embedded default
(`scripts/run.sh`) needs no extra service, so the very same task functions then run in a small
thread pool of the web process, never inside the request. Task functions take plain ids, find
their rows again, and are idempotent: a task delivered twice (acks_late, a killed worker) does
its work once.

    from forumapp.jobs import background_task, enqueue, TryAgain

    @background_task("forumapp.example")
    def example(row_id: int) -> None: ...

    enqueue(example, row.id)          # after the commit that made the row
"""

from forumapp.jobs.dispatch import TryAgain, background_task, enqueue, periodic  # noqa: F401
