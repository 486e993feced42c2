"""Print-ready batches: many pages as one PDF, fast.

A batch is given as HTML documents ("chunks") that share one stylesheet. Small batches, and
PDF/A (which must be written as one document), are laid out as a single document in this
process. Larger ones are laid out in parallel by a pool of worker processes (one per core),
each writing its chunk as a PDF, and the chunks are joined page by page with pypdf. The pool
uses the "forkserver" start method, so workers never inherit locks held by the web server's
threads; it is created once and kept warm (fonts configured) for the next batch.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from pypdf import PdfWriter

from forumapp.documents import isolated
from forumapp.documents.render import RenderedPDF, html_to_pdf

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _die_with_owner(owner: int) -> None:
    """Initializer of each render process: exit when the process that owns the pool dies.

    Why: a Celery worker killed with SIGKILL cannot stop its pool; the forkserver then exits and
    its render processes (about 130 MB each) would live on, reparented, forever. The kernel
    sends SIGKILL when the parent (the forkserver) exits (Linux PR_SET_PDEATHSIG), and a
    watchdog thread also checks that the owner is still there (other systems, or a parent that
    outlives the owner)."""
    import ctypes
    import signal
    import time

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(1)
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                os._exit(1)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="owner-watchdog", daemon=True).start()


def _pool_executor() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None or _pool_owner != os.getpid():
            _set_pool(ProcessPoolExecutor(max_workers=workers(), mp_context=isolated.context(),
                                          initializer=_die_with_owner, initargs=(os.getpid(),)))
        return _pool


_pool_owner = 0


def _set_pool(pool: ProcessPoolExecutor) -> None:
    """A pool belongs to the process that made it (a forked Celery child makes its own)."""
    global _pool, _pool_owner
    _pool, _pool_owner = pool, os.getpid()


def _render_chunk(to_html: Callable, chunk, *, media_dir: str) -> tuple[bytes, list[str], int]:
    from forumapp.documents.fetcher import SafeURLFetcher
    from forumapp.documents.render import STATIC_DIR

    rendered = html_to_pdf(to_html(chunk), fetcher=SafeURLFetcher(STATIC_DIR, media_dir))
    return rendered.data, rendered.refused_urls, rendered.page_count


def warm_up(media_dir: str) -> None:
    """Start the worker processes and let each configure its fonts (about a second, once)."""
    pool = _pool_executor()
    html = '<p style="font-family: \'Forum Serif\'">Әә</p><p>Әә <b>Ә</b></p>'
    for future in [pool.submit(_render_chunk, str, html, media_dir=media_dir) for _ in range(workers())]:
        future.result()


def map_in_pool(function: Callable, chunks: list, *, parallel: bool = True,
                progress: Callable[[int], None] | None = None, sizes: list[int] | None = None) -> list:
    """`function(chunk)` for each chunk, in the worker pool (in this process when not
    `parallel` or for a single chunk), results in order; `progress(done)` as each finishes,
    with `done` the sum of `sizes` so far. `function` must be a module-level function."""
    if parallel and len(chunks) > 1:
        pool = _pool_executor()
        pending = [pool.submit(function, chunk) for chunk in chunks]
        calls = (future.result for future in pending)
    else:
        calls = (lambda chunk=chunk: function(chunk) for chunk in chunks)
    results = []
    for n, call in enumerate(calls):
        results.append(call())
        if progress and sizes:
            progress(sum(sizes[: n + 1]))
    return results


def join_pdfs(parts: list[bytes]) -> bytes:
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def print_batch(chunks: list, *, to_html: Callable = str, media_dir: str, pdf_variant: str | None = None,
                parallel: bool = True, progress: Callable[[int], None] | None = None,
                pages_per_chunk: list[int] | None = None) -> RenderedPDF:
    """Render chunks (in order) into one PDF. `to_html(chunk)` makes a chunk's HTML; it runs in
    the worker process, so it must be a module-level function and chunks plain data.
    `progress(pages_done)` is called as chunks finish; `pages_per_chunk` gives their sizes."""
    if pdf_variant or not parallel or len(chunks) == 1:
        from forumapp.documents.fetcher import SafeURLFetcher
        from forumapp.documents.render import STATIC_DIR, join_documents, render_html

        fetcher = SafeURLFetcher(STATIC_DIR, media_dir)
        documents = []
        for n, chunk in enumerate(chunks):
            documents.append(render_html(to_html(chunk), fetcher=fetcher, pdf_variant=pdf_variant))
            if progress and pages_per_chunk:
                progress(sum(pages_per_chunk[: n + 1]))
        return join_documents(documents, pdf_variant=pdf_variant)
    results = map_in_pool(partial(_render_chunk, to_html, media_dir=media_dir), chunks, progress=progress,
                          sizes=pages_per_chunk)
    data = join_pdfs([r[0] for r in results])
    refused = sorted({url for r in results for url in r[1]})
    return RenderedPDF(data, refused, sum(r[2] for r in results))
