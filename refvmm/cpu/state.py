"""The virtual CPU's architectural state: what every engine reads and writes.

Engines own no state of their own: a run can switch engines between two calls.
EFLAGS is kept as the non-arithmetic bits plus a lazy record of the last
arithmetic operation (refvmm.cpu.flags).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import flags as F
from .x87.state import X87State

ES, CS, SS, DS, FS, GS = range(6)  # encoding order of Sreg in ModRM.reg
SEG_NAMES = ("es", "cs", "ss", "ds", "fs", "gs")
GPR_NAMES = ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi")

CR0_PE, CR0_MP, CR0_EM, CR0_TS, CR0_ET, CR0_WP, CR0_PG = 1, 2, 4, 8, 0x10, 0x10000, 0x80000000
CR4_PSE = 0x10
EFLAGS_FIXED = 0x2  # bit 1 always reads 1
EFLAGS_TF, EFLAGS_IF, EFLAGS_DF = 1 << 8, 1 << 9, 1 << 10
EFLAGS_IOPL, EFLAGS_NT, EFLAGS_RF, EFLAGS_VM, EFLAGS_AC, EFLAGS_ID = (
    3 << 12,
    1 << 14,
    1 << 16,
    1 << 17,
    1 << 18,
    1 << 21,
)
EFLAGS_WRITABLE = F.ARITH | EFLAGS_TF | EFLAGS_IF | EFLAGS_DF | EFLAGS_IOPL | EFLAGS_NT | EFLAGS_RF
EFLAGS_WRITABLE |= EFLAGS_VM | EFLAGS_AC | EFLAGS_ID


@dataclass(frozen=True, slots=True)
class Segment:
    """A segment register with its hidden descriptor cache. Immutable: a load replaces
    it, so a checkpoint of the CPU holds segments by reference."""

    selector: int = 0
    base: int = 0
    limit: int = 0xFFFF
    access: int = 0x93  # P, DPL, S, type: present, accessed read/write data
    big: bool = False  # D/B

    @property
    def dpl(self) -> int:
        return (self.access >> 5) & 3

    @property
    def executable(self) -> bool:
        return bool(self.access & 0x08) and bool(self.access & 0x10)

    def real_mode_load(self, selector: int) -> Segment:
        """This segment after a real-mode load, which changes the selector and base only
        (SDM vol. 3A 20.1.1)."""
        selector &= 0xFFFF
        return Segment(selector, selector << 4, self.limit, self.access, self.big)


@dataclass
class CpuState:
    gpr: list[int] = field(default_factory=lambda: [0] * 8)
    eip: int = 0
    # EFLAGS: everything but the six arithmetic flags, plus their lazy record
    eflags_other: int = EFLAGS_FIXED
    lazy: tuple[int, int, int, int, int, int] | None = None  # kind, a, b, r, size, carry_in
    arith: int = 0  # the arithmetic flags when ``lazy`` is None
    seg: list[Segment] = field(default_factory=lambda: [Segment() for _ in range(6)])
    cr: list[int] = field(default_factory=lambda: [CR0_ET, 0, 0, 0, 0])
    dr: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0xFFFF0FF0, 0x400, 0xFFFF0FF0, 0x400])
    gdtr: tuple[int, int] = (0, 0xFFFF)  # base, limit
    idtr: tuple[int, int] = (0, 0x3FF)
    ldtr: Segment = field(default_factory=lambda: Segment(access=0x82))
    tr: Segment = field(default_factory=lambda: Segment(access=0x8B))
    halted: bool = False
    # interrupts are not recognised before the instruction after STI (IF 0 -> 1), MOV SS, POP SS
    interrupt_shadow: bool = False
    fpu: X87State = field(default_factory=X87State)  # the x87 registers and its state

    # -- checkpoints (refvmm.machine) --
    def save(self) -> tuple:
        """Everything an instruction can change, for ``restore``."""
        return (
            self.gpr[:],
            self.eip,
            self.eflags_other,
            self.lazy,
            self.arith,
            self.seg[:],
            self.cr[:],
            self.dr[:],
            self.gdtr,
            self.idtr,
            self.ldtr,
            self.tr,
            self.halted,
            self.interrupt_shadow,
            self.fpu.save(),
        )

    def restore(self, saved: tuple) -> None:
        gpr, self.eip, self.eflags_other, self.lazy, self.arith, seg, cr, dr, *rest = saved
        self.gpr[:], self.seg[:], self.cr[:], self.dr[:] = gpr, seg, cr, dr
        self.gdtr, self.idtr, self.ldtr, self.tr, self.halted, self.interrupt_shadow, fpu = rest
        self.fpu.restore(fpu)

    def reset(self, cs: int = 0, eip: int = 0) -> None:
        """Real mode at cs:eip, registers zero, segments 64 KiB at selector << 4."""
        self.__init__()
        self.seg = [Segment(0, 0, 0xFFFF, 0x93, False) for _ in range(6)]
        self.seg[CS] = Segment(cs, cs << 4, 0xFFFF, 0x9B, False)
        self.eip = eip

    def power_on(self) -> None:
        """The state after RESET (SDM vol. 3A 9.1, table 9-1): CS 0xF000 with base
        0xFFFF0000, EIP 0xFFF0, so the first fetch is at 0xFFFFFFF0, in the BIOS."""
        self.reset(0, 0xFFF0)
        self.seg[CS] = Segment(0xF000, 0xFFFF0000, 0xFFFF, 0x9B, False)
        self.cr[0] = 0x60000010  # CD and NW set, ET

    # -- EFLAGS --
    def arith_flags(self) -> int:
        if self.lazy is not None:
            self.arith = F.compute(*self.lazy)
            self.lazy = None
        return self.arith

    def carry(self) -> int:
        """CF alone (0 or 1), leaving a recorded operation recorded."""
        lazy = self.lazy
        return F.carry(*lazy) if lazy is not None else self.arith & 1

    @property
    def eflags(self) -> int:
        return self.eflags_other | self.arith_flags()

    @eflags.setter
    def eflags(self, value: int) -> None:
        value = (value & EFLAGS_WRITABLE) | EFLAGS_FIXED
        self.lazy = None
        self.arith = value & F.ARITH
        self.eflags_other = value & ~F.ARITH

    def record(self, kind: int, a: int, b: int, r: int, size: int, carry_in: int = 0) -> None:
        """Record an arithmetic operation; its flags are computed when read."""
        self.lazy = (kind, a, b, r, size, carry_in)

    # -- modes --
    @property
    def protected(self) -> bool:
        return bool(self.cr[0] & CR0_PE)

    @property
    def v86(self) -> bool:
        return bool(self.eflags_other & EFLAGS_VM)

    @property
    def cpl(self) -> int:
        if not self.protected:
            return 0
        if self.v86:
            return 3
        return self.seg[CS].selector & 3

    def snapshot(self) -> dict[str, int]:
        """The registers the conformance harness compares."""
        out = dict(zip(GPR_NAMES, self.gpr))
        out["eip"] = self.eip
        out["eflags"] = self.eflags
        for name, s in zip(SEG_NAMES, self.seg):
            out[name] = s.selector
        out.update(cr0=self.cr[0], cr2=self.cr[2], cr3=self.cr[3], cr4=self.cr[4])
        return out
