"""Scale benchmark: backend-fixer on a 20,000-file monorepo, beside grep, terraform fmt and python-hcl2.

Generates (or reuses) two corpora with bench/corpus.py, one of 20,000 files and
one of 2,000, then times every command in its own fresh process, started by a
small launcher that reads the peak memory of its descendants
(``RUSAGE_CHILDREN`` ru_maxrss: the largest single process, so a worker pool
counts as its biggest member). In one run it prints:

* ``check`` and ``fix`` (a dry run, the diff thrown away) with ``--jobs 1`` and
  ``--jobs 2``, beside ``grep -rl backend`` and ``terraform fmt -check -recursive``
  (when terraform is on PATH): wall time, ratio to grep, peak memory;
* the memory ratio of ``check`` on 20,000 files to ``check`` on 2,000 (target:
  at most 1.5x, memory stays flat);
* issue 3's comparison: ``check`` beside ``grep -rl 'backend'`` and python-hcl2's
  full parse of every file of the smaller corpus (targets: ``check`` within 15x
  of grep, at least 10x faster than python-hcl2).

    python bench/scale_bench.py [--files 20000] [--small 2000] [--repeat 3] [--out DIR]

Times are the best of ``--repeat`` runs (the file cache is warm for every
command alike). Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

FIXER = [sys.executable, "-m", "fixer"]
MEMORY_TARGET = 1.5
GREP_TARGET = 15.0
HCL2_TARGET = 10.0


@dataclass(frozen=True)
class Measure:
    """One command's best wall time over the repeats, and its peak memory."""

    label: str
    seconds: float
    peak_mb: float
    code: int


def _launch(command: list[str], cwd: Path) -> dict[str, float]:
    """Run ``command`` from a fresh launcher process; return its wall time, peak RSS and exit code."""
    launcher = (
        "import json, resource, subprocess, sys, time\n"
        "started = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,"
        " env={**__import__('os').environ, 'CI': '1'})\n"
        "elapsed = time.perf_counter() - started\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': elapsed, 'peak_mb': peak, 'code': done.returncode}))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", launcher, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


def measure(label: str, command: list[str], cwd: Path, repeat: int) -> Measure:
    runs = [_launch(command, cwd) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["seconds"])
    return Measure(label, best["seconds"], max(r["peak_mb"] for r in runs), int(best["code"]))


def _corpus(base: Path, files: int) -> Path:
    root = base / f"corpus-{files}"
    marker = root / ".generated"
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        count, size = generate(root, files)
        marker.write_text(f"{count} {size}\n")
        print(f"generated {count} files, {size / 1e6:.1f} MB in {root}")
    else:
        count, size = (int(x) for x in marker.read_text().split())
        print(f"reusing {count} files, {size / 1e6:.1f} MB in {root}")
    return root


def _hcl2_worker(corpus: Path) -> None:
    """Parse every file with python-hcl2 (``hcl2.loads``: parse and transform, what its users call)."""
    import hcl2

    failed = 0
    for path in sorted(corpus.rglob("*.tf")):
        try:
            hcl2.loads(path.read_text(encoding="utf-8"))
        except Exception:
            failed += 1
    print(json.dumps({"failed": failed}))


def _row(measure: Measure, grep: Measure) -> str:
    ratio = measure.seconds / grep.seconds if grep.seconds else float("inf")
    return (
        f"  {measure.label:<38} {measure.seconds:8.2f} s  {ratio:7.1f}x grep"
        f"  peak {measure.peak_mb:7.0f} MB  exit {measure.code}"
    )


def _verdict(met: bool) -> str:
    return "target met" if met else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--small", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="where corpora live (default: a temp dir)")
    parser.add_argument(
        "--hcl2-files",
        choices=["small", "large"],
        default="small",
        help="which corpus python-hcl2 parses (large takes many minutes)",
    )
    parser.add_argument("--hcl2-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.hcl2_worker:
        _hcl2_worker(args.hcl2_worker)
        return 0

    base = args.out or Path(tempfile.mkdtemp(prefix="bf-scale-"))
    base.mkdir(parents=True, exist_ok=True)
    large = _corpus(base, args.files)
    small = _corpus(base, args.small)
    repeat = max(1, args.repeat)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, best of {repeat}\n")

    def run(label: str, command: list[str], corpus: Path, times: int = repeat) -> Measure:
        result = measure(label, command, corpus, times)
        print(_row(result, grep_of[corpus]) if corpus in grep_of else f"  {label}: {result}")
        return result

    grep_of: dict[Path, Measure] = {}
    print(f"{args.files} files:")
    grep_of[large] = measure("grep -rl backend", ["grep", "-rl", "backend", "."], large, repeat)
    print(_row(grep_of[large], grep_of[large]))
    results: dict[str, Measure] = {}
    for jobs in (1, 2):
        results[f"check-{jobs}"] = run(
            f"backend-fixer check --jobs {jobs}", [*FIXER, "check", "--jobs", str(jobs), "."], large
        )
        results[f"fix-{jobs}"] = run(
            f"backend-fixer fix --jobs {jobs} (dry run)",
            [*FIXER, "fix", "--jobs", str(jobs), "."],
            large,
        )
    terraform = shutil.which("terraform")
    if terraform:
        results["fmt"] = run(
            "terraform fmt -check -recursive",
            [terraform, "fmt", "-check", "-recursive", "."],
            large,
        )
    else:
        print("  terraform fmt: terraform is not on PATH, skipped")

    print(f"\n{args.small} files:")
    grep_of[small] = measure("grep -rl backend", ["grep", "-rl", "backend", "."], small, repeat)
    print(_row(grep_of[small], grep_of[small]))
    small_check = {
        jobs: run(
            f"backend-fixer check --jobs {jobs}", [*FIXER, "check", "--jobs", str(jobs), "."], small
        )
        for jobs in (1, 2)
    }

    hcl2_corpus = small if args.hcl2_files == "small" else large
    hcl2 = measure(
        "python-hcl2 full parse",
        [sys.executable, str(Path(__file__).resolve()), "--hcl2-worker", str(hcl2_corpus)],
        hcl2_corpus,
        1,
    )
    print(_row(hcl2, grep_of[hcl2_corpus]))

    print("\ntargets:")
    ok = True
    for jobs in (1, 2):
        ratio = results[f"check-{jobs}"].peak_mb / small_check[jobs].peak_mb
        met = ratio <= MEMORY_TARGET
        ok &= met
        print(
            f"  memory, check --jobs {jobs}: {results[f'check-{jobs}'].peak_mb:.0f} MB on "
            f"{args.files} files / {small_check[jobs].peak_mb:.0f} MB on {args.small} = "
            f"{ratio:.2f}x (at most {MEMORY_TARGET}x): {_verdict(met)}"
        )
    # check runs one worker per CPU by default, so both counts are judged.
    for corpus, size in ((large, args.files), (small, args.small)):
        for jobs in (1, 2):
            check = results[f"check-{jobs}"] if corpus is large else small_check[jobs]
            ratio = check.seconds / grep_of[corpus].seconds
            met = ratio <= GREP_TARGET
            ok &= met
            print(
                f"  check --jobs {jobs} vs grep on {size} files: {ratio:.1f}x "
                f"(within {GREP_TARGET:.0f}x): {_verdict(met)}"
            )
    check_on_hcl2 = results["check-1"] if hcl2_corpus is large else small_check[1]
    speedup = hcl2.seconds / check_on_hcl2.seconds
    met = speedup >= HCL2_TARGET
    ok &= met
    print(
        f"  check --jobs 1 vs python-hcl2 on {hcl2_corpus.name}: {speedup:.1f}x faster "
        f"(at least {HCL2_TARGET:.0f}x): {_verdict(met)}"
    )
    if "fmt" in results:
        print(
            f"  check --jobs 1 vs terraform fmt: "
            f"{results['check-1'].seconds / results['fmt'].seconds:.1f}x its time"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
