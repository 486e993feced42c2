"""Work in a child process that can be stopped (forumapp/documents/isolated.py): CPU time,
wall-clock time and memory each end it with a reason, and the caller carries on."""

from __future__ import annotations

import time

import pytest

from forumapp.documents.isolated import Limits, Stopped, run_isolated

MB = 1024 * 1024


def test_a_result_and_an_exception_come_back():
    assert run_isolated(sorted, [3, 1, 2], Limits(5, 512 * MB)) == [1, 2, 3]
    with pytest.raises(ValueError):
        run_isolated(int, "not a number", Limits(5, 512 * MB))


def test_cpu_time_is_limited():
    started = time.monotonic()
    with pytest.raises(Stopped) as stopped:
        run_isolated(sum, range(10**11), Limits(1, 512 * MB))
    assert stopped.value.reason == "timeout"
    assert time.monotonic() - started < 15


def test_waiting_is_limited_by_the_wall_clock():
    started = time.monotonic()
    with pytest.raises(Stopped) as stopped:
        run_isolated(time.sleep, 60, Limits(1, 512 * MB, wall_seconds=2))
    assert stopped.value.reason == "timeout"
    assert time.monotonic() - started < 10


def test_memory_is_limited():
    with pytest.raises(Stopped) as stopped:
        run_isolated(bytearray, 4 * 1024 * MB, Limits(10, 200 * MB))
    assert stopped.value.reason == "memory"
