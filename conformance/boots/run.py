"""Boot guests on engines and make each boot a history record, its VGA screen saved as a
PNG beside the history. The reference workload runs before each boot, so each record
carries the host's speed at that moment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import record, reference
from .catalogue import Guest, GuestUnavailable

SCREENS = "screens"


def boot_all(
    guests: list[Guest],
    engines: list[str],
    folder: Path,
    run: str,
    say: Callable[[str], None] = print,
) -> tuple[list[dict], list[str]]:
    """(the records of the boots made, the guests that could not be had, each with its reason)."""
    records, unavailable = [], []
    (folder / SCREENS).mkdir(parents=True, exist_ok=True)
    for guest in guests:
        try:
            guest.prepare()
        except GuestUnavailable as exc:
            unavailable.append(f"{guest.name}: {exc}")
            say(f"skip {guest.name}: {exc}")
            continue
        for engine in engines:
            seconds = reference.seconds()
            log, session = guest.boot(engine)
            shot = f"{SCREENS}/{run}-{guest.name}-{engine.replace(':', '_')}.png"
            (folder / shot).write_bytes(session.pc.vga.png_bytes())
            records.append(record.make(guest.name, log, seconds, run, shot))
            say(f"{guest.name:<20} {log.summary()}")
    return records, unavailable


def status(guest: Guest, rec: dict) -> tuple[str, bool]:
    """(what a person reads, whether it is as expected) for one boot of ``guest``."""
    reached = guest.final in rec["milestones"]
    if guest.blocked:
        if guest.blocked_at and guest.blocked_at not in rec["milestones"] and not reached:
            return f"did not get to where it is blocked, {guest.blocked_at!r}: {rec['reason']}", False
        if reached:
            return f"reached {guest.final!r}, but listed as blocked ({guest.blocked}): drop the note", False
        last = [f"after {m!r}" for m in rec["milestones"]][-1:] or ["before any milestone"]
        return f"blocked, as listed: {rec['reason']} {last[0]}", True
    if reached:
        return f"reached {guest.final!r}", True
    return f"did not reach {guest.final!r}: {rec['reason']} {rec.get('message') or ''}".rstrip(), False
