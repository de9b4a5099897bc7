"""Real guests for the boot tests: fetched and built on demand by ci/fetch_guests.py
(pinned by sha256), booted through refvmm.boot.session, their boot logs kept as JSON in
$REFVMM_BOOT_LOGS (default: boot-logs in the refvmm cache folder)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from conformance.cache import cache_root
from refvmm.boot.session import BootLog

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ci"))
import fetch_guests  # noqa: E402

ROOT = fetch_guests.default_cache() / "root"
BIOS = ROOT / "usr/share/seabios/bios.bin"
INVADERS = ROOT / "boot/invaders.exec"


def need(images: tuple[str, ...] = (), packages: tuple[str, ...] = ()) -> None:
    """Fetch and build what a test boots, or skip it with the reason (no archive, no apt-get)."""
    try:
        problems = fetch_guests.ensure(list(images), list(packages))
    except (OSError, FileNotFoundError) as exc:
        problems = [str(exc)]
    if problems:
        pytest.skip(f"guest unavailable: {problems[0]}")


def image(name: str) -> bytes:
    return fetch_guests.image_path(name).read_bytes()


def record(name: str, log: BootLog) -> Path:
    """Keep the boot log as JSON, for a person reading a CI run."""
    folder = Path(os.environ.get("REFVMM_BOOT_LOGS") or cache_root() / "boot-logs")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(log.to_json())
    return path
