"""Entry point of the Celery worker and beat:

    celery -A forumapp.jobs.worker worker --loglevel=INFO
    celery -A forumapp.jobs.worker beat --loglevel=INFO

The Flask app is created here (configuration from the environment, as for the web processes),
so every task finds the same database, storage and settings.
"""

from forumapp import create_app

app = create_app()
celery = app.extensions["celery"]
