"""Shared setup for the init-context tests: the sample loader lives beside them.

This directory is not on sys.path by itself (pytest runs in importlib mode), so
put it there for the test modules.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
