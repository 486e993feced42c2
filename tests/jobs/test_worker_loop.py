"""The worker's event loop with the threads pool: acknowledgements are not left waiting.

A task run by a pool thread hands its acknowledgement to the event loop, which runs it when it
next wakes; the loop reads no new message while every prefetched one is unacknowledged. Without
a timer of its own it slept up to 2 s there, and mail went out 8 messages every 2 s (1,000
confirmations took 190 s after a registration burst; with the timer 13-17 s: docs/PERFORMANCE.md)."""

from __future__ import annotations

import time
from types import SimpleNamespace

from celery.concurrency.prefork import TaskPool as PreforkPool
from celery.concurrency.thread import TaskPool as ThreadPool
from kombu.asynchronous import Hub

from forumapp.jobs.celery_app import ACK_WAKE_SECONDS, WakeForAcknowledgements


def _timers(hub: Hub) -> list:
    return [entry for entry in hub.timer.queue if not entry.entry.canceled]


def test_every_worker_of_the_app_has_the_step(app):
    assert WakeForAcknowledgements in app.extensions["celery"].steps["consumer"]


def test_with_the_threads_pool_the_loop_wakes_at_least_every_50_ms():
    hub = Hub()
    consumer = SimpleNamespace(hub=hub, pool=ThreadPool(limit=2))
    step = WakeForAcknowledgements(consumer)
    step.start(consumer)
    (timer,) = _timers(hub)
    assert timer.eta - time.monotonic() <= ACK_WAKE_SECONDS <= 0.05
    step.stop(consumer)
    assert _timers(hub) == []


def test_the_prefork_pool_acknowledges_in_the_loop_itself_and_needs_no_timer():
    hub = Hub()
    consumer = SimpleNamespace(hub=hub, pool=PreforkPool.__new__(PreforkPool))
    step = WakeForAcknowledgements(consumer)
    step.start(consumer)
    assert _timers(hub) == []
