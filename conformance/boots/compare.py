"""What regressed between an earlier boot record and this one, per guest and engine: a
milestone lost, a transcript changed (with a diff), the instruction count changed (in
total or to a milestone), or slower. Speed is compared as each boot's wall time in units
of the reference workload run beside it (``reference.py``), never as absolute time."""

from __future__ import annotations

import dataclasses
import difflib

from .record import TRANSCRIPTS

SLOWER = 1.25  # a boot this many times slower, relative to the reference workload, is reported
MIN_SECONDS = 3.0  # shorter boots are all noise: their speed is not judged
DIFF_LINES = 40  # of a transcript diff, shown


@dataclasses.dataclass(frozen=True)
class Change:
    guest: str
    engine: str
    kind: str  # "milestone lost", "transcript changed", "instructions changed", "slower", ...
    detail: str
    regression: bool = True  # False: worth saying, not a failure (a milestone gained, faster)


def _diff(old: str, new: str, name: str) -> str:
    lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), "before", "now", lineterm=""))
    lines = lines[2:]  # the ---/+++ header
    if len(lines) > DIFF_LINES:
        lines = lines[:DIFF_LINES] + [f"... {len(lines) - DIFF_LINES} more lines of diff"]
    return f"{name}:\n" + "\n".join(lines)


def _count(value: int) -> str:
    return f"{value:,}"


def _delta(old: int, new: int) -> str:
    change = f"{new - old:+,}"
    return f"{_count(old)} -> {_count(new)} ({change}{f', {100 * (new - old) / old:+.2f} %' if old else ''})"


def compare(before: dict, now: dict, slower: float = SLOWER) -> list[Change]:
    """The changes from record ``before`` to record ``now`` (same guest and engine)."""
    guest, engine = now["guest"], now["engine"]
    out: list[Change] = []

    def add(kind: str, detail: str, regression: bool = True) -> None:
        out.append(Change(guest, engine, kind, detail, regression))

    if before.get("images") and now.get("images") and before["images"] != now["images"]:
        roles = sorted(
            r
            for r in set(before["images"]) | set(now["images"])
            if before["images"].get(r) != now["images"].get(r)
        )
        add("images changed", f"not the same guest: {', '.join(roles)} differ (sha256)", regression=False)
    old_m, new_m = before["milestones"], now["milestones"]
    for text in old_m:
        if text not in new_m:
            add("milestone lost", f"{text!r} (reached at {_count(old_m[text])} before)")
    for text in new_m:
        if text not in old_m:
            add("milestone gained", f"{text!r} at {_count(new_m[text])}", regression=False)
    if before.get("reason") != now.get("reason"):
        add(
            "stop changed",
            f"{before.get('reason')} -> {now.get('reason')} {now.get('message') or ''}".rstrip(),
        )
    for name in TRANSCRIPTS:
        if before.get(name, "") != now.get(name, ""):
            add("transcript changed", _diff(before.get(name, ""), now.get(name, ""), name))
    if before["instructions"] != now["instructions"]:
        add("instructions changed", "retired " + _delta(before["instructions"], now["instructions"]))
    for text in new_m:
        if text in old_m and old_m[text] != new_m[text]:
            add("instructions changed", f"to {text!r}: {_delta(old_m[text], new_m[text])}")
    old_speed, new_speed = before.get("speed"), now.get("speed")
    comparable = before.get("instructions") == now.get("instructions")
    comparable &= min(before.get("wall_seconds", 0), now.get("wall_seconds", 0)) >= MIN_SECONDS
    if old_speed and new_speed and comparable:
        ratio = new_speed / old_speed
        detail = (
            f"{ratio:.2f}x the time, relative to the reference workload"
            f" ({old_speed:g} -> {new_speed:g} reference units;"
            f" {before.get('mips', 0):.2f} -> {now.get('mips', 0):.2f} MIPS)"
        )
        if ratio >= slower:
            add("slower", detail)
        elif ratio <= 1 / slower:
            add("faster", detail, regression=False)
    return out


def compare_all(
    baseline: dict[tuple[str, str], dict], records: list[dict], slower: float = SLOWER
) -> list[Change]:
    """Each record against the baseline's record of its guest and engine (none: said so)."""
    out: list[Change] = []
    for record in records:
        before = baseline.get((record["guest"], record["engine"]))
        if before is None:
            out.append(
                Change(record["guest"], record["engine"], "new", "no earlier record to compare with", False)
            )
        else:
            out.extend(compare(before, record, slower))
    return out
