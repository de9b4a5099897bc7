"""The reviewed list of known divergences (conformance/divergences.toml).

Each entry names an engine (or oracle), a test id, the fields that differ, and
why, with its evidence (an SDM reference, a KVM run). A divergence that is listed
but no longer diverges fails the run, so the list cannot rot.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_PATH = Path(__file__).with_name("divergences.toml")


@dataclass
class Divergence:
    engine: str
    test: str
    reason: str
    evidence: str = ""
    fields: list[str] = field(default_factory=list)  # empty: any field

    def covers(self, field_name: str) -> bool:
        if not self.fields:
            return True
        span = _memory_span(field_name)
        for f in self.fields:
            if field_name == f or field_name.startswith(f + ".") or field_name.startswith(f + "["):
                return True
            other = _memory_span(f)
            if span and other and span[0] < other[1] and other[0] < span[1]:
                return True  # memory fields overlap, whatever their spelling
        return False


_MEM = re.compile(r"^mem(8|16|32)?\[(0x[0-9a-f]+|\d+)(?:\.\.(0x[0-9a-f]+))?\]$")


def _memory_span(field_name: str) -> tuple[int, int] | None:
    """[start, end) of a memory field: ``mem32[0x18000]`` or ``mem[0x18000..0x18003]``."""
    m = _MEM.match(field_name)
    if not m:
        return None
    start = int(m.group(2), 0)
    if m.group(3):
        return start, int(m.group(3), 16) + 1
    return start, start + int(m.group(1) or 8) // 8


class DivergenceListError(Exception):
    pass


def load(path: Path = DEFAULT_PATH) -> dict[tuple[str, str], Divergence]:
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DivergenceListError(f"{path}: {exc}") from None
    out = {}
    for i, row in enumerate(data.get("divergence", [])):
        missing = {"engine", "test", "reason"} - row.keys()
        if missing:
            raise DivergenceListError(f"{path}: entry {i + 1} lacks {', '.join(sorted(missing))}")
        d = Divergence(
            row["engine"],
            row["test"],
            row["reason"],
            row.get("evidence", ""),
            list(row.get("fields", [])),
        )
        out[(d.engine, d.test)] = d
    return out
