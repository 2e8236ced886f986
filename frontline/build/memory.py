"""Giving memory a process has freed back to the system."""

from __future__ import annotations

import ctypes
import functools


@functools.cache  # looked up once per process
def _malloc_trim():  # noqa: ANN202 - a C function, or None
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # not glibc (musl, macOS): nothing to call
        return None


def give_back_freed_memory() -> None:
    """Return to the system what the C allocator keeps of the memory freed in this process.

    glibc keeps freed blocks in its heaps for reuse, and a thread's arena (the search's reply reader) hardly ever
    shrinks: a build waiting for the search index, or the process feeding Pagefind between two parts, would hold
    tens of MiB it no longer uses while Pagefind builds a part's bundle beside it."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
