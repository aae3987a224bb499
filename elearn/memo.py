"""Bounded in-memory memos: derived values kept under everything that shapes them.

A memo is a cache, not state: every entry can be rebuilt from its key (and the database), so any
host or a restarted worker gives the same answer. Least recently used entries are dropped first
(cachetools' LRU); a lock makes it safe for gunicorn's threads.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from threading import Lock
from typing import TypeVar

from cachetools import LRUCache

T = TypeVar("T")


class Memo:
    def __init__(self, maxsize: int, getsizeof: Callable[[object], int] | None = None):
        """At most ``maxsize`` entries, or with ``getsizeof`` (``len`` for bytes) at most ``maxsize`` in all
        by that measure; a single value larger than that is returned but not kept."""
        self._entries: LRUCache = LRUCache(maxsize=maxsize, getsizeof=getsizeof)
        self._lock = Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value kept under ``key``, made (outside the lock) and kept on first use."""
        with self._lock:
            try:
                return self._entries[key]
            except KeyError:
                pass
        value = make()
        with self._lock:
            try:
                self._entries[key] = value
            except ValueError:  # larger than the whole memo
                pass
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
