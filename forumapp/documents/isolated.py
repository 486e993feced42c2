"""Run one piece of untrusted-cost work (an organiser's own design) in a process that can be
stopped: its own forkserver child, with limits on CPU seconds and address space, killed when a
wall-clock timeout passes.

Why a process per call and not a thread or the warm pool of forumapp.documents.batch: Python
cannot stop a thread, and a pool worker killed for a timeout takes the pool down with it. A
child forked from the forkserver (which has WeasyPrint and Jinja imported already) starts
quickly, and whatever it does is gone when it ends.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
from collections.abc import Callable
from dataclasses import dataclass

# Imported once by the forkserver, so that every child starts with them loaded (and fonts set up).
PRELOAD = ["forumapp.documents.preload"]


@dataclass(frozen=True)
class Limits:
    seconds: float  # CPU time of the child
    memory_bytes: int  # address space the child may add to what it starts with
    wall_seconds: float | None = None  # killed after this long (default: twice the CPU time and 2 s)

    @property
    def wall(self) -> float:
        # More than the CPU time: on a busy machine the child gets only part of a core, and its
        # start (fonts) counts too. Nothing in a design can wait without using CPU.
        return self.wall_seconds or 2 * self.seconds + 2


class Stopped(Exception):
    """The work was stopped: `reason` is "timeout", "memory" or "crashed"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def context():
    """The forkserver context shared with forumapp.documents.batch (a child never inherits locks
    held by the web server's threads)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _address_space() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(connection, function: Callable, argument, limits: Limits) -> None:
    cpu = max(1, int(limits.seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU ends the child
    start = _address_space()
    if start:
        resource.setrlimit(resource.RLIMIT_AS, (start + limits.memory_bytes, start + limits.memory_bytes))
    try:
        result = ("ok", function(argument))
    except MemoryError:
        result = ("stopped", "memory")
    except Exception as error:  # returned to the parent, which decides what it means
        result = ("error", error)
    try:
        connection.send(result)
    except MemoryError:
        connection.send(("stopped", "memory"))
    except Exception as error:  # an exception that cannot be pickled
        connection.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
    connection.close()


def _reason(exitcode: int | None) -> str:
    if exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
        return "timeout"
    # A C library (cairo, Pango) that cannot allocate under the address-space limit aborts.
    if exitcode in (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS):
        return "memory"
    return "crashed"


def run_isolated(function: Callable, argument, limits: Limits):
    """`function(argument)` in a child process; its result, or the exception it raised.
    Raises Stopped("timeout") when it runs out of time or CPU, Stopped("memory") when it runs
    out of memory. `function` must be a module-level function and `argument` plain data."""
    ctx = context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, function, argument, limits), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(limits.wall):
            raise Stopped("timeout")
        try:
            status, value = receiver.recv()
        except EOFError:  # the child died without answering
            process.join(1)
            raise Stopped(_reason(process.exitcode)) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status == "stopped":
        raise Stopped(value)
    if status == "error":
        raise value
    return value
