"""A published forum to release versions of (the programme tests' small forum), and helpers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forumapp.extensions import db
from forumapp.releases.models import ScheduleRelease
from tests.conftest import csrf_token
from tests.programme.conftest import small_forum  # noqa: F401 (a fixture used here)

HOSTILE = "\"'><img src=x>"
RELEASES = "/manage/e/test-forum/releases"


def release_through_page(client, name: str, changelog: str = "", *, seen_version=None):
    """What an organiser does: open the page (it shows the changes), then confirm."""
    page = client.get(RELEASES).get_data(as_text=True)
    seen = re.search(r'name="seen_version" type="hidden" value="(\d+)"', page) or re.search(
        r'name="seen_version" value="(\d+)"', page)
    data = {"csrf_token": csrf_token(client, RELEASES), "name": name, "changelog": changelog,
            "seen_version": seen_version if seen_version is not None else (seen.group(1) if seen else "")}
    return client.post(RELEASES, data=data)


def move(item, hours=1, hall_id=None):
    item.starts_at += timedelta(hours=hours)
    item.ends_at += timedelta(hours=hours)
    if hall_id is not None:
        item.hall_id = hall_id
    db.session.commit()


def release_names(event) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(
        db.select(ScheduleRelease.name).filter_by(event_id=event.id).order_by(ScheduleRelease.id)))


@pytest.fixture
def visitor(app):
    """An anonymous browser beside the signed-in organiser (`client` is the organiser's)."""
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser
