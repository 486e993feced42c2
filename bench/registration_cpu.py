"""CPU time of the server's work for one registration: the form page (GET) and the submit (POST).

    .venv/bin/python bench/registration_cpu.py [--clients 300] [--places 100] [--database URL] [--profile]

Every client is a fresh browser (its own test client: cookies, CSRF token, form nonce), as in
bench/registration_burst.py, but the requests go through the Flask test client in this process,
one after the other, so `time.process_time()` around each request is the app's own CPU time
(the database server's work is not in it; on SQLite it is). The first `--places` submits are
confirmed, the rest wait. Prints the median and mean per request and the SQL statements per
request. `--profile get|post` runs the form pages or the submits under cProfile and prints the top functions.

Without --database: SQLite in a temporary file. With a PostgreSQL URL a throw-away database is
created next to the one named and dropped afterwards (bench/throwaway.py): the database named
is never touched.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FORUMAPP_SECRET_KEY", "bench")

import sqlalchemy as sa  # noqa: E402

from bench.throwaway import throwaway_database  # noqa: E402
from forumapp import create_app  # noqa: E402
from forumapp.extensions import db  # noqa: E402
from forumapp.programme.models import Event  # noqa: E402
from forumapp.registration import services  # noqa: E402

NAMES = ["Әсел Нұрланқызы", "Гүлмира Уақытова", "Даулет Бакберген", "Ұлжан Оспанова", "Иван Петров", "Қайрат Әбенов"]
FIELD = re.compile(r'name="(csrf_token|nonce)" type="hidden" value="([^"]+)"')
CATEGORY = re.compile(r'<option[^>]*value="(\d+)"')


def make_app(url: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "PUBLIC_URL": "http://localhost/"})
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def prepare(places: int) -> None:
    event = Event(slug="bench-forum", title={"kk": "Жеңіл өнеркәсіп форумы", "ru": "Форум лёгкой промышленности"},
                  starts_on=date(2036, 6, 9), ends_on=date(2036, 6, 10), status="published")  # still to come: registration open
    db.session.add(event)
    db.session.commit()
    services.settings_for(event).capacity = places
    db.session.commit()


class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, *args):
        self.n += 1


def run(app, engine, clients: int, profile: str | None) -> dict:
    counter = Counter()
    sa.event.listen(engine, "before_cursor_execute", counter)
    browsers, forms, get_cpu, get_q = [], [], [], []
    profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not waiting
    for i in range(clients):
        browser = app.test_client()
        browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = ("kk", "ru", "en")[i % 3]
        counter.n = 0
        if profile == "get":
            profiler.enable()
        start = time.process_time()
        html = browser.get("/e/bench-forum/register").get_data(as_text=True)
        get_cpu.append(time.process_time() - start)
        if profile == "get":
            profiler.disable()
        get_q.append(counter.n)
        forms.append({
            **dict(FIELD.findall(html)), "category": CATEGORY.search(html).group(1),
            "full_name": f"{NAMES[i % len(NAMES)]} {i}", "email": f"p{i}@bench.example.kz",
            "phone": "+7 701 000 00 00", "organisation_name": "Жасампаз", "city": "Алматы",
            "locale": ("kk", "ru", "en")[i % 3], "consent": "y",
        })
        browsers.append(browser)
    post_cpu, post_q = [], []
    for i, browser in enumerate(browsers):
        counter.n = 0
        if profile == "post":
            profiler.enable()
        start = time.process_time()
        response = browser.post("/e/bench-forum/register", data=forms[i])
        post_cpu.append(time.process_time() - start)
        if profile == "post":
            profiler.disable()
        post_q.append(counter.n)
        assert response.status_code == 302 and "/r/" in response.headers["Location"], (
            response.status_code, response.get_data(as_text=True)[-3000:])
    sa.event.remove(engine, "before_cursor_execute", counter)
    return {"get": get_cpu, "get_q": get_q, "post": post_cpu, "post_q": post_q, "profiler": profiler}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--database", default="", help="SQLAlchemy URL (default: SQLite in a temporary file)")
    parser.add_argument("--profile", choices=("get", "post"), help="cProfile the form pages or the submits (CPU time) "
                        "and print the top functions")
    parser.add_argument("--profile-file", default="", help="also save the profile here (for pstats or snakeviz)")
    args = parser.parse_args()
    with throwaway_database(args.database) as url:
        app = make_app(url)
        with app.app_context():
            prepare(args.places)
            engine = db.engine
        # Each request gets its own app context (and `g`), as under gunicorn.
        result = run(app, engine, args.clients, args.profile)
        with app.app_context():
            counts = services.status_counts(db.session.get(Event, 1))
            dialect = db.engine.dialect.name
            db.session.remove()
            db.engine.dispose()
    load = os.getloadavg()[0]
    print(f"database: {dialect}; "
          f"{args.clients} clients, {args.places} places -> {counts}; load average {load:.2f}")
    print(f"{'':34} {'median ms':>10} {'mean ms':>9} {'SQL statements':>15}")
    places = args.places
    rows = [
        ("form page (GET)", result["get"], result["get_q"]),
        ("submit (POST), all", result["post"], result["post_q"]),
        ("submit (POST), confirmed", result["post"][:places], result["post_q"][:places]),
        ("submit (POST), waiting", result["post"][places:], result["post_q"][places:]),
    ]
    for label, cpu, queries in rows:
        if cpu:
            print(f"{label:34} {statistics.median(cpu) * 1000:>10.2f} {statistics.mean(cpu) * 1000:>9.2f} "
                  f"{statistics.median(queries):>15.0f}")
    per_registration = statistics.mean(result["get"]) + statistics.mean(result["post"])
    print(f"{'form + submit (one registration)':34} {'':>10} {per_registration * 1000:>9.2f}")
    if result["profiler"]:
        if args.profile_file:
            result["profiler"].dump_stats(args.profile_file)
        stats = pstats.Stats(result["profiler"]).strip_dirs()
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
