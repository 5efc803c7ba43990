"""Parser benchmark: our lossless parser against python-hcl2 on the same corpus.

Generates (or reuses) a corpus with bench/corpus.py, then parses every file with
each parser in a fresh process, so peak memory (ru_maxrss) belongs to one parser.
Prints throughput in MB/s, the ratio, each parser's round-trip success rate
(python-hcl2: parse, transform, reconstruct, compare), our peak memory, and the
time of a cold ``backend-fixer --version`` and a cold parse.

    python bench/parse_bench.py [--files 5000] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

SUFFIXES = (".tf", ".hcl", ".tfvars")


def _files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.suffix in SUFFIXES and p.is_file())


def _worker_ours(corpus: Path) -> dict[str, float]:
    from fixer.syntax import ParseError, parse, warm_up

    warm_up()
    texts = [p.read_bytes().decode("utf-8") for p in _files(corpus)]
    size = sum(len(t.encode("utf-8")) for t in texts)
    ok = failed = 0
    started = time.perf_counter()
    for text in texts:
        try:
            tree = parse(text)
        except ParseError:
            failed += 1
            continue
        ok += tree.text == text
    elapsed = time.perf_counter() - started
    # Round trip, checked the hard way: rebuild from tokens and the gaps between them.
    lossless = 0
    for text in texts:
        pieces, position = [], 0
        for token in parse(text).tokens():
            pieces.append(text[position : token.start])
            pieces.append(token.value)
            position = token.end
        pieces.append(text[position:])
        lossless += "".join(pieces) == text
    return {
        "files": len(texts),
        "bytes": size,
        "seconds": elapsed,
        "parsed": ok,
        "failed": failed,
        "round_trip": min(ok, lossless),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _worker_hcl2(corpus: Path) -> dict[str, float]:
    from hcl2.api import parses_to_tree, reconstruct, transform

    texts = [p.read_bytes().decode("utf-8") for p in _files(corpus)]
    size = sum(len(t.encode("utf-8")) for t in texts)
    parsed = failed = round_trip = 0
    elapsed = 0.0
    for text in texts:
        started = time.perf_counter()
        try:
            tree = parses_to_tree(text)
        except Exception:
            failed += 1
            continue
        finally:
            elapsed += time.perf_counter() - started
        parsed += 1
        # Reconstruct right away (untimed) so trees never pile up in memory.
        with contextlib.suppress(Exception):  # a crash in its printer is a failed round trip
            round_trip += reconstruct(transform(tree)) == text
    return {
        "files": len(texts),
        "bytes": size,
        "seconds": elapsed,
        "parsed": parsed,
        "failed": failed,
        "round_trip": round_trip,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _in_subprocess(worker: str, corpus: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--worker", worker, "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


def _cold(command: list[str], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--worker", choices=["ours", "hcl2"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        result = (_worker_ours if args.worker == "ours" else _worker_hcl2)(args.corpus)
        print(json.dumps(result))
        return

    corpus = args.corpus or Path(tempfile.mkdtemp(prefix="bf-corpus-"))
    if not _files(corpus):
        count, size = generate(corpus, args.files)
        print(f"corpus: generated {count} files, {size / 1e6:.1f} MB in {corpus}")
    else:
        print(f"corpus: {len(_files(corpus))} files in {corpus}")

    ours = _in_subprocess("ours", corpus)
    hcl2 = _in_subprocess("hcl2", corpus)
    mb = ours["bytes"] / 1e6
    ours_speed = mb / ours["seconds"]
    hcl2_speed = hcl2["bytes"] / 1e6 / hcl2["seconds"]
    print(f"files: {ours['files']}, {mb:.1f} MB")
    print(
        f"backend-fixer : {ours_speed:6.2f} MB/s  parsed {ours['parsed']}/{ours['files']}"
        f"  round trip {100 * ours['round_trip'] / ours['files']:.1f}%  peak RSS {ours['peak_rss_mb']:.0f} MB"
    )
    print(
        f"python-hcl2   : {hcl2_speed:6.2f} MB/s  parsed {hcl2['parsed']}/{hcl2['files']}"
        f"  round trip {100 * hcl2['round_trip'] / hcl2['files']:.1f}%  peak RSS {hcl2['peak_rss_mb']:.0f} MB"
    )
    print(f"speed ratio   : {ours_speed / hcl2_speed:.1f}x python-hcl2")

    exe = [sys.executable, "-m", "fixer"]
    print(f"cold `backend-fixer --version`: {1000 * _cold([*exe, '--version']):.0f} ms")
    with tempfile.TemporaryDirectory() as cache:
        env_code = "from fixer.syntax import parse; parse('a = 1')"
        os.environ["XDG_CACHE_HOME"] = cache
        first = _cold([sys.executable, "-c", env_code], repeat=1)
        warm = _cold([sys.executable, "-c", env_code])
    print(
        f"cold parse, grammar built: {1000 * first:.0f} ms; loaded from cache: {1000 * warm:.0f} ms"
    )


if __name__ == "__main__":
    main()
