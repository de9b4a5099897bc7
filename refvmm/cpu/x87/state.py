"""The x87 register state (SDM vol. 1 8.1): eight 80-bit registers used as a stack with
TOP, the tag word, the control and status words, and the last instruction and data
pointers and opcode.

The tags are kept as the empty/non-empty bits of each physical register (as FXSAVE's
abridged tag word does); the full tag word is derived from the registers' contents when
stored (``tag_word``), and a tag word loaded (FLDENV, FRSTOR) marks empty only the
registers tagged 11. The status word is kept without TOP, which is ``top``.
"""

from __future__ import annotations

from .encoding import (
    C1,
    CW_INIT,
    CW_RESET,
    ES,
    EXCEPTIONS,
    IE,
    INDEFINITE,
    NORMAL,
    SF,
    TOP_MASK,
    TOP_SHIFT,
    ZERO,
    B,
    classify,
    unmasked,
)

# stack faults (SDM vol. 1 8.5.1.1): both are invalid operations with SF set; C1 tells
# overflow (1) from underflow (0). Masked, the destination receives the real indefinite.
STACK_OVERFLOW = IE | SF | C1
STACK_UNDERFLOW = IE | SF
MASKED_STACK_RESULT = INDEFINITE

TAG_VALID, TAG_ZERO, TAG_SPECIAL, TAG_EMPTY = range(4)


class X87State:
    __slots__ = ("regs", "top", "valid", "cw", "sw", "fip", "fcs", "fdp", "fds", "fop")

    def __init__(self) -> None:
        self.regs = [0] * 8  # physical registers R0-R7
        self.power_on()

    # -- initial states --
    def power_on(self) -> None:
        """After RESET (SDM vol. 3A table 9-1): CW 0x0040, SW 0, the registers +0.0 and
        tagged zero (tag word 0x5555), the pointers 0."""
        self.regs[:] = [0] * 8
        self.valid = 0xFF
        self.cw, self.sw, self.top = CW_RESET, 0, 0
        self.fip = self.fcs = self.fdp = self.fds = self.fop = 0

    def init(self) -> None:
        """FNINIT (SDM vol. 2 FINIT): CW 0x037F, SW 0, every register empty (tag word
        0xFFFF), the pointers and opcode 0; the registers' contents are kept."""
        self.valid = 0
        self.cw, self.sw, self.top = CW_INIT, 0, 0
        self.fip = self.fcs = self.fdp = self.fds = self.fop = 0

    # -- checkpoints (CpuState.save / restore) --
    def save(self) -> tuple:
        return (
            self.regs[:],
            self.top,
            self.valid,
            self.cw,
            self.sw,
            self.fip,
            self.fcs,
            self.fdp,
            self.fds,
            self.fop,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, X87State) and self.save() == other.save()

    __hash__ = None  # mutable

    def restore(self, saved: tuple) -> None:
        regs, self.top, self.valid, self.cw, self.sw, self.fip, self.fcs, self.fdp, self.fds, self.fop = saved
        self.regs[:] = regs

    # -- the stack --
    def empty(self, i: int = 0) -> bool:
        """Whether ST(i) is empty."""
        return not self.valid >> ((self.top + i) & 7) & 1

    def st(self, i: int = 0) -> int:
        return self.regs[(self.top + i) & 7]

    def set_st(self, i: int, value: int) -> None:
        n = (self.top + i) & 7
        self.regs[n] = value
        self.valid |= 1 << n

    def can_push(self) -> bool:
        """False when a push would overflow the stack (the register below TOP is in use)."""
        return not self.valid >> ((self.top - 1) & 7) & 1

    def push(self, value: int) -> None:
        self.top = (self.top - 1) & 7
        self.set_st(0, value)

    def pop(self) -> None:
        self.valid &= ~(1 << self.top)
        self.top = (self.top + 1) & 7

    def free(self, i: int) -> None:
        """FFREE: ST(i) tagged empty, TOP unchanged."""
        self.valid &= ~(1 << ((self.top + i) & 7))

    # -- the status and tag words --
    def status_word(self) -> int:
        return self.sw | self.top << TOP_SHIFT

    def set_status_word(self, sw: int) -> None:
        self.top = (sw & TOP_MASK) >> TOP_SHIFT
        self.sw = sw & ~TOP_MASK
        self._summarise()

    def report(self, flags: int, conditions: int = C1) -> None:
        """Record what an operation raised: exception flags and SF accumulate, the
        condition codes in ``conditions`` are replaced by those in ``flags``."""
        self.sw = self.sw & ~conditions | flags & (conditions | EXCEPTIONS | SF)
        self._summarise()

    def _summarise(self) -> None:
        """ES and B are set while any exception flagged is unmasked (SDM vol. 1 8.1.3)."""
        self.sw = self.sw | ES | B if unmasked(self.sw, self.cw) else self.sw & ~(ES | B)

    def set_control_word(self, cw: int) -> None:
        """FLDCW: bits 6 (reads as 1 after FNINIT) and 13-15 are reserved."""
        self.cw = cw & 0x1F7F | 0x40
        self._summarise()

    def clear_exceptions(self) -> None:
        """FNCLEX: the exception flags, SF, ES and B."""
        self.sw &= ~(EXCEPTIONS | SF | ES | B)

    def tag(self, n: int) -> int:
        """The tag of physical register n, from its contents."""
        if not self.valid >> n & 1:
            return TAG_EMPTY
        c = classify(self.regs[n])
        return TAG_ZERO if c == ZERO else TAG_VALID if c == NORMAL else TAG_SPECIAL

    def tag_word(self) -> int:
        return sum(self.tag(n) << (2 * n) for n in range(8))

    def set_tag_word(self, tw: int) -> None:
        self.valid = sum(1 << n for n in range(8) if tw >> (2 * n) & 3 != TAG_EMPTY)
