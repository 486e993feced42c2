"""Shared fixtures: an app on a real database (SQLite, or PostgreSQL when
FORUMAPP_TEST_DATABASE_URL is set), a test client, a CLI runner and small factories."""

from __future__ import annotations

import functools
import os
import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa

os.environ.setdefault("FORUMAPP_SECRET_KEY", "test-secret-key-not-for-production")
# Apps made by tests on PostgreSQL are not production (which would require FORUMAPP_PUBLIC_URL).
os.environ.setdefault("FORUMAPP_ENV", "test")

from forumapp import create_app  # noqa: E402
from forumapp.extensions import db  # noqa: E402

TEST_DATABASE_URL = os.environ.get("FORUMAPP_TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")


def _database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        # psycopg 3 is the driver; accept plain postgresql:// URLs.
        return re.sub(r"^postgresql(\+psycopg)?://", "postgresql+psycopg://", TEST_DATABASE_URL)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "STORAGE_DIR": str(tmp_path_factory.mktemp("storage")),
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "forum.test",
            # Background tasks run at once in the caller (after its commit), unless a test sets
            # JOBS_EAGER False for the thread of the embedded default or starts a Celery worker.
            "JOBS_EAGER": True,
            "BROKER_URL": "",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _no_periodic_thread_left_behind():
    """An app made without TESTING starts the embedded default's periodic thread with its first
    request, and that thread outlives the test: on a database the test has taken away it logs a
    failure every half minute for the rest of the run, and formatting those tracebacks (which
    uses `ast` in Python 3.11) beside another thread's `ast` use raised a SystemError in an
    unrelated test (CPython gh-106905). Such an app must set JOBS_LOCAL_PERIODIC False."""
    import threading

    before = {thread.ident for thread in threading.enumerate() if thread.name == "forumapp-periodic"}
    yield
    left = [t for t in threading.enumerate() if t.name == "forumapp-periodic" and t.ident not in before]
    assert not left, "this test started the periodic thread of the embedded default; set JOBS_LOCAL_PERIODIC False"


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Each test starts with empty tables and an app context."""
    app.config["JOBS_EAGER"] = True
    with app.app_context():
        yield
        db.session.remove()
        with db.engine.begin() as conn:
            # DELETE, children first, not TRUNCATE: truncating the 40 tables took 150 ms per
            # test on PostgreSQL (a new file for each), deleting a test's few rows 10 ms. The
            # ids start again at 1, as after TRUNCATE ... RESTART IDENTITY (and on SQLite).
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
            if ON_POSTGRES and (restart := _restart_sequences(conn)) is not None:
                conn.execute(restart)
        # The page cache is keyed by each event's data version, which starts again with the
        # emptied tables: pages kept from an earlier test must not answer this one's.
        app.extensions["page_cache"].clear()
        app.extensions["page_replay"].clear()


@functools.cache
def _restart_sequences_statement(names: tuple[str, ...]):
    return sa.text("SELECT " + ", ".join(f"setval('\"{name}\"', 1, false)" for name in names))


def _restart_sequences(conn):
    names = tuple(conn.execute(sa.text(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1")).scalars())
    return _restart_sequences_statement(names) if names else None


@pytest.fixture
def client(app):
    """A browser that asks for English unless a test says otherwise (?lang=, a cookie, or its
    own Accept-Language header), so assertions can read the message ids."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def media_bytes(path: str) -> bytes:
    """An uploaded image as stored (in whichever storage the app uses), by its database path."""
    from forumapp.media.images import media_key
    from forumapp.storage import get_storage

    return get_storage().read_bytes(media_key(path))


# ---- factories --------------------------------------------------------------------------


def csrf_token(client, path: str) -> str:
    """The CSRF token from the form on `path`, as a browser would have it."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def make_user(email="organiser@example.kz", password="correct horse battery", *, admin=False):
    from forumapp.accounts.services import create_user

    return create_user(email, password, is_admin=admin)


def login(client, email="organiser@example.kz", password="correct horse battery"):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def make_event(slug="test-forum", status="published", **fields):
    from forumapp.programme.models import Event

    values = {
        "title": {"kk": "Жеңіл өнеркәсіп форумы", "ru": "Форум лёгкой промышленности", "en": "Light Industry Forum"},
        "starts_on": date(2016, 6, 9),
        "ends_on": date(2016, 6, 10),
        "venue": {"ru": "Дворец Республики", "en": "Palace of the Republic"},
        "city": {"kk": "Алматы", "ru": "Алматы", "en": "Almaty"},
        "status": status,
        "code": "TF-2016",
        **fields,
    }
    event = Event(slug=slug, **values)
    db.session.add(event)
    db.session.commit()
    return event


def make_item(event, title="Пленарное заседание", *, start="10:00", end="11:00", day=None, **fields):
    from forumapp.programme.models import ProgrammeItem
    from forumapp.timeutil import to_utc

    day = day or event.starts_on
    starts = to_utc(datetime.combine(day, datetime.strptime(start, "%H:%M").time()), event.timezone)
    ends = to_utc(datetime.combine(day, datetime.strptime(end, "%H:%M").time()), event.timezone)
    values = {"kind": "plenary", "status": "published", **fields}
    item = ProgrammeItem(event=event, title={"ru": title}, starts_at=starts, ends_at=ends, **values)
    db.session.add(item)
    db.session.commit()
    return item


@pytest.fixture
def organiser(app):
    """A site administrator, signed in through the login form."""
    return make_user(admin=True)


@pytest.fixture
def admin_client(client, organiser):
    """A signed-in site administrator who reads English (messages in assertions are English)."""
    client.get("/?lang=en")
    response = login(client)
    assert response.status_code == 302
    return client
