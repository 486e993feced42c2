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


def test_an_edit_has_the_programme_pdf_rendered_in_every_language_before_anyone_asks(app, visitor, small_forum):
    """With pre-rendering on (as with a broker), the commit of an organiser's edit enqueues the
    task for the new version; visitors then get the task's PDFs from the cache."""
    event = small_forum["event"]
    store = app.extensions["page_cache"]
    app.config["PDF_PRERENDER"] = True
    try:
        store.clear()
        small_forum["items"][0].title = {"ru": "Пленарное заседание: новое время"}
        db.session.commit()  # JOBS_EAGER: the task runs here, after the commit
    finally:
        app.config["PDF_PRERENDER"] = None
    pdfs = [entry for entry in store._entries.values() if entry.body.startswith(b"%PDF")]
    assert len(pdfs) == 3  # kk, ru, en
    for lang in ("kk", "ru", "en"):
        visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
        assert visitor.get(f"/e/{event.slug}/programme.pdf").data in {entry.body for entry in pdfs}
    assert len(store._entries) == 3  # every visitor was served a task's copy


def test_without_a_broker_an_edit_renders_nothing_ahead(app, small_forum):
    store = app.extensions["page_cache"]
    store.clear()
    small_forum["items"][0].title = {"ru": "Другое"}
    db.session.commit()
    assert not store._entries


def test_a_rolled_back_change_enqueues_nothing(app, small_forum, monkeypatch):
    from forumapp.caching import pdfs

    calls = []
    monkeypatch.setattr(pdfs, "enqueue", lambda *args, **kwargs: calls.append(args))
    app.config["PDF_PRERENDER"] = True
    try:
        small_forum["items"][0].title = {"ru": "Откат"}
        db.session.flush()
        db.session.rollback()
        db.session.commit()
    finally:
        app.config["PDF_PRERENDER"] = None
    assert calls == []
