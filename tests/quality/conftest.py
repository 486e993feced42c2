"""The demo forum with every area filled in, and who looks at it."""

from __future__ import annotations

import pytest

from forumapp.extensions import db
from tests.conftest import login, make_user

DEMO = "light-industry-forum-2016"


@pytest.fixture
def demo_forum(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    from datetime import timedelta

    from forumapp.programme.models import Event
    from forumapp.registration import services
    from forumapp.registration.models import Registration
    from forumapp.timeutil import utcnow

    # The demo event is over, so its registration is closed by default; the organisers reopen it
    # here so that the form (and its field errors) are checked too.
    event = db.session.scalar(db.select(Event).filter_by(slug=DEMO))
    services.settings_for(event).closes_at = utcnow() + timedelta(days=30)
    db.session.commit()
    return {"slug": DEMO, "registration": db.session.scalars(db.select(Registration)).first()}


@pytest.fixture
def organiser_client(app, demo_forum):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    make_user("quality@example.kz", admin=True)
    assert login(client, "quality@example.kz").status_code == 302
    return client
