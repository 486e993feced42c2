"""Worker memory under concurrent programme-PDF requests (issue 14: it grew 155 → 982 MB in
60 s when overlapping gc pauses never let the collector back on).

    .venv/bin/python bench/pdf_memory.py [--seconds 60] [--connections 8] [--baseline]

A throw-away PostgreSQL database with a 120-item forum; gunicorn on loopback, 1 worker × 4
gthread threads, page cache off so that every request renders; wrk keeps `connections` PDF
requests in flight. Prints the worker's RSS after warm-up, its peak and its value at the end,
sampled every second. The start is read after a warm-up (two renders, then four at once); the end is read once the requests wrk left queued have finished. --baseline runs the same with the pause's garbage ceiling switched off
(render.GARBAGE_CEILING = infinity: the behaviour before the fix) for a side-by-side figure.
Goal: the end within 50 MB of the start.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
import urllib.request

from _server import build_forums, cpu_seconds, gunicorn, rss_mb, throwaway_database, worker_pids, wrk

BASELINE_CONFIG = """
def post_fork(server, worker):
    from forumapp.documents import render
    render.GARBAGE_CEILING = float("inf")
"""


def wait_idle(pid: int) -> None:
    """Until the worker has used no CPU for 2 s (at most 120 s)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        before = cpu_seconds([pid])
        time.sleep(2)
        if cpu_seconds([pid]) - before < 0.02:
            return


def measure(url, slug, *, seconds, connections, baseline) -> dict:
    config = None
    if baseline:
        handle = tempfile.NamedTemporaryFile("w", suffix=".py", delete=False)
        handle.write(BASELINE_CONFIG)
        handle.close()
        config = handle.name
    try:
        with gunicorn(url, workers=1, threads=4, env={"FORUMAPP_PAGE_CACHE": "0", "FORUMAPP_REDIS_URL": ""},
                      config=config) as (base, process):
            (pid,) = worker_pids(process.pid)
            target = f"{base}/e/{slug}/programme.pdf"
            # Warm-up: two renders one after the other, then four at once (each of the worker's
            # threads gets its allocator arena and WeasyPrint its caches), then idle.
            fetch = lambda: urllib.request.urlopen(  # noqa: E731
                urllib.request.Request(target, headers={"Accept-Language": "kk"}), timeout=300).read()
            for _ in range(2):
                fetch()
            warmers = [threading.Thread(target=fetch) for _ in range(4)]
            for thread in warmers:
                thread.start()
            for thread in warmers:
                thread.join()
            wait_idle(pid)
            start = rss_mb(pid)
            samples = []
            done = threading.Event()

            def sample():
                while not done.is_set():
                    samples.append(rss_mb(pid))
                    time.sleep(1)

            sampler = threading.Thread(target=sample)
            sampler.start()
            figures = wrk(target, seconds=seconds, connections=connections, headers={"Accept-Language": "kk"})
            wait_idle(pid)  # wrk has stopped; the requests it left queued are still rendering
            done.set()
            sampler.join()
            end = rss_mb(pid)
            return {"start_mb": start, "peak_mb": max(samples + [end]), "end_mb": end, "pdfs": figures["requests"],
                    "rps": figures["rps"]}
    finally:
        if config:
            os.unlink(config)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--baseline", action="store_true", help="also run with the garbage ceiling off")
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()}")
    with throwaway_database() as url:
        forums = build_forums(url, {"forum-120": 120})
        runs = {"fixed": measure(url, "forum-120", seconds=args.seconds, connections=args.connections, baseline=False)}
        if args.baseline:
            runs["ceiling off (before the fix)"] = measure(
                url, "forum-120", seconds=args.seconds, connections=args.connections, baseline=True)
    print(f"load after: {os.getloadavg()}")
    for name, r in runs.items():
        print(f"{name}: {r['pdfs']} PDFs in {args.seconds} s ({r['rps']:.2f}/s), worker RSS start {r['start_mb']:.0f} MB,"
              f" peak {r['peak_mb']:.0f} MB, end {r['end_mb']:.0f} MB (end − start {r['end_mb'] - r['start_mb']:+.0f} MB)")
    _ = forums


if __name__ == "__main__":
    main()
