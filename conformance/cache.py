"""Where the project keeps what it can rebuild: assembled programs, generated tests, guests."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """$REFVMM_CACHE, else $XDG_CACHE_HOME/refvmm, else ~/.cache/refvmm."""
    explicit = os.environ.get("REFVMM_CACHE")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")) / "refvmm"
