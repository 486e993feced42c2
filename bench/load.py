"""Public pages under a crowd, page cache on and off side by side (issue 14).

    .venv/bin/python bench/load.py [--seconds 8] [--connections 50] [--sizes 120,480]

Creates a throw-away PostgreSQL database (dropped at the end) with a 120-item and a 480-item
forum, starts gunicorn on loopback (2 workers × 4 gthread threads) once with the cache on (in
Redis db 8, FORUMAPP_REDIS_URL) and once with it off (FORUMAPP_PAGE_CACHE=0), and runs wrk
against each page for a bounded time. Prints requests/s, p99 latency and the workers' CPU per
request (read from /proc, so it counts the app and not wrk). With the cache off the PDF is asked
by 4 connections, not 50: a crowd on an uncached PDF only measures the queue.
"""

from __future__ import annotations

import argparse
import os
import urllib.request

from _server import build_forums, gunicorn, server_cpu_seconds, throwaway_database, wrk

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
PAGES = [
    ("event home", "/e/{slug}/", "en"),
    ("programme (kk)", "/e/{slug}/programme", "kk"),
    ("programme (en)", "/e/{slug}/programme", "en"),
    ("programme grid", "/e/{slug}/programme?view=grid", "kk"),
    ("programme search", "/e/{slug}/programme?q=%D0%B7%D0%B0%D0%BB", "kk"),
    ("item page", "/e/{slug}/items/{item_id}", "en"),
    ("schedule.json", "/e/{slug}/schedule.json", "en"),
    ("programme.ics", "/e/{slug}/programme.ics", "en"),
    ("programme.pdf", "/e/{slug}/programme.pdf", "kk"),
]


def clear_redis_pages():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for name in client.scan_iter("forumapp:page:*"):
        client.delete(name)


def run_mode(url, forums, *, cache: bool, seconds: int, connections: int) -> dict:
    env = {"FORUMAPP_PAGE_CACHE": "1" if cache else "0", "FORUMAPP_REDIS_URL": REDIS_URL if cache else ""}
    if cache:
        clear_redis_pages()
    results = {}
    with gunicorn(url, env=env) as (base, process):
        for slug, info in forums.items():
            for name, path, lang in PAGES:
                target = base + path.format(slug=slug, **info)
                headers = {"Accept-Language": lang}
                request = urllib.request.Request(target, headers=headers)
                for _ in range(2):  # warm both workers (and, with the cache on, fill it)
                    urllib.request.urlopen(request, timeout=300).read()
                pdf_uncached = name == "programme.pdf" and not cache
                # With the cache, a second of the same crowd first, not measured: the workers'
                # database pools grow to a connection per thread (a new PostgreSQL connection
                # takes ~10 ms), which otherwise lands in the first page's p99 only. (Not without
                # the cache: the renders that crowd leaves queued would run into the next page.)
                if cache:
                    wrk(target, seconds=1, connections=connections, headers=headers)
                before = server_cpu_seconds(process.pid)
                figures = wrk(target, seconds=seconds, connections=4 if pdf_uncached else connections,
                              headers=headers)
                spent = server_cpu_seconds(process.pid) - before
                figures["cpu_ms"] = 1000 * spent / max(figures["requests"], 1)
                results[(slug, name)] = figures
                print(f"  {'cache' if cache else 'no cache'} {slug} {name}: {figures}", flush=True)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--sizes", default="120,480")
    args = parser.parse_args()
    sizes = {f"forum-{n}": int(n) for n in args.sizes.split(",")}
    print(f"load before: {os.getloadavg()}")
    with throwaway_database() as url:
        forums = build_forums(url, sizes)
        on = run_mode(url, forums, cache=True, seconds=args.seconds, connections=args.connections)
        off = run_mode(url, forums, cache=False, seconds=args.seconds, connections=args.connections)
    print(f"load after: {os.getloadavg()}")
    print()
    header = "| page | " + " | ".join(
        f"{slug}: cache on req/s, p99 | {slug}: cache off req/s, p99, CPU/req" for slug in sizes) + " |"
    print(header)
    print("|---" * (1 + 2 * len(sizes)) + "|")
    for name, _, _ in PAGES:
        cells = []
        for slug in sizes:
            a, b = on[(slug, name)], off[(slug, name)]
            cells.append(f"{a['rps']:.0f}, {a['p99_ms']:.0f} ms")
            cells.append(f"{b['rps']:.1f}, {b['p99_ms']:.0f} ms, {b['cpu_ms']:.0f} ms")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    print("cache on, CPU per request (ms): " + ", ".join(
        f"{slug} {name} {on[(slug, name)]['cpu_ms']:.1f}" for slug in sizes for name, _, _ in PAGES))
    errors = {k: v["non2xx"] for d in (on, off) for k, v in d.items() if v["non2xx"]}
    if errors:
        print(f"non-2xx responses: {errors}")


if __name__ == "__main__":
    main()
