"""Time the programme PDF of a 3-day forum with 120 items in 4 halls and 80 people.

    .venv/bin/python bench/programme_pdf.py [--runs 5]

Prints the cold (first) and warm (median) render time through the app's URL, the page count, and
a naive baseline side by side: a fresh font set-up per request and one document whose speaker
index takes its page numbers from CSS target-counter() (which makes WeasyPrint lay pages out
again); the app lays out the agenda first and the index after, with the page numbers known.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FORUMAPP_SECRET_KEY", "bench")

from pypdf import PdfReader  # noqa: E402

from forumapp import create_app  # noqa: E402
from forumapp.directory.models import Organisation, Person  # noqa: E402
from forumapp.extensions import db  # noqa: E402
from forumapp.programme.models import ITEM_KINDS, Event, Hall, ItemPerson, ProgrammeItem, Track  # noqa: E402
from forumapp.timeutil import to_utc  # noqa: E402

FIRST_NAMES = ["Гүлмира", "Әсел", "Даулет", "Ержан", "Айгүл", "Нұрлан", "Мәдина", "Қайрат", "Ұлжан", "Іңкәр"]
LAST_NAMES = ["Уақытова", "Нұрланқызы", "Бакберген", "Сәрсенбаев", "Оспанова", "Жұмабаев", "Қасымова", "Әбенов"]


def build_forum() -> Event:
    event = Event(slug="bench-forum", title={"kk": "Жеңіл өнеркәсіп форумы", "ru": "Форум лёгкой промышленности"},
                  starts_on=date(2016, 6, 8), ends_on=date(2016, 6, 10), status="published",
                  city={"kk": "Алматы"}, venue={"kk": "Алматы технологиялық университеті"})
    halls = [Hall(event=event, name={"kk": f"{n}-зал"}, capacity=200, position=n) for n in range(1, 5)]
    tracks = [Track(event=event, name={"kk": name}) for name in ("Сала", "Сән", "Экспорт")]
    organisations = [Organisation(name={"kk": f"«Кәсіпорын-{n}» ЖШС"}, kind="enterprise") for n in range(20)]
    people = [
        Person(name={"kk": f"{FIRST_NAMES[n % 10]} {LAST_NAMES[n % 8]}-{n}"}, organisation=organisations[n % 20])
        for n in range(80)
    ]
    db.session.add_all([event, *halls, *tracks, *organisations, *people])
    db.session.flush()
    for n in range(120):
        day = event.starts_on + timedelta(days=n // 40)
        slot, hall = divmod(n % 40, 4)
        start = datetime.combine(day, datetime.min.time()) + timedelta(hours=9, minutes=45 * slot)
        item = ProgrammeItem(
            event=event, kind=ITEM_KINDS[n % len(ITEM_KINDS)], status="published",
            title={"kk": f"Дөңгелек үстел №{n}: тігін өндірісі және экспорт"},
            hall=halls[hall], track=tracks[n % 3],
            starts_at=to_utc(start, event.timezone), ends_at=to_utc(start + timedelta(minutes=40), event.timezone),
        )
        db.session.add(item)
        for k in range(2):
            db.session.add(ItemPerson(item=item, person=people[(n * 2 + k) % 80], role="speaker", position=k))
    db.session.commit()
    return event


NAIVE_INDEX_CSS = "<style>.index-entry a::before { content: target-counter(attr(href), page) ' '; }</style>"
# The baseline's index as it was first written: a link per appearance, whose page number the CSS
# above fills in (the app's index now has one link per person and prints known page numbers).
NAIVE_INDEX = """<section class="index">
  <h2 class="day">{{ _('Index of speakers') }}</h2>
  {% for person, items in speakers %}
    <p class="index-entry"><span class="name">{{ person.display_name }}</span>{% if person.organisation %}, {{ person.organisation.display_name }}{% endif %}
      — {% for item in items %}<a href="#item-{{ item.id }}">{{ item.local_start|ltime }}, {{ _('p. %(page)s', page=item_pages.get(item.id, '?')) }}</a>{% if not loop.last %}; {% endif %}{% endfor %}</p>
  {% endfor %}
</section>
"""


def naive_render(app, event) -> tuple[float, int]:
    """The straightforward way: a fresh font set-up per request and one document whose speaker
    index gets its page numbers from CSS target-counter()."""
    from flask import render_template, render_template_string
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from forumapp.documents.fetcher import BASE_URL
    from forumapp.documents.render import FONT_FACES_CSS, make_fetcher
    from forumapp.programme.exports.pdf import speaker_index
    from forumapp.programme.services import days_with_items, published_items, utc_offset_label

    started = time.perf_counter()
    with app.test_request_context("/?lang=kk"):
        items = published_items(event)
        context = {"event": event, "zone_label": utc_offset_label(event)}
        agenda = render_template("programme/pdf/programme.html", days=days_with_items(event, items), **context)
        body = render_template_string(NAIVE_INDEX, speakers=speaker_index(items), item_pages={}, **context)
        html = agenda.replace("</body>", f'<div style="break-before: page">{body}</div>{NAIVE_INDEX_CSS}</body>')
        font_config = FontConfiguration()
        fetcher = make_fetcher()
        fonts = CSS(string=FONT_FACES_CSS, base_url=BASE_URL, url_fetcher=fetcher, font_config=font_config)
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
            stylesheets=[fonts], font_config=font_config)
        document.write_pdf()
    return time.perf_counter() - started, len(document.pages)


def stage_times(app, event, runs: int) -> dict[str, float]:
    """Median CPU seconds of each step of forumapp.programme.exports.pdf.programme_pdf, done the
    same way (garbage collector paused), in this process."""
    from flask import render_template

    from forumapp.documents.render import gc_paused, join_documents, render_html
    from forumapp.programme.exports.pdf import item_pages, speaker_index
    from forumapp.programme.services import days_with_items, published_items, utc_offset_label

    steps: dict[str, list[float]] = {"HTML from the templates": [], "agenda layout": [], "index layout": [],
                                     "writing the PDF": []}
    with app.test_request_context("/?lang=kk"):
        items = published_items(event)
        context = {"event": event, "zone_label": utc_offset_label(event)}
        days = [(day, day_items) for day, day_items in days_with_items(event, items) if day_items]
        for run in range(runs + 1):
            with gc_paused():
                t0 = time.process_time()
                agenda_html = render_template("programme/pdf/programme.html", days=days, **context)
                t1 = time.process_time()
                agenda = render_html(agenda_html)
                t2 = time.process_time()
                index_html = render_template("programme/pdf/speaker_index.html", speakers=speaker_index(items),
                                             item_pages=item_pages(agenda), first_page=len(agenda.pages) + 1,
                                             **context)
                t3 = time.process_time()
                index = render_html(index_html)
                t4 = time.process_time()
                join_documents([agenda, index])
                t5 = time.process_time()
            if run:
                for name, seconds in zip(steps, (t1 - t0 + t3 - t2, t2 - t1, t4 - t3, t5 - t4), strict=True):
                    steps[name].append(seconds)
    return {name: statistics.median(seconds) for name, seconds in steps.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stages", action="store_true", help="also time each step (CPU, median of --runs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "STORAGE_DIR": tmp})
        with app.app_context():
            db.create_all()
            event = build_forum()
            client = app.test_client()
            timings, cpu_times, pages = [], [], 0
            for _ in range(args.runs + 1):
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get("/e/bench-forum/programme.pdf?lang=kk")
                timings.append(time.perf_counter() - started)
                cpu_times.append(time.process_time() - cpu_started)
                assert response.status_code == 200
                pages = len(PdfReader(io.BytesIO(response.data)).pages)
            cold, warm = timings[0], statistics.median(timings[1:])
            naive_times = [naive_render(app, event) for _ in range(max(1, args.runs // 2))]
            naive = statistics.median(t for t, _ in naive_times)
            from weasyprint.text.ffi import harfbuzz_subset

            print("forum: 3 days, 120 items, 4 halls, 80 people")
            print(f"font subsetting by: {'HarfBuzz' if harfbuzz_subset else 'fontTools (apt-get install libharfbuzz-subset0)'}"
                  f"   load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
            print(f"app, first request (cold): {cold:.2f} s")
            print(f"app, median of {args.runs} (warm): {warm:.2f} s   pages: {pages}   goal: < 2 s")
            print(f"app, median CPU time of the request (warm): {statistics.median(cpu_times[1:]):.2f} s")
            print(f"naive (fresh fonts, one document, index by CSS target-counter): {naive:.2f} s   pages: {naive_times[0][1]}")
            print(f"ratio naive / app: {naive / warm:.2f}x")
            if args.stages:
                steps = stage_times(app, event, args.runs)
                print("CPU by step (median): " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in steps.items()))


if __name__ == "__main__":
    main()
