"""Differences between final states, and between a final state and hand-worked expectations.

Each difference names one field and both values: registers by name, EFLAGS bit by
bit, memory as address ranges, the exception log entry by entry. Undefined flags
come from ``undefined.final_mask``, and those of EFLAGS images pushed in exception frames
from ``undefined.mask_at``; an error code an engine could not know is not
compared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .format import FLAG_BITS, SUBREGS, TestSpec, parse_int
from .image import Image
from .state import REGISTER_ORDER, UNKNOWN, ExceptionRecord, FinalState
from .undefined import describe

COMPARED_REGS = tuple(r for r in REGISTER_ORDER if r != "eflags")  # EFLAGS: bit by bit
_FLAG_NAME = {bit: name for name, bit in FLAG_BITS.items()}


@dataclass
class Difference:
    field: str
    expected: str
    actual: str
    verdict: str = ""  # three-way adjudication, when the real CPU ran too

    def __str__(self) -> str:
        text = f"{self.field}: expected {self.expected}, got {self.actual}"
        return f"{text} [{self.verdict}]" if self.verdict else text


def _hex(v) -> str:
    return f"{v:#x}" if isinstance(v, int) else str(v)


def _flag_diffs(expected: int, actual: int, mask: int) -> list[Difference]:
    out = []
    diff = (expected ^ actual) & ~mask & 0xFFFFFFFF
    for bit in range(32):
        if diff >> bit & 1:
            name = _FLAG_NAME.get(bit, f"bit{bit}")
            if bit in (12, 13):
                name = f"iopl.{bit - 12}"
            out.append(Difference(f"eflags.{name}", str(expected >> bit & 1), str(actual >> bit & 1)))
    return out


def _frame_flags(ref: FinalState, got: FinalState, frame_mask: Callable[[int], int]) -> dict[int, int]:
    """Bits of compared memory that hold undefined flags in exception frames: where both
    runs logged the same exception at the same EIP and their pushed EFLAGS images differ
    only in flags undefined there (``frame_mask(eip)``), the bytes of each compared region
    that hold those two images in the two runs (address -> bits of the byte to ignore)."""
    ignore: dict[int, int] = {}
    for a, b in zip(ref.exceptions, got.exceptions):
        if (a.vector, a.eip) != (b.vector, b.eip) or a.eflags == b.eflags:
            continue
        mask = frame_mask(a.eip) & 0xFFFF
        if (a.eflags ^ b.eflags) & 0xFFFF & ~mask:
            continue
        ours, theirs = (a.eflags & 0xFFFF).to_bytes(2, "little"), (b.eflags & 0xFFFF).to_bytes(2, "little")
        for start, blob in ref.memory.items():
            other = got.memory.get(start, b"")
            at = blob.find(ours)
            while at >= 0:
                if other[at : at + 2] == theirs:
                    ignore[start + at] = ignore.get(start + at, 0) | mask & 0xFF
                    ignore[start + at + 1] = ignore.get(start + at + 1, 0) | mask >> 8
                at = blob.find(ours, at + 1)
    return ignore


def _memory_diffs(ref: FinalState, got: FinalState, ignore: dict[int, int]) -> list[Difference]:
    out = []
    for start, blob in ref.memory.items():
        other = got.memory.get(start)
        if other is None:
            out.append(Difference(f"mem[{start:#x}]", "a value", "not reported"))
            continue

        def differs(k: int, start=start, blob=blob, other=other) -> bool:
            return bool((blob[k] ^ other[k]) & ~ignore.get(start + k, 0)) and not (
                ref.unknown(start + k) or got.unknown(start + k)
            )

        i = 0
        while i < len(blob):
            if not differs(i):
                i += 1
                continue
            j = i
            while j < len(blob) and differs(j):
                j += 1
            field = f"mem[{start + i:#x}..{start + j - 1:#x}]" if j - i > 1 else f"mem[{start + i:#x}]"
            out.append(Difference(field, blob[i:j].hex(" "), other[i:j].hex(" ")))
            i = j
    return out


def _fpu_diffs(ref: dict[str, int], got: dict[str, int]) -> list[Difference]:
    """The control, status and tag words, and the registers in use (an empty register's
    contents are not architectural state until FSAVE stores them), when both report them."""
    if not ref or not got:
        return []
    out = [Difference(n, _hex(ref[n]), _hex(got[n])) for n in ("fcw", "fsw", "ftw") if ref[n] != got[n]]
    used = ref["ftw"] & got["ftw"]
    for n in range(8):
        name = f"r{n}"
        if used >> n & 1 and ref[name] != got[name]:
            out.append(Difference(f"fpu.{name}", f"{ref[name]:#022x}", f"{got[name]:#022x}"))
    return out


def _exception_diffs(ref: list[ExceptionRecord], got: list[ExceptionRecord]) -> list[Difference]:
    out = []
    for i in range(max(len(ref), len(got))):
        a = ref[i] if i < len(ref) else None
        b = got[i] if i < len(got) else None
        if a is None or b is None:
            out.append(Difference(f"exceptions[{i}]", a.brief() if a else "none", b.brief() if b else "none"))
            continue
        for name in ("vector", "eip", "cs"):
            if getattr(a, name) != getattr(b, name):
                out.append(
                    Difference(f"exceptions[{i}].{name}", _hex(getattr(a, name)), _hex(getattr(b, name)))
                )
        if UNKNOWN not in (a.error, b.error) and a.error != b.error:
            out.append(Difference(f"exceptions[{i}].error", _hex(a.error), _hex(b.error)))
        if a.vector == 14 and a.cr2 != b.cr2:
            out.append(Difference(f"exceptions[{i}].cr2", _hex(a.cr2), _hex(b.cr2)))
    return out


def diff_states(
    ref: FinalState,
    got: FinalState,
    flags_mask: int,
    reg_masks: dict[str, int] | None = None,
    frame_mask: Callable[[int], int] | None = None,
) -> list[Difference]:
    """What ``got`` does differently from ``ref``, ignoring ``flags_mask`` EFLAGS bits,
    the undefined register bits in ``reg_masks`` and, with ``frame_mask`` (the flags
    undefined at an EIP), the undefined flags of the EFLAGS images exception frames
    pushed into compared memory."""
    reg_masks = reg_masks or {}
    out = []
    if ref.exit != got.exit:
        out.append(Difference("exit", ref.exit, f"{got.exit} {got.message}".strip()))
    # after an error, a timeout or a shutdown (triple fault) the state means nothing
    if {ref.exit, got.exit} & {"error", "timeout", "triple-fault"}:
        return out
    for name in COMPARED_REGS:
        a, b = ref.regs.get(name), got.regs.get(name)
        if a != b and not (a is not None and b is not None and not (a ^ b) & ~reg_masks.get(name, 0)):
            out.append(Difference(name, _hex(ref.regs.get(name)), _hex(got.regs.get(name))))
    out += _flag_diffs(ref.regs.get("eflags", 0), got.regs.get("eflags", 0), flags_mask)
    out += _fpu_diffs(ref.fpu, got.fpu)
    out += _memory_diffs(ref, got, _frame_flags(ref, got, frame_mask) if frame_mask else {})
    out += _exception_diffs(ref.exceptions, got.exceptions)
    if ref.ports != got.ports:
        out.append(Difference("ports", _ports(ref.ports), _ports(got.ports)))
    if ref.debug != got.debug:
        out.append(Difference("debug", repr(ref.debug), repr(got.debug)))
    return out


def _ports(writes) -> str:
    return " ".join(f"{p:#x}={v:#x}" for p, _s, v in writes) or "none"


def _where(text: str, image: Image) -> int:
    if text in image.labels:
        return image.labels[text]
    try:
        return parse_int(text)
    except ValueError:
        raise KeyError(text) from None


def check_expectations(spec: TestSpec, image: Image, state: FinalState, flags_mask: int) -> list[Difference]:
    """Compare ``state`` with the test's hand-worked expectations."""
    out = []
    for e in spec.expect:
        t = e.target
        if t == "exit":
            actual = state.exit
            if actual != e.value:
                out.append(Difference("exit", str(e.value), f"{actual} {state.message}".strip()))
            continue
        if t in FLAG_BITS:
            bit = FLAG_BITS[t]
            if flags_mask >> bit & 1:
                out.append(
                    Difference(
                        f"eflags.{t}",
                        f"{e.value} (line {e.line})",
                        f"undefined here ({describe(flags_mask)})",
                    )
                )
                continue
            actual = state.regs.get("eflags", 0) >> bit & 1
        elif t == "iopl":
            actual = state.regs.get("eflags", 0) >> 12 & 3
        elif t in SUBREGS:
            reg, shift, width = SUBREGS[t]
            actual = state.regs.get(reg, 0) >> shift & ((1 << width) - 1)
        elif t.startswith("mem"):
            size = int(t[3 : t.index("[")]) // 8
            addr = parse_int(t[t.index("[") + 1 : -1])
            if state.unknown(addr, size):
                continue  # this engine could not know it
            actual = state.read_memory(addr, size)
        else:
            actual = state.regs.get(t)
        if actual != e.value:
            out.append(Difference(t, _hex(e.value), _hex(actual)))
    if spec.expect_exceptions is not None:
        got = state.exceptions
        if len(got) != len(spec.expect_exceptions):
            out.append(
                Difference(
                    "exceptions",
                    " ".join(f"{x.vector}@{x.where}" for x in spec.expect_exceptions) or "none",
                    " ".join(r.brief() for r in got) or "none",
                )
            )
        for i, (x, r) in enumerate(zip(spec.expect_exceptions, got)):
            try:
                where = _where(x.where, image)
            except KeyError:
                out.append(Difference(f"exceptions[{i}]", f"label {x.where!r}", "no such label"))
                continue
            if x.vector != r.vector or where != r.eip:
                out.append(Difference(f"exceptions[{i}]", f"{x.vector}@{where:#x}", r.brief()))
            if x.error != "any" and r.error != UNKNOWN and x.error != r.error:
                out.append(Difference(f"exceptions[{i}].error", _hex(x.error), _hex(r.error)))
    if spec.expect_ports is not None:
        got_ports = [(p, v) for p, _s, v in state.ports]
        if got_ports != spec.expect_ports:
            want = " ".join(f"{p:#x}={v:#x}" for p, v in spec.expect_ports) or "none"
            out.append(Difference("ports", want, _ports(state.ports)))
    if spec.expect_debug is not None and state.debug != spec.expect_debug:
        out.append(Difference("debug", repr(spec.expect_debug), repr(state.debug)))
    return out
