"""Analysis in several processes on one machine, results in input order, memory bounded.

Owns `analyze_in_processes`: each worker process loads the model once; documents go out in small
batches through a window of at most `2 × workers` batches in flight, so a corpus of any size
streams through in bounded memory; the caller (the single writer) gets (Document, Analysis) pairs
in the order the documents came.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from claimledger.analysis.schema import Analysis, Document

_ANALYZER = None  # the loaded model, one per worker process
PR_SET_PDEATHSIG = 1  # prctl option: a signal for this process when its parent dies


def _die_with_parent() -> None:
    """A worker must not outlive the ingest that started it (kill -9 of the parent included)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the watcher below still ends the worker within a second
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _load(model: str | None) -> None:
    global _ANALYZER
    _die_with_parent()
    from claimledger.analysis.analyzer import Analyzer

    _ANALYZER = Analyzer(model)


def _analyze(batch: list[Document]) -> list[Analysis]:
    assert _ANALYZER is not None, "worker started without its model"
    return list(_ANALYZER.analyze_many(batch))


def analyze_in_processes(documents: Iterable[Document], workers: int, model: str | None = None,
                         batch_size: int = 8) -> Iterator[tuple[Document, Analysis]]:
    """(Document, Analysis) pairs in input order, analysed by `workers` processes."""
    stream = iter(documents)
    window: deque[tuple[list[Document], Future]] = deque()
    with ProcessPoolExecutor(max_workers=workers, initializer=_load, initargs=(model,)) as pool:
        while True:
            while len(window) < 2 * workers:
                batch = list(islice(stream, batch_size))
                if not batch:
                    break
                window.append((batch, pool.submit(_analyze, batch)))
            if not window:
                return
            batch, future = window.popleft()
            yield from zip(batch, future.result())
