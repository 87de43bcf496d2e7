"""What the two atheris fuzz targets share: where their corpora and crash files live, their seed
inputs, and how a fixed time budget is handed to libFuzzer.

Usage of a target: `scripts/fuzz_X.py [SECONDS] [libFuzzer flags ...]` (SECONDS defaults to the
FUZZ_SECONDS environment variable, else 60). The corpus grows in .cache/fuzz/NAME/ across runs; a
crash stops the run, leaves its input in .cache/fuzz/crashes/ and exits non-zero, so `make fuzz`
fails. Turn each crash into a regression test with its minimal input (libFuzzer's -minimize_crash=1).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "fuzz"


def fuzz(name: str, seeds: Iterable[bytes], test_one_input: Callable[[bytes], None], max_len: int) -> None:
    import atheris

    corpus = CACHE / name
    crashes = CACHE / "crashes"
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    for index, seed in enumerate(seeds):
        path = corpus / f"seed-{index:03d}"
        if not path.exists():
            path.write_bytes(seed)
    args = sys.argv[1:]
    seconds = args.pop(0) if args and args[0].isdigit() else os.environ.get("FUZZ_SECONDS", "60")
    argv = [sys.argv[0], str(corpus), f"-max_total_time={seconds}", f"-max_len={max_len}",
            f"-artifact_prefix={crashes}/{name}-", "-print_final_stats=1", *args]
    print(f"fuzzing {name} for {seconds} s; corpus {corpus.relative_to(ROOT)}", flush=True)
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()
