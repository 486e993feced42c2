"""HTTP caching of public pages: validators and 304s, one cache entry per language, nothing
personal ever shared, fingerprinted static files, the cache's own bounds and single flight."""

import re
import threading
import time

import pytest

from forumapp.caching.store import CachedResponse, MemoryStore, RedisStore, get_or_render
from forumapp.extensions import db

PAGES = ["/e/test-forum/", "/e/test-forum/programme", "/e/test-forum/schedule.json", "/e/test-forum/programme.ics",
         "/e/test-forum/programme.pdf"]


@pytest.mark.parametrize("path", PAGES)
def test_conditional_requests_get_304_until_the_data_changes(visitor, small_forum, path):
    first = visitor.get(path)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)  # strong: no W/
    assert "s-maxage=" in first.headers["Cache-Control"] and "Accept-Language" in first.headers["Vary"]
    not_modified = visitor.get(path, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert visitor.get(path, headers={"If-Modified-Since": modified}).status_code == 304

    small_forum["items"][0].title = {"ru": "Открытие, новое время", "en": "Opening at a new time"}
    db.session.commit()
    changed = visitor.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_each_language_gets_its_own_page(visitor, small_forum):
    """kk by Accept-Language, en by ?lang=, ru by cookie: no visitor gets another's language."""
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "kk"
    kk = visitor.get("/e/test-forum/programme").get_data(as_text=True)
    assert 'lang="kk"' in kk and "Үлкен зал" in kk
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    en = visitor.get("/e/test-forum/programme").get_data(as_text=True)
    assert 'lang="en"' in en and "Main hall" in en and "Үлкен зал" not in en
    by_arg = visitor.get("/e/test-forum/programme?lang=kk")
    assert 'lang="kk"' in by_arg.get_data(as_text=True)
    assert "private" in by_arg.headers["Cache-Control"]  # it sets the language cookie
    # The host the client talks to (the browser tests' live server unsets SERVER_NAME for the session).
    visitor.set_cookie("lang", "ru", domain=visitor.application.config.get("SERVER_NAME") or "localhost")
    ru = visitor.get("/e/test-forum/schedule.json").get_data(as_text=True)
    assert "Большой зал" in ru and "Main hall" not in ru


def test_an_organisers_page_is_never_kept_nor_shared(admin_client, visitor, small_forum):
    visitor.get("/e/test-forum/")  # an anonymous copy is in the cache
    mine = admin_client.get("/e/test-forum/")
    page = mine.get_data(as_text=True)
    assert "Sign out" in page and 'name="csrf_token"' in page  # not the anonymous copy
    assert "private" in mine.headers["Cache-Control"]
    for path in ["/e/test-forum/", "/e/test-forum/programme"]:
        admin_client.get(path)
        theirs = visitor.get(path).get_data(as_text=True)
        assert "Sign out" not in theirs and "csrf_token" not in theirs


def test_unknown_query_arguments_are_rendered_but_not_shared(visitor, app, small_forum):
    odd = visitor.get("/e/test-forum/programme?utm_source=<b>evil</b>")
    assert "private" in odd.headers["Cache-Control"]
    assert "evil" not in app.test_client().get("/e/test-forum/programme").get_data(as_text=True)


def test_static_files_have_fingerprinted_names_cached_for_a_year(visitor, small_forum, app):
    page = visitor.get("/e/test-forum/").get_data(as_text=True)
    url = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page).group(1)
    response = visitor.get(url)
    assert response.status_code == 200 and "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    with open(f"{app.static_folder}/css/app.css", "rb") as f:
        assert response.data == f.read()
    stale = visitor.get("/static/css/app.000000000000.css")
    assert stale.status_code == 200 and "immutable" not in stale.headers["Cache-Control"]


def entry(body: bytes) -> CachedResponse:
    return CachedResponse(body=body, mimetype="text/html", etag="x", last_modified=0.0)


def test_the_memory_store_is_bounded_least_recently_used_first():
    store = MemoryStore(max_bytes=10_000)
    for n in range(20):
        store.set(f"page{n}", entry(b"x" * 1000))
        store.get("page0")  # read often: kept
    assert store.size <= 10_000
    assert store.get("page0") is not None and store.get("page1") is None and store.get("page19") is not None


def test_a_crowd_missing_the_same_page_renders_it_once():
    store = MemoryStore(max_bytes=10_000_000)
    renders = []

    def render():
        renders.append(1)
        time.sleep(0.2)  # a PDF takes a while
        return None, entry(b"%PDF")

    results = []
    threads = [threading.Thread(target=lambda: results.append(get_or_render(store, "pdf", render)[0]))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(renders) == 1 and len(results) == 8 and all(r.body == b"%PDF" for r in results)


@pytest.fixture
def redis_store():
    store = RedisStore("redis://127.0.0.1:6379/8", ttl=60, max_entry_bytes=10_000_000, prefix="forumapp-test:page:")
    try:
        store.client.ping()
    except Exception:
        pytest.skip("no Redis at 127.0.0.1:6379")
    store.clear()
    yield store
    store.clear()


def test_redis_keeps_pages_for_every_worker_and_lets_one_render(redis_store):
    """Two workers (two stores on one Redis): one takes the lease and renders, the other waits
    for its entry instead of rendering too."""
    other_worker = RedisStore("redis://127.0.0.1:6379/8", ttl=60, max_entry_bytes=10_000_000,
                              prefix="forumapp-test:page:")
    renders = []
    started = threading.Event()

    def first():
        with redis_store.flight("pdf", wait=5) as we_render:
            assert we_render
            started.set()
            renders.append("first")
            time.sleep(0.3)
            redis_store.set("pdf", entry(b"%PDF-shared"))

    thread = threading.Thread(target=first)
    thread.start()
    started.wait(5)
    with other_worker.flight("pdf", wait=5) as we_render:
        if we_render:
            renders.append("second")
    thread.join()
    assert renders == ["first"]
    assert other_worker.get("pdf").body == b"%PDF-shared"
    assert redis_store.client.ttl("forumapp-test:page:pdf") > 0  # bounded in time


def test_each_process_keeps_what_it_used_last_in_front_of_redis(redis_store):
    """A hit is served from the process's own copy without asking Redis (an entry never changes
    under its key); another process still finds the entry in Redis, and keeps its own copy."""
    worker_a = RedisStore("redis://127.0.0.1:6379/8", ttl=60, max_entry_bytes=10_000_000,
                          prefix="forumapp-test:page:", local_max_bytes=1_000_000)
    worker_b = RedisStore("redis://127.0.0.1:6379/8", ttl=60, max_entry_bytes=10_000_000,
                          prefix="forumapp-test:page:", local_max_bytes=1_000_000)
    worker_a.set("programme|kk|v7", entry(b"<html>v7</html>"))
    assert worker_b.get("programme|kk|v7").body == b"<html>v7</html>"  # through Redis
    redis_store.client.delete("forumapp-test:page:programme|kk|v7")
    # Both now answer from memory, although Redis has lost the entry (evicted, expired).
    assert worker_a.get("programme|kk|v7").body == b"<html>v7</html>"
    assert worker_b.get("programme|kk|v7").body == b"<html>v7</html>"
    assert redis_store.get("programme|kk|v7") is None  # a store without its own copy asks Redis
    # Bounded like the memory store.
    for n in range(30):
        worker_a.set(f"page{n}", entry(b"x" * 100_000))
    assert worker_a.local.size <= 1_000_000
    worker_a.clear()
    assert worker_a.get("page29") is None
