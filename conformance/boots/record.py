"""One boot as a history record: what the boot showed (milestones with their instruction
counts, transcripts, counts, engine statistics, image hashes), how fast it ran (wall time,
guest MIPS, and wall time in units of the reference workload), and what it was run from
(project version, git commit, date, host)."""

from __future__ import annotations

import datetime
import os
import platform
import socket
import subprocess
from functools import cache
from pathlib import Path

from refvmm import __version__
from refvmm.boot.session import BootLog


def _checkout() -> Path:
    """The project's checkout: where this package lies when installed in place, else the
    working folder (tox installs the package elsewhere and runs from the checkout)."""
    here = Path(__file__).resolve().parents[2]
    for folder in (here, Path.cwd()):
        if (folder / "ci" / "fetch_guests.py").is_file():
            return folder
    return here


CHECKOUT = _checkout()
# what must come out the same on every run of the same code: a change is a regression to report
TRANSCRIPTS = ("serial", "debug", "screen")


@cache
def git_commit(folder: Path = CHECKOUT) -> tuple[str, bool]:
    """(the commit checked out, whether the tree has changes), or ("unknown", False) outside git."""
    try:
        head = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
        dirty = subprocess.run(
            ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown", False
    if head.returncode != 0:
        return "unknown", False
    return head.stdout.strip(), bool(dirty.stdout.strip())


def host() -> dict[str, str | int]:
    return {
        "name": socket.gethostname(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
    }


def make(guest: str, log: BootLog, reference_seconds: float, run: str, screenshot: str = "") -> dict:
    commit, dirty = git_commit()
    return {
        "guest": guest,
        "engine": log.engine,
        "version": __version__,
        "commit": commit,
        "dirty": dirty,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "host": host(),
        "run": run,
        "reason": log.reason,
        "message": log.message,
        "milestones": dict(log.milestones),
        "instructions": log.instructions,
        "idle": log.idle,
        "wall_seconds": log.wall_seconds,
        "mips": round(log.mips, 4),
        "reference_seconds": round(reference_seconds, 5),
        "speed": round(log.wall_seconds / reference_seconds, 3) if reference_seconds else None,
        "serial": log.serial,
        "debug": log.debug,
        "screen": log.screen,
        "stats": dict(log.stats),
        "images": dict(log.images),
        "screenshot": screenshot,
    }


def run_id(now: datetime.datetime | None = None) -> str:
    """What the records of one invocation share: its start (to the microsecond, so two runs
    never share it) and the commit."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S.%fZ") + "-" + git_commit()[0][:10]
