"""The contexts a fuzzed instruction runs in: start mode, CPL, IOPL, IF, and the
descriptors of the free GDT slots its selectors may name.

A context is the test header (mode, registers, GDT entries, data); every context
starts from the harness runtime, so every engine and oracle starts identically.
CPL 1 and 2 are ``user32`` entered on code and stack segments of that DPL (GDT slots
28 to 31). The drawn slots (10 to 13, selectors 0x50 to 0x68) hold data, code, LDT, TSS
and call-gate descriptors of every DPL, present or not; a far transfer that succeeds
lands on a pad at ``LANDING`` that records CS, SS and ESP and ends the test.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from .. import layout as L
from ..runtime.tables import gate_descriptor, segment_descriptor

DATA = L.TEST_DATA  # the compared data area (0x18000), DATA16 from the 16-bit modes' DS
DATA16 = DATA - L.TEST_BASE
DATA_SIZE = 0x40
STACK_COMPARED = (L.TEST_STACK_TOP - 0x40, 0x40)
LANDING = 0x19000  # linear; CS-relative LANDING16 in the 16-bit modes (CS base 0x10000)
LANDING16 = LANDING - L.TEST_BASE
# mov eax, cs / mov ebx, ss / mov ecx, esp / out 0xf4, al: the same bytes in 16-bit code
LANDING_PAD = "8c c8 8c d3 89 e1 e6 f4"
LDT_BASE, LDT_ENTRIES = 0x18800, 4  # an LDT in test memory for the LDT descriptor kind
TSS_BASE = 0x18400  # a second 32-bit TSS for the TSS descriptor kind
DRAWN_SLOTS = (10, 11, 12, 13)
DRAWN_SELECTORS = tuple(8 * s for s in DRAWN_SLOTS)
RING_SLOTS = {1: (28, 29), 2: (30, 31)}  # CPL -> (code slot, stack slot)

# the runtime's selectors with RPL 0: code, data, user code and data, TSS, 16-bit code and data
RUNTIME_SELECTORS = tuple(8 * i for i in range(1, 8))
MODES = ("pm32", "pm32-paged", "pm16", "real16", "user32")


@dataclass(frozen=True)
class Context:
    mode: str
    cpl: int
    iopl: int
    interrupts: bool  # IF
    descriptors: tuple[int, ...]  # the drawn slots' descriptors, in DRAWN_SLOTS order
    ldt: tuple[int, ...]  # the LDT's entries (for an LDT descriptor to point at)

    @property
    def bits(self) -> int:
        return 16 if self.mode in ("pm16", "real16") else 32

    @property
    def protected(self) -> bool:
        return self.mode != "real16"

    @property
    def data(self) -> int:
        """The data area's address as the body's memory operands give it (DS-relative)."""
        return DATA16 if self.bits == 16 else DATA

    @property
    def landing(self) -> int:
        return LANDING16 if self.bits == 16 else LANDING

    def describe(self) -> str:
        if not self.protected:
            return "real16"
        return f"{self.mode} CPL{self.cpl} IOPL{self.iopl} IF{int(self.interrupts)}"

    def header(self) -> list[str]:
        eflags = 0x2 | self.iopl << 12 | (0x200 if self.interrupts else 0)
        regs = [f"eflags={eflags:#x}"]
        gdt = {slot: d for slot, d in zip(DRAWN_SLOTS, self.descriptors)}
        if self.cpl in RING_SLOTS:
            code, stack = RING_SLOTS[self.cpl]
            gdt[code] = segment_descriptor(0, 0xFFFFF, 0x9B | self.cpl << 5, 0xC)
            gdt[stack] = segment_descriptor(0, 0xFFFFF, 0x93 | self.cpl << 5, 0xC)
            cs, ss = code * 8 | self.cpl, stack * 8 | self.cpl
            regs += [f"cs={cs:#x}", f"ss={ss:#x}"] + [f"{s}={ss:#x}" for s in ("ds", "es", "fs", "gs")]
        lines = [
            f"; mode: {self.mode}",
            "; on-exception: resume",
            "; budget: 20000",
            f"; regs: {' '.join(regs)}",
            f"; compare: {DATA:#x} {DATA_SIZE:#x}",
            f"; compare: {STACK_COMPARED[0]:#x} {STACK_COMPARED[1]:#x}",
            f"; data: {LANDING:#x} db {' '.join('0x' + b for b in LANDING_PAD.split())}",
        ]
        if gdt:
            lines.append("; gdt: " + " ".join(f"{slot}={d:#x}" for slot, d in sorted(gdt.items())))
        if any(self.ldt):
            lines.append(
                f"; data: {LDT_BASE:#x} dd " + " ".join(f"{d & 0xFFFFFFFF:#x} {d >> 32:#x}" for d in self.ldt)
            )
        return lines


@st.composite
def descriptors(draw, base: int = 0) -> int:
    """One descriptor of the kinds a selector check distinguishes; code and data at
    ``base`` (the 16-bit modes' test window, so that their offsets mean the same)."""
    kind = draw(st.sampled_from(("data", "code", "null", "ldt", "tss", "call-gate", "conforming")))
    dpl = draw(st.integers(0, 3))
    present = draw(st.booleans().map(lambda b: not b) | st.just(True))
    p = 0x80 if present else 0
    if kind == "null":
        return 0
    if kind in ("data", "code", "conforming"):
        if kind == "data":
            # writable or read-only, expand-up (expand-down needs limits the oracle does not check)
            access = 0x91 | (draw(st.booleans()) << 1)
        else:
            access = 0x99 | (draw(st.booleans()) << 1) | (4 if kind == "conforming" else 0)
        # code descriptors come accessed: the oracle does not set a CS accessed bit
        limit = draw(st.sampled_from((0xFFFFF, 0xFFFF, 0xFFF)))
        # 16-bit code only at the 16-bit modes' base: a 32-bit mode's far transfer would run
        # the landing pad as 16-bit code at an EIP above 0xFFFF, which the oracle runs on
        # linearly (whether IP wraps there is for the real CPU to settle)
        flags = draw(st.sampled_from((0xC, 0x4, 0x0) if base or kind == "data" else (0xC, 0x4)))
        return segment_descriptor(base, limit, access & 0x7F | p | dpl << 5, flags)
    if kind == "ldt":
        return segment_descriptor(LDT_BASE, 8 * LDT_ENTRIES - 1, 0x02 | p | dpl << 5, 0)
    if kind == "tss":
        busy = draw(st.booleans())
        return segment_descriptor(TSS_BASE, 0x67, (0x8B if busy else 0x89) & 0x7F | p | dpl << 5, 0)
    target = draw(st.sampled_from((L.SEL_KCODE32, L.SEL_UCODE32, 0x50, 0x00)))
    return gate_descriptor(target, LANDING, 0xC, dpl, present)


@st.composite
def contexts(draw, modes: tuple[str, ...] = MODES) -> Context:
    mode = draw(st.sampled_from(modes))
    cpl = {"user32": draw(st.sampled_from((3, 1, 2)))}.get(mode, 0)
    iopl = draw(st.integers(0, 3)) if mode != "real16" else 0
    interrupts = draw(st.booleans()) if mode != "user32" else draw(st.booleans().map(lambda b: not b))
    base = L.TEST_BASE if mode == "pm16" else 0
    slots = tuple(draw(descriptors(base)) for _ in DRAWN_SLOTS)
    ldt = tuple(
        draw(descriptors(base)) if any((d >> 40) & 0x1F == 0x02 for d in slots) else 0
        for _ in range(LDT_ENTRIES)
    )
    return Context(mode, cpl, iopl, interrupts, slots, ldt)


def selectors(ctx: Context) -> st.SearchStrategy[int]:
    """A selector of any class: the runtime's, the drawn slots', null, past the GDT's
    limit, in the LDT; with every RPL. In real mode, any segment value."""
    if not ctx.protected:
        return st.sampled_from((0x1000, 0x0000, 0x1800, 0xFFFF, 0x0050))
    index = st.sampled_from((*DRAWN_SELECTORS, *RUNTIME_SELECTORS, 0, 0x100, 0xFFF8))
    table = st.sampled_from((0, 0, 0, 4))  # TI: the LDT, now and then
    return st.tuples(index, table, st.integers(0, 3)).map(lambda t: t[0] | t[1] | t[2])
