"""A gunicorn gthread worker that takes a new connection only while one of its threads is free
(`worker_class = "forumapp.operations.gunicorn_worker.BalancedThreadWorker"`, deploy/gunicorn.conf.py).

Why: gunicorn's workers share one listening socket and each accepts whatever it sees first. A
crowd (or nginx's pool of upstream connections) opens its keep-alive connections at once and
they stay with the worker that accepted them: measured here with 50 connections on 2 workers,
the split was 45/5, 46/4 and 42/8 in three runs. Both workers then burn the same CPU, but the
one holding 45 connections answers them nine times slower: a p99 of 175-240 ms for cached
pages that take 2 ms of CPU.

A worker whose threads are all busy now stops listening for new connections until one of them
is free, so new connections go to the worker that has time for them, and each worker ends up
with the connections it can serve. (gunicorn's own bound, `worker_connections`, is no help: a
worker at the bound stops reading its kept-alive connections too, and stalls for a second.)
Requests on connections a worker already holds are served as before; while every thread of
every worker is busy, new connections wait in the kernel's backlog, as they would wait in a
worker's queue.
"""

from __future__ import annotations

import selectors
import threading
from functools import partial

from gunicorn.workers.gthread import ThreadWorker


class BalancedThreadWorker(ThreadWorker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._in_flight = 0
        self._count_lock = threading.Lock()
        self._listening = True

    def run(self):
        self._acceptors = {sock: partial(self.accept, sock.getsockname()) for sock in self.sockets}
        super().run()

    def enqueue_req(self, conn):
        with self._count_lock:
            self._in_flight += 1
            if self._in_flight >= self.cfg.threads:
                self._listen(False)
        super().enqueue_req(conn)

    def finish_request(self, fs):
        try:
            super().finish_request(fs)
        finally:
            with self._count_lock:
                self._in_flight -= 1
                if self._in_flight < self.cfg.threads:
                    self._listen(True)

    def _listen(self, on: bool) -> None:
        """(Un)register the listening sockets with the poller (the caller holds _count_lock)."""
        if on == self._listening or not self.alive:
            return
        with self._lock:  # gthread's own lock around the poller
            for sock in self.sockets:
                if on:
                    # The acceptor gunicorn registered, rebuilt (run() keeps no reference to it).
                    self.poller.register(sock, selectors.EVENT_READ, self._acceptors[sock])
                else:
                    self.poller.unregister(sock)
        self._listening = on
