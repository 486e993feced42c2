"""1,000 people register at the same moment for an event with 100 places, over real HTTP.

    .venv/bin/python bench/registration_burst.py [--database URL] [--clients 1000] [--places 100]
        [--port 8101] [--no-mail | --broker redis://127.0.0.1:6379/6] [--worker-nice 10]

Starts the app under gunicorn on 127.0.0.1:--port (default 8101, or FORUMAPP_BENCH_PORT) against PostgreSQL (a throw-away database
created next to FORUMAPP_BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres,
and dropped afterwards). Every client has its own HTTP session: it opens the form (CSRF token and
form nonce, as a browser would), then all clients submit at once. Prints confirmed / waiting /
errors and registrations per second, checks the waiting list against the order the server saw,
and runs the same burst again with the lock switched off (FORUMAPP_REGISTRATION_LOCK=0): the
naive baseline, which overbooks.

With mail (the default): an SMTP sink (aiosmtpd, accepting every message) and a Celery worker
(`--pool threads`, Redis as broker, --broker) are started beside gunicorn, both configured with
FORUMAPP_SMTP_URL and FORUMAPP_BROKER_URL as a deployment that sends mail is: every request only
queues its message and publishes a task; the worker renders the tickets and sends. After the
burst the bench waits for the outbox to be empty and counts what the sink received (messages,
and confirmations carrying a ticket PDF). The broker's database is flushed before the run: give
the bench a Redis database of its own.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.throwaway import throwaway_database  # noqa: E402

os.environ.setdefault("FORUMAPP_SECRET_KEY", "bench-secret")

PORT = int(os.environ.get("FORUMAPP_BENCH_PORT", "8101"))
BASE = f"http://127.0.0.1:{PORT}"
DEFAULT_URL = os.environ.get("FORUMAPP_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NAMES = ["Әсел Нұрланқызы", "Гүлмира Уақытова", "Даулет Бакберген", "Ұлжан Оспанова", "Иван Петров", "Қайрат Әбенов"]


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
                      starts_on=date(2036, 6, 9), ends_on=date(2036, 6, 10), status="published")  # still to come: registration open
        db.session.add(event)
        db.session.commit()
        settings = services.settings_for(event)
        settings.capacity = places
        db.session.commit()
        db.engine.dispose()


def start_server(url: str, lock: bool, workers: int, threads: int, mail_env: dict) -> subprocess.Popen:
    env = {**os.environ, **mail_env, "FORUMAPP_DATABASE_URL": url, "FORUMAPP_REGISTRATION_LOCK": "1" if lock else "0",
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


def start_worker(url: str, mail_env: dict, niceness: int) -> subprocess.Popen:
    env = {**os.environ, **mail_env, "FORUMAPP_DATABASE_URL": url, "FORUMAPP_PUBLIC_URL": f"{BASE}/"}
    # On a host shared by web and worker, the worker runs at a lower priority (docs/DEPLOY.md):
    # a registration is answered first, its e-mail goes out when the crowd has been served.
    return subprocess.Popen(
        ["nice", "-n", str(niceness), sys.executable, "-m", "celery", "-A", "forumapp.jobs.worker:celery", "worker", "--pool", "threads",
         "--concurrency", "2", "--loglevel", os.environ.get("FORUMAPP_BENCH_WORKER_LOG", "WARNING"), "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for_mail(url: str, sink, expected: int, worker: subprocess.Popen, timeout: float = 900) -> dict:
    """Until the outbox has nothing left to send: (seconds, messages received, with a ticket)."""
    engine = sa.create_engine(url)
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if worker.poll() is not None:
            raise SystemExit(f"the Celery worker exited with {worker.returncode}: see its output above")
        with engine.connect() as conn:
            queued = conn.execute(sa.text("SELECT count(*) FROM outgoing_message WHERE status = 'queued'")).scalar()
        if not queued and len(sink.messages) >= expected:
            break
        time.sleep(0.5)
    engine.dispose()
    with_ticket = sum(1 for m in sink.messages
                      if any(p.get_content_type() == "application/pdf" for p in m.iter_attachments()))
    return {"mail_seconds": time.monotonic() - started, "mails": len(sink.messages), "tickets": with_ticket,
            "mail_left": queued}


def run(url: str, lock: bool, args, sink=None) -> dict:
    prepare(url, args.places)
    print(f"  database ready (lock {'on' if lock else 'off'})", file=sys.stderr)
    mail_env = {}
    worker = None
    if sink is not None:
        import redis

        redis.Redis.from_url(args.broker).flushdb()
        mail_env = {"FORUMAPP_SMTP_URL": sink.url, "FORUMAPP_BROKER_URL": args.broker}
        worker = start_worker(url, mail_env, args.worker_nice)
    server = start_server(url, lock, args.workers, args.threads, mail_env)
    print("  gunicorn started" + (" with SMTP and a Celery worker" if sink else ""), file=sys.stderr)
    try:
        outcome = burst(args.clients, args.concurrency)
        result = verify(url, outcome)
        if sink is not None:
            result.update(wait_for_mail(url, sink, args.clients, worker))
    finally:
        stop(server)
        if worker is not None:
            stop(worker)
    return result


def main():
    global PORT, BASE
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=DEFAULT_URL, help="PostgreSQL server/database to create a throw-away database next to")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=200, help="client threads sending at once")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--port", type=int, default=PORT, help="port of gunicorn (default 8101 or FORUMAPP_BENCH_PORT)")
    parser.add_argument("--worker-nice", type=int, default=10,
                        help="niceness of the Celery worker beside gunicorn (default 10; 0 = the same priority)")
    parser.add_argument("--no-mail", action="store_true", help="no SMTP, no worker (messages stay in the outbox)")
    parser.add_argument("--broker", default=os.environ.get("FORUMAPP_BENCH_BROKER_URL", "redis://127.0.0.1:6379/6"),
                        help="Redis database of the bench's own (flushed before the run)")
    args = parser.parse_args()
    PORT, BASE = args.port, f"http://127.0.0.1:{args.port}"
    load_before = os.getloadavg()[0]
    rows = []
    with throwaway_database(args.database) as url:
        if args.no_mail:
            rows.append(("with the lock (forumapp)", run(url, True, args)))
        else:
            from tests.jobs.smtp_sinks import SMTPSink

            with SMTPSink() as sink:
                rows.append(("with the lock (forumapp)", run(url, True, args, sink)))
        if not args.no_baseline:
            rows.append(("naive: no lock (baseline)", run(url, False, args)))
    print(f"{args.clients} clients, {args.places} places, gunicorn {args.workers} workers x {args.threads} threads, "
          f"{args.concurrency} client threads" + ("" if args.no_mail else f", Celery worker at nice {args.worker_nice}")
          + f"; load average before {load_before:.2f}, after {os.getloadavg()[0]:.2f}")
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
    if not args.no_mail:
        print(f"mail through the worker: {locked['mails']} messages received by the SMTP sink "
              f"({locked['tickets']} confirmations with a ticket PDF) {locked['mail_seconds']:.1f} s after the burst; "
              f"{locked['mail_left']} left in the outbox")
        good = good and locked["mails"] == args.clients and locked["tickets"] == args.places
    print("RESULT:", "exactly the capacity confirmed, the rest waiting in order" if good else "FAILED")
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
