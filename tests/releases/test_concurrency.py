"""Two organisers releasing at the same moment never e-mail a participant twice (PostgreSQL).

First a control: with the lock switched off and a barrier holding both releases between
computing the changes and writing them, both find the same changes and each e-mails everyone.
Then the same race with the lock: the second release waits, compares against the first, finds
nothing new, and every participant gets one e-mail."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from forumapp.extensions import db
from forumapp.programme.models import Event
from forumapp.registration.models import OutgoingMessage
from forumapp.releases import services
from tests.conftest import ON_POSTGRES
from tests.registration.checkin_factories import make_registration, sign_up
from tests.releases.conftest import move

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="row locks and real concurrency need PostgreSQL")


@pytest.fixture
def no_lock(app):
    app.config["RELEASE_LOCK"] = False
    yield
    app.config["RELEASE_LOCK"] = True


@pytest.fixture(autouse=True)
def _no_hook():
    yield
    services.after_diff_hook = None


def race(app, event_id: int, names: list[str]) -> list:
    start = threading.Barrier(len(names))

    def one(name: str):
        with app.app_context():
            try:
                event = db.session.get(Event, event_id)
                db.session.commit()
                start.wait(timeout=30)
                return services.release(event, name, "").notified
            except Exception as exc:  # noqa: BLE001 - reported to the test
                return exc
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        return list(pool.map(one, names))


def changed_forum(small_forum) -> int:
    event, opening = small_forum["event"], small_forum["items"][0]
    for n in range(3):
        sign_up(make_registration(event, f"Қатысушы {n}", email=f"p{n}@example.kz"), opening)
    services.release(event, "1.0", "")
    move(opening)
    return event.id


def mails() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(OutgoingMessage.id)).filter_by(kind="schedule_changed"))


def test_control_without_the_lock_two_releases_email_everyone_twice(app, small_forum, no_lock):
    event_id = changed_forum(small_forum)
    both_computed = threading.Barrier(2)
    services.after_diff_hook = lambda: both_computed.wait(timeout=30)
    assert race(app, event_id, ["1.1", "1.1-final"]) == [3, 3]
    assert mails() == 6


def test_with_the_lock_the_second_release_finds_nothing_new_to_email(app, small_forum):
    event_id = changed_forum(small_forum)
    # The hook cannot hold both releases (the second waits for the lock before it): a pause
    # in the first gives the second every chance to overtake it.
    services.after_diff_hook = lambda: threading.Event().wait(0.5)
    assert sorted(race(app, event_id, ["1.1", "1.1-final"])) == [0, 3]
    assert mails() == 3
