"""caching.pdfs.render: a background task puts the programme PDF in the cache before the crowd."""

from forumapp.caching.pdfs import render
from forumapp.caching.versions import current_version, event_scope
from forumapp.extensions import db


def test_a_task_renders_the_pdf_that_visitors_then_get_from_the_cache(app, visitor, small_forum):
    event = small_forum["event"]
    version = current_version(event_scope(event.id)).token
    store = app.extensions["page_cache"]
    store.clear()
    assert render(event.id, version, "kk")
    (entry,) = store._entries.values()
    assert entry.body.startswith(b"%PDF")
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "kk"
    response = visitor.get(f"/e/{event.slug}/programme.pdf")
    assert response.headers["ETag"] == f'"{entry.etag}"' and response.data == entry.body
    assert len(store._entries) == 1  # served from the task's entry, not rendered again


def test_a_task_for_an_older_version_does_nothing(app, small_forum):
    event = small_forum["event"]
    stale = current_version(event_scope(event.id)).token
    small_forum["items"][0].title = {"ru": "Новое"}
    db.session.commit()
    assert not render(event.id, stale, "kk")
