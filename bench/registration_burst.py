"""1,000 people register at the same moment for an event with 100 places, over real HTTP.

    .venv/bin/python bench/registration_burst.py [--database URL] [--clients 1000] [--places 100]

Starts the app under gunicorn on 127.0.0.1:8101 against PostgreSQL (a throw-away database
created next to FORUMAPP_BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/forum_reg,
and dropped afterwards). Every client has its own HTTP session: it opens the form (CSRF token and
form nonce, as a browser would), then all clients submit at once. Prints confirmed / waiting /
errors and registrations per second, checks the waiting list against the order the server saw,
and runs the same burst again with the lock switched off (FORUMAPP_REGISTRATION_LOCK=0): the
naive baseline, which overbooks.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("FORUMAPP_SECRET_KEY", "bench-secret")

PORT = 8101
BASE = f"http://127.0.0.1:{PORT}"
DEFAULT_URL = os.environ.get("FORUMAPP_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/forum_reg")
NAMES = ["Әсел Нұрланқызы", "Гүлмира Уақытова", "Даулет Бакберген", "Ұлжан Оспанова", "Иван Петров", "Қайрат Әбенов"]


def psycopg_url(url: str) -> str:
    return re.sub(r"^postgresql(\+psycopg)?://", "postgresql+psycopg://", url)


class ThrowawayDatabase:
    def __init__(self, base_url: str):
        self.base = psycopg_url(base_url)
        self.name = f"forumapp_bench_{uuid.uuid4().hex[:8]}"
        self.url = self.base.rsplit("/", 1)[0] + "/" + self.name

    def __enter__(self):
        self.admin = sa.create_engine(self.base, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
        return self.url

    def __exit__(self, *exc):
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def prepare(url: str, places: int) -> None:
    from datetime import date

    from forumapp import create_app
    from forumapp.extensions import db
    from forumapp.programme.models import Event
    from forumapp.registration import services

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PUBLIC_URL": f"{BASE}/"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        event = Event(slug="bench-forum", title={"kk": "Жеңіл өнеркәсіп форумы", "ru": "Форум лёгкой промышленности"},
                      starts_on=date(2016, 6, 9), ends_on=date(2016, 6, 10), status="published")
        db.session.add(event)
        db.session.commit()
        settings = services.settings_for(event)
        settings.capacity = places
        db.session.commit()
        db.engine.dispose()


def start_server(url: str, lock: bool, workers: int, threads: int) -> subprocess.Popen:
    env = {**os.environ, "FORUMAPP_DATABASE_URL": url, "FORUMAPP_REGISTRATION_LOCK": "1" if lock else "0",
           "FORUMAPP_PUBLIC_URL": f"{BASE}/"}
    # Several workers on PostgreSQL: the app requires one key for all of them from the environment.
    env.setdefault("FORUMAPP_SECRET_KEY", secrets.token_urlsafe(48))
    app = "forumapp:create_app({'RATELIMIT_ENABLED': False})"
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-k", "gthread", "--threads", str(threads),
         "-b", f"127.0.0.1:{PORT}", "--log-level", "warning", app],
        cwd=ROOT, env=env,
    )
    for _ in range(200):
        try:
            if requests.get(f"{BASE}/e/bench-forum/register", timeout=10).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


FIELD = re.compile(r'name="(csrf_token|nonce)" type="hidden" value="([^"]+)"')
CATEGORY = re.compile(r'<option[^>]*value="(\d+)"')


def burst(clients: int, concurrency: int) -> dict:
    sessions = [requests.Session() for _ in range(clients)]
    forms = [None] * clients

    def open_form(i):
        html = sessions[i].get(f"{BASE}/e/bench-forum/register", timeout=30).text
        fields = dict(FIELD.findall(html))
        forms[i] = {
            **fields, "category": CATEGORY.search(html).group(1), "full_name": f"{NAMES[i % len(NAMES)]} {i}",
            "email": f"p{i}@bench.example.kz", "phone": "+7 701 000 00 00", "organisation_name": "Жасампаз",
            "city": "Алматы", "locale": ("kk", "ru", "en")[i % 3], "consent": "y",
        }

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(open_form, range(clients)))
    print(f"  {clients} forms opened", file=sys.stderr)

    results = [None] * clients
    go = threading.Event()

    def submit(i):
        go.wait()
        sent = time.monotonic()
        try:
            response = sessions[i].post(
                f"{BASE}/e/bench-forum/register", data=forms[i], allow_redirects=False, timeout=120
            )
            ok = response.status_code == 302 and "/r/" in response.headers.get("Location", "")
            results[i] = (sent, time.monotonic(), ok, response.status_code)
        except requests.RequestException as exc:
            results[i] = (sent, time.monotonic(), False, repr(exc))

    with ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(submit, i) for i in range(clients)]
        time.sleep(0.5)
        started = time.monotonic()
        go.set()
        for future in futures:
            future.result()
        elapsed = time.monotonic() - started
    return {"results": results, "elapsed": elapsed}


def verify(url: str, run: dict) -> dict:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT id, email, status FROM registration ORDER BY status, waiting_since, id"
        )).all()
    engine.dispose()
    results = run["results"]
    confirmed = [r for r in rows if r.status == "confirmed"]
    waiting = [r for r in rows if r.status == "waiting"]
    errors = [r for r in results if not r[2]]
    # Arrival as the server saw it: the lock order, which is the id order. Confirmed people came
    # first; the waiting list is in id order; and whoever had their answer before another client
    # even sent theirs is ahead of that client.
    position = {int(r.email[1:].split("@")[0]): n for n, r in enumerate(waiting)}
    ordered = [r.id for r in waiting] == sorted(r.id for r in waiting)
    first_come = not confirmed or not waiting or max(r.id for r in confirmed) < min(r.id for r in waiting)
    causal_violations = 0
    timed = sorted((results[i][1], results[i][0], i) for i in position)
    by_send = sorted((results[i][0], i) for i in position)
    # For each client A, every client B that sent after A got its answer must be behind A.
    earliest_answer_before = []
    j = 0
    best = None
    for sent, i in by_send:
        while j < len(timed) and timed[j][0] < sent:
            k = timed[j][2]
            best = k if best is None or position[k] > position[best] else best
            j += 1
        if best is not None and position[best] > position[i]:
            causal_violations += 1
        earliest_answer_before.append(best)
    return {
        "confirmed": len(confirmed), "waiting": len(waiting), "errors": len(errors),
        "error_samples": [e[3] for e in errors[:3]],
        "per_second": len(results) / run["elapsed"], "elapsed": run["elapsed"],
        "order_ok": ordered and first_come and causal_violations == 0, "causal_violations": causal_violations,
    }


def run(url: str, lock: bool, args) -> dict:
    prepare(url, args.places)
    print(f"  database ready (lock {'on' if lock else 'off'})", file=sys.stderr)
    server = start_server(url, lock, args.workers, args.threads)
    print("  gunicorn started", file=sys.stderr)
    try:
        outcome = burst(args.clients, args.concurrency)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return verify(url, outcome)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=DEFAULT_URL, help="PostgreSQL server/database to create a throw-away database next to")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=200, help="client threads sending at once")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    rows = []
    with ThrowawayDatabase(args.database) as url:
        rows.append(("with the lock (forumapp)", run(url, True, args)))
        if not args.no_baseline:
            rows.append(("naive: no lock (baseline)", run(url, False, args)))
    print(f"{args.clients} clients, {args.places} places, gunicorn {args.workers} workers x {args.threads} threads, "
          f"{args.concurrency} client threads")
    print(f"{'':28} {'confirmed':>9} {'waiting':>8} {'errors':>7} {'reg/s':>7} {'seconds':>8}  order")
    for label, r in rows:
        order = "ok" if r["order_ok"] else f"WRONG ({r['causal_violations']} answered out of order)"
        if r["confirmed"] > args.places:
            order += f", OVERBOOKED by {r['confirmed'] - args.places}"
        print(f"{label:28} {r['confirmed']:>9} {r['waiting']:>8} {r['errors']:>7} {r['per_second']:>7.0f} "
              f"{r['elapsed']:>8.2f}  {order}")
        if r["error_samples"]:
            print("   errors:", r["error_samples"])
    locked = rows[0][1]
    good = locked["confirmed"] == args.places and locked["waiting"] == args.clients - args.places
    good = good and locked["errors"] == 0 and locked["order_ok"]
    print("RESULT:", "exactly the capacity confirmed, the rest waiting in order" if good else "FAILED")
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
