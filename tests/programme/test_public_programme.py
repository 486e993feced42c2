"""The public programme page: list and grid by hall, days, filters with a count, search that
ignores case and Kazakh letters, track colours, starred items as a page and an iCal feed, and
query arguments that are checked (400, never 500) and part of the page cache's key."""

import io
import re

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from forumapp.extensions import db
from forumapp.programme.listing import ProgrammeLine
from forumapp.programme.models import Hall
from forumapp.programme.programme_page import day_grid
from forumapp.programme.search import fold
from tests.conftest import make_item

URL = "/e/test-forum/programme"


def page(client, query="", lang="ru"):
    response = client.get(f"{URL}?lang={lang}{'&' if query else ''}{query}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def item_ids(html):
    return [int(i) for i in re.findall(r'<article class="programme-item[^"]*" id="item-(\d+)"', html)]


def test_list_is_the_default_and_grid_puts_halls_in_columns(client, small_forum):
    opening, round_table, cooperation = small_forum["items"]
    listed = page(client, lang="en")
    assert "programme-grid" not in listed and item_ids(listed) == [opening.id, round_table.id, cooperation.id]
    assert 'href="/e/test-forum/programme?view=grid"' in listed  # the toggle is a link

    grid = page(client, "view=grid", lang="en")
    assert item_ids(grid) == [opening.id, round_table.id, cooperation.id]
    first_day = grid.split('id="day-2016-06-10"')[0]
    halls = re.findall(r'<div class="grid-hall" style="grid-row: 1; grid-column: (\d+) / span 1">([^<]+)</div>', first_day)
    assert halls == [("2", "Main hall"), ("3", "Small hall")]
    # 09:30–10:00 from the first row after the halls' names (5-minute rows): 6 rows; the round
    # table in the second hall's column starts where the opening ends and spans 90 minutes.
    assert re.search(rf'id="item-{opening.id}"[^>]*\n?\s*style="grid-row: 2 / span 6; grid-column: 2', grid)
    assert re.search(rf'id="item-{round_table.id}"[^>]*\n?\s*style="grid-row: 8 / span 18; grid-column: 3', grid)
    assert 'aria-current="page">Grid by hall' in grid


def test_items_at_the_same_time_in_one_hall_get_lanes_side_by_side():
    def line(n, start, end, hall=1):
        return ProgrammeLine(id=n, kind="session", title=str(n), start="", end="", hall="", track="",
                             track_id=None, hall_id=hall, start_minute=start, end_minute=end)

    grid = day_grid([line(1, 600, 720), line(2, 630, 660), line(3, 660, 690), line(4, 600, 660, hall=2)],
                    [(1, "A"), (2, "B"), (None, "No hall")])
    assert [(c.hall, c.first, c.lanes) for c in grid.columns] == [("A", 2, 2), ("B", 4, 1)]
    columns = {cell.line.id: (cell.row, cell.rows, cell.column) for cell in grid.cells}
    assert columns == {1: (2, 24, 2), 2: (8, 6, 3), 3: (14, 6, 3), 4: (2, 12, 4)}
    assert grid.times[0] == (2, "10:00") and grid.rows == 24


def test_day_tabs_show_one_day(client, small_forum):
    opening, round_table, cooperation = small_forum["items"]
    html = page(client)
    assert html.count('<a href="/e/test-forum/programme?day=2016-06-') == 2
    second = page(client, "day=2016-06-10")
    assert item_ids(second) == [cooperation.id] and 'id="day-2016-06-09"' not in second
    assert 'href="/e/test-forum/programme?day=2016-06-10" aria-current="page"' in second


def test_filters_by_kind_track_and_hall_say_how_many_match(client, small_forum):
    opening, round_table, cooperation = small_forum["items"]
    event = small_forum["event"]
    big, small = event.halls
    by_hall = page(client, f"hall={big.id}", lang="en")
    assert item_ids(by_hall) == [opening.id, cooperation.id] and "Shown: 2 of 3" in by_hall
    assert "Filters (1)" in by_hall and "Show everything" in by_hall
    both = page(client, f"hall={big.id}&kind=opening", lang="en")
    assert item_ids(both) == [opening.id] and "Shown: 1 of 3" in both and "Filters (2)" in both
    by_track = page(client, f"track={event.tracks[0].id}&view=grid", lang="en")
    assert item_ids(by_track) == [round_table.id]
    # The form sends every field, empty ones too: they mean "all".
    assert item_ids(page(client, "q=&kind=&track=&hall=&view=list")) == [opening.id, round_table.id, cooperation.id]
    # Filter and toggle links keep the other choices.
    assert f'href="/e/test-forum/programme?view=grid&amp;hall={big.id}"' in by_hall


@pytest.mark.parametrize("typed, expected", [
    ("ОТКРЫТИЕ", [0]),            # case
    ("дөңгелек", [1]),            # the Kazakh title
    ("донгелек", [1]),            # ... typed without Kazakh letters
    ("гулмира уакытова", [1, 2]),  # a person's Kazakh name, both words, either spelling
    ("Гульмира", [1, 2]),          # and her Russian name
    ("консорциумы", [1, 2]),       # her organisation
    ("zhasampaz consortium", [1, 2]),
    ("улкен зал", [0, 2]),         # the hall, in Kazakh
    ("лeгкий", []),               # a Latin e in the middle: no match, no error
    ("bold", [2]),                 # the markup in a title is text
])
def test_search_ignores_case_and_kazakh_letters_in_every_language(client, small_forum, typed, expected):
    items = small_forum["items"]
    html = page(client, f"q={typed}", lang="en")
    assert item_ids(html) == [items[n].id for n in expected]
    assert f'value="{typed}"' in html  # what was typed stays in the box


def test_search_reads_descriptions_and_folds_yo(client, small_forum):
    opening = small_forum["items"][0]
    opening.description = {"en": "Welcome", "ru": "Приветствие и лёгкая музыка"}
    db.session.commit()
    assert item_ids(page(client, "q=легкая")) == [opening.id]
    assert item_ids(page(client, "q=welcome")) == [opening.id]
    assert fold("ӘҒҚҢӨҰҮҺІЁ") == "агкноуухие"


def test_starred_items_as_my_programme_and_a_personal_calendar(client, small_forum):
    opening, round_table, cooperation = small_forum["items"]
    mine = page(client, f"items={cooperation.id},{opening.id}", lang="en")
    assert item_ids(mine) == [opening.id, cooperation.id] and "<h1>My programme</h1>" in mine
    assert f'programme.ics?items={opening.id},{cooperation.id}' in mine.replace("%2C", ",")
    calendar = client.get(f"/e/test-forum/programme.ics?lang=ru&items={round_table.id},{small_forum['draft'].id}")
    assert calendar.status_code == 200
    summaries = [str(e["summary"]) for e in Calendar.from_ical(calendar.data).walk("VEVENT")]
    assert summaries == ["Круглый стол «Жасампаз»"]  # the draft is not published: left out
    assert len(Calendar.from_ical(client.get("/e/test-forum/programme.ics").data).walk("VEVENT")) == 3


@pytest.mark.parametrize("query", [
    "view=table", "view=grid&view=list", "hall=abc", "hall=-1", "track=1.5", "day=2016-13-01", "day=tomorrow",
    "kind=<script>", "items=1,x", "items=" + ",".join(str(n) for n in range(1, 300)), "q=" + "а" * 101,
    "q=%00", "hall=١", "items=99999999999",
])
def test_bad_query_values_are_refused_with_400(client, small_forum, query):
    assert client.get(f"{URL}?{query}").status_code == 400


@pytest.mark.parametrize("query", ["items=1,x", "items=" + ",".join(str(n) for n in range(1, 300))])
def test_bad_starred_lists_in_the_calendar_are_refused(client, small_forum, query):
    assert client.get(f"/e/test-forum/programme.ics?{query}").status_code == 400


def test_each_query_is_its_own_shared_page_and_none_sets_a_cookie(app, small_forum):
    opening, round_table, cooperation = small_forum["items"]
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for query in ["view=grid", "q=открытие", "q=стол", f"items={opening.id}", f"items={round_table.id}",
                  "day=2016-06-10", "view=grid&day=2016-06-09&q=стол"]:
        response = visitor.get(f"{URL}?{query}")
        assert "public" in response.headers["Cache-Control"], query
        assert "Set-Cookie" not in response.headers, query
    assert item_ids(visitor.get(f"{URL}?q=стол").get_data(as_text=True)) == [round_table.id]
    assert item_ids(visitor.get(f"{URL}?q=открытие").get_data(as_text=True)) == [opening.id]
    assert item_ids(visitor.get(f"{URL}?items={round_table.id}").get_data(as_text=True)) == [round_table.id]
    # The same starred set in another order is the same page.
    a = visitor.get(f"{URL}?items={opening.id},{cooperation.id}")
    b = visitor.get(f"{URL}?items={cooperation.id},{opening.id}")
    assert a.headers["ETag"] == b.headers["ETag"]


def test_track_colours_are_stripes_and_only_checked_colours_reach_a_style(client, small_forum):
    event = small_forum["event"]
    track = event.tracks[0]
    track.color = "#00A651"
    db.session.commit()
    for view in ("list", "grid"):
        html = page(client, f"view={view}")
        assert re.search(rf'id="item-{small_forum["items"][1].id}"[^>]*--track: #00a651', html), view
    assert 'class="swatch" style="--track: #00a651"' in page(client)
    track.color = "red;a:b"  # not through the form: straight into the database (7 characters fit)
    db.session.commit()
    for view in ("list", "grid"):
        html = page(client, f"view={view}")
        assert "red;a:b" not in html and "--track: red" not in html


def _fill_colours(pdf: bytes) -> set[tuple[float, ...]]:
    colours = set()
    for pdf_page in PdfReader(io.BytesIO(pdf)).pages:
        content = pdf_page.get_contents().get_data().decode("latin-1")
        for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)", content):
            colours.add((round(float(r), 2), round(float(g), 2), round(float(b), 2)))
    return colours


def test_programme_pdf_marks_items_with_their_track_colour(client, small_forum):
    small_forum["event"].tracks[0].color = "#00a651"
    db.session.commit()
    assert (0.0, 0.65, 0.32) in _fill_colours(client.get("/e/test-forum/programme.pdf?lang=en").data)
    small_forum["event"].tracks[0].color = "#123456"
    db.session.commit()
    colours = _fill_colours(client.get("/e/test-forum/programme.pdf?lang=en").data)
    assert (0.0, 0.65, 0.32) not in colours and (0.07, 0.2, 0.34) in colours


def test_an_item_without_a_hall_gets_its_own_column_and_an_overlap_a_lane(client, small_forum):
    event = small_forum["event"]
    loose = make_item(event, "Кофе-брейк", start="09:45", end="10:15", kind="break")
    parallel = make_item(event, "Выставка", start="09:00", end="12:00", kind="exhibition", hall_id=event.halls[0].id)
    html = page(client, "view=grid&day=2016-06-09", lang="en")
    assert re.search(r'grid-column: (\d+) / span 2">Main hall', html)
    assert ">No hall</div>" in html
    assert item_ids(html)[0] == parallel.id and loose.id in item_ids(html)
    assert db.session.get(Hall, event.halls[0].id) is not None


def test_descriptions_expand_under_their_item_in_the_list(client, small_forum):
    item = small_forum["items"][1]
    item.description = {"en": "First paragraph <b>bold</b>.\nSecond paragraph.", "ru": "Описание"}
    db.session.commit()
    html = client.get("/e/test-forum/programme?lang=en").get_data(as_text=True)
    article = html[html.index(f'id="item-{item.id}"'):]
    article = article[:article.index("</article>")]
    assert '<details class="item-description"><summary>Description</summary>' in article
    assert "<p>First paragraph &lt;b&gt;bold&lt;/b&gt;.</p><p>Second paragraph.</p>" in article
    other = small_forum["items"][0]
    first = html[html.index(f'id="item-{other.id}"'):]
    assert "item-description" not in first[:first.index("</article>")]  # no description, nothing to open
