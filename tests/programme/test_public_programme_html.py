"""Every state of the public programme page is valid HTML by the Nu HTML Checker: list and grid,
one day, filtered, searched, starred items, in kk/ru/en (tests/quality's crawl sees only a few)."""

from tests.browser.programme_forum import DAY_2, SLUG, build
from tests.quality.crawl import VNU_JAR, require_tool
from tests.quality.test_html_validity import _validate


def test_every_view_of_the_programme_is_valid_html(client, runner, tmp_path):
    require_tool(VNU_JAR)
    forum = build(runner)
    hall = forum["halls"]["Foyer"].id
    starred = ",".join(str(i) for i in list(forum["items"].values())[:3])
    queries = ["", "view=grid", f"view=grid&day={DAY_2.isoformat()}", f"hall={hall}&view=grid", "q=дөңгелек",
               f"items={starred}&view=grid", "kind=break&q=nothing-matches", f"track={forum['tracks']['Industry and market'].id}"]
    pages = {}
    for lang in ("kk", "ru", "en"):
        for query in queries:
            path = f"/e/{SLUG}/programme?lang={lang}&{query}"
            response = client.get(path)
            assert response.status_code == 200, path
            pages[path] = response.get_data(as_text=True)
    errors = _validate(pages, tmp_path)
    assert not errors, "\n".join(errors[:40])
