"""Entry point of the Celery worker and beat:

    celery -A forumapp.jobs.worker:celery worker --pool threads --concurrency 2 --loglevel=INFO
    celery -A forumapp.jobs.worker:celery beat --loglevel=INFO

The Flask app is created here (configuration from the environment, as for the web processes),
so every task finds the same database, storage and settings.
"""

from forumapp import create_app

app = create_app()
celery = app.extensions["celery"]
