"""The boot history: one JSON line per boot, appended, never rewritten, in
``DIR/boots.jsonl`` (with each boot's VGA screenshot under ``DIR/screens/``); and the
earlier records a comparison is made against."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ..cache import cache_root
from .record import CHECKOUT

FILE = "boots.jsonl"
KEYS = ("guest", "engine", "commit", "run", "milestones", "instructions")  # what a record must have


class HistoryError(ValueError):
    """A history that cannot be read, or holds no record to compare with (one line)."""


def default_folder() -> Path:
    return cache_root() / "boots" / "history"


def append(folder: Path, records: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE
    with path.open("a", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")  # keys as made: milestones in the order reached
    return path


def read_folder(folder: Path) -> list[dict]:
    """The records of a history folder (none if it does not exist yet)."""
    return read(folder / FILE) if (folder / FILE).is_file() else []


def read(path: Path) -> list[dict]:
    """Records from a JSON-lines file, or a JSON file holding one record or a list."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise HistoryError(f"{path}: cannot read it: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise HistoryError(f"{path}: not a boot history (not UTF-8 text)") from None
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise HistoryError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}") from None
        numbered = list(enumerate(records if isinstance(records, list) else [records], 1))
    else:
        numbered = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                numbered.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise HistoryError(f"{path}:{number}: not a JSON boot record: {exc.msg}") from None
    for number, record in numbered:
        missing = [key for key in KEYS if not isinstance(record, dict) or key not in record]
        if missing:
            raise HistoryError(f"{path}:{number}: not a boot record: no {missing[0]!r}")
    return [record for _, record in numbered]


def latest(records: list[dict]) -> dict[tuple[str, str], dict]:
    """The last record of each (guest, engine), in history order."""
    found: dict[tuple[str, str], dict] = {}
    for record in records:
        found[(record["guest"], record["engine"])] = record
    return found


def _resolve(rev: str) -> str | None:
    try:
        run = subprocess.run(
            ["git", "-C", str(CHECKOUT), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def baseline(spec: str, folder: Path, current_run: str) -> tuple[str, dict[tuple[str, str], dict]]:
    """What ``--compare SPEC`` compares with: (a description, the record per guest and engine).
    SPEC is a file of records; ``previous`` (the run before this one in the history); or a git
    revision (or commit prefix, or project version) whose latest records the history holds."""
    path = Path(spec)
    if path.is_file():
        return str(path), latest(read(path))
    records = [r for r in read_folder(folder) if r["run"] != current_run]
    if spec == "previous":
        if not records:  # the first run of a history: every boot is new, which is no failure
            return "no earlier run (the first in this history)", {}
        run = records[-1]["run"]
        return f"the previous run {run}", latest([r for r in records if r["run"] == run])
    commit = _resolve(spec) or spec
    chosen = [r for r in records if r["commit"].startswith(commit) or r.get("version") == spec]
    if not chosen:
        where = folder / FILE
        raise HistoryError(f"--compare {spec}: no such file, and no boot of that revision in {where}")
    return f"{spec} ({chosen[-1]['commit'][:10]})", latest(chosen)
