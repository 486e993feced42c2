"""Cached public pages asked for again are answered before Flask (forumapp.caching.replay): the
same bytes and headers, after one statement has confirmed the data version, and never for a
personal request."""

import pytest
import sqlalchemy as sa

from forumapp.extensions import db

PAGES = ["/e/test-forum/", "/e/test-forum/programme", "/e/test-forum/schedule.json", "/e/test-forum/programme.ics",
         "/e/test-forum/programme.pdf"]


@pytest.fixture
def statements(app):
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.parametrize("path", PAGES)
def test_a_page_asked_again_is_the_same_response_for_one_version_check(visitor, small_forum, statements, path):
    visitor.get(path)  # rendered and kept
    through_flask = visitor.get(path)  # from the page cache, through Flask: remembered
    statements.clear()
    again = visitor.get(path)
    assert len(statements) == 1 and "FROM public_data_version" in statements[0], statements
    assert again.status_code == 200 and again.data == through_flask.data
    assert again.headers["Content-Security-Policy"] == through_flask.headers["Content-Security-Policy"]
    for name in ("ETag", "Last-Modified", "Cache-Control", "Vary", "Content-Type", "X-Frame-Options"):
        assert again.headers[name] == through_flask.headers[name], name
    assert again.headers["X-Request-ID"] != through_flask.headers["X-Request-ID"]  # each request its own
    not_modified = visitor.get(path, headers={"If-None-Match": again.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.data == b"" and "Content-Type" not in not_modified.headers
    head = visitor.head(path)
    assert head.status_code == 200 and head.data == b""


def test_the_request_after_an_edit_gets_the_new_page(visitor, small_forum):
    for _ in range(3):
        visitor.get("/e/test-forum/programme")
    small_forum["items"][0].title = {"ru": "Открытие, новое время", "en": "Opening at a new time"}
    db.session.commit()
    assert "Opening at a new time" in visitor.get("/e/test-forum/programme").get_data(as_text=True)


def test_each_language_and_host_is_its_own(visitor, small_forum):
    for _ in range(2):
        en = visitor.get("/e/test-forum/programme").get_data(as_text=True)
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "kk"
    for _ in range(2):
        kk = visitor.get("/e/test-forum/programme").get_data(as_text=True)
    assert 'lang="en"' in en and 'lang="kk"' in kk


def test_signed_in_and_personal_requests_are_never_answered_from_it(admin_client, visitor, small_forum, statements):
    # Everything else as the organiser's browser has it: the same language, header and cookie.
    admin_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = visitor.environ_base["HTTP_ACCEPT_LANGUAGE"]
    visitor.set_cookie("lang", "en", domain=visitor.application.config.get("SERVER_NAME") or "localhost")
    for _ in range(2):
        visitor.get("/e/test-forum/")
    mine = admin_client.get("/e/test-forum/").get_data(as_text=True)
    assert "Sign out" in mine  # the organiser's own page, not the visitor's
    statements.clear()
    chosen = visitor.get("/e/test-forum/?lang=kk")  # sets the language cookie: through Flask
    assert 'lang="kk"' in chosen.get_data(as_text=True) and "Set-Cookie" in chosen.headers
    assert len(statements) > 1


def test_an_item_pages_free_places_are_checked_again(visitor, small_forum, statements):
    """Its key has the item's free places beside the version (registrations never bump it):
    replayed only while they are the same."""
    item = small_forum["items"][0]
    item.takes_signups, item.capacity = True, 1
    db.session.commit()
    path = f"/e/test-forum/items/{item.id}"
    for _ in range(2):
        before = visitor.get(path).get_data(as_text=True)
    statements.clear()
    assert visitor.get(path).get_data(as_text=True) == before
    assert not any("FROM event" in s for s in statements)  # answered before Flask
    from forumapp.registration.models import ItemSignup, Registration
    from forumapp.timeutil import utcnow

    registration = Registration(event_id=item.event_id, token="t" * 32, full_name="Гүлмира Уақытова",
                                email="g@example.kz", status="confirmed", locale="kk", consent_at=utcnow())
    db.session.add(registration)
    db.session.flush()
    db.session.add(ItemSignup(registration_id=registration.id, item_id=item.id, status="confirmed"))
    db.session.commit()
    assert visitor.get(path).get_data(as_text=True) != before  # the place is taken now
