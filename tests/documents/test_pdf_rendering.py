"""PDF rendering: bundled fonts, Kazakh text intact, and only the app's own files can be loaded."""

import io

import pytest
from pypdf import PdfReader

from forumapp.documents.fetcher import BASE_URL, RefusedResource, SafeURLFetcher
from forumapp.documents.render import STATIC_DIR, html_to_pdf

KAZAKH = "Алматы · Гүлмира Уақытова · ә ғ қ ң ө ұ ү һ і"


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_kazakh_text_survives_in_both_bundled_families(app):
    html = f'<p>{KAZAKH}</p><h1 style="font-family: \'Forum Serif\'">{KAZAKH}</h1>'
    rendered = html_to_pdf(html)
    assert rendered.page_count == 1 and rendered.refused_urls == []
    assert text_of(rendered.data).count("Гүлмира Уақытова") == 2
    assert "ә ғ қ ң ө ұ ү һ і" in text_of(rendered.data)


def test_outside_resources_are_refused_and_reported(app, tmp_path):
    html = f"""
      <img src="file:///etc/passwd"><img src="http://example.com/logo.png">
      <img src="/static/../../../../etc/passwd"><img src="/media/../secret_key">
      <div style="background: url(https://attacker.invalid/track.png)">{KAZAKH}</div>
      <img src="/static/fonts/OFL.txt">
    """
    rendered = html_to_pdf(html)
    assert "Гүлмира Уақытова" in text_of(rendered.data), "the document still renders"
    refused = " ".join(rendered.refused_urls)
    for bad in ("file:///etc/passwd", "example.com", "etc/passwd", "secret_key", "attacker.invalid"):
        assert bad in refused, bad
    assert "OFL.txt" not in refused


def test_fetcher_serves_only_files_under_static_and_media(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "logo.png").write_bytes(b"png")
    (tmp_path / "outside.txt").write_text("secret")
    fetcher = SafeURLFetcher(STATIC_DIR, media)
    assert fetcher.local_path(BASE_URL + "static/fonts/NotoSans-Regular.ttf") is not None
    response = fetcher(BASE_URL + "media/logo.png")
    assert response.read() == b"png" and response.content_type == "image/png"
    for url in (BASE_URL + "media/../outside.txt", BASE_URL + "media/%2e%2e/outside.txt",
                "http://other.host/static/fonts/NotoSans-Regular.ttf", "file://" + str(media / "logo.png"),
                BASE_URL + "instance/secret_key", BASE_URL + "static/", "ftp://forumapp.invalid/media/logo.png"):
        assert fetcher.local_path(url) is None, url
        with pytest.raises(RefusedResource):
            fetcher(url)
    assert len(fetcher.refused) == 7


def test_gc_pauses_overlap_and_the_collector_comes_back_after_the_last():
    import gc

    from forumapp.documents.render import gc_paused

    assert gc.isenabled()
    first, second = gc_paused(), gc_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # two requests overlapping: the first one ends first
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_garbage_of_overlapping_pauses_is_collected_although_the_count_never_reaches_zero():
    """A threaded worker under a crowd: each render starts before the previous one ends, so some
    pause is always running. The cycles the finished renders left must still be freed."""
    import gc
    import weakref

    from forumapp.documents import render

    class Box:  # a layout box that points back at itself, as WeasyPrint's do
        pass

    def render_leaving_garbage():
        box = Box()
        box.me = box
        return weakref.ref(box)

    running = render.gc_paused()
    running.__enter__()
    try:
        leftovers = []
        for _ in range(3):
            pause = render.gc_paused()
            pause.__enter__()
            leftovers.append(render_leaving_garbage())
            # What else a render leaves: cycles, which reference counting never frees.
            filler = [[] for _ in range(render.GARBAGE_CEILING)]
            filler.append(filler)
            del filler
            pause.__exit__(None, None, None)
        assert not gc.isenabled()  # the overlapping pause still runs...
        assert all(ref() is None for ref in leftovers)  # ...and the garbage is gone anyway
    finally:
        running.__exit__(None, None, None)
    assert gc.isenabled()
