"""Where rendered public responses are kept: Redis when FORUMAPP_REDIS_URL is set (shared by
every worker and host), else this process's memory. Both are bounded: memory by total size
(least recently used out first), Redis by a time to live on every entry (and by the server's
`maxmemory` with a `volatile-lru` policy, docs/PERFORMANCE.md).

`get_or_render` is single-flight: of the requests that miss the same key at once, one renders and
the others wait for its result, within this process (a lock per key stripe) and across processes
(a Redis lock with a lease), so a crowd never renders the same PDF concurrently.
"""

from __future__ import annotations

import json
import logging
import struct
import threading
import time
import uuid
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

log = logging.getLogger(__name__)


@dataclass
class CachedResponse:
    body: bytes
    mimetype: str
    etag: str
    last_modified: float  # Unix time
    headers: dict[str, str] = field(default_factory=dict)  # Content-Disposition and the like

    def dumps(self) -> bytes:
        meta = json.dumps({k: v for k, v in asdict(self).items() if k != "body"}).encode()
        return struct.pack(">I", len(meta)) + meta + self.body

    @classmethod
    def loads(cls, data: bytes) -> CachedResponse:
        (length,) = struct.unpack(">I", data[:4])
        meta = json.loads(data[4 : 4 + length])
        return cls(body=data[4 + length :], **meta)

    @property
    def size(self) -> int:
        return len(self.body) + 200


class MemoryStore:
    """Least recently used entries go first once the total size passes `max_bytes`."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, CachedResponse] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedResponse | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def set(self, key: str, entry: CachedResponse) -> None:
        if entry.size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old.size
            self._entries[key] = entry
            self._size += entry.size
            while self._size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._size -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0

    @property
    def size(self) -> int:
        return self._size

    def flight(self, key: str, wait: float):
        return _NoSharedFlight()


class _NoSharedFlight:
    """Within one process the stripe lock is the whole single flight."""

    def __enter__(self):
        return True

    def __exit__(self, *exc):
        return False


class RedisStore:
    """Entries under `prefix`, each with a time to live. Redis unreachable: every request is
    rendered (and logged) rather than failing.

    In front of Redis, each process keeps the entries it used last in its own memory (bounded by
    `local_max_bytes`, least recently used out first). That copy can never be stale: a key names
    the data version and the code release it was rendered from, so what is under a key never
    changes. It spares a crowd's requests the round trip to Redis, the transfer and the
    decompression of a page of 100-200 KB."""

    def __init__(self, url: str, *, ttl: int, max_entry_bytes: int, prefix: str = "forumapp:page:",
                 local_max_bytes: int = 0):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.ttl = ttl
        self.max_entry_bytes = max_entry_bytes
        self.prefix = prefix
        self.local = MemoryStore(local_max_bytes) if local_max_bytes > 0 else None

    def get(self, key: str) -> CachedResponse | None:
        if self.local is not None and (entry := self.local.get(key)) is not None:
            return entry
        try:
            data = self.client.get(self.prefix + key)
        except Exception:  # redis.RedisError, OSError: serve fresh rather than fail
            log.warning("page cache: Redis unreachable, rendering without it", exc_info=True)
            return None
        if not data:
            return None
        entry = CachedResponse.loads(zlib.decompress(data))
        if self.local is not None:
            self.local.set(key, entry)
        return entry

    def set(self, key: str, entry: CachedResponse) -> None:
        if entry.size > self.max_entry_bytes:
            return
        if self.local is not None:
            self.local.set(key, entry)
        try:
            self.client.set(self.prefix + key, zlib.compress(entry.dumps(), 1), ex=self.ttl)
        except Exception:
            log.warning("page cache: could not store in Redis", exc_info=True)

    def clear(self) -> None:
        """Empties Redis and this process's copy (other processes' copies go with their keys'
        versions, or when the process ends)."""
        if self.local is not None:
            self.local.clear()
        for name in self.client.scan_iter(self.prefix + "*"):
            self.client.delete(name)

    def flight(self, key: str, wait: float):
        return _RedisFlight(self, key, wait)


class _RedisFlight:
    """A lease in Redis: the holder renders; the others poll for the entry meanwhile. A holder
    that dies is replaced when its lease runs out; a waiter that gives up renders itself."""

    def __init__(self, store: RedisStore, key: str, wait: float):
        self.store, self.name, self.wait = store, store.prefix + "lock:" + key, wait
        self.token = uuid.uuid4().hex
        self.key = key

    def __enter__(self) -> bool:
        """True: this process renders. False: another did and the entry is in the store."""
        deadline = time.monotonic() + self.wait
        try:
            while True:
                if self.store.client.set(self.name, self.token, nx=True, px=int(self.wait * 1000)):
                    self.held = True
                    return True
                time.sleep(0.05)
                if self.store.get(self.key) is not None:
                    self.held = False
                    return False
                if time.monotonic() > deadline:
                    self.held = False
                    return True
        except Exception:
            self.held = False
            return True

    def __exit__(self, *exc):
        if self.held:
            try:  # release only our own lease (compare and delete, atomically)
                self.store.client.eval(
                    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end",
                    1, self.name, self.token,
                )
            except Exception:
                log.warning("page cache: could not release a Redis lock", exc_info=True)
        return False


_STRIPES = [threading.Lock() for _ in range(64)]


def get_or_render(store, key: str, render: Callable[[], tuple[object, CachedResponse | None]], *, wait: float = 60.0):
    """The entry under `key`, rendered once if missing. `render` returns (response, entry); the
    entry is None for a response that must not be kept (an error, a cookie): that response
    then goes to this caller only. Returns (entry, None) when the entry came from the store,
    (entry or None, response) when this caller rendered."""
    entry = store.get(key)
    if entry is not None:
        return entry, None
    with _STRIPES[hash(key) % len(_STRIPES)]:
        entry = store.get(key)
        if entry is not None:
            return entry, None
        with store.flight(key, wait) as we_render:
            if not we_render:
                entry = store.get(key)
                if entry is not None:
                    return entry, None
            response, entry = render()
            if entry is not None:
                store.set(key, entry)
            return entry, response
