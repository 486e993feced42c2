"""What an organiser would have set up before the forum: an administrator, a published forum
with open registration, and a fashion show with a collection. Run once against the cluster's
database (`python -m tests.deploy.seed`); prints what the tests need as JSON."""

from __future__ import annotations

import json
from datetime import timedelta

from forumapp import create_app
from forumapp.extensions import db
from forumapp.registration import services
from forumapp.timeutil import utcnow
from tests.conftest import make_user
from tests.shows.test_public_show_pages import published_show

ADMIN_EMAIL, ADMIN_PASSWORD = "organiser@example.kz", "correct horse battery"

if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        make_user(ADMIN_EMAIL, ADMIN_PASSWORD, admin=True)
        event, item, evening, _run = published_show()
        # The show's forum took place in 2016; registration (closed by default once an event is
        # over) is kept open by the organisers for the cluster's visitors.
        services.settings_for(event).closes_at = utcnow() + timedelta(days=365)
        db.session.commit()
        print(json.dumps({"event": event.slug, "collection": evening.id, "show": item.id}))
