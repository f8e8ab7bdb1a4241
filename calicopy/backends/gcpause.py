"""No cyclic garbage collection while a list is decoded and converted (both datastores' lists)."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["gc_paused"]

_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a list is decoded and converted.

    A list of 10,000 policies builds a few million objects, none of them garbage; with the
    collector on, every full collection walks all of them again, which made such a list ~3x
    slower (``benchmarks/bench_list.py``).  The pause is process-wide but short, nests across
    threads (the collector comes back when the last pause ends, if it was on before the first),
    and reference counting frees ordinary garbage meanwhile.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                # Everything allocated meanwhile is in the youngest generation, whose next
                # collection would walk it all once more; freeze + unfreeze moves every object to
                # the oldest generation instead (a list splice, no walk), where the results of a
                # list belong: they are kept, and a full collection still finds any cycle.  Not
                # when the program froze objects itself (before a fork): unfreeze would undo that.
                if gc.get_freeze_count() == 0:
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()
