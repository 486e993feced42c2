"""Shared by the HTTP benches: a throw-away PostgreSQL database with forums of a given size, a
gunicorn on loopback, wrk, and the CPU and memory of gunicorn's workers read from /proc.

A bench creates its own database (forumapp_bench_<random>) and drops only that one."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("FORUMAPP_SECRET_KEY", "bench")
# PostgreSQL means production: the app needs its public address; gunicorn is reached on loopback.
os.environ.setdefault("FORUMAPP_PUBLIC_URL", "http://127.0.0.1/")
os.environ.setdefault("FORUMAPP_ALLOWED_HOSTS", "127.0.0.1,localhost")
# One wrk address is the whole crowd here: the per-address limit on renders would measure the
# limiter (the uncached baseline renders every request), not the app.
os.environ.setdefault("FORUMAPP_RATELIMIT_RENDERS", "1000000 per minute")

from bench import throwaway  # noqa: E402

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
CLK_TCK = os.sysconf("SC_CLK_TCK")

FIRST_NAMES = ["Гүлмира", "Әсел", "Даулет", "Ержан", "Айгүл", "Нұрлан", "Мәдина", "Қайрат", "Ұлжан", "Іңкәр"]
LAST_NAMES = ["Уақытова", "Нұрланқызы", "Бакберген", "Сәрсенбаев", "Оспанова", "Жұмабаев", "Қасымова", "Әбенов"]


def throwaway_database():
    """A PostgreSQL database created for the bench and dropped after it (bench/throwaway.py)."""
    return throwaway.throwaway_database(ADMIN_URL)


def build_forums(url: str, sizes: dict[str, int]) -> dict[str, dict]:
    """Published 3-day forums in 4 halls, `items` items each, 2 speakers per item (80 people per
    120 items), partners too. Returns slug -> {"item_id": an item in the middle}."""
    from forumapp import create_app
    from forumapp.directory.models import Organisation, Person
    from forumapp.extensions import db
    from forumapp.programme.models import ITEM_KINDS, Event, Hall, ItemPerson, ProgrammeItem, Track
    from forumapp.sponsors.models import Sponsor, SponsorTier
    from forumapp.timeutil import to_utc

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    found = {}
    with app.app_context():
        db.create_all()
        for slug, count in sizes.items():
            event = Event(slug=slug, title={"kk": "Жеңіл өнеркәсіп форумы", "ru": "Форум лёгкой промышленности",
                                            "en": "Light Industry Forum"},
                          description={"kk": "Форум туралы.\nЕкінші абзац.", "en": "About the forum."},
                          starts_on=date(2016, 6, 8), ends_on=date(2016, 6, 10), status="published",
                          city={"kk": "Алматы"}, venue={"kk": "Алматы технологиялық университеті"})
            halls = [Hall(event=event, name={"kk": f"{n}-зал", "en": f"Hall {n}"}, position=n) for n in range(1, 5)]
            tracks = [Track(event=event, name={"kk": name}) for name in ("Сала", "Сән", "Экспорт")]
            organisations = [Organisation(name={"kk": f"«Кәсіпорын-{slug}-{n}» ЖШС"}, kind="enterprise")
                             for n in range(20)]
            n_people = count * 2 // 3
            people = [Person(name={"kk": f"{FIRST_NAMES[n % 10]} {LAST_NAMES[n % 8]}-{n}"},
                             organisation=organisations[n % 20]) for n in range(n_people)]
            db.session.add_all([event, *halls, *tracks, *organisations, *people])
            db.session.flush()
            tier = SponsorTier(event=event, name={"kk": "Бас серіктес"})
            db.session.add(tier)
            db.session.flush()
            db.session.add_all(Sponsor(event_id=event.id, tier_id=tier.id, organisation_id=o.id)
                               for o in organisations[:4])
            per_day = count // 3
            middle = None
            for n in range(count):
                day = event.starts_on + timedelta(days=n // per_day)
                slot, hall = divmod(n % per_day, 4)
                start = datetime.combine(day, datetime.min.time()) + timedelta(hours=9, minutes=(600 // (per_day // 4)) * slot)
                item = ProgrammeItem(
                    event=event, kind=ITEM_KINDS[n % len(ITEM_KINDS)], status="published",
                    title={"kk": f"Дөңгелек үстел №{n}: тігін өндірісі және экспорт", "en": f"Round table {n}"},
                    description={"kk": "Сипаттама. " * 20},
                    hall=halls[hall], track=tracks[n % 3],
                    starts_at=to_utc(start, event.timezone),
                    ends_at=to_utc(start + timedelta(minutes=20), event.timezone),
                )
                db.session.add(item)
                for k in range(2):
                    db.session.add(ItemPerson(item=item, person=people[(n * 2 + k) % n_people], role="speaker",
                                              position=k))
                if n == count // 2:
                    middle = item
            db.session.commit()
            found[slug] = {"item_id": middle.id, "organisation_id": organisations[0].id}
        db.session.remove()
        db.engine.dispose()
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(url: str, *, workers=2, threads=4, env=None, config: str | None = None):
    port = free_port()
    environment = {**os.environ, "FORUMAPP_DATABASE_URL": url, **(env or {})}
    command = [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "--threads", str(threads), "-k", "gthread",
               "-b", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"]
    if config:
        command += ["-c", config]
    process = subprocess.Popen([*command, "wsgi:app"], cwd=ROOT, env=environment, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # listening, and every worker forked
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                if len(worker_pids(process.pid)) >= workers:
                    break
            time.sleep(0.3)
        yield base, process
    finally:
        workers = worker_pids(process.pid)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        for pid in workers:  # a worker still rendering a PDF when its master went
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def worker_pids(master_pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def server_cpu_seconds(master_pid: int) -> float:
    """CPU of all of gunicorn's workers so far: the live ones, and those the master has reaped
    (a worker replaced during a run still counts)."""
    fields = Path(f"/proc/{master_pid}/stat").read_text().rsplit(")", 1)[1].split()
    reaped = (int(fields[13]) + int(fields[14])) / CLK_TCK  # cutime, cstime
    return reaped + cpu_seconds(worker_pids(master_pid))


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


def rss_mb(pid: int) -> float:
    match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) / 1024


def wrk(url: str, *, seconds: int, connections: int, headers: dict | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rate, "requests": total, "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else None,
            "non2xx": int(errors.group(1)) if errors else 0}
