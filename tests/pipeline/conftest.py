"""The pipeline tests build modules from in-memory bytes (``pipeline_support``).

This directory is not on sys.path by itself (pytest runs in importlib mode), so
its helper module is made importable here.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
