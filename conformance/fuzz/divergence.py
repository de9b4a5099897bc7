"""The first divergence: the instruction after which an engine's state first differs
from the reference's, found by bisecting the instruction budget (both run k
instructions and are compared there).

A final difference is often the end of a chain (a value stored differently, then run
as code, read back, branched on); the instruction that began the chain is what a
cause must judge and what a user wants to see. Only for runs that stop at a budget
(not the host CPU's or KVM's).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, replace

import capstone

from .. import layout as L
from .. import vmm
from ..compare import Difference, diff_states
from ..image import Image
from ..runner import NO_RESULT, engine_for, run_image, undefined_masks
from ..state import FinalState
from ..undefined import along


@dataclass(frozen=True)
class Divergence:
    retired: int  # instructions both ran before the one that diverged
    before: FinalState  # the reference's state then (the engine's is the same)
    engine: FinalState  # the states after that instruction
    reference: FinalState
    differences: list[Difference]
    code: bytes  # the instruction's bytes as it ran (b"" where the interpreter's path ended)
    bits: int  # its code size
    # the first instruction on the path that read a flag the ones before it left undefined:
    # (its index in the run, EIP, mnemonic, the flags), or None (``undefined.along``)
    undefined_read: tuple | None
    # the exception logs a little later (LOGGED instructions on), once the runtime's handler
    # has logged what the divergent instruction raised
    engine_log: list
    reference_log: list
    # the vector each run delivered right after the instruction (its EIP on the runtime's
    # stub for it, or the one whose delivery shut it down), or None: known even where the
    # frame went to open bus and the log is garbage or never written
    engine_vector: int | None
    reference_vector: int | None
    # the counts at which the reference counted an instruction twice (the bisection's
    # slips): the instruction after each was restarted by the reference
    slips: tuple[int, ...] = ()
    # the engine's state before the instruction: the same as ``before`` under the masks,
    # but for the values the masks hide (the TSC's, an undefined result)
    engine_before: FinalState | None = None
    # the instructions the interpreter ran before it (``vmm.executed``)
    path: tuple = ()

    @property
    def eip(self) -> int:
        return self.before.regs.get("eip", 0)

    @property
    def cs(self) -> int:
        return self.before.regs.get("cs", 0)


def bisectable(engine: str, reference: str) -> bool:
    """Whether both stop at a budget, so that a run can be cut after k instructions (where
    one counts otherwise than the architecture, as Unicorn after a write to code, or
    de+bt's backend over REP iterations, the divergence is found where the counts part)."""
    return all(getattr(engine_for(name), "honours_budget", True) for name in (engine, reference))


class Agreement:
    """The runs agree at the end once the flags the instructions they ran leave undefined
    are masked: what differed was undefined."""


AGREEMENT = Agreement()
# they agree at the end once the bisection has followed the reference's double counts:
# all that differed was the count
COUNTED_TWICE = Agreement()


def first(image: Image, engine: str, reference: str) -> Divergence | Agreement | None:
    """The first divergence of ``engine`` from ``reference`` within the image's budget;
    AGREEMENT when they agree at the end under the masks of the path they ran, and
    COUNTED_TWICE when they do once the reference's double counts are followed; None when
    there is no instruction to name (the first, or the reference had ended) or they
    cannot be compared step by step.

    The flags compared after k instructions are those the k instructions the run
    executed leave defined, wherever they ran (``undefined.along`` over the
    interpreter's path). Where the reference is one instruction behind the engine, the
    same state one count later, it counted an instruction twice (Unicorn after a write
    to the code it is running): the bisection goes on from there with the reference
    one count ahead."""
    if not bisectable(engine, reference):
        return None
    executed = vmm.executed(image)
    runs: dict[tuple[str, int], FinalState] = {}

    def state(name: str, k: int) -> FinalState:
        if (name, k) not in runs:
            runs[name, k] = run_image(engine_for(name), replace(image, budget=k))
        return runs[name, k]

    final = [state(reference, image.budget), state(engine, image.budget)]
    faulted = frozenset(e.eip for s in final for e in s.exceptions if e.vector in L.FAULT_VECTORS)
    entries = stubs(image)
    flags_along, undefined_read = along(executed, faulted, frozenset(entries))
    _flags, registers, by_reading = undefined_masks(image, {"r": final[0], "e": final[1]}, faulted)
    pushed = _pushed_masks(executed, flags_along, entries)

    def frame(eip: int) -> int:
        return by_reading(eip) | pushed.get(eip, 0)

    def differences(ref: FinalState, got: FinalState, k: int) -> list[Difference]:
        if ref.exit in NO_RESULT or got.exit in NO_RESULT:
            return [Difference("exit", ref.exit, got.exit)] if ref.exit != got.exit else []
        # RF too: it shows only in the frames an exception pushes (compared in memory) and
        # lasts one instruction, which Unicorn does not keep after an IRET
        mask = flags_along[min(k, len(flags_along) - 1)] | EFLAGS_RF
        return diff_states(ref, got, mask, registers, frame)

    def differs(k: int, slip: int) -> list[Difference]:
        return differences(state(reference, k + slip), state(engine, k), k)

    lo, slip, slips = 0, 0, []  # both agree before the first instruction
    while True:
        hi = image.budget
        if not differs(hi, slip):
            return AGREEMENT if slip == 0 else COUNTED_TWICE
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if differs(mid, slip):
                hi = mid
            else:
                lo = mid
        if lo == 0:
            return None  # the runtime's first instruction: nothing before it to stand on
        if slip < _SLIPS and not differences(state(reference, hi + slip), state(engine, lo), lo):
            slip += 1  # the reference counted the instruction after lo twice
            slips.append(lo)
            continue
        before = state(reference, lo + slip)
        if before.exit != "budget":
            return None  # the reference had ended: the engine ran on where it stopped
        ran = _ran(executed, lo, before)
        bits = ran[2] if ran else 32 if before.regs.get("cr0", 0) & 1 and image.bits == 32 else 16
        code = ran[3] if ran else _bytes_at(image, before)
        later = min(hi + LOGGED, image.budget)
        logs = state(engine, later).exceptions, state(reference, later + slip).exceptions
        after = differs(hi, slip)
        got, ref = state(engine, hi), state(reference, hi + slip)
        vectors = _delivered(got, entries), _delivered(ref, entries)
        return Divergence(
            lo, before, got, ref, after, code, bits, undefined_read, *logs, *vectors, tuple(slips),
            state(engine, lo), tuple(executed[:lo]),
        )  # fmt: skip


EFLAGS_RF = 1 << 16
_SLIPS = 8  # double counts followed before the bisection gives up on a reference
LOGGED = 64  # instructions within which the runtime's handler has logged an exception


def _pushed_masks(executed: list[tuple], flags_along: list[int], entries: dict) -> dict[int, int]:
    """The flags undefined in the EFLAGS images deliveries pushed, as the path left them,
    by the EIP the exception log gives them (the instruction's, for a fault; the one after
    it, for a trap or INT n): what ``undefined_masks`` reads off the body cannot know
    where a branch took the run."""
    out: dict[int, int] = {}
    for i in range(len(executed) - 1):
        if (executed[i + 1][0], executed[i + 1][1]) in entries:
            _cs, eip, _bits, code, _regs = executed[i]
            mask = flags_along[i] | flags_along[i + 1]
            for at in (eip, eip + len(code)):
                out[at] = out.get(at, 0) | mask
    return out


def _ran(executed: list[tuple], k: int, before: FinalState) -> tuple | None:
    """The interpreter's record of the instruction at count ``k``: at index ``k``, or a few
    before it where instructions that raised an exception before they were decoded (no
    record) were counted."""
    at = (before.regs.get("cs"), before.regs.get("eip"))
    for i in range(min(k, len(executed) - 1), max(-1, k - _SLIPS - 1), -1):
        if (executed[i][0], executed[i][1]) == at:
            return executed[i]
    return None


def _delivered(s: FinalState, entries: dict) -> int | None:
    """The vector a run delivered right after the instruction: the one whose recording
    stub it is on, or the one whose delivery shut it down (a triple fault)."""
    vector = entries.get((s.regs.get("cs"), s.regs.get("eip")))
    if vector is None and s.exit == "triple-fault":
        found = re.search(r"delivering vector (\d+)", s.message)
        vector = int(found[1]) if found else None
    return vector


def stubs(image: Image) -> dict[tuple[int, int], int]:
    """(CS, EIP) of the runtime's recording stub for each vector -> the vector: the IDT's
    gates and the real-mode IVT as the image holds them."""
    memory = image.memory()
    out = {}
    for v in range(256):
        gate = int.from_bytes(memory[L.IDT + 8 * v : L.IDT + 8 * v + 8], "little")
        out[gate >> 16 & 0xFFFF, gate & 0xFFFF | gate >> 48 << 16] = v
        offset, segment = struct.unpack_from("<HH", memory, L.IVT + 4 * v)
        out[segment, offset] = v
    return out


def _bytes_at(image: Image, before: FinalState) -> bytes:
    """The bytes at CS:EIP where the interpreter's path did not fetch them (it refused to
    decode them), as the run had left them where its state holds them (the body as it
    rewrote it, the regions the test compares: both runs agree on them then), else as
    the image has them: CS based as the runtime sets it up (flat, or 0x10000 for the
    16-bit modes' code), or as in real mode."""
    regs = before.regs
    if not regs.get("cr0", 0) & 1:
        linear = (regs.get("cs", 0) << 4) + (regs.get("eip", 0) & 0xFFFF)
    else:
        linear = image.body_base - image.body_origin + regs.get("eip", 0)
    memory = image.memory()
    if not 0 <= linear < len(memory):
        return b""
    window = bytearray(memory[linear : linear + 16])
    held = dict(before.memory)
    if before.code:
        held[image.body_base] = before.code
    for start, blob in held.items():
        lo, hi = max(start, linear), min(start + len(blob), linear + len(window))
        if lo < hi:
            window[lo - linear : hi - linear] = blob[lo - start : hi - start]
    return bytes(window)


def describe(d: Divergence) -> str:
    """One line for a report: where the runs part and how."""
    insn = next(capstone.Cs(capstone.CS_ARCH_X86, _MODES[d.bits]).disasm_lite(d.code, d.eip), None)
    text = f"{insn[2]} {insn[3]}".strip() if insn else (d.code[:8].hex(" ") or "?")
    fields = ", ".join(x.field for x in d.differences[:6]) + (" ..." if len(d.differences) > 6 else "")
    return f"first divergence after {d.retired:,} instructions, at {d.cs:#x}:{d.eip:#x} ({text}): {fields}"


_MODES = {16: capstone.CS_MODE_16, 32: capstone.CS_MODE_32}
