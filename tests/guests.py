"""Real guests for the boot tests: the pinned guests of conformance/boots/catalogue.py
(fetched and built on demand by ci/fetch_guests.py, pinned by sha256), booted as
``conformance boots`` boots them, their boot logs kept as JSON in $REFVMM_BOOT_LOGS
(default: boot-logs in the refvmm cache folder)."""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from conformance.boots import catalogue
from conformance.cache import cache_root
from refvmm.boot.session import BootLog
from refvmm.engines import ENGINES

RECORDS = Path(__file__).resolve().parent.parent / "fixtures" / "boots"
# What a boot must repeat exactly, on every run and every engine (not wall time, not the engine).
# Every boot runs on each of the VMM's sound engines, which must boot it identically.
ON_EACH_ENGINE = pytest.mark.parametrize(
    "engine", sorted(name for name, engine in ENGINES.items() if not getattr(engine, "unsound", False))
)
RECORDED = (
    "reason",
    "milestone",
    "milestones",
    "instructions",
    "idle",
    "serial",
    "debug",
    "screen",
    "images",
)


def boot(name: str, engine: str) -> BootLog:
    """Boot a pinned guest (conformance/boots/catalogue.py, as ``conformance boots`` does) to
    its last milestone, fetching it first; skip the test with the reason if it cannot be had."""
    guest = catalogue.GUESTS[name]
    try:
        guest.prepare()
    except catalogue.GuestUnavailable as exc:
        pytest.skip(f"guest unavailable: {exc}")
    return guest.boot(engine)[0]


def record(name: str, log: BootLog) -> None:
    """Keep the boot log as JSON (NAME-ENGINE.json), for a person reading a CI run, and
    hold it to the boot's regression record (fixtures/boots/NAME.json): what the boot
    showed when the record was last reviewed, the same for every engine. The record
    detects change; it does not judge correctness (each test checks its milestone text
    for that). After reviewing a change, REFVMM_UPDATE_BOOT_RECORDS=1 rewrites the
    records of the boots that ran."""
    folder = Path(os.environ.get("REFVMM_BOOT_LOGS") or cache_root() / "boot-logs")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}-{log.engine}.json").write_text(log.to_json())
    kept = {field: getattr(log, field) for field in RECORDED}
    path = RECORDS / f"{name}.json"
    # an engine that counts inexactly (de+bt: the backend counts REP iterations) is held to
    # the record's milestones, transcripts and everything else, but not to its counts
    exact = getattr(ENGINES[log.engine], "exact_counts", True)
    if os.environ.get("REFVMM_UPDATE_BOOT_RECORDS") == "1":
        if exact:  # the record's counts are those of the engines that promise them
            path.write_text(json.dumps(kept, indent=2) + "\n")
        return
    if not path.is_file():
        pytest.fail(f"no regression record {path}: review the boot log, then REFVMM_UPDATE_BOOT_RECORDS=1")
    recorded = json.loads(path.read_text())
    if not exact:
        recorded["milestones"] = list(recorded.get("milestones", {}))
        kept["milestones"] = list(kept["milestones"])
        recorded.pop("instructions", None)
        kept.pop("instructions")
    changes = []
    for field in kept:
        if recorded.get(field) != kept[field]:
            old, new = str(recorded.get(field)), str(kept[field])
            diff = difflib.unified_diff(old.splitlines(), new.splitlines(), "recorded", "now", lineterm="")
            changes.append(f"{field}:\n" + "\n".join(list(diff)[2:] or [f"- {old}", f"+ {new}"]))
    if changes:
        pytest.fail(
            f"{name} boots differently from its record {path}"
            " (if the change is intended: REFVMM_UPDATE_BOOT_RECORDS=1):\n" + "\n".join(changes)
        )
