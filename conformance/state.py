"""The result of running one image on one engine: the final architectural state."""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from . import layout as L

UNKNOWN = "unknown"  # a value this engine cannot know (never guessed)

REGISTER_ORDER = (*L.GPRS, "eip", "eflags", *L.SEGMENT_REGISTERS, "cr0", "cr2", "cr3", "cr4")


@dataclass
class ExceptionRecord:
    """One entry of the runtime's exception log. ``error`` is an int, None when the
    vector pushed no error code, or UNKNOWN when the engine could not know it."""

    vector: int
    error: int | None | str
    eip: int
    cs: int
    eflags: int
    cr2: int

    def brief(self) -> str:
        err = "" if self.error is None else f"/{self.error}" if self.error == UNKNOWN else f"/{self.error:#x}"
        return f"{self.vector}{err}@{self.eip:#x}"


@dataclass
class FinalState:
    engine: str
    exit: str  # end, exception, halt, triple-fault, budget, timeout, error
    message: str = ""
    regs: dict[str, int] = field(default_factory=dict)
    memory: dict[int, bytes] = field(default_factory=dict)  # region start -> contents
    ports: list[tuple[int, int, int]] = field(default_factory=list)  # (port, size, value)
    debug: str = ""
    exceptions: list[ExceptionRecord] = field(default_factory=list)
    instructions: int | None = None
    extra: dict[str, str] = field(default_factory=dict)  # engine facts, e.g. the host CPU
    # (physical address, length) of memory holding what this engine could not know, such
    # as an error code an oracle could not compute: not compared
    unknown_memory: list[tuple[int, int]] = field(default_factory=list)
    # the x87 (``fpu_state``): fcw, fsw (with TOP), ftw (which physical registers are in
    # use, FXSAVE's abridged tag) and r0-r7, the physical registers; empty when the
    # engine does not report it
    fpu: dict[str, int] = field(default_factory=dict)
    # the body's bytes at the end of the run where the run rewrote them (``rewritten``),
    # else empty: the undefined flags of code the run made are masked too
    code: bytes = b""

    def to_json(self) -> dict:
        d = asdict(self)
        d["memory"] = {f"{k:#x}": v.hex() for k, v in self.memory.items()}
        d["code"] = self.code.hex()
        return d

    @classmethod
    def from_json(cls, d: dict) -> FinalState:
        d = dict(d)
        d["memory"] = {int(k, 16): bytes.fromhex(v) for k, v in d.get("memory", {}).items()}
        d["ports"] = [tuple(p) for p in d.get("ports", [])]
        d["exceptions"] = [ExceptionRecord(**e) for e in d.get("exceptions", [])]
        d["unknown_memory"] = [tuple(r) for r in d.get("unknown_memory", [])]
        d["code"] = bytes.fromhex(d.get("code", ""))
        return cls(**d)

    def unknown(self, addr: int, size: int = 1) -> bool:
        """Whether any byte of [addr, addr + size) is memory this engine could not know."""
        return any(a < addr + size and addr < a + n for a, n in self.unknown_memory)

    def read_memory(self, addr: int, size: int) -> int | None:
        for start, blob in self.memory.items():
            if start <= addr and addr + size <= start + len(blob):
                return int.from_bytes(blob[addr - start : addr - start + size], "little")
        return None


def read_exception_log(read: Callable[[int, int], bytes]) -> list[ExceptionRecord]:
    """Decode the runtime's exception log with ``read(physical address, length)``."""
    (count,) = struct.unpack("<I", read(L.LOG, 4))
    count = min(count, L.LOG_MAX)
    out = []
    if count:
        raw = read(L.LOG_ENTRIES, count * L.LOG_ENTRY_SIZE)
        for i in range(count):
            vector, error, eip, cs, eflags, cr2 = struct.unpack_from("<6I", raw, i * L.LOG_ENTRY_SIZE)
            err: int | None | str = error
            if error == L.NO_ERROR_CODE:
                err = None
            elif error == L.UNKNOWN_ERROR_CODE:
                err = UNKNOWN
            out.append(ExceptionRecord(vector, err, eip, cs, eflags, cr2))
    return out


def fpu_state(cw: int, sw: int, valid: int, registers: list[int]) -> dict[str, int]:
    """The FPU fields of a final state (``FinalState.fpu``)."""
    out = {"fcw": cw & 0xFFFF, "fsw": sw & 0xFFFF, "ftw": valid & 0xFF}
    out.update((f"r{n}", value) for n, value in enumerate(registers))
    return out


def rewritten(body: bytes, now: bytes) -> bytes:
    """``FinalState.code``: the body's bytes ``now``, at the end of a run, if they are not
    those it was assembled to."""
    return now if now != body else b""
