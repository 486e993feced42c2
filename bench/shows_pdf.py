"""Time the show PDFs and the partners back page of the programme PDF.

    .venv/bin/python bench/shows_pdf.py [--runs 5]

A show of 20 collections (3 lookbook pictures each, 1200×1800 px uploads) and 15 partners in
5 tiers with logos. Prints cold (first) and warm (median) times for the run-of-show sheet and
the audience leaflet, and the leaflet against a naive baseline that embeds the 1600 px display
copies instead of the 400 px thumbnails; then the programme PDF with and without its partners
page (what the back page costs).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FORUMAPP_SECRET_KEY", "bench")

from PIL import Image  # noqa: E402

from forumapp import create_app  # noqa: E402
from forumapp.directory.models import Organisation, Person  # noqa: E402
from forumapp.extensions import db  # noqa: E402
from forumapp.media.images import save_image  # noqa: E402
from forumapp.programme.exports.pdf import programme_pdf  # noqa: E402
from forumapp.programme.models import Event, ProgrammeItem  # noqa: E402
from forumapp.programme.services import published_items  # noqa: E402
from forumapp.shows.models import (  # noqa: E402
    Collection,
    CollectionDesigner,
    CollectionImage,
    CollectionShow,
    ShowSegment,
)
from forumapp.shows.pdf import leaflet_pdf, run_of_show_pdf  # noqa: E402
from forumapp.shows.services import running_order  # noqa: E402
from forumapp.sponsors import services as sponsor_services  # noqa: E402
from forumapp.sponsors.models import Sponsor, SponsorTier  # noqa: E402
from forumapp.timeutil import to_utc  # noqa: E402


def picture(seed: int) -> io.BytesIO:
    out = io.BytesIO()
    Image.effect_noise((1200, 1800), 40 + seed % 30).convert("RGB").save(out, "JPEG", quality=90)
    out.seek(0)
    return out


def build() -> CollectionShow:
    event = Event(slug="bench-show", title={"kk": "Сән апталығы"}, starts_on=date(2016, 6, 10), ends_on=date(2016, 6, 10),
                  status="published")
    item = ProgrammeItem(event=event, kind="collection_show", status="published", title={"kk": "Коллекциялар көрсетілімі"},
                         starts_at=to_utc(datetime(2016, 6, 10, 17, 0), "Asia/Almaty"),
                         ends_at=to_utc(datetime(2016, 6, 10, 19, 0), "Asia/Almaty"))
    db.session.add_all([event, item])
    db.session.flush()
    show = CollectionShow(item=item, call_minutes=30, seconds_per_look=40, changeover_seconds=30)
    db.session.add(show)
    for n in range(20):
        brand = Organisation(name={"kk": f"«Сән үйі {n}»"}, kind="fashion_house")
        designer = Person(name={"kk": f"Айгүл Әбенова-{n}"}, organisation=brand)
        collection = Collection(event=event, brand=brand, title={"kk": f"Дала жолы {n}"}, looks=8 + n % 5,
                                categories=["womens"], description={"kk": "Қазақстандық матадан тігілген киім. " * 4})
        collection.designer_links = [CollectionDesigner(person=designer)]
        for k in range(3):
            stored = save_image(picture(n * 3 + k), "lookbooks")
            collection.images.append(CollectionImage(path=stored.path, width=stored.width, height=stored.height, position=k))
        db.session.add_all([brand, designer, collection])
        db.session.flush()
        show.segments.append(ShowSegment(collection_id=collection.id, position=n))
    tiers = [SponsorTier(event=event, name=names, position=n) for n, names in enumerate(sponsor_services.DEFAULT_TIERS[:5])]
    db.session.add_all(tiers)
    db.session.flush()
    for n in range(15):
        org = Organisation(name={"kk": f"«Серіктес {n}» АҚ"}, kind="enterprise", logo=save_image(picture(100 + n), "logos").path)
        db.session.add(org)
        db.session.flush()
        db.session.add(Sponsor(event_id=event.id, tier_id=tiers[n % 5].id, organisation_id=org.id, position=n))
    db.session.commit()
    return show


def timed(function, runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1:] or times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "STORAGE_DIR": f"{tmp}/media",
                          "SERVER_NAME": "bench.test"})
        with app.app_context():
            db.create_all()
            show = build()
            with app.test_request_context("/?lang=kk"):
                order = running_order(show)
                partners = sponsor_services.sponsors_by_tier(show.item.event)
                for label, function in (
                    ("run-of-show sheet", lambda: run_of_show_pdf(order)),
                    ("audience leaflet (thumbnails)", lambda: leaflet_pdf(order, partners)),
                ):
                    cold, warm, rendered = timed(function, runs)
                    print(f"{label:42s} cold {cold:6.2f} s  warm {warm:6.2f} s  {rendered.page_count} pages, "
                          f"{len(rendered.data) // 1024} KiB")
                # Baseline: the leaflet with the 1600 px display copies.
                import forumapp.media.views as media_views

                original = media_views.media_url
                app.jinja_env.globals["media_url"] = lambda path, thumb=False: original(path, thumb=False)
                cold, warm, rendered = timed(lambda: leaflet_pdf(order, partners), runs)
                app.jinja_env.globals["media_url"] = original
                print(f"{'baseline leaflet (1600 px display copies)':42s} cold {cold:6.2f} s  warm {warm:6.2f} s  "
                      f"{rendered.page_count} pages, {len(rendered.data) // 1024} KiB")
                event = show.item.event
                items = published_items(event)
                _c, with_partners, rendered = timed(lambda: programme_pdf(event, items), runs)
                import forumapp.sponsors.pdf as sponsors_pdf

                sponsors_pdf.sponsors_by_tier = lambda event: []
                _c, without, bare = timed(lambda: programme_pdf(event, items), runs)
                sponsors_pdf.sponsors_by_tier = sponsor_services.sponsors_by_tier
                print(f"{'programme PDF with partners page':42s} warm {with_partners:6.2f} s  {rendered.page_count} pages")
                print(f"{'programme PDF without partners page':42s} warm {without:6.2f} s  {bare.page_count} pages")


if __name__ == "__main__":
    main()
