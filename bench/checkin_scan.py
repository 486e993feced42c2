"""Time one check-in scan in the server, for a forum with 2,000 registrations.

    .venv/bin/python bench/checkin_scan.py [--registrations 2000] [--scans 400]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Each scan is the real request a check-in desk sends: POST /manage/e/<slug>/checkin with the
ticket code, the CSRF header and Accept: application/json, by a signed-in member of the
check-in staff, through the whole app (session, CSRF, role check, scan, counts, JSON). Half of
the scans check someone in, the other half are second scans ("already checked in"). Wall-clock
times depend on what else the machine is doing (the load average is printed); the CPU time of
the app's process is printed as well (on PostgreSQL the database server's work is not in it).

The naive baseline, side by side through the same app: a route that finds the registration by
computing the ticket code of every registration of the event in Python and comparing (what a
ticket carrying an opaque HMAC instead of a signed id would need), then checks in with a
read-then-write (which is also not safe under two simultaneous scans).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FORUMAPP_SECRET_KEY", "bench")

from flask import g, jsonify, request  # noqa: E402

from bench.throwaway import throwaway_database  # noqa: E402
from forumapp import create_app  # noqa: E402
from forumapp.accounts.models import EventRole, User  # noqa: E402
from forumapp.extensions import csrf, db  # noqa: E402
from forumapp.programme.models import Event  # noqa: E402
from forumapp.registration import checkin as service  # noqa: E402
from forumapp.registration.models import ParticipantCategory, Registration  # noqa: E402
from forumapp.registration.tickets import ticket_code  # noqa: E402
from forumapp.timeutil import utcnow  # noqa: E402

FIRST = ["Гүлмира", "Әсел", "Даулет", "Ержан", "Айгүл", "Нұрлан", "Мәдина", "Қайрат", "Ұлжан", "Іңкәр"]
LAST = ["Уақытова", "Нұрланқызы", "Бакберген", "Сәрсенбаев", "Оспанова", "Жұмабаев", "Қасымова", "Әбенов"]


def build_forum(count: int) -> Event:
    event = Event(slug="bench-forum", title={"kk": "Жеңіл өнеркәсіп форумы"}, starts_on=date(2016, 6, 9),
                  ends_on=date(2016, 6, 10), status="published")
    other = Event(slug="other-forum", title={"kk": "Басқа форум"}, starts_on=date(2016, 6, 9),
                  ends_on=date(2016, 6, 10), status="published")
    db.session.add_all([event, other])
    db.session.flush()
    categories = [ParticipantCategory(event_id=event.id, name={"kk": name}, position=n)
                  for n, name in enumerate(("Делегат", "Спикер", "Баспасөз"))]
    db.session.add_all(categories)
    db.session.flush()
    now = utcnow()
    statuses = ["confirmed"] * 17 + ["waiting", "cancelled", "pending"]
    rows = []
    for target, n_rows in ((event, count), (other, count)):
        for n in range(n_rows):
            rows.append(dict(
                event_id=target.id, token=os.urandom(24).hex(), full_name=f"{FIRST[n % 10]} {LAST[n % 8]} {n}",
                email=f"p{n}@example.kz", phone="", organisation_name=f"«Кәсіпорын-{n % 300}» ЖШС", position="",
                city="Алматы", category_id=categories[n % 3].id if target is event else None, locale="kk",
                consent_at=now, answers={}, status=statuses[n % len(statuses)], created_at=now, updated_at=now,
            ))
    db.session.execute(db.insert(Registration), rows)
    user = User(email="door@example.kz", name="Door")
    user.set_password("correct horse battery")
    db.session.add(user)
    db.session.flush()
    db.session.add(EventRole(user_id=user.id, event_id=event.id, role="checkin_staff"))
    db.session.commit()
    return event


def add_naive_route(app):
    @app.route("/bench/naive-scan/<slug>", methods=["POST"])
    def naive_scan(slug):
        event = db.session.scalar(db.select(Event).filter_by(slug=slug))
        g.event = event
        code = request.form["code"]
        found = None
        for registration in db.session.scalars(db.select(Registration).filter_by(event_id=event.id)):
            if ticket_code(registration) == code:
                found = registration
                break
        if found is None:
            return jsonify({"result": "invalid"})
        if found.status != "confirmed":
            return jsonify({"result": found.status})
        if found.checked_in_at is not None:
            result = "already_checked_in"
        else:
            found.checked_in_at = utcnow()
            db.session.commit()
            result = "checked_in"
        return jsonify({"result": result, "counts": service.counts(event)})

    csrf.exempt(naive_scan)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_scans(client, url, codes, headers):
    """All timings (ms), and the timings by result."""
    timings, results = [], {}
    for code in codes:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.post(url, data={"code": code}, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        timings.append(elapsed)
        results.setdefault(response.get_json()["result"], []).append(elapsed)
        results.setdefault("cpu (this process)", []).append((time.process_time() - cpu_started) * 1000)
    return timings, results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=2000)
    parser.add_argument("--scans", type=int, default=400)
    parser.add_argument("--database-url", default="", help="PostgreSQL server to create a throw-away database on "
                        "(default: SQLite in a temporary file); the database named is never touched")
    args = parser.parse_args()
    with throwaway_database(args.database_url) as url:
        bench(args, url)


def bench(args, url: str) -> None:
    tmp = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "STORAGE_DIR": tmp, "RATELIMIT_ENABLED": False,
                      "SERVER_NAME": "bench.test", "PUBLIC_URL": "http://bench.test/"})
    add_naive_route(app)
    with app.app_context():
        db.drop_all()
        db.create_all()
        event = build_forum(args.registrations)
        confirmed = list(db.session.scalars(
            db.select(Registration).filter_by(event_id=event.id, status="confirmed").order_by(Registration.id)))
        half = args.scans // 2
        # each ticket twice in a row: "checked in", then "already checked in" (interleaved, so
        # both kinds of scan see the same conditions on the machine)
        codes = [code for r in confirmed[:half] for code in (ticket_code(r),) * 2]
        baseline_codes = [code for r in confirmed[half: 2 * half] for code in (ticket_code(r),) * 2]
        db.session.remove()

    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    client.post("/login", data={"email": "door@example.kz", "password": "correct horse battery", "csrf_token": token})
    html = client.get("/manage/e/bench-forum/checkin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    headers = {"X-CSRFToken": token, "Accept": "application/json"}

    load_before = os.getloadavg()[0]
    # warm-up: templates, connections, first queries
    time_scans(client, "/manage/e/bench-forum/checkin", ["T1.0.0.x"] * 20, headers)

    app_times, app_results = time_scans(client, "/manage/e/bench-forum/checkin", codes, headers)
    naive_times, naive_results = time_scans(client, "/bench/naive-scan/bench-forum", baseline_codes, headers)

    dialect = url.split(":", 1)[0]
    print(f"load average before: {load_before:.1f}, after: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    print(f"database: {dialect}; {args.registrations} registrations in the event (+{args.registrations} in another); "
          f"{len(codes)} scans each")
    print(f"{'':37} {'':18} {'scans':>6} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for name, timings, results in (("app (signed id, conditional UPDATE)", app_times, app_results),
                                   ("naive (compute every code in Python)", naive_times, naive_results)):
        rows = [("all scans", timings)] + sorted(results.items(), key=lambda kv: kv[0].startswith("cpu"))
        for label, values in rows:
            print(f"{name if label == 'all scans' else '':37} {label:18} {len(values):6} "
                  f"{statistics.median(values):10.2f} {percentile(values, 0.95):8.2f} {max(values):8.2f}")
    print(f"median ratio naive/app: {statistics.median(naive_times) / statistics.median(app_times):.1f}x")

    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


if __name__ == "__main__":
    main()
