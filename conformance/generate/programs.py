"""Random straight-line and branching programs: ALU, memory, stack, string, flag and
control-flow statements mixed, always terminating (branches go forward; loops run at
most four times).

A program is rendered from a genome, a list of (kind, x, y) integer triples; the
corpus draws genomes from ``random.Random(seed)``, and the property test in
tests/test_random_programs.py draws them with hypothesis, so a failing program
shrinks to a minimal one. Shrunk failures are kept as tests in guest_tests/.
"""

from __future__ import annotations

import random

from ..undefined import effect

VERSION = 1
COUNT = 10_000
DATA = 0x18000
MAX_STATEMENTS = 24

REGS = {32: ("eax", "ebx", "ecx", "edx", "esi", "edi"), 16: ("ax", "bx", "cx", "dx", "si", "di"),
        8: ("al", "bl", "cl", "dl", "ah", "bh")}  # fmt: skip
PTR = {8: "byte", 16: "word", 32: "dword"}
ALU = ("add", "adc", "sub", "sbb", "and", "or", "xor", "cmp", "test")
SHIFTS = ("shl", "shr", "sar", "rol", "ror", "rcl", "rcr")
CONDITIONS = ("o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g")
STRINGS = ("movs", "stos", "lods", "cmps", "scas")
KINDS = 14


# instructions that read arithmetic flags (conditions, carries, the whole register)
_READS_FLAGS = ("j", "set", "cmov", "lahf", "pushf", "adc", "sbb", "rcl", "rcr", "cmc", "loope", "loopne")


class _Renderer:
    """Renders statements and keeps every flag read defined: when a statement would read
    a flag the SDM leaves undefined at that point (conformance/undefined.py), a CMP,
    which defines all six, goes first. A program compares only defined behaviour."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0  # values pushed and not yet popped
        self.labels = 0
        self.undefined = 0  # arithmetic flags undefined at this point

    def label(self) -> str:
        self.labels += 1
        return f"l{self.labels}"

    def emit(self, *lines: str) -> None:
        for line in "\n".join(lines).split("\n"):
            line = line.strip()
            if line.endswith(":"):
                self.lines.append(line)
                continue
            mnemonic, _, operands = line.partition(" ")
            if mnemonic in ("rep", "repne"):  # may run zero times: flags possibly unchanged
                self.lines.append(f"    {line}")
                continue
            if self.undefined and mnemonic.startswith(_READS_FLAGS):
                self.lines.append("    cmp eax, ebx")
                self.undefined = 0
            self.lines.append(f"    {line}")
            defined, undefined = effect(mnemonic, operands)
            self.undefined = (self.undefined & ~defined) | undefined

    def statement(self, kind: int, x: int, y: int) -> None:
        size = (8, 16, 32)[x % 3]
        regs = REGS[size]
        dst, src = regs[(y >> 3) % 6], regs[y % 6]
        mem = f"{PTR[size]} ptr [{DATA + 4 * ((x >> 2) % 16):#x}]"
        imm = y & ((1 << size) - 1)
        op = ALU[(x >> 4) % len(ALU)]
        if kind == 0:
            self.emit(f"{op} {dst}, {src}")
        elif kind == 1:
            self.emit(f"{op} {dst}, {imm:#x}")
        elif kind == 2:
            self.emit(f"{op} {mem}, {src}")
        elif kind == 3:
            self.emit(f"mov {dst}, {mem}" if x & 8 else f"mov {mem}, {src}")
        elif kind == 4:
            shift = SHIFTS[(x >> 4) % len(SHIFTS)]
            self.emit(f"{shift} {dst}, {y % 40}" if x & 8 else f"{shift} {dst}, cl")
        elif kind == 5:
            self.emit(f"push {REGS[32][y % 6]}" if x & 8 else f"push dword {y:#x}")
            self.depth += 1
        elif kind == 6:
            if self.depth:
                self.emit(f"pop {REGS[32][y % 6]}")
                self.depth -= 1
            else:
                self.emit("nop")
        elif kind == 7:  # a forward conditional branch over one statement
            skip = self.label()
            self.emit(f"j{CONDITIONS[y % 16]} {skip}", f"{op} {dst}, {src}", f"{skip}:")
        elif kind == 8:  # a short counted loop (the body leaves ECX alone)
            top = self.label()
            body = REGS[32][(y >> 3) % 6]
            body = "ebx" if body == "ecx" else body
            self.emit(f"mov ecx, {1 + x % 4}", f"{top}:", f"{op} {body}, {imm | 1:#x}", f"loop {top}")
        elif kind == 9:  # a string instruction on the data area
            name = STRINGS[(x >> 4) % len(STRINGS)] + {8: "b", 16: "w", 32: "d"}[size]
            if name == "movsd":
                name = "movs dword ptr es:[edi], dword ptr [esi]"
            rep = ("", "rep ", "repne ")[y % 3] if name[:4] in ("cmps", "scas") else ("", "rep ")[y % 2]
            self.emit(
                f"mov esi, {DATA + 4 * (y % 8):#x}",
                f"mov edi, {DATA + 0x40 + 4 * ((y >> 3) % 8):#x}",
                f"mov ecx, {(y >> 6) % 5}",
                "std" if x & 8 and rep else "cld",
                f"{rep}{name}",
                "cld",
            )
        elif kind == 10:
            self.emit(f"{('mul', 'imul', 'div', 'idiv')[(x >> 4) % 4]} {src}")
        elif kind == 11:
            self.emit(("clc", "stc", "cmc", "lahf", "sahf", "pushfd\npop eax")[(x >> 4) % 6])
        elif kind == 12:
            cc = CONDITIONS[y % 16]
            self.emit(
                f"set{cc} {REGS[8][(y >> 4) % 6]}"
                if x & 8
                else f"cmov{cc} {REGS[32][(y >> 4) % 6]}, {src if size == 32 else REGS[32][y % 6]}"
            )
        else:
            choice = (x >> 4) % 6
            r32 = REGS[32][y % 6]
            self.emit(
                (
                    f"xchg {dst}, {src}",
                    f"xadd {dst}, {src}",
                    f"cmpxchg {dst}, {src}",
                    f"bswap {r32}",
                    f"movzx {r32}, {REGS[8][(y >> 3) % 6]}",
                    f"lea {r32}, [{REGS[32][(y >> 3) % 6]} + {REGS[32][y % 6]} * 4 + {imm & 0xFF:#x}]",
                )[choice]
            )


def render(genome: list[tuple[int, int, int]]) -> str:
    r = _Renderer()
    for kind, x, y in genome[:MAX_STATEMENTS]:
        r.statement(kind % KINDS, x, y)
    return "\n".join(r.lines) + "\n"


def text(genome: list[tuple[int, int, int]], registers: list[int]) -> str:
    regs = " ".join(f"{n}={v:#x}" for n, v in zip(REGS[32], registers))
    data = " ".join(f"{(registers[i % 6] * 2654435761 + i) & 0xFFFFFFFF:#x}" for i in range(32))
    return (
        f"; mode: pm32\n; regs: {regs} ebp={DATA:#x}\n; data: {DATA:#x} dd {data}\n; compare: {DATA:#x} 128\n"
        + render(genome)
    )


def program(seed: int) -> str:
    rng = random.Random(seed)
    genome = [
        (rng.randrange(KINDS), rng.getrandbits(16), rng.getrandbits(32)) for _ in range(rng.randint(4, 20))
    ]
    return text(genome, [rng.getrandbits(32) for _ in range(6)])
