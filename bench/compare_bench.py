"""Compare backend-fixer's speed between git revisions, on the same corpus, in one run.

Each revision is checked out into a temporary ``git worktree`` and run with the
current interpreter (``PYTHONPATH`` pointing at it), so only the code differs.
Commands run alternately (revision A, B, A, B...) so that whatever else the
machine is doing weighs on every revision alike; the best time of ``--repeat``
runs is reported with the ratio to the first revision, and beside it the best
CPU time (user + system of the command's process): on a shared machine the wall
time swings with what else runs, the CPU time much less.

    python bench/compare_bench.py fa2d63a HEAD [--files 20000] [--repeat 5] [--out DIR]
        [--command "check {corpus} --jobs 1"] [--command "fix {corpus} --jobs 1"]
        [--instructions]

``--instructions`` counts instead the instructions each revision executes, once,
under valgrind's callgrind (``PYTHONHASHSEED=0``): the count does not depend on
what else the machine runs, so small differences are real. It is about fifty
times slower than a plain run (a minute per revision on 2,000 files).

``HEAD`` (or any revision) may also be ``WORKTREE`` for the files as they are
now, uncommitted changes included. Exits 0; the ratios are the result.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

DEFAULT_COMMANDS = ("check {corpus} --jobs 1", "fix {corpus} --jobs 1")


def _checkout(revision: str, scratch: Path) -> Path:
    if revision == "WORKTREE":
        return REPO
    target = scratch / revision.replace("/", "_")
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(target), revision],
        check=True,
    )
    return target


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _environment(source: Path, cwd: Path) -> dict[str, str]:
    """The environment a revision runs in: its sources first, its own bytecode cache.

    Each revision gets a cache of its own under the scratch directory, written by
    its first run even where PYTHONDONTWRITEBYTECODE is set: otherwise a checkout
    without a cache compiles every module on every run while one with a cache
    does not, and the comparison measures the compiler.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(source)
    env["PYTHONPYCACHEPREFIX"] = str(cwd / "pycache" / source.name)
    return env


def _time(source: Path, arguments: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and exit code of one run."""
    env = _environment(source, cwd)
    cpu_before = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "fixer", *arguments],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - started, _children_cpu() - cpu_before, done.returncode


def _instructions(source: Path, arguments: list[str], cwd: Path) -> tuple[int, int]:
    """Instructions executed by one run under callgrind, and its exit code."""
    env = {**_environment(source, cwd), "PYTHONHASHSEED": "0"}
    # A plain run first, so that every revision counts with a warm bytecode cache.
    _time(source, arguments, cwd)
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={cwd / 'callgrind.out'}",
            sys.executable,
            "-m",
            "fixer",
            *arguments,
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    match = re.search(r"Collected : (\d+)", done.stderr)
    if match is None:
        raise SystemExit(f"callgrind gave no count: {done.stderr.strip()[-300:]}")
    return int(match.group(1)), done.returncode


def _report_instructions(
    revisions: list[str], sources: dict[str, Path], commands: list[str], corpus: Path, cwd: Path
) -> None:
    for command in commands:
        arguments = command.format(corpus=corpus).split()
        counts = {rev: _instructions(sources[rev], arguments, cwd) for rev in revisions}
        first = counts[revisions[0]][0]
        print(f"\nbackend-fixer {command} (instructions, callgrind)")
        for rev in revisions:
            count, code = counts[rev]
            print(f"  {rev:<12} {count / 1e9:8.3f} G  {count / first:5.3f}x  exit {code}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("revisions", nargs="+")
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, help="where the corpus lives (default: a temp dir)")
    parser.add_argument("--command", action="append", help="backend-fixer arguments; {corpus}")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions under callgrind"
    )
    args = parser.parse_args()
    commands = args.command or list(DEFAULT_COMMANDS)
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        base = args.out or scratch
        corpus = base / f"corpus-{args.files}"
        if not corpus.is_dir():
            generate(corpus, args.files)
        sources = {rev: _checkout(rev, scratch) for rev in args.revisions}
        try:
            if args.instructions:
                print(f"python {sys.version.split()[0]}; corpus: {args.files} files in {corpus}")
                _report_instructions(args.revisions, sources, commands, corpus, scratch)
                return 0
            print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, best of {args.repeat}")
            print(f"corpus: {args.files} files in {corpus}")
            for command in commands:
                arguments = command.format(corpus=corpus).split()
                best = {rev: float("inf") for rev in args.revisions}
                best_cpu = {rev: float("inf") for rev in args.revisions}
                codes = {}
                for source in sources.values():
                    _time(source, arguments, scratch)  # untimed: writes the bytecode cache
                for _ in range(args.repeat):
                    for rev, source in sources.items():
                        seconds, cpu, code = _time(source, arguments, scratch)
                        best[rev] = min(best[rev], seconds)
                        best_cpu[rev] = min(best_cpu[rev], cpu)
                        codes[rev] = code
                first = best[args.revisions[0]]
                first_cpu = best_cpu[args.revisions[0]]
                print(f"\nbackend-fixer {command}")
                print(f"  {'revision':<12} {'wall':>9} {'ratio':>6}  {'cpu':>9} {'ratio':>6}")
                for rev in args.revisions:
                    ratio = best[rev] / first if first else float("nan")
                    cpu_ratio = best_cpu[rev] / first_cpu if first_cpu else float("nan")
                    print(
                        f"  {rev:<12} {best[rev]:7.2f} s {ratio:5.2f}x  "
                        f"{best_cpu[rev]:7.2f} s {cpu_ratio:5.2f}x  exit {codes[rev]}"
                    )
        finally:
            for source in sources.values():
                if source != REPO:
                    subprocess.run(
                        ["git", "-C", str(REPO), "worktree", "remove", "--force", str(source)],
                        check=False,
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
