"""Fixtures for the reliability tests: the command line run for real, in a child or in-process.

The helpers live in ``reliability_cli.py`` beside this file (the folder is put on
``sys.path``, since pytest runs in importlib mode).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
