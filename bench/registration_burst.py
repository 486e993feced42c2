"""1,000 people register at the same moment for an event with 100 places, over real HTTP.

    .venv/bin/python bench/registration_burst.py [--database URL] [--clients 1000] [--places 100]
        [--port 8101] [--no-mail | --broker redis://127.0.0.1:6379/6] [--worker-nice 19]

Starts the app under gunicorn on 127.0.0.1:--port (default 8101, or FORUMAPP_BENCH_PORT) against PostgreSQL (a throw-away database
created next to FORUMAPP_BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres,
and dropped afterwards, also when the bench is stopped with SIGTERM or Ctrl-C). Every client is a
browser of its own (its cookies, plain http.client: see Browser): it opens the form (CSRF token
and form nonce), then all clients submit at once. Prints confirmed / waiting / errors and
registrations per second, checks the order (confirmed first; nobody who sent after another had
their answer is ahead of them on the waiting list), and runs the same burst again with the lock
switched off (FORUMAPP_REGISTRATION_LOCK=0), mail included: the naive baseline, which overbooks.

With mail (the default): an SMTP sink (aiosmtpd, accepting every message) and a Celery worker
(`--pool threads`, Redis as broker, --broker) are started beside gunicorn, both configured with
FORUMAPP_SMTP_URL and FORUMAPP_BROKER_URL as a deployment that sends mail is: every request only
queues its message and publishes a task; the worker renders the tickets and sends. The worker runs
at nice 19 (--worker-nice), as docs/DEPLOY.md advises for a worker sharing its host with the web
processes. After the burst the bench waits until the outbox has nothing left to send and counts
what the sink received (messages, and confirmations carrying a ticket PDF). The broker's
database is flushed before each run: give the bench a Redis database of its own.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

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
            if Browser().request("GET", "/e/bench-forum/register")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


FIELD = re.compile(r'name="(csrf_token|nonce)" type="hidden" value="([^"]+)"')
CATEGORY = re.compile(r'<option[^>]*value="(\d+)"')


class Browser:
    """One participant's browser: its cookies, over its own connections. Plain http.client, not
    requests: the clients share the machine's two cores with the server they measure, and
    requests spends about 1.7 ms of CPU on each POST (http.client 0.2 ms), a tenth of what the
    whole registration costs the server, its database and its worker together."""

    def __init__(self):
        self.cookies = SimpleCookie()

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, dict, str]:
        # A new connection for each request, as after the time a person takes to fill in a form
        # (the server has closed the idle one by then).
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        try:
            headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or ():
                self.cookies.load(header)
            return response.status, dict(response.headers), text
        finally:
            connection.close()


def burst(clients: int, concurrency: int) -> dict:
    browsers = [Browser() for _ in range(clients)]
    forms = [None] * clients

    def open_form(i):
        html = browsers[i].request("GET", "/e/bench-forum/register")[2]
        fields = dict(FIELD.findall(html))
        forms[i] = urlencode({
            **fields, "category": CATEGORY.search(html).group(1), "full_name": f"{NAMES[i % len(NAMES)]} {i}",
            "email": f"p{i}@bench.example.kz", "phone": "+7 701 000 00 00", "organisation_name": "Жасампаз",
            "city": "Алматы", "locale": ("kk", "ru", "en")[i % 3], "consent": "y",
        })

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(open_form, range(clients)))
    print(f"  {clients} forms opened", file=sys.stderr)

    results = [None] * clients
    go = threading.Event()

    def submit(i):
        go.wait()
        sent = time.monotonic()
        try:
            status, headers, _body = browsers[i].request("POST", "/e/bench-forum/register", forms[i])
            ok = status == 302 and "/r/" in headers.get("Location", "")
            results[i] = (sent, time.monotonic(), ok, status)
        except (OSError, http.client.HTTPException) as exc:
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
    # The waiting list is in the order the server took the forms (waiting_since, then id; the
    # query's order). Confirmed people came first: every confirmed id is below every waiting
    # one (a registration whose prediction failed is inserted again, with a new id). And
    # whoever had their answer before another client even sent theirs is ahead of that client.
    position = {int(r.email[1:].split("@")[0]): n for n, r in enumerate(waiting)}
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
        "order_ok": first_come and causal_violations == 0, "first_come": first_come, "causal_violations": causal_violations,
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


def wait_for_mail(url: str, sink, worker: subprocess.Popen, patience: float = 120) -> dict:
    """Until the outbox has nothing left to send and the sink holds every message it sent:
    (seconds, messages in the outbox, received, with a ticket). Gives up when nothing has moved
    for `patience` seconds."""
    engine = sa.create_engine(url)
    started = last_change = time.monotonic()
    seen = None
    while time.monotonic() - last_change < patience:
        if worker.poll() is not None:
            raise SystemExit(f"the Celery worker exited with {worker.returncode}: see its output above")
        with engine.connect() as conn:
            total, queued = conn.execute(sa.text(
                "SELECT count(*), count(*) FILTER (WHERE status <> 'sent') FROM outgoing_message")).one()
        received = sink.count
        if not queued and received >= total:
            break
        if (queued, received) != seen:
            seen, last_change = (queued, received), time.monotonic()
        time.sleep(0.2)
    else:
        print(f"  mail: nothing moved for {patience:.0f} s; giving up", file=sys.stderr)
    engine.dispose()
    seconds = time.monotonic() - started
    messages = sink.messages
    with_ticket = sum(1 for m in messages
                      if any(p.get_content_type() == "application/pdf" for p in m.iter_attachments()))
    return {"mail_seconds": seconds, "outbox": total, "mails": len(messages), "tickets": with_ticket,
            "mail_left": queued}


def run(url: str, lock: bool, args, sink=None) -> dict:
    prepare(url, args.places)
    print(f"  database ready (lock {'on' if lock else 'off'})", file=sys.stderr)
    mail_env = {}
    worker = None
    if sink is not None:
        import redis

        redis.Redis.from_url(args.broker).flushdb()
        sink.clear()
        mail_env = {"FORUMAPP_SMTP_URL": sink.url, "FORUMAPP_BROKER_URL": args.broker}
        worker = start_worker(url, mail_env, args.worker_nice)
    server = start_server(url, lock, args.workers, args.threads, mail_env)
    print("  gunicorn started" + (" with SMTP and a Celery worker" if sink else ""), file=sys.stderr)
    try:
        outcome = burst(args.clients, args.concurrency)
        result = verify(url, outcome)
        if sink is not None:
            result.update(wait_for_mail(url, sink, worker))
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
    parser.add_argument("--worker-nice", type=int, default=19,
                        help="niceness of the Celery worker beside gunicorn (default 19; 0 = the same priority)")
    parser.add_argument("--no-mail", action="store_true", help="no SMTP, no worker (messages stay in the outbox)")
    parser.add_argument("--broker", default=os.environ.get("FORUMAPP_BENCH_BROKER_URL", "redis://127.0.0.1:6379/6"),
                        help="Redis database of the bench's own (flushed before the run)")
    args = parser.parse_args()
    PORT, BASE = args.port, f"http://127.0.0.1:{args.port}"
    load_before = os.getloadavg()[0]
    rows = []
    # A bench stopped with SIGTERM (or Ctrl-C) still stops its servers and drops its database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with throwaway_database(args.database) as url, contextlib.ExitStack() as stack:
        sink = None
        if not args.no_mail:
            from tests.jobs.smtp_sinks import SMTPSink

            sink = stack.enter_context(SMTPSink())
        rows.append(("with the lock (forumapp)", run(url, True, args, sink)))
        if not args.no_baseline:  # the same deployment, mail included, without the lock
            rows.append(("naive: no lock (baseline)", run(url, False, args, sink)))
    print(f"{args.clients} clients, {args.places} places, gunicorn {args.workers} workers x {args.threads} threads, "
          f"{args.concurrency} client threads" + ("" if args.no_mail else f", Celery worker at nice {args.worker_nice}")
          + f"; load average before {load_before:.2f}, after {os.getloadavg()[0]:.2f}")
    print(f"{'':28} {'confirmed':>9} {'waiting':>8} {'errors':>7} {'reg/s':>7} {'seconds':>8}  order")
    for label, r in rows:
        order = "ok" if r["order_ok"] else (f"WRONG ({r['causal_violations']} answered out of order"
                                            + ("" if r["first_come"] else ", a waiting id below a confirmed one") + ")")
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
        for label, r in rows:
            print(f"mail, {label}: {r['mails']} messages received by the SMTP sink ({r['tickets']} confirmations "
                  f"with a ticket PDF) of {r['outbox']} in the outbox, {r['mail_seconds']:.1f} s after the burst; "
                  f"{r['mail_left']} not sent")
        good = good and locked["mails"] == args.clients and locked["tickets"] == args.places
    print("RESULT:", "exactly the capacity confirmed, the rest waiting in order" if good else "FAILED")
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
