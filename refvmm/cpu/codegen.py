"""From one semantic template and one decoded instruction to Python source.

Every instruction's behaviour is written once, as a template in
``refvmm.cpu.semantics``. This module specialises a template for one decoded
instruction (operand registers, sizes, addressing form, its address) into Python
statements. The interpreter compiles one instruction's statements into a
function; the binary translator will compile a block's worth into one.

Template language (plain Python, plus):
  ``D`` ``S`` ``S2``   read operand 0, 1, 2
  ``D := expr``       write operand 0 (``S := expr`` operand 1), a whole line
  ``W`` ``MASK`` ``SIGN``   operand width in bits, its mask and sign bit
  ``NEXT``            the address of the next instruction (EIP space)
  ``HERE``            the address of this instruction
  ``ASZ`` ``OSZ``     address and operand size; ``AMASK`` the address mask
  ``EA0`` ``EA1``     the effective address (offset) of a memory operand 0 or 1
  ``LIN0``            the linear address of memory operand 0 (checked for its size)
  ``SSIGN``           the sign bit of operand 1's width (MOVSX)
  ``OMASK``           the operand-size mask for EIP (16-bit jumps wrap)
  ``CC``              the condition code (Jcc, SETcc, CMOVcc)
  ``CREG0`` ``SEG0``  the number of a control register or segment register operand 0
  ``CX``              the count register of the address size (``CX := expr`` writes it)
  ``REP`` ``SEGSRC``  the repeat prefix, the source segment of a string instruction
Names available at run time: ``cpu``, ``m`` (the machine), ``g`` (cpu.gpr),
``u`` (CPL 3 access), ``F`` (flags), and the functions of ``segments``, ``stack``,
``arith``, ``system``, ``model`` and ``transfers`` in this package.
"""

from __future__ import annotations

import re

from .decoder import CReg, DReg, FarPtr, Imm, Instruction, Mem, Reg, Rel, SReg

GPR32 = {n: i for i, n in enumerate(("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"))}
GPR16 = {n: i for i, n in enumerate(("ax", "cx", "dx", "bx", "sp", "bp", "si", "di"))}
GPR8L = {"al": 0, "cl": 1, "dl": 2, "bl": 3}
GPR8H = {"ah": 0, "ch": 1, "dh": 2, "bh": 3}
SEGMENTS = {n: i for i, n in enumerate(("es", "cs", "ss", "ds", "fs", "gs"))}

_TOKEN = re.compile(
    r"\b(D|S|S2|W|MASK|SIGN|SSIGN|NEXT|HERE|ASZ|OSZ|AMASK|OMASK|EA0|EA1|LIN0|LIN1|CC|CREG0|DREG0|SEG0|MSEG0|DSEG|CX|ACC|REP|SEGSRC)\b"
)
_ASSIGN = re.compile(r"^(\s*)(D|S|CX|ACC) := (.*)$")


class Unsupported(Exception):
    """The template set has no behaviour for this instruction form yet."""


def reg_read(name: str) -> str:
    if name in GPR32:
        return f"g[{GPR32[name]}]"
    if name in GPR16:
        return f"(g[{GPR16[name]}] & 0xFFFF)"
    if name in GPR8L:
        return f"(g[{GPR8L[name]}] & 0xFF)"
    if name in GPR8H:
        return f"(g[{GPR8H[name]}] >> 8 & 0xFF)"
    raise Unsupported(f"register {name}")


def reg_write(name: str, value: str) -> str:
    if name in GPR32:
        return f"g[{GPR32[name]}] = ({value}) & 0xFFFFFFFF"
    if name in GPR16:
        i = GPR16[name]
        return f"g[{i}] = g[{i}] & 0xFFFF0000 | ({value}) & 0xFFFF"
    if name in GPR8L:
        i = GPR8L[name]
        return f"g[{i}] = g[{i}] & 0xFFFFFF00 | ({value}) & 0xFF"
    if name in GPR8H:
        i = GPR8H[name]
        return f"g[{i}] = g[{i}] & 0xFFFF00FF | (({value}) & 0xFF) << 8"
    raise Unsupported(f"register {name}")


def effective_address(mem: Mem) -> str:
    parts = []
    for name, scale in ((mem.base, 1), (mem.index, mem.scale)):
        if name is None:
            continue
        term = reg_read(name)
        parts.append(term if scale == 1 else f"{term} * {scale}")
    if mem.disp or not parts:
        parts.append(str(mem.disp & 0xFFFFFFFF))
    mask = 0xFFFF if mem.address_size == 16 else 0xFFFFFFFF
    return f"(({' + '.join(parts)}) & {mask:#x})"


class Specialiser:
    """Turns (template, instruction) into Python statements."""

    def __init__(self, ins: Instruction, here: int, code_bits: int):
        self.ins = ins
        self.here = here
        self.next = (here + ins.length) & (0xFFFFFFFF if code_bits == 32 else 0xFFFF)
        self.prologue: list[str] = []
        self.linear: dict[int, str] = {}

    def width(self) -> int:
        return self.ins.operand_size

    def _mem_linear(self, index: int, op: Mem, write: bool) -> str:
        if index not in self.linear:
            name = f"lin{index}"
            size = (op.size or self.width()) // 8
            seg = SEGMENTS[op.segment]
            self.prologue.append(f"ea{index} = {effective_address(op)}")
            self.prologue.append(f"{name} = seg_linear(cpu, {seg}, ea{index}, {size}, {write})")
            self.linear[index] = name
        return self.linear[index]

    def read(self, index: int, writes: bool) -> str:
        op = self.operand(index)
        if isinstance(op, Reg):
            return reg_read(op.name)
        if isinstance(op, Imm):
            return f"{op.value & ((1 << max(op.size, self.width())) - 1):#x}"
        if isinstance(op, Mem):
            lin = self._mem_linear(index, op, writes)
            return f"m.read({lin}, {(op.size or self.width()) // 8}, u)"
        if isinstance(op, SReg):
            return f"cpu.seg[{SEGMENTS[op.name]}].selector"
        if isinstance(op, CReg):
            return f"cpu.cr[{op.number}]"
        if isinstance(op, DReg):
            return f"cpu.dr[{op.number}]"
        if isinstance(op, Rel):
            return f"{op.offset}"
        if isinstance(op, FarPtr):
            return f"({op.selector:#x}, {op.offset:#x})"
        raise Unsupported(f"operand {op!r}")

    def write(self, index: int, value: str) -> str:
        op = self.operand(index)
        if isinstance(op, Reg):
            return reg_write(op.name, value)
        if isinstance(op, Mem):
            lin = self._mem_linear(index, op, True)
            return f"m.write({lin}, {(op.size or self.width()) // 8}, {value}, u)"
        raise Unsupported(f"write to {op!r}")

    def _accumulator(self) -> str:
        return {8: "al", 16: "ax", 32: "eax"}[self.width()]

    @staticmethod
    def _width_of(op) -> int:
        if isinstance(op, (Reg, Mem, Imm)) and op.size:
            return op.size
        raise Unsupported(f"width of {op!r}")

    def operand(self, index: int):
        try:
            return self.ins.operands[index]
        except IndexError:
            raise Unsupported(f"{self.ins.mnemonic} has no operand {index}") from None

    def specialise(self, template: str) -> list[str]:
        lines = [line for line in template.strip("\n").splitlines() if line.strip()]
        writes = {m.group(2) for line in lines if (m := _ASSIGN.match(line))}
        body = []
        for line in lines:
            m = _ASSIGN.match(line)
            if m:
                indent, target, expr = m.groups()
                expr = self._tokens(expr, writes)
                if target == "CX":
                    body.append(indent + reg_write("cx" if self.ins.address_size == 16 else "ecx", expr))
                elif target == "ACC":
                    body.append(indent + reg_write(self._accumulator(), expr))
                else:
                    body.append(indent + self.write(0 if target == "D" else 1, expr))
            else:
                body.append(self._tokens(line, writes))
        if not any("cpu.eip" in line or "# transfers" in line for line in lines):
            body.append(f"cpu.eip = {self.next}")
        return self.prologue + body

    def _tokens(self, text: str, writes: set[str]) -> str:
        w = self.width()

        def sub(m: re.Match) -> str:
            t = m.group(1)
            if t == "D":
                return self.read(0, "D" in writes)
            if t == "S":
                return self.read(1, "S" in writes)
            if t == "S2":
                return self.read(2, False)
            if t in ("EA0", "EA1"):
                op = self.operand(int(t[2]))
                if not isinstance(op, Mem):
                    raise Unsupported("EA of a register")
                return effective_address(op)
            if t in ("LIN0", "LIN1"):
                index = int(t[3])
                op = self.operand(index)
                if not isinstance(op, Mem):
                    raise Unsupported("a register where memory is required")
                return self._mem_linear(index, op, False)
            if t == "DREG0":
                return str(self.operand(0).number)
            if t == "MSEG0":
                return str(SEGMENTS[self.operand(0).segment])
            if t == "DSEG":
                return str(SEGMENTS[self.ins.segment or "ds"])
            if t == "ACC":
                return reg_read(self._accumulator())
            if t == "SSIGN":
                return str(1 << (self._width_of(self.operand(1)) - 1))
            if t == "CC":
                return str(self.ins.cond)
            if t == "CREG0":
                return str(self.operand(0).number)
            if t == "SEG0":
                return str(SEGMENTS[self.operand(0).name])
            if t == "CX":
                return reg_read("cx" if self.ins.address_size == 16 else "ecx")
            if t == "REP":
                return repr(self.ins.rep)
            if t == "SEGSRC":
                for op in self.ins.operands:
                    if isinstance(op, Mem) and op.base in ("esi", "si"):
                        return str(SEGMENTS[op.segment])
                return str(SEGMENTS["ds"])
            return str(
                {
                    "W": w,
                    "MASK": (1 << w) - 1,
                    "SIGN": 1 << (w - 1),
                    "NEXT": self.next,
                    "HERE": self.here,
                    "ASZ": self.ins.address_size,
                    "OSZ": self.ins.operand_size,
                    "AMASK": 0xFFFF if self.ins.address_size == 16 else 0xFFFFFFFF,
                    "OMASK": 0xFFFF if self.ins.operand_size == 16 else 0xFFFFFFFF,
                }[t]
            )

        return _TOKEN.sub(sub, text)
