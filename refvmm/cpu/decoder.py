"""Table-driven IA-32 instruction decoder for 16- and 32-bit code.

``decode(code, default_bits)`` interprets the maps in ``opcodes.py``. It only
decodes: faults that depend on machine state (CPL, CR4.DE, ...) belong to the
interpreter. Encoding-level faults are raised here as ``DecodeError``:
#UD for undefined opcodes/group slots, an M operand with mod=3, LOCK on
an instruction or operand that cannot be locked, MOV to CS, and CR1/CR5-7;
#GP(0) when the instruction would exceed 15 bytes.

UD2 (and UD1) decode normally as "ud2"/"ud1"; raising #UD is the
interpreter's job when it executes them, so a disassembler/length decoder
can still step over them.

Conventions: displacements are signed (sign-extended) Python ints, the
effective address is masked to ``address_size`` by the user; immediates are
stored already sign-extended where the encoding says so and masked to
``Imm.size`` bits. ``Rel.offset`` is signed and relative to the end of the
instruction; ``Rel.size`` is the operand size the target is truncated to.
"""

from __future__ import annotations

from dataclasses import dataclass

from .opcodes import (
    GROUPS,
    ONE_BYTE,
    PREFIXED,
    PREFIXES,
    SEGMENT_PREFIXES,
    TWO_BYTE,
    X87_MEMORY,
    X87_REGISTER,
    Op,
)

MAX_LENGTH = 15
UD, GP = 6, 13

REGS = {
    8: ("al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"),
    16: ("ax", "cx", "dx", "bx", "sp", "bp", "si", "di"),
    32: ("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"),
}
SREGS = ("es", "cs", "ss", "ds", "fs", "gs")
# 16-bit ModRM r/m: (base, index); rm=6 with mod=0 is a bare disp16.
MODRM16 = (
    ("bx", "si"),
    ("bx", "di"),
    ("bp", "si"),
    ("bp", "di"),
    ("si", None),
    ("di", None),
    ("bp", None),
    ("bx", None),
)
FIXED_REGS = {"AL": ("al", 8), "CL": ("cl", 8), "DX": ("dx", 16), "AX": ("ax", 16)}
SIZE_LETTERS = {"b": 8, "w": 16, "d": 32, "q": 64}


class DecodeError(Exception):
    """The bytes do not form a valid instruction; ``vector`` is the exception to raise (6 or 13)."""

    def __init__(self, vector: int, message: str):
        super().__init__(message)
        self.vector = vector


class Incomplete(Exception):
    """``code`` ended before the instruction did; fetch more bytes and retry."""


@dataclass(frozen=True, slots=True)
class Reg:
    name: str
    size: int


@dataclass(frozen=True, slots=True)
class SReg:
    name: str


@dataclass(frozen=True, slots=True)
class CReg:
    number: int


@dataclass(frozen=True, slots=True)
class DReg:
    number: int


@dataclass(frozen=True, slots=True)
class FReg:
    """An x87 stack register ST(index)."""

    index: int


@dataclass(frozen=True, slots=True)
class Mem:
    segment: str
    base: str | None
    index: str | None
    scale: int
    disp: int
    size: int | None  # bits accessed; None for LEA's address-only operand
    address_size: int


@dataclass(frozen=True, slots=True)
class Imm:
    value: int
    size: int


@dataclass(frozen=True, slots=True)
class Rel:
    offset: int
    size: int


@dataclass(frozen=True, slots=True)
class FarPtr:
    selector: int
    offset: int
    size: int  # offset width


@dataclass(frozen=True, slots=True)
class ModRM:
    mod: int
    reg: int
    rm: int


Operand = Reg | SReg | CReg | DReg | FReg | Mem | Imm | Rel | FarPtr


@dataclass(frozen=True, slots=True)
class Instruction:
    length: int
    mnemonic: str
    opcode: int  # one byte, or 0x0Fxx
    operand_size: int  # 8 for byte forms, 32 for MOV CR/DR, else the effective operand size
    address_size: int
    segment: str | None  # segment override prefix
    rep: str | None  # "rep" (F3) / "repne" (F2), string instructions only
    lock: bool
    modrm: ModRM | None
    operands: tuple[Operand, ...]
    cond: int | None = None  # tttn condition code of Jcc/SETcc/CMOVcc
    kind: str = "general"  # "x87" for D8-DF


class _Reader:
    def __init__(self, code: bytes):
        self.code = code
        self.pos = 0
        self.operand = -1  # the operand being decoded, for ``fields``
        # (operand, offset, bytes, signed) of each displacement and immediate: the values
        # of one instance of a form, all after its structure (prefixes, opcode, ModRM, SIB)
        self.fields: list[tuple[int, int, int, bool]] = []

    def value(self, n: int, signed: bool = False) -> int:
        """``take`` for a displacement or immediate: recorded in ``fields``."""
        self.fields.append((self.operand, self.pos, n, signed))
        return self.take(n, signed)

    def take(self, n: int, signed: bool = False) -> int:
        end = self.pos + n
        if end > MAX_LENGTH:
            raise DecodeError(GP, "instruction longer than 15 bytes")
        if end > len(self.code):
            raise Incomplete(f"need {end} bytes, have {len(self.code)}")
        value = int.from_bytes(self.code[self.pos : end], "little", signed=signed)
        self.pos = end
        return value


def _needs_modrm(op: Op) -> bool:
    return (
        "G" in op.flags
        or "X" in op.flags
        or any(
            t[0] in "EGMRSCD" and t[1].islower()
            for t in _tokens(op)  # "DX", "ES", "CL" are fixed registers
        )
    )


def _tokens(op: Op) -> list[str]:
    return op.operands.split(",") if op.operands else []


def decode(code: bytes, default_bits: int) -> Instruction:
    """Decode the instruction at the start of ``code`` for a code segment of ``default_bits`` (16/32)."""
    return decode_form(code, default_bits)[0]


def decode_form(code: bytes, default_bits: int) -> tuple[Instruction, tuple, int]:
    """``decode``, and where the instance's values lie: (instruction, its displacement and
    immediate fields as (operand, offset, bytes, signed), the length of its structure).
    Decoding is a left-to-right parse, so no form's structure is a prefix of another's:
    the structure bytes name the form."""
    if default_bits not in (16, 32):
        raise ValueError("default_bits must be 16 or 32")
    r = _Reader(code)
    opsize = addrsize = default_bits
    segment = None
    lock = False
    last_rep = None
    while True:
        b = r.take(1)
        if b not in PREFIXES:
            break
        if b == 0x66:
            opsize = 48 - default_bits
        elif b == 0x67:
            addrsize = 48 - default_bits
        elif b == 0xF0:
            lock = True
        elif b in (0xF2, 0xF3):
            last_rep = b
        else:
            segment = SEGMENT_PREFIXES[b]

    if b == 0x0F:
        b = r.take(1)
        opcode = 0x0F00 | b
        op = TWO_BYTE.get(b)
    else:
        opcode = b
        op = PREFIXED.get((last_rep, b)) or ONE_BYTE.get(b)
    if op is None:
        raise DecodeError(UD, f"undefined opcode {opcode:#x}")

    modrm = None
    if _needs_modrm(op):
        m = r.take(1)
        modrm = ModRM(m >> 6, (m >> 3) & 7, m & 7)
        if "G" in op.flags:
            op = GROUPS[opcode][modrm.reg]
            if op is None:
                raise DecodeError(UD, f"undefined group entry {opcode:#x} /{modrm.reg}")
        elif "X" in op.flags:
            op = (X87_REGISTER if modrm.mod == 3 else X87_MEMORY)[opcode][modrm.reg]
            if not isinstance(op, Op):  # a row by ModRM.rm
                op = op[modrm.rm]

    mnemonic = op.mnemonic
    if "/" in mnemonic:
        short, long_ = mnemonic.split("/")
        mnemonic = long_ if (addrsize if "A" in op.flags else opsize) == 32 else short
    cond = None
    if opcode & 0xF0 == 0x70 or (opcode >> 8 == 0x0F and opcode & 0xF0 in (0x40, 0x80, 0x90)):
        cond = opcode & 0xF

    dec = _OperandDecoder(r, opcode, modrm, opsize, addrsize, segment)
    operands = []
    for i, t in enumerate(_tokens(op)):
        r.operand = len(operands)
        if (o := dec.operand(t, i)) is not None:
            operands.append(o)
    operands = tuple(operands)

    if lock and not ("L" in op.flags and operands and isinstance(operands[0], Mem)):
        raise DecodeError(UD, f"LOCK not allowed on {mnemonic}")
    ins = Instruction(
        length=r.pos,
        mnemonic=mnemonic,
        opcode=opcode,
        operand_size=_operand_size(_tokens(op), opsize),
        address_size=addrsize,
        segment=segment,
        rep=({0xF3: "rep", 0xF2: "repne"}.get(last_rep) if "S" in op.flags else None),
        lock=lock,
        modrm=modrm,
        operands=operands,
        cond=cond,
        kind="x87" if 0xD8 <= opcode <= 0xDF else "general",
    )
    structure = r.fields[0][1] if r.fields else r.pos
    return ins, tuple(r.fields), structure


def _operand_size(tokens: list[str], opsize: int) -> int:
    # The first operand that is not a port/immediate carries the instruction's width (OUT DX,AL is 8).
    for t in tokens:
        if t in ("DX", "1") or t[0] in "IJ":
            continue
        if t in ("AL", "CL") or (t[0] in "EGOXYZ" and t[1] == "b"):
            return 8
        if t in ("Cd", "Dd", "Rd"):
            return 32
        break
    return opsize


class _OperandDecoder:
    def __init__(
        self, r: _Reader, opcode: int, modrm: ModRM | None, opsize: int, addrsize: int, seg: str | None
    ):
        self.r, self.opcode, self.modrm = r, opcode, modrm
        self.opsize, self.addrsize, self.seg = opsize, addrsize, seg
        self.mem: Mem | None = None  # SIB/displacement bytes are read once, at the first E/M operand

    def size(self, letter: str) -> int:
        return self.opsize if letter in "vz" else SIZE_LETTERS[letter]

    def operand(self, t: str, position: int) -> Operand | None:
        m = self.modrm
        if t in FIXED_REGS:
            return Reg(*FIXED_REGS[t])
        if t == "eAX":
            return Reg(REGS[self.opsize][0], self.opsize)
        if t in ("ES", "CS", "SS", "DS", "FS", "GS"):
            return SReg(t.lower())
        if t == "1":
            return Imm(1, 8)
        if t == "ST":
            return FReg(0)
        if t == "STi":
            return FReg(m.rm)
        kind, letter = t[0], t[1:]
        if kind == "G":
            size = self.size(letter)
            return Reg(REGS[size][m.reg], size)
        if kind == "Z":
            size = self.size(letter)
            return Reg(REGS[size][self.opcode & 7], size)
        if kind == "S":
            if m.reg > 5:
                raise DecodeError(UD, "segment register 6/7")
            if m.reg == 1 and position == 0:
                raise DecodeError(UD, "MOV to CS")
            return SReg(SREGS[m.reg])
        if kind == "C":
            if m.reg in (1, 5, 6, 7):
                raise DecodeError(UD, f"CR{m.reg} does not exist")
            return CReg(m.reg)
        if kind == "D":
            return DReg(m.reg)
        if t == "Rd":  # MOV CR/DR: mod is ignored, r/m is always a register
            return Reg(REGS[32][m.rm], 32)
        if kind in "EMR":
            return self.rm_operand(t)
        if kind == "I":
            return self.immediate(letter)
        if kind == "J":
            size = 8 if letter == "b" else self.opsize
            return Rel(self.r.value(size // 8, signed=True), self.opsize)
        if t == "Ap":
            offset = self.r.value(self.opsize // 8)
            return FarPtr(self.r.value(2), offset, self.opsize)
        if kind == "O":
            disp = self.r.value(self.addrsize // 8, signed=True)
            return Mem(self.seg or "ds", None, None, 1, disp, self.size(letter), self.addrsize)
        if kind in "XY":
            reg = REGS[self.addrsize][6 if kind == "X" else 7]
            seg = (self.seg or "ds") if kind == "X" else "es"  # ES:eDI cannot be overridden
            return Mem(seg, reg, None, 1, 0, self.size(letter), self.addrsize)
        raise AssertionError(f"unknown operand spec {t!r}")

    def immediate(self, letter: str) -> Imm:
        if letter == "bs":  # Ib sign-extended to the operand size
            mask = (1 << self.opsize) - 1
            return Imm(self.r.value(1, signed=True) & mask, self.opsize)
        size = self.size("v" if letter in "vz" else letter)
        return Imm(self.r.value(size // 8), size)

    def rm_operand(self, t: str) -> Operand | None:
        m = self.modrm
        if m.mod == 3:
            if t[0] == "M":
                raise DecodeError(UD, f"register form of memory-only operand {t}")
            size = self.opsize if t == "Rv/Mw" else self.size(t[1])
            return Reg(REGS[size][m.rm], size)
        if self.mem is None:
            self.mem = self.address()
        size = {
            "M": None,
            "Rv/Mw": 16,
            "Mp": self.opsize + 16,
            "Ms": 48,
            "Ma": 2 * self.opsize,
            "Mt": 80,
            "Me": 224 if self.opsize == 32 else 112,  # the x87 environment: 28 or 14 bytes
            "Mf": 864 if self.opsize == 32 else 752,  # FSAVE's image: 108 or 94 bytes
        }
        bits = size[t] if t in size else self.size(t[1])
        m_ = self.mem
        return Mem(m_.segment, m_.base, m_.index, m_.scale, m_.disp, bits, m_.address_size)

    def address(self) -> Mem:
        m, r = self.modrm, self.r
        base = index = None
        scale = 1
        if self.addrsize == 16:
            if m.mod == 0 and m.rm == 6:
                disp = r.value(2, signed=True)
            else:
                base, index = MODRM16[m.rm]
                disp = r.value(m.mod, signed=True)  # mod 1 -> disp8, mod 2 -> disp16
        else:
            rm = m.rm
            if rm == 4:
                sib = r.take(1)
                scale, idx, rm = 1 << (sib >> 6), (sib >> 3) & 7, sib & 7
                index = None if idx == 4 else REGS[32][idx]
                if index is None:
                    scale = 1  # no index: the scale bits are ignored
            if m.mod == 0 and rm == 5:  # disp32 with no base (plain or SIB form)
                disp = r.value(4, signed=True)
            else:
                base = REGS[32][rm]
                disp = r.value((0, 1, 4)[m.mod], signed=True)
        default = "ss" if base in ("bp", "ebp", "esp") else "ds"
        return Mem(self.seg or default, base, index, scale, disp, None, self.addrsize)
