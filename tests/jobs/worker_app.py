"""The app a test's Celery worker runs: forumapp.jobs.worker's, with the test's settings.

    celery -A tests.jobs.worker_app:celery worker   (FORUMAPP_TEST_WORKER_CONFIG: JSON of overrides)
"""

import json
import os

from forumapp import create_app

app = create_app(json.loads(os.environ.get("FORUMAPP_TEST_WORKER_CONFIG", "{}")))
celery = app.extensions["celery"]
