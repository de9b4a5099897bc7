"""Fault atomicity: instructions that can fault after doing part of their work, with
each of their memory or segment accesses made to fault in turn.

The instructions: POPA/POPAD, PUSHA/PUSHAD, ENTER (levels 0, 1, 3), LEAVE, PUSH and
POP of memory, far JMP/CALL (direct and indirect) and RETF (with and without imm16,
to the same and to an outer privilege level), IRET/IRETD at CPL 0 to CPL 0 (and at
CPL 3 to CPL 3), INT n whose delivery faults, CMPXCHG8B, XCHG, XADD and CMPXCHG with
memory, BOUND, LDS/LES/LFS/LGS/LSS, and MOVS/STOS/CMPS/LODS with and without REP
across a page or segment boundary.

Every program sets up one fault (a page made not present or read-only with CR0.WP
set, a segment limit in a free GDT slot, a bad selector) at CPL 0, sets distinctive
registers and flags (a CMP, whose six flags the generator computes, and a flag-neutral
instruction after it), and runs the instruction once, at label ``here``, with
``on-exception: resume``; a LAHF or SETcc after it reads the flags the fault left.
Instructions that write below ESP (PUSHA, ENTER, PUSH m, far CALL, INT n) run at
CPL 3, entered with an IRETD, so that the handler's frame goes to the ring-0 stack and
not over the memory compared; the others run at CPL 0 or 3. INT n runs through a gate
to CPL 3 code: at CPL 0 a fault on the frame would fault again on the same stack.

The expectations are worked out by rule, the same for every engine (``expect:``
and ``expect-exceptions:`` lines, so the oracle is judged too):

* A fault restores the state from before the instruction (SDM vol. 3A 6.5, "Faults"):
  every register, EFLAGS and ESP are as they were, and no memory the instruction
  would have written has changed (the ``compare:`` region is that memory).
* REP string instructions are the exception the SDM makes (vol. 2 REP/REPE; vol. 3A
  6.5): iterations before the faulting one are complete (ECX, ESI, EDI, the memory
  written and, for CMPS, the flags of the last comparison), and the fault is reported
  at the REP instruction.
* The vector and, where the rule is certain, the error code, at the faulting
  instruction: #PF error code P | W/R | U/S (vol. 3A 4.7) where U/S is the CPL of
  the access (vol. 3A 4.6: only GDT, LDT, IDT and TSS accesses are implicitly
  supervisor accesses, so a far CALL, RETF or INT n frame at CPL 3 accesses the stack
  as a user); a read-modify-write walks its read for the write it will make, so a
  not-present page gives W/R = 1 (the host CPU does; vol. 3A 4.7 says only "the
  access causing the fault"). #GP(0) or #SS(0) for a limit (vol. 3A 5.3), the selector with
  RPL cleared for a bad selector (vol. 3A 6.13), and 8 * vector + 2 for a bad gate
  of a software interrupt (vol. 3A 6.13: IDT bit set, EXT clear). CR2 where the
  access that faults is known: the first access, in the order of the instruction's
  Operation section (vol. 2), that touches the page.
* The order of the accesses, from the Operation sections of vol. 2: POPA reads EDI
  first, PUSHA writes EAX first, ENTER pushes EBP, then copies the outer frame
  pointers (read, then push, each), then pushes the frame pointer and checks the new
  ESP against the limit; POP m computes a destination that uses ESP after ESP moved;
  PUSH m before; far pointers are read offset first, then selector; IRET and RETF pop
  EIP, CS (and EFLAGS) before checking any of them; BOUND reads both bounds before
  comparing; LDS and its kind read the pointer before loading the selector.

Unicorn is the reference, and where it cannot be right the program is still
generated but marked: ``ORACLE_DIVERGENCES`` maps those seeds to the reason, and ``divergence_entries()``
gives their entries for ``conformance/divergences.toml`` (tests/test_generate_faults_smc.py
checks that the two agree). Unicorn checks no segment limits or writability; it writes PUSHA from the
lowest address up; POPA loads each register as it reads it, and ENTER, a far CALL
and the oracle's own delivery of INT n store each value as they go, so a later fault
leaves the earlier ones done; and the oracle's delivery takes every stack access as a
supervisor access. The bulk of the programs are faults Unicorn gets right: the first
access of a multi-access instruction, single accesses, reads, and bad selectors.

The instruction that sets the flags is followed by a flag-neutral one because Unicorn
loses the arithmetic flags of the instruction just before a fault (CF, OF and AF read
as after a logical operation).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from ..runtime.tables import segment_descriptor

VERSION = 3
REPEATS = 6  # programs per variant that Unicorn gets right (different pages, values, CPL)
SETUP = 0x18F00  # far pointers and selectors that the setup code loads
GPRS = ("eax", "ecx", "edx", "ebx", "ebp", "esi", "edi")
IDT = 0x800
GATE_VECTOR = 0x41
NULL, BEYOND = 0x0, 0x100  # GDT has 32 entries: selector 0x100 is past its limit


def _descriptor(access: int, limit: int = 0xFFFFF, base: int = 0, flags: int = 0x4) -> int:
    """A segment descriptor: byte-granular limit (G = 0), D/B = 1 unless told."""
    return segment_descriptor(base, limit, access, flags)


def _parity(value: int) -> int:
    return 1 - bin(value & 0xFF).count("1") % 2


def _cmp_flags(a: int, b: int) -> dict[str, int]:
    """The six flags of CMP a, b (32-bit), SDM vol. 2 CMP/SUB."""
    r = (a - b) & 0xFFFFFFFF
    return {
        "cf": int(a < b),
        "pf": _parity(r),
        "af": ((a ^ b ^ r) >> 4) & 1,
        "zf": int(r == 0),
        "sf": r >> 31,
        "of": (((a ^ b) & (a ^ r)) >> 31) & 1,
    }


EQUAL_FLAGS = {"cf": 0, "pf": 1, "af": 0, "zf": 1, "sf": 0, "of": 0}  # CMP of equal values
PTR = {1: "byte", 2: "word", 4: "dword"}
SUFFIX = {1: "b", 2: "w", 4: "d"}
REG = {
    1: ("al", "cl", "dl", "bl", "dh", "bh"),
    2: ("ax", "cx", "dx", "bx", "si", "di"),
    4: ("eax", "ecx", "edx", "ebx", "esi", "edi"),
}
REG32 = {"al": "eax", "cl": "ecx", "dl": "edx", "bl": "ebx", "dh": "edx", "bh": "ebx", "ah": "eax"}
for _r in GPRS:
    REG32[_r] = _r
    REG32[_r[1:]] = _r


def _reg_value(regs: dict[str, int], name: str) -> int:
    full = regs[REG32[name]]
    if name.endswith("h") and len(name) == 2:
        return (full >> 8) & 0xFF
    if len(name) == 2:
        return full & (0xFF if name.endswith("l") else 0xFFFF)
    return full


class _Program:
    """One program under construction: its setup, its instruction and what it must leave."""

    def __init__(self, rng: random.Random, cpl: int, title: str):
        self.rng, self.cpl, self.title = rng, cpl, title
        self.regs = {r: rng.getrandbits(32) for r in GPRS}
        data = 0x23 if cpl == 3 else 0x10
        self.segs = dict.fromkeys(("ds", "es", "fs", "gs"), data)
        self.ss = data
        self.esp = 0x1FFF0
        self.gdt: dict[int, int] = {}
        self.memory: dict[int, int] = {}  # byte address -> initial value (data: lines)
        self.compared: list[tuple[int, int]] = []
        self.after: dict[int, int] = {}  # byte address -> value the instruction leaves
        self.frame: list[str] = []  # CPL 0 stores made before the pages change (may use labels)
        self.pages: dict[int, str] = {}  # page number -> "np" (not present) or "ro"
        self.gate: tuple[int, int] | None = None  # (selector, access) of the gate for INT n
        self.pre: list[str] = []
        self.insn: list[str] = []
        self.post: list[str] = []
        self.exception: tuple[int, int | None] | None = None
        self.cr2: int | None = None
        self.final_regs: dict[str, int] = {}
        self.final_esp: int | None = None
        self.final_flags: dict[str, int] | None = None
        self.df = 0
        self.notes: list[str] = []
        self.flags: dict[str, int] = {}

    # -- building ------------------------------------------------------------------
    def boundary(self) -> int:
        """A page boundary in the free memory above the test window: page P - 1 below
        it, page P at it."""
        return self.rng.randrange(0x22, 0x3C) << 12

    def slot(self, descriptor: int) -> int:
        index = 10 + len(self.gdt)
        self.gdt[index] = descriptor
        return index * 8

    def fill(self, start: int, size: int, compare: bool = True) -> None:
        for a in range(start, start + size, 4):
            value = self.rng.getrandbits(32)
            for i in range(4):
                self.memory.setdefault(a + i, (value >> (8 * i)) & 0xFF)
        if compare:
            self.compared.append((start, size))

    def read(self, address: int, size: int) -> int:
        get = self.memory.get
        return int.from_bytes(bytes(get(a, 0) for a in range(address, address + size)), "little")

    def put(self, address: int, size: int, value: int) -> None:
        """Set initial memory (overrides what fill chose)."""
        for i in range(size):
            self.memory[address + i] = (value >> (8 * i)) & 0xFF

    def write_after(self, address: int, size: int, value: int) -> None:
        for i in range(size):
            self.after[address + i] = (value >> (8 * i)) & 0xFF

    def page_fault(self, page: int, kind: str) -> None:
        self.pages[page] = kind

    def pf(self, address: int, write: bool, kind: str = "np", error: bool = True, cr2: bool = True):
        """Expect #PF at ``address`` (the page is made ``kind``)."""
        self.page_fault(address >> 12, kind)
        code = (1 if kind == "ro" else 0) | (2 if write else 0) | (4 if self.cpl == 3 else 0)
        self.exception = (14, code if error else None)
        self.cr2 = address if cr2 else None

    # -- rendering -----------------------------------------------------------------
    def _setter(self) -> list[str]:
        rng = self.rng
        a, b = rng.sample(GPRS, 2)
        if rng.random() < 0.3:
            imm = rng.choice((0, 1, 0x80000000, rng.getrandbits(32), self.regs[a]))
            self.flags = _cmp_flags(self.regs[a], imm)
            lines = [f"cmp {a}, {imm:#x}"]
        else:
            self.flags = _cmp_flags(self.regs[a], self.regs[b])
            lines = [f"cmp {a}, {b}"]
        tail = rng.choice(("", "", "stc", "clc", "cmc"))
        if tail:
            lines.append(tail)
            self.flags["cf"] = {"stc": 1, "clc": 0, "cmc": 1 - self.flags["cf"]}[tail]
        # one instruction that leaves flags and registers alone before the faulting one:
        # Unicorn loses the arithmetic flags of the instruction just before a fault
        # (CF, OF and AF read as after a logical operation)
        r = rng.choice(GPRS)
        lines.append(rng.choice(("nop", f"lea {r}, [{r}]", f"mov {r}, {r}", f"xchg {r}, {r}")))
        return lines

    def _observer(self) -> list[str]:
        """A flag-reading instruction after the faulting one (it runs once the handler
        resumes): LAHF or SETcc into a register whose final value is worked out here."""
        if self.rng.random() < 0.4:
            return []
        flags = {**self.flags, **(self.final_flags or {})}
        regs = {**self.regs, **self.final_regs}
        if self.rng.random() < 0.5:
            ah = flags["sf"] << 7 | flags["zf"] << 6 | flags["af"] << 4 | flags["pf"] << 2 | 2 | flags["cf"]
            self.final_regs["eax"] = (regs["eax"] & ~0xFF00) | ah << 8
            return ["lahf"]
        cc, value = self.rng.choice(
            (
                ("c", flags["cf"]),
                ("z", flags["zf"]),
                ("s", flags["sf"]),
                ("o", flags["of"]),
                ("p", flags["pf"]),
                ("be", flags["cf"] | flags["zf"]),
                ("l", flags["sf"] ^ flags["of"]),
                ("le", flags["zf"] | (flags["sf"] ^ flags["of"])),
            )
        )
        reg = self.rng.choice(("al", "bl", "cl", "dl"))
        full = REG32[reg]
        self.final_regs[full] = (regs[full] & ~0xFF) | value
        return [f"set{cc} {reg}"]

    def render(self) -> str:
        body: list[str] = [*self.frame]
        for page, kind in sorted(self.pages.items()):
            mask = 0xFFFFFFFE if kind == "np" else 0xFFFFFFFD
            body += [f"and dword ptr [{0x7000 + 4 * page:#x}], {mask:#x}", f"invlpg [{page << 12:#x}]"]
        if "ro" in self.pages.values():
            body += ["push eax", "mov eax, cr0", "or eax, 0x10000", "mov cr0, eax", "pop eax"]
        if self.gate:
            selector, access = self.gate
            body += [
                f"mov dword ptr [{IDT + 8 * GATE_VECTOR:#x}], __test_end - 0x10000 + {selector << 16:#x}",
                f"mov dword ptr [{IDT + 8 * GATE_VECTOR + 4:#x}], {0x10000 | access << 8:#x}",
            ]
        default = 0x23 if self.cpl == 3 else 0x10
        data: list[tuple[int, int, int]] = []  # (address, size, value) of setup data
        loads = []
        for i, seg in enumerate(("es", "fs", "gs", "ds")):
            if self.segs[seg] != default:
                data.append((SETUP + 0x10 + 2 * i, 2, self.segs[seg]))
                loads.append(f"mov {seg}, word ptr [{SETUP + 0x10 + 2 * i:#x}]")
        if self.cpl == 0:
            body += loads[:-1] if loads and loads[-1].startswith("mov ds") else loads
            if self.ss != 0x10:
                data += [(SETUP, 4, self.esp), (SETUP + 4, 2, self.ss)]
                body.append(f"lss esp, fword ptr [{SETUP:#x}]")
            elif self.esp != 0x1FFF0:
                body.append(f"mov esp, {self.esp:#x}")
            if loads and loads[-1].startswith("mov ds"):
                body.append(loads[-1])
        else:
            body += loads
            body += [
                f"push dword {self.ss:#x}",
                f"push dword {self.esp:#x}",
                "pushfd",
                "push dword 0x1b",
                "push dword user",
                "iretd",
                "user:",
            ]
        body += self.pre
        body += self._setter()
        body += ["here:", *self.insn, *self._observer(), *self.post]

        header = [f"; | {self.title}", "; mode: pm32-paged", "; on-exception: resume"]
        regs = " ".join(f"{r}={v:#x}" for r, v in self.regs.items())
        header.append(f"; regs: {regs} " + " ".join(f"{s}={default:#x}" for s in ("ds", "es", "fs", "gs")))
        if self.gdt:
            header.append("; gdt: " + " ".join(f"{i}={d:#018x}" for i, d in sorted(self.gdt.items())))
        for address, size, value in data:
            header.append(f"; data: {address:#x} {'dd' if size == 4 else 'dw'} {value:#x}")
        header += self._data_lines()
        for start, size in self.compared:
            header.append(f"; compare: {start:#x} {size}")
        header += self._expectations()
        header += [f"; | {note}" for note in self.notes]
        return (
            "\n".join(header)
            + "\n"
            + "".join(f"{line}\n" if line.endswith(":") else f"    {line}\n" for line in body)
        )

    def _data_lines(self) -> list[str]:
        lines = []
        words = sorted({a & ~3 for a in self.memory})
        run: list[int] = []
        for a in words + [None]:
            if run and (a is None or a != run[-1] + 4 or len(run) == 16):
                values = " ".join(f"{self.read(w, 4):#x}" for w in run)
                lines.append(f"; data: {run[0]:#x} dd {values}")
                run = []
            if a is not None:
                run.append(a)
        return lines

    def _expectations(self) -> list[str]:
        regs = {**self.regs, **self.final_regs}
        flags = {**self.flags, **(self.final_flags or {})}
        esp = self.esp if self.final_esp is None else self.final_esp
        expect = [f"{r}={regs[r]:#x}" for r in GPRS] + [f"esp={esp:#x}"]
        segs = [f"cs={0x1B if self.cpl == 3 else 0x08:#x}", f"ss={self.ss:#x}"]
        segs += [f"{s}={v:#x}" for s, v in self.segs.items()]
        lines = [
            "; expect: " + " ".join(expect),
            "; expect: " + " ".join(f"{f}={v}" for f, v in flags.items()) + f" df={self.df}",
            "; expect: " + " ".join(segs) + (f" cr2={self.cr2:#x}" if self.cr2 is not None else ""),
        ]
        memory = []
        final = {**self.memory, **self.after}.get
        for start, size in self.compared:
            for a in range(start, start + size, 4):
                value = int.from_bytes(bytes(final(a + i, 0) for i in range(4)), "little")
                memory.append(f"mem32[{a:#x}]={value:#x}")
        for i in range(0, len(memory), 6):
            lines.append("; expect: " + " ".join(memory[i : i + 6]))
        if self.exception is None:
            lines.append("; expect-exceptions: none")
        else:
            vector, error = self.exception
            lines.append(
                f"; expect-exceptions: {vector}" + (f"/{error:#x}" if error is not None else "") + "@here"
            )
        return lines


# ---------------------------------------------------------------------------------
# Variants. Each builds one program from a random source; ``oracle`` is None when
# Unicorn is expected to be right, else why not.

LIMITS = "Unicorn checks no segment limits (vol. 3A 5.3)"
POPA_PARTIAL = (
    "Unicorn's POPA loads each register as it reads it, so a later fault leaves the first ones loaded"
)
PUSHA_ORDER = (
    "Unicorn's PUSHA stores from the lowest address up (EDI first), not in the SDM's order from EAX:"
    " CR2 names another slot, and a missing upper page leaves the lower stores done"
)
PUSHES = (
    "Unicorn stores a push before the next access faults: the earlier stores of the instruction stay written"
)
DELIVERY = (
    "the oracle's delivery takes the INT n frame pushes as supervisor accesses (error code without U/S)"
    " and writes the frame byte by byte, leaving a partial frame before a fault"
)
WRITABLE = "Unicorn does not check segment writability (vol. 3A 5.3)"
RMW_READ = (
    "Unicorn walks the read of a read-modify-write as a read, so a not-present page gives"
    " #PF with W/R = 0 where the processor reports the write it is for (W/R = 1)"
)
RMW_EVIDENCE = (
    "the host CPU (native, AuthenticAMD family 25) reports W/R = 1 for INC, ADD, SHL, BTS, XCHG"
    " and CMPXCHG8B on a not-present page (guest_tests/paging/pf_read_modify_write_is_a_write.asm);"
    " Bochs checks these accesses as writes"
)
KERNEL_STACK = (
    "Unicorn (QEMU) makes the stack accesses of far CALL, RETF and IRET with kernel-mode accesses:"
    " at CPL 3 the #PF error code has U/S = 0 (vol. 3A 4.6, 4.7)"
)
SS_NP = "Unicorn raises #NP, not #SS, for a not-present return SS (vol. 2 RET/IRET: #SS(selector))"
EIP_LIMIT = (
    "Unicorn does not check the return EIP against the new CS limit (vol. 2 IRET/RET: #GP(0)),"
    " nor the CS limit on a fetch, and runs on outside the body"
)


@dataclass(frozen=True)
class Variant:
    name: str
    build: Callable[[random.Random], _Program]
    oracle: str | None = None


def _stack_segment(p: _Program, limit: int, expand_down: bool) -> int:
    """An SS for the program's CPL with the given limit; returns the selector."""
    dpl = p.cpl
    access = (0x96 if expand_down else 0x92) | dpl << 5
    return p.slot(_descriptor(access, limit)) | dpl


def _data_segment(p: _Program, limit: int, expand_down: bool = False) -> int:
    dpl = p.cpl
    access = (0x96 if expand_down else 0x92) | dpl << 5
    return p.slot(_descriptor(access, limit)) | dpl


def _cpl(rng: random.Random, allowed: tuple[int, ...]) -> int:
    return rng.choice(allowed)


# -- POPA ------------------------------------------------------------------------


def _popa(size: int, k: int, fault: str) -> Callable[[random.Random], _Program]:
    w = size // 8
    name = "POPAD" if size == 32 else "POPA"

    def build(rng: random.Random) -> _Program:
        p = _Program(rng, _cpl(rng, (0, 3)), f"{name} whose read {k} faults ({fault}) loads no register")
        b = p.boundary()
        p.esp = b - k * w if fault == "np" else b - 0x20
        p.fill(p.esp - 0x10, 8 * w + 0x20, compare=False)
        p.insn = ["popaw" if size == 16 else "popad"]
        if fault == "np":
            # slot 3 (ESP) is skipped by the Operation: the first read on the page may be slot 4
            p.pf(b, write=False, cr2=k != 3)
        else:
            p.ss = _stack_segment(p, p.esp + k * w - 1 + rng.choice((0, w // 2)), False)
            p.exception = (12, 0)
        p.notes.append(
            "SDM vol. 2 POPA/POPAD: #SS(0) if the starting or ending address is outside the segment;"
        )
        p.notes.append("vol. 3A 6.5: a fault leaves the registers as they were, EDI (read first) included.")
        return p

    return build


# -- PUSHA -----------------------------------------------------------------------


def _pusha(size: int, k: int, fault: str) -> Callable[[random.Random], _Program]:
    """Store k (0 = EAX at ESP - w, 7 = EDI at ESP - 8w) is the first to fault."""
    w = size // 8
    name = "PUSHAD" if size == 32 else "PUSHA"

    def build(rng: random.Random) -> _Program:
        p = _Program(rng, 3, f"{name} whose store {k} faults ({fault}) stores nothing")
        b = p.boundary()
        p.insn = ["pushaw" if size == 16 else "pushad"]
        if fault in ("np", "ro"):  # the page below the boundary
            p.esp = b + k * w
            p.pf(p.esp - (k + 1) * w, True, fault)  # slot k is the first below the boundary
        elif fault == "np-above":  # EAX's slot on a missing page, the rest below it
            p.esp = b + w
            p.pf(b, True, "np")
        else:
            p.esp = b - rng.randrange(0, 0x40, 4)
            slot = p.esp - (k + 1) * w
            p.ss = _stack_segment(p, slot + rng.choice((0, w - 1)), True)
            p.exception = (12, 0)
        p.fill(p.esp - 8 * w - 0x10, 8 * w + 0x20)
        p.notes.append("SDM vol. 2 PUSHA/PUSHAD: Temp <- ESP; push EAX, ECX, EDX, EBX, Temp, EBP, ESI, EDI;")
        p.notes.append(
            "#SS(0) if the starting or ending stack address is outside the limit; a fault stores nothing."
        )
        return p

    return build


# -- ENTER -----------------------------------------------------------------------


def _enter(level: int, access: str, fault: str) -> Callable[[random.Random], _Program]:
    """access: "ebp" (the push of EBP), "copy-read-N" / "copy-write-N" (the N-th outer
    frame pointer), "frame" (the push of the new frame pointer), "esp" (the new ESP
    against the limit)."""

    def build(rng: random.Random) -> _Program:
        p = _Program(rng, 3, f"ENTER n, {level} whose access {access} faults ({fault}) changes nothing")
        b = p.boundary()
        frame_size = rng.choice((4, 8, 0x10, 0x24))
        p.insn = [f"enter {frame_size:#x}, {level}"]
        # the stack: pushes at ESP-4 (EBP), ESP-4-4i (copy i), ESP-4-4L (frame pointer)
        writes = {"ebp": 0, "frame": level}
        writes.update({f"copy-write-{i}": i for i in range(1, level)})
        outer = (b + 0x1000 + rng.randrange(0x100, 0x800, 4)) if level > 1 else 0
        if access.startswith("copy-read"):
            i = int(access.rsplit("-", 1)[1])
            other = b + 0x8000 if b < 0x34000 else b - 0x8000  # a boundary far from the stack
            p.regs["ebp"] = other + 4 * (i - 1)  # EBP - 4i is the first read on page other - 1
            p.esp = b + 0x800
            p.fill(p.regs["ebp"] - 4 * level - 8, 4 * level + 16, compare=False)
            p.pf(p.regs["ebp"] - 4 * i, False)
        elif fault in ("np", "ro"):
            n = writes[access]
            p.esp = b + 4 * n
            p.regs["ebp"] = outer or p.regs["ebp"]
            p.pf(p.esp - 4 - 4 * n, True, fault)
        else:
            p.esp = b - rng.randrange(0x40, 0x100, 4)
            p.regs["ebp"] = outer or p.regs["ebp"]
            if access == "esp":
                new_esp = p.esp - 4 - 4 * level - frame_size
                p.ss = _stack_segment(p, new_esp, True)
            else:
                n = writes[access]
                p.ss = _stack_segment(p, p.esp - 4 - 4 * n + rng.choice((0, 3)), True)
            p.exception = (12, 0)
        if outer and not access.startswith("copy-read"):
            p.fill(outer - 4 * level - 8, 4 * level + 16, compare=False)
        p.fill(p.esp - 4 * level - 0x14, 4 * level + 0x24)
        p.notes.append("SDM vol. 2 ENTER: push EBP; for i = 1 to level - 1: EBP <- EBP - 4, push [EBP];")
        p.notes.append("push FrameTemp; then ESP <- ESP - size; #SS(0) if the new ESP is outside the limit.")
        return p

    return build


# -- LEAVE -----------------------------------------------------------------------


def _leave(size: int, fault: str) -> Callable[[random.Random], _Program]:
    w = size // 8

    def build(rng: random.Random) -> _Program:
        p = _Program(rng, _cpl(rng, (0, 3)), f"LEAVE ({size}-bit) whose read of [EBP] faults ({fault})")
        b = p.boundary()
        p.insn = [".byte 0x66, 0xc9" if size == 16 else "leave"]
        if fault == "np":
            p.regs["ebp"] = b
            p.pf(b, False)
        elif fault == "split":
            p.regs["ebp"] = b - w // 2
            p.pf(b, False, cr2=False)
        else:
            p.regs["ebp"] = b - 0x20
            p.ss = _stack_segment(p, p.regs["ebp"] - 1 + rng.randrange(0, w), False)
            p.esp = b - 0x80
            p.exception = (12, 0)
        p.fill(p.regs["ebp"] & ~3, 8, compare=False)
        p.notes.append("SDM vol. 2 LEAVE: ESP <- EBP; EBP <- Pop(): a fault on the read leaves ESP and EBP.")
        return p

    return build


# -- POP m / PUSH m ----------------------------------------------------------------


def _pop(size: int, case: str) -> Callable[[random.Random], _Program]:
    w = size // 8

    def build(rng: random.Random) -> _Program:
        p = _Program(rng, _cpl(rng, (0, 3)), f"POP {PTR[w]} m ({case})")
        b = p.boundary()
        far = b + 0x3000 if b < 0x38000 else b - 0x8000
        ptr = PTR[w]
        if case == "stack-np":
            p.esp = b
            dest = far + rng.randrange(0, 0x40, 4)
            p.insn = [f"pop {ptr} ptr [{dest:#x}]"]
            p.fill(dest & ~0xF, 0x20)
            p.pf(b, False)
        elif case in ("dest-np", "dest-ro"):
            p.esp = far
            dest = b + rng.randrange(0, 0x40, 4)
            if rng.random() < 0.5:
                p.regs["ebx"] = dest - 0x10
                p.insn = [f"pop {ptr} ptr [ebx + 0x10]"]
            else:
                p.insn = [f"pop {ptr} ptr [{dest:#x}]"]
            p.fill(dest - 0x10, 0x20)
            p.pf(dest, True, case[-2:])
        elif case in ("esp-after-np", "esp-after-ro"):
            # [ESP + d] addressed after ESP += w: that is the page above the boundary
            d = rng.choice((4, 8, 0x10))
            p.esp = b - w - d
            p.insn = [f"pop {ptr} ptr [esp + {d:#x}]"]
            p.fill(b - 0x20, 0x40, compare=False)
            p.compared.append(
                (p.esp, b + 0x20 - p.esp)
            )  # not below ESP: the CPL 0 handler's frame goes there
            p.pf(b, True, case[-2:])
        elif case == "esp-after-ok":
            # [ESP + d] before the increment is on a missing page; after it, not: no fault
            d = -8 - w
            p.esp = b + 8
            p.insn = [f"pop {ptr} ptr [esp - {-d:#x}]"]
            p.fill(b - 0x20, 0x40)
            p.page_fault((b >> 12) - 1, "np")
            p.write_after(b, w, p.read(b + 8, w))
            p.final_esp = p.esp + w
        elif case == "stack-limit":
            p.esp = b - 0x20
            dest = far
            p.insn = [f"pop {ptr} ptr [{dest:#x}]"]
            p.fill(dest, 0x10)
            p.ss = _stack_segment(p, p.esp - 1 + rng.randrange(0, w), False)
            p.exception = (12, 0)
        else:  # dest-limit: the destination is past DS's limit
            p.esp = b - 0x20
            dest = far + 0x10
            p.insn = [f"pop {ptr} ptr [{dest:#x}]"]
            p.fill(dest - 0x10, 0x20)
            p.segs["ds"] = _data_segment(p, dest - 1 + rng.randrange(0, w))
            p.exception = (13, 0)
        p.fill(p.esp & ~0xF, 0x10, compare=False)
        p.notes.append("SDM vol. 2 POP: with ESP as the base of the destination, the address is computed")
        p.notes.append("after ESP is incremented; a fault leaves ESP and the destination as they were.")
        return p

    return build


def _push(size: int, case: str) -> Callable[[random.Random], _Program]:
    w = size // 8

    def build(rng: random.Random) -> _Program:
        p = _Program(rng, 3, f"PUSH {PTR[w]} m ({case})")
        b = p.boundary()
        far = b + 0x3000 if b < 0x38000 else b - 0x8000
        ptr = PTR[w]
        if case == "source-np":
            p.esp = far
            src = b + rng.randrange(0, 0x40, 4)
            p.insn = [f"push {ptr} ptr [{src:#x}]"]
            p.fill(src & ~0xF, 0x10, compare=False)
            p.pf(src, False)
        elif case == "source-esp":  # [ESP + d] is addressed before ESP moves
            d = rng.choice((4, 8))
            p.esp = b - d
            p.insn = [f"push {ptr} ptr [esp + {d:#x}]"]
            p.fill(b - 0x20, 0x20, compare=False)
            p.pf(b, False)
        elif case in ("stack-np", "stack-ro"):
            p.esp = b
            src = far
            p.insn = [f"push {ptr} ptr [{src:#x}]"]
            p.fill(src, 0x10, compare=False)
            p.pf(b - w, True, case[-2:])
        else:  # stack-limit
            p.esp = b - 0x40
            p.insn = [f"push {ptr} ptr [{far:#x}]"]
            p.fill(far, 0x10, compare=False)
            p.ss = _stack_segment(p, p.esp - w + rng.randrange(0, w), True)
            p.exception = (12, 0)
        p.fill(p.esp - 0x10, 0x20)
        p.notes.append("SDM vol. 2 PUSH: a memory source with ESP as base is addressed before ESP is")
        p.notes.append("decremented; a fault leaves ESP and the stack as they were.")
        return p

    return build


# -- far JMP / CALL ------------------------------------------------------------------


def _bad_selector(p: _Program, kind: str, call: bool) -> tuple[int, int, int]:
    """(selector, vector, error) for a far JMP/CALL/RET/IRET target CS that faults."""
    cpl = p.cpl
    if kind == "null":
        return p.rng.choice((0, 3)) | (cpl if cpl else 0), 13, 0
    if kind == "beyond":
        return BEYOND | cpl, 13, BEYOND
    if kind == "not-present":
        sel = p.slot(_descriptor(0x1A | cpl << 5))
        return sel | cpl, 11, sel
    if kind == "data":
        sel = 0x23 if cpl == 3 else 0x10
        return sel, 13, sel & 0xFFFC
    if kind == "system":  # an LDT descriptor
        sel = p.slot(_descriptor(0x82, 0x7))
        return sel | cpl, 13, sel
    if kind == "privilege":
        if cpl == 3:
            return 0x08 | p.rng.choice((0, 3)), 13, 0x08  # DPL 0 nonconforming code from CPL 3
        return 0x18, 13, 0x18  # DPL 3 nonconforming code with RPL 0: DPL != CPL
    raise ValueError(kind)


def _far_jmp(form: str, case: str) -> Callable[[random.Random], _Program]:
    def build(rng: random.Random) -> _Program:
        p = _Program(rng, _cpl(rng, (0, 3)), f"far JMP ({form}) that faults ({case})")
        b = p.boundary()
        code = 0x1B if p.cpl == 3 else 0x08
        selector = code
        if case in ("offset-beyond-limit",):
            selector = p.slot(_descriptor(0x9A | p.cpl << 5, 0xFFFF)) | p.cpl
            p.exception = (13, 0)
        elif case not in ("pointer-np", "pointer-split", "pointer-limit"):
            selector, vector, error = _bad_selector(p, case, False)
            p.exception = (vector, error)
        if form == "direct":
            p.insn = [f"ljmp {selector:#x}:target"]
        else:
            m = b + rng.randrange(0, 0x40, 8)
            if case == "pointer-split":
                m = b - 4
            elif case == "pointer-limit":
                m = b - 0x20
                p.segs["ds"] = _data_segment(p, m + rng.choice((-1, 1, 3, 4)))
                p.exception = (13, 0)
            p.fill(m & ~0xF, 0x20, compare=False)
            p.put(m, 4, 0x10000 if case == "offset-beyond-limit" else rng.getrandbits(32))
            p.put(m + 4, 2, selector)
            if case == "pointer-np":
                p.pf(m, False)
            elif case == "pointer-split":
                p.pf(b, False)
            if rng.random() < 0.5:
                p.regs["edi"] = m
                p.insn = ["ljmp [edi]"]
            else:
                p.insn = [f"ljmp [{m:#x}]"]
        p.post = ["target:"]
        p.notes.append("SDM vol. 2 JMP (far): the pointer is read offset first; the selector is checked")
        p.notes.append("(null #GP(0); beyond the GDT, not code, privilege #GP(sel); not present #NP(sel)).")
        return p

    return build


def _far_call(form: str, case: str) -> Callable[[random.Random], _Program]:
    def build(rng: random.Random) -> _Program:
        p = _Program(rng, 3, f"far CALL ({form}) that faults ({case}) pushes nothing")
        b = p.boundary()
        selector = 0x1B
        p.esp = b - rng.randrange(0x40, 0x100, 4)
        if case in ("push-1-np", "push-1-ro"):
            p.esp = b
            p.pf(b - 4, True, case[-2:])
        elif case in ("push-2-np", "push-2-ro"):
            p.esp = b + 4
            p.pf(b - 4, True, case[-2:])
        elif case.startswith("push-") and case.endswith("limit"):
            n = int(case[5])
            p.ss = _stack_segment(p, p.esp - 4 * n + rng.choice((0, 3)), True)
            p.exception = (12, 0)
        elif case not in ("pointer-np", "pointer-split"):
            kind = case.removesuffix("+stack-np")
            selector, vector, error = _bad_selector(p, kind, True)
            p.exception = (vector, error)
            if case.endswith("+stack-np"):  # the selector is checked before anything is pushed
                p.esp = b
                p.page_fault((b >> 12) - 1, "np")
        stack = p.esp
        if form == "direct":
            p.insn = [f"lcall {selector:#x}:target"]
        else:
            m = (b + 0x2000 if case not in ("pointer-np", "pointer-split") else b) + rng.randrange(0, 0x40, 8)
            if case == "pointer-split":
                m = b - 4
            p.fill(m & ~0xF, 0x20, compare=False)
            p.put(m, 4, rng.getrandbits(32))
            p.put(m + 4, 2, selector)
            if case == "pointer-np":
                p.pf(m, False)
            elif case == "pointer-split":
                p.pf(b, False)
            if case.startswith("pointer"):
                p.esp = stack = b + 0x1000 + rng.randrange(0x100, 0x400, 4)
            p.regs["ebx"] = m - 8
            p.insn = ["lcall [ebx + 8]"] if rng.random() < 0.5 else [f"lcall [{m:#x}]"]
        p.fill(stack - 0x10, 0x20)
        p.post = ["target:"]
        p.notes.append("SDM vol. 2 CALL (far, same privilege): checks the selector, then pushes CS and EIP;")
        p.notes.append("#SS(0) if the stack has no room for them. The pushes at CPL 3 are user accesses.")
        return p

    return build


# -- RETF / IRET -------------------------------------------------------------------


def _retf(size: int, release: int, case: str, cpls=(0, 3)) -> Callable[[random.Random], _Program]:
    w = size // 8

    def build(rng: random.Random) -> _Program:
        outer = case.startswith("outer")
        p = _Program(
            rng, 0 if outer else _cpl(rng, cpls), f"RETF {release} ({size}-bit) that faults ({case})"
        )
        b = p.boundary()
        code = 0x1B if p.cpl == 3 else 0x08
        selector = 0x1B if outer else code
        new_ss = 0x23
        if case == "eip-np":
            p.esp = b
            p.pf(b, False)
        elif case == "cs-np":
            p.esp = b - w
            p.pf(b, False)
        elif case == "outer-np":
            p.esp = b - 2 * w - release
            p.pf(b, False)
        elif case == "limit":
            p.esp = b - 0x40
            p.ss = _stack_segment(p, p.esp + rng.choice((0, w)) - 1 + rng.randrange(0, w), False)
            p.exception = (12, 0)
        elif case == "eip-beyond-limit":
            p.esp = b - 0x40
            selector = 0x30 if p.cpl == 0 else p.slot(_descriptor(0xFA, 0xFFFF)) | 3
            p.exception = (13, 0)
        elif case.startswith("outer-ss-"):
            p.esp = b - 0x40
            kind = case[len("outer-ss-") :]
            if kind == "null":
                new_ss, vector, error = 3, 13, 0
            elif kind == "rpl":
                new_ss, vector, error = 0x20, 13, 0x20  # RPL 0 != RPL of CS
            elif kind == "code":
                new_ss, vector, error = 0x1B, 13, 0x18
            else:  # not present
                sel = p.slot(_descriptor(0x72))
                new_ss, vector, error = sel | 3, 12, sel
            p.exception = (vector, error)
        else:
            p.esp = b - 0x40
            selector, vector, error = _bad_selector(p, case, False)
            p.exception = (vector, error)
        base = p.esp
        p.fill(base - 0x10, 0x30 + release, compare=False)
        # the frame: EIP (the label after the RETF; a 16-bit IP is left random), CS, and
        # past the released bytes ESP and SS for a return to CPL 3
        if case == "eip-beyond-limit":
            p.put(base, 4, 0x10000)  # past the limit 0xFFFF of the return CS
        elif w == 4:
            p.frame.append(f"mov dword ptr [{base:#x}], target")
        p.put(base + w, w, selector)
        if outer:
            p.put(base + 2 * w + release, 4, b + 0x800)
            p.put(base + 3 * w + release, 4, new_ss)
        if w == 4:
            p.insn = [f"retf {release:#x}" if release else "retf"]
        else:
            p.insn = [f".byte 0x66, 0xca, {release:#x}, 0" if release else ".byte 0x66, 0xcb"]
        p.post = ["target:"]
        p.notes.append("SDM vol. 2 RET (far): EIP and CS are popped, then CS is checked; to an outer level")
        p.notes.append("ESP and SS are read past the released bytes and SS checked; a fault changes nothing.")
        return p

    return build


def _iret(size: int, case: str, cpls=(0, 0, 3)) -> Callable[[random.Random], _Program]:
    w = size // 8

    def build(rng: random.Random) -> _Program:
        cpl = 0 if case in ("eip-beyond-limit", "limit") else _cpl(rng, cpls)
        p = _Program(rng, cpl, f"IRET ({size}-bit) at CPL {cpl} to CPL {cpl} that faults ({case})")
        b = p.boundary()
        selector = 0x1B if cpl == 3 else 0x08
        p.esp = b - 0x40
        eip = "target"
        if case.startswith("slot-"):
            k = int(case[5])
            p.esp = b - k * w
            p.pf(b, False)
        elif case == "limit":
            p.ss = _stack_segment(p, p.esp + rng.choice((w, 2 * w)) - 1 + rng.randrange(0, w), False)
            p.exception = (12, 0)
        elif case == "eip-beyond-limit":
            selector = 0x30  # 16-bit code based at 0x10000 with limit 0xFFFF
            eip = 0x10000
            p.exception = (13, 0)
        elif case == "null-cs-flags-np":  # every pop comes before any check: #PF, not #GP
            selector = 0
            p.esp = b - 2 * w
            p.pf(b, False)
        else:
            selector, vector, error = _bad_selector(p, case, False)
            p.exception = (vector, error)
        base = p.esp
        p.fill(base - 0x10, 0x30, compare=False)
        # the frame: EIP (the label after the IRET; a 16-bit IP is left random), CS, EFLAGS
        if eip == "target" and w == 4:
            p.frame.append(f"mov dword ptr [{base:#x}], target")
        elif w == 4:
            p.put(base, 4, eip)
        p.put(base + w, w, selector)
        p.put(base + 2 * w, w, 0x2 | rng.getrandbits(12) & 0x8D5)
        p.insn = ["iretd" if w == 4 else ".byte 0x66, 0xcf"]
        p.post = ["target:"]
        p.notes.append("SDM vol. 2 IRET: EIP, CS and EFLAGS are popped before CS is checked (null #GP(0),")
        p.notes.append("not code or DPL != RPL #GP(sel), not present #NP(sel), EIP past the limit #GP(0)).")
        return p

    return build


# -- INT n ----------------------------------------------------------------------------


def _int(case: str) -> Callable[[random.Random], _Program]:
    def build(rng: random.Random) -> _Program:
        p = _Program(rng, 3, f"INT n whose delivery faults ({case}) at CPL 3 pushes nothing")
        b = p.boundary()
        p.esp = b - rng.randrange(0x40, 0x100, 4)
        selector, access = 0x1B, 0xEE  # DPL 3 interrupt gate to CPL 3 code: no stack switch
        vector = GATE_VECTOR
        if case.startswith("push-") and case[-2:] in ("np", "ro"):
            n = int(case[5])
            p.esp = b + 4 * (n - 1)
            p.pf(b - 4, True, case[-2:])
        elif case == "push-limit":
            p.ss = _stack_segment(p, p.esp - 12 + rng.randrange(0, 12), True)
            p.exception = (12, 0)
        elif case == "gate-not-present":
            access = 0x6E
            p.exception = (11, 8 * vector + 2)
        elif case == "gate-dpl":
            access = 0x8E
            p.exception = (13, 8 * vector + 2)
        elif case == "target-null":
            selector = 0
            p.exception = (13, 0)
        elif case == "target-beyond":
            selector = BEYOND
            p.exception = (13, BEYOND)
        elif case == "target-data":
            selector = 0x20
            p.exception = (13, 0x20)
        else:  # target-not-present, alone or with a stack that would fault too
            sel = p.slot(_descriptor(0x7A))
            selector = sel
            p.exception = (11, sel)
            if case.endswith("+stack-np"):  # the target is checked before anything is pushed
                p.esp = b
                p.page_fault((b >> 12) - 1, "np")
        p.gate = (selector, access)
        p.fill(p.esp - 0x20, 0x30)
        p.insn = [f"int {vector:#x}"]
        p.notes.append("SDM vol. 2 INT n: gate checks (not present #NP, DPL < CPL #GP, 8 * n + 2), target")
        p.notes.append(
            "checks (#GP/#NP with the selector), then EFLAGS, CS, EIP pushed; a fault is reported at INT."
        )
        return p

    return build


# -- read-modify-write ------------------------------------------------------------------


def _rmw(mnemonic: str, width: int, case: str) -> Callable[[random.Random], _Program]:
    def build(rng: random.Random) -> _Program:
        p = _Program(rng, _cpl(rng, (0, 3)), f"{mnemonic.upper()} {PTR[width]} m that faults ({case})")
        b = p.boundary()
        if case == "split":
            m = b - width // 2
        elif case == "limit":
            m = b - 0x20 - rng.randrange(0, 0x20, width)
        else:
            m = b + rng.randrange(0, 0x40, width)
        p.fill((m & ~0xF) - 0x10, 0x30)
        reg = rng.choice(REG[width][1:] if mnemonic == "cmpxchg" else REG[width])
        if mnemonic == "cmpxchg" and rng.random() < 0.5:  # the comparison succeeds
            p.put(m, width, _reg_value(p.regs, REG[width][0]))
        ptr = f"{PTR[width]} ptr [{m:#x}]"
        if rng.random() < 0.4 and reg not in ("esi", "si"):
            p.regs["esi"] = m - 4
            ptr = f"{PTR[width]} ptr [esi + 4]"
        p.insn = [f"{mnemonic} {ptr}, {reg}"]
        if case in ("np", "ro"):
            p.pf(m, True, case)
        elif case == "split":
            p.pf(b, True, "np", cr2=False)
        else:
            p.segs["ds"] = _data_segment(p, m - 1 + rng.randrange(0, width))
            p.exception = (13, 0)
        p.notes.append(f"SDM vol. 2 {mnemonic.upper()}: the destination is read and written (CMPXCHG writes")
        p.notes.append(
            "it back when the comparison fails); a fault leaves memory, the registers and the flags."
        )
        return p

    return build


def _cmpxchg8b(case: str) -> Callable[[random.Random], _Program]:
    def build(rng: random.Random) -> _Program:
        p = _Program(rng, _cpl(rng, (0, 3)), f"CMPXCHG8B that faults ({case}) changes nothing")
        b = p.boundary()
        m = b - 4 if case == "split" else b + rng.randrange(0, 0x40, 8)
        if case in ("limit", "read-only"):
            m = b - 0x40
        p.fill((m & ~0xF) - 0x10, 0x30)
        if rng.random() < 0.5:  # the comparison succeeds
            p.put(m, 4, p.regs["eax"])
            p.put(m + 4, 4, p.regs["edx"])
        p.insn = [f"cmpxchg8b qword ptr [{m:#x}]"]
        if case in ("np", "ro"):
            p.pf(m, True, case)
        elif case == "split":
            p.pf(b, True, "np", cr2=False)
        elif case == "limit":
            p.segs["ds"] = _data_segment(p, m + rng.choice((3, 4, 7)) - 1)
            p.exception = (13, 0)
        else:  # read-only data segment
            p.segs["ds"] = p.slot(_descriptor(0x90 | p.cpl << 5)) | p.cpl
            p.exception = (13, 0)
        p.notes.append(
            "SDM vol. 2 CMPXCHG8B: the destination is always written (back, on a mismatch); #GP(0)"
        )
        p.notes.append("for a non-writable segment; a fault leaves EDX:EAX, ZF and memory as they were.")
        return p

    return build


# -- BOUND, LDS ------------------------------------------------------------------------


def _bound(size: int, case: str) -> Callable[[random.Random], _Program]:
    w = size // 8

    def build(rng: random.Random) -> _Program:
        p = _Program(rng, _cpl(rng, (0, 3)), f"BOUND ({size}-bit) whose bounds read faults ({case})")
        b = p.boundary()
        m = b if case == "lower-np" else b - w
        if case == "limit":
            m = b - 0x20
        p.fill((m & ~0xF) - 0x10, 0x30, compare=False)
        reg = rng.choice(REG[w][:4])
        index = _reg_value(p.regs, reg)
        sign = 1 << (size - 1)
        signed = index - (index & sign) * 2
        if case == "upper-np-below" or rng.random() < 0.5:
            lower = min(signed + 1 + rng.randrange(100), sign - 1)  # the index is out of range too
        else:
            lower = max(signed - rng.randrange(100), -sign)
        upper = sign - 1
        p.put(m, w, lower & ((1 << size) - 1))
        p.put(m + w, w, upper)
        p.insn = [f"bound {reg}, {'qword' if w == 4 else 'dword'} ptr [{m:#x}]"]
        if case == "limit":
            p.segs["ds"] = _data_segment(p, m + w + rng.randrange(0, w) - 1)
            p.exception = (13, 0)
        else:
            p.pf(b, False)
        p.notes.append("SDM vol. 2 BOUND: both bounds are read before the index is compared, so a fault on")
        p.notes.append("the upper bound comes before #BR.")
        return p

    return build


def _segment_load(seg: str, size: int, case: str) -> Callable[[random.Random], _Program]:
    w = size // 8

    def build(rng: random.Random) -> _Program:
        p = _Program(rng, _cpl(rng, (0, 3)), f"L{seg.upper()} ({size}-bit) that faults ({case})")
        b = p.boundary()
        m = b - w if case == "pointer-split" else b + rng.randrange(0, 0x40, 8)
        if case == "pointer-limit":
            m = b - 0x40
        p.fill((m & ~0xF) - 0x10, 0x30, compare=False)
        cpl = p.cpl
        vector, error = None, None
        if case == "null":  # only SS refuses a null selector
            selector, vector, error = 0 | cpl, 13, 0
        elif case == "beyond":
            selector, vector, error = BEYOND | cpl, 13, BEYOND
        elif case == "not-present":
            sel = p.slot(_descriptor(0x12 | cpl << 5))
            selector, vector, error = sel | cpl, 12 if seg == "ss" else 11, sel
        elif case == "execute-only":
            sel = p.slot(_descriptor(0x98 | cpl << 5))
            selector, vector, error = sel | cpl, 13, sel
        elif case == "read-only":  # SS must be writable
            sel = p.slot(_descriptor(0x90 | cpl << 5))
            selector, vector, error = sel | cpl, 13, sel
        elif case == "system":
            selector, vector, error = 0x28, 13, 0x28
        elif case == "privilege":  # a DPL 0 data segment at CPL 3, or an RPL 3 SS at CPL 0
            selector = 0x13 if cpl == 3 else 0x23
            vector, error = 13, selector & 0xFFFC
        elif seg == "ss":  # a pointer fault: the selector would load
            selector = p.ss
        else:
            selector = rng.choice((0x10, 0x23)) if cpl == 0 else 0x23
        dest = rng.choice(REG[w][:4] + (("bp",) if w == 2 else ("ebp",)))
        p.put(m, w, rng.getrandbits(size))
        p.put(m + w, 2, selector)
        p.insn = [f"l{seg} {dest}, {'fword' if w == 4 else 'dword'} ptr [{m:#x}]"]
        if case == "pointer-np":
            p.pf(m, False)
        elif case == "pointer-split":
            p.pf(b, False)
        elif case == "pointer-limit":
            p.segs["ds"] = _data_segment(p, m + w + rng.randrange(0, 2) - 1)
            p.exception = (13, 0)
        else:
            p.exception = (vector, error)
        p.notes.append("SDM vol. 2 LDS/LES/LFS/LGS/LSS: the offset is read, then the selector, which is")
        p.notes.append("loaded with its checks (vol. 3A 5.4.1) before the register is written.")
        return p

    return build


# -- strings ----------------------------------------------------------------------------


def _string(op: str, width: int, rep: bool, backward: bool, side: str, fault: str, k: int):
    """op: movs/stos/cmps/lods; side: src or dst (which operand faults); iteration k
    (0 for no REP) is the first whose access faults."""

    def build(rng: random.Random) -> _Program:
        what = f"{'REP ' if rep else ''}{op.upper()}{SUFFIX[width].upper()}"
        p = _Program(
            rng,
            _cpl(rng, (0, 3)),
            f"{what} ({'backward' if backward else 'forward'}) whose {side} faults at element {k} ({fault})",
        )
        b = p.boundary()
        far = b + 0x3000 if b < 0x38000 else b - 0x8000
        count = k + 1 + rng.randrange(4) if rep else 1
        step = -width if backward else width
        # the faulting operand starts so that element k is the first on the faulting page
        # (forward: page P, backward: page P - 1); the other operand is on a page far away
        start = (b - k * width) if not backward else (b - width + k * width)
        other = far + (0x100 if backward else 0) + rng.randrange(0, 0x40, 4)
        uses_src = op in ("movs", "cmps", "lods")
        uses_dst = op in ("movs", "cmps", "stos")
        src = start if side == "src" else other
        dst = start if side == "dst" else other
        span = count * width
        for address in (src if uses_src else None, dst if uses_dst else None):
            if address is not None:
                low = address - span - 0x10 if backward else address - 0x10
                p.fill(low & ~3, (span + 0x24) & ~3, compare=address == dst and op in ("movs", "stos"))
        if op == "cmps":  # equal elements, so REPE goes on to the faulting one
            for i in range(count):
                p.put(dst + i * step, width, p.read(src + i * step, width))
        if uses_src:
            p.regs["esi"] = src
        if uses_dst:
            p.regs["edi"] = dst
        if rep:
            p.regs["ecx"] = count
        if backward:
            p.pre.append("std")
            p.df = 1
        # after k complete iterations (SDM vol. 2 REP: ECX, ESI, EDI reflect them)
        done = k if rep else 0
        if rep:
            p.final_regs["ecx"] = count - done
        if uses_src:
            p.final_regs["esi"] = (src + done * step) & 0xFFFFFFFF
        if uses_dst:
            p.final_regs["edi"] = (dst + done * step) & 0xFFFFFFFF
        mask = (1 << (8 * width)) - 1
        for i in range(done):
            if op == "stos":
                p.write_after(dst + i * step, width, p.regs["eax"] & mask)
            elif op == "movs":
                p.write_after(dst + i * step, width, p.read(src + i * step, width))
        if op == "lods" and done:
            last = p.read(src + (done - 1) * step, width)
            p.final_regs["eax"] = (p.regs["eax"] & ~mask) | last
        if op == "cmps" and done:
            p.final_flags = dict(EQUAL_FLAGS)
        faulting = (src if side == "src" else dst) + k * step
        if fault in ("np", "ro"):
            p.pf(faulting, side == "dst" and op in ("movs", "stos"), fault)
        else:
            seg = "ds" if side == "src" else "es"
            if backward:
                p.segs[seg] = _data_segment(p, faulting + rng.randrange(0, width), expand_down=True)
            else:
                p.segs[seg] = _data_segment(p, faulting - 1 + rng.randrange(0, width))
            p.exception = (13, 0)
        prefix = ("repe " if op == "cmps" else "rep ") if rep else ""
        forms = {
            "movs": f"movs {PTR[width]} ptr es:[edi], {PTR[width]} ptr [esi]",
            "stos": f"stos{SUFFIX[width]}",
            "lods": f"lods{SUFFIX[width]}",
            "cmps": f"cmps {PTR[width]} ptr [esi], {PTR[width]} ptr es:[edi]",
        }
        p.insn = [prefix + forms[op]]
        p.notes.append("SDM vol. 2 REP/REPE: a fault in an iteration leaves ECX, ESI, EDI and memory as the")
        p.notes.append(
            "completed iterations left them, and is reported at the instruction; without REP, no change."
        )
        return p

    return build


# ---------------------------------------------------------------------------------
# The variant table


def _variants() -> list[Variant]:
    v: list[Variant] = []
    add = v.append
    for size in (32, 16):
        add(Variant(f"popa{size}-np-0", _popa(size, 0, "np")))
    for size, k in ((32, 1), (32, 3), (32, 4), (32, 7), (16, 2)):
        add(Variant(f"popa{size}-np-{k}", _popa(size, k, "np"), POPA_PARTIAL))
    for size, k in ((32, 0), (32, 4), (32, 7), (16, 3)):
        add(Variant(f"popa{size}-limit-{k}", _popa(size, k, "limit"), LIMITS))
    for size in (32, 16):
        for fault in ("np", "ro"):
            add(Variant(f"pusha{size}-{fault}-7", _pusha(size, 7, fault)))
    for size, k in ((32, 0), (32, 3), (16, 0)):
        add(Variant(f"pusha{size}-np-{k}", _pusha(size, k, "np"), PUSHA_ORDER))
    add(Variant("pusha32-np-above", _pusha(32, 0, "np-above"), PUSHA_ORDER))
    for size, k in ((32, 0), (32, 4), (32, 7), (16, 2)):
        add(Variant(f"pusha{size}-limit-{k}", _pusha(size, k, "limit"), LIMITS))
    for level in (0, 1, 3):
        for fault in ("np", "ro"):
            add(Variant(f"enter{level}-ebp-{fault}", _enter(level, "ebp", fault)))
    add(Variant("enter1-frame-np", _enter(1, "frame", "np"), PUSHES))
    for access in ("copy-read-1", "copy-read-2", "copy-write-1", "frame"):
        add(Variant(f"enter3-{access}-np", _enter(3, access, "np"), PUSHES))
    for level in (0, 1, 3):
        add(Variant(f"enter{level}-ebp-limit", _enter(level, "ebp", "limit"), LIMITS))
        add(Variant(f"enter{level}-esp-limit", _enter(level, "esp", "limit"), LIMITS))
    for size in (32, 16):
        add(Variant(f"leave{size}-np", _leave(size, "np")))
        add(Variant(f"leave{size}-split", _leave(size, "split")))
    add(Variant("leave32-limit", _leave(32, "limit"), LIMITS))
    for size in (32, 16):
        for case in ("stack-np", "dest-np", "dest-ro", "esp-after-np", "esp-after-ro", "esp-after-ok"):
            add(Variant(f"pop{size}-{case}", _pop(size, case)))
        for case in ("source-np", "source-esp", "stack-np", "stack-ro"):
            add(Variant(f"push{size}-{case}", _push(size, case)))
    for case in ("stack-limit", "dest-limit"):
        add(Variant(f"pop32-{case}", _pop(32, case), LIMITS))
    add(Variant("push32-stack-limit", _push(32, "stack-limit"), LIMITS))
    selectors = ("null", "beyond", "not-present", "data", "system", "privilege")
    for form in ("direct", "indirect"):
        for case in (*selectors, "offset-beyond-limit"):
            add(Variant(f"jmp-{form}-{case}", _far_jmp(form, case)))
        for case in selectors:
            add(Variant(f"call-{form}-{case}", _far_call(form, case)))
        for case in ("null", "not-present", "privilege"):
            add(Variant(f"call-{form}-{case}+stack-np", _far_call(form, f"{case}+stack-np")))
        for fault in ("np", "ro"):
            add(Variant(f"call-{form}-push-1-{fault}", _far_call(form, f"push-1-{fault}"), KERNEL_STACK))
            add(Variant(f"call-{form}-push-2-{fault}", _far_call(form, f"push-2-{fault}"), PUSHES))
    for case in ("pointer-np", "pointer-split"):
        add(Variant(f"jmp-indirect-{case}", _far_jmp("indirect", case)))
        add(Variant(f"call-indirect-{case}", _far_call("indirect", case)))
    add(Variant("jmp-indirect-pointer-limit", _far_jmp("indirect", "pointer-limit"), LIMITS))
    add(Variant("call-direct-push-1-limit", _far_call("direct", "push-1-limit"), LIMITS))
    add(Variant("call-direct-push-2-limit", _far_call("direct", "push-2-limit"), LIMITS))
    for size, release in ((32, 0), (32, 8), (32, 0x20), (16, 0), (16, 4)):
        for case in ("eip-np", "cs-np"):  # a page fault on the popped return address
            add(Variant(f"retf{size}-{release}-{case}", _retf(size, release, case, (0,))))
            add(Variant(f"retf{size}-{release}-{case}-cpl3", _retf(size, release, case, (3,)), KERNEL_STACK))
        for case in selectors:
            add(Variant(f"retf{size}-{release}-{case}", _retf(size, release, case)))
    for release in (0, 8):
        for case in ("outer-np", "outer-ss-null", "outer-ss-rpl", "outer-ss-code"):
            add(Variant(f"retf32-{release}-{case}", _retf(32, release, case)))
        add(
            Variant(
                f"retf32-{release}-outer-ss-not-present", _retf(32, release, "outer-ss-not-present"), SS_NP
            )
        )
    add(Variant("retf32-0-limit", _retf(32, 0, "limit"), LIMITS))
    add(Variant("retf32-0-eip-beyond-limit", _retf(32, 0, "eip-beyond-limit"), EIP_LIMIT))
    add(Variant("retf32-8-eip-beyond-limit", _retf(32, 8, "eip-beyond-limit"), EIP_LIMIT))
    for size in (32, 16):
        for case in ("slot-0", "slot-1", "slot-2", "null-cs-flags-np"):  # a page fault on the frame
            add(Variant(f"iret{size}-{case}", _iret(size, case, (0,))))
            add(Variant(f"iret{size}-{case}-cpl3", _iret(size, case, (3,)), KERNEL_STACK))
        for case in selectors:
            add(Variant(f"iret{size}-{case}", _iret(size, case)))
    add(Variant("iret32-eip-beyond-limit", _iret(32, "eip-beyond-limit"), EIP_LIMIT))
    add(Variant("iret32-limit", _iret(32, "limit"), LIMITS))
    for case in (
        "gate-not-present",
        "gate-dpl",
        "target-null",
        "target-beyond",
        "target-data",
        "target-not-present",
        "target-not-present+stack-np",
    ):
        add(Variant(f"int-{case}", _int(case)))
    for n in (1, 2, 3):
        for fault in ("np", "ro"):
            add(Variant(f"int-push-{n}-{fault}", _int(f"push-{n}-{fault}"), DELIVERY))
    add(Variant("int-push-limit", _int("push-limit"), LIMITS))
    for case in ("np", "ro", "split"):
        add(Variant(f"cmpxchg8b-{case}", _cmpxchg8b(case), None if case == "ro" else RMW_READ))
    add(Variant("cmpxchg8b-limit", _cmpxchg8b("limit"), LIMITS))
    add(Variant("cmpxchg8b-read-only", _cmpxchg8b("read-only"), WRITABLE))
    for mnemonic in ("xchg", "xadd", "cmpxchg"):
        for width in (1, 2, 4):
            for case in ("np", "ro") + (("split",) if width > 1 else ()):
                oracle = None if case == "ro" else RMW_READ
                add(Variant(f"{mnemonic}{width * 8}-{case}", _rmw(mnemonic, width, case), oracle))
        add(Variant(f"{mnemonic}32-limit", _rmw(mnemonic, 4, "limit"), LIMITS))
    for size in (32, 16):
        for case in ("lower-np", "upper-np", "upper-np-below"):
            add(Variant(f"bound{size}-{case}", _bound(size, case)))
    add(Variant("bound32-limit", _bound(32, "limit"), LIMITS))
    for seg in ("ds", "es", "fs", "gs", "ss"):
        cases = ["pointer-np", "pointer-split", "beyond", "not-present", "execute-only"]
        cases += ["null", "read-only", "privilege"] if seg == "ss" else ["system"]
        for case in cases:
            add(Variant(f"l{seg}32-{case}", _segment_load(seg, 32, case)))
    for seg in ("ds", "ss"):
        for case in ("pointer-split", "not-present"):
            add(Variant(f"l{seg}16-{case}", _segment_load(seg, 16, case)))
    add(Variant("lds32-pointer-limit", _segment_load("ds", 32, "pointer-limit"), LIMITS))
    for op, sides in (
        ("movs", ("src", "dst")),
        ("stos", ("dst",)),
        ("lods", ("src",)),
        ("cmps", ("src", "dst")),
    ):
        for side in sides:
            writes = side == "dst" and op in ("movs", "stos")
            for width in (1, 2, 4):
                for backward in (False, True):
                    for fault in ("np", "ro") if writes else ("np",):
                        add(Variant(f"{op}{width * 8}-{side}-{fault}{'-std' if backward else ''}",
                                    _string(op, width, False, backward, side, fault, 0)))  # fmt: skip
                        for k in (0, 3):
                            add(Variant(f"rep-{op}{width * 8}-{side}-{fault}-{k}{'-std' if backward else ''}",
                                        _string(op, width, True, backward, side, fault, k)))  # fmt: skip
            add(Variant(f"rep-{op}32-{side}-limit", _string(op, 4, True, False, side, "limit", 2), LIMITS))
    add(Variant("rep-stos32-dst-limit-std", _string("stos", 4, True, True, "dst", "limit", 2), LIMITS))
    return v


VARIANTS = _variants()
_AGREED = [x for x in VARIANTS if x.oracle is None]
_DIVERGENT = [x for x in VARIANTS if x.oracle is not None]
COUNT = len(_AGREED) * REPEATS + len(_DIVERGENT)
# seed -> why Unicorn cannot get that program right (listed in conformance/divergences.toml)
ORACLE_DIVERGENCES = {len(_AGREED) * REPEATS + i: x.oracle for i, x in enumerate(_DIVERGENT)}


def variant(seed: int) -> Variant:
    if seed < len(_AGREED) * REPEATS:
        return _AGREED[seed % len(_AGREED)]
    return _DIVERGENT[seed - len(_AGREED) * REPEATS]


def program(seed: int) -> str:
    v = variant(seed)
    rng = random.Random(f"atomicity/{seed}")
    p = v.build(rng)
    return f"; | variant {v.name}\n" + p.render()


EVIDENCE = "Intel SDM vol. 3A 6.5 (a fault restores the state); the rule in conformance/generate/atomicity.py"


def divergence_entries() -> str:
    """The entries of conformance/divergences.toml for ORACLE_DIVERGENCES."""
    out = []
    for seed, reason in ORACLE_DIVERGENCES.items():
        out += [
            "[[divergence]]",
            'engine = "unicorn"',
            f'test = "gen/atomicity/{seed}.asm"',
            f'reason = "{variant(seed).name}: {reason}"',
            f'evidence = "{RMW_EVIDENCE if reason == RMW_READ else EVIDENCE}"',
            "",
        ]
    return "\n".join(out)
